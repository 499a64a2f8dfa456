"""The old site's URLs: which are its own (:mod:`.hosts`), the one rewrite step over a
post's tree and front matter (:mod:`.rewrite`), the resolvers (:mod:`.files`,
:mod:`.internal`) and their chain (:mod:`.chain`), and the redirects (:mod:`.redirects`)."""

from wpmigrate.links.hosts import LocalUrl, SiteHosts
from wpmigrate.links.rewrite import (
    FRONT_MATTER_URLS,
    Follow,
    Resolution,
    Resolver,
    Unresolved,
    UrlCounts,
    UrlKind,
    UrlRef,
    UrlRewriter,
)

__all__ = [
    "FRONT_MATTER_URLS",
    "Follow",
    "LocalUrl",
    "Resolution",
    "Resolver",
    "SiteHosts",
    "Unresolved",
    "UrlCounts",
    "UrlKind",
    "UrlRef",
    "UrlRewriter",
]
