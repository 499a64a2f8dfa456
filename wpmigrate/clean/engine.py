"""The HTML cleaner: apply a :class:`ProfileSet` to a post's tree, or to a whole page's.

:func:`clean_tree` works on a :class:`~wpmigrate.document.Document` in place.
On a whole page it first finds the article with the profiles' content roots
(falling back to ``<body>``) and narrows ``doc.root`` to it. Selector rules
drop, unwrap, flag or read metadata; text rules act on block-level elements
whose whole text matches, inside their zone; rounds repeat until nothing more
matches, so cleaning the result again changes nothing.

Only explicit rules delete. When the decisions would remove more than
:data:`~wpmigrate.clean.rules.BREAKER_RATIO` of the document's prose, the
tree is restored from a snapshot taken before the first change and the
result says ``needs_review``.

:func:`clean_html` is the same for HTML text: the raw-source pass
(:func:`~wpmigrate.clean.source.clean_source`, re-exported here) for block
comments and shortcodes still in it, the one parse, :func:`clean_tree`, and
the tree written back as HTML.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from dataclasses import replace

import lxml.html
from lxml import etree

from wpmigrate.clean.article import prune_chrome, take_header_parts
from wpmigrate.clean.decide import Blocks, Decision, decide, decide_text, outermost, prose_under
from wpmigrate.clean.edges import at_edges, repeated_captions, share_rows, term_lists
from wpmigrate.clean.page import content_root, page_metadata, terms_of
from wpmigrate.clean.prefilter import DocumentTokens
from wpmigrate.clean.profiles import (
    BREAKER_RATIO,
    ProfileSet,
    Rule,
    SelectorRule,
    TextRule,
    breaker_trips,
    coerce_profiles,
    fold,
)
from wpmigrate.clean.result import CleanResult, Removal, excerpt
from wpmigrate.clean.source import clean_source
from wpmigrate.clean.tree import element_text, source_lines
from wpmigrate.document import Document, inner_html, text_of

__all__ = ["clean_html", "clean_html_document", "clean_source", "clean_tree"]

ProfilesArg = ProfileSet | Sequence[str | os.PathLike] | None

#: metadata keys whose value is a list
LIST_KEYS = frozenset(("tags", "categories"))

#: text passes after the first; real pages need one or two
_MAX_ROUNDS = 8

# Elements that mean something even when empty; everything else that a removal
# leaves without text or children (the <li> around a share button) goes too.
_KEEP_EMPTY = frozenset(
    """area audio br canvas col colgroup embed hr iframe img input map math object param picture
    source svg table tbody td textarea tfoot th thead tr track video wbr""".split()
)


def clean_tree(
    doc: Document, profiles: ProfilesArg = None, *, applied: list[tuple[Decision, Removal]] | None = None
) -> CleanResult:
    """Clean a parsed post or page in place; the result lists the decisions.

    The profiles that apply are chosen from the document's own class tokens
    and markup (see :meth:`ProfileSet.for_tokens`). ``changed`` says whether
    the tree under ``doc.root`` was edited; ``html`` is left ``None`` (the
    tree is the output). When ``applied`` is given, each rule decision that
    changed the tree is appended to it with its report line (the element
    itself, for a caller that carries the edit somewhere else: the stored body
    of a cleaned export); nothing is appended when the breaker held them back.
    """
    all_profiles = coerce_profiles(profiles)
    top = doc.page if doc.page is not None else doc.root
    tokens = DocumentTokens(top)
    ps = all_profiles.for_tokens(tokens, _Markup(top))
    result = CleanResult()
    if doc.page is not None:
        choice = content_root(doc.page, ps, tokens)
        doc.root = choice.element
        result.article = choice.reason
        result.metadata.update(page_metadata(doc.page, doc.root))
        if take_header_parts(doc.root):
            result.article += ", with the lead or featured image the post prints above it"
    page_fields = dict(result.metadata)
    root = doc.root
    is_page = doc.page is not None

    # on a page, the chrome the article element still holds (comment areas, menus …)
    # goes after the rules (a rule that knows it names it in the report); it is no
    # article prose, so the breaker counts neither it nor what rules remove of it
    chrome = prune_chrome(root) if is_page else []
    cleaning = _Cleaning(root, ps, {el for el, _ in chrome})
    cleaning.run(tokens)
    held = cleaning.removed
    result.flagged = cleaning.flagged
    result.metadata.update((k, v) for k, v in cleaning.metadata.items() if k not in result.metadata)
    total = cleaning.total_prose - cleaning.certain_prose - cleaning.chrome_prose
    removed_prose = cleaning.removed_prose - cleaning.certain_prose - cleaning.chrome_removed
    if held and breaker_trips(total, removed_prose):
        share = round(100 * removed_prose / total)
        cleaning.restore()
        result.needs_review = True
        result.metadata = page_fields
        held = [replace(r, action="flagged") for r in held]
        result.flagged.append(
            Removal(
                rule="breaker",
                profile="",
                reason=f"the rules would remove {share} % of the prose "
                f"(limit {round(100 * BREAKER_RATIO)} %); nothing applied",
                text=held[0].text,
                action="needs-review",
            )
        )
        result.flagged.extend(held)
        result.removed = _prune_structure(root, result.metadata) if is_page else []
        result.changed = bool(result.removed)
        return result
    # (rules remove elements, they never add chrome: what is left of the chrome found
    # before is the chrome now)
    left = [(el, kind) for el, kind in chrome if _under(el, root)]
    result.removed = held + (_prune_structure(root, result.metadata, cleaning.known, left) if is_page else [])
    result.changed = bool(result.removed)
    if applied is not None:
        applied.extend(cleaning.applied)
    return result


def _under(el: etree._Element, root: etree._Element) -> bool:
    return any(a is root for a in el.iterancestors())


def _prune_structure(
    root: etree._Element, metadata: dict, known: dict | None = None, chrome: list | None = None
) -> list[Removal]:
    """Drop the page chrome the article element still holds (comment areas, sidebars,
    menus …, see :func:`~wpmigrate.clean.article.prune_chrome`) that no rule removed,
    the post's category and tag links, the link boxes around the post's prose, and
    the post's title and meta lines (see :mod:`wpmigrate.clean.edges`); the terms
    fill the *metadata* where the page gave none. *known* holds the leaf blocks'
    measures the cleaning took (kept up to date here), *chrome* the chrome under
    *root* when it is known already."""
    known = {} if known is None else known
    removals = []
    for el, kind in prune_chrome(root) if chrome is None else chrome:
        removals.append(
            Removal(
                "structure.chrome",
                "structure",
                f"page chrome inside the article: {kind}",
                element_text(el),
                "removed",
                *source_lines(el),
            )
        )
        parent = el.getparent()
        if parent is not None:
            _forget(el, known)
            el.drop_tree()
            _prune_emptied(parent, root)
    # the post's terms and repeated captions first (wherever they are: a line of tags
    # above a closing note is no edge), then what lies around the prose
    terms = term_lists(root)
    for part in terms:
        for key, values in terms_of(part.element).items():
            metadata.setdefault(key, values)
    for parts in (terms + repeated_captions(root) + share_rows(root), None):
        for part in parts if parts is not None else at_edges(root, metadata.get("title"), known):
            el = part.element
            parent = el.getparent()
            if parent is None:
                continue
            action = "metadata" if part.rule in ("structure.title", "structure.meta", "structure.terms") else "removed"
            removals.append(Removal(part.rule, "structure", part.reason, element_text(el), action, *source_lines(el)))
            _forget(el, known)
            el.drop_tree()
            _prune_emptied(parent, root)
    return removals


def _forget(el: etree._Element, known: dict) -> None:
    """The blocks around a removed element read differently now: their measures go."""
    for above in el.iterancestors():
        known.pop(above, None)


class _Markup:
    """The document written out as HTML, once, for the profiles' string and pattern markers."""

    def __init__(self, top: etree._Element) -> None:
        self.top = top
        self.text: str | None = None

    def __call__(self) -> str:
        if self.text is None:
            self.text = etree.tostring(self.top, encoding="unicode", method="html")
        return self.text


#: what clean_html reports for text the parser could not hold as a tree
PARSER_PROBLEM = "the HTML parser could not hold the whole document (nesting too deep?); left as it is"


def clean_html(html: str, profiles: ProfilesArg = None) -> CleanResult:
    """Clean rendered HTML: a post fragment or a full page.

    On a full page the article is located by the content roots of the profiles
    that apply (detected theme profiles first), falling back to ``<body>``, and
    the result's ``html`` is the cleaned inner HTML of that element, with the
    page title in ``metadata["title"]``. A fragment comes back byte-identical
    when no rule applies.
    """
    return clean_html_document(html, profiles)[0]


def clean_html_document(html: str, profiles: ProfilesArg = None) -> tuple[CleanResult, Document | None]:
    """:func:`clean_html`, and the cleaned tree itself for the next stage (the Markdown
    writer), so that nothing is parsed twice; the tree is None where the HTML was
    left as it is (nothing in it, or the parser could not hold all of it)."""
    all_profiles = coerce_profiles(profiles)
    result = CleanResult(html=html)
    if not html or not html.strip():
        return result, None

    source = html
    source_removals: list[Removal] = []
    if all_profiles.may_edit_source(html):
        source, source_removals = clean_source(html, all_profiles.for_content(html))
    removed = [r for r in source_removals if r.action != "flagged"]
    flagged = [r for r in source_removals if r.action == "flagged"]

    doc = Document.parse(source)
    if doc.warnings:
        # the parser lost text (nesting deeper than libxml2 follows): a cleaned tree
        # would write the loss out, so the text is left as it is
        result.removed = removed
        result.flagged = [*flagged, Removal("parser", "", PARSER_PROBLEM, excerpt(source), "needs-review")]
        result.needs_review = True
        result.html = source
        result.changed = source != html
        return result, None

    tree = clean_tree(doc, all_profiles)
    result.metadata = tree.metadata
    result.removed = removed + tree.removed
    result.flagged = flagged + tree.flagged
    result.needs_review = tree.needs_review
    result.article = tree.article
    if doc.is_page:
        root = doc.root
        result.html = inner_html(root) if root.tag != "html" else lxml.html.tostring(root, encoding="unicode")
    elif tree.changed:
        result.html = doc.html()
    else:
        result.html = source
    result.changed = result.html != html
    return result, doc


# --- applying the decisions ------------------------------------------------------------


def _metadata_value(rule: SelectorRule | TextRule, el: etree._Element):
    """What a metadata rule takes from an element.

    ``<time datetime>`` gives its machine-readable date; a text pattern with a
    named group ``value`` gives that group; list keys (tags, categories) give
    the link texts inside the element, or its text split at commas.
    """
    if el.tag == "time" and el.get("datetime"):
        return el.get("datetime").strip()
    text = text_of(el)
    if isinstance(rule, TextRule) and rule.regex is not None and "value" in rule.regex.groupindex:
        match = rule.regex.fullmatch(text)
        if match and match.group("value") is not None:
            text = fold(match.group("value"))
    if rule.key in LIST_KEYS:
        links = [] if isinstance(rule, TextRule) else [text_of(a) for a in el.iter("a")]
        values = [v for v in links if v] or [v.strip() for v in text.split(",")]
        return [v for v in values if v]
    return text


def _prune_emptied(el: etree._Element, root: etree._Element) -> None:
    """Drop *el* and its ancestors while a removal left them empty (never *root*)."""
    while el is not None and el is not root and isinstance(el.tag, str) and el.tag not in _KEEP_EMPTY:
        if len(el) or (el.text or "").strip() or el.get("id") or el.get("name"):
            return
        parent = el.getparent()
        el.drop_tree()
        el = parent


def _certain(rule: Rule) -> bool:
    """A text rule of zone ``anywhere``: by the profile schema, a string that cannot
    be real content (Zeen's demo promo, a honeypot label). What it matches is not
    the document's prose, so the breaker neither counts it nor lets it hold back
    the other decisions."""
    return isinstance(rule, TextRule) and rule.zone == "anywhere"


class _Cleaning:
    """The rounds of deciding and applying on one tree, and what they removed.

    Before the first change the tree under *root* is copied, so that the
    breaker can put it back exactly as it was (:meth:`restore`).
    """

    def __init__(self, root: etree._Element, ps: ProfileSet, chrome: set) -> None:
        self.root = root
        self.ps = ps
        self.chrome = chrome  # page chrome under the root (outermost elements)
        self.chrome_prose = 0  # prose under it before any change
        self.chrome_removed = 0  # of the removed prose, what was inside it
        self.removed: list[Removal] = []
        self.applied: list[tuple[Decision, Removal]] = []  # the decisions behind ``removed``
        self.flagged: list[Removal] = []
        self.metadata: dict = {}
        self.total_prose = 0  # prose of the tree before any change
        self.removed_prose = 0
        self.certain_prose = 0  # of the removed prose, text that cannot be content (_certain)
        self._snapshot: etree._Element | None = None
        self.known: dict = {}  # leaf block → its measure, while its subtree is unchanged

    def run(self, tokens: DocumentTokens) -> None:
        """Apply the rules in rounds until nothing more matches (metadata: first value wins)."""
        root = self.root
        flagged_elements: set = set()
        decisions, whole = decide(root, self.ps, tokens, self.known, self.chrome)
        self.total_prose = whole.prose()
        self.chrome_prose = sum(prose_under(el, self.known) for el in self.chrome)
        for _ in range(_MAX_ROUNDS):
            for d in decisions:
                if d.action == "flag" and d.element not in flagged_elements:
                    flagged_elements.add(d.element)
                    self.flagged.append(d.rule.removal(element_text(d.element), "flagged", *source_lines(d.element)))
            applied = [d for d in decisions if d.action != "flag"]
            if not applied:
                break
            if self._snapshot is None:
                self._snapshot = copy.deepcopy(root)
            self._apply(applied)
            # a block that held only removed lines may now be a line a text rule
            # matches ("<li>Share this:<p>Share this:</p></li>"): look again, so that
            # cleaning the output once more finds nothing
            decisions = decide_text(root, Blocks.of(root, self.ps.text_matcher, known=self.known), self.ps.run_matcher)

    def _apply(self, applied: list[Decision]) -> None:
        root = self.root
        top = outermost(applied)
        for d in applied:
            # the text of every block around an edit changes
            for above in d.element.iterancestors():
                self.known.pop(above, None)
        for d in top:
            if d.action in ("drop", "metadata"):
                chars = prose_under(d.element, self.known)
                self.removed_prose += chars
                if self.chrome and self._in_chrome(d.element):
                    self.chrome_removed += chars
                elif _certain(d.rule):
                    self.certain_prose += chars
        for d in applied:
            if d.action == "metadata":
                self.metadata.setdefault(d.rule.key, _metadata_value(d.rule, d.element))
            action = {"metadata": "metadata", "unwrap": "unwrapped"}.get(d.action, "removed")
            removal = d.rule.removal(element_text(d.element), action, *source_lines(d.element))
            self.removed.append(removal)
            self.applied.append((d, removal))
        # drops first, then unwraps: drop_tag() moves children up, and a dropped
        # element's subtree must still be in place
        for d in top:
            parent = d.element.getparent()
            if d.action in ("drop", "metadata") and parent is not None:
                d.element.drop_tree()
                _prune_emptied(parent, root)
        for d in applied:
            if d.action == "unwrap" and d.element.getparent() is not None:
                d.element.drop_tag()

    def _in_chrome(self, el: etree._Element) -> bool:
        chrome = self.chrome
        return el in chrome or any(a in chrome for a in el.iterancestors())

    def restore(self) -> None:
        """Put the tree under the root back as it was before the first change."""
        snapshot = self._snapshot
        if snapshot is None:
            return
        root = self.root
        root.attrib.clear()
        root.attrib.update(snapshot.attrib)
        root.text = snapshot.text
        root[:] = list(snapshot)
        self._snapshot = None
