"""Lines of scraped text or Markdown as *units*, and what a unit looks like.

The text and Markdown cleaners decide about whole lines: one unit per
non-blank line, bullet and numbered lines as list items nested by their
indentation, ATX headings as headings. :func:`is_prose` and
:func:`is_heading_like` tell running text from labels and titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wpmigrate.clean.profiles import fold

__all__ = ["Unit", "split_units", "is_prose", "is_heading_like"]

# bullets that text dumps of <ul> use (innerText has none; lynx, w3m, inscriptis,
# copy-and-paste from browsers do), and Markdown's own markers
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[•◦▪▫●○‣⁃∙■□➢➤►▸\-*+])[ \t\u00a0]+(?P<text>\S.*)$")
_ORDERED = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>\d{1,3}[.)])[ \t\u00a0]+(?P<text>\S.*)$")
# (an ATX heading's optional closing sequence is cut off by md_heading(), not by a lazy
# pattern: ".*?" followed by "[ \t]+#+" rescans space runs, quadratic on a long line)
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*)$")


def md_heading(line: str) -> tuple[int, str] | None:
    """``(level, text)`` of an ATX heading line, its closing ``#`` sequence cut off; else None."""
    m = _MD_HEADING.match(line)
    if m is None:
        return None
    text = m.group("text").rstrip(" \t")
    hashes = len(text) - len(text.rstrip("#"))
    if hashes and hashes < len(text) and text[-hashes - 1] in " \t":
        text = text[:-hashes].rstrip(" \t")
    return len(m.group("hashes")), text


_WORD = re.compile(r"\w+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_CLOSERS = "\"'”“’‘»«›‹)]*_"
_SENTENCE_END = ".!?…:;"
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”“’‘»«)\]]*\s+[\"'„“‚‘«»(]*[^\W\d_]")
# (a pattern searched for at the end of a text starts where a space run starts: tried
# from every space of a long run, "\s*…$" is quadratic)
_ELLIPSIS_END = re.compile(r"(?<!\s)\s*(?:\[(?:…|\.\.\.|&hellip;)\]|…|\.\.\.|\[\.\.\.\])\s*$")
# what ends an excerpt: the ellipsis of wp_trim_words()/excerpt_more ("[…]") and the
# "read more" link themes print after it (the_content_more_link / excerpt_more)
_TEASER_END = re.compile(
    r"(?<!\s)(?:\s*(?:\[(?:…|\.\.\.|&hellip;)\]|…|\.\.\.))?"
    r"(?:\s*(?:(?:read more|continue reading|weiterlesen|mehr lesen|lesen sie mehr)(?:\s*[»›→>…])*"
    r"|(?:more|mehr)\s*[»›→>]+))?\s*$",
    re.I,
)
_ELLIPSIS_START = re.compile(r"^(?:…|\.\.\.)\s*")
# the end of the first sentence: terminator, then closing quotes/brackets, then space or end
_FIRST_SENTENCE = re.compile(r"(?<![.!?…])[.!?…]+[\"'”“’‘»«›‹)\]]*(?=\s|$)")
# a paragraph starting like an ordered list item ("14. Oktober 2021") must say it is not one
NUMBER_START = re.compile(r"^(\d{1,3})([.)])(?=\s)")
_ESCAPED_NUMBER = re.compile(r"^(\d{1,3})\\([.)])(?=\s)")
# an ATX heading's closing "#"s are not text: a title ending in " #" keeps it escaped
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
# separators of a breadcrumb trail and of a term list
_CRUMB_SEP = re.compile(r"(?<!\s)\s+(?:»|›|>|→|/|\\)\s+")
_TERM_SEP = re.compile(r"(?:(?<!\s)\s+)?(?:,|;|\||·|•|/)\s*")


# --- units ----------------------------------------------------------------------


@dataclass
class Unit:
    """One non-blank line of the document, as the decisions see it."""

    index: int
    line: int  # 1-based line number in the source
    raw: str  # the source line, without its newline
    text: str  # what rules see: the plain text, whitespace folded
    kind: str  # "para" | "item" | "heading" (a Markdown heading) | "opaque" (code, HTML: never touched)
    group: int  # units separated by no blank line share a group
    indent: int = 0
    marker: str = ""  # list marker of an item ("-" or "1.")
    level: int = 0  # nesting level of an item
    link_only: bool = False  # nothing but links (or no words at all): a link list, a button row


def _indent_width(indent: str) -> int:
    return len(indent.expandtabs(4))


def split_units(text: str) -> list[Unit]:
    """Scraped text → units: one per non-blank line, bullet lines as list items."""
    units: list[Unit] = []
    group = 0
    blank_before = True
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        plain = fold(line)
        if not plain:
            if not blank_before:
                group += 1
            blank_before = True
            continue
        blank_before = False
        m = _BULLET.match(line) or _ORDERED.match(line)
        if m:
            marker = m.group("marker")
            marker = marker if marker[0].isdigit() else "-"
            units.append(
                Unit(
                    len(units),
                    number,
                    line,
                    fold(m.group("text")),
                    "item",
                    group,
                    indent=_indent_width(m.group("indent")),
                    marker=marker,
                )
            )
            continue
        h = md_heading(line.strip())
        if h and h[1]:
            units.append(Unit(len(units), number, line, fold(h[1]), "heading", group, level=h[0]))
            continue
        # "14\. Oktober" as written back by the text cleaner reads as the line it was
        units.append(Unit(len(units), number, line, _ESCAPED_NUMBER.sub(r"\1\2", plain), "para", group))
    _lone_numbers(units)
    _nest_items(units)
    return units


def _lone_numbers(units: list[Unit]) -> None:
    """A numbered line with no numbered neighbour is text, not a list: "14. Oktober 2021".

    (Text dumps number every item of an ordered list, so a real list has
    neighbours; a list of one item is kept when it starts at 1.)
    """
    for i, u in enumerate(units):
        if u.kind != "item" or not u.marker[0].isdigit() or u.marker[:-1] == "1":
            continue
        neighbours = [units[j] for j in (i - 1, i + 1) if 0 <= j < len(units)]
        if any(n.kind == "item" and n.marker[0].isdigit() for n in neighbours):
            continue
        u.kind, u.marker, u.indent = "para", "", 0
        u.text = fold(u.raw)


def _nest_items(units: list[Unit]) -> None:
    """Levels of list items from their indentation, within each run of items.

    A level is at most one deeper than the item before it and a run starts at
    level 0, so the Markdown written back reads the same levels again.
    """
    run: list[Unit] = []

    def close() -> None:
        if not run:
            return
        widths = sorted({u.indent for u in run})
        previous = -1
        for u in run:
            level = min(widths.index(u.indent), previous + 1)
            u.level = level
            previous = level
        run.clear()

    for u in units:
        if u.kind == "item" and run and u.group - run[-1].group <= 1:
            run.append(u)
            continue
        close()
        if u.kind == "item":
            run.append(u)
    close()


# --- what a unit looks like -----------------------------------------------------


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _end_char(text: str) -> str:
    stripped = text.rstrip(_CLOSERS + " ")
    return stripped[-1] if stripped else ""


def is_prose(text: str) -> bool:
    """Running text: a sentence of some length, not a label, heading or link list.

    At least 8 words that end like a sentence or hold a sentence boundary, or
    at least 25 words. A title with a colon inside ("Wein dekantieren: Alles
    Wissenswerte rund um …"), however long, is not prose; "Meine Tipps, wenn's
    … nicht rund läuft:" is.
    """
    words = _words(text)
    if words >= 25:
        return True
    return words >= 8 and (_end_char(text) in _SENTENCE_END or _SENTENCE_BREAK.search(text) is not None)


def is_heading_like(text: str) -> bool:
    """A short single line that reads like a title: no closing comma, colon or full stop."""
    if not _LETTER.search(text) or len(text) > 150 or _words(text) > 15:
        return False
    end = _end_char(text)
    if end in ".,;:":
        return text.endswith("...")  # "Kunde droht ..." ends in an ellipsis, not a full stop
    return True


def _heading_styled(text: str) -> bool:
    """Looks like a widget title rather than the article's last sentence.

    Scraped text keeps CSS ``text-transform: uppercase`` (``innerText`` applies
    it), which themes use for widget titles; a title without end punctuation or
    ending in a colon is a label too. A mixed-case line ending in ``?``/``!``
    may be the author's closing question, so it is not taken.
    """
    letters = _LETTER.findall(text)
    if len(letters) >= 2 and all(c.isupper() for c in letters if c.lower() != c.upper()):
        return True
    end = _end_char(text)
    return end not in _SENTENCE_END or end == ":"


def _is_short_label(text: str) -> bool:
    return _words(text) <= 12 and len(text) <= 100 and bool(_LETTER.search(text))
