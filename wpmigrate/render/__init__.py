"""The render stage: ``post_content`` as stored → the one tree of the HTML a visitor was served.

:class:`Renderer` (in :mod:`.renderer`) runs WordPress's string rules
(shortcodes, blocks, ``wpautop()``, from :mod:`wpmigrate.wordpress` and the
handlers here), parses the result once into a
:class:`~wpmigrate.document.Document`, and normalises that tree
(:mod:`.normalise`). :func:`render_content` uses a default renderer.
"""

from __future__ import annotations

from .blockrender import inner
from .context import RenderContext, RenderOptions
from .renderer import BlockRegistry, Rendered, Renderer, ShortcodeRegistry, render_content

__all__ = [
    "BlockRegistry",
    "RenderContext",
    "RenderOptions",
    "Rendered",
    "Renderer",
    "ShortcodeRegistry",
    "inner",
    "render_content",
]
