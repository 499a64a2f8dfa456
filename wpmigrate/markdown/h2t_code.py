"""Pre-processing for the html2text converter: code blocks and code spans.

html2text has no fenced code and collapses the whitespace around its
indented blocks; code is written here, byte for byte, and put aside.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from . import h2t_pre as pre
from .h2t_slots import Slots


_LANG_CLASS = re.compile(r"^(?:language|lang)-([A-Za-z0-9_+#.-]+)$")
_BRUSH = re.compile(r"(?:^|[\s;])brush\s*:\s*([A-Za-z0-9_+#.-]+)")


def code_language(*elements) -> str:
    for el in elements:
        if el is None:
            continue
        if (el.get("data-language") or "").strip():
            return el.get("data-language").strip().split()[0]
        for c in pre.classes(el):
            m = _LANG_CLASS.match(c)
            if m:
                return m.group(1)
        m = _BRUSH.search(el.get("class") or "")
        if m:
            return m.group(1)
    return ""


def _text_with_breaks(el, br: str = "\n") -> str:
    """Text content with <br> as ``br`` (wpautop() leaves <br> in classic code)."""
    parts: list[str] = []

    def walk(node):
        if pre.tag_of(node) == "br":
            parts.append(br)
        elif node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts)


def fence_for(code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def fenced(code: str, language: str) -> str:
    fence = fence_for(code)
    return f"{fence}{language}\n{code}\n{fence}" if code else f"{fence}{language}\n{fence}"


def code_blocks(root, slots: Slots, conv) -> None:
    for el in list(root.iter("pre")):
        if el.getparent() is None or any(pre.tag_of(a) == "pre" for a in el.iterancestors()):
            continue
        if "wp-block-verse" in pre.classes(el):
            verse(el, slots)
            continue
        inner = [c for c in el if pre.tag_of(c) == "code"]
        code_el = inner[0] if len(inner) == 1 and not (el.text or "").strip() else None
        language = code_language(code_el, el)
        code = _text_with_breaks(el)
        # a browser ignores the newline right after <pre>
        if code.startswith("\r\n"):
            code = code[2:]
        elif code.startswith("\n"):
            code = code[1:]
        code = code.replace("\r\n", "\n").rstrip("\n")
        if not code.strip():
            pre.remove_keep_tail(el)  # an empty block shows nothing
            continue
        pre.replace_with_block(el, slots, fenced(code, language))


def verse(el, slots: Slots) -> None:
    """core/verse as a theme serves it: lines and indentation kept, not code."""
    inner = pre.serialize_children(el)
    if inner.startswith("\n"):
        inner = inner[1:]
    paragraphs = re.split(r"\n[ \t]*\n+", inner.strip("\n"))
    new = []
    for para in paragraphs:
        lines = []
        for line in para.split("\n"):
            stripped = line.lstrip(" \t")
            indent = len(line) - len(stripped)
            lines.append("&nbsp;" * indent + stripped)
        fragment = lxml.html.fragment_fromstring("<p>" + "<br>".join(lines) + "</p>")
        new.append(fragment)
    pre.replace_with(el, new)


def code_span(text: str) -> str:
    text = text.replace("\n", " ")
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()):
        text = " " + text + " "
    return ticks + text + ticks


CODE_TAGS = ("code", "kbd", "tt", "samp")


def code_spans(root, slots: Slots, conv) -> None:
    """<code>, <kbd>, <tt>, <samp>: code spans with enough backticks; a <br> splits the span."""
    for el in list(root.iter(*CODE_TAGS)):
        if el.getparent() is None or any(pre.tag_of(a) in CODE_TAGS for a in el.iterancestors()):
            continue
        if any(pre.tag_of(d) == "a" and (d.get("href") or "").strip() for d in el.iterdescendants()):
            _code_with_links(el, slots)
            continue
        text = _text_with_breaks(el, "\x00")
        lines = text.split("\x00")
        if len(lines) > 1:
            lines = [line.strip() for line in lines]
        in_cell = any(pre.tag_of(a) in ("td", "th") for a in el.iterancestors())
        # GFM reads "|" as a cell edge even inside a code span: escaped there
        tokens = [slots.inline(_cell_safe(code_span(line), in_cell)) if line else "" for line in lines]
        if len(tokens) == 1:
            pre.replace_with_text(el, tokens[0])
            continue
        # one span per line, joined by the <br>s that split them (in a pipe
        # table cell a <br> is written as HTML)
        if in_cell:
            pre.replace_with_text(el, slots.inline("<br>").join(tokens))
            continue
        span = lxml.html.Element("span")
        span.text = tokens[0]
        for token in tokens[1:]:
            br = lxml.etree.SubElement(span, "br")
            br.tail = token
        pre.replace_with(el, [span])


def _cell_safe(span: str, in_cell: bool) -> str:
    return span.replace("|", "\\|") if in_cell else span


def _code_with_links(el, slots: Slots) -> None:
    """A code span cannot hold a link: code spans inside and between the links.

    A <br> splits the code into lines; a link keeps its lines together.
    """
    # (link attributes or None, "text" or "br", code text)
    runs: list[tuple[dict | None, str, str]] = []

    def add(link, text) -> None:
        if not text:
            return
        if runs and runs[-1][0] is link and runs[-1][1] == "text":
            runs[-1] = (link, "text", runs[-1][2] + text)
        else:
            runs.append((link, "text", text))

    def walk(node, link) -> None:
        if pre.tag_of(node) == "br":
            runs.append((link, "br", ""))
            return
        if pre.tag_of(node) == "a" and (node.get("href") or "").strip() and link is None:
            link = dict(node.attrib)
        add(link, node.text)
        for child in node:
            walk(child, link)
            add(link, child.tail)

    walk(el, None)
    in_cell = any(pre.tag_of(a) in ("td", "th") for a in el.iterancestors())
    span = lxml.html.Element("span")
    holder = None
    for i, (link, kind, text) in enumerate(runs):
        if holder is None or runs[i - 1][0] is not link:
            holder = lxml.etree.SubElement(span, "a" if link is not None else "span", link or {})
        if kind == "br":
            if in_cell:
                _append_text(holder, slots.inline("<br>"))
            else:
                lxml.etree.SubElement(holder, "br")
            continue
        # a line of code ends at a <br>: no spaces at its edges
        if i + 1 < len(runs) and runs[i + 1][1] == "br":
            text = text.rstrip()
        if i and runs[i - 1][1] == "br":
            text = text.lstrip()
        if text:
            _append_text(holder, slots.inline(_cell_safe(code_span(text), in_cell)))
    pre.replace_with(el, [span])


def _append_text(el, text: str) -> None:
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text
