"""Escaping text for Markdown: only where a Markdown reader would misread it.

A backslash goes before ``*``, ``_``, backticks, brackets, ``<``, ``&`` and
``~`` only where CommonMark (with GFM's strikethrough and tables) would
otherwise read them as syntax, and before ``#``, ``-``, ``+``, ``>``, ``1.``,
``===``, ``---`` only at the real start of a line; no backslash noise before
every ``.`` or ``-``. A text node is escaped on its own, and the character
after its last one is not known yet: a ``]``, ``<`` or ``~`` there is marked
(:data:`DEFER`) and decided once the paragraph is written.
"""

from __future__ import annotations

import re

# after a "]", "<" or "~" that ended a text node: escaped once the character
# after it is known (a "(" after "]" would make a link)
DEFER = "\ue019"

ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: an entity reference as Markdown decodes it
ENTITY_AT = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")

_SPECIAL = re.compile(r"[\\`*_\[\]<&~]")


def _closes_link(nxt: str, after: str) -> bool:
    """Whether a ``]`` followed by ``nxt`` (then ``after``) would make a link.

    ``](`` makes an inline link and ``]:`` a definition. ``][label]`` is a
    reference link only when ``label`` is defined, and the only definitions
    the writer puts in a file are footnotes (``[^1]: …``): so ``][^`` is
    escaped and ``][`` otherwise is not (``[vc_row][vc_column]`` kept as text
    stays as written).
    """
    return nxt in "(:" or (nxt == "[" and after == "^")


def escape_text(text: str, *, in_link: bool = False) -> str:
    """Backslash-escape what Markdown would misread inside a line of text.

    Line-start syntax (``#``, ``-``, ``1.`` …) is handled later by
    :func:`escape_line_start`, once it is known where lines begin.
    """
    if _SPECIAL.search(text) is None:
        return text
    n = len(text)
    # whitespace at the edges of a text node may end up elsewhere (it moves
    # out of emphasis), so only a "*" between words of this node is safe bare
    first = n - len(text.lstrip())
    last = len(text.rstrip()) - 1

    def one(m: re.Match) -> str:
        ch = m.group(0)
        i = m.start()
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if ch == "\\":
            # only before punctuation (C:\Windows stays as it is), or at the end
            # of the text, where what follows is not known yet (spaces may move)
            return "\\\\" if (not nxt or nxt in ASCII_PUNCT or i >= last) else "\\"
        if ch == "`":
            return "\\`"
        if ch == "*":
            # "5 * 3" cannot open or close emphasis; anything else might
            return "*" if (prev.isspace() and nxt.isspace() and first < i < last) else "\\*"
        if ch == "_":
            # intraword underscores never make emphasis (snake_case stays clean)
            return "_" if (prev.isalnum() and nxt.isalnum()) else "\\_"
        if ch == "[":
            return "\\[" if in_link else "["
        if ch == "]":
            if in_link:
                return "\\]"
            return "]" + DEFER if not nxt else ("\\]" if _closes_link(nxt, text[i + 2 : i + 3]) else "]")
        if ch == "<":
            if not nxt:
                return "<" + DEFER
            return "\\<" if (nxt.isalpha() or nxt in ("/", "!", "?")) else "<"
        if ch == "&":
            return "\\&" if ENTITY_AT.match(text, i) else "&"
        # "~": two in a row are strikethrough (GFM)
        if not nxt and prev != "~":
            return "~" + DEFER
        return "\\~" if (prev == "~" or nxt == "~") else "~"

    return _SPECIAL.sub(one, text)


_THEMATIC_OR_SETEXT = re.compile(r"(?:-[ \t]*)+|=+[ \t]*|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,}")
# "--- | ---" under a line with pipes would turn the paragraph into a GFM table
_DELIMITER_CHARS = frozenset(" \t|:-")
_DELIMITER_CELL = re.compile(r":?-+:?")


def _table_delimiter(line: str) -> bool:
    """``--- | ---`` (or ``| --- |``): under a line with pipes it would make the paragraph a GFM table."""
    if "|" not in line or "-" not in line or not _DELIMITER_CHARS.issuperset(line):
        return False
    row = line.strip(" \t")
    lead = row.startswith("|")
    row = row[1:] if lead else row
    row = row[:-1] if row.endswith("|") else row
    cells = [c.strip(" \t") for c in row.split("|")]
    return (len(cells) >= 2 or lead) and all(_DELIMITER_CELL.fullmatch(c) for c in cells)


# the block starts a line of text must not make: an ATX heading, a quote, a
# bullet, an ordered item, a link reference definition, a code fence
_LINE_START = re.compile(r"#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|(\d{1,9})[.)](?=[ \t]|$)|\[[^\]]*\]:|~~~|```")
# the first characters of every line start above
_LINE_START_CHARS = frozenset("#>-+*0123456789[~`=_| \t:")


def escape_line_start(line: str) -> str:
    """Escape block syntax at the start of a line of paragraph text."""
    if not line or line[0] not in _LINE_START_CHARS:
        return line
    if _THEMATIC_OR_SETEXT.fullmatch(line) or _table_delimiter(line):
        return "\\" + line
    m = _LINE_START.match(line)
    if m is None:
        return line
    if m.group(1) is not None:
        return m.group(1) + "\\" + line[m.end(1) :]
    return "\\" + line


# (what follows is looked at, not taken: it may be the next marked character)
_DEFERRED = re.compile(f"([\\]<~]){DEFER}(?=(.?)(.?))", re.S)


def _resolve_deferred(m: re.Match) -> str:
    """Escape a "]", "<" or "~" that ended a text node if what follows it now needs that."""
    c, nxt = m.group(1), m.group(2)
    if c == "]":
        escape = nxt != "" and _closes_link(nxt, m.group(3))
    elif c == "<":
        escape = nxt.isalpha() or (nxt != "" and nxt in "/!?")
    else:
        escape = nxt == "~"
    return "\\" + c if escape else c


def resolve_deferred(text: str) -> str:
    """Decide the marked ``]``, ``<`` and ``~`` of a finished paragraph."""
    return _DEFERRED.sub(_resolve_deferred, text) if DEFER in text else text
