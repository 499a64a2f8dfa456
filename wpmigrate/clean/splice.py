"""Tree decisions carried back to the stored body as exact spans of its text.

A cleaned export must keep each body in WordPress's stored format: block
comments, shortcodes, no ``<p>`` (``wpautop()`` adds them on every page view).
Writing the cleaned tree back would add the paragraphs, change whitespace and
break shortcodes, so the decisions taken on the rendered tree are mapped to the
elements of the stored text and only their bytes are cut out.

The stored text is read by a tokenizer that records where each element's
start and end tags lie (the standard library's ``html.parser``: lxml gives no
offsets). An element of the rendered tree is matched to a stored one by its
tag and attributes, when the rendered tree and the stored text hold the same
number of elements with those exactly, in the same order; a dropped element
must also hold the same text as its stored span. Anything else (an element
that rendering made: a paragraph of ``wpautop()``, a shortcode's markup, an
element whose stored tags are not closed) is not removed and is reported so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from lxml import etree

from wpmigrate.clean.decide import Decision
from wpmigrate.clean.result import Removal
from wpmigrate.clean.source import SourceEdit, apply_edits
from wpmigrate.document import Document
from wpmigrate.wordpress.blocks import has_blocks, parse_blocks

__all__ = ["Mapped", "Signatures", "StoredElement", "map_decisions", "stored_elements", "widen_to_blocks"]

#: elements without an end tag (HTML's void elements)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

Signature = tuple[str, tuple[tuple[str, str], ...]]


@dataclass
class StoredElement:
    """Where one element's tags lie in the stored text."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    start: int  # offset of its "<"
    start_end: int  # just after its start tag
    end_start: int | None = None  # offset of "</tag", None while (or when never) closed
    end: int | None = None  # just after its end tag

    @property
    def signature(self) -> Signature:
        return self.tag, self.attrs

    @property
    def closed(self) -> bool:
        return self.end is not None


def _attrs(pairs: Iterable[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for name, value in pairs:
        seen.setdefault(name.lower(), value if value is not None else "")  # the first of a repeated one counts
    return tuple(sorted(seen.items()))


class _Tokens(HTMLParser):
    """Start and end tags of a body with their offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.lines = [0]
        at = text.find("\n")
        while at >= 0:
            self.lines.append(at + 1)
            at = text.find("\n", at + 1)
        self.found: list[StoredElement] = []
        self.open: list[StoredElement] = []
        self.stray = 0  # end tags of elements that are not open

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        el = StoredElement(tag, _attrs(attrs), start, start + len(raw))
        self.found.append(el)
        if tag in _VOID:
            el.end = el.start_end
        else:
            self.open.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        el = StoredElement(tag, _attrs(attrs), start, start + len(raw))
        el.end_start, el.end = el.start_end, el.start_end
        self.found.append(el)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        gt = self.text.find(">", start)
        if gt < 0:
            return
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                el = self.open[i]
                el.end_start, el.end = start, gt + 1
                # elements opened inside it and never closed stay unclosed (never removed)
                del self.open[i:]
                return
        self.stray += 1


def stored_elements(text: str) -> list[StoredElement]:
    """The elements of a stored body in the order of their start tags."""
    tokens = _Tokens(text)
    tokens.feed(text)
    tokens.close()
    return tokens.found


def signature(el: etree._Element) -> Signature | None:
    if not isinstance(el.tag, str):
        return None
    return el.tag.lower(), _attrs(el.attrib.items())


class Signatures:
    """Every element of a rendered tree with its signature and its place among equals.

    Taken before cleaning: cleaning moves and removes elements.
    """

    def __init__(self, root: etree._Element) -> None:
        self.elements = [el for el in root.iter() if isinstance(el.tag, str) and el is not root]
        self.place: dict[etree._Element, tuple[Signature, int]] = {}
        self.alike: dict[Signature, list[etree._Element]] = {}
        for el in self.elements:
            sig = signature(el)
            if sig is None:
                continue
            alike = self.alike.setdefault(sig, [])
            self.place[el] = (sig, len(alike))
            alike.append(el)

    def count(self, sig: Signature) -> int:
        return len(self.alike.get(sig, ()))


@dataclass(frozen=True)
class Mapped:
    """The stored edits for a body's tree decisions, and the decisions left unapplied with why."""

    edits: list[SourceEdit]
    applied: list[tuple[Removal, StoredElement]]
    kept: list[tuple[Removal, str]]


def _folded(text: str) -> str:
    # without any whitespace: wpautop() puts line breaks between block tags
    return "".join(text.replace("\u00a0", " ").split())


def _stored_text(text: str, el: StoredElement) -> str:
    assert el.end is not None
    doc = Document.parse(text[el.start : el.end])
    return _folded("".join(doc.root.itertext()))


def map_decisions(text: str, signatures: Signatures, decisions: list[tuple[Decision, Removal]]) -> Mapped:
    """Map the applied decisions of a rendered tree to edits of the stored ``text``.

    A dropped element keeps its subtree when it leaves the tree, so its text
    can still be compared; an unwrapped one has handed its children on and is
    matched by its tag and attributes alone.
    """
    stored: dict[Signature, list[StoredElement]] = {}
    if decisions:
        for el in stored_elements(text):
            stored.setdefault(el.signature, []).append(el)
    paragraphs = _Paragraphs(text)
    wanted: list[tuple[Removal, StoredElement, str]] = []
    kept: list[tuple[Removal, str]] = []
    for d, removal in decisions:
        place = signatures.place.get(d.element)
        if place is None:
            kept.append((removal, "not an element of the stored body"))
            continue
        sig, n = place
        candidates = stored.get(sig, [])
        if len(candidates) != signatures.count(sig):
            # rendering made or took elements of this kind (a paragraph of wpautop(), an
            # embed's link): the one stored element with the same text, if there is one
            found = _by_text(text, d, candidates, signatures) if d.action in ("drop", "metadata") else None
            if found is None and d.action in ("drop", "metadata"):
                found = paragraphs.find(d, signatures)
            if found is not None:
                wanted.append((removal, found, d.action))
                continue
            kept.append(
                (removal, f"made by rendering, or not found once in the stored body: <{sig[0]}> with these attributes")
            )
            continue
        el = candidates[n]
        if not el.closed or el.end_start is None:
            kept.append((removal, f"its <{el.tag}> has no end tag in the stored body"))
            continue
        if d.action in ("drop", "metadata") and _stored_text(text, el) != folded_text(d.element):
            kept.append((removal, "its text in the stored body differs from the rendered text (a shortcode inside?)"))
            continue
        wanted.append((removal, el, d.action))
    edits: list[SourceEdit] = []
    applied: list[tuple[Removal, StoredElement]] = []
    spans: list[tuple[int, int]] = []  # the dropped ones, to leave out what they hold
    for removal, el, action in sorted(wanted, key=lambda w: (w[1].start, -(w[1].end or 0))):
        assert el.end is not None and el.end_start is not None
        if any(s <= el.start and el.end <= e for s, e in spans):
            applied.append((removal, el))  # inside an element that goes whole
            continue
        if action == "unwrap":
            edits.append(SourceEdit(el.start, el.start_end))
            if el.end_start < el.end:
                edits.append(SourceEdit(el.end_start, el.end))
        else:
            spans.append((el.start, el.end))
            edits = [e for e in edits if not (el.start <= e.start and e.end <= el.end)]
            edits.append(SourceEdit(el.start, el.end))
        applied.append((removal, el))
    edits.sort(key=lambda e: e.start)
    return Mapped(edits, applied, kept)


def folded_text(el: etree._Element) -> str:
    """An element's text without whitespace, as :func:`map_decisions` compares it."""
    return _folded("".join(el.itertext()))


def _by_text(text: str, d: Decision, candidates: list[StoredElement], signatures: Signatures) -> StoredElement | None:
    """The stored element of the decided one's kind holding its text, when exactly one
    stored element and exactly one rendered element of that kind hold that text."""
    folded = folded_text(d.element)
    sig = signatures.place[d.element][0]
    if not folded or sum(1 for e in signatures.alike[sig] if folded_text(e) == folded) != 1:
        return None
    same = [c for c in candidates if c.closed and _stored_text(text, c) == folded]
    return same[0] if len(same) == 1 else None


class _Paragraphs:
    """The paragraphs ``wpautop()`` makes of stored text: stretches between blank lines.

    A ``<p>`` of the rendered tree that has no ``<p>`` in the stored text is one
    of them when exactly one stretch holds the same text and nothing but
    closed inline markup (no block comment, no tag opened or closed outside
    it), and exactly one paragraph of the rendered tree holds that text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[str, list[StoredElement]] | None = None

    def _stretches(self) -> dict[str, list[StoredElement]]:
        found: dict[str, list[StoredElement]] = {}
        for m in _STRETCH.finditer(self.text):
            chunk = m.group()
            if "<!--" in chunk or "[" in chunk:
                continue  # a block's delimiters or a shortcode: what renders differently
            if "<" in chunk and not _balanced(chunk):
                continue
            start = m.start() + (len(chunk) - len(chunk.lstrip()))
            end = m.end() - (len(chunk) - len(chunk.rstrip()))
            el = StoredElement("p", (), start, start, start, end)
            el.end_start = end
            found.setdefault(_folded(_stored_text(self.text, el)), []).append(el)
        return found

    def find(self, d: Decision, signatures: Signatures) -> StoredElement | None:
        el = d.element
        if el.tag != "p" or el.attrib:
            return None
        if self._found is None:
            self._found = self._stretches()
        text = folded_text(el)
        matches = self._found.get(text, [])
        if len(matches) != 1 or not text:
            return None
        same = [p for p in signatures.elements if p.tag == "p" and p is not el and folded_text(p) == text]
        return matches[0] if not same else None


#: a stretch of text between blank lines (how wpautop() splits paragraphs)
_STRETCH = re.compile(r"(?:(?!\n[ \t]*\n)[\s\S])+")


def _balanced(chunk: str) -> bool:
    """Does every tag opened in *chunk* close in it, and no tag close that opened outside it?"""
    tokens = _Tokens(chunk)
    tokens.feed(chunk)
    tokens.close()
    return not tokens.open and not tokens.stray and all(el.closed for el in tokens.found)


def widen_to_blocks(text: str, edits: list[SourceEdit]) -> list[SourceEdit]:
    """The edits, each block they leave empty taken out whole, delimiters and all.

    A ``<!-- wp:paragraph -->`` around nothing is no valid block (the editor's
    validation expects the ``<p>`` its ``save()`` writes), so a block whose
    content an edit empties goes with it; so does a block around blocks that
    all went. A block no edit touches is never changed, empty or not.
    """
    if not edits or not has_blocks(text):
        return edits
    blocks = [b for top in parse_blocks(text) for b in top.walk() if b.name]
    for block in sorted(blocks, key=lambda b: b.end - b.start):  # innermost first
        own = text[block.start : block.end]
        if own.endswith("/-->"):
            continue  # self-closing: nothing inside it to empty
        inside = [e for e in edits if block.start <= e.start and e.end <= block.end]
        if not inside:
            continue
        opener = own.find("-->") + 3
        closer = own.rfind("<!--")
        if opener < 3 or closer < opener or not own[closer:].startswith("<!-- /wp:"):
            continue
        rest = apply_edits(own, [SourceEdit(e.start - block.start, e.end - block.start, e.replacement) for e in inside])
        shrink = sum((e.end - e.start) - len(e.replacement) for e in inside)
        if not rest[opener : closer - shrink].strip():
            edits = [e for e in edits if e not in inside] + [SourceEdit(block.start, block.end)]
    return sorted(edits, key=lambda e: e.start)
