"""Where elements such as ``<pre>…</pre>`` stand in a text, found in linear time.

WordPress finds them with ``<(pre|…)\\b[^>]*>.*?</\\1>``; on text full of
unclosed ``<pre`` that scans to the end once per opening, which a hostile
post turns into minutes. Here closing tags are indexed once and each opening
looks its closing tag up, so the cost stays proportional to the text.
The matches are those of the regular expression: the first closing tag of
the same name after the opening tag ends the element, an opening tag without
a closing tag protects nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

__all__ = ["CODE_ELEMENTS", "element_spans", "inside", "map_outside", "protected_spans", "sub_elements"]

#: inside these, shortcodes and bare URLs are text: a <pre>/<code> showing
#: "[gallery]" documents it
CODE_ELEMENTS = ("pre", "code", "script", "style", "textarea")


def _patterns(tags: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = "|".join(re.escape(t) for t in tags)
    # a tag cannot hold "<": stopping there keeps the scan linear
    opening = re.compile(r"<(" + names + r")\b[^<>]*>", re.I)
    closing = re.compile(r"</(" + names + r")[ \t\n\r\f\v]*>", re.I)
    return opening, closing


_CACHE: dict[tuple[tuple[str, ...], bool], tuple[re.Pattern[str], re.Pattern[str]]] = {}


def element_spans(text: str, tags: Iterable[str], *, comments: bool = False) -> list[tuple[int, int]]:
    """Non-overlapping ``(start, end)`` of the elements named ``tags`` (and HTML comments)."""
    key = (tuple(sorted(t.lower() for t in tags)), comments)
    if key not in _CACHE:
        _CACHE[key] = _patterns(key[0])
    opening, closing = _CACHE[key]
    if "<" not in text:
        return []
    closers: dict[str, list[tuple[int, int]]] = {}
    for m in closing.finditer(text):
        closers.setdefault(m.group(1).lower(), []).append((m.start(), m.end()))
    comment_ends = [m.start() for m in re.finditer("-->", text)] if comments else []
    starts: list[tuple[int, int, str]] = []  # (position, end of opening tag, tag or "!--")
    for m in opening.finditer(text):
        starts.append((m.start(), m.end(), m.group(1).lower()))
    if comments:
        for m in re.finditer("<!--", text):
            starts.append((m.start(), m.end(), "!--"))
        starts.sort()
    spans: list[tuple[int, int]] = []
    pos = 0
    for start, open_end, tag in starts:
        if start < pos:
            continue
        if tag == "!--":
            i = bisect.bisect_left(comment_ends, open_end)
            if i == len(comment_ends):
                continue
            end = comment_ends[i] + 3
        else:
            ends = closers.get(tag, [])
            i = bisect.bisect_left(ends, (open_end, -1))
            if i == len(ends):
                continue
            end = ends[i][1]
        spans.append((start, end))
        pos = end
    return spans


def iter_pieces(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[bool, str]]:
    """``(inside, piece)`` pairs covering ``text`` in order."""
    pos = 0
    for start, end in spans:
        if start > pos:
            yield False, text[pos:start]
        yield True, text[start:end]
        pos = end
    if pos < len(text):
        yield False, text[pos:]


def map_outside(text: str, tags: Iterable[str], func, *, comments: bool = False) -> str:
    """Apply ``func`` to the text outside the elements, leave the elements as they are."""
    return "".join(
        piece if inside else func(piece)
        for inside, piece in iter_pieces(text, element_spans(text, tags, comments=comments))
    )


def sub_elements(text: str, tags: Iterable[str], func, *, comments: bool = False) -> str:
    """Replace every element by ``func(element_text)``."""
    return "".join(
        func(piece) if inside else piece
        for inside, piece in iter_pieces(text, element_spans(text, tags, comments=comments))
    )


# a tag; a bare "<" in prose or code ("a < b") starts none
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>")


def protected_spans(text: str) -> tuple[list[int], list[int]]:
    """Where shortcodes and bare URLs are text, not something to run: sorted,
    non-overlapping ``(starts, ends)`` of code elements, comments and tags.

    ``do_shortcode()`` leaves a shortcode shown in ``<pre>``/``<code>`` alone
    (it documents it), and a tag's attributes are not content.
    """
    spans = element_spans(text, CODE_ELEMENTS, comments=True)
    starts, ends = [], []
    pos = 0
    for start, end in spans + [(len(text), len(text))]:
        for m in _TAG.finditer(text, pos, start):
            starts.append(m.start())
            ends.append(m.end())
        if end > start:
            starts.append(start)
            ends.append(end)
        pos = end
    return starts, ends


def inside(spans: tuple[list[int], list[int]], pos: int) -> bool:
    """Is ``pos`` inside one of the :func:`protected_spans`?"""
    starts, ends = spans
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]
