"""The walk: an lxml tree → Markdown blocks, one overridable method per tag.

Every element is either *block* (it makes Markdown blocks: paragraphs,
headings, lists, fenced code …) or *inline* (it adds to the current run of
text). The writer walks the tree once; for each element it calls
``convert_<tag>(el)`` when the class has one, else treats the element as a
transparent container (``<div>``, ``<section>``, ``<span>``, unknown tags).
A method returns a list of :class:`Block` (it made blocks) or a string (an
inline piece, still symbolic: see :mod:`.inline`); ``self.inline_mode`` says
where the element stands, for the few tags that are written differently in
a paragraph and between paragraphs (a link, an iframe). Subclass
:class:`MarkdownWriter` and override one method to change one tag.

The handlers live in mixins by subject: :mod:`.links`, :mod:`.lists`,
:mod:`.code`, :mod:`.tables`, :mod:`.notes` (footnotes and figures),
:mod:`.media` (raw HTML, embeds, forms), :mod:`.phrasing` (emphasis, line
breaks), :mod:`.blocks` (paragraphs, headings, quotes, rules); this module
holds the walk.

Recursion follows the tree only down to :data:`MAX_DEPTH` levels; below that
an element's visible text is kept as text, so no page can exhaust the stack.
"""

from __future__ import annotations

import re

from lxml import etree

from wpmigrate.document import BLOCK_TAGS, NEVER_VISIBLE, displayed_as_box, text_of

from . import inline as il
from .base import WRITER_BLOCKS, Block, holds_blocks, kept_comment
from .blocks import BlocksMixin
from .code import CodeMixin
from .escape import escape_text
from .links import LinkMixin
from .lists import ListMixin
from .media import MediaMixin
from .notes import NotesMixin
from .phrasing import PhrasingMixin
from .tables import TableMixin

__all__ = ["Block", "MarkdownWriter", "MAX_DEPTH"]

#: How deep the writer follows the tree; deeper content is kept as its text.
MAX_DEPTH = 120
_Comment = etree.Comment
_HTML_SPACE = " \t\n\r\f\v"
_NEVER_BLOCKS = NEVER_VISIBLE | {"br", "img"}
# plugin content (old Flash players): never shown, but its address is kept
_PLUGINS = frozenset(("object", "embed"))
# what a text node may need done: escaping, removing unsafe characters, a cell's "|"
_text_work = re.compile("[\\\\`*_\\[\\]<&~|\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]").search


_HANDLERS: dict[type, dict] = {}


def _handlers(cls: type) -> dict:
    """Tag → its ``convert_<tag>`` function, found once per class."""
    found = _HANDLERS.get(cls)
    if found is None:
        found = {name[8:]: getattr(cls, name) for name in dir(cls) if name.startswith("convert_")}
        _HANDLERS[cls] = found
    return found


class MarkdownWriter(BlocksMixin, PhrasingMixin, LinkMixin, NotesMixin, ListMixin, CodeMixin, TableMixin, MediaMixin):
    """Write WordPress front-end HTML (an lxml tree) as Markdown for static site generators."""

    bullet = "-"
    hr = "***"
    max_depth = MAX_DEPTH

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.depth = 0
        # counters that let a finished run skip work: text pieces holding a token,
        # emphasis written; last_plain: the last inline_children() run was text only
        self.defers = self.emphases = 0
        self.last_plain = False
        self.defers = self.emphases = 0
        self.last_plain = False
        self.inline_mode = False
        self.html_breaks = 0  # inside a table cell or a heading
        self.html_breaks_skipped: set = set()  # <br> at their edges, which show nothing
        # the links and emphasis around blocks being written: (opening, closing) tokens
        self.block_wraps: list[tuple[str, str]] = []
        self.in_link = 0
        self.in_em = 0
        self.in_strong = 0
        self.in_del = 0
        self.footnote_ref_ids: set[str] = set()
        self.footnote_refs: dict = {}
        self.footnote_lists: dict = {}
        self.footnote_backlinks: set = set()
        self.handlers = _handlers(type(self))

    # --- entry point -----------------------------------------------------------

    def write(self, root) -> str:
        """The Markdown for the content of ``root`` (its own tag left out).

        ``""`` when nothing is visible, else Markdown ending in exactly one
        newline. The tree is read, not changed. A writer can write one tree
        after another.
        """
        self.pieces = []
        self.depth = 0
        self.defers = self.emphases = 0
        self.last_plain = False
        self.inline_mode = False
        self.in_link = self.in_em = self.in_strong = self.in_del = 0
        self.cell_depth = self.html_breaks = 0
        self.block_wraps = []
        self.prepare(root)
        return self.join_blocks(self.flow(root))

    # --- blocks ----------------------------------------------------------------

    def flow(self, el, *, include_text: bool = True, skip=None) -> list[Block]:
        """The blocks made by the children of ``el`` (mixed inline and block content).

        ``skip`` is a child left out (a ``<details>``' ``<summary>``); its tail stays.
        """
        blocks: list[Block] = []
        run: list[str] = []
        text = self.text
        if include_text:
            t = el.text
            if t:
                run.append(text(t))
        flow_child = self.flow_child
        for child in el:
            flow_child(child, run, blocks, skip)
            t = child.tail
            if t:
                run.append(text(t))
        if run:
            self.flush(run, blocks)
        return blocks

    def flow_child(self, child, run: list[str], blocks: list[Block], skip=None) -> None:
        tag = child.tag
        if tag.__class__ is not str:
            if tag is _Comment:
                run.append(self.comment(child))
            return
        tag = tag.lower()
        if tag in NEVER_VISIBLE or child is skip:
            if tag in _PLUGINS and child is not skip:
                self.flush(run, blocks)
                blocks.extend(self.plugin_blocks(child))
                if tag == "embed":
                    # (void, but the HTML parser lets an unclosed <embed> hold what follows it)
                    self.flow_into(child, run, blocks)
            return
        if self.footnote_refs:
            if child in self.footnote_lists:
                self.flush(run, blocks)
                blocks.extend(self.footnote_definitions(*self.footnote_lists[child]))
                return
            if child in self.footnote_refs:
                run.append(self.footnote_ref(child))
                return
            if child in self.footnote_backlinks:
                return
        if self.depth > self.max_depth:
            run.append(self.text(text_of(child)))
            return
        # (no try/finally around the depth and the mode: write() starts afresh)
        self.depth += 1
        if tag in WRITER_BLOCKS or (len(child) and tag not in _NEVER_BLOCKS and holds_blocks(child)):
            handler = self.handlers.get(tag)
            if handler is None and tag not in WRITER_BLOCKS:
                # an inline container around blocks (<span>, <font>, a page builder's
                # wrapper): its text before the first block stays on the line it is on
                self.flow_into(child, run, blocks)
                self.depth -= 1
                return
            saved = self.inline_mode
            self.inline_mode = False
            result = handler(self, child) if handler is not None else self.flow(child)
            self.inline_mode = saved
            if result.__class__ is str:
                run.append(result)
            else:
                self.flush(run, blocks)
                blocks.extend(result)
        else:
            saved = self.inline_mode
            self.inline_mode = True
            run.append(self.inline(child, tag))
            self.inline_mode = saved
        self.depth -= 1

    def flow_into(self, el, run: list[str], blocks: list[Block]) -> None:
        """The content of ``el`` added to the run and blocks being written, as if ``el``
        were not there (its tail is the caller's)."""
        text = self.text
        t = el.text
        if t:
            run.append(text(t))
        for child in el:
            self.flow_child(child, run, blocks)
            t = child.tail
            if t:
                run.append(text(t))

    def flow_one(self, child) -> list[Block]:
        """The blocks one element makes, standing where blocks may stand."""
        blocks: list[Block] = []
        run: list[str] = []
        self.flow_child(child, run, blocks)
        self.flush(run, blocks)
        return blocks

    def flush(self, run: list[str], blocks: list[Block], br: str = "hard") -> None:
        if run:
            text = "".join(run) if len(run) > 1 else run[0]
            run.clear()
            if not text.strip(_HTML_SPACE):
                return  # the white space between blocks
            if self.block_wraps:
                text = self.in_block_link(text)
            text = il.finish_inline(text, self.pieces, br=br)
            if text.strip():
                blocks.append(Block("paragraph", text))

    def inline_text(self, el, *, br: str = "hard", include_text: bool = True, trim: bool = False) -> str:
        """The children of ``el`` as one run of inline Markdown (blocks flattened with spaces)."""
        emphases = self.emphases
        run = self.inline_children(el, include_text=include_text)
        plain = self.last_plain
        if self.block_wraps:
            run = self.in_block_link(run)
            plain = False
        emphasis = self.emphases != emphases or bool(self.block_wraps)
        return il.finish_inline(run, self.pieces, br=br, plain=plain, emphasis=emphasis, trim=trim)

    def in_block_link(self, run: str) -> str:
        """Inside a link or emphasis around blocks, each run of inline content is linked or
        emphasised on its own (Markdown's links and emphasis cannot span blocks)."""
        for open_token, close_token in reversed(self.block_wraps):
            run = il.delimited(open_token, run, close_token)
        return run

    def around_blocks(self, el, open_token: str, close_token: str) -> list[Block]:
        """The blocks inside ``el``, each of their runs between the two tokens."""
        self.block_wraps.append((open_token, close_token))
        try:
            return self.flow(el)
        finally:
            self.block_wraps.pop()

    def join_blocks(self, blocks: list[Block]) -> str:
        parts: list[str] = []
        prev = ""
        for b in blocks:
            if not b.text.strip():
                continue
            # two lists of the same kind in a row (whatever held them in the
            # HTML) would be read as one list: an HTML comment keeps them apart
            if b.kind == prev and (prev == "list-ul" or prev == "list-ol"):
                parts.append("<!-- -->")
            parts.append(b.text)
            prev = b.kind
        if not parts:
            return ""
        return "\n\n".join(parts).strip("\n") + "\n"

    def blocks_text(self, blocks: list[Block]) -> str:
        return self.join_blocks(blocks).rstrip("\n")

    def stray_blocks(self, nodes) -> list[Block]:
        """Blocks for text and elements found where HTML allows none (text in a <table>, a <dl>).

        Browsers show such content rather than drop it ("foster parenting"
        moves it before a table); so does the writer. ``nodes`` are strings and
        elements (an element's tail is not part of it).
        """
        blocks: list[Block] = []
        run: list[str] = []
        for node in nodes:
            if isinstance(node, str):
                run.append(self.text(" " + node + " "))  # pieces from different places stay words apart
            else:
                self.flow_child(node, run, blocks)
        self.flush(run, blocks)
        return blocks

    # --- inline ----------------------------------------------------------------

    def text(self, t: str) -> str:
        """A text node, escaped (its white space folds when its run is finished)."""
        if t.isspace() or _text_work(t) is None:
            return t  # nothing to escape or remove (white space collapses later, per run)
        if il.UNSAFE.search(t):
            t = il.UNSAFE.sub("", t)
        t = escape_text(t, in_link=bool(self.in_link))
        if il.DEFER in t:
            self.defers += 1  # a token in a text piece: its run is not plain
        if self.cell_depth and "|" in t:
            t = t.replace("|", "\\|")  # a cell edge in a pipe table
        return t

    def store(self, markdown: str) -> str:
        """Keep a finished piece of Markdown aside; the returned placeholder stands for it."""
        self.pieces.append(markdown)
        return f"{il.PH_OPEN}{len(self.pieces) - 1}{il.PH_CLOSE}"

    def inline_children(self, el, *, include_text: bool = True) -> str:
        parts: list[str] = []
        text = self.text
        defers = self.defers
        if include_text:
            t = el.text
            if t:
                parts.append(text(t))
        saved = self.inline_mode
        self.inline_mode = True
        footnotes = self.footnote_refs
        max_depth = self.max_depth
        inline = self.inline
        # is the run text only (no element wrote anything into it)? see last_plain
        plain = True
        for child in el:
            tag = child.tag
            if tag.__class__ is str:
                tag = tag.lower()
                if tag in NEVER_VISIBLE:
                    if tag in _PLUGINS:
                        parts.append(self.plugin_inline(child))
                        if tag == "embed":
                            parts.append(self.inline_children(child))
                        plain = False
                elif footnotes and (child in footnotes or child in self.footnote_backlinks):
                    if child in footnotes:
                        parts.append(self.footnote_ref(child))
                        plain = False
                elif self.depth > max_depth:
                    parts.append(text(text_of(child)))
                else:
                    self.depth += 1
                    if tag in BLOCK_TAGS:
                        parts.append(" " + self.inline_children(child) + " ")
                        plain = plain and self.last_plain
                    else:
                        parts.append(inline(child, tag))
                        plain = False
                    self.depth -= 1
            elif tag is _Comment:
                parts.append(self.comment(child))
                plain = False
            t = child.tail
            if t:
                parts.append(text(t))
        self.inline_mode = saved
        self.last_plain = plain and self.defers == defers
        return "".join(parts)

    def comment(self, el) -> str:
        """A comment the render stage keeps (:func:`.base.kept_comment`) as raw HTML; others go."""
        kept = kept_comment(el)
        return "" if kept is None else self.store(kept)

    def inline(self, el, tag: str) -> str:
        if el.get("style") is not None and displayed_as_box(el):
            # (<span style="display:block">: its text is apart from its neighbours', as a block's is)
            return " " + self.inline_element(el, tag) + " "
        return self.inline_element(el, tag)

    def inline_element(self, el, tag: str) -> str:
        handler = self.handlers.get(tag)
        if handler is not None:
            # (inline_mode is set by the caller)
            result = handler(self, el)
            if result.__class__ is str:
                return result
            # a block inside an inline context (a table cell, a link): keep its text apart
            if not result:
                return " "
            return " " + self.store(" ".join(b.text.replace("\n", " ") for b in result)) + " "
        if tag in WRITER_BLOCKS:
            blocks = self.flow(el)
            if not blocks:
                return " "
            return " " + self.store(" ".join(b.text.replace("\n", " ") for b in blocks)) + " "
        return self.inline_children(el)  # span, font, abbr, o:p, unknown tags
