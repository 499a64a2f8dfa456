"""Where each media reference of an item points once its file is in the output folder.

A reference is media when it points at one of the site's own hosts (its
``base_site_url``, ``base_blog_url`` and channel link, ``www.`` or not, any
scheme; or a ``--media-host``, a CDN) or is a path on the site, and its path
lies below ``wp-content/uploads``. A copy WordPress made of an image (a
resized, scaled, edited or Retina one) resolves to the attachment's own file
when the export knows it (or, with ``--uploads``, when the original is
there), so every size of one image becomes one file; else the copy itself is
kept. The URL the Markdown gets follows from the file's path alone
(:meth:`~wpmigrate.layouts.Layout.media_url`), so workers rewrite bodies while
the conversion's own process collects the files to copy or fetch.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from wpmigrate.layouts import Layout
from wpmigrate.links.hosts import SiteHosts
from wpmigrate.links.rewrite import Unresolved, UrlRef
from wpmigrate.media.paths import UPLOADS, copy_candidates, relative_path, uploads_file
from wpmigrate.model import Site
from wpmigrate.options import ConvertOptions, MediaPolicy

__all__ = ["NOT_IN_UPLOADS", "ItemMedia", "MediaResolver"]

NOT_IN_UPLOADS = "media file not in --uploads: its URL is kept"


@dataclass
class ItemMedia:
    """The media references of one item: the files it needs, the references kept."""

    item_path: str
    #: file below the uploads folder → the URL to fetch it from, in the order first referenced
    needed: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # references kept: the file is not in --uploads
    local: int = 0  # references that now point at a file in the output folder


class MediaResolver:
    """The first resolver of the URL-rewrite chain (:mod:`wpmigrate.links.chain`) with
    ``--media copy|download``: a reference to a file below the site's uploads folder gets
    the URL of its local copy. One per worker; :meth:`begin` starts each item, whose
    references it collects (:class:`ItemMedia`)."""

    def __init__(
        self, options: ConvertOptions, site: Site, media: Mapping[str, str], layout: Layout, hosts: SiteHosts
    ) -> None:
        self.policy = options.media
        self.uploads = options.uploads
        self.layout = layout
        self.media = media
        self.hosts = hosts
        base = urlsplit((site.base_site_url or site.base_blog_url or site.link).strip())
        self.scheme = base.scheme.lower() or "https"
        self.netloc = base.netloc
        self.current: ItemMedia | None = None

    def begin(self, item_path: str) -> ItemMedia:
        """Start collecting the references of the item written to ``item_path``."""
        self.current = ItemMedia(item_path)
        return self.current

    def is_own(self, url: str) -> bool:
        """Whether ``url`` (absolute) is on one of the site's hosts (for the downloader)."""
        return self.hosts.local(url) is not None

    def resolve(self, ref: UrlRef) -> str | Unresolved | None:
        item = self.current
        at = ref.local.path.find(UPLOADS)
        if item is None or at < 0:
            return None
        rel = relative_path(ref.local.path[at + len(UPLOADS) :])
        if rel is None:
            return None
        file = self.original(rel)
        source = self.source(file, ref)
        if source is None:
            if ref.url not in item.missing:
                item.missing.append(ref.url)
            return Unresolved(NOT_IN_UPLOADS)
        item.needed.setdefault(file, source)
        item.local += 1
        local = self.layout.media_url(file, item.item_path)
        return f"{local}#{ref.local.fragment}" if ref.local.fragment else local

    def placed_url(self, url: str, placed: Container[str]) -> str | None:
        """The URL from the site's root of the local copy of the media file ``url`` once it
        is placed (``placed``: the output paths written), else None; for redirects, which
        every generator's server reads from the root (the plain layout's files too)."""
        local = self.hosts.local(url)
        at = local.path.find(UPLOADS) if local is not None else -1
        rel = relative_path(local.path[at + len(UPLOADS) :]) if local is not None and at >= 0 else None
        if rel is None:
            return None
        file = self.original(rel)
        path = str(self.layout.media_path(file))
        if path not in placed:
            return None
        root = self.layout.media_url_root
        return quote(root + file) if root is not None else quote("/" + path)

    def original(self, rel: str) -> str:
        """The file a reference to ``rel`` resolves to: the attachment's own file for a copy
        WordPress made of it, when the export knows the attachment or ``--uploads`` holds
        the original; else ``rel`` itself."""
        known = self.media.get(rel)
        if known is not None:
            return known
        for candidate in copy_candidates(rel):
            known = self.media.get(candidate)
            if known is not None:
                return known
            if self._in_uploads(candidate):
                return candidate
        return rel

    def _in_uploads(self, rel: str) -> bool:
        return self.uploads is not None and uploads_file(self.uploads, rel) is not None

    def source(self, file: str, ref: UrlRef) -> str | None:
        """Where ``file`` comes from: the URL of the host the reference named (fetched, or
        copied from ``--uploads`` when it is there); None when it cannot come: ``--media
        copy`` and not in the uploads folder."""
        if self.policy == MediaPolicy.COPY:
            return ref.url if self._in_uploads(file) else None
        parts = urlsplit(ref.url)
        prefix = ref.local.path[: ref.local.path.find(UPLOADS)]
        scheme = parts.scheme.lower() or self.scheme
        netloc = parts.netloc or self.netloc
        return urlunsplit((scheme, netloc, quote(prefix + UPLOADS + file), "", ""))
