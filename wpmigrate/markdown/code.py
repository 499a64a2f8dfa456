"""Code: fenced blocks from <pre>, code spans from <code>, and core/verse (poetry, not code)."""

from __future__ import annotations

import re

from . import inline as il
from .base import BAD_SCHEME as _BAD_SCHEME
from .base import Block
from .base import classes as _classes
from .base import tag_of as _tag

_LANG_CLASS = re.compile(r"(?:^|\s)(?:language|lang)-([A-Za-z0-9_+#.-]+)")
_BRUSH = re.compile(r"brush\s*:\s*([A-Za-z0-9_+#.-]+)")  # SyntaxHighlighter's class="brush: php"
_LANG_OK = re.compile(r"[A-Za-z0-9_+#.-]{1,40}")


class CodeMixin:
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
        code = self.code_text(el)
        if not code.strip():
            return []  # an empty code block shows nothing worth keeping
        return [Block("code", self.fenced(code, self.code_language(el)))]

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
        self.keep_whitespace += 1
        try:
            return self.inline_children(el).replace(il.BR, "\n")
        finally:
            self.keep_whitespace -= 1

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
        """A code span; links and <br> inside it split it into pieces.

        A code span can hold neither a link nor a line break, so
        ``<code>a<br>b</code>`` (wpautop() makes these in classic posts) is one
        span per line, and ``<code><a href>name</a></code>`` (API references) is
        a link around a span.
        """
        if not any(_tag(d) in ("a", "br") for d in el.iterdescendants()):
            return self.inline_code_line(self.code_text(el) if len(el) else (el.text or ""))
        parts: list[str] = []
        pending: list[str] = []

        def flush() -> None:
            if pending:
                parts.append(self.inline_code_line("".join(pending)))
                pending.clear()

        def walk(node) -> None:
            if node.text:
                pending.append(node.text)
            for child in node:
                tag = _tag(child)
                href = (child.get("href") or "").strip() if tag == "a" else ""
                if tag == "br":
                    flush()
                    parts.append(il.BR)
                elif tag == "a" and href and not _BAD_SCHEME.match(href) and not self.in_link:
                    flush()
                    lines = self.code_text(child, br=il.BR).split(il.BR)
                    span = il.BR.join(self.inline_code_line(line) for line in lines)
                    if span.strip():
                        dest = self.store(f"({self.url(href)}{self.title(child.get('title'))})")
                        parts.append(il.LINK_OPEN + span + il.LINK_CLOSE + dest)
                elif tag and tag not in ("script", "style"):
                    walk(child)
                if child.tail:
                    pending.append(child.tail)

        walk(el)
        flush()
        return "".join(parts)

    def inline_code_line(self, text: str) -> str:
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        stripped = text.strip()
        if not stripped:
            return " " if text else ""
        return lead + self.store(self.code_span(stripped)) + trail

    def inline_kbd(self, el):
        return self.inline_code(el)

    def inline_tt(self, el):
        return self.inline_code(el)

    def inline_samp(self, el):
        return self.inline_code(el)
