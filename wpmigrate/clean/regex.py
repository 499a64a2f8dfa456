"""What a profile's regular expression needs of a text before it can match, read off its parse once.

Two cheap questions answered at load, so that most texts never reach the
regular expression engine: which characters a whole-line pattern can start
with (a share label starts with "S", "T" or "G", a paragraph of prose that
starts with "Die" cannot be one), and which literal string every match of a
detection pattern contains ("Zeen is a next generation WordPress theme").

Both are read from the standard library's own parse of the pattern. Where the
parse holds anything these readers do not know, the answer is "anything"
(no prefilter), so a prefilter never rejects a text the pattern would match.
"""

from __future__ import annotations

import re

try:  # the parser re.compile() itself uses (sre_parse before Python 3.11)
    from re import _constants as _sre
    from re import _parser as _parse
except ImportError:  # pragma: no cover - another Python
    _sre = _parse = None

__all__ = ["first_characters", "required_literal"]

_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _firsts(items) -> tuple[list[str] | None, bool]:
    """``(atoms, nullable)`` of a parsed sequence: regex sources of the single
    characters a match can start with (None: any), and whether it can match empty."""
    atoms: list[str] = []
    for op, av in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        if name == "LITERAL":
            atoms.append(re.escape(chr(av)))
            return atoms, False
        if name == "IN":
            for kind, value in av:
                if str(kind) == "LITERAL":
                    atoms.append(re.escape(chr(value)))
                elif str(kind) == "RANGE":
                    atoms.append(f"[{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}]")
                else:  # NEGATE, CATEGORY (\s, \w …)
                    return None, False
            return atoms, False
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:  # (?i:…) inside: another case rule
                return None, False
            inner, nullable = _firsts(sub)
        elif name == "BRANCH":
            inner, nullable = [], False
            for branch in av[1]:
                found, empty = _firsts(branch)
                if found is None:
                    return None, False
                inner.extend(found)
                nullable = nullable or empty
        elif name in _REPEATS:
            low, _high, sub = av
            inner, empty = _firsts(sub)
            nullable = low == 0 or empty
        else:  # ANY, NOT_LITERAL, GROUPREF, CATEGORY …
            return None, False
        if inner is None:
            return None, False
        atoms.extend(inner)
        if not nullable:
            return atoms, False
    return atoms, True


def first_characters(regex: re.Pattern) -> re.Pattern | None:
    """A pattern that matches every character a non-empty match of *regex* can start
    with (and maybe more), under the same case rule; None when any can start one."""
    if _parse is None:
        return None
    try:
        atoms, _nullable = _firsts(_parse.parse(regex.pattern, regex.flags).data)
    except Exception:  # a pattern this reader does not follow: no prefilter
        return None
    if not atoms:
        return None
    return re.compile("|".join(dict.fromkeys(atoms)), regex.flags & (re.IGNORECASE | re.ASCII))


def required_literal(regex: re.Pattern) -> str | None:
    """The longest run of plain characters every match of *regex* contains, or None.

    Only a case-sensitive pattern's top level is read: a run of literal
    characters, zero-width assertions (``\\b``) inside it, ends at anything else.
    """
    if _parse is None or regex.flags & re.IGNORECASE:
        return None
    try:
        items = _parse.parse(regex.pattern, regex.flags).data
    except Exception:
        return None
    best, run = "", []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            continue
        if name in _ZERO_WIDTH:
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    if len(run) > len(best):
        best = "".join(run)
    return best or None
