"""Lists and definition lists.

A nested list sits under its item's content, indented by the width of the
item's marker (CommonMark reads an item's continuation there). A list whose
items hold only text is tight; one whose items hold blocks (paragraphs,
code, quotes, tables …) is loose when an item's blocks are apart (a blank
line outside code), and then every item is apart. An ordered list not
starting at 1 cannot interrupt a paragraph (CommonMark §5.3), so a sublist
like that gets a blank line before it. Text directly in a ``<ul>`` (invalid,
common in scraped pages) is an item of its own and a list directly inside a
list belongs to the item before it, as browsers show them; a list that shows
nothing (the icon links of a theme's social menu) goes.

Definition lists are ``Term`` then ``: definition`` (PHP Markdown Extra,
kramdown, Hugo/goldmark, pandoc); without that extension they still read as
text.
"""

from __future__ import annotations

import re

from wpmigrate.document import NEVER_VISIBLE, VISIBLE_WITHOUT_TEXT, tag_of

from . import inline as il
from .base import WRITER_BLOCKS, Block, kept_comment
from .base import indent as _indent

# what makes an item hold blocks rather than a line of text
_ITEM_BLOCKS = frozenset("p pre blockquote table div h1 h2 h3 h4 h5 h6 figure hr dl details".split())
_LISTS = frozenset(("ul", "ol"))
_FENCE = re.compile(r"^(?:[ >]|[-*+] |[0-9]{1,9}[.)] )*(`{3,}|~{3,})")


def shows_nothing(el) -> bool:
    """No text, nothing visible without text (an image, a player, a rule …) and no
    comment the Markdown keeps (a shortcode left as a comment)."""
    if el.text_content().strip():
        return False
    for d in el.iterdescendants():
        if tag_of(d) in VISIBLE_WITHOUT_TEXT or kept_comment(d) is not None:
            return False
    return True


def blank_line_outside_code(markdown: str) -> bool:
    """Whether blocks of an item are apart (a loose list); blank lines in code, and
    the ">" lines between a quote's paragraphs, do not count."""
    if "\n\n" not in markdown.strip("\n"):
        return False
    fence = None
    for line in markdown.strip("\n").split("\n"):
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
            elif not line.strip():
                return True
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end() :].strip():
            fence = None
    return False


def list_start(el) -> int:
    try:
        return int((el.get("start") or "1").strip())
    except ValueError:
        return 1


class ListMixin:
    def list_items(self, el) -> list:
        """The items of a list as a browser shows them: ``<li>`` elements, stray text, and
        other stray children, each a list of nodes (a nested list joins the item before it)."""
        items: list[list] = []
        if el.text and el.text.strip():
            items.append([el.text])
        for child in el:
            tag = tag_of(child)
            if tag == "li":
                items.append([child])
            elif tag in _LISTS and items and not isinstance(items[-1][0], str) and tag_of(items[-1][0]) == "li":
                items[-1].append(child)
            elif tag and tag not in NEVER_VISIBLE:
                items.append([child])
            if child.tail and child.tail.strip():
                items.append([child.tail])
        return items

    def item_blocks(self, nodes) -> list[Block]:
        first = nodes[0]
        if isinstance(first, str):
            return self.stray_blocks([first])
        blocks = self.flow(first) if tag_of(first) == "li" else self.flow_one(first)
        for nested in nodes[1:]:
            blocks.extend(self.flow_one(nested))
        return blocks

    def list_block(self, el, ordered: bool) -> list[Block]:
        if shows_nothing(el):
            return []
        items = self.list_items(el)
        lis = [nodes[0] for nodes in items if not isinstance(nodes[0], str) and tag_of(nodes[0]) == "li"]
        holds_blocks = False
        # an item of nothing but a line of text (the usual case) is written as one run
        simple = len(lis) == len(items)
        for li in lis:
            for d in li.iterdescendants():
                t = d.tag
                if t.__class__ is str:
                    if t in _ITEM_BLOCKS:
                        holds_blocks = True
                        simple = False
                        break
                    if t in WRITER_BLOCKS:
                        simple = False
            if holds_blocks:
                break
        if simple and all(len(nodes) == 1 for nodes in items):
            bodies = [self.inline_text(li) for li in lis]
            return [self.list_lines(el, ordered, bodies, lis, loose=False)]
        item_blocks = [[b for b in self.item_blocks(nodes) if b.text.strip()] for nodes in items]
        # two lists of one kind in a row in an item need a separator between them,
        # which is a block of its own: the item holds blocks then
        holds_blocks = holds_blocks or any(
            a.kind == b.kind and a.kind in ("list-ul", "list-ol")
            for blocks in item_blocks
            for a, b in zip(blocks, blocks[1:])
        )
        bodies = []
        for blocks in item_blocks:
            if holds_blocks:
                bodies.append(self.join_blocks(blocks).strip("\n"))
                continue
            text = ""
            for i, b in enumerate(blocks):
                if i:
                    # an ordered list not starting at 1 cannot interrupt a paragraph
                    interrupts = b.kind == "list-ol" and not b.text.startswith("1.")
                    text += "\n\n" if interrupts else "\n"
                text += b.text
            bodies.append(text)
        loose = holds_blocks and any(blank_line_outside_code(b) for b in bodies)
        return [self.list_lines(el, ordered, bodies, lis, loose)]

    def list_lines(self, el, ordered: bool, bodies: list[str], lis: list, loose: bool) -> Block:
        """Each item's Markdown after its marker, continuation lines under its content."""
        number = list_start(el) if ordered else 1
        step = 1
        if ordered and el.get("reversed") is not None:
            step = -1
            if not (el.get("start") or "").strip().isdigit():
                number = len(lis)
        out = []
        for body in bodies:
            marker = f"{number}." if ordered else self.bullet
            number += step
            out.append(_indent(body, marker + " ", " " * (len(marker) + 1)) if body.strip() else marker)
        return Block("list-ol" if ordered else "list-ul", ("\n\n" if loose else "\n").join(out))

    def convert_ul(self, el):
        return self.list_block(el, ordered=False)

    def convert_menu(self, el):
        return self.list_block(el, ordered=False)

    def convert_dir(self, el):
        return self.list_block(el, ordered=False)

    def convert_ol(self, el):
        return self.list_block(el, ordered=True)

    def convert_li(self, el):
        # an <li> outside any list
        text = self.blocks_text(self.flow(el))
        return [Block("list-ul", _indent(text, self.bullet + " ", "  ") if text else self.bullet)]

    def convert_dl(self, el) -> list[Block]:
        groups: list[list[str]] = []
        self.definition_groups(el, groups)
        text = "\n\n".join("\n".join(g) for g in groups if g)
        return [Block("dl", text)] if text else []

    def definition_groups(self, container, groups: list[list[str]]) -> None:
        """Term / ``: definition`` groups; text loose in the list (shown by browsers) as paragraphs."""

        def stray(text: str | None) -> None:
            if text and text.strip():
                groups.append([il.finish_inline(self.text(text), self.pieces)])
                groups.append([])

        stray(container.text)
        for child in container:
            tag = tag_of(child)
            if tag == "div" and self.depth < self.max_depth:
                # HTML allows a <div> around a term and its definitions
                self.depth += 1
                try:
                    self.definition_groups(child, groups)
                finally:
                    self.depth -= 1
            elif tag == "dt" or tag == "dd":
                text = self.blocks_text(self.flow(child)).strip()
                if text and tag == "dt":
                    if not groups or not groups[-1] or groups[-1][-1].startswith(": "):
                        groups.append([])
                    groups[-1].append(" ".join(text.split("\n")))
                elif text:
                    if not groups:
                        groups.append([])
                    groups[-1].append(_indent(text, ": ", "  "))
            elif tag and tag not in NEVER_VISIBLE:
                text = self.blocks_text(self.flow_one(child)).strip()
                if text:
                    groups.append([text])
                    groups.append([])
            stray(child.tail)
