"""Footnotes and figures.

Footnotes: core/footnotes (``sup[data-fn]`` and ``ol.wp-block-footnotes``),
Jetpack Markdown and most footnote plugins write a reference as
``<sup><a href="#X">`` pointing at ``<li id="X">`` of an ``<ol>``. An ``<ol>``
whose every item is referenced from outside it becomes Markdown footnote
definitions (``[^1]: …``, numbered in list order; continuation lines
indented by four spaces, as kramdown, goldmark and markdown-it read them) and
the references become ``[^1]``; the back links of the definitions (``↩``) go,
and so does a wrapper around the list that holds nothing else but a rule
(Markdown draws its own). Otherwise the list stays a list and the references
stay links.

Figures: the image (with its link), then the caption as its own paragraph,
wherever the theme put the ``<figcaption>``.
"""

from __future__ import annotations

from wpmigrate.document import tag_of

from .base import Block
from .base import indent as _indent
from .tables import table_is_simple

_BACKLINK_TEXT = frozenset(["↩", "↩︎", "↑", "^", "⏎", "back", "return"])


def _inside(el, container) -> bool:
    return any(a is container for a in el.iterancestors())


def _in_table(el) -> bool:
    return any(True for _ in el.iterancestors("table"))


class NotesMixin:
    def prepare(self, root) -> None:
        """Find the footnote lists and their references before writing."""
        # element → label "n" of a reference; container element → (its <ol>, the items)
        self.footnote_refs: dict = {}
        self.footnote_lists: dict = {}
        self.footnote_backlinks: set = set()
        self.footnote_ref_ids: set[str] = set()
        # an <ol> whose every item has an id may be footnotes (most bodies have none)
        candidates = []
        for ol in root.iter("ol"):
            items = [li for li in ol if tag_of(li) == "li"]
            if items and all(li.get("id") for li in items):
                candidates.append((ol, items))
        if not candidates:
            return
        anchors: dict[str, list] = {}
        for a in root.iter("a"):
            href = a.get("href") or ""
            if href.startswith("#") and len(href) > 1:
                anchors.setdefault(href[1:], []).append(a)
        if not anchors:
            return
        # a reference inside what is written as it stands (a code block, a table
        # kept as HTML) stays a link there, and does not count
        verbatim = [pre for pre in root.iter("pre")]
        verbatim += [t for t in root.iter("table") if not _in_table(t) and not table_is_simple(t)]
        if verbatim:
            hidden = {a for v in verbatim for a in v.iter("a")}
            anchors = {key: kept for key, links in anchors.items() if (kept := [a for a in links if a not in hidden])}
        for ol, items in candidates:
            refs = []
            for li in items:
                outside = [a for a in anchors.get(li.get("id"), []) if not _inside(a, ol)]
                if not outside:
                    break
                refs.append(outside)
            else:
                self.mark_footnotes(ol, items, refs)

    def mark_footnotes(self, ol, items, refs) -> None:
        ref_ids: set[str] = set()
        for n, links in enumerate(refs, start=1):
            for a in links:
                parent = a.getparent()
                target = a
                alone = parent is not None and len(parent) == 1 and not (parent.text or "").strip()
                if alone and tag_of(parent) == "sup" and not (a.tail or "").strip():
                    target = parent
                for node in (a, target):
                    if node.get("id"):
                        ref_ids.add(node.get("id"))
                self.footnote_refs[target] = str(n)
        self.footnote_ref_ids |= ref_ids
        container = ol
        parent = ol.getparent()
        if parent is not None and tag_of(parent) in ("div", "section", "aside") and parent.getparent() is not None:
            others = [c for c in parent if c is not ol and tag_of(c) != "hr"]
            if not others and not (parent.text or "").strip():
                container = parent
        self.footnote_lists[container] = (ol, items)

    def footnote_definitions(self, ol, items) -> list[Block]:
        definitions = []
        for n, li in enumerate(items, start=1):
            for a in list(li.iter("a")):
                href = a.get("href") or ""
                text = (a.text_content() or "").strip()
                if (href.startswith("#") and href[1:] in self.footnote_ref_ids) or text in _BACKLINK_TEXT:
                    self.footnote_refs.pop(a, None)
                    self.footnote_backlinks.add(a)
            body = self.blocks_text(self.flow(li)).strip("\n")
            definitions.append(_indent(body, f"[^{n}]: ", "    "))
        return [Block("footnotes", "\n\n".join(definitions))]

    def footnote_ref(self, el) -> str | None:
        label = self.footnote_refs.get(el)
        return None if label is None else self.store(f"[^{label}]")

    def convert_figure(self, el):
        # the caption follows the image, wherever the theme put it
        caption = None
        for child in el:
            if tag_of(child) == "figcaption":
                caption = child
                break
        if caption is None or caption is el[len(el) - 1]:
            return self.flow(el)
        blocks = self.flow(el, skip=caption)
        blocks.extend(self.flow(caption))
        return blocks
