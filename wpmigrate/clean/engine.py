"""The HTML cleaner: apply a :class:`ProfileSet` to post HTML or to a whole page.

Two entry points:

* :func:`clean_source` works on raw ``post_content`` before rendering. It
  removes the blocks (``<!-- wp:NAME … -->``) and shortcodes (``[NAME …]``)
  named by block and shortcode rules and leaves every other byte untouched.
* :func:`clean_html` works on rendered HTML: a fragment (post body) or a full
  page, where it first finds the article with the profiles' content roots and
  falls back to ``<body>``. Selector rules drop or unwrap elements; text rules
  drop block-level elements whose whole text matches, inside their zone.

Only explicit rules delete. When the decisions would remove more than
:data:`~wpmigrate.clean.profiles.BREAKER_RATIO` of the document's prose, none is
applied and the result says ``needs_review``.
"""

from __future__ import annotations

import html as htmllib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

import lxml.html
from lxml import etree

from wpmigrate.clean.profiles import (
    BREAKER_RATIO,
    ProfileSet,
    Rule,
    SelectorRule,
    TextRule,
    breaker_trips,
    coerce_profiles,
    fold,
    is_prose,
)
from wpmigrate.clean.result import CleanResult, Removal, excerpt
from wpmigrate.render.blocks import has_blocks, parse_blocks
from wpmigrate.render.shortcodes import iter_shortcodes

__all__ = ["clean_html", "clean_source"]

ProfilesArg = ProfileSet | Sequence[str | os.PathLike] | None

# Elements that start a new block of text when rendered. A "leaf block" is one
# of these with no other block inside; text rules and prose are measured on them.
BLOCK_TAGS = frozenset(
    """address article aside blockquote caption dd details dialog div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary
    table tbody td tfoot th thead tr ul legend body""".split()
)
_NO_TEXT = frozenset(("script", "style", "template", "noscript"))
# a full page starts with a doctype, <html>, <head> or <body>, possibly after
# comments and the head-only tags a saved page may begin with
_FULL_PAGE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<(?:meta|link|base)\b[^>]*>\s*|<title\b[^>]*>[^<]*</title>\s*)*"
    r"(?:<!doctype|<html\b|<head\b|<body\b)",
    re.I | re.S,
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_MARKUP = re.compile(r"<!--.*?-->|<(script|style|template|noscript)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
# libxml2 stops building the tree below a nesting limit and drops what is deeper;
# huge_tree raises that limit, and _lost_text() catches what is still dropped
_PARSER = lxml.html.HTMLParser(huge_tree=True)


# --- raw post_content: blocks and shortcodes ---------------------------------


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def clean_source(content: str, profiles: ProfilesArg = None) -> tuple[str, list[Removal]]:
    """Remove rule-matched blocks and shortcodes from raw ``post_content``.

    A matched block goes with its delimiters and everything inside (paired or
    self-closing); a matched shortcode goes with its content when it encloses
    some (``unwrap`` rules keep the content). Everything else is left
    byte-identical. Returns the new content and one :class:`Removal` per
    decision, with line numbers in *content*.
    """
    ps = coerce_profiles(profiles)
    block_rules = {}
    for r in ps.block_rules:
        block_rules.setdefault(r.name, r)
    shortcode_rules = {}
    for r in ps.shortcode_rules:
        shortcode_rules.setdefault(r.name, r)
    if not block_rules and not shortcode_rules:
        return content, []

    edits: list[tuple[int, int, str, Rule, str]] = []  # (start, end, replacement, rule, action)
    flags: list[tuple[int, int, Rule]] = []

    if block_rules and has_blocks(content):
        stack = list(reversed(parse_blocks(content)))
        while stack:
            block = stack.pop()
            rule = block_rules.get(block.name) if block.name else None
            if rule is not None and rule.action == "drop" and _properly_closed(content, block):
                edits.append((block.start, block.end, "", rule, "removed"))
                continue
            if rule is not None:
                flags.append((block.start, block.end, rule))
            stack.extend(reversed(block.inner))

    if shortcode_rules and "[" in content:
        for sc in iter_shortcodes(content, names=list(shortcode_rules)):
            if any(s <= sc.start < e for s, e, *_ in edits):
                continue  # inside a block that is already going
            rule = shortcode_rules[sc.name]
            if rule.action == "drop":
                edits.append((sc.start, sc.end, "", rule, "removed"))
            elif rule.action == "unwrap":
                edits.append((sc.start, sc.end, sc.content or "", rule, "unwrapped"))
            else:
                flags.append((sc.start, sc.end, rule))

    found: list[tuple[int, Removal]] = []
    for start, end, _, rule, action in edits:
        found.append((start, _removal(rule, content[start:end], action, _line_of(content, start), _line_of(content, end))))
    for start, end, rule in flags:
        found.append((start, _removal(rule, content[start:end], "flagged", _line_of(content, start), _line_of(content, end))))
    found.sort(key=lambda f: f[0])
    removals = [r for _, r in found]

    if not edits:
        return content, removals
    out: list[str] = []
    pos = 0
    for start, end, replacement, _, _ in sorted(edits, key=lambda e: e[0]):
        out.append(content[pos:start])
        out.append(replacement)
        pos = end
    out.append(content[pos:])
    return "".join(out), removals


def _start_tag(el: etree._Element) -> str:
    """``<div class="…" id="…">``: what a report shows for an element without text."""
    attrs = "".join(f' {k}="{v}"' for k, v in el.attrib.items() if k in ("id", "class"))
    return f"<{el.tag}{attrs}>"


def _element_text(el: etree._Element) -> str:
    return _text(el) or _start_tag(el)


def _properly_closed(content: str, block) -> bool:
    """Is the block self-closing or ended by its own closer?

    ``parse_blocks()`` closes a block left open at the end of the document
    there, so an opener without its closer would take the rest of the post with
    it. Such a block is only flagged, never removed.
    """
    own = content[block.start:block.end]
    if own.endswith("/-->"):
        return True
    short = block.name.removeprefix("core/")
    closer = re.compile(r"<!--\s+/wp:(?:" + re.escape(block.name) + "|" + re.escape(short) + r")\s+-->$")
    return closer.search(own) is not None


def _removal(rule: Rule, text: str, action: str, line_start: int | None = None, line_end: int | None = None) -> Removal:
    return Removal(
        rule=rule.id,
        profile=rule.profile,
        reason=rule.reason,
        text=excerpt(text),
        action=action,
        line_start=line_start,
        line_end=line_end,
    )


# --- rendered HTML -----------------------------------------------------------


@dataclass
class _Decision:
    element: etree._Element
    rule: Rule
    action: str  # drop | unwrap | metadata | flag


def _text(el: etree._Element) -> str:
    """Visible text of an element, whitespace folded (scripts, styles and comments left out).

    Iterative, not recursive: a hostile page can nest thousands of elements.
    """
    if not isinstance(el.tag, str) or el.tag in _NO_TEXT:
        return ""
    parts: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        is_element = isinstance(node.tag, str)
        if event == "start":
            if not is_element or node.tag in _NO_TEXT:
                walker.skip_subtree()
                continue
            if node is not el and (node.tag in BLOCK_TAGS or node.tag == "br"):
                parts.append(" ")
            if node.text:
                parts.append(node.text)
        elif node is not el:
            if is_element and (node.tag in BLOCK_TAGS or node.tag == "br"):
                parts.append(" ")
            if node.tail:
                parts.append(node.tail)
    return fold("".join(parts))


def _link_chars(el: etree._Element) -> int:
    return sum(len(_text(a)) for a in el.iter("a") if not any(p.tag == "a" for p in a.iterancestors()))


def _is_block(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag in BLOCK_TAGS


def _leaf_blocks(root: etree._Element, skip: set) -> list[etree._Element]:
    """Block elements with no block inside, in document order, outside skipped subtrees.

    When *root* has no block inside at all, it is its own single leaf.
    Iterative (see :func:`_text`).
    """
    leaves: list[etree._Element] = []
    contains_block: list[bool] = []  # one flag per open element
    root_has_block = False
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        ignored = el is not root and (not isinstance(el.tag, str) or el.tag in _NO_TEXT)
        skipped = el is not root and el in skip
        if event == "start":
            contains_block.append(False)
            if ignored or skipped:
                walker.skip_subtree()
            continue
        inner = contains_block.pop()
        if el is root:
            root_has_block = inner
            continue
        block = _is_block(el)
        if block and not inner and not ignored and not skipped:
            leaves.append(el)
        if ignored:
            contributes = False
        elif skipped:
            contributes = block
        else:
            contributes = block or inner
        contains_block[-1] = contains_block[-1] or contributes
    if not root_has_block:
        return [root]
    return leaves


def _prose_chars(el: etree._Element) -> int:
    total = 0
    for leaf in _leaf_blocks(el, set()):
        text = _text(leaf)
        if is_prose(text, _link_chars(leaf)):
            total += len(text)
    return total


def _lines(el: etree._Element) -> tuple[int | None, int | None]:
    """First and last source line of an element (as lxml's parser recorded them)."""
    start = el.sourceline
    end = start
    for node in el.iterdescendants():
        if node.sourceline is not None and (end is None or node.sourceline > end):
            end = node.sourceline
    return start, end


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
    text = _text(el)
    if isinstance(rule, TextRule) and rule.regex is not None and "value" in rule.regex.groupindex:
        match = rule.regex.fullmatch(text)
        if match and match.group("value") is not None:
            text = fold(match.group("value"))
    if rule.key in LIST_KEYS:
        links = [] if isinstance(rule, TextRule) else [_text(a) for a in el.iter("a")]
        values = [v for v in links if v] or [v.strip() for v in text.split(",")]
        return [v for v in values if v]
    return text


def _inner_html(root: etree._Element) -> str:
    parts = [htmllib.escape(root.text, quote=False) if root.text else ""]
    for child in root:
        parts.append(lxml.html.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


def _parse(html: str) -> tuple[etree._Element | None, etree._Element | None, str | None]:
    """``(document, fragment root, problem)``: a full page's document, or a wrapper of the fragment.

    Both are ``None`` when there is nothing to clean (``problem`` is ``None``)
    or when the parser could not hold the whole input (``problem`` says why).
    """
    text = _XML_DECL.sub("", html, count=1)
    full = bool(_FULL_PAGE.match(text))
    try:
        if full:
            tree = lxml.html.document_fromstring(text, parser=_PARSER)
        else:
            tree = lxml.html.fragment_fromstring(text, create_parent="div", parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None, None, None
    if _lost_text(text, tree):
        return None, None, "the HTML parser could not hold the whole document (nesting too deep?); left as it is"
    return (tree, None, None) if full else (None, tree, None)


def _lost_text(source: str, tree: etree._Element) -> bool:
    """Did the parser drop text (nesting too deep, a broken document)?

    Cleaning a tree that lost text would write the loss out, so such input is
    left alone. The estimate strips tags with a regex; it is generous, so only
    a real loss trips it.
    """
    estimate = len("".join(htmllib.unescape(_MARKUP.sub(" ", source)).split()))
    parsed = len(_text(tree).replace(" ", ""))
    return parsed < 0.9 * estimate - 40


def _content_root(doc: etree._Element, ps: ProfileSet) -> etree._Element:
    for selector in ps.content_roots:
        matches = [el for el in doc.cssselect(selector) if isinstance(el.tag, str)]
        prose = [(el, _prose_chars(el)) for el in matches]
        prose = [(el, n) for el, n in prose if n > 0]
        if prose:
            # a single-post template prints the post first; later matches are
            # teasers, "next post" previews, comments. Skip only a first match
            # that is much smaller than the largest (a teaser card above the post).
            most = max(n for _, n in prose)
            return next(el for el, n in prose if 2 * n >= most)
    body = doc.find("body")
    return body if body is not None else doc


def _page_title(doc: etree._Element) -> str | None:
    for xpath in (
        "//h1[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]",
        "//meta[@property='og:title']/@content",
        "//title",
    ):
        found = doc.xpath(xpath)
        if found:
            value = found[0] if isinstance(found[0], str) else _text(found[0])
            value = fold(value)
            if value:
                return value
    return None


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

    doc, root, problem = _parse(source)
    full_page = doc is not None
    if full_page:
        root = _content_root(doc, ps)
        title = _page_title(doc)
        if title:
            result.metadata["title"] = title
    if root is None:
        # lxml could not make a whole tree of it (only a comment, nesting deeper than
        # the parser follows …): leave it alone
        result.removed.extend(r for r in source_removals if r.action != "flagged")
        result.flagged.extend(r for r in source_removals if r.action == "flagged")
        if problem:
            result.needs_review = True
            result.flagged.append(Removal("parser", "", problem, excerpt(source), "needs-review"))
        result.html = source
        result.changed = source != html
        return result

    decisions = _decide(root, ps)
    applied = [d for d in decisions if d.action != "flag"]
    total = _prose_chars(root)
    removed_prose = sum(_prose_chars(d.element) for d in _outermost(applied) if d.action in ("drop", "metadata"))

    flagged = [r for r in source_removals if r.action == "flagged"]
    removed = [r for r in source_removals if r.action != "flagged"]
    if applied and breaker_trips(total, removed_prose):
        share = round(100 * removed_prose / total)
        result.needs_review = True
        first = applied[0]
        flagged.append(
            Removal(
                rule="breaker",
                profile="",
                reason=f"the rules would remove {share} % of the prose (limit {round(100 * BREAKER_RATIO)} %); nothing applied",
                text=excerpt(_text(first.element)),
                action="needs-review",
            )
        )
        for d in applied:
            flagged.append(_removal(d.rule, _element_text(d.element), "flagged", *_lines(d.element)))
        applied = []
    for d in decisions:
        if d.action == "flag":
            flagged.append(_removal(d.rule, _element_text(d.element), "flagged", *_lines(d.element)))

    for d in applied:
        if d.action == "metadata":
            result.metadata.setdefault(d.rule.key, _metadata_value(d.rule, d.element))
        action = {"metadata": "metadata", "unwrap": "unwrapped"}.get(d.action, "removed")
        removed.append(_removal(d.rule, _element_text(d.element), action, *_lines(d.element)))
    # drops first, then unwraps: drop_tag() moves children up, and a dropped
    # element's subtree must still be in place
    for d in _outermost(applied):
        if d.action in ("drop", "metadata") and d.element.getparent() is not None:
            d.element.drop_tree()
    for d in applied:
        if d.action == "unwrap" and d.element.getparent() is not None:
            d.element.drop_tag()

    result.removed = removed
    result.flagged = flagged
    if full_page:
        result.html = _inner_html(root) if root.tag != "html" else lxml.html.tostring(root, encoding="unicode")
    elif applied:
        result.html = _inner_html(root)
    else:
        result.html = source
    result.changed = result.html != html
    return result


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
    leaves = _leaf_blocks(root, skip)
    texts = [_text(leaf) for leaf in leaves]
    links = [_link_chars(leaf) for leaf in leaves]
    for index, rule in ps.match_blocks(texts, links):
        leaf = leaves[index]
        if leaf is not root:
            decisions.append(_Decision(leaf, rule, rule.action))

    order = {el: i for i, el in enumerate(root.iter())}
    decisions.sort(key=lambda d: order.get(d.element, 0))
    return decisions
