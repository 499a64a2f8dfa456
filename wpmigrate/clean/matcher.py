"""Text rules compiled for matching many lines: which rules match a whole folded line, in profile order.

A profile's text rules are whole-line strings and anchored patterns (share
labels such as Jetpack's "Share this:", sign-up prompts, comment-form
strings). Almost every line of a real document is matched by none, so the
common answer must be cheap: exact strings are one dictionary lookup; of the
patterns, only those that can start with the line's first character are
tried, together, as one alternation (one per first character, built when
first needed). Only a line the alternation matches is tried against each of
those patterns, to learn which rules match, in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wpmigrate.clean.regex import first_characters

if TYPE_CHECKING:
    from wpmigrate.clean.rules import TextRule

__all__ = ["TextMatcher"]

# a pattern that refers to its own groups cannot be one branch of a larger
# alternation (group numbers and names would change meaning), so it is tried alone
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_FLAG_LETTERS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"), (re.ASCII, "a"))


def _branch(regex: re.Pattern) -> str | None:
    """The pattern as one branch of an alternation, its flags scoped to it; None if it cannot be."""
    pattern = regex.pattern
    if regex.groupindex or _GROUP_REFERENCE.search(pattern):
        return None
    body = pattern
    while (m := _GLOBAL_FLAGS.match(body)) is not None:
        body = body[m.end() :]
    flags = "".join(letter for flag, letter in _FLAG_LETTERS if regex.flags & flag)
    if "x" in flags:
        body += "\n"  # a verbose pattern may end in a comment
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


#: first characters remembered per matcher (a hostile text could bring many)
_FIRST_CHARACTERS_KEPT = 4096


class TextMatcher:
    """The text rules of a profile set, compiled once for matching folded lines."""

    def __init__(self, rules: Sequence[TextRule]) -> None:
        self.rules = tuple(rules)
        self._exact: dict[str, list[int]] = {}
        self._branches: dict[int, str] = {}  # pattern rules that can be one branch of an alternation
        self._alone: list[int] = []  # pattern rules tried on every line
        self._starts: dict[int, re.Pattern | None] = {}
        for i, rule in enumerate(self.rules):
            if rule.exact is not None:
                self._exact.setdefault(rule.exact, []).append(i)
                continue
            branch = _branch(rule.regex)  # type: ignore[arg-type]
            if branch is None:
                self._alone.append(i)
            else:
                self._branches[i] = branch
                self._starts[i] = first_characters(rule.regex)  # type: ignore[arg-type]
        self._by_first: dict[str, tuple[re.Pattern | None, tuple[int, ...]]] = {}
        self._alternations: dict[tuple[int, ...], re.Pattern | None] = {}

    def _for_first(self, char: str) -> tuple[re.Pattern | None, tuple[int, ...]]:
        """The patterns a line starting with *char* can match, and their alternation
        (None when there is none to try them with first)."""
        found = self._by_first.get(char)
        if found is not None:
            return found
        group = tuple(i for i, start in self._starts.items() if start is None or start.fullmatch(char))
        if group not in self._alternations:
            try:
                self._alternations[group] = re.compile("|".join(self._branches[i] for i in group)) if group else None
            except re.error:  # branches that cannot stand together: each is tried on its own
                self._alternations[group] = None
        found = (self._alternations[group], group)
        if len(self._by_first) < _FIRST_CHARACTERS_KEPT:
            self._by_first[char] = found
        return found

    def _fits(self, i: int, text: str) -> bool:
        limit = self.rules[i].max_length
        return limit is None or len(text) <= limit

    def matching(self, text: str) -> list[TextRule]:
        """Every rule that matches the whole folded line *text*, in profile order."""
        if not text:
            return []
        exact = self._exact.get(text)
        alternation, group = self._for_first(text[0])
        tried = group if alternation is None or alternation.fullmatch(text) else ()
        if exact is None and not tried and not self._alone:
            return []
        hits = [i for i in exact or () if self._fits(i, text)]
        for candidates in (tried, self._alone):
            hits.extend(i for i in candidates if self._fits(i, text) and self.rules[i].regex.fullmatch(text))
        hits.sort()
        return [self.rules[i] for i in hits]

    def first(self, text: str) -> TextRule | None:
        """The first rule in profile order that matches the whole folded line, or None."""
        found = self.matching(text)
        return found[0] if found else None
