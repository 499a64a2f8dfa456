"""An export opened for reading: its site, its items in file order, and what broke.

The header (XML declaration, comments, ``<rss>``, ``<channel>``, title,
``wp:wxr_version``, authors, terms … up to the first ``<item>``) is read
first: the prolog and the two start tags with a pull parser, the channel's
children like any other piece (``parse.py``). Then ``scan.py`` finds the items
and every item is parsed on its own. Authors and terms may also stand between
or after the items (WordPress's parsers read them wherever they are), so the
:class:`~wpmigrate.model.Site` is complete once iteration ends.

A broken item costs only itself: iteration goes on with the next one, as
WordPress's importer does when it falls back to its regex parser, and the
error is raised at the end.
"""

from __future__ import annotations

import bisect
import mmap
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from wpmigrate.errors import MalformedExportError, NotAnExportError
from wpmigrate.model import BrokenItem, Item, ItemRef, Site
from wpmigrate.wxr import repair, scan
from wpmigrate.wxr.fields import VERSION, SiteParts
from wpmigrate.wxr.loader import ItemLoader, PartSpec
from wpmigrate.wxr.parse import Breakage, PieceParser, Wrapper, pull_parser, undeclared_prefixes
from wpmigrate.wxr.source import Part, open_source

_RELEASE_EVERY = 1 << 20
_DOCTYPE_WARNING = "ignored the export's DOCTYPE: WordPress writes none, and the entities it declares are not expanded"


@dataclass
class _Header:
    """What the reader knows of one file after its header."""

    parser: PieceParser
    parts: SiteParts
    channel_end: int  # offset just after the <channel> start tag
    first_item: int  # offset of the first "<item", -1 when there is none
    line: int  # line and column at channel_end
    column: int
    breakage: Breakage | None  # the header's channel children could not all be read


class _Mapped:
    """A part's bytes for the scan: a read-only memory map, or the bytes themselves.

    Pages the scan has passed are handed back (``MADV_DONTNEED``), so the
    process's resident memory does not grow with the file.
    """

    def __init__(self, part: Part) -> None:
        self._map: mmap.mmap | None = None
        self._released = 0
        if part.data is not None:
            self.buf = part.data
        else:
            with open(part.path, "rb") as f:  # type: ignore[arg-type]
                self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            self.buf = self._map

    def release(self, upto: int) -> None:
        if self._map is None or upto - self._released < _RELEASE_EVERY or not hasattr(self._map, "madvise"):
            return
        upto -= upto % mmap.PAGESIZE
        self._map.madvise(mmap.MADV_DONTNEED, self._released, upto - self._released)
        self._released = upto

    def close(self) -> None:
        if self._map is not None:
            self._map.close()


@contextmanager
def _mapped(part: Part) -> Iterator[_Mapped]:
    mapped = _Mapped(part)
    try:
        yield mapped
    finally:
        mapped.close()


class Export:
    """A WordPress export opened for reading.

    ``site`` is read from the channel header and is complete once iteration
    ends; iterating yields the items in file order and raises
    :class:`MalformedExportError` at the end when some could not be read.
    ``entries()`` yields broken items too (as :class:`BrokenItem`) and never
    raises for them; ``refs()`` and ``loader`` let other processes parse items.
    Warnings that belong to no item collect in ``warnings``. An export can be
    iterated any number of times; ``close()`` (or a ``with`` block) removes the
    temporary files a compressed or streamed export needed.
    """

    def __init__(self, source: str | os.PathLike[str] | BinaryIO | bytes) -> None:
        self._source = open_source(source)
        self.name = self._source.name
        self.path: str | None = os.fspath(source) if isinstance(source, (str, os.PathLike)) else None
        self.warnings: list[str] = []
        for warning in self._source.warnings:
            self._warn(warning)
        #: after ``entries()`` is exhausted: the error iteration raises, or None
        self.error: MalformedExportError | None = None
        self._headers: list[_Header] | None = None
        self._site: Site | None = None
        self._loader: ItemLoader | None = None
        self._piece_breakages: list[tuple[int, Breakage]] = []
        self._first_ordinals: list[int] = []
        self._items = 0

    # -- public ----------------------------------------------------------------

    @property
    def site(self) -> Site:
        self._read_headers()
        assert self._site is not None
        return self._site

    @property
    def parts(self) -> tuple[Part, ...]:
        """The XML files the export was read as (one, unless a zip holds several): the
        file itself, or the UTF-8 XML a compressed or non-UTF-8 export was turned into."""
        return tuple(self._source.parts)

    @property
    def loader(self) -> ItemLoader:
        """Parses an item from its :class:`ItemRef`; picklable, for worker processes."""
        self._read_headers()
        assert self._loader is not None
        return self._loader

    def refs(self) -> Iterator[ItemRef]:
        """One :class:`ItemRef` per ``<item>`` (complete or not), in file order; parses no item."""
        return self._walk()

    def entries(self) -> Iterator[Item | BrokenItem]:
        """Every item in file order, a :class:`BrokenItem` where one cannot be read."""
        broken: list[BrokenItem] = []
        loader = self.loader
        for ref in self._walk():
            entry = loader.load(ref)
            if isinstance(entry, BrokenItem):
                broken.append(entry)
            yield entry
        self.error = self.error_for(broken)

    def __iter__(self) -> Iterator[Item]:
        for entry in self.entries():
            if isinstance(entry, Item):
                yield entry
        if self.error is not None:
            raise self.error

    def error_for(self, broken: Iterable[BrokenItem]) -> MalformedExportError | None:
        """The error to raise after a pass that met ``broken`` items (None when all was read).

        Channel pieces outside the items that broke during the last pass count
        too. For a converter that loads items itself from ``refs()``.
        """
        problems: list[tuple[int, int, int, str]] = [
            (self._part_of(b.ordinal), b.line, b.column, b.message) for b in broken
        ]
        items = len(problems)
        problems += [(part, b.line, b.column, b.message) for part, b in self._piece_breakages]
        if not problems:
            return None
        part, line, column, message = min(problems, key=lambda p: p[:3])
        pieces = len(problems) - items
        if items:
            what = f"{items} broken item{'s' if items != 1 else ''} (of {self._items}) could not be read"
            if pieces:
                what += f", nor {pieces} stretch{'es' if pieces != 1 else ''} of the channel outside the items"
            what += "; every other item was read"
        else:
            what = "part of the channel outside the items cannot be read; every item in the file was read"
        return MalformedExportError(
            f"the export is malformed: {what}. First: {message}",
            path=self._source.parts[part].name,
            line=line,
            column=column,
        )

    def close(self) -> None:
        """Release open files and remove the temporary files made for this export."""
        if self._loader is not None:
            self._loader.close()
        self._source.close()

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the header --------------------------------------------------------------

    def _read_headers(self) -> None:
        if self._headers is not None:
            return
        headers: list[_Header] = []
        for index, part in enumerate(self._source.parts):
            with _mapped(part) as mapped:
                headers.append(self._read_header(index, part, mapped.buf))
        self._loader = ItemLoader(
            tuple(
                PartSpec(p.name, p.path, p.data, h.parser.wrapper, p.size())
                for p, h in zip(self._source.parts, headers)
            ),
            parsers={i: h.parser for i, h in enumerate(headers)},
        )
        self._headers = headers
        self._site = _merged([h.parts for h in headers]).site()
        self._piece_breakages = [(i, h.breakage) for i, h in enumerate(headers) if h.breakage is not None]

    def _read_header(self, index: int, part: Part, buf) -> _Header:
        size = len(buf)
        prolog = repair.clean_prolog(buf, size)
        if prolog is None:
            raise NotAnExportError(
                "this is not a WordPress export: the file is not XML (it holds no element)", path=part.name
            )
        if prolog.dropped_doctype:
            self._warn(_DOCTYPE_WARNING)
        channel_end, wrapper = _open_channel(part, buf, prolog)
        lines = scan.Lines(buf)
        line, column = lines.at(channel_end)
        first_item = scan.next_item(buf, channel_end, size)
        parser = PieceParser(wrapper)
        parts = SiteParts()
        end = first_item if first_item >= 0 else size
        breakage = self._read_piece(parser, buf, channel_end, end, line, column, parts, tail=first_item < 0)
        version = parts.header.get("wxr_version", "")
        if not version and breakage is not None:
            raise MalformedExportError(
                f"the export is malformed before its first item: {breakage.message}",
                path=part.name,
                line=breakage.line,
                column=breakage.column,
            )
        if not version:
            raise NotAnExportError(
                "this does not appear to be a WordPress export: the WXR version (<wp:wxr_version>) is missing",
                path=part.name,
            )
        if not VERSION.match(version):
            raise NotAnExportError(
                f"this does not appear to be a WordPress export: invalid WXR version {version!r}", path=part.name
            )
        return _Header(parser, parts, channel_end, first_item, line, column, breakage)

    def _read_piece(
        self, parser: PieceParser, buf, start: int, end: int, line: int, column: int, parts: SiteParts, *, tail: bool
    ) -> Breakage | None:
        """Read channel children in ``buf[start:end]`` into ``parts``; what broke, if anything."""
        cut_short = False
        if tail:
            # The tail closes </channel></rss>; text a plugin printed after </rss>
            # (PHP notices) is ignored, as stray text before <rss> is.
            close = buf.rfind(b"</rss", start, end)
            gt = buf.find(b">", close, end) if close >= 0 else -1
            if gt >= 0:
                if buf[gt + 1 : end].strip():
                    self._warn(f"ignored {end - gt - 1} byte(s) after </rss> at the end of the file")
                end = gt + 1
            else:
                cut_short = True
        found = SiteParts()
        if parser.stream(buf, start, end, found.add_child, closed=not tail):
            parts.extend(found)
            return None
        outcome = parser.parse(bytes(buf[start:end]), line, column, closed=not tail, salvage=True)
        if outcome.channel is not None:
            parts.add(outcome.channel)
        if outcome.controls:
            self._warn(
                f"dropped {outcome.controls} character(s) that XML does not allow (control characters) "
                "from the channel outside the items"
            )
        if outcome.recoded:
            self._warn(
                f"{outcome.recoded} byte(s) outside the items were not valid UTF-8 and were read as Windows-1252"
            )
        broken = outcome.broken
        if broken is not None and cut_short:
            broken = Breakage(
                broken.line,
                broken.column,
                "the file ends before </channel></rss>: it was cut short, and what followed is missing",
            )
        return broken

    # -- the items ------------------------------------------------------------------

    def _walk(self) -> Iterator[ItemRef]:
        self._read_headers()
        assert self._headers is not None
        self.error = None
        per_part = [h.parts.copy() for h in self._headers]
        breakages = [(i, h.breakage) for i, h in enumerate(self._headers) if h.breakage is not None]
        firsts: list[int] = []
        ordinal = 0
        for index, (part, header) in enumerate(zip(self._source.parts, self._headers)):
            firsts.append(ordinal)
            if header.first_item < 0:
                continue
            with _mapped(part) as mapped:
                buf = mapped.buf
                lines = scan.Lines(buf, header.channel_end, header.line, header.column)
                for span in scan.walk(buf, header.first_item, len(buf), lines):
                    mapped.release(span.offset)
                    if span.kind == "item":
                        yield ItemRef(ordinal, index, span.offset, span.length, span.line, span.column, span.closed)
                        ordinal += 1
                        continue
                    broken = self._read_piece(
                        header.parser,
                        buf,
                        span.offset,
                        span.offset + span.length,
                        span.line,
                        span.column,
                        per_part[index],
                        tail=span.tail,
                    )
                    if broken is not None:
                        breakages.append((index, broken))
        self._first_ordinals = firsts
        self._items = ordinal
        self._piece_breakages = breakages
        self._site = _merged(per_part).site()

    def _part_of(self, ordinal: int) -> int:
        return max(bisect.bisect_right(self._first_ordinals, ordinal) - 1, 0)

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _merged(parts: list[SiteParts]) -> SiteParts:
    site = parts[0].copy()
    for other in parts[1:]:
        site.merge(other)
    return site


def _not_xml(part: Part, exc: etree.XMLSyntaxError) -> NotAnExportError:
    line, column = exc.position if exc.position else (None, None)
    reason = str(exc.msg or exc).split(", line ")[0].strip()
    return NotAnExportError(
        f"this is not a WordPress export: the file is not XML ({reason})", path=part.name, line=line, column=column
    )


def _open_channel(part: Part, buf, prolog: repair.Prolog) -> tuple[int, Wrapper]:
    """Parse the prolog and the ``<rss>`` and ``<channel>`` start tags: (offset after them, wrapper)."""
    declared: set[str] = set()
    while True:
        data = prolog.data
        if declared:
            at = data.rfind(b"<")
            data = data[:at] + repair.declare_prefixes(data[at:], declared)
        pull = pull_parser()
        try:
            pull.feed(data)
            root = next((el for _, el in pull.read_events()), None)
        except etree.XMLSyntaxError as exc:
            found = undeclared_prefixes(pull.error_log) - declared
            if found:
                declared |= found
                continue
            raise _not_xml(part, exc) from None
        break
    if root is None:
        raise NotAnExportError(
            "this is not a WordPress export: the file is not XML (its first element is not closed)", path=part.name
        )
    if root.tag != "rss":
        name = root.tag.rpartition("}")[2] if isinstance(root.tag, str) else "?"
        raise NotAnExportError(
            f"this is not a WordPress export: the root element is <{name}>, not <rss>",
            path=part.name,
            line=root.sourceline,
        )
    size = len(buf)
    start = scan.find_channel(buf, prolog.root_end, size)
    end = repair.tag_end(buf, start, size) if start >= 0 else -1
    if end < 0:
        raise NotAnExportError(
            "this is not a WordPress export: there is no <channel> in the <rss> feed", path=part.name
        )
    try:
        pull.feed(repair.fix_namespace_uris(bytes(buf[prolog.root_end : end])))
        channel = next((el for _, el in pull.read_events() if el.tag == "channel" and el.getparent() is root), None)
    except etree.XMLSyntaxError as exc:
        raise _not_xml(part, exc) from None
    if channel is None:
        raise NotAnExportError(
            "this is not a WordPress export: there is no <channel> in the <rss> feed", path=part.name
        )
    if buf[end - 2 : end] == b"/>":
        raise NotAnExportError(
            "this does not appear to be a WordPress export: the WXR version (<wp:wxr_version>) is missing",
            path=part.name,
        )
    return end, Wrapper(channel.nsmap.items())


def read_export(source: str | os.PathLike[str] | BinaryIO | bytes) -> Export:
    """Open a WordPress export: ``export.site`` and ``for item in export``.

    ``source`` is a path, a binary file object (a pipe too) or ``bytes``; gzip,
    bzip2, xz and zip files are recognised by their first bytes. Raises
    :class:`~wpmigrate.errors.NotAnExportError` for anything that is not a
    WordPress export; iteration raises :class:`~wpmigrate.errors.MalformedExportError`
    at its end when items could not be read (after yielding every other one).
    """
    return Export(source)
