"""Parsed WXR elements → the model's dataclasses (items, authors, terms, the site).

Namespaces are recognised by URI, whatever prefix the file uses: WXR 1.0, 1.1
and 1.2 (``http(s)://wordpress.org/export/1.x/`` and its ``excerpt/`` twin),
``content:`` and ``dc:``. Elements in any other namespace are ignored, so a
``<wp:author xmlns:wp="http://example.com/fake/">`` is not an author.

A field written twice takes its last value: WordPress's importer assigns each
field when its closing tag is read (``WXREntityReader`` sets
``$entity_data[ $key ]`` at every closer, ``WXR_Parser_XML::tag_close`` does the
same), so with ``<wp:post_id>1</wp:post_id><alt:post_id>999</alt:post_id>``
(both in the WXR namespace) the post is 999. Repeatable elements (categories,
postmeta, comments, termmeta, commentmeta, authors, terms) are all kept.

Strings are taken exactly as stored: adjacent CDATA sections join (WordPress
escapes ``]]>`` in content as ``]]]]><![CDATA[>``), backslashes and entities
inside CDATA stay untouched, blank lines are kept.
"""

from __future__ import annotations

import re
from datetime import UTC
from urllib.parse import unquote

from lxml import etree

from wpmigrate.model import Author, Comment, Item, ItemTerm, Meta, Site, Term
from wpmigrate.wxr.dates import parse_gmt_date, parse_local_date, parse_rfc822

_WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/excerpt/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
VERSION = re.compile(r"^\d+\.\d+$")

_KINDS: dict[str, tuple[str, str]] = {}
_KINDS_MAX = 4096  # a hostile file may invent any number of tags


def ns_kind(tag: str) -> tuple[str, str]:
    """Split a Clark-notation tag into (kind, local name).

    kind is "wp", "excerpt", "content", "dc", "" (no namespace) or "other".
    """
    known = _KINDS.get(tag)
    if known is not None:
        return known
    if tag[:1] != "{":
        kind, local = "", tag
    else:
        uri, _, local = tag[1:].partition("}")
        if uri == CONTENT_NS:
            kind = "content"
        elif uri == DC_NS:
            kind = "dc"
        elif _WP_NS.match(uri):
            kind = "wp"
        elif _EXCERPT_NS.match(uri):
            kind = "excerpt"
        else:
            kind = "other"
    if len(_KINDS) < _KINDS_MAX:
        _KINDS[tag] = (kind, local)
    return kind, local


def text(el: etree._Element) -> str:
    """The element's content exactly as stored.

    A content element normally holds only text or CDATA. Some broken exporters
    put raw HTML inside without CDATA; then the children are serialised back so
    nothing is lost.
    """
    if len(el) == 0:
        return el.text or ""
    parts = [el.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode", with_tail=True) for child in el)
    return "".join(parts)


def _opt_int(value: str) -> int | None:
    try:
        return int(value.strip())
    except ValueError:
        return None


def _int(value: str, default: int = 0) -> int:
    number = _opt_int(value)
    return default if number is None else number


def _wp_fields(el: etree._Element) -> dict[str, str]:
    fields: dict[str, str] = {}
    kinds = _KINDS
    for child in el:
        tag = child.tag
        if type(tag) is str:
            kind, local = kinds.get(tag) or ns_kind(tag)
            if kind == "wp":
                fields[local] = (child.text or "") if not len(child) else text(child)
    return fields


def meta(el: etree._Element) -> Meta:
    f = _wp_fields(el)
    return Meta(f.get("meta_key", ""), f.get("meta_value", ""))


def _with_meta(el: etree._Element, meta_tag: str) -> tuple[dict[str, str], list[Meta]]:
    fields: dict[str, str] = {}
    metas: list[Meta] = []
    for child in el:
        tag = child.tag
        if type(tag) is str:
            kind, local = ns_kind(tag)
            if kind == "wp":
                if local == meta_tag:
                    metas.append(meta(child))
                else:
                    fields[local] = text(child)
    return fields, metas


def author(el: etree._Element) -> Author:
    f = {k: v.strip() for k, v in _wp_fields(el).items()}
    return Author(
        id=_opt_int(f.get("author_id", "")),
        login=f.get("author_login", ""),
        email=f.get("author_email", ""),
        display_name=f.get("author_display_name", ""),
        first_name=f.get("author_first_name", ""),
        last_name=f.get("author_last_name", ""),
    )


def term(el: etree._Element, taxonomy: str | None) -> Term:
    f, metas = _with_meta(el, "termmeta")
    term_id = _opt_int(f.get("term_id", ""))
    if taxonomy == "category":
        return Term(
            id=term_id,
            taxonomy="category",
            slug=unquote(f.get("category_nicename", "").strip()),
            name=f.get("cat_name", ""),
            parent=unquote(f.get("category_parent", "").strip()),
            description=f.get("category_description", ""),
            meta=tuple(metas),
        )
    if taxonomy == "post_tag":
        return Term(
            id=term_id,
            taxonomy="post_tag",
            slug=unquote(f.get("tag_slug", "").strip()),
            name=f.get("tag_name", ""),
            description=f.get("tag_description", ""),
            meta=tuple(metas),
        )
    return Term(
        id=term_id,
        taxonomy=f.get("term_taxonomy", "").strip(),
        slug=unquote(f.get("term_slug", "").strip()),
        name=f.get("term_name", ""),
        parent=unquote(f.get("term_parent", "").strip()),
        description=f.get("term_description", ""),
        meta=tuple(metas),
    )


def comment(el: etree._Element) -> Comment:
    f, metas = _with_meta(el, "commentmeta")
    return Comment(
        id=_int(f.get("comment_id", "0")),
        author=f.get("comment_author", ""),
        author_email=f.get("comment_author_email", ""),
        author_url=f.get("comment_author_url", ""),
        author_ip=f.get("comment_author_IP", ""),
        date=parse_local_date(f.get("comment_date", "")),
        date_gmt=parse_gmt_date(f.get("comment_date_gmt", "")),
        content=f.get("comment_content", ""),
        approved=f.get("comment_approved", "1").strip(),
        type=f.get("comment_type", "").strip(),
        parent=_int(f.get("comment_parent", "0")),
        user_id=_int(f.get("comment_user_id", "0")),
        meta=tuple(metas),
    )


_SKIP, _POSTMETA, _COMMENT, _CATEGORY = "skip", "postmeta", "comment", "category"
_PLAIN_FIELDS = {
    ("", "title"): "title",
    ("", "link"): "link",
    ("", "guid"): "guid",
    ("", "pubDate"): "pubDate",
    ("content", "encoded"): "content",
    ("excerpt", "encoded"): "excerpt",
    ("dc", "creator"): "creator",
    ("", "category"): _CATEGORY,
    ("wp", "postmeta"): _POSTMETA,
    ("wp", "comment"): _COMMENT,
}
_ITEM_ACTIONS: dict[str, str] = {}


def _item_action(tag: str) -> str:
    """What an item child with this tag is: a field's name, or one of the repeatable kinds, or nothing."""
    kind, local = ns_kind(tag)
    action = _PLAIN_FIELDS.get((kind, local)) or (local if kind == "wp" else _SKIP)
    if len(_ITEM_ACTIONS) < _KINDS_MAX:
        _ITEM_ACTIONS[tag] = action
    return action


def item(el: etree._Element, line: int | None, warnings: list[str]) -> Item:
    """The item element ``el`` (which starts at ``line`` of its file) as an :class:`Item`.

    ``warnings`` holds what the reader already noticed; one for a missing or
    invalid post id is added.
    """
    f: dict[str, str] = {}
    terms: list[ItemTerm] = []
    metas: list[Meta] = []
    comments: list[Comment] = []
    actions = _ITEM_ACTIONS
    for child in el:
        tag = child.tag
        if type(tag) is not str:
            continue
        action = actions.get(tag) or _item_action(tag)
        if action is _SKIP:
            continue
        if action is _POSTMETA:
            metas.append(meta(child))
        elif action is _COMMENT:
            comments.append(comment(child))
        elif action is _CATEGORY:
            nicename = child.get("nicename")
            # WXR 1.0 repeats each category without nicename; WordPress's
            # parser keeps only the ones that carry it.
            if nicename is not None:
                domain = child.get("domain") or "category"
                if domain == "tag":
                    domain = "post_tag"
                terms.append(ItemTerm(domain, unquote(nicename), text(child)))
        else:
            f[action] = (child.text or "") if not len(child) else text(child)
    raw_id = f.get("post_id", "").strip()
    item_id = _opt_int(raw_id)
    if item_id is None:
        warnings.append(f"item at line {line} has no valid post id ({raw_id!r})")
        item_id = 0
    date = parse_local_date(f.get("post_date", ""))
    pub_date = f.get("pubDate", "")
    if date is None and pub_date:
        d = parse_rfc822(pub_date)
        if d is not None:
            date = d.replace(tzinfo=None) if d.tzinfo is None else d.astimezone(UTC).replace(tzinfo=None)
    return Item(
        id=item_id,
        type=f.get("post_type", "").strip() or "post",
        status=f.get("status", "").strip() or "publish",
        title=f.get("title", ""),
        slug=unquote(f.get("post_name", "").strip()),
        link=f.get("link", "").strip(),
        guid=f.get("guid", "").strip(),
        date=date,
        date_gmt=parse_gmt_date(f.get("post_date_gmt", "")),
        modified=parse_local_date(f.get("post_modified", "")),
        modified_gmt=parse_gmt_date(f.get("post_modified_gmt", "")),
        author=f.get("creator", "").strip(),
        content=f.get("content", ""),
        excerpt=f.get("excerpt", ""),
        parent=_int(f.get("post_parent", "0")),
        menu_order=_int(f.get("menu_order", "0")),
        password=f.get("post_password", ""),
        sticky=f.get("is_sticky", "0").strip() == "1",
        terms=tuple(terms),
        meta=tuple(metas),
        comments=tuple(comments),
        attachment_url=f.get("attachment_url", "").strip(),
        line=line,
        warnings=tuple(warnings),
    )


def post_id(root: etree._Element | None) -> int | None:
    """The post id a lenient parse of a broken item could still read (the last one, as above)."""
    found = None
    if root is None:
        return None
    for el in root.iter():
        tag = el.tag
        if type(tag) is str and ns_kind(tag) == ("wp", "post_id"):
            parent = el.getparent()
            if parent is not None and type(parent.tag) is str and ns_kind(parent.tag) == ("", "item"):
                value = _opt_int(text(el))
                if value is not None:
                    found = value
    return found


class SiteParts:
    """The site's fields, authors and terms, gathered from channel children wherever they stand.

    WordPress's parsers read authors and terms anywhere in the channel, before
    or after the items; :meth:`site` builds the :class:`Site` of what was seen.
    """

    _HEADER = {
        ("", "title"),
        ("", "link"),
        ("", "description"),
        ("", "language"),
        ("", "generator"),
        ("wp", "wxr_version"),
        ("wp", "base_site_url"),
        ("wp", "base_blog_url"),
    }

    def __init__(self) -> None:
        self.header: dict[str, str] = {}
        self.authors: list[Author] = []
        self.categories: list[Term] = []
        self.tags: list[Term] = []
        self.terms: list[Term] = []

    def copy(self) -> SiteParts:
        other = SiteParts()
        other.header = dict(self.header)
        other.authors = list(self.authors)
        other.categories = list(self.categories)
        other.tags = list(self.tags)
        other.terms = list(self.terms)
        return other

    def add(self, channel: etree._Element) -> None:
        """Take what ``channel``'s element children hold (items are read elsewhere)."""
        for el in channel:
            self.add_child(el)

    def add_child(self, el: etree._Element) -> None:
        """Take what one child of ``<channel>`` holds."""
        tag = el.tag
        if type(tag) is not str:
            return
        key = ns_kind(tag)
        if key in self._HEADER:
            self.header[key[1]] = text(el).strip()
        elif key[0] != "wp":
            return
        elif key[1] in ("author", "wp_author"):
            self.authors.append(author(el))
        elif key[1] == "category":
            self.categories.append(term(el, "category"))
        elif key[1] == "tag":
            self.tags.append(term(el, "post_tag"))
        elif key[1] == "term":
            self.terms.append(term(el, None))

    def extend(self, other: SiteParts) -> None:
        """Add what a later stretch of the same file holds (the last value of a field wins)."""
        self.header.update(other.header)
        self.authors.extend(other.authors)
        self.categories.extend(other.categories)
        self.tags.extend(other.tags)
        self.terms.extend(other.terms)

    def merge(self, other: SiteParts) -> None:
        """Add another file of the same site (a zip of several exports repeats authors and terms)."""
        for name, value in other.header.items():
            self.header.setdefault(name, value)
        logins = {a.login for a in self.authors}
        self.authors.extend(a for a in other.authors if a.login not in logins)
        for mine, theirs in ((self.categories, other.categories), (self.tags, other.tags), (self.terms, other.terms)):
            seen = {(t.taxonomy, t.slug) for t in mine}
            mine.extend(t for t in theirs if (t.taxonomy, t.slug) not in seen)

    def site(self) -> Site:
        h = self.header
        return Site(
            title=h.get("title", ""),
            link=h.get("link", ""),
            description=h.get("description", ""),
            language=h.get("language", ""),
            base_site_url=h.get("base_site_url", ""),
            base_blog_url=h.get("base_blog_url", ""),
            wxr_version=h.get("wxr_version", ""),
            generator=h.get("generator", ""),
            authors=tuple(self.authors),
            categories=tuple(self.categories),
            tags=tuple(self.tags),
            terms=tuple(self.terms),
        )
