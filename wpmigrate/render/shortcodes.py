"""Shortcodes: a parser with the grammar of WordPress's ``get_shortcode_regex()``.

WordPress finds shortcodes with one regular expression built from the names
of the registered shortcodes (wp-includes/shortcodes.php)::

    [name attrs]             self-closing (also [name attrs /])
    [name attrs]content[/name]   enclosing
    [[name]]                 escaped: printed as [name], never run

and splits the attribute text with ``shortcode_parse_atts()``: ``key="v"``,
``key='v'``, ``key=v`` and positional values (integer keys 0, 1, …); names
are lower-cased. The expression is non-greedy about the closing tag and does
not nest same-named shortcodes: ``do_shortcode()`` recurses into the content
of the shortcodes whose handler asks for it.

A WordPress site only matches registered names; an export does not say which
were registered, so with ``names=None`` :func:`iter_shortcodes` accepts any
name that WordPress could register (letters, digits, ``_`` and ``-``,
starting with a letter) and callers decide what is plausible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

__all__ = ["Shortcode", "iter_shortcodes", "parse_atts", "shortcode_regex", "GENERIC_NAME"]

#: names accepted when the caller names no shortcodes
GENERIC_NAME = r"[A-Za-z][A-Za-z0-9_-]*"


def shortcode_regex(names: Iterable[str] | None = None) -> re.Pattern[str]:
    """The ``get_shortcode_regex()`` pattern for ``names`` (any plausible name if None)."""
    if names is None:
        tag = GENERIC_NAME
    else:
        names = sorted(set(names), key=lambda n: (-len(n), n))
        if not names:
            # matches nothing
            return re.compile(r"(?!x)x")
        tag = "|".join(re.escape(n) for n in names)
    return re.compile(
        r"\["
        r"(\[?)"  # 1: escaping [[
        rf"({tag})"  # 2: name
        r"(?![\w-])"  # not followed by a word character or a hyphen
        r"("  # 3: attribute text
        r"[^\]/]*"
        r"(?:/(?!\])[^\]/]*)*?"
        r")"
        r"(?:"
        r"(/)"  # 4: self-closing
        r"\]"
        r"|"
        r"\]"
        r"(?:"
        r"("  # 5: content
        r"[^\[]*+"
        r"(?:\[(?!/\2\])[^\[]*+)*+"
        r")"
        r"\[/\2\]"
        r")?"
        r")"
        r"(\]?)",  # 6: escaping ]]
        re.S,
    )


_GENERIC = shortcode_regex(None)

# shortcode_parse_atts() in wp-includes/shortcodes.php
_ATTS = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)"""
)
_BALANCED_TAGS = re.compile(r"^[^<]*+(?:<[^>]*+>[^<]*+)*+$")


def parse_atts(text: str) -> dict[str | int, str]:
    """``shortcode_parse_atts()``: named attributes (lower-cased keys) and positional ones."""
    atts: dict[str | int, str] = {}
    text = re.sub("[\u00a0\u200b]+", " ", text)
    position = 0
    for m in _ATTS.finditer(text):
        if m.group(1) is not None:
            atts[m.group(1).lower()] = m.group(2)
        elif m.group(3) is not None:
            atts[m.group(3).lower()] = m.group(4)
        elif m.group(5) is not None:
            atts[m.group(5).lower()] = m.group(6)
        else:
            value = next(g for g in (m.group(7), m.group(8), m.group(9)) if g is not None)
            atts[position] = value
            position += 1
    # WordPress rejects attribute values holding unbalanced HTML.
    for key, value in atts.items():
        if "<" in value and not _BALANCED_TAGS.match(value):
            atts[key] = ""
    return atts


@dataclass(frozen=True)
class Shortcode:
    """One shortcode found in a text.

    ``start``/``end`` cover the whole shortcode, from ``[`` to the last ``]``
    (the closing tag included). ``content`` is ``None`` for the self-closing
    form. ``raw_attrs`` is the attribute text as written.
    """

    name: str
    attrs: dict = field(default_factory=dict)
    content: str | None = None
    start: int = 0
    end: int = 0
    raw_attrs: str = ""
    text: str = ""
    #: written as ``[[name]]``: WordPress prints it literally, without the outer brackets
    escaped: bool = False

    @property
    def opening_tag(self) -> str:
        """The opening tag as written (the whole text for the self-closing form)."""
        if self.content is None:
            return self.text
        return self.text[: len(self.text) - len(self.content) - len(self.name) - 3]

    @property
    def self_closing(self) -> bool:
        return self.content is None


def iter_shortcodes(
    text: str, names: Iterable[str] | None = None, *, escaped: bool = False
) -> Iterator[Shortcode]:
    """Yield the shortcodes of ``text`` in order, as ``do_shortcode()`` finds them.

    ``names`` limits the match to those names (as a WordPress site with only
    those shortcodes registered); ``None`` accepts any plausible name.
    Escaped shortcodes (``[[name]]``) are skipped unless ``escaped=True``.
    Matches do not overlap: the content of an enclosing shortcode is not
    searched (call again on ``content`` to find nested ones).
    """
    pattern = _GENERIC if names is None else shortcode_regex(names)
    for m in pattern.finditer(text):
        is_escaped = m.group(1) == "[" and m.group(6) == "]"
        if is_escaped and not escaped:
            continue
        raw = m.group(3)
        start, end = m.start(), m.end()
        if not is_escaped:
            # "[[name]" or "[name]]": WordPress keeps the lone extra bracket as text
            start += len(m.group(1))
            end -= len(m.group(6))
        yield Shortcode(
            name=m.group(2),
            attrs=parse_atts(raw),
            content=m.group(5),
            start=start,
            end=end,
            raw_attrs=raw,
            text=text[start:end],
            escaped=is_escaped,
        )


def unescape_shortcodes(text: str, names: Iterable[str] | None = None) -> str:
    """Print escaped shortcodes literally: ``[[name]]`` → ``[name]`` (``do_shortcode_tag()``)."""
    pattern = _GENERIC if names is None else shortcode_regex(names)

    def repl(m: re.Match[str]) -> str:
        if m.group(1) == "[" and m.group(6) == "]":
            return m.group(0)[1:-1]
        return m.group(0)

    return pattern.sub(repl, text)
