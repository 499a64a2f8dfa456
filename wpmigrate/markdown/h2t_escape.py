"""Escaping text for Markdown: only where a Markdown reader would misread it.

html2text escapes too little (a literal ``*stars*`` becomes emphasis,
``&lt;b&gt;`` a raw tag) and too much at the same time (``1\\.`` and ``\\-``
anywhere a line could start, even mid-paragraph). The converter replaces its
text escaping with this one, applied to each run of text as html2text
receives it. A run's neighbours are not known, so a character at the edge of
a run is treated as if the unknown neighbour could complete the syntax.
"""

from __future__ import annotations

import re
import string

from .h2t_slots import MAYBE_ESCAPE

ASCII_PUNCT = frozenset(string.punctuation)
_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")

# Line starts that CommonMark reads as a block (ATX heading, list item,
# quote, ordered item, setext underline or thematic break).
_LINE_START = re.compile(
    r"(?P<hash>#{1,6})(?=[ \t]|$)"
    r"|(?P<bullet>[-+*])(?=[ \t]|$)"
    r"|(?P<quote>>)"
    r"|(?P<num>[0-9]{1,9})(?P<dot>[.)])(?=[ \t]|$)"
    r"|(?P<rule>(?:-{2,}|={1,})[ \t]*$)"
    # a GFM table's delimiter row under a line holding "|"
    r"|(?P<delimiter>\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$)"
)


def escape_inline(text: str, *, in_link: bool = False, in_table: bool = False) -> str:
    """Backslash-escape what would otherwise be read as inline Markdown."""
    out: list[str] = []
    n = len(text)
    for i, c in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        escape = False
        if c == "\\":
            escape = nxt == "" or nxt in ASCII_PUNCT
        elif c == "*":
            # a lone * between spaces can neither open nor close emphasis
            escape = not (prev.isspace() and nxt.isspace())
        elif c == "_":
            # intraword _ never delimits emphasis in CommonMark
            escape = not (prev.isalnum() and nxt.isalnum())
        elif c == "`":
            escape = True
        elif c in "[]":
            # a link needs "](" (or "][" / "]:" for references)
            if c == "]" and nxt == "" and not in_link:
                # what follows is known only when the whole text is
                out.append("]" + MAYBE_ESCAPE)
                continue
            escape = in_link or (c == "]" and nxt in "([:")
        elif c == "<":
            if nxt == "":
                out.append("<" + MAYBE_ESCAPE)
                continue
            escape = nxt.isalpha() or nxt in "/!?"
        elif c == "&":
            escape = _ENTITY.match(text, i) is not None
        elif c == "~":
            if nxt == "" and prev != "~":
                out.append("~" + MAYBE_ESCAPE)
                continue
            escape = prev == "~" or nxt == "~"
        elif c == "|":
            escape = in_table
        out.append("\\" + c if escape else c)
    return "".join(out)


_DEFERRED = re.compile("([\\]<~])" + MAYBE_ESCAPE + "(.?)", re.S)


def resolve_deferred(text: str) -> str:
    """Escape a "]", "<" or "~" that ended a run of text if what follows it now needs that."""

    def one(m: re.Match) -> str:
        c, nxt = m.group(1), m.group(2)
        if c == "]":
            escape = nxt != "" and nxt in "([:"
        elif c == "<":
            escape = nxt.isalpha() or (nxt != "" and nxt in "/!?")
        else:
            escape = nxt == "~"
        return ("\\" + c if escape else c) + nxt

    return _DEFERRED.sub(one, text)


def escape_line_start(text: str) -> str:
    """Escape a block marker at the start of ``text`` (text that begins a line)."""
    m = _LINE_START.match(text)
    if not m:
        return text
    if m.group("num") is not None:
        return m.group("num") + "\\" + text[m.end("num") :]
    return "\\" + text
