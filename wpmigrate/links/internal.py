"""The internal-link resolver: the old site's posts, pages, attachments and terms, in every spelling.

WordPress answers one post at many URLs: its permalink (and the permalinks of
its old slugs), ``?p=ID`` for any post type, ``?page_id=ID`` for pages,
``?attachment_id=ID`` for an attachment's page; a term at its archive
(``/category/reisen/``, ``/tag/see/``) and at ``?cat=ID``, ``?tag=slug``,
``?category_name=slug``, ``?taxonomy=genre&term=jazz``. The first pass filed
each of them in the index (:mod:`wpmigrate.links.plan`); this resolver looks a
URL's local form up there. The query arguments WordPress routes by are
dropped; any other query (``?utm_source=…``) and the fragment stay.

An attachment's page answers :class:`~wpmigrate.links.rewrite.Follow` with the
file's URL, so the media resolver (when media are copied) gives the file's
new place. What the first pass knows but cannot place (a draft, a term no
published item carries) is :class:`~wpmigrate.links.rewrite.Unresolved` with
the reason; a URL it does not know goes on down the chain.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote_plus

from wpmigrate.links.keys import id_key, path_key, term_key
from wpmigrate.links.plan import base_path
from wpmigrate.links.rewrite import Follow, Unresolved, UrlRef
from wpmigrate.model import Index, LinkTarget, Site, TargetKind

__all__ = ["InternalLinks", "ROUTING_QUERY"]

#: WordPress's public query variables (``WP::$public_query_vars``) and the ones a link
#: carries to reach a post (``preview``, ``post_type``): they name what is shown, so they
#: go with the old URL; any other argument is kept
ROUTING_QUERY = frozenset(
    (
        "m", "p", "posts", "w", "cat", "withcomments", "withoutcomments", "s", "search", "exact",
        "sentence", "calendar", "page", "paged", "more", "tb", "pb", "author", "order", "orderby",
        "year", "monthnum", "day", "hour", "minute", "second", "name", "category_name", "tag", "feed",
        "author_name", "pagename", "page_id", "error", "attachment", "attachment_id", "subpost",
        "subpost_id", "preview", "robots", "favicon", "taxonomy", "term", "cpage", "post_type",
        "embed", "preview_id", "preview_nonce", "static",
    )
)  # fmt: skip
#: the paths WordPress's front controller answers a query at
_FRONT = ("/", "/index.php")
#: the query variables that name one item by its id
_ID_VARS = ("p", "page_id", "attachment_id", "preview_id")
#: the query variables that name a term by its slug, and the taxonomy each means
_TERM_VARS = (("tag", "post_tag"), ("category_name", "category"))


class InternalLinks:
    """Resolves the old site's own URLs through the first pass's link table."""

    def __init__(self, site: Site, index: Index, base_url: str) -> None:
        self.links = index.links
        self.prefix = base_path(base_url)
        # term ids for ?cat=ID (the channel's terms, which the site holds anyway)
        self.term_ids = {
            t.id: (t.taxonomy, t.slug) for t in (*site.categories, *site.tags, *site.terms) if t.id is not None
        }

    def _lookup(self, below: str, args: list[tuple[str, str]]) -> LinkTarget | None | bool:
        """The target of a local URL; None when unknown; False when it is not this
        resolver's (a query WordPress routes by that names no item or term)."""
        routing = {k: v for k, v in args if k in ROUTING_QUERY}
        if not routing:
            if below in _FRONT:
                return LinkTarget(self.prefix + "/", TargetKind.PAGE)  # the home page
            key = path_key(below)
            return self.links.get(key) if key else None
        for var in _ID_VARS:
            # an id names its item whatever the path (WordPress's query variables from the
            # query string win over the ones the path gave)
            value = routing.get(var, "").strip()
            if value.isdigit():
                return self.links.get(id_key(int(value)))
        if below not in _FRONT:
            return False  # a filter on an archive (/category/x/?orderby=…): not one page
        cat = routing.get("cat", "").strip()
        if cat.isdigit() and int(cat) in self.term_ids:
            return self.links.get(term_key(*self.term_ids[int(cat)]))
        for var, taxonomy in _TERM_VARS:
            slug = routing.get(var, "").strip().strip("/").rsplit("/", 1)[-1]
            if slug:
                return self.links.get(term_key(taxonomy, slug))
        if routing.get("taxonomy") and routing.get("term"):
            return self.links.get(term_key(routing["taxonomy"], routing["term"]))
        if routing.get("pagename"):
            key = path_key("/" + routing["pagename"].strip("/") + "/")
            return self.links.get(key) if key else None
        return False

    def resolve(self, ref: UrlRef) -> str | Follow | Unresolved | None:
        local = ref.local
        raw_args = [part for part in local.query.split("&") if part] if local.query else []
        args = [(k, unquote_plus(v)) for k, v in parse_qsl(local.query, keep_blank_values=True)]
        found = self._lookup(local.below, args)
        if found is None or found is False:
            return None
        if found.target is None:
            return Unresolved(found.reason or "it has no place on the new site")
        if found.kind == TargetKind.FILE:
            return Follow(found.target)
        kept = [part for part in raw_args if unquote_plus(part.split("=", 1)[0]) not in ROUTING_QUERY]
        url = found.target
        if kept:
            url += "?" + "&".join(kept)
        if local.fragment:
            url += "#" + local.fragment
        return url
