"""Phrasing elements: emphasis, strong importance, deletion, quotation, line breaks.

Emphasis is written symbolically (:mod:`.inline` tokens) and decided once the
paragraph is known: ``*``/``**``/``~~`` where CommonMark reads them so, the
HTML tag where its flanking rules would not (``**"quoted"**word``). An
element of the same kind inside another adds nothing (``<b>`` in
``<strong>``). ``<u>``, ``<abbr>``, ``<span>`` and other phrasing without a
Markdown form are their text.
"""

from __future__ import annotations

from . import inline as il


class PhrasingMixin:
    def convert_br(self, el) -> str:
        if self.html_breaks:
            # a pipe table row and an ATX heading are one line: the break stays HTML
            return "" if el in self.html_breaks_skipped else self.store("<br>")
        return il.BR

    def convert_wbr(self, el) -> str:
        return ""

    def wrap(self, el, counter: str, open_tok: str, close_tok: str):
        if getattr(self, counter):
            # <em> inside <em> adds nothing
            return self.inline_children(el) if self.inline_mode else self.flow(el)
        setattr(self, counter, getattr(self, counter) + 1)
        try:
            if not self.inline_mode:
                # around blocks (a theme's <strong><p>…</p><p>…</p></strong>): inside each
                return self.around_blocks(el, open_tok, close_tok)
            # (an element of nothing but text, the usual case, needs no walk)
            inner = self.inline_children(el) if len(el) else self.text(el.text) if el.text else ""
            self.emphases += 1
            return il.delimited(open_tok, inner, close_tok)
        finally:
            setattr(self, counter, getattr(self, counter) - 1)

    def convert_em(self, el):
        return self.wrap(el, "in_em", il.EM_OPEN, il.EM_CLOSE)

    def convert_i(self, el):
        return self.convert_em(el)

    def convert_dfn(self, el):
        return self.convert_em(el)

    def convert_var(self, el):
        return self.convert_em(el)

    def convert_cite(self, el):
        return self.convert_em(el)

    def convert_strong(self, el):
        return self.wrap(el, "in_strong", il.STRONG_OPEN, il.STRONG_CLOSE)

    def convert_b(self, el):
        return self.convert_strong(el)

    def convert_del(self, el):
        return self.wrap(el, "in_del", il.DEL_OPEN, il.DEL_CLOSE)

    def convert_s(self, el):
        return self.convert_del(el)

    def convert_strike(self, el):
        return self.convert_del(el)

    def convert_q(self, el):
        return "\u201c" + self.inline_children(el) + "\u201d"
