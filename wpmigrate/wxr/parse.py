"""Parsing one piece of an export on its own: an item, or channel children between items.

A piece is wrapped in a synthetic ``<rss …><channel>`` start that carries the
real root's namespace declarations, written on one line, so the piece's lines
keep their numbers relative to where it starts and only columns on its first
line shift (by the wrapper's length); every position libxml2 reports, in its
messages too ("… tag mismatch: title line 3 and …"), is mapped back to the
file. The parser never resolves entities, never touches the network and never
loads a DTD.

A piece is parsed strictly first. Only when that fails are the repairs of
``repair.py`` tried, each once and only when it changes something, before the
piece is given up as broken: a clean export never pays for them. Channel
pieces, which can be large, are first read as a stream (:meth:`PieceParser.stream`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from lxml import etree

from wpmigrate.wxr import repair

_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_pis=True)
CHANNEL_END = b"</channel></rss>"
_FEED = 64 << 10

_UNDECLARED = re.compile(r"Namespace prefix (\S+) (?:on|for) \S+ (?:on \S+ )?is not defined")
_WHERE = re.compile(r",? line \d+, column \d+\s*$")
_INNER_LINE = re.compile(r"\bline (\d+)\b")
_TOO_DEEP = re.compile(r"Excessive depth in document: (\d+)")
_PREFIX = re.compile(r"[^\W\d][\w.-]*")


def strict_parser() -> etree.XMLParser:
    return etree.XMLParser(**_OPTIONS)


def lenient_parser() -> etree.XMLParser:
    return etree.XMLParser(recover=True, **_OPTIONS)


def pull_parser() -> etree.XMLPullParser:
    """For the prolog and the ``<rss>``/``<channel>`` start tags, read as they are fed."""
    return etree.XMLPullParser(events=("start",), **_OPTIONS)


def undeclared_prefixes(log: Iterable[etree._LogEntry]) -> set[str]:
    """Prefixes libxml2 found used but not declared ("Namespace prefix atom on link is not defined").

    Only names that are valid prefixes: a declared prefix stays on the wrapper
    of every later piece of the file, which one bad name would break.
    """
    found = (m.group(1) for entry in log if (m := _UNDECLARED.search(entry.message)))
    return {prefix for prefix in found if _PREFIX.fullmatch(prefix) and prefix.lower() not in ("xml", "xmlns")}


class Wrapper:
    """The synthetic ``<rss><channel>`` start for one file: its root's namespace declarations."""

    def __init__(self, nsmap: Iterable[tuple[str | None, str]]) -> None:
        self.nsmap = tuple(sorted(nsmap, key=lambda kv: kv[0] or ""))
        self._starts: dict[frozenset[str], tuple[bytes, int]] = {}

    def __getstate__(self) -> dict:
        return {"nsmap": self.nsmap}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["nsmap"])

    def start(self, undeclared: frozenset[str]) -> tuple[bytes, int]:
        """The start tags as bytes, and their length in characters."""
        found = self._starts.get(undeclared)
        if found is None:
            attrs = "".join(
                f" xmlns:{prefix}={quoteattr(uri)}" if prefix else f" xmlns={quoteattr(uri)}"
                for prefix, uri in self.nsmap
            )
            attrs += "".join(
                f' xmlns:{p}="urn:wpmigrate:undeclared:{p}"' for p in sorted(undeclared) if p not in dict(self.nsmap)
            )
            text = f"<rss{attrs}><channel>"
            found = (text.encode("utf-8"), len(text))
            self._starts[undeclared] = found
        return found


@dataclass(frozen=True)
class Breakage:
    """Where and why a piece cannot be read, in the file's own terms."""

    line: int
    column: int
    message: str


@dataclass
class Outcome:
    """A parsed piece: the synthetic ``<channel>`` holding its elements, or what broke it."""

    channel: etree._Element | None  # None when broken (unless salvaged)
    broken: Breakage | None = None
    controls: int = 0  # forbidden characters dropped
    recoded: int = 0  # bytes read as Windows-1252


class PieceParser:
    """Parses the pieces of one file; remembers the undeclared prefixes it has met.

    A prefix declared once on the wrapper stays declared for the file's later
    pieces, so an export that uses ``atom:`` in every item parses each item
    once, not twice. Declaring an unused prefix changes nothing.
    """

    def __init__(self, wrapper: Wrapper) -> None:
        self.wrapper = wrapper
        self.undeclared: set[str] = set()
        self._strict = strict_parser()
        self._lenient: etree.XMLParser | None = None

    def parse(self, data: bytes, line: int, column: int, *, closed: bool = True, salvage: bool = False) -> Outcome:
        """Parse ``data`` (which starts at ``line``:``column`` of the file).

        ``closed``: the piece ends where its elements end, so the wrapper is
        closed after it; an item without ``</item>`` is not. ``salvage``: on
        failure, also return what a lenient parse could read.
        """
        end = CHANNEL_END if closed else b""
        controls = recoded = 0
        tried: set[str] = set()
        while True:
            start, start_chars = self.wrapper.start(frozenset(self.undeclared))
            try:
                root = etree.fromstring(start + data + end, self._strict)
                return Outcome(root[0], None, controls, recoded)
            except etree.XMLSyntaxError as exc:
                error = exc
            log = self._strict.error_log
            found = undeclared_prefixes(log) - self.undeclared
            if found:
                self.undeclared |= found
                continue
            if "mend" not in tried:
                tried.add("mend")
                mended = repair.mend(data)
                if mended.data != data:
                    data, controls, recoded = mended.data, mended.controls, mended.recoded
                    continue
            if "cdata" not in tried and any(e.type_name == "ERR_MISPLACED_CDATA_END" for e in log):
                tried.add("cdata")
                escaped = repair.escape_nested_cdata(data)
                if escaped != data:
                    data = escaped
                    continue
            break
        channel = self._salvage(start + data + end) if salvage else None
        broken = _breakage(error, data, line, column, start_chars, channel)
        return Outcome(channel, broken, controls, recoded)

    def stream(
        self, buf, start: int, end: int, handle: Callable[[etree._Element], None], *, closed: bool = True
    ) -> bool:
        """Parse ``buf[start:end]`` strictly as it is fed, giving each channel child to ``handle``.

        For channel pieces, which can be large (a site with thousands of tags
        has a header of megabytes): each child is handled at its end event and
        then freed (lxml's streaming discipline), so memory does not grow with
        the piece. False when the strict parse fails anywhere; the caller then
        forgets what ``handle`` got and uses :meth:`parse`, which repairs.
        """
        pull = etree.XMLPullParser(events=("end",), **_OPTIONS)
        try:
            pull.feed(self.wrapper.start(frozenset(self.undeclared))[0])
            for at in range(start, end, _FEED):
                pull.feed(buf[at : min(end, at + _FEED)])
                _hand_over(pull, handle)
            if closed:
                pull.feed(CHANNEL_END)
            pull.close()
        except etree.XMLSyntaxError:
            return False
        _hand_over(pull, handle)
        return True

    def _salvage(self, document: bytes) -> etree._Element | None:
        if self._lenient is None:
            self._lenient = lenient_parser()
        try:
            root = etree.fromstring(document, self._lenient)
        except etree.XMLSyntaxError:
            return None
        if root is None or len(root) == 0:
            return None
        return root[0]


def _hand_over(pull: etree.XMLPullParser, handle: Callable[[etree._Element], None]) -> None:
    for _, el in pull.read_events():
        channel = el.getparent()
        if channel is None or channel.getparent() is None or channel.getparent().getparent() is not None:
            continue  # not a child of <channel>: part of one, freed with it
        handle(el)
        el.clear(keep_tail=True)
        while el.getprevious() is not None:
            del channel[0]


def _breakage(
    exc: etree.XMLSyntaxError,
    data: bytes,
    line: int,
    column: int,
    start_chars: int,
    channel: etree._Element | None,
) -> Breakage:
    at_line, at_column = exc.position if exc.position else (1, 1)
    at_line, at_column = max(at_line, 1), max(at_column, 1)
    # The piece's own end, for errors libxml2 reports in the wrapper's end tags.
    last_line = data.count(b"\n") + 1
    if at_line > last_line:
        at_line = last_line
        at_column = (
            start_chars + 1 + len(data.decode("utf-8", "replace"))
            if last_line == 1
            else (1 + len(data[data.rfind(b"\n") + 1 :].decode("utf-8", "replace")))
        )
    if at_line == 1:
        file_line, file_column = line, column + max(at_column - start_chars - 1, 0)
    else:
        file_line, file_column = line + at_line - 1, at_column
    message = _WHERE.sub("", str(exc.msg or exc)).strip()
    message = _INNER_LINE.sub(lambda m: f"line {line + int(m.group(1)) - 1}", message)
    deep = _TOO_DEEP.search(message)
    if deep:
        message = _too_deep(int(deep.group(1)), channel, line)
    return Breakage(file_line, file_column, message)


def _too_deep(limit: int, channel: etree._Element | None, line: int) -> str:
    """libxml2's "Excessive depth in document: N, use XML_PARSE_HUGE option", said for a user.

    The reader already parses with XML_PARSE_HUGE; what a user can act on is
    which field holds the markup.
    """
    outer = _last_element(channel) if channel is not None else None
    inner = _last_element(outer) if outer is not None else None
    field = inner if inner is not None else outer
    if field is None:
        return (
            f"elements are nested more than {limit} levels deep, the most an XML parser reads; "
            "markup meant as a post's HTML belongs in a CDATA section, as WordPress writes it"
        )
    name = etree.QName(field).localname
    prefix = field.prefix
    name = f"{prefix}:{name}" if prefix else name
    where = line + (field.sourceline or 1) - 1
    return (
        f"<{name}> (from line {where}) holds elements nested more than {limit} levels deep, "
        "the most an XML parser reads; WordPress writes such HTML in a CDATA section, where nesting does not count"
    )


def _last_element(el: etree._Element) -> etree._Element | None:
    for child in reversed(el):
        if isinstance(child.tag, str):
            return child
    return None
