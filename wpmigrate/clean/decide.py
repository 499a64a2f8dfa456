"""What the rules decide on a tree, before anything is applied.

Selector rules pick elements (only the rules whose tokens the document has
are evaluated, see :mod:`wpmigrate.clean.prefilter`); text rules pick the
leaf blocks whose whole text they match, inside their zone. Every element is
decided on by the first rule, in profile order, that picks it. Each leaf
block's text, link text and matching rules are measured once and kept until
an edit touches the block; the walk without skipped elements also gives the
document's prose for the breaker.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from lxml import etree

from wpmigrate.clean.blocks import decide_shapes
from wpmigrate.clean.matcher import TextMatcher
from wpmigrate.clean.prefilter import DocumentTokens
from wpmigrate.clean.rules import LeadInRule, ProfileSet, Rule, TextRule, block_rules, zone_decisions
from wpmigrate.clean.tree import leaf_blocks, prose_length
from wpmigrate.clean.tree import measure as measure_block

__all__ = ["Blocks", "Decision", "decide", "decide_text", "outermost", "prose_under"]


@dataclass
class Decision:
    element: etree._Element
    rule: Rule
    action: str  # drop | unwrap | metadata | flag


#: what is measured of one leaf block: folded text, link text, the text rules matching it
Measure = tuple[str, int, list]


@dataclass
class Blocks:
    """The leaf blocks under an element, each measured once: folded text, link text
    and the text rules that match its whole text, in profile order."""

    leaves: list[etree._Element]
    texts: list[str]
    links: list[int]
    matched: list[list[Rule]]
    # every element under the root: while they are referenced, lxml reuses their
    # Python objects on the next walk instead of building them again
    descendants: list[etree._Element]

    @classmethod
    def of(
        cls,
        root: etree._Element,
        matcher: TextMatcher,
        skip: set | frozenset = frozenset(),
        known: dict[etree._Element, Measure] | None = None,
    ) -> Blocks:
        """Measure the leaf blocks under *root* outside *skip*. *known* holds the measures
        taken before, of blocks whose subtree has not changed since (the cleaning
        forgets a block's measure when it edits inside it); new ones are added."""
        known = {} if known is None else known
        descendants = list(root.iterdescendants())
        leaves = leaf_blocks(root, skip, descendants)
        measures = []
        for leaf in leaves:
            measure = known.get(leaf)
            if measure is None:
                text, links = measure_block(leaf)
                measure = known[leaf] = (text, links, block_rules(matcher, text, links))
            measures.append(measure)
        return cls(leaves, [m[0] for m in measures], [m[1] for m in measures], [m[2] for m in measures], descendants)

    def prose(self) -> int:
        """Characters of prose in these blocks (as :func:`~wpmigrate.clean.tree.prose_chars`)."""
        return sum(prose_length(t, n) for t, n in zip(self.texts, self.links))


def prose_under(el: etree._Element, known: dict[etree._Element, Measure]) -> int:
    """Characters of prose in the leaf blocks under *el* (as :func:`~wpmigrate.clean.tree.prose_chars`),
    with the measures already taken."""
    total = 0
    for leaf in leaf_blocks(el):
        found = known.get(leaf)
        text, links = found[:2] if found is not None else measure_block(leaf)
        total += prose_length(text, links)
    return total


def outermost(decisions: list[Decision]) -> list[Decision]:
    """Decisions not inside an element another decision removes."""
    removing = {d.element for d in decisions if d.action in ("drop", "metadata")}
    if not removing:
        return decisions
    return [d for d in decisions if not any(a in removing for a in d.element.iterancestors())]


def decide(
    root: etree._Element,
    ps: ProfileSet,
    tokens: DocumentTokens,
    known: dict[etree._Element, Measure],
    chrome: Collection[etree._Element] = (),
) -> tuple[list[Decision], Blocks]:
    """Every decision the rules make on the tree under *root*, in document order,
    and the leaf blocks of the whole tree (for the breaker's count of prose).

    An element is decided on by the first rule (in profile order) that selects
    it; a decision inside an element that is removed anyway is not made, except
    metadata, which is still read (the title inside a theme's hero, say).
    Shape rules (a site's learned blocks) place blocks among the prose outside
    *chrome* (what structural pruning removes later, as learning never saw it).
    """
    chosen: dict[etree._Element, Decision] = {}
    rules = ps.selector_rules
    for index, elements in ps.selector_index.select(tokens, root):
        rule = rules[index]
        for el in elements:
            if el is root or not isinstance(el, etree._Element) or not isinstance(el.tag, str):
                continue
            chosen.setdefault(el, Decision(el, rule, rule.action))
    structural = [d for d in chosen.values() if d.action != "metadata"]
    decisions = outermost(structural)
    metadata = [d for d in chosen.values() if d.action == "metadata"]
    decisions.extend(
        m
        for m in metadata
        if not any(a in chosen and chosen[a].action == "metadata" for a in m.element.iterancestors())
    )

    # text rules on the leaf blocks that survive the selector rules
    skip = {d.element for d in decisions if d.action in ("drop", "metadata")}
    whole = Blocks.of(root, ps.text_matcher, known=known)
    blocks = Blocks.of(root, ps.text_matcher, skip, known) if skip else whole
    decisions.extend(decide_text(root, blocks, ps.run_matcher))
    if ps.lead_in_rules:
        taken = {d.element for d in decisions}
        decisions.extend(d for d in decide_lead_ins(blocks, ps.lead_in_rules) if d.element not in taken)
    if ps.shape_rules:
        taken = {d.element for d in decisions}
        shapes = decide_shapes(root, blocks.leaves, blocks.texts, blocks.links, ps.shape_rules, taken, chrome)
        decisions.extend(Decision(el, rule, rule.action) for el, rule in shapes if el not in taken)

    if len(decisions) > 1:
        decisions.sort(key=lambda d: _position(d.element, root))
    return decisions, whole


def _position(el: etree._Element, root: etree._Element) -> tuple[int, ...]:
    """Where *el* stands under *root*: its index among its siblings, at every level.
    These tuples sort in document order (an element before its descendants)."""
    path = []
    while el is not root:
        parent = el.getparent()
        if parent is None:
            return ()
        path.append(parent.index(el))
        el = parent
    path.reverse()
    return tuple(path)


def decide_lead_ins(blocks: Blocks, rules: tuple[LeadInRule, ...]) -> list[Decision]:
    """Lead-in decisions (see :class:`~wpmigrate.clean.rules.LeadInRule`) on the leaf blocks."""
    decisions: list[Decision] = []
    for leaf, text, links in zip(blocks.leaves, blocks.texts, blocks.links):
        for rule in rules:
            rest = rule.lead(text)
            if rest is None:
                continue
            if links and _starts_with_link(leaf, text):
                break  # "Related reading" as a link is a link, not a lead-in
            if rest:
                # "Lesen Sie auch: <a>…</a>" in one block: the rest must be the links
                if rule.is_links(rest, links):
                    decisions.append(Decision(leaf, rule, rule.action))
                break
            if _icon_links(leaf):
                # "Share on:" and a row of icon buttons (links without text) in one block
                decisions.append(Decision(leaf, rule, rule.action))
                break
            follow = _next_element(leaf)
            if follow is not None and follow.tag in _LINK_LISTS and _links_only(rule, follow):
                decisions.append(Decision(leaf, rule, rule.action))
                decisions.append(Decision(follow, rule, rule.action))
            break
    return decisions


def _icon_links(el: etree._Element) -> bool:
    """Whether *el* holds links that show no text (icon buttons)."""
    return any(a.get("href") and not a.text_content().strip() for a in el.iter("a"))


def _links_only(rule: LeadInRule, el: etree._Element) -> bool:
    """Whether *el* is nearly all link text, or only links without text (a row of icons)."""
    text, links = measure_block(el)
    return rule.is_links(text, links) or (not text and _icon_links(el))


def _starts_with_link(leaf: etree._Element, text: str) -> bool:
    first = next(leaf.iter("a"), None)
    return first is not None and text.startswith(" ".join(first.text_content().split())[:20] or "\0")


#: what a lead-in's links come in
_LINK_LISTS = frozenset(("ul", "ol", "p", "div"))


def _next_element(el: etree._Element) -> etree._Element | None:
    """The element after *el* (or after the innermost ancestor that has one, for a lead-in
    inside ``<p><strong>…</strong></p>``), skipping comments."""
    while el is not None:
        nxt = el.getnext()
        while nxt is not None and not isinstance(nxt.tag, str):
            nxt = nxt.getnext()
        if nxt is not None:
            return nxt
        el = el.getparent()
        if el is not None and (el.text or "").strip():
            return None
    return None


def decide_text(root: etree._Element, blocks: Blocks, runs: TextMatcher | None = None) -> list[Decision]:
    """Text-rule decisions on the leaf blocks under *root*.

    A block a rule matches is never prose, whatever its zone; zones are
    measured from the first and last prose block. *runs* holds the rules with
    ``after``: each decides on the blocks in the run right after a block one
    of the rules it names removes (see :func:`run_decisions`).
    """
    prose = [not m and prose_length(t, n) > 0 for m, t, n in zip(blocks.matched, blocks.texts, blocks.links)]
    decided = dict(zone_decisions(blocks.matched, prose))
    if runs is not None and runs.rules and decided:
        first = next((i for i, p in enumerate(prose) if p), None)
        last = next((i for i in range(len(prose) - 1, -1, -1) if prose[i]), None)
        decided.update(run_decisions(blocks.texts, decided, runs, first, last))
    return [
        Decision(blocks.leaves[index], rule, rule.action)
        for index, rule in sorted(decided.items())
        if blocks.leaves[index] is not root
    ]


def run_decisions(
    texts: list[str], decided: dict[int, TextRule], runs: TextMatcher, first: int | None, last: int | None
) -> dict[int, TextRule]:
    """The blocks the ``after`` rules take: in the run of blocks right after a block that a
    rule they name removes ("Teilen mit:" and the buttons' names under it, one a block),
    each matching one of them in its zone; the run ends at the first block none takes
    (blocks without text, an icon button, do not end it)."""
    found: dict[int, TextRule] = {}
    for index, rule in sorted(decided.items()):
        if rule.action != "drop":
            continue
        for j in range(index + 1, len(texts)):
            if j in decided or j in found:
                continue
            text = texts[j]
            if not text:
                continue
            named = next((r for r in runs.matching(text) if rule.id in r.after and r.in_zone(j, first, last)), None)
            if named is None:
                break
            found[j] = named
    return found
