"""The HTML tree as the cleaner sees it: leaf blocks, prose, report lines.

Which elements are blocks, what text an element shows and how HTML is
parsed are decided in :mod:`wpmigrate.document`. Every walk is iterative:
hostile pages nest thousands of elements deep.
"""

from __future__ import annotations

from lxml import etree

from wpmigrate.clean.rules import is_prose
from wpmigrate.document import BLOCK_TAGS, NO_TEXT, text_of


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
