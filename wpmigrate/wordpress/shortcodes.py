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

import bisect
import functools
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["Shortcode", "attr_url", "iter_shortcodes", "parse_atts", "shortcode_regex", "GENERIC_NAME"]

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


# an ampersand still encoded after decoding: one more level of encoding
_ENCODED_AMP = re.compile(r"&(?:amp|#0*38|#x0*26);", re.I)


def attr_url(value: str) -> str:
    """An address written in a shortcode attribute (or content), as the address itself.

    ``shortcode_parse_atts()`` hands handlers the text as stored, and the
    editor stores ``&`` as ``&amp;``: the address is that text decoded once.
    An address pasted from embed code (``…?mid=X&amp;w=640``) was HTML already,
    and the editor encoded it again (``&amp;amp;``); no address holds a literal
    ``&amp;``, so decoding goes on while one is left (as Jetpack's handlers
    do). The handler's HTML escapes the result once.
    """
    value = html.unescape(value.strip())
    for _ in range(4):  # (each pass is one level of encoding; a bound against the absurd)
        if _ENCODED_AMP.search(value) is None:
            break
        value = html.unescape(value)
    return value


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

    @property
    def plausible(self) -> bool:
        """Whether an unregistered name still reads as a shortcode, not bracketed prose.

        A site's registered names are unknown to an export, so an unknown
        shortcode must look like one: enclosing (``[x]…[/x]``), without attributes
        and in lower case (``[toc]``; "[NAME]" or "[Test]" is a placeholder in
        prose), or with at least one ``key=value`` attribute ("[simple boat]" is not).
        """
        if self.content is not None:
            return True
        if not self.raw_attrs.strip() or self.raw_attrs.strip() == "/":
            return self.name == self.name.lower()
        return any(isinstance(k, str) for k in self.attrs)


def _opening_regex(names: Iterable[str] | None, prefixes: Iterable[str] = ()) -> re.Pattern[str]:
    return _compile_opening(
        None if names is None else tuple(sorted(set(names), key=lambda n: (-len(n), n))),
        tuple(sorted(set(prefixes), key=lambda p: (-len(p), p))),
    )


@functools.lru_cache(maxsize=64)
def _compile_opening(names: tuple[str, ...] | None, prefixes: tuple[str, ...] = ()) -> re.Pattern[str]:
    if names is None:
        tag = GENERIC_NAME
    else:
        # a prefix stands for every name that starts with it (a page builder's elements)
        alternatives = [re.escape(n) for n in names] + [re.escape(p) + r"[A-Za-z0-9_-]+" for p in prefixes]
        if not alternatives:
            return re.compile(r"(?!x)x")
        tag = "|".join(alternatives)
    # The opening tag of get_shortcode_regex(), with one deliberate change:
    # the attribute text stops at "[" too. WordPress lets it run over "[",
    # which costs quadratic time on text full of unclosed brackets and only
    # matters for attribute values holding brackets, which WordPress itself
    # cuts at the first "]".
    return re.compile(
        r"\[(\[?)"
        rf"({tag})"
        r"(?![\w-])"
        r"([^\]/\[]*+(?:/(?!\])[^\]/\[]*+)*+)"
        r"(?:(/)\]|\])",
        re.S,
    )


_OPENING_GENERIC = _opening_regex(None)
_CLOSING = re.compile(r"\[/(" + GENERIC_NAME + r")\]")


def iter_shortcodes(
    text: str, names: Iterable[str] | None = None, *, escaped: bool = False, prefixes: Iterable[str] = ()
) -> Iterator[Shortcode]:
    """Yield the shortcodes of ``text`` in order, as ``do_shortcode()`` finds them.

    ``names`` limits the match to those names (as a WordPress site with only
    those shortcodes registered), and ``prefixes`` adds every name starting
    with one of them; ``names=None`` accepts any plausible name.
    Escaped shortcodes (``[[name]]``) are skipped unless ``escaped=True``.
    Matches do not overlap: the content of an enclosing shortcode is not
    searched (call again on ``content`` to find nested ones).

    The match is the one of ``get_shortcode_regex()``: an opening tag, then,
    unless it is self-closing, everything up to the first ``[/name]`` as the
    content (no closing tag: the self-closing form). It is found in linear
    time: closing tags are indexed once, not searched for at every opening.
    """
    if "[" not in text:
        return
    opening = _OPENING_GENERIC if names is None else _opening_regex(names, prefixes)
    closers: dict[str, list[int]] | None = None
    pos = 0
    n = len(text)
    while True:
        m = opening.search(text, pos)
        if m is None:
            return
        name = m.group(2)
        content = None
        end = m.end()
        if m.group(4) is None:
            if closers is None:
                closers = {}
                for c in _CLOSING.finditer(text):
                    closers.setdefault(c.group(1), []).append(c.start())
            positions = closers.get(name)
            if positions:
                i = bisect.bisect_left(positions, end)
                if i < len(positions):
                    content = text[end : positions[i]]
                    end = positions[i] + len(name) + 3
        trailing = "]" if end < n and text[end] == "]" else ""
        end += len(trailing)
        pos = end
        is_escaped = m.group(1) == "[" and trailing == "]"
        if is_escaped and not escaped:
            continue
        start = m.start()
        if not is_escaped:
            # "[[name]" or "[name]]": WordPress keeps the lone extra bracket as text
            start += len(m.group(1))
            end -= len(trailing)
        raw = m.group(3)
        yield Shortcode(
            name=name,
            attrs=parse_atts(raw),
            content=content,
            start=start,
            end=end,
            raw_attrs=raw,
            text=text[start:end],
            escaped=is_escaped,
        )


def unescape_shortcodes(text: str, names: Iterable[str] | None = None) -> str:
    """Print escaped shortcodes literally: ``[[name]]`` → ``[name]`` (``do_shortcode_tag()``)."""
    out: list[str] = []
    pos = 0
    for sc in iter_shortcodes(text, names, escaped=True):
        if sc.escaped:
            out.append(text[pos : sc.start])
            out.append(sc.text[1:-1])
            pos = sc.end
    out.append(text[pos:])
    return "".join(out)
