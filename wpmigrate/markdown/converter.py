"""HTML (as WordPress serves it) → Markdown, one overridable method per tag.

The walk is over an lxml tree. Every element is either *block* (it makes one
or more Markdown blocks: paragraphs, headings, lists, fenced code …) or
*inline* (it adds to the current run of text). Block handlers are named
``block_<tag>`` and return a list of :class:`Block`; inline handlers are named
``inline_<tag>`` and return a symbolic string (see :mod:`.inline`). Subclass
:class:`MarkdownConverter` and override one method to change one thing.

The handlers live in mixins by subject: :mod:`.links` (links and images),
:mod:`.footnotes`, :mod:`.lists`, :mod:`.code`, :mod:`.tables`, :mod:`.media`;
this module holds the walk, paragraphs, headings, quotes and emphasis.
"""

from __future__ import annotations

import copy
import html as htmllib
import re

import lxml.etree
import lxml.html

from . import inline as il
from .base import BLOCK_TAGS, DROP_TAGS, Block
from .base import tag_of as _tag
from .code import CodeMixin
from .footnotes import FootnoteMixin
from .links import LinkMixin
from .lists import ListMixin
from .media import MediaMixin
from .tables import TableMixin

__all__ = ["BLOCK_TAGS", "DROP_TAGS", "Block", "MarkdownConverter"]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ue000-\ue01f]")  # lone surrogates stop lxml
_MAX_DEPTH = 120


def _visible_text(html: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", html, flags=re.I | re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]*>", " ", text))


def _lost_text(html: str, root) -> bool:
    """Did the parser drop most of the text (too deep a tree)?"""
    if len(html) < 2000 and html.count("<") < 250:
        return False
    want = len("".join(_visible_text(html).split()))
    got = len("".join(root.text_content().split()))
    return want > 0 and got < want / 2


class MarkdownConverter(LinkMixin, FootnoteMixin, ListMixin, CodeMixin, TableMixin, MediaMixin):
    """Convert WordPress front-end HTML to Markdown for static site generators."""

    bullet = "-"
    hr = "***"

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.depth = 0
        self.in_link = 0
        self.in_em = 0
        self.in_strong = 0
        self.in_del = 0
        self.keep_whitespace = 0
        self.footnote_labels: dict[str, str] = {}  # id of a footnote <li> -> label
        self.footnote_ref_ids: set[str] = set()

    # --- entry points ----------------------------------------------------------

    def convert(self, html: str) -> str:
        root = self.parse(html)
        if root is None:
            return ""
        self.prepare(root)
        blocks = self.flow(root)
        return self.join_blocks(blocks)

    def parse(self, html: str):
        html = _CONTROL.sub("", html.replace("\r\n", "\n").replace("\r", "\n"))
        if not html.strip():
            return None
        root = self._parse(html)
        if root is not None and _lost_text(html, root):
            # libxml2 gives up on elements nested about 255 deep and drops the
            # whole document; <div>/<span> soup is the usual cause and carries no
            # meaning, so try again without it, then fall back to plain text.
            flat = re.sub(r"</?(?:div|span|font|section|article)\b[^>]*>", " ", html, flags=re.I)
            root = self._parse(flat)
            if root is None or _lost_text(flat, root):
                root = lxml.html.Element("div")
                for para in re.split(r"\n\s*\n", _visible_text(html)):
                    p = lxml.html.Element("p")
                    p.text = para
                    root.append(p)
        return root

    def _parse(self, html: str):
        try:
            if re.search(r"<\s*(?:html|body)[\s>]", html[:4096], re.I):
                doc = lxml.html.document_fromstring(html)
                body = doc.find("body")
                return body if body is not None else doc
            return lxml.html.fragment_fromstring(html, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            return None

    # --- blocks ----------------------------------------------------------------

    def is_block(self, el) -> bool:
        tag = _tag(el)
        if tag in BLOCK_TAGS:
            return True
        if tag in DROP_TAGS or tag in ("br", "img"):
            return False
        return any(_tag(d) in BLOCK_TAGS for d in el.iterdescendants())

    def flow(self, el, *, include_text: bool = True) -> list[Block]:
        """The blocks made by the children of ``el`` (mixed inline and block content)."""
        blocks: list[Block] = []
        run: list[str] = []
        if include_text and el.text:
            run.append(self.text(el.text))
        for child in el:
            tag = _tag(child)
            if child.tag is lxml.etree.Comment:
                run.append(self.comment(child))
            elif tag and tag not in DROP_TAGS:
                if self.depth > _MAX_DEPTH:
                    run.append(self.text(child.text_content()))
                elif self.is_block(child):
                    self.flush(run, blocks)
                    self.depth += 1
                    try:
                        blocks.extend(self.block(child))
                    finally:
                        self.depth -= 1
                else:
                    self.depth += 1
                    try:
                        run.append(self.inline(child))
                    finally:
                        self.depth -= 1
            if child.tail:
                run.append(self.text(child.tail))
        self.flush(run, blocks)
        return blocks

    def flush(self, run: list[str], blocks: list[Block], br: str = "hard") -> None:
        if run:
            text = il.finish_inline("".join(run), self.pieces, br=br)
            run.clear()
            if text.strip():
                blocks.append(Block("paragraph", text))

    def inline_text(self, el, *, br: str = "hard", include_text: bool = True) -> str:
        """The children of ``el`` as one run of inline Markdown (blocks flattened with spaces)."""
        return il.finish_inline(self.inline_children(el, include_text=include_text), self.pieces, br=br)

    def block(self, el) -> list[Block]:
        tag = _tag(el)
        handler = getattr(self, f"block_{tag}", None)
        if handler is not None:
            return handler(el)
        return self.flow(el)  # div, section, figure, article … are transparent

    def join_blocks(self, blocks: list[Block]) -> str:
        parts: list[str] = []
        prev: Block | None = None
        for b in blocks:
            if not b.text.strip():
                continue
            # two lists of the same kind in a row would merge into one
            if prev is not None and prev.kind == b.kind and b.kind in ("list-ul", "list-ol"):
                parts.append("<!-- -->")
            parts.append(b.text)
            prev = b
        if not parts:
            return ""
        return "\n\n".join(parts).strip("\n") + "\n"

    def blocks_text(self, blocks: list[Block]) -> str:
        return self.join_blocks(blocks).rstrip("\n")

    def stray_blocks(self, nodes) -> list[Block]:
        """Blocks for text and elements found where HTML allows none (text in a <table>, a <dl>).

        Browsers show such content rather than drop it ("foster parenting"
        moves it before a table); so does the converter.
        """
        holder = lxml.html.Element("div")
        for node in nodes:
            if isinstance(node, str):
                node = " " + node + " "  # pieces from different places stay words apart
                if len(holder):
                    holder[-1].tail = (holder[-1].tail or "") + node
                else:
                    holder.text = (holder.text or "") + node
            else:
                clone = copy.deepcopy(node)
                clone.tail = None
                holder.append(clone)
        return self.flow(holder)

    def block_p(self, el) -> list[Block]:
        return self.flow(el)

    def block_hr(self, el) -> list[Block]:
        if el.get("data-wpm-drop"):
            return []
        return [Block("hr", self.hr)]

    def heading(self, el, level: int) -> list[Block]:
        # an ATX heading is one line: a <br> inside stays HTML
        text = self.inline_text(el, br="html")
        if not text:
            return []
        if text.endswith("#"):
            text = text[:-1] + "\\#"  # a closing sequence would be eaten
        return [Block("heading", "#" * level + " " + text)]

    def block_h1(self, el):
        return self.heading(el, 1)

    def block_h2(self, el):
        return self.heading(el, 2)

    def block_h3(self, el):
        return self.heading(el, 3)

    def block_h4(self, el):
        return self.heading(el, 4)

    def block_h5(self, el):
        return self.heading(el, 5)

    def block_h6(self, el):
        return self.heading(el, 6)

    def block_blockquote(self, el) -> list[Block]:
        # core/quote and core/pullquote end with <cite>: it stays inside the quote
        text = self.blocks_text(self.flow(el))
        if not text:
            return []
        lines = [("> " + line) if line else ">" for line in text.split("\n")]
        return [Block("quote", "\n".join(lines))]

    # --- inline ----------------------------------------------------------------

    def text(self, t: str) -> str:
        """A text node, escaped; whitespace collapses as in a browser (not inside verse)."""
        if not self.keep_whitespace:
            t = il.collapse_ws(t)
        return il.escape_text(t, in_link=bool(self.in_link))

    def store(self, markdown: str) -> str:
        """Keep a finished piece of Markdown aside; the returned placeholder stands for it."""
        self.pieces.append(markdown)
        return f"{il.PH_OPEN}{len(self.pieces) - 1}{il.PH_CLOSE}"

    def inline_children(self, el, *, include_text: bool = True) -> str:
        parts: list[str] = []
        if include_text and el.text:
            parts.append(self.text(el.text))
        for child in el:
            tag = _tag(child)
            if child.tag is lxml.etree.Comment:
                parts.append(self.comment(child))
            elif tag and tag not in DROP_TAGS:
                if self.depth > _MAX_DEPTH:
                    parts.append(self.text(child.text_content()))
                else:
                    self.depth += 1
                    try:
                        if tag in BLOCK_TAGS and tag not in ("iframe", "video", "audio"):
                            parts.append(" " + self.inline_children(child) + " ")
                        else:
                            parts.append(self.inline(child))
                    finally:
                        self.depth -= 1
            if child.tail:
                parts.append(self.text(child.tail))
        return "".join(parts)

    def comment(self, el) -> str:
        """HTML comments are invisible and go, except the ones the render stage leaves on purpose:
        ``<!--more-->`` (``--more keep``: Hugo and Jekyll split excerpts there) and
        ``<!-- [shortcode …] -->`` (``--shortcodes comment``), which stay as raw HTML."""
        text = el.text or ""
        if re.fullmatch(r"more\b[^\n]*", text.strip(), re.I):
            return self.store("<!--more-->")
        if text.startswith(" [") and text.endswith("] ") and "--" not in text:
            return self.store(f"<!--{text}-->")
        return ""

    def inline(self, el) -> str:
        tag = _tag(el)
        handler = getattr(self, f"inline_{tag}", None)
        if handler is not None:
            return handler(el)
        if tag in BLOCK_TAGS:
            # a block inside an inline context (a table cell, a link): keep its text apart
            blocks = self.block(el)
            if not blocks:
                return " "
            return " " + self.store(" ".join(b.text.replace("\n", " ") for b in blocks)) + " "
        return self.inline_children(el)  # span, font, abbr, o:p, unknown tags

    def inline_br(self, el) -> str:
        return il.BR

    def inline_wbr(self, el) -> str:
        return ""

    def wrap(self, el, counter: str, open_tok: str, close_tok: str) -> str:
        if getattr(self, counter):
            return self.inline_children(el)  # <em> inside <em> adds nothing
        setattr(self, counter, getattr(self, counter) + 1)
        try:
            return open_tok + self.inline_children(el) + close_tok
        finally:
            setattr(self, counter, getattr(self, counter) - 1)

    def inline_em(self, el):
        return self.wrap(el, "in_em", il.EM_OPEN, il.EM_CLOSE)

    def inline_i(self, el):
        return self.inline_em(el)

    def inline_dfn(self, el):
        return self.inline_em(el)

    def inline_var(self, el):
        return self.inline_em(el)

    def inline_cite(self, el):
        return self.wrap(el, "in_em", il.EM_OPEN, il.EM_CLOSE)

    def inline_strong(self, el):
        return self.wrap(el, "in_strong", il.STRONG_OPEN, il.STRONG_CLOSE)

    def inline_b(self, el):
        return self.inline_strong(el)

    def inline_del(self, el):
        return self.wrap(el, "in_del", il.DEL_OPEN, il.DEL_CLOSE)

    def inline_s(self, el):
        return self.inline_del(el)

    def inline_strike(self, el):
        return self.inline_del(el)

    def raw_inline(self, el, tag: str) -> str:
        """An inline element Markdown has no form for: its tags stay HTML around Markdown content."""
        inner = self.inline_children(el)
        if not il.strip_tokens(inner).strip() and il.PH_OPEN not in inner:
            return inner
        # line breaks and spaces at the edges go outside, so that no line starts
        # with a lone opening tag (CommonMark would read it as an HTML block)
        core = inner.strip(" " + il.BR)
        lead = inner[: len(inner) - len(inner.lstrip(" " + il.BR))]
        trail = inner[len(inner.rstrip(" " + il.BR)):]
        return lead + self.store(f"<{tag}>") + core + self.store(f"</{tag}>") + trail

    def inline_sub(self, el):
        return self.raw_inline(el, "sub")

    def inline_mark(self, el):
        return self.raw_inline(el, "mark")

    def inline_q(self, el):
        return "\u201c" + self.inline_children(el) + "\u201d"
