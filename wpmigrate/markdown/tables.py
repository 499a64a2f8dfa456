"""Tables: a GFM pipe table when Markdown can say it, the HTML table when it cannot.

A pipe table has one line per row and no merged cells, so a table with
``rowspan``/``colspan``, a nested table, or cells holding block content (lists,
several paragraphs, code, headings) stays HTML. ``<br>`` inside a cell
becomes ``<br>`` (the pipe table's only way to break a line), ``|`` is escaped.
GFM needs a header row: ``<thead>`` (or a first row made only of ``<th>``)
gives it; otherwise the first row is used as the header.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .base import Block

# what a cell may hold and still fit on one line of a pipe table
_CELL_BLOCKERS = frozenset(
    "ul ol dl pre blockquote table h1 h2 h3 h4 h5 h6 hr figure details iframe video audio object embed math".split()
)


_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(left|center|right)", re.I)


def _cell_alignment(cell) -> str:
    for value in (cell.get("data-align"), cell.get("align")):
        if value and value.strip().lower() in ("left", "center", "right"):
            return value.strip().lower()
    for cls in (cell.get("class") or "").split():
        if cls.startswith("has-text-align-") and cls[15:] in ("left", "center", "right"):
            return cls[15:]
    m = _ALIGN_STYLE.search(cell.get("style") or "")
    return m.group(1).lower() if m else ""


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


class TableMixin:
    def table_rows(self, table) -> tuple[list, int]:
        """Rows in display order (thead, body rows, tfoot) and how many belong to the head."""
        head, body, foot = [], [], []
        for child in table:
            tag = _tag(child)
            if tag == "thead":
                head.extend(r for r in child if _tag(r) == "tr")
            elif tag == "tfoot":
                foot.extend(r for r in child if _tag(r) == "tr")
            elif tag == "tbody":
                body.extend(r for r in child if _tag(r) == "tr")
            elif tag == "tr":
                body.append(child)
        return head + body + foot, len(head)

    def table_is_simple(self, table, rows) -> bool:
        if not rows:
            return False
        for row in rows:
            for cell in row:
                tag = _tag(cell)
                if tag not in ("td", "th"):
                    if tag:
                        return False
                    continue
                for attr in ("rowspan", "colspan"):
                    value = (cell.get(attr) or "1").strip()
                    if value not in ("", "1", "0"):
                        return False
                if any(_tag(d) in _CELL_BLOCKERS for d in cell.iterdescendants()):
                    return False
                if sum(1 for d in cell.iterdescendants() if _tag(d) in ("p", "div")) > 1:
                    return False
        return True

    def cell_text(self, cell) -> str:
        text = self.inline_text(cell, br="html")  # type: ignore[attr-defined]
        return text.replace("\n", " ").replace("|", "\\|")

    def stray_nodes(self, table) -> list:
        """Text and elements of a table outside its cells and caption (browsers show them before it)."""
        nodes: list = []

        def collect(el) -> None:
            if el.text and el.text.strip():
                nodes.append(el.text)
            for child in el:
                tag = _tag(child)
                if tag in ("thead", "tbody", "tfoot", "tr"):
                    collect(child)
                elif tag and tag not in ("td", "th", "caption", "colgroup", "col"):
                    nodes.append(child)
                if child.tail and child.tail.strip():
                    nodes.append(child.tail)

        collect(table)
        return nodes

    def block_table(self, el) -> list["Block"]:
        from .base import Block

        rows, head_count = self.table_rows(el)
        caption = next((c for c in el if _tag(c) == "caption"), None)
        blocks: list[Block] = []
        if caption is not None:
            blocks.extend(self.flow(caption))  # type: ignore[attr-defined]
        if not self.table_is_simple(el, rows):
            if rows or caption is not None:
                blocks.append(Block("html", self.raw_html(el)))  # type: ignore[attr-defined]
            return blocks
        stray = self.stray_nodes(el)
        if stray:
            blocks.extend(self.stray_blocks(stray))  # type: ignore[attr-defined]
        grid = [[self.cell_text(c) for c in row if _tag(c) in ("td", "th")] for row in rows]
        grid = [r for r in grid if r]
        if not grid:
            return blocks
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        header_rows = max(1, head_count)
        if header_rows > 1:
            # GFM has one header line; further head rows become body rows
            header_rows = 1
        delimiters = self.column_alignments(rows, width)
        lines = []
        for i, row in enumerate(grid):
            lines.append("| " + " | ".join(row) + " |")
            if i == header_rows - 1:
                lines.append("|" + "|".join(delimiters) + "|")
        blocks.append(Block("table", "\n".join(lines)))
        return blocks

    def column_alignments(self, rows, width: int) -> list[str]:
        """``:---:`` and friends where every cell of a column says how it is aligned.

        core/table writes ``has-text-align-center`` and ``data-align="center"``
        on the cells; classic tables use ``align="center"`` or a style.
        """
        found: list[set[str]] = [set() for _ in range(width)]
        for row in rows:
            cells = [c for c in row if _tag(c) in ("td", "th")]
            for i, cell in enumerate(cells[:width]):
                found[i].add(_cell_alignment(cell))
        marks = {"left": ":---", "center": ":---:", "right": "---:"}
        return [marks.get(next(iter(f)), "---") if len(f) == 1 else "---" for f in found]

    def block_caption(self, el):
        return self.flow(el)  # type: ignore[attr-defined]

    # table parts met outside a table (scraped fragments): read them as text
    def block_tr(self, el):
        return self.flow(el)  # type: ignore[attr-defined]

    def block_td(self, el):
        return self.flow(el)  # type: ignore[attr-defined]

    def block_th(self, el):
        return self.block_td(el)

    def block_tbody(self, el):
        return self.flow(el)  # type: ignore[attr-defined]

    def block_thead(self, el):
        return self.block_tbody(el)

    def block_tfoot(self, el):
        return self.block_tbody(el)
