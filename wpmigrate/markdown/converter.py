"""HTML (as WordPress serves it) → Markdown, one overridable method per tag.

The walk is over an lxml tree. Every element is either *block* (it makes one
or more Markdown blocks: paragraphs, headings, lists, fenced code …) or
*inline* (it adds to the current run of text). Block handlers are named
``block_<tag>`` and return a list of :class:`Block`; inline handlers are named
``inline_<tag>`` and return a symbolic string (see :mod:`.inline`). Subclass
:class:`MarkdownConverter` and override one method to change one thing.

The handlers live in mixins by subject: :mod:`.lists`, :mod:`.code`,
:mod:`.tables`, :mod:`.media`; this module holds the walk, paragraphs,
headings, quotes, emphasis, links and images.
"""

from __future__ import annotations

import copy
import html as htmllib
import re

import lxml.etree
import lxml.html

from . import inline as il
from .base import BAD_SCHEME as _BAD_SCHEME
from .base import BLOCK_TAGS, DROP_TAGS, Block
from .base import classes as _classes
from .base import tag_of as _tag
from .code import CodeMixin
from .lists import ListMixin
from .media import MediaMixin
from .tables import TableMixin

__all__ = ["BLOCK_TAGS", "DROP_TAGS", "Block", "MarkdownConverter"]

_LAZY_ATTRS = frozenset({"data-original", "data-orig-file", "data-large-file", "data-full-url"})
_PLACEHOLDER_IMG = re.compile(
    r"(?:^|[/_.-])(?:lazy|placeholder|blank|spacer|transparent|loading|loader|pixel|empty|grey|gray)"
    r"(?:[-_.][a-z0-9]{1,8})?\.(?:png|gif|svg|jpe?g|webp)(?:[?#].*)?$",
    re.I,
)


def _stem_words(url_or_title: str) -> str:
    stem = url_or_title.rsplit("/", 1)[-1].split("?", 1)[0].rsplit(".", 1)[0]
    return " ".join(re.split(r"[\s_-]+", stem.lower())).strip()


_ENTITY_LIKE = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
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


class MarkdownConverter(ListMixin, CodeMixin, TableMixin, MediaMixin):
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

    # --- preparation: footnotes --------------------------------------------------

    def prepare(self, root) -> None:
        """Find footnotes: ``<sup><a href="#X">`` pointing at ``<li id="X">`` of an ``<ol>``.

        WordPress's core/footnotes renders exactly this (``sup[data-fn]`` and
        ``ol.wp-block-footnotes``); so do Jetpack Markdown and most footnote
        plugins. An ``<ol>`` becomes Markdown footnote definitions only if every
        item is referenced; otherwise it stays a list and references stay links.
        """
        items: dict[str, object] = {}
        for ol in root.iter("ol"):
            for li in ol.iterchildren("li"):
                if li.get("id"):
                    items.setdefault(li.get("id"), li)
        if not items:
            return
        order: list[str] = []
        for a in root.iter("a"):
            href = (a.get("href") or "").strip()
            if not href.startswith("#") or href[1:] not in items:
                continue
            parent = a.getparent()
            is_ref = parent is not None and _tag(parent) == "sup"
            is_ref = is_ref or "footnote-ref" in _classes(a) or a.get("data-fn") is not None
            if not is_ref:
                continue
            target = href[1:]
            if target not in order:
                order.append(target)
        referenced = set(order)
        for ol in root.iter("ol"):
            lis = list(ol.iterchildren("li"))
            if lis and all(li.get("id") in referenced for li in lis):
                ol.set("data-wpm-footnotes", "1")
        for n, target in enumerate(order, 1):
            li = items[target]
            parent = li.getparent()
            if parent is not None and parent.get("data-wpm-footnotes"):
                self.footnote_labels[target] = str(n)
        # the ids of the references themselves (on the link or its <sup>), so
        # that the back links of the definitions can be dropped
        for a in root.iter("a"):
            href = (a.get("href") or "").strip()
            if href.startswith("#") and href[1:] in self.footnote_labels:
                parent = a.getparent()
                for node in (a, parent):
                    if node is not None and node.get("id"):
                        self.footnote_ref_ids.add(node.get("id"))
        # the rule a footnotes container draws above its list (Markdown draws its own)
        for ol in root.iter("ol"):
            parent = ol.getparent()
            if ol.get("data-wpm-footnotes") and parent is not None and "footnotes" in _classes(parent):
                for hr in parent.iterchildren("hr"):
                    hr.set("data-wpm-drop", "1")

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
            if tag and tag not in DROP_TAGS:
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

    def block_a(self, el) -> list[Block]:
        """A link around blocks (a theme's post card: image, title, excerpt).

        Markdown links are inline, so the link goes around the content of each
        paragraph and heading inside it instead.
        """
        href = (el.get("href") or "").strip()
        if not href or _BAD_SCHEME.match(href) or self.in_link:
            return self.flow(el)
        self.in_link += 1
        try:
            blocks = self.flow(el)
        finally:
            self.in_link -= 1
        dest = f"({self.url(href)}{self.title(el.get('title'))})"
        out = []
        for b in blocks:
            if b.kind == "paragraph" and "\n" not in b.text:
                out.append(Block(b.kind, f"[{b.text}]{dest}"))
            elif b.kind == "heading":
                marks, _, text = b.text.partition(" ")
                out.append(Block(b.kind, f"{marks} [{text}]{dest}"))
            else:
                out.append(b)
        return out

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
            if tag and tag not in DROP_TAGS:
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

    def inline_sup(self, el):
        if el.get("data-fn") is not None or self._footnote_ref(el):
            label = self._footnote_ref(el)
            if label:
                return self.store(f"[^{label}]")
        return self.raw_inline(el, "sup")

    def _footnote_ref(self, el) -> str:
        for a in el.iter("a"):
            href = (a.get("href") or "").strip()
            if href.startswith("#") and href[1:] in self.footnote_labels:
                return self.footnote_labels[href[1:]]
        return ""

    def inline_sub(self, el):
        return self.raw_inline(el, "sub")

    def inline_mark(self, el):
        return self.raw_inline(el, "mark")

    def inline_q(self, el):
        return "\u201c" + self.inline_children(el) + "\u201d"

    def url(self, href: str) -> str:
        # a backslash would escape the next character of a link destination
        href = href.strip().replace(" ", "%20").replace("\n", "").replace("\\", "%5C")
        if not href:
            return "<>"
        if "<" in href or ">" in href:
            href = href.replace("<", "%3C").replace(">", "%3E")
        depth = 0
        balanced = True
        for ch in href:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth < 0:
                    balanced = False
        if depth != 0 or not balanced:
            href = href.replace("(", "%28").replace(")", "%29")
        # Markdown decodes entity references in destinations: "&amp;" that is
        # really in the URL must not become "&" a second time
        return _ENTITY_LIKE.sub(r"\\\g<0>", href)

    def title(self, title: str | None) -> str:
        title = il.collapse_ws(title or "").strip()
        if not title:
            return ""
        title = title.replace("\\", "\\\\").replace('"', '\\"')
        return ' "' + _ENTITY_LIKE.sub(r"\\\g<0>", title) + '"'

    def inline_a(self, el):
        href = el.get("href")
        if href is None or not href.strip() or _BAD_SCHEME.match(href) or self.in_link:
            if href is None and (el.get("id") or el.get("name")) and not len(el) and not (el.text or "").strip():
                return ""  # an empty anchor target
            return self.inline_children(el)
        if href.startswith("#") and href[1:] in self.footnote_ref_ids:
            return ""  # back link "↩" of a footnote definition
        href = href.strip()
        text_plain = il.collapse_ws(el.text_content()).strip()
        if (
            not len(el)
            and text_plain == href
            and re.match(r"^(?:https?|ftp)://[^\s<>%]+$", href)  # parsers show %5B in autolinks as "["
            and not _ENTITY_LIKE.search(href)
            and not el.get("title")
        ):
            return self.store(f"<{href}>")
        self.in_link += 1
        try:
            inner = self.inline_children(el)
        finally:
            self.in_link -= 1
        dest = self.store(f"({self.url(href)}{self.title(el.get('title'))})")
        return il.LINK_OPEN + inner + il.LINK_CLOSE + dest

    def image_src(self, el) -> str:
        """The real address of an image, past lazy-loading placeholders.

        Lazy-loading themes and plugins put a placeholder (a data: URI, or a
        file such as ``lazy-l.png``, ``blank.gif``) into ``src`` and the real
        address into a ``data-…src`` attribute, whose name varies (``data-src``,
        ``data-lazy-src``, ``data-zeen-src`` …), and sometimes the other way round.
        """
        candidates = [(el.get("src") or "").strip()]
        for name, value in el.attrib.items():
            lname = name.lower()
            if lname.startswith("data-") and (lname.endswith("src") or lname in _LAZY_ATTRS):
                candidates.append((value or "").strip())
        real = [c for c in candidates if c and not c.startswith("data:") and not _PLACEHOLDER_IMG.search(c)]
        uploads = [c for c in real if "/wp-content/uploads/" in c]
        if uploads or real:
            return (uploads or real)[0]
        return next((c for c in candidates if c and not c.startswith("data:")), candidates[0])

    def inline_img(self, el):
        classes = _classes(el)
        alt = il.collapse_ws(el.get("alt") or "").strip()
        if ("wp-smiley" in classes or "emoji" in classes) and alt:
            return self.text(alt)  # WordPress's emoji images: the emoji itself
        src = self.image_src(el)
        if not src or _BAD_SCHEME.match(src):
            return ""
        title = el.get("title")
        if title:
            others = [v for k, v in el.attrib.items() if k.lower().endswith("src") and v and v.strip() != src]
            if any(_stem_words(v) == _stem_words(title) for v in others):
                title = None  # the title was made from a placeholder's file name ("lazy l")
        alt_md = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        alt_md = _ENTITY_LIKE.sub(r"\\\g<0>", alt_md)
        return self.store(f"![{alt_md}]({self.url(src)}{self.title(title)})")

    def inline_picture(self, el):
        for img in el.iter("img"):
            return self.inline_img(img)
        return ""
