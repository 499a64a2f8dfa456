"""The HTML cleaner: apply a :class:`ProfileSet` to post HTML or to a whole page.

:func:`clean_html` works on rendered HTML: a fragment (a post body) or a full
page, where it first finds the article with the profiles' content roots and
falls back to ``<body>``. Selector rules drop, unwrap, flag or read metadata;
text rules act on block-level elements whose whole text matches, inside their
zone. Block comments and shortcodes still in the HTML go through
:func:`~wpmigrate.clean.source.clean_source` (re-exported here), which the
convert pipeline also calls on raw post_content before rendering.

Only explicit rules delete. When the decisions would remove more than
:data:`~wpmigrate.clean.rules.BREAKER_RATIO` of the document's prose, none is
applied and the result says ``needs_review``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from wpmigrate.clean.profiles import BREAKER_RATIO, ProfileSet, Rule, SelectorRule, TextRule, breaker_trips, coerce_profiles, fold
from wpmigrate.clean.result import CleanResult, Removal, excerpt
from wpmigrate.clean.source import clean_source
from wpmigrate.clean.tree import element_text, leaf_blocks, link_chars, prose_chars, source_lines
from wpmigrate.document import Document, inner_html, text_of

__all__ = ["clean_html", "clean_source"]

ProfilesArg = ProfileSet | Sequence[str | os.PathLike] | None

@dataclass
class _Decision:
    element: etree._Element
    rule: Rule
    action: str  # drop | unwrap | metadata | flag


#: metadata keys whose value is a list
LIST_KEYS = frozenset(("tags", "categories"))


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


_CSS: dict[str, CSSSelector] = {}


def _css(selector: str) -> CSSSelector:
    compiled = _CSS.get(selector)
    if compiled is None:
        compiled = _CSS[selector] = CSSSelector(selector)
    return compiled


def _content_root(doc: etree._Element, ps: ProfileSet) -> etree._Element:
    """The element holding the article: the first content root with prose, else ``<body>``."""
    for selector in ps.content_roots:
        matches = [el for el in _css(selector)(doc) if isinstance(el.tag, str)]
        prose = [(el, prose_chars(el)) for el in matches]
        prose = [(el, n) for el, n in prose if n > 0]
        if prose:
            # a single-post template prints the post first; later matches are
            # teasers, "next post" previews, comments. Skip only a first match
            # that is much smaller than the largest (a teaser card above the post).
            most = max(n for _, n in prose)
            return next(el for el, n in prose if 2 * n >= most)
    body = doc.find("body")
    return body if body is not None else doc


def _rel_has(word: str) -> str:
    return f"contains(concat(' ', normalize-space(@rel), ' '), ' {word} ')"


# the_tags() and the_category() print their links with rel="tag" and rel="category tag";
# some themes (Genesis) print categories with rel="tag" alone, under the /category/ base
_IS_CATEGORY = f"({_rel_has('category')} or contains(@href, '/category/'))"
_TAG_LINKS = etree.XPath(f".//a[{_rel_has('tag')} and not({_IS_CATEGORY})]")
_CATEGORY_LINKS = etree.XPath(f".//a[{_rel_has('category')} or ({_rel_has('tag')} and contains(@href, '/category/'))]")
_PUBLISHED = etree.XPath("//meta[@property='article:published_time']/@content")
_TIMES = etree.XPath(".//time[@datetime]/@datetime")


def _page_metadata(doc: etree._Element, root: etree._Element) -> dict:
    """Title, date, categories and tags of a full WordPress page.

    Taxonomy links and ``<time>`` are read inside the post's ``<article>`` (the
    content root's nearest), never from widgets or teaser cards elsewhere.
    """
    metadata: dict = {}
    title = _page_title(doc)
    if title:
        metadata["title"] = title
    article = next((a for a in root.iterancestors("article")), root if root.tag == "article" else None)
    published = _PUBLISHED(doc) or (_TIMES(article) if article is not None else [])
    if published and published[0].strip():
        metadata["date"] = published[0].strip()
    if article is not None:
        for key, links in (("categories", _CATEGORY_LINKS), ("tags", _TAG_LINKS)):
            values = list(dict.fromkeys(v for v in (text_of(a) for a in links(article)) if v))
            if values:
                metadata[key] = values
    return metadata


def _page_title(doc: etree._Element) -> str | None:
    for xpath in (
        "//h1[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]",
        "//meta[@property='og:title']/@content",
        "//title",
    ):
        found = doc.xpath(xpath)
        if found:
            value = found[0] if isinstance(found[0], str) else text_of(found[0])
            value = fold(value)
            if value:
                return value
    return None


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
    all_profiles = coerce_profiles(profiles)
    ps = all_profiles.for_content(html)
    result = CleanResult(html=html)
    if not html or not html.strip():
        return result

    source = html
    source_removals: list[Removal] = []
    if "<!-- wp:" in html or "[" in html:
        source, source_removals = clean_source(html, ps)

    parsed = Document.parse(source)
    full_page = parsed.is_page
    doc, root = parsed.page, parsed.root
    if parsed.warnings:
        # the parser lost text (nesting deeper than libxml2 follows): a cleaned tree
        # would write the loss out, so the text is left as it is
        result.removed.extend(r for r in source_removals if r.action != "flagged")
        result.flagged.extend(r for r in source_removals if r.action == "flagged")
        result.needs_review = True
        result.flagged.append(Removal("parser", "", PARSER_PROBLEM, excerpt(source), "needs-review"))
        result.html = source
        result.changed = source != html
        return result
    if full_page:
        root = _content_root(doc, ps)
        result.metadata.update(_page_metadata(doc, root))

    total = prose_chars(root)
    page_metadata = dict(result.metadata)
    flagged = [r for r in source_removals if r.action == "flagged"]
    source_removed = [r for r in source_removals if r.action != "flagged"]
    held, rule_flags, removed_prose, certain_prose = _apply(root, ps, result.metadata)
    flagged.extend(rule_flags)
    removed = source_removed + held
    applied_any = bool(held)
    total -= certain_prose
    removed_prose -= certain_prose

    if applied_any and breaker_trips(total, removed_prose):
        share = round(100 * removed_prose / total)
        result.needs_review = True
        result.metadata = page_metadata
        held = [replace(r, action="flagged") for r in held]
        removed = source_removed
        flagged.append(
            Removal(
                rule="breaker",
                profile="",
                reason=f"the rules would remove {share} % of the prose (limit {round(100 * BREAKER_RATIO)} %); nothing applied",
                text=held[0].text if held else "",
                action="needs-review",
            )
        )
        flagged.extend(held)
        # the tree was changed on the way: take the untouched one again
        parsed = Document.parse(source)
        doc, root = parsed.page, parsed.root
        if doc is not None:
            root = _content_root(doc, ps)
        applied_any = False

    result.removed = removed
    result.flagged = flagged
    if full_page:
        result.html = inner_html(root) if root.tag != "html" else lxml.html.tostring(root, encoding="unicode")
    elif applied_any:
        result.html = inner_html(root)
    else:
        result.html = source
    result.changed = result.html != html
    return result


# Elements that mean something even when empty; everything else that a removal
# leaves without text or children (the <li> around a share button) goes too.
_KEEP_EMPTY = frozenset(
    """area audio br canvas col colgroup embed hr iframe img input map math object param picture
    source svg table tbody td textarea tfoot th thead tr track video wbr""".split()
)


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


def _apply(root: etree._Element, ps: ProfileSet, metadata: dict) -> tuple[list[Removal], list[Removal], int, int]:
    """Apply the rules to the tree under *root*, in rounds until nothing more matches.

    Returns the removals (removed, unwrapped, metadata) and the flags, in
    document order per round, how much prose the removals took, and how much
    of that was text that cannot be real content (see :func:`_certain`).
    Metadata rules fill *metadata* (first value wins).
    """
    removed: list[Removal] = []
    flagged: list[Removal] = []
    flagged_elements: set = set()
    removed_prose = 0
    certain_prose = 0
    decisions = _decide(root, ps)
    for _ in range(_MAX_ROUNDS):
        for d in decisions:
            if d.action == "flag" and d.element not in flagged_elements:
                flagged_elements.add(d.element)
                flagged.append(d.rule.removal(element_text(d.element), "flagged", *source_lines(d.element)))
        applied = [d for d in decisions if d.action != "flag"]
        if not applied:
            break
        outermost = _outermost(applied)
        for d in outermost:
            if d.action in ("drop", "metadata"):
                chars = prose_chars(d.element)
                removed_prose += chars
                if _certain(d.rule):
                    certain_prose += chars
        for d in applied:
            if d.action == "metadata":
                metadata.setdefault(d.rule.key, _metadata_value(d.rule, d.element))
            action = {"metadata": "metadata", "unwrap": "unwrapped"}.get(d.action, "removed")
            removed.append(d.rule.removal(element_text(d.element), action, *source_lines(d.element)))
        # drops first, then unwraps: drop_tag() moves children up, and a dropped
        # element's subtree must still be in place
        for d in outermost:
            parent = d.element.getparent()
            if d.action in ("drop", "metadata") and parent is not None:
                d.element.drop_tree()
                _prune_emptied(parent, root)
        for d in applied:
            if d.action == "unwrap" and d.element.getparent() is not None:
                d.element.drop_tag()
        # a block that held only removed lines may now be a line a text rule
        # matches ("<li>Share this:<p>Share this:</p></li>"): look again, so that
        # cleaning the output once more finds nothing
        decisions = _decide_text(root, ps, set())
    return removed, flagged, removed_prose, certain_prose


#: text passes after the first; real pages need one or two
_MAX_ROUNDS = 8


_XPATHS: dict[str, etree.XPath] = {}


def _select(root: etree._Element, rule: SelectorRule) -> list:
    compiled = _XPATHS.get(rule.xpath)
    if compiled is None:
        compiled = _XPATHS[rule.xpath] = etree.XPath(rule.xpath)
    return compiled(root)


def _outermost(decisions: list[_Decision]) -> list[_Decision]:
    """Decisions not inside an element another decision removes."""
    removing = {d.element for d in decisions if d.action in ("drop", "metadata")}
    return [d for d in decisions if not any(a in removing for a in d.element.iterancestors())]


def _decide(root: etree._Element, ps: ProfileSet) -> list[_Decision]:
    """Every decision the rules make on the tree under *root*, in document order.

    An element is decided on by the first rule (in profile order) that selects
    it; a decision inside an element that is removed anyway is not made, except
    metadata, which is still read (the title inside a theme's hero, say).
    """
    chosen: dict[etree._Element, _Decision] = {}
    for rule in ps.selector_rules:
        for el in _select(root, rule):
            if el is root or not isinstance(el, etree._Element) or not isinstance(el.tag, str):
                continue
            chosen.setdefault(el, _Decision(el, rule, rule.action))
    structural = [d for d in chosen.values() if d.action != "metadata"]
    decisions = _outermost(structural)
    metadata = [d for d in chosen.values() if d.action == "metadata"]
    decisions.extend(m for m in metadata if not any(a in chosen and chosen[a].action == "metadata" for a in m.element.iterancestors()))

    # text rules on the leaf blocks that survive the selector rules
    skip = {d.element for d in decisions if d.action in ("drop", "metadata")}
    decisions.extend(_decide_text(root, ps, skip))

    order = {el: i for i, el in enumerate(root.iter())}
    decisions.sort(key=lambda d: order.get(d.element, 0))
    return decisions


def _decide_text(root: etree._Element, ps: ProfileSet, skip: set) -> list[_Decision]:
    """Text-rule decisions on the leaf blocks under *root*, outside *skip*."""
    leaves = leaf_blocks(root, skip)
    texts = [text_of(leaf) for leaf in leaves]
    links = [link_chars(leaf) for leaf in leaves]
    return [
        _Decision(leaves[index], rule, rule.action)
        for index, rule in ps.match_blocks(texts, links)
        if leaves[index] is not root
    ]
