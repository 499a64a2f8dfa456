"""Tables: a GFM pipe table when Markdown can say it, the HTML table when it cannot.

A pipe table has one line per row and no merged cells, so a table with
``rowspan``/``colspan``, a nested table, or cells holding block content (lists,
several paragraphs, code, headings, embeds) stays HTML (without event
handlers or script addresses). In a pipe table ``<br>`` inside a cell stays
``<br>`` (the pipe table's only way to break a line) and ``|`` is escaped.
GFM needs a header row: the first row is the header. A browser shows the
footer last wherever the markup has it, the caption above the table, and
text that stands in a table outside any cell before the table ("foster
parenting"); so does the writer. A column is aligned (``:---:``) when all its
cells say so (:func:`wpmigrate.document.cell_alignment`).
"""

from __future__ import annotations

from wpmigrate.document import cell_alignment, tag_of

from .base import WRITER_BLOCKS, Block

# what a pipe table cell can hold (a <div> or <span> is unwrapped)
_CELL_INLINE = frozenset(
    "div span br a img strong b em i code del s sup sub small mark kbd u abbr cite q time font".split()
)
# what a cell cannot hold and stay on one line
_CELL_BLOCKS = (WRITER_BLOCKS | {"table"}) - {"caption"} - _CELL_INLINE
_TABLE_PARTS = frozenset(("table", "thead", "tbody", "tfoot", "tr"))
_DELIMITERS = {"left": ":---", "center": ":---:", "right": "---:"}
_CELLS = frozenset(("td", "th"))


def table_is_simple(table) -> bool:
    """A pipe table can hold it: no merged cells, no block content in a cell."""
    for cell in table.iter("td", "th"):
        for name in ("rowspan", "colspan"):
            value = (cell.get(name) or "1").strip()
            if value not in ("", "1", "0"):
                return False
        paragraphs = 0
        for d in cell.iterdescendants():
            tag = tag_of(d)
            if tag == "p":
                paragraphs += 1
            elif tag in _CELL_BLOCKS:
                return False
        if paragraphs > 1:
            return False
    return True


def table_rows(table) -> list:
    """The rows of a simple table in display order: the footer last."""
    rows, foot = [], []
    for child in table:
        tag = tag_of(child)
        if tag == "tr":
            rows.append(child)
        elif tag == "tfoot":
            foot.extend(r for r in child if tag_of(r) == "tr")
        elif tag in ("thead", "tbody"):
            rows.extend(r for r in child if tag_of(r) == "tr")
    return rows + foot


def loose_table_text(table) -> str:
    """Text in a table but outside its cells and caption, in document order."""
    parts: list[str] = []
    stack = [table]
    while stack:
        el = stack.pop()
        if isinstance(el, str):
            parts.append(el)
            continue
        if el.text and el.text.strip():
            parts.append(el.text.strip())
        for child in reversed(el):
            if child.tail and child.tail.strip():
                stack.append(child.tail.strip())
            if tag_of(child) in _TABLE_PARTS:
                stack.append(child)
    return " ".join(parts)


def edge_breaks(cell) -> list:
    """``<br>`` at the start or end of a cell, which show nothing."""
    out = []
    children = list(cell)
    if not (cell.text or "").strip():
        for child in children:
            if tag_of(child) != "br":
                break
            out.append(child)
            if (child.tail or "").strip():
                break
    for child in reversed(children):
        if tag_of(child) != "br" or (child.tail or "").strip() or child in out:
            break
        out.append(child)
    return out


def column_delimiters(rows, width: int) -> list[str]:
    """A column is aligned in the pipe table when all its cells agree on it."""
    columns: list[set[str]] = []
    for tr in rows:
        for i, cell in enumerate(c for c in tr if tag_of(c) in _CELLS):
            if i == len(columns):
                columns.append(set())
            columns[i].add(cell_alignment(cell))
    marks = [_DELIMITERS.get(next(iter(c)), "---") if len(c) == 1 else "---" for c in columns]
    return (marks + ["---"] * width)[:width]


class TableMixin:
    cell_depth = 0

    def convert_table(self, el):
        if not table_is_simple(el):
            return [Block("html", self.raw_html(el))]
        if not any(True for _ in el.iter("td", "th")):
            return []
        blocks: list[Block] = []
        loose = loose_table_text(el)
        if loose:
            blocks.extend(self.stray_blocks([loose]))
        for caption in el:
            if tag_of(caption) == "caption":
                blocks.extend(self.flow(caption))
        rows = table_rows(el)
        grid = [[self.cell_text(c) for c in row if tag_of(c) in _CELLS] for row in rows]
        grid = [r for r in grid if r]
        if not grid:
            return blocks
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        lines = ["| " + " | ".join(grid[0]) + " |", "|" + "|".join(column_delimiters(rows, width)) + "|"]
        lines.extend("| " + " | ".join(r) + " |" for r in grid[1:])
        blocks.append(Block("table", "\n".join(lines)))
        return blocks

    def cell_text(self, cell) -> str:
        """A cell on one line: ``<br>`` as HTML, ``|`` escaped in its text."""
        skipped = edge_breaks(cell)
        self.cell_depth += 1
        self.html_breaks += 1
        self.html_breaks_skipped.update(skipped)
        try:
            text = self.inline_text(cell, br="html")
        finally:
            self.cell_depth -= 1
            self.html_breaks -= 1
            self.html_breaks_skipped.difference_update(skipped)
        return text.replace("\n", " ").strip(" \u00a0")

    def convert_caption(self, el):
        return self.flow(el)

    # table parts met outside a table (scraped fragments): read them as text
    def convert_tr(self, el):
        return self.flow(el)

    def convert_td(self, el):
        return self.flow(el)

    def convert_th(self, el):
        return self.convert_td(el)

    def convert_tbody(self, el):
        return self.flow(el)

    def convert_thead(self, el):
        return self.convert_tbody(el)

    def convert_tfoot(self, el):
        return self.convert_tbody(el)
