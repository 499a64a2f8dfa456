"""What the first pass files about the old site's URLs, for the resolvers and the redirects.

As the planner places each item it learns where the item's old URLs lead now:
its permalink path, ``?p=ID`` (and ``?page_id=ID`` for a page), the paths
under its old slugs; an attachment's page leads to its file; a term's archive
(``/category/reisen/``, ``?cat=7``, ``?tag=see``) to the generator's page for
the term, when it builds one. Each goes to the index's link table
(``Index.links``, read by :mod:`wpmigrate.links.internal` in the workers)
and, where the URL changes, to the redirect table. An item that is not
converted (a draft without ``--drafts``, a private post, a skipped type) is
filed too, with the reason, so a link to it is reported and never pointed at
a page that does not exist.

The first claim of a path wins, as in the planner: a current permalink is
claimed in file order, before any old slug (WordPress only looks old slugs up
when a request finds nothing), and an item written beats one that is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from wpmigrate.fields import taxonomy_key
from wpmigrate.layouts.base import Layout, url_path
from wpmigrate.links.keys import id_key, old_slug_paths, path_key, term_archive_paths, term_key
from wpmigrate.model import Index, LinkTarget, TargetKind, Term
from wpmigrate.store import RedirectTable

__all__ = ["SiteLinks"]

DRAFT = "the item it links to is a draft, pending or scheduled: it is not published"
NO_PATH = "the item it links to has no URL path of its own (its old URL is a ?p= link)"
NO_TERM_PAGE = "no published item has this term: no page is built for it"


def base_path(base_url: str) -> str:
    """The path the site lives under (``/blog``; ``""`` at the root), decoded."""
    return unquote(urlsplit(base_url).path).rstrip("/") if base_url else ""


class SiteLinks:
    """Files the old URLs of the items as the planner places them (main process only)."""

    def __init__(self, index: Index, redirects: RedirectTable, layout: Layout, base_url: str) -> None:
        self.links = index.links
        self.redirects = redirects
        self.layout = layout
        self.base_url = base_url
        self.prefix = base_path(base_url)
        self.used: dict[tuple[str, str], str] = {}  # (taxonomy, slug) of published items -> name
        self.old: list[tuple[str, LinkTarget]] = []  # old slugs' paths, filed once every item is

    def _put(self, key: str | None, target: LinkTarget, *, force: bool = False) -> None:
        if key is None:
            return
        existing = self.links.get(key)
        # the first claim wins, but a place beats "no place" (an item written beats one that is not)
        if force or existing is None or (existing.target is None and target.target is not None):
            self.links[key] = target

    def _old_path(self, link: str) -> str | None:
        return url_path(link, self.base_url)

    def written(
        self, item_id: int, post_type: str, link: str, built: str | None, draft: bool, old_slugs: Iterable[str]
    ) -> None:
        """An item that is written: ``built`` is the URL path its generator builds it at
        (None: the plain layout, which keeps the old permalink path)."""
        old = self._old_path(link)
        new = built if self.layout.keeps_urls else old
        if draft:
            target = LinkTarget(None, TargetKind.PAGE, DRAFT)
        elif new is None:
            target = LinkTarget(None, TargetKind.PAGE, NO_PATH)
        else:
            target = LinkTarget(self.prefix + new, TargetKind.PAGE)
        self._put(id_key(item_id), target, force=True)
        self._put(path_key(old) if old else None, target)
        for path in old_slug_paths(old, old_slugs):
            self.old.append((path, target))
        if target.target is None:
            return
        self.redirects.built(target.target)
        if old is not None:
            self.redirects.add(self.prefix + old, target.target, TargetKind.PAGE)
        self.redirects.add(f"{self.prefix}/?p={item_id}", target.target, TargetKind.PAGE)
        if post_type == "page":
            self.redirects.add(f"{self.prefix}/?page_id={item_id}", target.target, TargetKind.PAGE)

    def attachment(self, item_id: int, link: str, url: str) -> None:
        """An attachment: its page leads to its file."""
        if not url:
            target = LinkTarget(None, TargetKind.FILE, "the attachment has no file URL in the export")
        else:
            target = LinkTarget(url, TargetKind.FILE)
        self._put(id_key(item_id), target, force=True)
        old = self._old_path(link)
        self._put(path_key(old) if old else None, target)
        if target.target is not None:
            if old is not None:
                self.redirects.add(self.prefix + old, target.target, TargetKind.FILE)
            self.redirects.add(f"{self.prefix}/?attachment_id={item_id}", target.target, TargetKind.FILE)

    def not_converted(self, item_id: int, link: str, reason: str) -> None:
        """An item that is not written (a draft without ``--drafts``, a private post …)."""
        target = LinkTarget(None, TargetKind.PAGE, f"the item it links to is not converted: {reason}")
        self._put(id_key(item_id), target)
        old = self._old_path(link)
        self._put(path_key(old) if old else None, target)

    def terms_used(self, terms: Iterable[tuple[str, str, str]]) -> None:
        """The terms of a published item that is written: ``(taxonomy, slug, name)``."""
        for taxonomy, slug, name in terms:
            self.used.setdefault((taxonomy, unquote(slug).casefold()), name)

    def finish(self, terms: Iterable[Term] = ()) -> None:
        """File the old slugs' paths and the terms' archives (``terms``: the export's declared ones)."""
        for path, target in self.old:
            self._put(path_key(path), target)
            if target.target is not None:
                self.redirects.add(self.prefix + path, target.target, TargetKind.PAGE)
        self.old.clear()
        declared: dict[tuple[str, str], Term] = {}
        for t in terms:
            if t.slug:
                declared.setdefault((t.taxonomy, unquote(t.slug).casefold()), t)
        for taxonomy, slug in sorted(set(declared) | set(self.used)):
            term = declared.get((taxonomy, slug))
            self._term(taxonomy, term.slug if term else slug, term, declared)

    def _term(self, taxonomy: str, slug: str, term: Term | None, declared: dict[tuple[str, str], Term]) -> None:
        key = (taxonomy, unquote(slug).casefold())
        url = None
        if key in self.used:
            url = self.layout.term_url(taxonomy_key(taxonomy), self.used[key])
            reason = None if url else f"the {self.layout.name} layout builds no pages for terms"
        else:
            reason = NO_TERM_PAGE
        target = LinkTarget(self.prefix + url if url else None, TargetKind.TERM, reason)
        self._put(term_key(taxonomy, slug), target, force=True)
        for path in term_archive_paths(taxonomy, slug, _ancestors(taxonomy, term, declared)):
            self._put(path_key(path), target)
            if target.target is not None:
                self.redirects.add(self.prefix + path, target.target, TargetKind.TERM)


def _ancestors(taxonomy: str, term: Term | None, declared: dict[tuple[str, str], Term]) -> list[str]:
    """The slugs of a term's parents, outermost first (as the channel declares them)."""
    chain: list[str] = []
    seen: set[str] = set()
    parent = term.parent if term is not None else ""
    while parent and parent.casefold() not in seen:
        seen.add(parent.casefold())
        chain.append(parent)
        up = declared.get((taxonomy, unquote(parent).casefold()))
        parent = up.parent if up is not None else ""
    return list(reversed(chain))
