"""The HTML tree as the cleaner sees it: parsing, leaf blocks, prose.

Which elements are blocks and what text an element shows are decided in
:mod:`wpmigrate.document`. Every walk is iterative: hostile pages nest
thousands of elements deep.
"""

from __future__ import annotations

import html as htmllib
import re

import lxml.html
from lxml import etree

from wpmigrate.clean.rules import is_prose
from wpmigrate.document import BLOCK_TAGS, NO_TEXT, inner_html, looks_like_page, text_of

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_MARKUP = re.compile(r"<!--.*?-->|<(script|style|template|noscript)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
# libxml2 stops building the tree below a nesting limit and drops what is deeper;
# huge_tree raises that limit, and lost_text() catches what is still dropped
_PARSER = lxml.html.HTMLParser(huge_tree=True)


def start_tag(el: etree._Element) -> str:
    """``<div class="…" id="…">``: what a report shows for an element without text."""
    attrs = "".join(f' {k}="{v}"' for k, v in el.attrib.items() if k in ("id", "class"))
    return f"<{el.tag}{attrs}>"


def element_text(el: etree._Element) -> str:
    return text_of(el) or start_tag(el)


def link_chars(el: etree._Element) -> int:
    return sum(len(text_of(a)) for a in el.iter("a") if not any(p.tag == "a" for p in a.iterancestors()))


def is_block(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag in BLOCK_TAGS


def leaf_blocks(root: etree._Element, skip: set) -> list[etree._Element]:
    """Block elements with no block inside, in document order, outside skipped subtrees.

    When *root* has no block inside at all, it is its own single leaf.
    Iterative (see :func:`text_of`).
    """
    leaves: list[etree._Element] = []
    contains_block: list[bool] = []  # one flag per open element
    root_has_block = False
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        ignored = el is not root and (not isinstance(el.tag, str) or el.tag in NO_TEXT)
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
        block = is_block(el)
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


def prose_chars(el: etree._Element) -> int:
    total = 0
    for leaf in leaf_blocks(el, set()):
        text = text_of(leaf)
        if is_prose(text, link_chars(leaf)):
            total += len(text)
    return total


def source_lines(el: etree._Element) -> tuple[int | None, int | None]:
    """First and last source line of an element (as lxml's parser recorded them)."""
    start = el.sourceline
    end = start
    for node in el.iterdescendants():
        if node.sourceline is not None and (end is None or node.sourceline > end):
            end = node.sourceline
    return start, end


def parse_html(html: str) -> tuple[etree._Element | None, etree._Element | None, str | None]:
    """``(document, fragment root, problem)``: a full page's document, or a wrapper of the fragment.

    Both are ``None`` when there is nothing to clean (``problem`` is ``None``)
    or when the parser could not hold the whole input (``problem`` says why).
    """
    text = _XML_DECL.sub("", html, count=1)
    full = looks_like_page(text)
    try:
        if full:
            tree = lxml.html.document_fromstring(text, parser=_PARSER)
        else:
            tree = lxml.html.fragment_fromstring(text, create_parent="div", parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None, None, None
    if lost_text(text, tree):
        return None, None, "the HTML parser could not hold the whole document (nesting too deep?); left as it is"
    return (tree, None, None) if full else (None, tree, None)


def lost_text(source: str, tree: etree._Element) -> bool:
    """Did the parser drop text (nesting too deep, a broken document)?

    Cleaning a tree that lost text would write the loss out, so such input is
    left alone. The estimate strips tags with a regex; it is generous, so only
    a real loss trips it.
    """
    estimate = len("".join(htmllib.unescape(_MARKUP.sub(" ", source)).split()))
    parsed = len(text_of(tree).replace(" ", ""))
    return parsed < 0.9 * estimate - 40
