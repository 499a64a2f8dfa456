"""Paragraphs, headings, block quotes and rules.

A paragraph of text and phrasing is one inline run; one holding blocks (an
embed a theme put inside a ``<p>``) is walked as blocks. An ATX heading is one
line, so a ``<br>`` inside stays HTML (one at its edges shows nothing) and a
trailing ``#`` is escaped (CommonMark would read it as a closing sequence).
core/quote and core/pullquote end with ``<cite>``: it stays inside the quote.
The rule is ``***`` (``---`` under a line of text would make it a setext
heading, and at the top of a file it reads as front matter).
"""

from __future__ import annotations

from .base import Block, holds_blocks


def at_edge(el, container) -> bool:
    """Nothing visible before ``el`` or nothing after it inside ``container``."""
    marker = "\ue0fe"  # private use (html_to_markdown removes those from its input)
    saved = el.tail
    el.tail = marker + (saved or "")
    head, _, tail = container.text_content().partition(marker)
    el.tail = saved
    return not head.strip() or not tail.strip()


class BlocksMixin:
    def convert_p(self, el) -> list[Block]:
        if len(el) and holds_blocks(el):
            return self.flow(el)
        # a paragraph of text and phrasing (the most common block of all): one run
        text = self.inline_text(el)
        return [Block("paragraph", text)] if text.strip() else []

    def convert_hr(self, el) -> list[Block]:
        return [Block("hr", self.hr)]

    def heading(self, el, level: int) -> list[Block]:
        # an ATX heading is one line: a <br> inside stays HTML (one at its edges shows nothing)
        skipped = [br for br in el.iter("br") if at_edge(br, el)]
        self.html_breaks += 1
        self.html_breaks_skipped.update(skipped)
        try:
            # (zero-width characters at its edges go: a slug made from it would keep them)
            text = self.inline_text(el, br="html", trim=True)
        finally:
            self.html_breaks -= 1
            self.html_breaks_skipped.difference_update(skipped)
        if not text:
            return []
        if text.endswith("#"):
            text = text[:-1] + "\\#"  # a closing sequence would be eaten
        return [Block("heading", "#" * level + " " + text)]

    def convert_h1(self, el):
        return self.heading(el, 1)

    def convert_h2(self, el):
        return self.heading(el, 2)

    def convert_h3(self, el):
        return self.heading(el, 3)

    def convert_h4(self, el):
        return self.heading(el, 4)

    def convert_h5(self, el):
        return self.heading(el, 5)

    def convert_h6(self, el):
        return self.heading(el, 6)

    def convert_blockquote(self, el) -> list[Block]:
        # core/quote and core/pullquote end with <cite>: it stays inside the quote
        text = self.blocks_text(self.flow(el))
        if not text:
            return []
        lines = [("> " + line) if line else ">" for line in text.split("\n")]
        return [Block("quote", "\n".join(lines))]
