"""Streaming reader: a WordPress export (WXR) file → :class:`Site` + :class:`Item` s.

The file is read with ``lxml.etree.iterparse``; every direct child of
``<channel>`` is handled at its ``end`` event and then freed (``clear`` plus
deleting the siblings before it), so memory does not grow with the number of
items (lxml's documented streaming discipline).

Namespaces are recognised by URI, whatever prefix the file uses: WXR 1.0, 1.1
and 1.2 (``http(s)://wordpress.org/export/1.x/`` and its ``excerpt/`` twin),
``content:`` and ``dc:``. Elements in any other namespace are ignored, so a
``<wp:author xmlns:wp="http://example.com/fake/">`` is not an author.

Strings are taken exactly as stored: adjacent CDATA sections join (WordPress
escapes ``]]>`` in content as ``]]]]><![CDATA[>``), backslashes and entities
inside CDATA stay untouched, blank lines are kept.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from wpmigrate.errors import MalformedExportError, NotAnExportError, UsageError
from wpmigrate.model import Author, Comment, Item, ItemTerm, Meta, Site, Term
from wpmigrate.repair import SENTINEL, Repairs, RepairingStream

_WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/excerpt/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
_VERSION = re.compile(r"^\d+\.\d+$")
_UNDECLARED = re.compile(r"Namespace prefix (\S+) (?:on|for) \S+ (?:on \S+ )?is not defined")


def _ns_kind(tag: str) -> tuple[str, str]:
    """Split a Clark-notation tag into (kind, local name).

    kind is "wp", "excerpt", "content", "dc", "" (no namespace) or "other".
    """
    if tag[:1] != "{":
        return "", tag
    uri, _, local = tag[1:].partition("}")
    if uri == CONTENT_NS:
        return "content", local
    if uri == DC_NS:
        return "dc", local
    if _WP_NS.match(uri):
        return "wp", local
    if _EXCERPT_NS.match(uri):
        return "excerpt", local
    return "other", local


def _text(el: etree._Element) -> str:
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


def _children(el: etree._Element) -> Iterator[tuple[str, str, etree._Element]]:
    for child in el:
        if isinstance(child.tag, str):
            kind, local = _ns_kind(child.tag)
            yield kind, local, child


def _int(value: str, default: int = 0) -> int:
    number = _opt_int(value)
    return default if number is None else number


def _opt_int(value: str) -> int | None:
    value = value.strip()
    try:
        return int(value)
    except ValueError:
        return None


def parse_local_date(value: str) -> datetime | None:
    """``2024-03-01 12:00:00`` → naive datetime; ``0000-00-00 00:00:00`` or junk → None."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def _gmt(value: str) -> datetime | None:
    d = parse_local_date(value)
    return d.replace(tzinfo=timezone.utc) if d else None


def _rfc822(value: str) -> datetime | None:
    try:
        d = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return d


class Export:
    """A WordPress export opened for streaming.

    ``site`` is read from the channel header (everything before the first
    ``<item>``); iterating yields the items in file order. A path can be
    iterated any number of times; a file object once (or again if seekable).
    Warnings that belong to no item collect in ``warnings``.
    """

    def __init__(self, source: str | os.PathLike[str] | BinaryIO) -> None:
        if isinstance(source, (str, os.PathLike)):
            self.path: str | None = os.fspath(source)
            self._file: BinaryIO | None = None
            self.name = self.path
            _check_path(self.path)
        elif hasattr(source, "read"):
            self.path = None
            self._file = source
            self.name = getattr(source, "name", "<stream>")
            if not isinstance(self.name, str):
                self.name = "<stream>"
        else:
            raise UsageError(f"read_export() takes a path or a binary file, not {type(source).__name__}")
        self._repairs = Repairs()
        self._site: Site | None = None
        self._pending: list[Item] = []  # items read while looking for the header
        self._gen: Iterator[Item] | None = None
        self._started = False
        self.warnings: list[str] = []

    # -- public ----------------------------------------------------------------

    @property
    def site(self) -> Site:
        if self._site is None:
            gen = self._iter_items()
            self._gen = gen
            for item in gen:
                self._pending.append(item)
                break
            if self._site is None:  # no items at all: header was complete at the end
                raise NotAnExportError("this is not a WordPress export (no <channel>)", path=self.name)
        return self._site

    def __iter__(self) -> Iterator[Item]:
        if self._gen is not None:
            gen, self._gen = self._gen, None
            pending, self._pending = self._pending, []
            yield from pending
            yield from gen
            return
        yield from self._iter_items()

    # -- parsing ---------------------------------------------------------------

    def _open(self) -> BinaryIO:
        if self.path is not None:
            try:
                return open(self.path, "rb")
            except OSError as exc:
                raise UsageError(f"cannot open the export: {exc.strerror}", path=self.path) from exc
        assert self._file is not None
        if self._started:
            if not (hasattr(self._file, "seekable") and self._file.seekable()):
                raise UsageError("this export stream was already read and cannot be rewound", path=self.name)
            self._file.seek(0)
        self._started = True
        return self._file

    def _iter_items(self) -> Iterator[Item]:
        """Yield items; restart with extra repairs when a strict parse fails for a repairable reason."""
        done = 0
        while True:
            emitted = 0
            try:
                for item in self._parse_once():
                    emitted += 1
                    if emitted > done:
                        done = emitted
                        yield item
                return
            except _Restart:
                continue

    def _parse_once(self) -> Iterator[Item]:
        raw = self._open()
        close = self.path is not None
        stream = RepairingStream(raw, self._repairs)
        parser_events = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
            remove_comments=False,
            remove_pis=True,
        )
        reader = _ChannelReader(self, stream)
        try:
            yield from reader.run(parser_events)
            if stream.dropped_doctype:
                self._warn_once(
                    "ignored the export's DOCTYPE: WordPress writes none, and the entities it declares are not expanded"
                )
            if stream.recoded:
                self._warn_once(
                    f"{stream.recoded} byte(s) were not valid {stream.encoding} and were read as Windows-1252"
                )
        except etree.XMLSyntaxError as exc:
            msg = str(exc.msg) if getattr(exc, "msg", None) else str(exc)
            m = _UNDECLARED.search(msg)
            if m and m.group(1) not in self._repairs.undeclared_prefixes and self._restartable():
                self._repairs.undeclared_prefixes.add(m.group(1))
                raise _Restart() from None
            if "']]>' not allowed" in msg and not self._repairs.nested_cdata and self._restartable():
                self._repairs.nested_cdata = True
                raise _Restart() from None
            line, col = exc.position if getattr(exc, "position", None) else (exc.lineno, None)
            reason = re.sub(r",? line \d+, column \d+.*$", "", msg).strip()
            if reader.root_tag is None:
                raise NotAnExportError(
                    f"this is not a WordPress export: the file is not XML ({reason})",
                    path=self.name, line=line, column=col,
                ) from None
            if reader.site_done and reader.items_seen:
                raise MalformedExportError(
                    f"the export is malformed after {reader.items_seen} complete item(s): {reason}",
                    path=self.name, line=line, column=col,
                ) from None
            raise MalformedExportError(
                f"the export is malformed: {reason}", path=self.name, line=line, column=col
            ) from None
        finally:
            if close:
                raw.close()

    def _warn_once(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _restartable(self) -> bool:
        return self.path is not None or (hasattr(self._file, "seekable") and self._file.seekable())


class _Restart(Exception):
    pass


def _check_path(path: str) -> None:
    if not os.path.exists(path):
        raise NotAnExportError("no such file", path=path)
    if os.path.isdir(path):
        raise NotAnExportError("this is a directory, not a WordPress export file", path=path)
    if os.path.getsize(path) == 0:
        raise NotAnExportError("this is not a WordPress export: the file is empty", path=path)


class _ChannelReader:
    """Walks the parse events of one pass and builds the model."""

    def __init__(self, export: Export, stream: RepairingStream) -> None:
        self.export = export
        self.stream = stream
        self.root_tag: str | None = None
        self.channel: etree._Element | None = None
        self.site_done = False
        self.items_seen = 0
        self._controls_seen = 0
        # header pieces
        self.header: dict[str, str] = {}
        self.authors: list[Author] = []
        self.categories: list[Term] = []
        self.tags: list[Term] = []
        self.terms: list[Term] = []

    def run(self, events: etree.iterparse) -> Iterator[Item]:
        depth = 0
        for event, el in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    self.root_tag = el.tag
                    if el.tag != "rss":
                        raise NotAnExportError(
                            f"this is not a WordPress export: the root element is <{_local(el.tag)}>, not <rss>",
                            path=self.export.name, line=el.sourceline,
                        )
                elif depth == 2 and el.tag == "channel" and self.channel is None:
                    self.channel = el
                continue
            depth -= 1
            if depth != 2 or el.getparent() is not self.channel or self.channel is None:
                continue
            item = self._handle(el)
            # free what we have handled (lxml iterparse streaming discipline)
            el.clear(keep_tail=True)
            while el.getprevious() is not None:
                del self.channel[0]
            if item is not None:
                self.items_seen += 1
                yield item
        if self.channel is None:
            raise NotAnExportError(
                "this is not a WordPress export: there is no <channel> in the <rss> feed", path=self.export.name
            )
        # Authors and terms may stand after the items (WordPress's parser reads
        # them wherever they are): the complete Site replaces the header one.
        self.site_done = False
        self._finish_site()

    # -- header ------------------------------------------------------------------

    def _handle(self, el: etree._Element) -> Item | None:
        if not isinstance(el.tag, str):
            return None
        kind, local = _ns_kind(el.tag)
        if kind == "" and local == "item":
            self._finish_site()
            return self._item(el)
        if kind == "" and local in ("title", "link", "description", "language", "generator"):
            self.header.setdefault(local, _text(el).strip())
        elif kind == "wp":
            if local in ("wxr_version", "base_site_url", "base_blog_url"):
                self.header.setdefault(local, _text(el).strip())
            elif local in ("author", "wp_author"):
                self.authors.append(self._author(el))
            elif local == "category":
                self.categories.append(self._term(el, "category"))
            elif local == "tag":
                self.tags.append(self._term(el, "post_tag"))
            elif local == "term":
                self.terms.append(self._term(el, None))
        return None

    def _finish_site(self) -> None:
        if self.site_done:
            return
        version = self.header.get("wxr_version", "")
        if not version:
            raise NotAnExportError(
                "this does not appear to be a WordPress export: the WXR version (<wp:wxr_version>) is missing",
                path=self.export.name,
            )
        if not _VERSION.match(version):
            raise NotAnExportError(
                f"this does not appear to be a WordPress export: invalid WXR version {version!r}",
                path=self.export.name,
            )
        self.site_done = True
        self.export._site = Site(
            title=self.header.get("title", ""),
            link=self.header.get("link", ""),
            description=self.header.get("description", ""),
            language=self.header.get("language", ""),
            base_site_url=self.header.get("base_site_url", ""),
            base_blog_url=self.header.get("base_blog_url", ""),
            wxr_version=version,
            generator=self.header.get("generator", ""),
            authors=tuple(self.authors),
            categories=tuple(self.categories),
            tags=tuple(self.tags),
            terms=tuple(self.terms),
        )

    def _author(self, el: etree._Element) -> Author:
        f: dict[str, str] = {}
        for kind, local, child in _children(el):
            if kind == "wp":
                f.setdefault(local, _text(child).strip())
        return Author(
            id=_opt_int(f.get("author_id", "")),
            login=f.get("author_login", ""),
            email=f.get("author_email", ""),
            display_name=f.get("author_display_name", ""),
            first_name=f.get("author_first_name", ""),
            last_name=f.get("author_last_name", ""),
        )

    def _term(self, el: etree._Element, taxonomy: str | None) -> Term:
        f: dict[str, str] = {}
        meta: list[Meta] = []
        for kind, local, child in _children(el):
            if kind == "wp":
                if local == "termmeta":
                    meta.append(self._meta(child))
                else:
                    f.setdefault(local, _text(child))
        if taxonomy == "category":
            return Term(
                id=_opt_int(f.get("term_id", "")),
                taxonomy="category",
                slug=unquote(f.get("category_nicename", "").strip()),
                name=f.get("cat_name", ""),
                parent=unquote(f.get("category_parent", "").strip()),
                description=f.get("category_description", ""),
                meta=tuple(meta),
            )
        if taxonomy == "post_tag":
            return Term(
                id=_opt_int(f.get("term_id", "")),
                taxonomy="post_tag",
                slug=unquote(f.get("tag_slug", "").strip()),
                name=f.get("tag_name", ""),
                description=f.get("tag_description", ""),
                meta=tuple(meta),
            )
        return Term(
            id=_opt_int(f.get("term_id", "")),
            taxonomy=f.get("term_taxonomy", "").strip(),
            slug=unquote(f.get("term_slug", "").strip()),
            name=f.get("term_name", ""),
            parent=unquote(f.get("term_parent", "").strip()),
            description=f.get("term_description", ""),
            meta=tuple(meta),
        )

    # -- items -------------------------------------------------------------------

    def _item(self, el: etree._Element) -> Item:
        f: dict[str, str] = {}
        terms: list[ItemTerm] = []
        meta: list[Meta] = []
        comments: list[Comment] = []
        creator = ""
        pub_date = ""
        for kind, local, child in _children(el):
            if kind == "":
                if local == "category":
                    nicename = child.get("nicename")
                    # WXR 1.0 repeats each category without nicename; WordPress's
                    # parser keeps only the ones that carry it.
                    if nicename is not None:
                        domain = child.get("domain") or "category"
                        if domain == "tag":
                            domain = "post_tag"
                        terms.append(ItemTerm(domain, unquote(nicename), _text(child)))
                elif local in ("title", "link", "guid"):
                    f.setdefault(local, _text(child))
                elif local == "pubDate":
                    pub_date = _text(child)
            elif kind == "dc" and local == "creator":
                creator = creator or _text(child)
            elif kind == "content" and local == "encoded":
                f.setdefault("content", _text(child))
            elif kind == "excerpt" and local == "encoded":
                f.setdefault("excerpt", _text(child))
            elif kind == "wp":
                if local == "postmeta":
                    meta.append(self._meta(child))
                elif local == "comment":
                    comments.append(self._comment(child))
                else:
                    f.setdefault(local, _text(child))
        warnings: list[str] = []
        raw_id = f.get("post_id", "").strip()
        item_id = _opt_int(raw_id)
        if item_id is None:
            warnings.append(f"item at line {el.sourceline} has no valid post id ({raw_id!r})")
            item_id = 0
        date = parse_local_date(f.get("post_date", ""))
        if date is None and pub_date:
            d = _rfc822(pub_date)
            if d is not None:
                date = d.replace(tzinfo=None) if d.tzinfo is None else d.astimezone(timezone.utc).replace(tzinfo=None)
        item = Item(
            id=item_id,
            type=f.get("post_type", "").strip() or "post",
            status=f.get("status", "").strip() or "publish",
            title=f.get("title", ""),
            slug=unquote(f.get("post_name", "").strip()),
            link=f.get("link", "").strip(),
            guid=f.get("guid", "").strip(),
            date=date,
            date_gmt=_gmt(f.get("post_date_gmt", "")),
            modified=parse_local_date(f.get("post_modified", "")),
            modified_gmt=_gmt(f.get("post_modified_gmt", "")),
            author=creator.strip(),
            content=f.get("content", ""),
            excerpt=f.get("excerpt", ""),
            parent=_int(f.get("post_parent", "0")),
            menu_order=_int(f.get("menu_order", "0")),
            password=f.get("post_password", ""),
            sticky=f.get("is_sticky", "0").strip() == "1",
            terms=tuple(terms),
            meta=tuple(meta),
            comments=tuple(comments),
            attachment_url=f.get("attachment_url", "").strip(),
            line=el.sourceline,
            warnings=tuple(warnings),
        )
        # The stream reads ahead, so a replaced character counted there may
        # belong to a later item: keep looking until every one is attributed.
        if self.stream.controls > self._controls_seen:
            item, found = _strip_sentinels(item)
            self._controls_seen += found
        return item

    def _meta(self, el: etree._Element) -> Meta:
        f: dict[str, str] = {}
        for kind, local, child in _children(el):
            if kind == "wp":
                f.setdefault(local, _text(child))
        return Meta(f.get("meta_key", ""), f.get("meta_value", ""))

    def _comment(self, el: etree._Element) -> Comment:
        f: dict[str, str] = {}
        meta: list[Meta] = []
        for kind, local, child in _children(el):
            if kind == "wp":
                if local == "commentmeta":
                    meta.append(self._meta(child))
                else:
                    f.setdefault(local, _text(child))
        return Comment(
            id=_int(f.get("comment_id", "0")),
            author=f.get("comment_author", ""),
            author_email=f.get("comment_author_email", ""),
            author_url=f.get("comment_author_url", ""),
            author_ip=f.get("comment_author_IP", ""),
            date=parse_local_date(f.get("comment_date", "")),
            date_gmt=_gmt(f.get("comment_date_gmt", "")),
            content=f.get("comment_content", ""),
            approved=f.get("comment_approved", "1").strip(),
            type=f.get("comment_type", "").strip(),
            parent=_int(f.get("comment_parent", "0")),
            user_id=_int(f.get("comment_user_id", "0")),
            meta=tuple(meta),
        )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else "?"


def _strip_sentinels(item: Item) -> tuple[Item, int]:
    """Remove forbidden-character placeholders from every string of an item, with one warning."""
    count = 0

    def clean(value):  # noqa: ANN001, ANN202 - recursive over the model's shapes
        nonlocal count
        if isinstance(value, str):
            if SENTINEL in value:
                count += value.count(SENTINEL)
                return value.replace(SENTINEL, "")
            return value
        if isinstance(value, tuple):
            return tuple(clean(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        return value

    cleaned = clean(item)
    if count:
        cleaned = dataclasses.replace(
            cleaned,
            warnings=cleaned.warnings
            + (f"dropped {count} character(s) that XML does not allow (control characters) from item {item.id}",),
        )
    return cleaned, count


def read_export(source: str | os.PathLike[str] | BinaryIO) -> Export:
    """Open a WordPress export for streaming: ``export.site`` and ``for item in export``.

    Raises :class:`~wpmigrate.errors.NotAnExportError` for anything that is not
    a WordPress export and :class:`~wpmigrate.errors.MalformedExportError` where
    the file breaks (after yielding every item complete before the break).
    """
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    return Export(source)
