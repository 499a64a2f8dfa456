"""Layouts: how the converted items are laid out for one static site generator.

``plain`` is wpmigrate's own layout (``posts/``, ``pages/``, ``<type>/``);
``hugo``, ``jekyll``, ``eleventy`` and ``astro`` follow their generator's
conventions so that its default build takes the output as it is. Each layout
is a small class (:class:`~wpmigrate.layouts.base.Layout`): where each kind of
item goes, its front-matter keys, how drafts are kept out, how the old URL is
kept, and the starter site written when the folder has no config.
"""

from __future__ import annotations

from wpmigrate.layouts.base import (
    Layout,
    PlaceRequest,
    SiteFacts,
    Starter,
    site_base,
    time_zone,
    url_key,
    url_path,
)
from wpmigrate.layouts.generators import ASTRO_SCHEMA, Astro, Eleventy, Hugo, Jekyll

__all__ = [
    "ASTRO_SCHEMA",
    "LAYOUTS",
    "Layout",
    "PlaceRequest",
    "SiteFacts",
    "Starter",
    "get_layout",
    "site_base",
    "time_zone",
    "url_key",
    "url_path",
]

LAYOUTS: dict[str, type[Layout]] = {
    "plain": Layout,
    "hugo": Hugo,
    "jekyll": Jekyll,
    "eleventy": Eleventy,
    "astro": Astro,
}


def get_layout(name: str) -> Layout:
    """The layout called ``name`` (one of :data:`LAYOUTS`; options are validated before)."""
    return LAYOUTS[str(name)]()
