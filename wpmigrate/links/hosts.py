"""Which URLs point at the old site itself, and where on it.

A post links to its own site in many spellings: ``http://`` or ``https://``,
protocol-relative (``//example.org/…``), with or without ``www.``, with the
default port written out, the host in capitals or as an internationalised
name, or relative to the post (``/2019/06/porto/#essen``, ``../x``). They are
all one site. What shares only a prefix of the host (``example.org.evil.com``),
hides it in the user part (``example.org@evil.com``) or in a query
(``evil.com/?u=example.org``) is another site; and when WordPress lives under
a path (a blog under ``/blog/``), ``/blogroll/`` is not part of it.

:class:`SiteHosts` decides once per URL and returns the URL's local form
(:class:`LocalUrl`), which the resolvers of :mod:`wpmigrate.links.rewrite`
look up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

__all__ = ["LocalUrl", "SiteHosts", "host_key"]

_DEFAULT_PORTS = {"http": 80, "https": 443, "": None}


@dataclass(frozen=True, slots=True)
class LocalUrl:
    """An own-site URL in its local form.

    ``path`` is the whole path on the host, percent-decoded (``/blog/2019/06/porto/``);
    ``base`` the site base path it lies under (``/blog``, ``""`` for the root), so
    ``below`` is the path WordPress routed (``/2019/06/porto/``); ``query`` and
    ``fragment`` as written (without ``?`` and ``#``)."""

    path: str
    query: str = ""
    fragment: str = ""
    base: str = ""

    @property
    def below(self) -> str:
        """The path below the site's base path, starting with ``/``."""
        rest = self.path[len(self.base) :] if self.base else self.path
        return rest if rest.startswith("/") else "/" + rest


def host_key(host: str) -> str:
    """A host as compared: lower case, ASCII (IDNA), no trailing dot, no ``www.``."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # not a valid internationalised name: compared as written
    return host[4:] if host.startswith("www.") else host


def _base_path(path: str) -> str:
    """A base path without its trailing ``/`` (``""`` for the root), decoded."""
    return unquote(path).rstrip("/")


class SiteHosts:
    """The old site's own hosts and base paths.

    ``bases`` are the site's URLs (``base_site_url``, ``base_blog_url``, the channel
    link): each gives a host and a base path. ``extra_hosts`` are more hosts that
    serve the site at their root (a CDN, ``--media-host``), as host names or URLs."""

    def __init__(self, bases: Iterable[str], extra_hosts: Iterable[str] = ()) -> None:
        # host key -> base paths under which the site lives there (longest first)
        self._paths: dict[str, list[str]] = {}
        self._ports: dict[str, set[int | None]] = {}
        self.home = ""  # the first base: what a relative URL of an unknown page resolves against
        for url in bases:
            url = (url or "").strip()
            if not url:
                continue
            if "//" not in url:
                url = "//" + url
            self._add(url)
            self.home = self.home or url
        for host in extra_hosts:
            host = (host or "").strip()
            if host:
                self._add(host if "//" in host else "//" + host)

    def _add(self, url: str) -> None:
        parts = urlsplit(url)
        key = host_key(parts.hostname or "")
        if not key:
            return
        paths = self._paths.setdefault(key, [])
        base = _base_path(parts.path)
        if base not in paths:
            paths.append(base)
            paths.sort(key=len, reverse=True)
        try:
            port = parts.port
        except ValueError:
            port = None
        self._ports.setdefault(key, set()).add(port if port != _DEFAULT_PORTS.get(parts.scheme.lower()) else None)

    @classmethod
    def of_site(cls, site, extra_hosts: Iterable[str] = ()) -> SiteHosts:
        """The hosts of an export's :class:`~wpmigrate.model.Site` (home URL first)."""
        return cls((site.base_blog_url, site.link, site.base_site_url), extra_hosts)

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(self._paths)

    def local(self, url: str, page: str = "") -> LocalUrl | None:
        """The local form of ``url`` when it points at the site, else None.

        A relative ``url`` is resolved against ``page`` (the old URL of the item it
        is in; the site's home when the item has none). ``mailto:``, ``data:``,
        ``javascript:`` and other schemes are never the site's."""
        url = (url or "").strip()
        if not url or url.startswith("#"):
            return None  # a link within the page: nothing to rewrite
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("", "http", "https"):
            return None
        if not parts.netloc:
            if scheme:
                return None  # "http:foo": no host
            if not parts.path and not parts.query:
                return None
            absolute = urljoin(page or self.home, url)
            parts = urlsplit(absolute)
            if not parts.netloc:
                return None
        if parts.username is not None or parts.password is not None:
            return None  # user@host: a look-alike at best
        key = host_key(parts.hostname or "")
        paths = self._paths.get(key)
        if paths is None:
            return None
        try:
            port = parts.port
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if port is not None and (port == _DEFAULT_PORTS.get(scheme) or (not scheme and port in (80, 443))):
            port = None  # a protocol-relative URL takes the page's scheme: either default port
        if port is not None and port not in self._ports[key]:
            return None
        path = unquote(parts.path) or "/"
        for base in paths:
            if not base or path == base or path.startswith(base + "/"):
                return LocalUrl(path, parts.query, parts.fragment, base)
        return None

    def is_own(self, url: str, page: str = "") -> bool:
        return self.local(url, page) is not None
