"""The resolver chain of a conversion, put together in one place.

Order matters, the first answer wins: the media resolver (files copied or
downloaded get their new URL) first, then the site's own pages, posts,
attachments and terms (:mod:`wpmigrate.links.internal`), then
:class:`~wpmigrate.links.files.KeepFiles` for files nobody moved.
"""

from __future__ import annotations

from wpmigrate.layouts import site_base
from wpmigrate.links.files import KeepFiles
from wpmigrate.links.hosts import SiteHosts
from wpmigrate.links.internal import InternalLinks
from wpmigrate.links.rewrite import Resolver, UrlRewriter
from wpmigrate.media.resolve import MediaResolver
from wpmigrate.model import Index, Site
from wpmigrate.options import ConvertOptions

__all__ = ["build_rewriter", "site_hosts"]


def site_hosts(site: Site, options: ConvertOptions) -> SiteHosts:
    """The old site's hosts: its home, channel link and WordPress address, and the hosts
    serving its media (``--media-host``)."""
    return SiteHosts.of_site(site, options.media_host)


def build_rewriter(
    options: ConvertOptions, site: Site, index: Index, media: MediaResolver | None = None
) -> UrlRewriter:
    """The URL-rewrite step of one conversion (in each worker process: ``index`` is the
    first pass's, opened read-only); ``media`` is the conversion's media resolver with
    ``--media copy|download``."""
    resolvers: list[Resolver] = []
    # media first (files copied or downloaded), then the site's own items and terms
    if media is not None:
        resolvers.append(media)
    resolvers.append(InternalLinks(site, index, site_base(site)))
    resolvers.append(KeepFiles())
    return UrlRewriter(site_hosts(site, options), resolvers)
