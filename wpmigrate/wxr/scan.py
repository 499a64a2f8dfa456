"""Item boundaries found in the raw bytes of an export, without parsing it.

An export is one ``<rss><channel>`` holding a header, then one ``<item>`` per
post, page, attachment …, and sometimes more channel children between and
after the items. The reader parses each item on its own (``parse.py``), so a
broken item costs only itself, as it does in WordPress's importer, whose
regex parser (``WXR_Parser_Regex``) reads items one ``<item>…</item>`` at a
time.

The scan runs on a memory map (or bytes) with ``find``/``rfind``, at C speed.
It knows CDATA sections and comments: ``<item>`` written inside one is text,
not a boundary. A ``</item>`` that never comes, because the next ``<item>``
starts or the file ends, leaves that item unclosed (and broken). A CDATA
section (or comment) that runs over an item boundary and the next item's own
``<![CDATA[`` (or ``<!--``) before closing is taken as never closed: the
boundary inside it is real, so the damage stays inside its item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from wpmigrate.wxr.repair import CDATA_CLOSE, CDATA_OPEN

_ITEM = b"<item"
_END_ITEM = b"</item"
_TAG_NAME_END = (b">", b" ", b"\t", b"\r", b"\n", b"/")
_TOKEN = re.compile(rb"<!\[CDATA\[|<!--|</?item(?=[\s>/])")
_BOUNDARY = re.compile(rb"</item\s*>\s*<item[\s>/]")
_CHANNEL = re.compile(rb"<!\[CDATA\[|<!--|<channel(?=[\s>/])")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the file: an item, or channel children between items (a piece)."""

    kind: str  # "item" or "piece"
    offset: int
    length: int
    line: int
    column: int
    closed: bool = True  # an item: its "</item>" was found; a piece: it is not the end of the file
    tail: bool = False  # a piece that runs to the end of the file (holds "</channel></rss>")


class Lines:
    """Line and column (libxml2's: columns count characters) of offsets met in increasing order."""

    def __init__(self, buf, offset: int = 0, line: int = 1, column: int = 1) -> None:
        self.buf = buf
        self.offset = offset
        self.line = line
        self.column = column

    def at(self, offset: int) -> tuple[int, int]:
        seg = self.buf[self.offset : offset]
        newlines = seg.count(b"\n")
        if newlines:
            self.line += newlines
            self.column = 1 + _chars(seg[seg.rfind(b"\n") + 1 :])
        else:
            self.column += _chars(seg)
        self.offset = offset
        return self.line, self.column


def _chars(data: bytes) -> int:
    return len(data.decode("utf-8", "replace")) if data else 0


def _is_tag(buf, at: int, name_len: int) -> bool:
    return buf[at + name_len : at + name_len + 1] in _TAG_NAME_END


def _outside_sections(buf, start: int, stop: int) -> bool:
    """True when ``stop`` is certainly outside any CDATA section or comment opened after ``start``.

    The last opener before ``stop`` is closed before it, so every earlier one
    is too. False means "cannot tell this cheaply", not "inside".
    """
    o = buf.rfind(CDATA_OPEN, start, stop)
    if o >= 0 and buf.find(CDATA_CLOSE, o + len(CDATA_OPEN), stop) < 0:
        return False
    c = buf.rfind(b"<!--", start, stop)
    return c < 0 or buf.find(b"-->", c + 4, stop) >= 0


def next_boundary(buf, pos: int, end: int) -> tuple[int, bool] | None:
    """The next ``<item`` (False) or ``</item`` (True) at or after ``pos`` that is markup."""
    while True:
        m = _TOKEN.search(buf, pos, end)
        if m is None:
            return None
        token = m.group()
        if token[1:2] != b"!":
            return m.start(), token[1:2] == b"/"
        close = CDATA_CLOSE if token == CDATA_OPEN else b"-->"
        j = buf.find(close, m.end(), end)
        stop = end if j < 0 else j
        boundary = _BOUNDARY.search(buf, m.end(), stop)
        if boundary is not None and (j < 0 or buf.find(token, boundary.start(), stop) >= 0):
            return boundary.start(), True  # never closed: the item boundary inside is real
        if j < 0:
            return None
        pos = j + len(close)


def find_channel(buf, pos: int, end: int) -> int:
    """Offset of the ``<channel`` start tag at or after ``pos`` (outside CDATA and comments), or -1."""
    while True:
        m = _CHANNEL.search(buf, pos, end)
        if m is None:
            return -1
        token = m.group()
        if token[1:2] != b"!":
            return m.start()
        close = CDATA_CLOSE if token == CDATA_OPEN else b"-->"
        j = buf.find(close, m.end(), end)
        if j < 0:
            return -1
        pos = j + len(close)


def next_item(buf, pos: int, end: int) -> int:
    """Offset of the next ``<item`` start tag at or after ``pos``, or -1."""
    n = buf.find(_ITEM, pos, end)
    if n < 0:
        return -1
    if _is_tag(buf, n, len(_ITEM)) and _outside_sections(buf, pos, n):
        return n
    while True:
        found = next_boundary(buf, pos, end)
        if found is None:
            return -1
        at, closing = found
        if not closing:
            return at
        pos = at + len(_END_ITEM)  # a stray "</item>" between items: channel content, parsed as such


def item_end(buf, start: int, end: int) -> tuple[int, bool]:
    """(offset just after the item, closed) for the item whose ``<item`` is at ``start``."""
    body = start + len(_ITEM)
    gt = buf.find(b">", body, end)
    if gt > 0 and buf[gt - 1 : gt] == b"/":
        return gt + 1, True  # <item/>: empty, but complete
    # Look for "</item" only up to the next "<item": a file whose items all
    # lack their end tag must not be searched to its end once per item.
    following = buf.find(_ITEM, body, end)
    e = buf.find(_END_ITEM, body, end if following < 0 else following)
    if e >= 0 and _is_tag(buf, e, len(_END_ITEM)) and _outside_sections(buf, body, e):
        return _after_end_tag(buf, e, end), True
    found = next_boundary(buf, body, end)
    if found is None:
        return end, False
    at, closing = found
    if not closing:
        return at, False
    return _after_end_tag(buf, at, end), True


def _after_end_tag(buf, at: int, end: int) -> int:
    if buf[at + 6 : at + 7] == b">":
        return at + 7
    # "</item >" is fine; a damaged end tag ends the item where it stops, so the
    # damage cannot reach into the next item.
    gt = buf.find(b">", at + 6, min(end, at + 1024))
    if gt < 0 or buf.find(b"<", at + 6, gt) >= 0:
        return min(end, at + 6)
    return gt + 1


def walk(buf, start: int, end: int, lines: Lines) -> Iterator[Span]:
    """Items and the channel pieces between and after them, in file order, from ``start``.

    Blank stretches between items are not reported; the stretch after the last
    item is, as the tail (it must close ``</channel>`` and ``</rss>``), unless
    the last item runs to the end of the file unclosed.
    """
    pos = start
    while True:
        n = next_item(buf, pos, end)
        if n < 0:
            line, column = lines.at(pos)
            yield Span("piece", pos, end - pos, line, column, closed=False, tail=True)
            return
        if n > pos and buf[pos:n].strip():
            line, column = lines.at(pos)
            yield Span("piece", pos, n - pos, line, column)
        line, column = lines.at(n)
        e, closed = item_end(buf, n, end)
        yield Span("item", n, e - n, line, column, closed=closed)
        pos = e
        if not closed and e >= end:
            return
