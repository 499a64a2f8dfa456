"""Pre-processing for the html2text converter: tables.

A table a pipe table can hold goes to html2text between two markers (the
post-processing lays out its rows); merged cells or block content in a cell
keep the table as HTML.
"""

from __future__ import annotations

import re

import lxml.html

from . import h2t_pre as pre
from .h2t_code import CODE_TAGS
from .h2t_slots import TABLE_END, TABLE_START


def mark_tables(root, slots, conv) -> None:
    """Pipe tables between markers (the post lays them out); others as raw HTML."""
    for table in [t for t in root.iter("table")]:
        if table.getparent() is None or any(pre.tag_of(a) == "table" for a in table.iterancestors()):
            continue
        if not table_is_simple(table):
            pre.replace_with_block(table, slots, pre.sanitized_html(table))
            continue
        cells = list(table.iter("td", "th"))
        if not cells:
            pre.remove_keep_tail(table)
            continue
        captions = [c for c in table if pre.tag_of(c) == "caption"]
        for foot in [c for c in table if pre.tag_of(c) == "tfoot"]:
            # a browser shows the footer last, wherever the markup has it
            pre.remove_keep_tail(foot)  # text after it stays where it was
            foot.tail = None
            table.append(foot)
        loose = _loose_table_text(table)
        for cell in cells:
            for p in [p for p in cell.iter("p", "div", "span") if p is not cell]:
                p.drop_tag()
            _strip_edge_breaks(cell)
            for br in list(cell.iter("br")):
                # (a <br> in code is handled with the code)
                if not any(pre.tag_of(a) in CODE_TAGS for a in br.iterancestors()):
                    pre.replace_with_text(br, slots.inline("<br>"))
        parent = table.getparent()
        index = parent.index(table)
        slots.table_delimiters.append(column_delimiters(table))
        start = pre.block_element(f"{TABLE_START}{len(slots.table_delimiters) - 1}{TABLE_START}")
        parent.insert(index, start)
        start.tail = None
        end = pre.block_element(TABLE_END)
        end.tail = table.tail
        table.tail = None
        parent.insert(index + 2, end)
        if loose:
            # browsers show text that is in a table but in no cell before the table
            para = lxml.html.Element("p")
            para.text = loose
            start.addprevious(para)
        for caption in captions:
            # the caption before the table, where a browser shows it
            table.remove(caption)
            caption.tag = "p"
            caption.tail = None
            start.addprevious(caption)



_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr")
_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(left|center|right)", re.I)
_DELIMITERS = {"left": ":---", "center": ":---:", "right": "---:"}


def cell_alignment(cell) -> str:
    """How a cell says it is aligned: core/table's data-align and has-text-align-*,
    classic align="…" or a text-align style; "" when it does not say."""
    for value in (cell.get("data-align"), cell.get("align")):
        if value and value.strip().lower() in _DELIMITERS:
            return value.strip().lower()
    for cls in pre.classes(cell):
        if cls.startswith("has-text-align-") and cls[len("has-text-align-") :] in _DELIMITERS:
            return cls[len("has-text-align-") :]
    m = _ALIGN_STYLE.search(cell.get("style") or "")
    return m.group(1).lower() if m else ""


def column_delimiters(table) -> list[str]:
    """A column is aligned in the pipe table when all its cells agree on it."""
    columns: list[set[str]] = []
    for tr in table.iter("tr"):
        for i, cell in enumerate(c for c in tr if pre.tag_of(c) in ("td", "th")):
            if i == len(columns):
                columns.append(set())
            columns[i].add(cell_alignment(cell))
    return [_DELIMITERS.get(next(iter(c)), "---") if len(c) == 1 else "---" for c in columns]


def _loose_table_text(table) -> str:
    """Text in a table but outside its cells, in document order (taken out of the tree)."""
    parts: list[str] = []

    def walk(el) -> None:
        if el.text and el.text.strip():
            parts.append(el.text.strip())
        el.text = None
        for child in el:
            if pre.tag_of(child) in _TABLE_PARTS:
                walk(child)
            if child.tail and child.tail.strip():
                parts.append(child.tail.strip())
            child.tail = None

    walk(table)
    return " ".join(parts)


def _strip_edge_breaks(cell) -> None:
    """<br> at the start or end of a cell shows nothing (and a cell of only <br> is empty)."""
    while len(cell) and pre.tag_of(cell[0]) == "br" and not (cell.text or "").strip():
        pre.remove_keep_tail(cell[0])
    while len(cell) and pre.tag_of(cell[-1]) == "br" and not (cell[-1].tail or "").strip():
        pre.remove_keep_tail(cell[-1])


# what a pipe table cell can hold (a <div> or <span> is unwrapped)
_CELL_INLINE = frozenset(
    "div span br a img strong b em i code del s sup sub small mark kbd u abbr cite q time font".split()
)


def table_is_simple(table) -> bool:
    """A pipe table can hold it: no merged cells, no block content in a cell."""
    for cell in table.iter("td", "th"):
        for name in ("rowspan", "colspan"):
            value = (cell.get(name) or "1").strip()
            if value not in ("", "1", "0"):
                return False
        paragraphs = 0
        for d in cell.iterdescendants():
            tag = pre.tag_of(d)
            if tag == "p":
                paragraphs += 1
            elif tag in _CELL_INLINE:
                continue
            elif tag in pre.BLOCK_TAGS or tag == "table":
                return False
        if paragraphs > 1:
            return False
    return True
