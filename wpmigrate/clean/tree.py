"""The tree as the cleaner measures it: leaf blocks, link text, prose, report lines.

What HTML *is* (block tags, visible text, the parse) is decided in
:mod:`wpmigrate.document`; this module only adds the cleaner's own measures
on top. Every walk is iterative: hostile pages nest thousands of elements deep.
"""

from __future__ import annotations

from lxml import etree

from wpmigrate.clean.rules import has_words
from wpmigrate.document import BLOCK_TAGS, NO_TEXT, SPACED_OR_HIDDEN, block_text, text_of


def start_tag(el: etree._Element) -> str:
    """``<div class="…" id="…">``: what a report shows for an element without text."""
    attrs = "".join(f' {k}="{v}"' for k, v in el.attrib.items() if k in ("id", "class"))
    return f"<{el.tag}{attrs}>"


def element_text(el: etree._Element) -> str:
    return block_text(el) or start_tag(el)


def measure(el: etree._Element) -> tuple[str, int]:
    """The element's visible text (:func:`~wpmigrate.document.text_of`) and how much of
    it is link text (:func:`link_chars`), reading its descendants once (the
    text as :func:`~wpmigrate.document.block_text` reads it)."""
    tag = el.tag
    if not isinstance(tag, str) or tag in NO_TEXT:
        return "", 0
    if tag == "a":
        return block_text(el), link_chars(el)
    if not len(el):
        text = el.text
        return (" ".join(text.split()) if text else ""), 0
    walk = False
    links = []
    for node in el.iterdescendants():
        tag = node.tag
        if tag == "a":
            links.append(node)
        elif tag in SPACED_OR_HIDDEN:
            walk = True
    if walk:
        text = text_of(el)
    else:
        text = " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())
    if not links:
        return text, 0
    if len(links) > 1 or next(el.iterancestors("a"), None) is not None:
        return text, link_chars(el)
    return text, len(block_text(links[0]))


def link_chars(el: etree._Element) -> int:
    """How much of the element's text is link text (links inside links counted once)."""
    if not len(el) and el.tag != "a":
        return 0
    links = el.iter("a")
    first = next(links, None)
    if first is None:
        return 0
    return sum(len(text_of(a)) for a in (first, *links) if not any(p.tag == "a" for p in a.iterancestors()))


def leaf_blocks(
    root: etree._Element, skip: set | frozenset = frozenset(), descendants: list[etree._Element] | None = None
) -> list[etree._Element]:
    """Block elements with no block inside, in document order, outside skipped subtrees.

    Blocks inside scripts, styles and templates are not seen; a skipped block
    still holds its parent open (the parent is no leaf), a skipped inline
    element hides the blocks inside it. When *root* has no block inside at
    all, it is its own single leaf. *descendants*, when given, are the
    elements under *root* in document order (a caller that keeps them keeps
    lxml from building their Python objects again on the next walk).
    """
    if descendants is None:
        descendants = list(root.iterdescendants())
    leaves: list[etree._Element] = []
    holds_block: set = set()  # elements with a seen block inside: not leaves
    unseen: set = set()  # blocks inside something skipped or never shown
    for block in descendants:
        if block.tag not in BLOCK_TAGS:
            continue
        parent = block.getparent()
        hidden = False
        while parent is not root and parent.tag not in BLOCK_TAGS:
            if parent.tag in NO_TEXT or parent in skip:
                hidden = True
                break
            parent = parent.getparent()
        if hidden or parent in unseen:
            unseen.add(block)
            continue
        holds_block.add(parent)
        if block in skip:
            unseen.add(block)
        else:
            leaves.append(block)
    if root not in holds_block:
        return [root]
    return [leaf for leaf in leaves if leaf not in holds_block]


def prose_length(text: str, links: int) -> int:
    """``len(text)`` when the folded *text* is prose (see :func:`~wpmigrate.clean.rules.is_prose`), else 0."""
    if not has_words(text):
        return 0
    return len(text) if links * 2 < len(text) else 0


def prose_chars(el: etree._Element) -> int:
    """Characters of prose in the leaf blocks under *el*."""
    return sum(prose_length(*measure(leaf)) for leaf in leaf_blocks(el))


def source_lines(el: etree._Element) -> tuple[int | None, int | None]:
    """First and last source line of an element (as lxml's parser recorded them)."""
    start = el.sourceline
    end = start
    for node in el.iterdescendants():
        if node.sourceline is not None and (end is None or node.sourceline > end):
            end = node.sourceline
    return start, end
