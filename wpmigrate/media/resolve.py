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

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from wpmigrate.layouts import Layout
from wpmigrate.media.paths import UPLOADS, copy_candidates, uploads_path
from wpmigrate.model import Site
from wpmigrate.options import ConvertOptions, MediaPolicy

__all__ = ["ItemMedia", "MediaResolver", "host_key", "own_hosts"]

_DEFAULT_PORTS = {"http": 80, "https": 443, "": None}


def host_key(host: str | None, port: int | None = None, scheme: str = "") -> str | None:
    """One key for the spellings of a host: lower case, IDN as ASCII, ``www.`` dropped, the
    scheme's default port dropped (``https://WWW.Example.org:443`` → ``example.org``)."""
    if not host:
        return None
    try:
        name = host.rstrip(".").lower().encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if name.startswith("www."):
        name = name[4:]
    if port is not None and port not in (80, 443) and port != _DEFAULT_PORTS.get(scheme):
        return f"{name}:{port}"
    return name


def _url_host(url: str) -> str | None:
    parts = urlsplit(url.strip())
    try:
        return host_key(parts.hostname, parts.port, parts.scheme)
    except ValueError:  # a port that is no number
        return None


def own_hosts(site: Site, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The keys (:func:`host_key`) of the hosts that serve the site's media."""
    hosts = {_url_host(u) for u in (site.base_site_url, site.base_blog_url, site.link) if u}
    hosts.update(_url_host("//" + h) for h in extra)
    return frozenset(h for h in hosts if h)


@dataclass
class ItemMedia:
    """The media references of one item, resolved: URLs to use, files needed, files missing."""

    resolver: MediaResolver
    item_path: str
    #: file below the uploads folder → the URL to fetch it from, in the order first referenced
    needed: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # references kept: the file is not in --uploads
    local: int = 0  # references that now point at a file in the output folder

    def resolve(self, url: str) -> str | None:
        """The URL of the local copy for a reference to the site's media, else None."""
        found = self.resolver.file_of(url)
        if found is None:
            return None
        file, fragment = found
        source = self.resolver.source(file, url)
        if source is None:
            if url not in self.missing:
                self.missing.append(url)
            return None
        self.needed.setdefault(file, source)
        self.local += 1
        local = self.resolver.layout.media_url(file, self.item_path)
        return f"{local}#{fragment}" if fragment else local


class MediaResolver:
    """Resolves media references for the items of one conversion (one per worker)."""

    def __init__(self, options: ConvertOptions, site: Site, media: Mapping[str, str], layout: Layout) -> None:
        self.policy = options.media
        self.uploads = options.uploads
        self.layout = layout
        self.media = media
        self.hosts = own_hosts(site, options.media_host)
        base = urlsplit((site.base_site_url or site.base_blog_url or site.link).strip())
        self.scheme = base.scheme or "https"
        self.netloc = base.netloc

    @property
    def active(self) -> bool:
        return self.policy != MediaPolicy.KEEP

    def for_item(self, item_path: str) -> ItemMedia:
        return ItemMedia(self, item_path)

    def is_own(self, url: str) -> bool:
        parts = urlsplit(url.strip())
        if parts.scheme and parts.scheme.lower() not in ("http", "https"):
            return False
        if not parts.netloc:
            return parts.path.startswith("/")  # a path on the site itself
        try:
            return host_key(parts.hostname, parts.port, parts.scheme.lower()) in self.hosts
        except ValueError:
            return False

    def file_of(self, url: str) -> tuple[str, str] | None:
        """``(file below the uploads folder, fragment)`` of a reference to the site's media."""
        if not url or "wp-content" not in url or not self.is_own(url):
            return None
        rel = uploads_path(url)
        if rel is None:
            return None
        return self.original(rel), urlsplit(url.strip()).fragment

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
        return self.uploads is not None and os.path.isfile(os.path.join(self.uploads, *rel.split("/")))

    def source(self, file: str, url: str) -> str | None:
        """Where ``file`` comes from: its URL (fetched, or copied from ``--uploads`` when it is
        there); None when it cannot come: ``--media copy`` and not in the uploads folder."""
        if self.policy == MediaPolicy.COPY:
            return url if self._in_uploads(file) else None
        parts = urlsplit(url.strip())
        path = parts.path
        at = path.find(UPLOADS)
        prefix = path[:at] if at >= 0 else ""
        scheme = parts.scheme.lower() or self.scheme
        netloc = parts.netloc or self.netloc
        return urlunsplit((scheme, netloc, prefix + UPLOADS + quote(file), "", ""))
