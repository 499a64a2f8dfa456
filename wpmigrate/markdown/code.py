"""Code: fenced blocks from ``<pre>``, code spans from ``<code>``, and core/verse (poetry, not code).

A fenced block keeps the code byte for byte (a browser shows ``<pre>``
exactly, less the newline right after the opening tag); its fence is one
backtick longer than any run inside, and its info string is the language the
markup declares (:func:`wpmigrate.document.code_language`). A code span can
hold neither a line break nor a link, so ``<code>a<br>b</code>``
(``wpautop()`` makes these in classic posts) is one span per line and
``<code><a href>name</a></code>`` (API references) puts the link around the
span.
"""

from __future__ import annotations

import re

from lxml import etree

from wpmigrate.document import NEVER_VISIBLE, address_in_code, classes, code_language

from . import inline as il
from .base import Block
from .links import destination, usable_url

CODE_TAGS = frozenset(("code", "kbd", "tt", "samp"))
_BACKTICKS = re.compile(r"`+")
# where a <br> splits a code span (no text can hold it: the input loses its private-use characters)
_LINE = "\ue0ff"
# comments come as events of their own (their tail text is the code's)
_EVENTS = ("start", "end", "comment", "pi")


def code_text(el, br: str = "\n", *, addresses: bool = False) -> str:
    """The text of ``el`` as a browser shows it in code: ``<br>`` is ``br``; comments and
    never-visible elements show nothing (their tail text does). ``addresses``: a link or
    an image keeps its address after it (a code block is plain text; see
    :func:`~wpmigrate.document.address_in_code`)."""
    parts: list[str] = []
    walk = etree.iterwalk(el, events=_EVENTS)
    for event, node in walk:
        tag = node.tag
        if event == "start":
            if node is not el and tag.lower() in NEVER_VISIBLE:
                walk.skip_subtree()
            elif tag.lower() == "br":
                parts.append(br)
            elif node.text:
                parts.append(node.text)
        elif node is not el:  # an element's end, a comment
            if addresses and event == "end" and (tag == "a" or tag == "img"):
                parts.append(address_in_code(node))
            if node.tail:
                parts.append(node.tail)
    return "".join(parts)


def fenced(code: str, language: str) -> str:
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code}\n{fence}" if code else f"{fence}{language}\n{fence}"


class CodeMixin:
    def convert_pre(self, el):
        if "wp-block-verse" in classes(el):
            return self.verse(el)
        inner = [c for c in el if isinstance(c.tag, str) and c.tag.lower() == "code"]
        code_el = inner[0] if len(inner) == 1 and not (el.text or "").strip() else None
        language = code_language(code_el, el)
        # (a highlighter links keywords of a declared language to their documentation:
        # those addresses are decoration, not part of the code)
        code = il.UNSAFE.sub("", code_text(el, addresses=not language))
        # a browser ignores the newline right after <pre>
        if code.startswith("\r\n"):
            code = code[2:]
        elif code.startswith("\n"):
            code = code[1:]
        code = code.replace("\r\n", "\n").rstrip("\n")
        if not code.strip(" \t\n\r\f\v\u00a0" + il.ZERO_WIDTH):
            return []  # an empty code block shows nothing
        return [Block("code", fenced(code, language))]

    def verse(self, el) -> list[Block]:
        """core/verse as a theme serves it: lines and indentation kept, not code."""
        # (text keeps its white space until a run is finished: the lines are split first)
        text = self.inline_children(el).replace(il.BR, "\n")
        if text.startswith("\n"):
            text = text[1:]
        blocks = []
        for stanza in re.split(r"\n[ \t]*\n+", text.strip("\n")):
            lines = []
            for line in stanza.split("\n"):
                stripped = line.lstrip(" \t")
                lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
            out = il.finish_inline(il.BR.join(lines), self.pieces)
            if out.strip():
                blocks.append(Block("paragraph", out))
        return blocks

    def in_cell(self) -> bool:
        return bool(self.cell_depth)

    def convert_code(self, el):
        """A code span; a ``<br>`` splits it into one span per line, a link into spans around the link."""
        for d in el.iter("a"):
            if d is not el and (d.get("href") or "").strip():
                return self.code_with_links(el)
        lines = [il.UNSAFE.sub("", line) for line in code_text(el, _LINE).split(_LINE)]
        if len(lines) > 1:
            lines = [line.strip() for line in lines]
        in_cell = self.in_cell()
        spans = [self.store(il.CodeSpan.of(line, in_cell)) if line else "" for line in lines]
        # in a pipe table cell a <br> is written as HTML
        return (self.store("<br>") if in_cell else il.BR).join(spans)

    def code_with_links(self, el) -> str:
        """Code spans inside and between the links of a ``<code>``; a link keeps its lines together."""
        # (href and title or None, "text" or "br", code text)
        runs: list[tuple[tuple[str, str] | None, str, str]] = []

        def add(link, text) -> None:
            if not text:
                return
            if runs and runs[-1][0] is link and runs[-1][1] == "text":
                runs[-1] = (link, "text", runs[-1][2] + text)
            else:
                runs.append((link, "text", text))

        links: list = []  # the link each open element is in
        walk = etree.iterwalk(el, events=_EVENTS)
        for event, node in walk:
            outer = links[-1] if links else None
            if event == "comment" or event == "pi":
                add(outer, node.tail)
                continue
            tag = node.tag.lower()
            if event == "start":
                if tag == "br":
                    runs.append((outer, "br", ""))
                link = outer
                if tag == "a" and (node.get("href") or "").strip() and outer is None:
                    link = (node.get("href"), node.get("title") or "")
                links.append(link)
                if node is not el and tag in NEVER_VISIBLE:
                    walk.skip_subtree()
                elif tag != "br":
                    add(link, node.text)
            else:
                links.pop()
                if node is not el:
                    add(links[-1] if links else None, node.tail)
        in_cell = self.in_cell()
        out: list[str] = []
        holder = None
        for i, (link, kind, text) in enumerate(runs):
            if i == 0 or runs[i - 1][0] is not link:
                if holder is not None:
                    out.append(self.close_code_link(*holder))
                holder = (link, [])
            if kind == "br":
                holder[1].append(self.store("<br>") if in_cell else il.BR)
                continue
            # a line of code ends at a <br>: no spaces at its edges
            if i + 1 < len(runs) and runs[i + 1][1] == "br":
                text = text.rstrip()
            if i and runs[i - 1][1] == "br":
                text = text.lstrip()
            if text:
                holder[1].append(self.store(il.CodeSpan.of(il.UNSAFE.sub("", text), in_cell)))
        if holder is not None:
            out.append(self.close_code_link(*holder))
        return "".join(out)

    def close_code_link(self, link, parts: list[str]) -> str:
        inner = "".join(parts)
        href = usable_url(link[0]) if link is not None else None
        if href is None or self.in_link:
            return inner
        return il.delimited(il.LINK_OPEN, inner, il.LINK_CLOSE + self.store("(" + destination(href, link[1]) + ")"))

    def convert_kbd(self, el):
        return self.convert_code(el)

    def convert_tt(self, el):
        return self.convert_code(el)

    def convert_samp(self, el):
        return self.convert_code(el)
