"""Footnotes: core/footnotes, Jetpack Markdown and hand-made ones become ``[^1]`` and ``[^1]: …``."""

from __future__ import annotations

from .base import Block
from .base import classes as _classes
from .base import indent as _indent
from .base import tag_of as _tag


class FootnoteMixin:
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

    def footnote_definitions(self, ol) -> list[Block]:
        out = []
        for li in ol.iterchildren("li"):
            label = self.footnote_labels.get(li.get("id") or "")
            if label is None:
                continue
            text = self.blocks_text(self.flow(li))
            out.append(_indent(text, f"[^{label}]: ", "    ") if text else f"[^{label}]:")
        return [Block("footnotes", "\n\n".join(out))] if out else []
