"""What every part of the writer shares: the block it returns and indentation under a marker."""

from __future__ import annotations

from typing import NamedTuple

from lxml import etree

from wpmigrate.document import BLOCK_TAGS, EMBED_TAGS, is_more

#: Elements that make blocks of their own in Markdown: HTML's block elements,
#: and the embeds, which stand on a line of their own.
WRITER_BLOCKS = BLOCK_TAGS | EMBED_TAGS


class Block(NamedTuple):
    """A finished Markdown block; ``kind`` decides how blocks are joined (two lists of
    one kind in a row need a separator, or Markdown reads them as one list)."""

    kind: str  # paragraph, heading, list-ul, list-ol, code, html, quote, table, hr, footnotes, dl
    text: str


def indent(text: str, first: str, rest: str) -> str:
    """Prefix the first line with ``first`` and later non-empty lines with ``rest``."""
    if "\n" not in text:
        return first + text
    lines = text.split("\n")
    out = [first + lines[0]]
    for line in lines[1:]:
        out.append(rest + line if line else "")
    return "\n".join(out)


def kept_comment(node) -> str | None:
    """The comments the render stage leaves on purpose, as they stay in the Markdown:
    ``<!--more-->`` (``--more keep``: Hugo and Jekyll split the excerpt there) and
    ``<!-- [shortcode …] -->`` (``--shortcodes comment``); None for any other
    comment, which is invisible and goes."""
    if node.tag is not etree.Comment:
        return None
    if is_more(node):
        return "<!--more-->"
    text = node.text or ""
    if text.startswith(" [") and text.endswith("] ") and "--" not in text:
        return f"<!--{text}-->"
    return None


def holds_blocks(el) -> bool:
    """Does ``el`` hold an element that makes blocks of its own?"""
    for d in el.iterdescendants():
        t = d.tag
        if t.__class__ is str and t in WRITER_BLOCKS:
            return True
    return False
