"""Lists, definition lists and footnote definitions."""

from __future__ import annotations

from . import inline as il
from .base import DROP_TAGS, Block
from .base import indent as _indent
from .base import tag_of as _tag


class ListMixin:
    def list_block(self, el, ordered: bool) -> list[Block]:
        items: list[tuple[str, bool]] = []  # (text, loose)
        start = 1
        if ordered:
            try:
                start = int(el.get("start", "1"))
            except ValueError:
                start = 1
            start = max(0, min(start, 999_999_999))
        reverse = ordered and el.get("reversed") is not None
        lis = [c for c in el if _tag(c) == "li"]
        number = start if not reverse else start if el.get("start") else len(lis)
        # text or inline elements directly in <ul> (invalid but common) become items too
        children = list(el)
        if el.text and el.text.strip():
            items.append((il.finish_inline(self.text(el.text), self.pieces), False))
        for child in children:
            stray = child.tail if child.tail and child.tail.strip() else None
            self._list_child(child, items)
            if stray:
                items.append((il.finish_inline(self.text(stray), self.pieces), False))
        if not any(text.strip() for text, _ in items):
            return []  # only empty items: nothing but bullets to show
        any_loose = any(loose for _, loose in items)
        out = []
        for text, _ in items:
            marker = f"{number}." if ordered else self.bullet
            number = number - 1 if reverse else number + 1
            width = len(marker) + 1
            out.append(_indent(text, marker + " ", " " * width).rstrip() if text else marker)
        kind = "list-ol" if ordered else "list-ul"
        return [Block(kind, ("\n\n" if any_loose else "\n").join(out))]

    def _list_child(self, child, items: list[tuple[str, bool]]) -> None:
        """Add what one child of a list contributes: an item, or a list nested under the last item."""
        tag = _tag(child)
        if tag == "li":
            blocks = self.flow(child)
        elif tag in DROP_TAGS or not tag:
            return
        elif tag in ("ul", "ol"):
            # a list directly inside a list: nest it under the previous item
            nested = self.block(child)
            if items:
                text, loose = items[-1]
                items[-1] = (text + "\n" + self.blocks_text(nested), loose)
            else:
                items.append((self.blocks_text(nested), False))
            return
        else:
            blocks = self.block(child) if self.is_block(child) else self.flow_of_inline(child)
        blocks = [b for b in blocks if b.text.strip()]
        non_list = [b for b in blocks if not b.kind.startswith("list-")]
        loose = len(non_list) > 1
        text = ""
        for i, b in enumerate(blocks):
            if i:
                # an ordered list not starting at 1 cannot interrupt a
                # paragraph (CommonMark §5.3): it needs a blank line
                interrupts = b.kind == "list-ol" and not b.text.startswith("1.")
                text += "\n\n" if (loose or interrupts) else "\n"
            text += b.text
        items.append((text, loose))

    def flow_of_inline(self, el) -> list[Block]:
        text = il.finish_inline(self.inline(el), self.pieces)
        return [Block("paragraph", text)] if text.strip() else []

    def block_ul(self, el):
        return self.list_block(el, ordered=False)

    def block_menu(self, el):
        return self.list_block(el, ordered=False)

    def block_dir(self, el):
        return self.list_block(el, ordered=False)

    def block_ol(self, el):
        if el.get("data-wpm-footnotes"):
            return self.footnote_definitions(el)
        return self.list_block(el, ordered=True)

    def block_li(self, el):
        # an <li> outside any list
        return self.list_block_from_items([el])

    def list_block_from_items(self, lis) -> list[Block]:
        items = []
        for li in lis:
            text = self.blocks_text(self.flow(li))
            items.append(_indent(text, self.bullet + " ", "  ") if text else self.bullet)
        return [Block("list-ul", "\n".join(items))]

    # definition lists: "Term" then ": definition" (PHP Markdown Extra, kramdown,
    # Hugo/goldmark, pandoc); without that extension it still reads as text.

    def block_dl(self, el) -> list[Block]:
        if any(_tag(d) == "img" for c in el if _tag(c) == "dt" for d in c.iter()):
            # classic [gallery] markup: <dl class="gallery-item"><dt><img></dt><dd>caption</dd>
            return self.flow(el)
        blocks: list[Block] = []
        current: list[str] = []
        last = ""

        def close_group() -> None:
            if current:
                blocks.append(Block("dl", "\n".join(current)))
                current.clear()

        def stray(nodes) -> None:
            # text or elements outside <dt>/<dd>: shown by browsers, kept in order
            close_group()
            blocks.extend(self.stray_blocks(nodes))

        if el.text and el.text.strip():
            stray([el.text])
        for c in el:
            tag = _tag(c)
            if tag == "dt":
                if last == "dd":
                    close_group()
                text = self.inline_text(c, br="space")
                if text:
                    current.append(text)
                last = "dt"
            elif tag == "dd":
                text = self.blocks_text(self.flow(c))
                if text:
                    current.append(_indent(text, ": ", "  "))
                last = "dd"
            elif tag == "div":  # HTML allows <div> wrapping dt/dd groups
                close_group()
                blocks.extend(self.block_dl(c))
                last = ""
            elif tag and tag not in DROP_TAGS:
                stray([c])
                last = ""
            if c.tail and c.tail.strip():
                stray([c.tail])
                last = ""
        close_group()
        return blocks

    def block_dt(self, el):
        return self.flow(el)

    def block_dd(self, el):
        return self.flow(el)
