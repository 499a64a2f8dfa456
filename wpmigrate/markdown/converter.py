"""HTML (as WordPress serves it) → Markdown, one overridable method per tag.

The walk is over an lxml tree. Every element is either *block* (it makes one
or more Markdown blocks: paragraphs, headings, lists, fenced code …) or
*inline* (it adds to the current run of text). Block handlers are named
``block_<tag>`` and return a list of :class:`Block`; inline handlers are named
``inline_<tag>`` and return a symbolic string (see :mod:`.inline`). Subclass
:class:`MarkdownConverter` and override one method to change one thing.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

from . import inline as il
from .tables import TableMixin

# HTML elements that start a block of their own. Anything else is inline,
# unless it holds block content (then it is a transparent container).
BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details dialog dir div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li main menu
    nav noscript ol p pre search section summary table tbody td tfoot th thead tr ul video audio
    object embed math canvas""".split()
)
# dropped with everything inside: never visible text
DROP_TAGS = frozenset(
    "script style template head title meta link base noscript svg canvas map input "
    "datalist param track source".split()
)
HEADINGS = {f"h{i}": i for i in range(1, 7)}
# URL schemes that must not survive into links (the export may be hostile)
_BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data(?!:image/)):", re.I)
_LANG_CLASS = re.compile(r"(?:^|\s)(?:language|lang)-([A-Za-z0-9_+#.-]+)")
_BRUSH = re.compile(r"brush\s*:\s*([A-Za-z0-9_+#.-]+)")
_LANG_OK = re.compile(r"[A-Za-z0-9_+#.-]{1,40}")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\ue01f]")
_MAX_DEPTH = 120

# Providers whose iframe is better as a link (static site generators and
# themes embed these from the URL); anything else keeps its <iframe>.
_IFRAME_LINKS = (
    (re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([A-Za-z0-9_-]{6,})"),
     "https://www.youtube.com/watch?v={}"),
    (re.compile(r"^(?:https?:)?//player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
)


def _visible_text(html: str) -> str:
    import html as htmllib

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


class Block(NamedTuple):
    kind: str  # paragraph, heading, list-ul, list-ol, code, html, quote, table, hr, footnotes, dl
    text: str


def _classes(el: lxml.html.HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def _tag(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.lower()


def _indent(text: str, first: str, rest: str) -> str:
    """Prefix the first line with ``first`` and later non-empty lines with ``rest``."""
    lines = text.split("\n")
    out = [first + lines[0]]
    for line in lines[1:]:
        out.append(rest + line if line else "")
    return "\n".join(out)


class MarkdownConverter(TableMixin):
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

    def block_p(self, el) -> list[Block]:
        return self.flow(el)

    def block_hr(self, el) -> list[Block]:
        if el.get("data-wpm-drop"):
            return []
        return [Block("hr", self.hr)]

    def heading(self, el, level: int) -> list[Block]:
        text = self.inline_text(el, br="space")
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
        blocks = []
        for b in self.flow(el):
            blocks.append(b)
        text = self.blocks_text(blocks)
        if not text:
            return []
        lines = [("> " + line) if line else ">" for line in text.split("\n")]
        return [Block("quote", "\n".join(lines))]

    # lists

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
        for child in el:
            tag = _tag(child)
            if tag == "li":
                blocks = self.flow(child)
            elif tag in DROP_TAGS or not tag:
                continue
            elif tag in ("ul", "ol"):
                # a list directly inside a list: nest it under the previous item
                nested = self.block(child)
                if items:
                    text, loose = items[-1]
                    items[-1] = (text + "\n" + self.blocks_text(nested), loose)
                else:
                    items.append((self.blocks_text(nested), False))
                continue
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
        if not items:
            return []
        any_loose = any(loose for _, loose in items)
        out = []
        for text, _ in items:
            marker = f"{number}." if ordered else self.bullet
            number = number - 1 if reverse else number + 1
            width = len(marker) + 1
            out.append(_indent(text, marker + " ", " " * width).rstrip() if text else marker)
        kind = "list-ol" if ordered else "list-ul"
        return [Block(kind, ("\n\n" if any_loose else "\n").join(out))]

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
            blocks: list[Block] = []
            for c in el:
                if _tag(c):
                    blocks.extend(self.flow(c))
            return blocks
        groups: list[str] = []
        current: list[str] = []
        last = ""
        for c in el:
            tag = _tag(c)
            if tag == "dt":
                if last == "dd" and current:
                    groups.append("\n".join(current))
                    current = []
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
                sub = self.block_dl(c)
                if current:
                    groups.append("\n".join(current))
                    current = []
                groups.extend(b.text for b in sub)
        if current:
            groups.append("\n".join(current))
        return [Block("dl", g) for g in groups if g.strip()]

    def block_dt(self, el):
        return self.flow(el)

    def block_dd(self, el):
        return self.flow(el)

    # code

    def code_language(self, el) -> str:
        for node in [el, *el.iterdescendants("code")]:
            for attr in ("data-language", "data-lang", "data-enlighter-language", "lang"):
                value = node.get(attr)
                if value and _LANG_OK.fullmatch(value.strip()):
                    return value.strip()
            cls = node.get("class") or ""
            m = _LANG_CLASS.search(cls) or _BRUSH.search(cls)
            if m:
                return m.group(1)
        return ""

    def code_text(self, el, br: str = "\n") -> str:
        """The text of a ``<pre>`` exactly as a browser shows it (``<br>`` is a newline)."""
        parts: list[str] = []

        def walk(node) -> None:
            if node.text and _tag(node) not in ("script", "style"):
                parts.append(node.text)
            for child in node:
                tag = _tag(child)
                if tag == "br":
                    parts.append(br)
                elif tag and tag not in ("script", "style"):
                    walk(child)
                if child.tail:
                    parts.append(child.tail)

        walk(el)
        text = "".join(parts)
        if text.startswith("\n"):
            text = text[1:]  # HTML ignores a newline right after <pre>
        return text.rstrip("\n")

    def fenced(self, code: str, lang: str = "") -> str:
        longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}{lang}\n{code}\n{fence}" if code else f"{fence}{lang}\n{fence}"

    def block_pre(self, el) -> list[Block]:
        if "wp-block-verse" in _classes(el):
            return self.verse(el)
        return [Block("code", self.fenced(self.code_text(el), self.code_language(el)))]

    def verse(self, el) -> list[Block]:
        """core/verse is poetry, not code: keep its lines (and its emphasis) as hard breaks."""
        text = self.inline_children_pre(el)
        stanzas = re.split(r"\n[ \t]*\n", text.strip("\n"))
        blocks = []
        for stanza in stanzas:
            lines = []
            for line in stanza.split("\n"):
                lead = len(line) - len(line.lstrip(" "))
                lines.append("\u00a0" * lead + line.strip(" "))
            run = il.BR.join(lines)
            out = il.finish_inline(run, self.pieces)
            if out.strip():
                blocks.append(Block("paragraph", out))
        return blocks

    def inline_children_pre(self, el) -> str:
        """Inline content of a whitespace-preserving element: newlines stay newlines."""
        saved = self.text
        self.text = lambda t: il.escape_text(t, in_link=bool(self.in_link))  # type: ignore[method-assign]
        try:
            return self.inline_children(el).replace(il.BR, "\n")
        finally:
            self.text = saved  # type: ignore[method-assign]

    # raw HTML and media

    def raw_html(self, el) -> str:
        el = self.sanitized_copy(el)
        html = lxml.html.tostring(el, encoding="unicode", method="html", with_tail=False)
        # a blank line would end the HTML block in Markdown
        return "\n".join(line.rstrip() for line in html.split("\n") if line.strip())

    def sanitized_copy(self, el):
        import copy

        el = copy.deepcopy(el)
        el.tail = None
        for node in el.iter():
            if not isinstance(node.tag, str):
                continue
            for name in list(node.attrib):
                value = node.attrib[name]
                if name.lower().startswith("on") or name.lower().startswith("data-wpm-"):
                    del node.attrib[name]
                elif name.lower() in ("href", "src", "action", "formaction") and _BAD_SCHEME.match(value):
                    del node.attrib[name]
        for bad in list(el.iter("script", "style")):
            if bad is not el:
                bad.drop_tree()
        return el

    def block_iframe(self, el) -> list[Block]:
        src = (el.get("src") or el.get("data-src") or "").strip()
        if not src:
            return []
        for pattern, template in _IFRAME_LINKS:
            m = pattern.match(src)
            if m:
                return [Block("paragraph", "<" + template.format(m.group(1)) + ">")]
        return [Block("html", self.raw_html(el))]

    def media(self, el) -> list[Block]:
        src = (el.get("src") or "").strip()
        if not src:
            for s in el.iter("source"):
                if s.get("src"):
                    src = s.get("src").strip()
                    break
        if not src or _BAD_SCHEME.match(src):
            return [Block("html", self.raw_html(el))] if len(el) else []
        # the same form the render stage gives [video]/[audio] and media blocks:
        # the address as a link on its own line
        if re.match(r"^https?://[^\s<>]+$", src):
            return [Block("paragraph", f"<{src}>")]
        name = unquote(urlsplit(src).path.rsplit("/", 1)[-1]) or src
        return [Block("paragraph", f"[{il.escape_text(name, in_link=True)}]({self.url(src)})")]

    def block_video(self, el):
        return self.media(el)

    def block_audio(self, el):
        return self.media(el)

    def block_object(self, el):
        return [Block("html", self.raw_html(el))]

    def block_embed(self, el):
        return [Block("html", self.raw_html(el))]

    def block_math(self, el):
        return [Block("html", self.raw_html(el))]

    def block_canvas(self, el):
        return []

    def block_details(self, el) -> list[Block]:
        """``<details>`` stays HTML; its body is Markdown between blank lines (as GitHub reads it)."""
        summary = ""
        for c in el:
            if _tag(c) == "summary":
                # inside an HTML block Markdown is not read: the summary stays HTML
                summary = self.raw_html(c)
                summary = re.sub(r"^<summary[^>]*>|</summary>$", "", summary.replace("\n", " "))
                summary = summary.strip()
                break
        inner = self.flow_excluding(el, "summary")
        open_tag = "<details open>" if el.get("open") is not None else "<details>"
        head = open_tag + (f"\n<summary>{summary}</summary>" if summary else "")
        blocks = [Block("html", head)]
        blocks.extend(inner)
        blocks.append(Block("html", "</details>"))
        return blocks

    def flow_excluding(self, el, skip_tag: str) -> list[Block]:
        import copy

        clone = copy.deepcopy(el)
        for c in list(clone):
            if _tag(c) == skip_tag:
                tail = c.tail
                prev = c.getprevious()
                clone.remove(c)
                if tail:
                    if prev is not None:
                        prev.tail = (prev.tail or "") + tail
                    else:
                        clone.text = (clone.text or "") + tail
        return self.flow(clone)

    def block_summary(self, el):
        return self.flow(el)

    def footnote_definitions(self, ol) -> list[Block]:
        out = []
        for li in ol.iterchildren("li"):
            label = self.footnote_labels.get(li.get("id") or "")
            if label is None:
                continue
            text = self.blocks_text(self.flow(li))
            out.append(_indent(text, f"[^{label}]: ", "    ") if text else f"[^{label}]:")
        return [Block("footnotes", "\n\n".join(out))] if out else []

    # --- inline ----------------------------------------------------------------

    def text(self, t: str) -> str:
        return il.escape_text(il.collapse_ws(t), in_link=bool(self.in_link))

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

    inline_i = inline_em
    inline_dfn = inline_em
    inline_var = inline_em

    def inline_cite(self, el):
        return self.wrap(el, "in_em", il.EM_OPEN, il.EM_CLOSE)

    def inline_strong(self, el):
        return self.wrap(el, "in_strong", il.STRONG_OPEN, il.STRONG_CLOSE)

    inline_b = inline_strong

    def inline_del(self, el):
        return self.wrap(el, "in_del", il.DEL_OPEN, il.DEL_CLOSE)

    inline_s = inline_del
    inline_strike = inline_del

    def raw_inline(self, el, tag: str) -> str:
        inner = self.inline_children(el)
        if not il.strip_tokens(inner).strip() and il.PH_OPEN not in inner:
            return inner
        return self.store(f"<{tag}>") + inner + self.store(f"</{tag}>")

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

    def code_span(self, text: str) -> str:
        text = il.collapse_ws(text)
        if not text.strip():
            return text
        longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
        ticks = "`" * (longest + 1)
        if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")):
            text = f" {text} "
        return ticks + text + ticks

    def inline_code(self, el):
        if any(_tag(d) == "br" for d in el.iterdescendants()):
            # <code> with <br> (wpautop() puts them in classic posts): a code span
            # cannot hold a line break, so each line is its own span
            lines = self.code_text(el, br=il.BR).split(il.BR)
            return il.BR.join(self.inline_code_line(line) for line in lines)
        return self.inline_code_line(self.code_text(el) if len(el) else (el.text or ""))

    def inline_code_line(self, text: str) -> str:
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        stripped = text.strip()
        if not stripped:
            return " " if text else ""
        return lead + self.store(self.code_span(stripped)) + trail

    inline_kbd = inline_code
    inline_tt = inline_code
    inline_samp = inline_code

    def url(self, href: str) -> str:
        href = href.strip().replace(" ", "%20").replace("\n", "")
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
        return href

    def title(self, title: str | None) -> str:
        title = il.collapse_ws(title or "").strip()
        if not title:
            return ""
        return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'

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
        src = (el.get("src") or "").strip()
        if not src or src.startswith("data:"):
            # lazy-loading themes and plugins keep the real address elsewhere
            for attr in ("data-src", "data-lazy-src", "data-orig-file", "data-original", "data-large-file"):
                if (el.get(attr) or "").strip():
                    return el.get(attr).strip()
        return src

    def inline_img(self, el):
        classes = _classes(el)
        alt = il.collapse_ws(el.get("alt") or "").strip()
        if ("wp-smiley" in classes or "emoji" in classes) and alt:
            return self.text(alt)  # WordPress's emoji images: the emoji itself
        src = self.image_src(el)
        if not src or _BAD_SCHEME.match(src):
            return ""
        alt_md = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return self.store(f"![{alt_md}]({self.url(src)}{self.title(el.get('title'))})")

    def inline_picture(self, el):
        for img in el.iter("img"):
            return self.inline_img(img)
        return ""

    def inline_iframe(self, el):
        blocks = self.block_iframe(el)
        return self.store(blocks[0].text) if blocks else ""

    def inline_video(self, el):
        blocks = self.media(el)
        return self.store(blocks[0].text) if blocks else ""

    inline_audio = inline_video

    def inline_button(self, el):
        return " " + self.inline_children(el) + " "

    def inline_select(self, el):
        """A drop-down shows its options; Markdown has no form for it, so it stays HTML (one line)."""
        if not el.text_content().strip():
            return ""
        return self.store(" ".join(self.raw_html(el).split("\n")))

    def inline_option(self, el):
        # only reached for options a broken page left outside any <select>
        return " " + self.inline_children(el) + " "

    inline_optgroup = inline_option

    def inline_textarea(self, el):
        return self.text(el.text_content())
