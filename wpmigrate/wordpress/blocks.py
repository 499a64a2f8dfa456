"""Block markup: a parser with the grammar of WordPress's ``parse_blocks()``.

WordPress stores block-editor content as HTML with comment delimiters::

    <!-- wp:paragraph {"align":"center"} -->
    <p class="has-text-align-center">Hi</p>
    <!-- /wp:paragraph -->
    <!-- wp:separator /-->

``WP_Block_Parser`` (wp-includes/class-wp-block-parser.php) scans for those
delimiters with one regular expression, keeps a stack of open blocks and
emits, at the top level, "freeform" blocks (``blockName`` null) for the HTML
between blocks. Block names without a namespace are ``core/``. Invalid JSON
attributes become an empty dict, a closer without an opener turns the rest
of the document into freeform HTML, and blocks left open at the end of the
document are closed there.

This module only parses; rendering lives in :mod:`wpmigrate.render.blockrender`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

__all__ = ["Block", "parse_blocks", "has_blocks"]

# The delimiter expression of WP_Block_Parser::next_token(), translated to
# Python (3.11 understands the possessive quantifier ``*+``).
_TOKEN = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)\s+"
    r"(?P<attrs>\{(?:(?:[^}]+|\}+(?=\})|(?!\}\s+/?-->).)*+)?\}\s+)?(?P<void>/)?-->",
    re.S,
)


@dataclass(frozen=True)
class Block:
    """One parsed block, as ``parse_blocks()`` returns it.

    ``name`` is ``None`` for freeform HTML between blocks. ``inner_html`` is
    the block's own HTML with its inner blocks cut out; ``inner_content``
    interleaves that HTML (strings) with ``None`` where each inner block
    stands, like WordPress's ``innerContent``. ``start``/``end`` are offsets
    into the parsed text covering the whole block with its delimiters.
    """

    name: str | None
    attrs: dict = field(default_factory=dict)
    inner: list[Block] = field(default_factory=list)
    inner_html: str = ""
    inner_content: list[str | None] = field(default_factory=list)
    start: int = 0
    end: int = 0

    def walk(self):
        """This block and every block nested in it, depth first, in document order."""
        stack = [self]
        while stack:
            block = stack.pop()
            yield block
            stack.extend(reversed(block.inner))


def has_blocks(text: str) -> bool:
    """``has_blocks()``: does the content hold block delimiters?"""
    return "<!-- wp:" in text and _TOKEN.search(text) is not None


def _decode_attrs(raw: str | None) -> dict:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _Frame:
    __slots__ = ("name", "attrs", "inner", "inner_content", "start", "prev_offset", "leading_start")

    def __init__(self, name: str, attrs: dict, start: int, prev_offset: int, leading_start: int | None):
        self.name = name
        self.attrs = attrs
        self.inner: list[Block] = []
        self.inner_content: list[str | None] = []
        self.start = start
        self.prev_offset = prev_offset
        self.leading_start = leading_start

    def add_html(self, html: str) -> None:
        if html:
            self.inner_content.append(html)

    def close(self, end: int) -> Block:
        html = "".join(c for c in self.inner_content if c is not None)
        return Block(self.name, self.attrs, self.inner, html, self.inner_content, self.start, end)


def parse_blocks(text: str) -> list[Block]:
    """Parse ``text`` into a list of top-level blocks (freeform HTML included).

    The result covers the whole text: concatenating ``text[b.start:b.end]``
    over the returned blocks gives ``text`` back, which lets callers drop or
    replace a block by its offsets.
    """
    output: list[Block] = []
    stack: list[_Frame] = []
    offset = 0  # where the scan continues in ``text``
    top_offset = 0  # end of the last thing emitted at the top level

    def freeform(start: int, end: int) -> None:
        if end > start:
            chunk = text[start:end]
            output.append(Block(None, {}, [], chunk, [chunk], start, end))

    for m in _TOKEN.finditer(text):
        if m.start() < offset:
            continue
        name = (m.group("namespace") or "core/") + m.group("name")
        closer = m.group("closer") is not None
        void = m.group("void") is not None
        if closer and void:
            # "<!-- /wp:x /-->" is neither; WordPress treats it as a closer.
            void = False
        start, end = m.start(), m.end()

        if not closer:
            attrs = _decode_attrs(m.group("attrs"))
            if void:
                block = Block(name, attrs, [], "", [], start, end)
                if not stack:
                    freeform(top_offset, start)
                    output.append(block)
                    top_offset = end
                else:
                    parent = stack[-1]
                    parent.add_html(text[parent.prev_offset : start])
                    parent.inner.append(block)
                    parent.inner_content.append(None)
                    parent.prev_offset = end
                offset = end
                continue
            if not stack:
                freeform(top_offset, start)
            else:
                parent = stack[-1]
                parent.add_html(text[parent.prev_offset : start])
            stack.append(_Frame(name, attrs, start, end, None))
            offset = end
            continue

        # a closer
        if not stack:
            # WordPress: a closer with no opener ends parsing; the rest is freeform.
            break
        frame = stack.pop()
        frame.add_html(text[frame.prev_offset : start])
        block = frame.close(end)
        if not stack:
            output.append(block)
            top_offset = end
        else:
            parent = stack[-1]
            parent.inner.append(block)
            parent.inner_content.append(None)
            parent.prev_offset = end
        offset = end

    # Blocks left open at the end of the document are closed there.
    n = len(text)
    while stack:
        frame = stack.pop()
        frame.add_html(text[frame.prev_offset : n])
        block = frame.close(n)
        if stack:
            parent = stack[-1]
            parent.inner.append(block)
            parent.inner_content.append(None)
            parent.prev_offset = n
        else:
            output.append(block)
            top_offset = n
    freeform(top_offset, n)
    return output
