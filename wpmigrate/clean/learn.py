"""Learn a site's boilerplate from repetition across its pages → a proposed site profile.

One page cannot tell a site's chrome from its content; many pages can. A line
that stands outside the article's prose (before its first prose paragraph or
after its last one), or at its edges (among its first or last few blocks), on
at least half of a site's pages — a newsletter pitch,
a "Follow us" line, a widget title, a disclaimer — is the site's, not the
article's. :class:`SiteLearner` counts such lines page by page (each page
counts once per line, so a line repeated on one page does not win) and
:func:`profile_toml` writes the proposals as a site profile in the schema of
:mod:`wpmigrate.clean.profiles`: exact ``text`` rules with the zone where the
line was seen. Proposals are never applied by the run that learns them; the
user reviews the file and passes it with ``--profile PATH.toml``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from wpmigrate.clean.blocks import MIN_PAGES as BLOCK_PAGES
from wpmigrate.clean.blocks import MIN_SHARE as BLOCK_SHARE
from wpmigrate.clean.blocks import BlockCounter, LearnedBlock, PageBlocks
from wpmigrate.clean.lines import Unit, is_prose, split_units
from wpmigrate.clean.profiles import ProfileSet, bundled_profile_names, coerce_profiles, fold
from wpmigrate.clean.structure import Analysis, analyse, article_span

__all__ = ["LearnedLine", "SiteLearner", "learn_site_profile", "outside_lines", "profile_toml"]

#: a line must be on at least this share of the pages …
MIN_SHARE = 0.5
#: … and on at least this many pages
MIN_PAGES = 2
#: longer lines are not proposed (a cookie notice or an author bio fits in this)
MAX_LENGTH = 600
#: prose blocks at each edge of the article that are counted too (with the short lines
#: beside them, a heading over them): a site's appeal, sign-off or "read also" box
#: sits at the same place in every post, inside its prose
EDGE_BLOCKS = 1


@dataclass(frozen=True)
class LearnedLine:
    text: str
    zone: str  # head | tail | anywhere
    pages: int


def outside_lines(units: Sequence[Unit], analysis: Analysis, edges: int = EDGE_BLOCKS) -> list[tuple[str, str]]:
    """``(text, zone)`` of the lines a page shows outside its article's prose, and of the
    first and last ``edges`` lines of that prose (the same block at the same place on
    most of a site's pages is the site's: a donation appeal closing every post).

    Lines the profiles already remove and code are left out; a paragraph
    outside the article counts (an author bio, a disclaimer under every post:
    page-specific text is never on half of the pages). Lines a
    page took as its title or its tags are counted: the same "title" on half
    of a site's pages is the site's name, the same "tag line" its menu.
    """
    live = [u for u in units if u.index not in analysis.removed]
    prose = [u.kind == "opaque" or is_prose(u.text) for u in units]
    first, last = article_span(units, prose, lambda i: i in analysis.removed)
    if first is None:
        return []
    inside = [u for u in live if first <= u.index <= last and u.kind != "opaque"]
    head_edge, tail_edge = _edge(inside, edges, lines=False), _edge(inside[::-1], edges, lines=True)
    found: list[tuple[str, str]] = []
    for u in live:
        if u.kind == "opaque":
            continue
        if first <= u.index <= last and u.index not in head_edge and u.index not in tail_edge:
            continue
        text = fold(u.text)
        if not text or len(text) > MAX_LENGTH or not re.search(r"[^\W\d_]", text):
            continue
        if u.index < first or (u.index in head_edge and u.index not in tail_edge):
            found.append((text, "head"))
        elif u.index > last or u.index in tail_edge:
            found.append((text, "tail"))
    return found


def _edge(units: Sequence[Unit], edges: int, lines: bool) -> set[int]:
    """Indexes of the first ``edges`` prose units of ``units`` and, with ``lines``, the
    short lines after them up to the next prose (read from the end: the heading over a
    closing appeal)."""
    found: set[int] = set()
    prose_seen = 0
    for u in units:
        if is_prose(u.text):
            if prose_seen == edges:
                break
            prose_seen += 1
        elif prose_seen == 0 or not lines:
            continue
        found.add(u.index)
    return found


@dataclass
class SiteLearner:
    """Counts, page by page, the lines outside the article's prose."""

    pages: int = 0
    _zones: dict[str, dict[str, int]] = field(default_factory=dict)  # text → zone → pages
    #: the candidate blocks of the HTML pages' articles (see :mod:`wpmigrate.clean.blocks`)
    blocks: BlockCounter = field(default_factory=BlockCounter)

    def add_page(self, lines: Iterable[tuple[str, str]]) -> None:
        self.pages += 1
        seen: dict[str, set[str]] = {}
        for text, zone in lines:
            seen.setdefault(text, set()).add(zone)
        for text, zones in seen.items():
            counts = self._zones.setdefault(text, {})
            for zone in zones:
                counts[zone] = counts.get(zone, 0) + 1
            counts["*"] = counts.get("*", 0) + 1

    def merge(self, other: SiteLearner) -> SiteLearner:
        """Add the counts of *other* (pages of the same site counted elsewhere) to these.

        Counting is a sum, so learners merged in any order propose the same lines
        as one learner that saw every page.
        """
        self.pages += other.pages
        for text, counts in other._zones.items():
            mine = self._zones.setdefault(text, {})
            for zone, n in counts.items():
                mine[zone] = mine.get(zone, 0) + n
        self.blocks.merge(other.blocks)
        return self

    def add_blocks(self, page: PageBlocks) -> None:
        """Count the candidate blocks of one HTML page's article."""
        self.blocks.add(page)

    def block_proposals(self, lines: Sequence[LearnedLine] | None = None) -> list[LearnedBlock]:
        """Blocks at the same place on most pages (see :meth:`BlockCounter.proposals`),
        without those a proposed line (*lines*, :meth:`proposals` when not given) covers."""
        covered = {p.text for p in (self.proposals() if lines is None else lines)}
        return self.blocks.proposals(covered)

    def add_text(self, text: str, profiles: ProfileSet | None = None, *, markdown: bool = False) -> None:
        """Count one page given as scraped text (or a Markdown body with ``markdown=True``)."""
        pset = coerce_profiles(profiles).for_content(text)
        if markdown:
            from wpmigrate.clean.markdown import _chunks, _Entry, _units, split_front_matter

            _, body = split_front_matter(text)
            entries = []
            for kind, start, chunk in _chunks(body.split("\n")):
                if kind != "md":
                    entries.append(_Entry("\n".join(chunk), start + 1, kind))
                    continue
                entries.extend(
                    _Entry(line, start + j + 1, "md" if line.strip() else "blank") for j, line in enumerate(chunk)
                )
            units = _units(entries)
            a = analyse(units, pset, taxonomy=False, title=False)
        else:
            units = split_units(text)
            a = analyse(units, pset)
        self.add_page(outside_lines(units, a))

    def proposals(self, min_share: float = MIN_SHARE, min_pages: int = MIN_PAGES) -> list[LearnedLine]:
        """Lines seen on at least ``min_share`` of the pages (and ``min_pages``), most frequent first."""
        needed = max(min_pages, -(-int(min_share * 1000) * self.pages // 1000))
        found = []
        for text, counts in self._zones.items():
            pages = counts["*"]
            if pages < needed:
                continue
            zones = [z for z in ("head", "tail") if counts.get(z)]
            zone = zones[0] if len(zones) == 1 else "anywhere"
            found.append(LearnedLine(text, zone, pages))
        found.sort(key=lambda p: (-p.pages, p.text))
        return found


def _toml_string(value: str) -> str:
    # a JSON string is a valid TOML basic string once DEL is escaped too
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def profile_name(path: str | os.PathLike | None) -> str:
    """A profile name from the output file name, never one of the bundled names."""
    stem = os.path.splitext(os.path.basename(os.fspath(path)))[0] if path else "site"
    name = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_") or "site"
    if not name[0].isalnum():
        name = "site-" + name
    if name in bundled_profile_names():
        name += "-site"
    return name


def profile_toml(
    proposals: Sequence[LearnedLine],
    name: str,
    pages: int,
    *,
    header: Sequence[str] | None = None,
    blocks: Sequence[LearnedBlock] = (),
    counter: BlockCounter | None = None,
) -> str:
    """The proposals as a site profile (``schema = 1``), ready for ``--profile PATH``:
    the lines as ``text`` rules, then the *blocks* (of the pages *counter* counted) as
    ``shape`` rules.

    *header* replaces the comment lines that open the file.
    """
    if header is None:
        header = [
            f"Site profile proposed by `wpmigrate clean --learn` from {pages} page(s).",
            "Every rule is a line found outside the article's prose, or among its first or last blocks,",
            "on at least half of the pages.",
            "Review each one (delete what is real content), then pass the file with --profile PATH.toml.",
            *(block_notes(counter) if counter is not None else ()),
        ]
    out = [
        *(f"# {line}" for line in header),
        "schema = 1",
        f"name = {_toml_string(name)}",
        f"description = {_toml_string(f'boilerplate learned from {pages} pages of one site')}",
        "",
    ]
    for n, p in enumerate(proposals, start=1):
        out += [
            "[[rule]]",
            f"id = {_toml_string(f'{name}.learned-{n:03d}')}",
            f"reason = {_toml_string(f'repeated outside the article or at its edge on {p.pages} of {pages} pages')}",
            f"text = {_toml_string(p.text)}",
            f"zone = {_toml_string(p.zone)}",
            "",
        ]
    html_pages = counter.pages if counter is not None else 0
    for n, b in enumerate(blocks, start=1):
        out += [
            "[[rule]]",
            f"id = {_toml_string(f'{name}.learned-block-{n:03d}')}",
            f"reason = {_toml_string(f'the same block at the same place on {b.pages} of {html_pages} pages')}",
            f"shape = {_toml_string(b.shape)}",
            f"path = {_toml_string(b.path)}",
            f"zone = {_toml_string(b.zone)}",
            *(["links_after = true"] if b.links_after else []),
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def block_notes(counter: BlockCounter) -> list[str]:
    """Header lines that say how blocks were learned from the HTML pages *counter* counted."""
    if not counter.pages:
        return []
    if not counter.one_site():
        sites = ", ".join(s for s, _ in (counter.hosts or counter.names).most_common(5))
        return [f"No blocks learned: the {counter.pages} HTML pages are of several sites ({sites} …)."]
    return [
        f"Rules with a shape are blocks of the article at the same place on at least {round(100 * BLOCK_SHARE)} %",
        f"of the {counter.pages} distinct HTML pages (and on {BLOCK_PAGES}); in a shape, links are ⟨links⟩",
        "and numbers outside prose #.",
    ]


def learn_site_profile(
    pages: Iterable[str],
    name: str = "site",
    profiles: ProfileSet | Sequence[str | os.PathLike] | None = None,
    *,
    markdown: bool = False,
) -> str:
    """Learn from the pages of one site (scraped text, or Markdown with ``markdown=True``); return TOML."""
    pset = coerce_profiles(profiles)
    learner = SiteLearner()
    for page in pages:
        learner.add_text(page, pset, markdown=markdown)
    return profile_toml(learner.proposals(), name, learner.pages)
