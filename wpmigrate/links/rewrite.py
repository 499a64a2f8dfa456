"""The one URL-rewrite step: every URL of a post, asked of a chain of resolvers.

After cleaning and before Markdown, the step walks every URL-bearing attribute
of the tree once (the list is :func:`wpmigrate.document.url_attributes`: links,
images and each ``srcset`` candidate, lazy loaders' ``data-…src``, audio,
video, tracks, objects, embeds, iframes), and the front-matter fields that hold
URLs (:data:`FRONT_MATTER_URLS`). A URL that does not point at the old site
(:class:`~wpmigrate.links.hosts.SiteHosts`) is left as it is and not counted.
An own-site URL goes to the resolvers in order; the first that answers wins:

* a string: the new URL (the same string: kept as it is, which is fine);
* :class:`Follow`: "this is really that URL" (an attachment's page is its file),
  asked of the chain once more; unanswered, that URL is the new one;
* :class:`Unresolved`: known, but it has no new place (a draft's page), with why;
* ``None``: not this resolver's; the next one is asked.

A URL no resolver answers is unresolved too. Counts go to the item's report
entry (:class:`UrlCounts`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from wpmigrate.document import join_srcset, srcset_candidates, tag_of, url_attributes
from wpmigrate.links.hosts import LocalUrl, SiteHosts

__all__ = [
    "FRONT_MATTER_URLS",
    "Follow",
    "Resolution",
    "Resolver",
    "Unresolved",
    "UrlCounts",
    "UrlKind",
    "UrlRef",
    "UrlRewriter",
]

#: Front-matter fields (wpmigrate's own names, before a layout renames them) whose
#: values are URLs, or lists of URLs, of the old site.
FRONT_MATTER_URLS = ("cover_image", "gallery")

NO_ANSWER = "no converted item or file of the site answers it"


class UrlKind(enum.Enum):
    """What a URL is used for, as the element (or field) holding it says."""

    LINK = "link"  # a[href], area[href]
    IMAGE = "image"  # img, video[poster], picture's source[srcset]
    MEDIA = "media"  # audio, video, source[src], track
    EMBED = "embed"  # iframe, object, embed
    FIELD = "field"  # a front-matter value


_KIND_OF_TAG = {
    "a": UrlKind.LINK,
    "area": UrlKind.LINK,
    "img": UrlKind.IMAGE,
    "video": UrlKind.MEDIA,
    "audio": UrlKind.MEDIA,
    "source": UrlKind.MEDIA,
    "track": UrlKind.MEDIA,
    "iframe": UrlKind.EMBED,
    "object": UrlKind.EMBED,
    "embed": UrlKind.EMBED,
}


def _kind(tag: str, attribute: str, srcset: bool) -> UrlKind:
    if attribute == "poster" or (srcset and tag == "source"):
        return UrlKind.IMAGE
    return _KIND_OF_TAG.get(tag, UrlKind.LINK)


@dataclass(frozen=True, slots=True)
class UrlRef:
    """One own-site URL as a resolver sees it."""

    url: str  # as written
    local: LocalUrl  # where on the old site it points
    kind: UrlKind
    tag: str = ""  # the element's tag ("" for a front-matter field)
    attribute: str = ""  # the attribute, or the front-matter key
    srcset: bool = False  # one candidate of a srcset (its descriptor stays as it is)
    page: str = ""  # the old URL of the item the URL is in


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A resolver's answer: the URL is known, but has no new place."""

    reason: str


@dataclass(frozen=True, slots=True)
class Follow:
    """A resolver's answer: ask the chain for ``url`` instead (once); unanswered, it is the new URL."""

    url: str


class Resolver(Protocol):
    """Anything with ``resolve(ref) -> str | Follow | Unresolved | None``."""

    def resolve(self, ref: UrlRef) -> str | Follow | Unresolved | None: ...


@dataclass(frozen=True, slots=True)
class Resolution:
    """What the chain made of one URL: ``url`` is the one to write (the old one when
    unresolved); ``reason`` is set when unresolved; ``own`` is False for other sites."""

    url: str
    own: bool = True
    reason: str | None = None

    @property
    def resolved(self) -> bool:
        return self.own and self.reason is None


@dataclass
class UrlCounts:
    """The own-site URLs of one item: rewritten, kept as they were, and unresolved (each
    URL listed once with its reason, ``count`` times seen)."""

    rewritten: int = 0
    kept: int = 0
    unresolved: int = 0
    unresolved_urls: list[dict[str, str]] = field(default_factory=list)

    def add(self, old: str, res: Resolution) -> None:
        if not res.own:
            return
        if res.reason is not None:
            self.unresolved += 1
            if not any(u["url"] == old for u in self.unresolved_urls):
                self.unresolved_urls.append({"url": old, "reason": res.reason})
        elif res.url != old:
            self.rewritten += 1
        else:
            self.kept += 1

    def update(self, other: UrlCounts) -> None:
        self.rewritten += other.rewritten
        self.kept += other.kept
        self.unresolved += other.unresolved
        for u in other.unresolved_urls:
            if not any(v["url"] == u["url"] for v in self.unresolved_urls):
                self.unresolved_urls.append(dict(u))


class UrlRewriter:
    """The chain of resolvers over the old site's hosts; :meth:`rewrite_tree` and
    :meth:`rewrite_fields` are the step, :meth:`resolve` answers one URL."""

    def __init__(self, hosts: SiteHosts, resolvers: Iterable[Resolver] = ()) -> None:
        self.hosts = hosts
        self.resolvers: list[Resolver] = list(resolvers)

    def register(self, resolver: Resolver, *, first: bool = False) -> None:
        """Add a resolver at the end of the chain (``first``: at its start)."""
        if first:
            self.resolvers.insert(0, resolver)
        else:
            self.resolvers.append(resolver)

    def _ask(self, ref: UrlRef) -> str | Follow | Unresolved | None:
        for resolver in self.resolvers:
            answer = resolver.resolve(ref)
            if answer is not None:
                return answer
        return None

    def resolve(
        self,
        url: str,
        *,
        page: str = "",
        kind: UrlKind = UrlKind.LINK,
        tag: str = "",
        attribute: str = "",
        srcset: bool = False,
    ) -> Resolution:
        """The new URL for ``url`` (found in the item whose old URL is ``page``)."""
        local = self.hosts.local(url, page)
        if local is None:
            return Resolution(url, own=False)
        ref = UrlRef(url.strip(), local, kind, tag, attribute, srcset, page)
        answer = self._ask(ref)
        if isinstance(answer, Follow):
            followed = self.hosts.local(answer.url, page)
            again = None
            if followed is not None:
                again = self._ask(UrlRef(answer.url, followed, kind, tag, attribute, srcset, page))
            if isinstance(again, str):
                return Resolution(again)
            if isinstance(again, Unresolved):
                return Resolution(url, reason=again.reason)
            return Resolution(answer.url)  # unanswered or followed again: the URL it names
        if isinstance(answer, str):
            return Resolution(answer)
        if isinstance(answer, Unresolved):
            return Resolution(url, reason=answer.reason)
        return Resolution(url, reason=NO_ANSWER)

    def rewrite_tree(self, root, *, page: str = "") -> UrlCounts:
        """Rewrite every URL-bearing attribute under ``root`` (an lxml element) in place."""
        counts = UrlCounts()
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            attrs = url_attributes(el)
            if not attrs:
                continue
            tag = tag_of(el)
            for name, is_srcset in attrs:
                value = el.get(name) or ""
                if is_srcset:
                    changed = False
                    candidates = []
                    for url, descriptor in srcset_candidates(value):
                        res = self.resolve(url, page=page, kind=_kind(tag, name, True), tag=tag, attribute=name)
                        counts.add(url, res)
                        changed = changed or res.url != url
                        candidates.append((res.url, descriptor))
                    if changed:
                        el.set(name, join_srcset(candidates))
                else:
                    res = self.resolve(value, page=page, kind=_kind(tag, name, False), tag=tag, attribute=name)
                    counts.add(value.strip(), res)
                    if res.own and res.url != value.strip():
                        el.set(name, res.url)
        return counts

    def rewrite_fields(
        self, fields: dict[str, Any], *, page: str = "", keys: Sequence[str] = FRONT_MATTER_URLS
    ) -> UrlCounts:
        """Rewrite the URL-valued front-matter ``fields`` (``keys``) in place."""
        counts = UrlCounts()
        for key in keys:
            value = fields.get(key)
            if isinstance(value, str):
                res = self.resolve(value, page=page, kind=UrlKind.FIELD, attribute=key)
                counts.add(value.strip(), res)
                if res.own:
                    fields[key] = res.url
            elif isinstance(value, list):
                new = []
                for v in value:
                    if isinstance(v, str):
                        res = self.resolve(v, page=page, kind=UrlKind.FIELD, attribute=key)
                        counts.add(v.strip(), res)
                        new.append(res.url if res.own else v)
                    else:
                        new.append(v)
                fields[key] = new
        return counts
