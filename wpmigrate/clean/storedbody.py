"""One post body of an export cleaned in WordPress's stored format, as the bytes of its item.

The body is decided on as ``convert`` decides: the blocks and shortcodes that
rules name are cut out of the string (:func:`~wpmigrate.clean.source.source_edits`),
the rest is rendered, and the tree rules decide on that tree, the over-removal
breaker included. Each tree decision is carried back to its exact span of the
stored text (:mod:`wpmigrate.clean.splice`); only then are the item's bytes
looked at (:mod:`wpmigrate.clean.wxrbody`), to write the new body in place of
the old one and to give the report lines of the export file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from wpmigrate.clean.engine import clean_tree
from wpmigrate.clean.profiles import ProfileSet
from wpmigrate.clean.source import SourceEdit, apply_edits, source_edits
from wpmigrate.clean.splice import Signatures, map_decisions, widen_to_blocks
from wpmigrate.clean.wxrbody import locate_body, serialise_body
from wpmigrate.model import Item

__all__ = ["BodyCleaner", "CleanedBody"]


@dataclass
class CleanedBody:
    """One item's body cleaned: the new bytes of the item and what was decided."""

    data: bytes | None  # the item's new bytes, None when unchanged
    lines: list[dict[str, Any]]
    needs_review: bool = False
    removed: int = 0
    kept: int = 0


class BodyCleaner:
    """Cleans item bodies with one set of profiles and one renderer."""

    def __init__(self, profiles: ProfileSet, name: str) -> None:
        from wpmigrate.render import Renderer, RenderOptions

        self.profiles = profiles
        self.name = name
        self.renderer = Renderer()
        self.options = RenderOptions()
        self.empty = not profiles.rules

    def item(self, data: bytes, item: Item, line: int) -> CleanedBody | str:
        """The cleaned item, or why its body is left as it is (when cleaning would change it)."""
        body = item.content
        if not body.strip() or self.empty:
            return CleanedBody(None, [])
        edits, source_removals = source_edits(body, self.profiles)
        stored = apply_edits(body, edits)
        rendered = self.renderer.render(stored, options=self.options)
        doc = rendered.document
        signatures = Signatures(doc.root)
        applied: list = []
        result = clean_tree(doc, self.profiles, applied=applied)
        mapped = map_decisions(stored, signatures, applied)
        cleaned = apply_edits(stored, widen_to_blocks(stored, mapped.edits))
        # what no rule decided (a body that is a whole page loses its page chrome in
        # convert) has no element to map: it stays, and is reported so
        by_rule = {id(r) for _, r in applied}
        unmapped = [(r, "page structure, not a rule's decision") for r in result.removed if id(r) not in by_rule]
        kept = [*mapped.kept, *unmapped]
        if not (source_removals or mapped.applied or kept or result.flagged):
            return CleanedBody(None, [], needs_review=result.needs_review)
        # only now the body's bytes: to write it, and for the lines of the report
        span = locate_body(data)
        if isinstance(span, str) or span.text != body:
            if cleaned != body:
                why = span if isinstance(span, str) else "the reader repaired this item's XML"
                return f"{why}; its body is copied unchanged (it cannot be written back byte for byte)"
            base = None  # only flags: reported without lines
        else:
            base = line + data.count(b"\n", 0, span.start)  # file line of the body's first line

        def file_line(offset: int) -> int | None:
            return base + body.count("\n", 0, _original(edits, offset)) if base is not None else None

        def moved(n: int | None) -> int | None:
            return base + n - 1 if base is not None and n else None

        out = CleanedBody(None, [], needs_review=result.needs_review)
        for r in source_removals:
            out.lines.append(replace(r, line_start=moved(r.line_start), line_end=moved(r.line_end)).as_dict())
            out.removed += r.action != "flagged"
        for r, el in mapped.applied:
            end = el.end if el.end is not None else el.start_end
            out.lines.append(
                replace(r, line_start=file_line(el.start), line_end=file_line(max(el.start, end - 1))).as_dict()
            )
            out.removed += 1
        for r, why in kept:
            entry = replace(r, action="flagged", line_start=None, line_end=None).as_dict()
            entry["not_removed"] = why
            out.lines.append(entry)
            out.kept += 1
        for r in result.flagged:
            out.lines.append(replace(r, line_start=None, line_end=None).as_dict())
        if cleaned != body and not isinstance(span, str):
            out.data = data[: span.start] + serialise_body(cleaned, span) + data[span.end :]
        return out


def _original(edits: list[SourceEdit], offset: int) -> int:
    """An offset of the text after ``edits`` as an offset of the text before them."""
    delta = 0
    for e in edits:
        if e.start - delta > offset:
            break
        after = e.start - delta + len(e.replacement)
        if offset < after:
            return e.start
        delta += (e.end - e.start) - len(e.replacement)
    return offset + delta
