"""Compiled cleaning rules and the set of loaded profiles, as the cleaners use them.

:mod:`wpmigrate.clean.profiles` builds these from TOML files; the HTML engine,
the Markdown and text cleaners read them. Everything here is immutable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from wpmigrate.clean.matcher import TextMatcher
from wpmigrate.clean.prefilter import DocumentTokens, SelectorIndex
from wpmigrate.clean.regex import required_literal
from wpmigrate.clean.result import Removal, excerpt
from wpmigrate.wordpress.blocks import has_blocks

_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)


def fold(line: str) -> str:
    """A line as text rules see it: non-breaking spaces as spaces, whitespace folded, stripped.

    (``str.split()`` splits at exactly the characters ``\\s`` matches, the
    no-break space among them.)
    """
    return " ".join(line.split())


#: a block of at least this many words, mostly not link text, is prose
PROSE_MIN_WORDS = 5
#: the over-removal breaker: never remove more than this share of a document's prose
BREAKER_RATIO = 0.30


def block_rules(matcher, text: str, links: int) -> list:
    """The text rules matching a block's whole (folded) text, less those that take no
    block of mostly link text (``not_links``)."""
    matched = matcher.matching(text)
    if matched and links * 2 >= len(text):
        matched = [r for r in matched if not r.not_links]
    return matched


#: scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Burmese,
#: Khmer): a block with this many of their characters is as long as PROSE_MIN_WORDS words
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
UNSPACED_MIN_CHARS = 15


def has_words(folded: str) -> bool:
    """Whether a folded text is long enough to be prose: :data:`PROSE_MIN_WORDS` words,
    or as many characters of a script written without spaces."""
    if folded.count(" ") + 1 >= PROSE_MIN_WORDS:
        return True
    return len(folded) >= UNSPACED_MIN_CHARS and len(_UNSPACED.findall(folded)) >= UNSPACED_MIN_CHARS


def is_prose(text: str, link_chars: int = 0) -> bool:
    """Is this block running text (as opposed to a label, a menu, a button row)?

    Prose has at least :data:`PROSE_MIN_WORDS` words and less than half of its
    characters inside links. Text zones (head/tail) and the over-removal breaker
    are both measured in prose.
    """
    text = fold(text)
    if not has_words(text):
        return False
    return link_chars * 2 < len(text)


def breaker_trips(total_prose: int, removed_prose: int) -> bool:
    """Would removing *removed_prose* of *total_prose* characters remove too much?"""
    return total_prose > 0 and removed_prose > BREAKER_RATIO * total_prose


# --- compiled rules -----------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    profile: str
    reason: str
    action: str = "drop"  # drop | unwrap | metadata | flag

    kind: ClassVar[str] = "rule"

    def describe(self) -> str:
        """The matcher as a user would write it (for ``wpmigrate profiles``)."""
        return self.id

    def removal(
        self, text: str, action: str = "removed", line_start: int | None = None, line_end: int | None = None
    ) -> Removal:
        """The report entry for one decision of this rule on *text*."""
        return Removal(self.id, self.profile, self.reason, excerpt(text), action, line_start, line_end)


@dataclass(frozen=True)
class SelectorRule(Rule):
    selector: str = ""
    xpath: str = ""  # the selector translated once, at load
    key: str | None = None  # metadata key for action "metadata"

    kind: ClassVar[str] = "selector"

    def describe(self) -> str:
        return self.selector


@dataclass(frozen=True)
class BlockRule(Rule):
    name: str = ""

    kind: ClassVar[str] = "block"

    def describe(self) -> str:
        return f"<!-- wp:{self.name.removeprefix('core/')} -->"


@dataclass(frozen=True)
class ShortcodeRule(Rule):
    name: str = ""

    kind: ClassVar[str] = "shortcode"

    def describe(self) -> str:
        return f"[{self.name}]"


@dataclass(frozen=True)
class TextRule(Rule):
    """A whole-line rule: an exact string or a regex anchored at both ends."""

    zone: str = "anywhere"  # head | tail | anywhere
    exact: str | None = None
    regex: re.Pattern | None = None
    key: str | None = None
    max_length: int | None = None
    #: ids of the rules after whose line this one applies: only in the run of lines
    #: directly after a line one of them removed (share buttons under "Share this:")
    after: tuple[str, ...] = ()
    #: a block that is mostly link text is no match (a "Send a message" button that links
    #: to the contact page is no form's leftover label)
    not_links: bool = False

    kind: ClassVar[str] = "text"

    @property
    def source(self) -> str:
        return self.exact if self.exact is not None else self.regex.pattern  # type: ignore[union-attr]

    def matches(self, line: str) -> bool:
        """Does the whole *line* (whitespace folded) match this rule?"""
        text = fold(line)
        if not text:
            return False
        if self.max_length is not None and len(text) > self.max_length:
            return False
        if self.exact is not None:
            return text == self.exact
        return self.regex.fullmatch(text) is not None  # type: ignore[union-attr]

    def in_zone(self, index: int, first_prose: int | None, last_prose: int | None) -> bool:
        """Is block number *index* inside this rule's zone?

        *first_prose*/*last_prose* are the indexes of the document's first and
        last prose blocks (``None`` when it has none: then every block is both
        head and tail).
        """
        if self.zone == "anywhere":
            return True
        if self.zone == "head":
            return first_prose is None or index < first_prose
        return last_prose is None or index > last_prose

    def describe(self) -> str:
        where = f"{self.source!r} in {self.zone}"
        return f"{where}, after {' or '.join(self.after)}" if self.after else where


@dataclass(frozen=True)
class LeadInRule(Rule):
    """A lead-in that introduces links to other posts ("Lesen Sie auch:", "Related:"), typed by hand.

    It decides on a block whose text starts with the lead-in when the rest of
    the block is nearly all link text, and on a block that is the lead-in
    alone together with the list or paragraph right after it when that is
    nearly all link text. Prose that starts with the same words stays.
    """

    regex: re.Pattern | None = None

    kind: ClassVar[str] = "lead_in"
    #: the share of link text that makes a block "links"
    LINKS = 0.8
    #: a lead-in is a few words
    MAX_LEAD = 60

    def describe(self) -> str:
        return f"{self.regex.pattern!r} + links"  # type: ignore[union-attr]

    def lead(self, text: str) -> str | None:
        """The rest of *text* after the lead-in ("" when it is the lead-in alone), or None."""
        m = self.regex.match(text)  # type: ignore[union-attr]
        if m is None or m.end() > self.MAX_LEAD:
            return None
        return text[m.end() :].strip(" :-–—|»›>")

    def is_links(self, text: str, links: int) -> bool:
        return bool(text) and links >= self.LINKS * len(text)


@dataclass(frozen=True)
class ShapeRule(Rule):
    """A block a site repeats, by its shape (as ``--learn`` writes it): its text with each
    run of links as ``⟨links⟩`` and, outside prose, each number as ``#``, at a path of
    tags and classes under the article's root, in a zone counted in prose blocks
    (see :mod:`wpmigrate.clean.blocks`). With ``links_after`` it is a lead-in alone and
    the list of links after it goes with it."""

    shape: str = ""
    path: str = ""  # "" = at any path
    zone: str = "anywhere"  # head | tail | anywhere
    links_after: bool = False

    kind: ClassVar[str] = "shape"

    def describe(self) -> str:
        where = f"{self.shape!r} at {self.path or 'any path'} in {self.zone}"
        return where + (", with the links after it" if self.links_after else "")


@dataclass(frozen=True)
class Detect:
    class_prefixes: tuple[str, ...] = ()
    strings: tuple[str, ...] = ()
    patterns: tuple[re.Pattern, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.class_prefixes or self.strings or self.patterns)

    @cached_property
    def pattern_literals(self) -> tuple[tuple[re.Pattern, str | None], ...]:
        """Each pattern with the string every match of it contains (looked for first, cheaply)."""
        return tuple((p, required_literal(p)) for p in self.patterns)


@dataclass(frozen=True)
class Profile:
    name: str
    description: str = ""
    path: str = ""
    bundled: bool = False
    apply: str = "always"  # always | detected
    detect: Detect = field(default_factory=Detect)
    content_roots: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()

    def detected(self, class_tokens: Collection[str], content: Callable[[], str]) -> bool:
        """Do the document's class tokens or its markup (*content*, asked for only when
        a string or pattern marker has to be looked for) show this profile's markers?"""
        d = self.detect
        if d.class_prefixes and any(t.startswith(d.class_prefixes) for t in class_tokens):
            return True
        if not (d.strings or d.patterns):
            return False
        text = content()
        return any(s in text for s in d.strings) or any(
            (literal is None or literal in text) and p.search(text) for p, literal in d.pattern_literals
        )


def class_tokens_of(html: str) -> frozenset[str]:
    """Every class name used in *html*, found without parsing it."""
    tokens: set[str] = set()
    for m in _CLASS_ATTR.finditer(html):
        value = m.group(1) or m.group(2) or m.group(3) or ""
        tokens.update(value.split())
    return frozenset(tokens)


# --- the loaded set -----------------------------------------------------------


@dataclass(frozen=True)
class ProfileSet:
    """Profiles loaded together, with their rules compiled and grouped by kind.

    ``forced`` names the profiles the user picked by name: they apply even where
    their detection markers are not found.
    """

    profiles: tuple[Profile, ...] = ()
    forced: frozenset[str] = frozenset()

    # the rule groups below are computed once per set (cached_property writes the
    # instance __dict__ directly, which a frozen dataclass allows)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.profiles)

    def __iter__(self):
        return iter(self.profiles)

    def __len__(self) -> int:
        return len(self.profiles)

    def _rules(self, cls: type) -> tuple:
        return tuple(r for p in self.profiles for r in p.rules if isinstance(r, cls))

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for p in self.profiles for r in p.rules)

    @cached_property
    def selector_rules(self) -> tuple[SelectorRule, ...]:
        return self._rules(SelectorRule)

    @cached_property
    def block_rules(self) -> tuple[BlockRule, ...]:
        return self._rules(BlockRule)

    @cached_property
    def shortcode_rules(self) -> tuple[ShortcodeRule, ...]:
        return self._rules(ShortcodeRule)

    @cached_property
    def _shortcode_opening(self) -> re.Pattern[str] | None:
        names = sorted({r.name for r in self.shortcode_rules}, key=len, reverse=True)
        return re.compile(r"\[\[?(?:" + "|".join(map(re.escape, names)) + ")", re.I) if names else None

    def may_edit_source(self, content: str) -> bool:
        """Whether a block or shortcode rule of any profile in the set could apply to
        *content*: a block comment, or the opening of a shortcode a rule names. Most
        whole pages have neither (a ``[`` in their scripts is no shortcode), and then
        neither the profiles' detection nor the source parse is needed."""
        if self.block_rules and has_blocks(content):
            return True
        opening = self._shortcode_opening
        return opening is not None and "[" in content and opening.search(content) is not None

    @cached_property
    def text_rules(self) -> tuple[TextRule, ...]:
        """Text rules that decide on a line by its text and zone (not the ``after`` ones)."""
        return tuple(r for r in self._rules(TextRule) if not r.after)

    @cached_property
    def run_rules(self) -> tuple[TextRule, ...]:
        """Text rules that only apply in the run of lines after another rule's line (``after``)."""
        return tuple(r for r in self._rules(TextRule) if r.after)

    @cached_property
    def lead_in_rules(self) -> tuple[LeadInRule, ...]:
        return self._rules(LeadInRule)

    @cached_property
    def shape_rules(self) -> dict[str, tuple[ShapeRule, ...]]:
        """Shape rules by their shape, in profile order."""
        found: dict[str, list[ShapeRule]] = {}
        for rule in self._rules(ShapeRule):
            found.setdefault(rule.shape, []).append(rule)
        return {shape: tuple(rules) for shape, rules in found.items()}

    @cached_property
    def content_roots(self) -> tuple[str, ...]:
        """Content-root selectors of every profile, in profile order, without repeats."""
        seen: dict[str, None] = {}
        for p in self.profiles:
            for sel in p.content_roots:
                seen.setdefault(sel, None)
        return tuple(seen)

    def get(self, name: str) -> Profile | None:
        for p in self.profiles:
            if p.name == name:
                return p
        return None

    def detect(self, html_or_text: str) -> list[str]:
        """Names of the profiles whose detection markers occur in the content."""
        tokens = class_tokens_of(html_or_text) if "class" in html_or_text else frozenset()
        return self._detected(tokens, lambda: html_or_text)

    @cached_property
    def _class_prefixes(self) -> tuple[str, ...]:
        return tuple(prefix for p in self.profiles for prefix in p.detect.class_prefixes)

    def _detected(self, class_tokens: Collection[str], content: Callable[[], str]) -> list[str]:
        # one test per class token against every profile's prefixes: most documents
        # show none, and only the profiles not found by class read the markup
        by_class: set[str] = set()
        prefixes = self._class_prefixes
        if prefixes:
            for token in class_tokens:
                if token.startswith(prefixes):
                    by_class.update(
                        p.name
                        for p in self.profiles
                        if p.detect.class_prefixes and token.startswith(p.detect.class_prefixes)
                    )
        return [p.name for p in self.profiles if p.name in by_class or (p.detect and p.detected((), content))]

    def match_blocks(
        self, blocks: Sequence[str], link_chars: Sequence[int] | None = None
    ) -> list[tuple[int, TextRule]]:
        """Apply the text rules, zones included, to a document given as its blocks in order.

        *blocks* are the texts of the document's block-level pieces (paragraphs,
        headings, list items, lines of scraped text); *link_chars* optionally how
        much of each is link text. Returns ``(index, rule)`` for each block a rule
        decides on. A block that a text rule matches is never prose, so removing
        matched blocks does not move the zones: applying the result and matching
        again finds nothing new (cleaning is idempotent).
        """
        texts = [fold(b) for b in blocks]
        links = list(link_chars) if link_chars is not None else [0] * len(blocks)
        matched = [block_rules(self.text_matcher, t, n) for t, n in zip(texts, links)]
        return zone_decisions(matched, [not m and is_prose(t, n) for t, m, n in zip(texts, matched, links)])

    # -- compiled once per set --------------------------------------------------------

    @cached_property
    def text_matcher(self) -> TextMatcher:
        return TextMatcher(self.text_rules)

    @cached_property
    def run_matcher(self) -> TextMatcher:
        return TextMatcher(self.run_rules)

    @cached_property
    def selector_index(self) -> SelectorIndex:
        """The selector rules by the tokens they need (see :mod:`wpmigrate.clean.prefilter`)."""
        return SelectorIndex([r.selector for r in self.selector_rules])

    @cached_property
    def content_root_index(self) -> SelectorIndex:
        return SelectorIndex(self.content_roots)

    # -- which profiles apply ---------------------------------------------------------

    def for_content(self, html_or_text: str) -> ProfileSet:
        """The profiles that apply to this content: every ``always`` profile, the
        ``detected`` ones whose markers are found, and the forced ones. Detected
        profiles come first, so their content roots are tried first."""
        return self._selected(self.detect(html_or_text))

    def for_tokens(self, tokens: DocumentTokens, markup: Callable[[], str]) -> ProfileSet:
        """As :meth:`for_content`, for a parsed document: class prefixes are looked for in
        its class tokens, strings and patterns in its *markup* (asked for only when needed)."""
        return self._selected(self._detected(tokens.classes, markup))

    @cached_property
    def _selections(self) -> dict[tuple[str, ...], ProfileSet]:
        return {}

    def _selected(self, detected: list[str]) -> ProfileSet:
        # the same few selections recur for every document of a site: each is built,
        # and its rules compiled, once
        found = set(detected) | {p.name for p in self.profiles if p.name in self.forced and p.detect}
        first = [p for p in self.profiles if p.name in found]
        rest = [p for p in self.profiles if p.name not in found and (p.apply == "always" or p.name in self.forced)]
        key = tuple(p.name for p in first + rest)
        chosen = self._selections.get(key)
        if chosen is None:
            chosen = self._selections[key] = ProfileSet(tuple(first + rest), self.forced)
        return chosen


def zone_decisions(matched: Sequence[Sequence[TextRule]], prose: Sequence[bool]) -> list[tuple[int, TextRule]]:
    """``(index, rule)`` per block: the first of the rules matching it whose zone holds it.

    *matched* lists, per block, the rules that match its whole text (in
    profile order); *prose* says which blocks are prose. Zones are measured
    from the first and last prose block.
    """
    first = next((i for i, p in enumerate(prose) if p), None)
    last = next((i for i in range(len(prose) - 1, -1, -1) if prose[i]), None)
    decisions = []
    for i, candidates in enumerate(matched):
        for rule in candidates:
            if rule.in_zone(i, first, last):
                decisions.append((i, rule))
                break
    return decisions
