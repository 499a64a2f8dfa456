"""Where a post body lies in the raw bytes of one ``<item>``, and how it is written back.

The reader gives an item's fields as text; a cleaned export must change only
the bytes of ``<content:encoded>``, so its span is found by parsing the item's
own bytes with expat, whose events carry byte offsets (lxml's do not). Names
are taken as written (``content:encoded``, as every WordPress version writes
them), without namespace processing: an item on its own carries no namespace
declarations.

A cleaned body is written as WordPress writes it: in one CDATA section when it
was stored in CDATA, with ``]]>`` split as ``wxr_cdata()`` splits it
(``]]]]><![CDATA[>``); as escaped text when it was stored that way.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.parsers import expat
from xml.sax.saxutils import escape

__all__ = ["BodySpan", "locate_body", "serialise_body"]

CONTENT = "content:encoded"


@dataclass(frozen=True)
class BodySpan:
    """The content of one field of an item: where it lies and what it says."""

    start: int  # offset in the item's bytes just after the start tag
    end: int  # offset of the end tag
    text: str  # the content as XML gives it
    cdata: bool  # stored in CDATA (at least in part)
    crlf: bool  # every line of the stored content ends in "\r\n"


class _Unusable(Exception):
    pass


def locate_body(data: bytes, name: str = CONTENT) -> BodySpan | str:
    """The span of the item's ``name`` child, or why it cannot be told with certainty."""
    parser = expat.ParserCreate("UTF-8")
    depth = 0
    start: int | None = None  # offset of the "<" of its start tag
    content: int | None = None
    end: int | None = None
    pieces: list[str] = []
    cdata = False
    capturing = False

    def on_start(tag: str, attrs: object) -> None:
        nonlocal depth, start, capturing
        depth += 1
        if capturing:
            raise _Unusable(f"<{name}> holds elements")
        if depth == 2 and tag == name:
            if start is not None:
                raise _Unusable(f"the item has two <{name}>")
            start = parser.CurrentByteIndex
            capturing = True

    def on_end(tag: str) -> None:
        nonlocal depth, end, capturing, content
        if capturing and depth == 2:
            end = parser.CurrentByteIndex
            if content is None:
                content = end
            capturing = False
        depth -= 1

    def on_text(text: str) -> None:
        nonlocal content
        if capturing:
            if content is None:
                content = parser.CurrentByteIndex
            pieces.append(text)

    def on_cdata() -> None:
        nonlocal content, cdata
        if capturing:
            cdata = True
            if content is None:
                content = parser.CurrentByteIndex

    def on_other(*args: object) -> None:
        if capturing:
            raise _Unusable(f"<{name}> holds a comment or processing instruction")

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    parser.StartCdataSectionHandler = on_cdata
    parser.CommentHandler = on_other
    parser.ProcessingInstructionHandler = on_other
    try:
        parser.Parse(data, True)
    except _Unusable as exc:
        return str(exc)
    except expat.ExpatError as exc:
        if end is None:
            return f"the item is not well-formed XML as it stands ({expat.errors.messages[exc.code]})"
    if start is None or end is None or content is None:
        return f"the item has no <{name}>"
    if content >= end:  # <content:encoded/> or <content:encoded></content:encoded>
        return BodySpan(end, end, "", False, False)
    raw = data[content:end]
    crlf = b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")
    return BodySpan(content, end, "".join(pieces), cdata, crlf)


def serialise_body(text: str, span: BodySpan) -> bytes:
    """``text`` written as the stored body was: in CDATA or escaped, with its line ends."""
    if span.crlf:
        text = text.replace("\n", "\r\n")
    if span.cdata:
        # wxr_cdata(): "]]>" cannot stand inside a CDATA section, so it is split over two
        return ("<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>").encode("utf-8")
    return escape(text).encode("utf-8")
