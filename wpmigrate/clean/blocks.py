"""The blocks of a page's article that a site repeats: their shape, their place, and learning them.

A site's pages carry blocks of its own inside every post: a "Mehr aus dem
Garten:" box of links typed by hand, a promo for the shop under the last
paragraph, a legal line over the first. Their links or a number differ from
page to page, so no line of text repeats; their *shape* does. A block's shape
is its text with the text of each run of links as ``⟨links⟩`` (and, in a
block that is no prose, every number as ``#``); its *path* the tags and
stable classes from the article's root down to it; its *zone* where it stands
among the article's prose: ``head`` (fewer than :data:`EDGE` prose blocks
before it), ``tail`` (fewer after it) or ``anywhere``.

:func:`page_blocks` lists the candidate blocks of one cleaned article,
:class:`BlockCounter` counts them over a site's pages (each page once, a page
given twice once, and only when the pages are of one site), and what is on
at least :data:`MIN_SHARE` of the pages and :data:`MIN_PAGES` becomes a
``shape`` rule of the learned profile (:class:`~wpmigrate.clean.rules.ShapeRule`),
applied by :func:`decide_shapes` like any rule.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from wpmigrate.clean.rules import ShapeRule, fold, is_prose
from wpmigrate.clean.tree import leaf_blocks, measure, prose_length
from wpmigrate.document import BLOCK_TAGS, NO_TEXT

__all__ = [
    "BlockCounter",
    "BlockSeen",
    "LearnedBlock",
    "PageBlocks",
    "decide_shapes",
    "page_blocks",
    "shape_of",
]

#: what a run of links is in a shape
LINKS = "⟨links⟩"
#: a block among the first (last) this many prose blocks of the article is at its head (tail)
EDGE = 3
#: longer blocks are not learned (a box, a promo or a disclaimer fits in this)
MAX_LENGTH = 600
#: a lead-in alone ("Mehr aus dem Garten:") takes the list of links after it along
MAX_LEAD = 60
#: the share of link text that makes a block "links"
LINK_SHARE = 0.8
#: a block must be on at least this share of a site's pages …
MIN_SHARE = 0.6
#: … and on at least this many
MIN_PAGES = 3
#: elements that are a block of their own (list items and table cells belong to theirs;
#: the article's <h1> is its title)
CANDIDATES = frozenset(
    "p div section aside ul ol dl table figure blockquote details form center h2 h3 h4 h5 h6".split()
)
#: what the links after a lead-in come in
_LINK_LISTS = frozenset(("ul", "ol", "p", "div"))

_LINK = "\ue000"  # a link's place while the shape is built
_LINK_RUN = re.compile(_LINK + r"(?:[\s,;:|·•/–—-]*" + _LINK + ")*")
_NUMBER = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")


def shape_of(el: etree._Element, prose: bool | None = None) -> str:
    """The block's text, folded, each run of links as ``⟨links⟩``; in a block that is no
    prose (*prose*, measured when not given) every number as ``#``."""
    out: list[str] = []
    todo: list = [el]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        if item is not el and item.tail:
            todo.append(item.tail)
        tag = item.tag
        if not isinstance(tag, str) or tag in NO_TEXT:
            continue
        if tag == "a" and item is not el:
            todo.append(_LINK)
            continue
        spaced = tag in BLOCK_TAGS or tag == "br"
        if spaced:
            todo.append(" ")
        todo.extend(reversed(item))
        if item.text:
            todo.append(item.text)
        if spaced:
            todo.append(" ")
    text = fold("".join(out))
    if prose is None:
        plain, links = measure(el)
        prose = is_prose(plain, links)
    if not prose:
        text = _NUMBER.sub("#", text)
    return _LINK_RUN.sub(LINKS, text)


def _has_words(shape: str) -> bool:
    """Text of its own besides the links and numbers (a bare list of links is no site block)."""
    return len(_LETTER.findall(shape.replace(LINKS, ""))) >= 3


def path_of(el: etree._Element, root: etree._Element) -> str:
    """``div.lesetipp/p``: the tags and classes from under *root* down to *el*; classes
    with digits (``post-123``, ``wp-image-7``) differ from page to page and are left out."""
    parts = []
    while el is not None and el is not root:
        classes = sorted(c for c in (el.get("class") or "").split() if not any(ch.isdigit() for ch in c))
        parts.append(".".join([str(el.tag), *classes]))
        el = el.getparent()
    return "/".join(reversed(parts))


@dataclass(frozen=True)
class Block:
    """One candidate block of an article."""

    element: etree._Element
    shape: str
    path: str
    zone: str  # head | tail | anywhere
    follow: etree._Element | None = None  # the list of links after a lead-in alone
    length: int = 0


def _next_element(el: etree._Element) -> etree._Element | None:
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    return nxt


def candidates(
    root: etree._Element,
    leaves: Sequence[etree._Element],
    texts: Sequence[str],
    links: Sequence[int],
    prose: Sequence[bool],
) -> list[tuple[etree._Element, str, int, int, int, etree._Element | None]]:
    """``(element, shape, first leaf, last leaf, length, follow)`` of every block under
    *root* short enough to be a site's (see the module docstring), in no fixed order."""
    span: dict[etree._Element, list[int]] = {}
    for i, (leaf, text) in enumerate(zip(leaves, texts)):
        if not text:
            continue
        el = leaf
        while el is not None and el is not root:
            if el.tag in CANDIDATES:
                s = span.get(el)
                if s is None:
                    span[el] = [i, i, len(text), prose[i]]
                else:
                    s[1] = i
                    s[2] += len(text)
            el = el.getparent()
    found = []
    for el, (first, last, length, own_prose) in span.items():
        if length > MAX_LENGTH:
            continue
        single = first == last  # a leaf, or a wrapper of one: its prose is the leaf's
        shape = shape_of(el, own_prose if single else None)
        if not _has_words(shape):
            continue
        follow = None
        if LINKS not in shape and len(shape) <= MAX_LEAD:
            nxt = _next_element(el)
            if nxt is not None and nxt.tag in _LINK_LISTS:
                text, n = measure(nxt)
                if text and len(text) <= MAX_LENGTH and n >= LINK_SHARE * len(text):
                    follow = nxt
                    shape = f"{shape} {LINKS}"
        found.append((el, shape, first, last, length, follow))
    return found


def _zone(first: int, last: int, before: Sequence[int]) -> str:
    """Where a block from leaf *first* to *last* stands; *before[i]* is the number of
    prose leaves before leaf i (one more entry than there are leaves)."""
    if before[first] < EDGE:
        return "head"
    if before[-1] - before[last + 1] < EDGE:
        return "tail"
    return "anywhere"


def _prose_before(prose: Sequence[bool]) -> list[int]:
    counts = [0]
    for p in prose:
        counts.append(counts[-1] + p)
    return counts


# --- learning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockSeen:
    shape: str
    path: str
    zone: str
    links_after: bool = False


@dataclass(frozen=True)
class PageBlocks:
    """What learning takes from one page: its candidate blocks and which site it is of."""

    seen: tuple[BlockSeen, ...]
    host: str | None = None  # of its canonical address (or og:url), without "www."
    site_name: str | None = None  # og:site_name
    fingerprint: bytes = b""  # of the article's text: a page given twice counts once


_SITE_NAME = etree.XPath("//meta[@property='og:site_name' or @name='og:site_name']/@content")
_ADDRESS = etree.XPath("//link[@rel='canonical']/@href | //meta[@property='og:url' or @name='og:url']/@content")


def _host(address: str) -> str | None:
    try:
        host = urlsplit(address.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def page_blocks(root: etree._Element, page: etree._Element | None) -> PageBlocks:
    """The candidate blocks of a cleaned article (*root*) and the site of its *page*."""
    leaves = leaf_blocks(root)
    measured = [measure(leaf) for leaf in leaves]
    texts = [t for t, _ in measured]
    links = [n for _, n in measured]
    prose = [prose_length(t, n) > 0 for t, n in measured]
    before = _prose_before(prose)
    total = sum(len(t) for t in texts)
    seen: dict[BlockSeen, None] = {}
    for el, shape, first, last, length, follow in candidates(root, leaves, texts, links, prose):
        if 2 * length >= total and total > MAX_LENGTH // 2:
            continue  # the article's own prose, whatever repeats
        path = path_of(el, root)
        seen.setdefault(BlockSeen(shape, path, _zone(first, last, before), follow is not None), None)
    host = name = None
    if page is not None:
        host = next((h for h in (_host(a) for a in _ADDRESS(page)) if h), None)
        name = next((fold(n) for n in _SITE_NAME(page) if fold(n)), None)
    digest = hashlib.blake2b("\n".join(texts).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return PageBlocks(tuple(seen), host, name, digest)


@dataclass(frozen=True)
class LearnedBlock:
    shape: str
    path: str
    zone: str  # head | tail | anywhere
    links_after: bool
    pages: int


@dataclass
class BlockCounter:
    """Counts, page by page, the candidate blocks of a site's articles."""

    pages: int = 0
    hosts: Counter = field(default_factory=Counter)
    names: Counter = field(default_factory=Counter)
    _fingerprints: set = field(default_factory=set)
    #: (shape, path, links_after) → zone → pages ("*": all zones)
    _counts: dict[tuple[str, str, bool], dict[str, int]] = field(default_factory=dict)

    def add(self, page: PageBlocks) -> None:
        if page.fingerprint in self._fingerprints:
            return  # the same article again (a page saved twice) is no repetition
        self._fingerprints.add(page.fingerprint)
        self.pages += 1
        if page.host:
            self.hosts[page.host] += 1
        if page.site_name:
            self.names[page.site_name] += 1
        zones: dict[tuple[str, str, bool], set[str]] = {}
        for b in page.seen:
            zones.setdefault((b.shape, b.path, b.links_after), set()).add(b.zone)
        for key, found in zones.items():
            counts = self._counts.setdefault(key, {})
            for zone in found:
                counts[zone] = counts.get(zone, 0) + 1
            counts["*"] = counts.get("*", 0) + 1

    def merge(self, other: BlockCounter) -> BlockCounter:
        self.pages += other.pages
        self.hosts.update(other.hosts)
        self.names.update(other.names)
        self._fingerprints |= other._fingerprints
        for key, counts in other._counts.items():
            mine = self._counts.setdefault(key, {})
            for zone, n in counts.items():
                mine[zone] = mine.get(zone, 0) + n
        return self

    def one_site(self) -> bool:
        """Are the pages of one site, as far as they say (the same host, the same
        og:site_name on at least :data:`MIN_SHARE` of the pages that name one)?"""
        for seen in (self.hosts, self.names):
            total = sum(seen.values())
            if total and seen.most_common(1)[0][1] < MIN_SHARE * total:
                return False
        return True

    def proposals(
        self, covered: Collection[str] = (), min_share: float = MIN_SHARE, min_pages: int = MIN_PAGES
    ) -> list[LearnedBlock]:
        """Blocks at the same place on at least ``min_share`` of the pages (and ``min_pages``),
        most frequent first; none when the pages are of several sites. A block whose text
        is a line in *covered* (learned as a line already) is left to that rule."""
        if not self.one_site():
            return []
        needed = max(min_pages, -(-int(min_share * 1000) * self.pages // 1000))
        found = []
        for (shape, path, links_after), counts in self._counts.items():
            pages = counts["*"]
            if pages < needed or (shape in covered and not links_after):
                continue
            zones = [z for z in ("head", "tail") if counts.get(z) == pages]
            found.append(LearnedBlock(shape, path, zones[0] if zones else "anywhere", links_after, pages))
        # a block inside another learned block of the same shape goes with it
        outer = {(b.shape, b.path) for b in found}
        found = [
            b
            for b in found
            if not any((b.shape, b.path.rsplit("/", n)[0]) in outer for n in range(1, b.path.count("/") + 1))
        ]
        found.sort(key=lambda b: (-b.pages, b.path, b.shape))
        return found


# --- applying ---------------------------------------------------------------------------


def decide_shapes(
    root: etree._Element,
    leaves: Sequence[etree._Element],
    texts: Sequence[str],
    links: Sequence[int],
    rules: dict[str, tuple[ShapeRule, ...]],
    taken: Collection[etree._Element] = (),
    outside: Collection[etree._Element] = (),
) -> list[tuple[etree._Element, ShapeRule]]:
    """``(element, rule)`` for each block a shape rule matches, the list of links after a
    lead-in included. Zones are counted in prose blocks, leaving out those a rule
    matches (a block decided already, in *taken*, or a shape matched here) and those
    inside *outside* (page chrome the article element still holds, which goes later)."""
    if not rules:
        return []
    excluded = set(taken)
    if outside:
        for leaf in leaves:
            if any(a in outside for a in (leaf, *leaf.iterancestors())):
                excluded.add(leaf)
    own = [prose_length(t, n) > 0 for t, n in zip(texts, links)]  # for the shapes, as learning read them
    prose = [p and leaf not in excluded for leaf, p in zip(leaves, own)]  # for the zones
    matched = []
    for el, shape, first, last, _, follow in candidates(root, leaves, texts, links, own):
        for rule in rules.get(shape, ()):
            if rule.links_after == (follow is not None) and (not rule.path or rule.path == path_of(el, root)):
                matched.append((el, rule, first, last, follow))
                break
    if not matched:
        return []
    for _, _, first, last, _ in matched:
        for i in range(first, last + 1):
            prose[i] = False
    before = _prose_before(prose)
    decided = []
    for el, rule, first, last, follow in matched:
        if rule.zone != "anywhere" and _zone(first, last, before) != rule.zone:
            # a block at both edges of a short article is at its head as well as its tail
            if not (rule.zone == "tail" and before[-1] - before[last + 1] < EDGE):
                continue
        decided.append((el, rule))
        if follow is not None:
            decided.append((follow, rule))
    return decided
