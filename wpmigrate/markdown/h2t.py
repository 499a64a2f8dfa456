"""HTML → Markdown with html2text, configured and extended for static sites.

The conversion runs in three steps:

1. **pre-processing** (h2t_pre, lxml): what html2text cannot write is turned
   into finished Markdown or safe raw HTML and put aside behind a placeholder
   token (fenced code, merged-cell tables, footnotes, details, definition
   lists, iframes …); the tree is normalised so html2text reads it right
   (lazy-loaded images, emoji images, captions, links around blocks);
2. **html2text** (:class:`WpHTML2Text`): paragraphs, headings, lists, quotes,
   pipe tables, links and images; no wrapping, ``-`` bullets, ATX headings;
   its text escaping is replaced by h2t_escape (escape only where Markdown
   would misread), and every tag we treat differently has its own
   ``tag_<name>`` method (subclass and override one to change one thing);
3. **post-processing** (h2t_post): emphasis and links resolved with the whole
   paragraph known, pipe tables laid out, blank lines normalised, the
   placeholders restored with the indentation of the list or quote they sit in.

What had to be worked around in html2text (2025.4.15), and where:

- no fenced code (indented blocks, whitespace collapsed around them): the
  code is written in pre-processing, byte for byte, and put aside;
- entities decoded *after* its escaping, so ``&lt;b&gt;`` became a raw tag:
  ``convert_charrefs`` on, and our escaping runs on the decoded text;
- ``escape_md_section`` escapes ``1.``/``-``/``+`` wherever a line could
  start (even mid-paragraph) and never ``*``, ``_``, backticks, ``[``/``]``
  or ``<``: replaced by h2t_escape, which looks at the real line start;
- emphasis written with spaces inserted (``in _tra_ word``), no CommonMark
  flanking rules, empty and nested runs kept: delimiters are symbolic and
  resolved in post (HTML tags where ``*`` would not be read);
- links: ``(``/``)`` backslash-escaped in URLs, titles unescaped, autolinks
  for percent-escaped URLs, ``javascript:`` kept, brackets in link text not
  escaped: ``tag_a`` and post; image titles dropped: ``tag_img``;
- tables: no ``|`` escaping, ``<br>`` in a cell breaks the row, merged cells
  and block content lose the layout, ragged rows, no alignment, ``<tfoot>``
  in source order: pre (markers, raw HTML) and post (row layout);
- lists: top-level items indented, nested items indented by a fixed 2/3
  spaces instead of under their parent's content, a bare newline after a
  list (drops a quote's ``>``), ``reversed`` ignored, an empty item (lxml
  writes ``<li></li>`` as ``<li>``) swallowing the next item's line break,
  paragraphs and code inside items not indented: ``tag_li``/``list_tag``,
  lists holding blocks converted item by item (pre);
- ``<br>`` inside list items not indented, two runs of text each bringing a
  space (``a  b``), nested quotes as ``>>``: ``tag_br``, ``handle_data``, post;
- ``<hr>`` as ``* * *``, ``<abbr>`` definitions appended, ``<u>`` as
  emphasis, ``<q>`` with straight quotes, ``<dl>`` as indented text,
  ``<sup>``/``<sub>`` dropped, no footnotes, ``<iframe>``/``<video>`` lost,
  ``<button>`` labels kept but stray ``<option>`` texts glued: per-tag
  methods and pre.
"""

from __future__ import annotations

import re

import html2text

from wpmigrate.errors import UsageError

from . import h2t_blocks, h2t_code, h2t_media, h2t_post, h2t_pre, h2t_tables
from .h2t_escape import escape_inline, escape_line_start
from .h2t_slots import (
    EMPH_CLOSE,
    EMPH_CLOSE_END,
    EMPH_OPEN,
    EMPH_OPEN_END,
    LINK_CLOSE,
    LINK_CLOSE_END,
    LINK_OPEN,
    LINK_OPEN_END,
    Slots,
)
from .h2t_urls import destination, usable_url

__all__ = ["H2TConverter", "WpHTML2Text", "html_to_markdown"]

_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]+")
# what may stand before text that still begins a line: indentation, quote
# markers, a list marker (html2text writes these as separate outputs)
_LINE_PREFIX = re.compile(r"(?:\A|\n)(?:[ >]|[-*+] |[0-9]{1,9}[.)] )*\Z")


class WpHTML2Text(html2text.HTML2Text):
    """html2text configured for static site generators, one method per tag we change.

    ``handle_tag`` looks for ``tag_<name>(attrs, start)`` first and falls back
    to html2text's own handling.
    """

    def __init__(self, slots: Slots) -> None:
        super().__init__(bodywidth=0)
        # decode entities before our escaping sees the text (html2text passes
        # decoded entities through unescaped)
        self.convert_charrefs = True
        self.slots = slots
        self.unicode_snob = True
        self.body_width = 0
        self.wrap_links = False
        self.wrap_list_items = False
        self.wrap_tables = False
        self.ul_item_mark = "-"
        self.emphasis_mark = "*"
        self.strong_mark = "**"
        self.inline_links = True
        self.protect_links = False
        self.skip_internal_links = False
        self.use_automatic_links = True
        self.images_with_size = False
        self.images_as_html = False
        self.ignore_images = False
        self.pad_tables = False
        self.bypass_tables = False
        self.single_line_break = False
        self.mark_code = False
        self.backquote_code_style = False
        self.include_sup_sub = False
        self.open_quote = "\u201c"
        self.close_quote = "\u201d"
        self.open_links: list[int | None] = []
        self.table_depth = 0
        self.item_widths: list[int] = []  # marker widths of the open items, outermost first
        self.item_depths: list[int] = []  # the list depth of each open item
        self.list_steps: list[int] = []

    # --- dispatch ---------------------------------------------------------------

    def handle_tag(self, tag, attrs, start):
        method = getattr(self, "tag_" + tag, None)
        if method is None:
            super().handle_tag(tag, attrs, start)
            return
        self.current_tag = tag
        self.lastWasList = False
        method(attrs, start)

    # --- text -------------------------------------------------------------------

    def at_line_start(self) -> bool:
        if self.p_p or self.start or not self.outtextlist:
            return True
        tail = "".join(self.outtextlist[-4:])
        return _LINE_PREFIX.search(tail) is not None

    def handle_data(self, data, entity_char=False):
        if not data or self.quiet:
            return
        data = _SPACE_RUN.sub(" ", data)
        for n in self.open_links:
            if n is not None:
                self.slots.links[n].text += data
        if data.startswith(" ") and self.outtextlist and self.outtextlist[-1].endswith(" "):
            # html2text writes a run's trailing space and then the next run's leading one
            data = data.lstrip(" ")
            if not data:
                return
        line_start = not self.table_depth and self.at_line_start()
        if line_start:
            # the space html2text would drop anyway; the text's first character
            # then decides what needs escaping
            data = data.lstrip(" ")
            if not data:
                return
        text = escape_inline(data, in_link=any(n is not None for n in self.open_links), in_table=self.table_depth > 0)
        if line_start:
            text = escape_line_start(text)
        self.o(text, puredata=True)

    # --- inline -----------------------------------------------------------------

    def write_emphasis(self, kind: str, start: bool) -> None:
        self.o(f"{EMPH_OPEN}{kind}{EMPH_OPEN_END}" if start else f"{EMPH_CLOSE}{kind}{EMPH_CLOSE_END}")

    def tag_em(self, attrs, start):
        self.write_emphasis("e", start)

    def tag_i(self, attrs, start):
        self.tag_em(attrs, start)

    def tag_cite(self, attrs, start):
        self.tag_em(attrs, start)

    def tag_var(self, attrs, start):
        self.tag_em(attrs, start)

    def tag_dfn(self, attrs, start):
        self.tag_em(attrs, start)

    def tag_strong(self, attrs, start):
        self.write_emphasis("s", start)

    def tag_b(self, attrs, start):
        self.tag_strong(attrs, start)

    def tag_del(self, attrs, start):
        self.write_emphasis("d", start)

    def tag_s(self, attrs, start):
        self.tag_del(attrs, start)

    def tag_strike(self, attrs, start):
        self.tag_del(attrs, start)

    def tag_u(self, attrs, start):
        """Underline has no Markdown form; its text stays plain (html2text made it emphasis)."""

    def tag_abbr(self, attrs, start):
        """The abbreviation's text only (html2text appends PHP Markdown Extra definitions)."""

    def tag_a(self, attrs, start):
        if start:
            href = usable_url(attrs.get("href"))
            if href is None:
                self.open_links.append(None)
                return
            n = self.slots.link(href, attrs.get("title") or "")
            self.open_links.append(n)
            self.o(f"{LINK_OPEN}{n}{LINK_OPEN_END}")
        elif self.open_links:
            n = self.open_links.pop()
            if n is not None:
                self.o(f"{LINK_CLOSE}{n}{LINK_CLOSE_END}")

    def tag_img(self, attrs, start):
        if not start:
            return
        src = usable_url(attrs.get("src"))
        if src is None:
            return
        for n in self.open_links:
            if n is not None:
                self.slots.links[n].only_text = False
        alt = _SPACE_RUN.sub(" ", attrs.get("alt") or "").strip()
        self.o("![" + escape_inline(alt, in_link=True) + "](" + destination(src, attrs.get("title") or "") + ")")

    # --- blocks -----------------------------------------------------------------

    def tag_hr(self, attrs, start):
        # *** rather than html2text's "* * *" or ---, which reads as front matter
        if start:
            self.p()
            self.o("***")
            self.p()

    def tag_ul(self, attrs, start):
        self.list_tag("ul", attrs, start)

    def tag_ol(self, attrs, start):
        self.list_tag("ol", attrs, start)

    def list_tag(self, tag, attrs, start):
        if not self.list and not self.lastWasList:
            self.p()
        if start:
            first = html2text.list_numbering_start(attrs) + 1
            if tag == "ol" and self.list and first != 1:
                # an ordered list not starting at 1 cannot interrupt a paragraph (CommonMark)
                self.p()
            step = -1 if tag == "ol" and "reversed" in attrs else 1
            self.list.append(html2text.ListElement(tag, first - step))
            self.list_steps.append(step)
        elif self.list:
            self.list.pop()
            self.list_steps.pop()
            while self.item_widths and self.item_depths[-1] > len(self.list):
                self.item_widths.pop()
                self.item_depths.pop()
            if not self.list:
                # html2text writes a bare newline here, which loses a quote's marker
                self.p()
        self.lastWasList = True

    def tag_li(self, attrs, start):
        """Items indented under their parent item's content (html2text indents top-level items too)."""
        depth = len(self.list)
        # an item ends where the next one of its list starts (lxml writes an
        # empty <li></li> as a bare <li>)
        while self.item_widths and self.item_depths[-1] >= depth:
            self.item_widths.pop()
            self.item_depths.pop()
            self.start = False  # the empty item still ends its line
        self.pbr()
        if not start:
            self.start = False  # an empty item still ends its line
            return
        li = self.list[-1] if self.list else html2text.ListElement("ul", 0)
        if li.name == "ol":
            li.num += self.list_steps[-1] if self.list_steps else 1
            marker = f"{li.num}. "
        else:
            marker = self.ul_item_mark + " "
        self.o(" " * sum(self.item_widths) + marker)
        self.item_widths.append(len(marker))
        self.item_depths.append(depth)
        self.start = True

    def tag_br(self, attrs, start):
        if start:
            prefix = ">" * self.blockquote + (" " if self.blockquote else "")
            self.o("  \n" + prefix + " " * sum(self.item_widths))

    def tag_table(self, attrs, start):
        self.table_depth += 1 if start else -1
        html2text.HTML2Text.handle_tag(self, "table", attrs, start)


class H2TConverter:
    """pre-process (lxml) → :class:`WpHTML2Text` → post-process; override any step."""

    html2text_class = WpHTML2Text
    # pre-processing steps, in order: each takes (root, slots, converter)
    steps = (
        h2t_pre.drop_invisible,
        h2t_blocks.loose_list_content,
        h2t_media.images,
        # before media: a table holding an iframe or a video stays HTML whole
        h2t_tables.mark_tables,
        h2t_media.media,
        h2t_code.code_blocks,
        h2t_code.code_spans,
        h2t_blocks.footnotes,
        h2t_blocks.figures,
        h2t_blocks.raw_inline,
        h2t_blocks.line_breaks,
        h2t_blocks.links_around_blocks,
        h2t_blocks.reversed_lists,
        h2t_blocks.adjacent_lists,
        h2t_pre.protect_nbsp,
        h2t_blocks.nested_blocks,
    )

    def convert(self, html: str) -> str:
        slots = Slots()
        root = h2t_pre.prepare(html, slots, self, self.steps)
        if root is None:
            return ""
        return self.finish(self.markdown_of(root, slots), slots)

    def markdown_of(self, el, slots: Slots) -> str:
        """Markdown for an element's content, placeholders still in (used for nested blocks too)."""
        source = h2t_pre.serialize_children(el)
        parser = self.html2text_class(slots)
        text = parser.handle(source)
        return h2t_post.resolve(text, slots)

    def finish(self, text: str, slots: Slots) -> str:
        return h2t_post.finish(text, slots)

    def fragment(self, el, slots: Slots) -> str:
        """A nested block's Markdown, finished (placeholders restored), without trailing newline."""
        return self.finish(self.markdown_of(el, slots), slots).rstrip("\n")


def html_to_markdown(html: str) -> str:
    """Convert an HTML body (post content or a cleaned page) to a Markdown body.

    Returns ``""`` when nothing is visible, else Markdown ending in exactly one
    newline. Bytes are read as UTF-8 (undecodable bytes replaced); ``None`` is
    empty; anything else is a :class:`~wpmigrate.errors.UsageError`.
    """
    if isinstance(html, (bytes, bytearray)):
        html = bytes(html).decode("utf-8", errors="replace")
    elif html is None:
        return ""
    elif not isinstance(html, str):
        raise UsageError(f"html_to_markdown() takes HTML text, not {type(html).__name__}")
    return H2TConverter().convert(html)
