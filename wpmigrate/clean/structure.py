"""The decisions about a document's units: rules in their zones, and the structural rules.

:func:`analyse` decides, without applying anything, what happens to every unit
of a document (see :mod:`wpmigrate.clean.text` for the rules and why they
hold for any site); the text and Markdown cleaners apply the decisions in
their own way (the text cleaner rewrites, the Markdown cleaner only deletes
lines).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from wpmigrate.clean.byline import parse_byline
from wpmigrate.clean.lines import (
    _CRUMB_SEP,
    _ELLIPSIS_END,
    _ELLIPSIS_START,
    _FIRST_SENTENCE,
    _SENTENCE_END,
    _TEASER_END,
    _TERM_SEP,
    Unit,
    _end_char,
    _heading_styled,
    _is_short_label,
    _words,
    is_heading_like,
    is_prose,
)
from wpmigrate.clean.profiles import BREAKER_RATIO, ProfileSet, TextRule, breaker_trips, fold
from wpmigrate.clean.result import Removal, excerpt

__all__ = ["STRUCTURE", "Analysis", "analyse", "article_span"]

#: profile name used for decisions made by structure, not by a profile rule
STRUCTURE = "structure"


# --- the decisions ----------------------------------------------------------------


@dataclass
class Analysis:
    """Every decision about a document's units (shared by the text and Markdown cleaners)."""

    units: list[Unit]
    removed: dict[int, Removal] = field(default_factory=dict)  # unit index → decision that deletes it
    metadata_units: dict[int, Removal] = field(default_factory=dict)  # moved to metadata
    flagged: dict[int, Removal] = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    title_tail: str = ""  # continuation of the title taken from the first paragraph
    promote: set[int] = field(default_factory=set)  # head units written as headings
    needs_review: Removal | None = None
    first_prose: int | None = None
    last_prose: int | None = None

    def gone(self, index: int) -> bool:
        return index in self.removed or index in self.metadata_units


def _removal(unit: Unit | Sequence[Unit], rule: str, profile: str, reason: str, action: str) -> Removal:
    units = [unit] if isinstance(unit, Unit) else list(unit)
    text = " ".join(u.text for u in units)
    return Removal(rule, profile, reason, excerpt(text), action, units[0].line, units[-1].line)


def analyse(
    units: list[Unit],
    profiles: ProfileSet,
    *,
    taxonomy: bool = True,
    title: bool = True,
) -> Analysis:
    """Decide what happens to every unit (nothing is applied here)."""
    a = Analysis(units)
    matcher = profiles.text_matcher
    prose = [u.kind == "opaque" or (u.kind in ("para", "item") and is_prose(u.text)) for u in units]
    # a byline is no running text, even where its date reads like a sentence break
    # ("Mittwoch, 3. März 2021 um 10:15 Uhr")
    for u in units:
        if prose[u.index] and u.kind == "para" and parse_byline(u.text) is not None:
            prose[u.index] = False

    # 1. explicit rules: which unit does which rule match (first rule wins)
    matched: dict[int, TextRule] = {}
    for u in units:
        if u.kind != "opaque":
            rule = matcher.first(fold(u.text))
            if rule is not None:
                matched[u.index] = rule
    # a unit a text rule matches is never prose (as in ProfileSet.match_blocks), so
    # zones are measured from the article's own prose and removing matched units
    # does not move them
    for index in matched:
        prose[index] = False

    # 2. teasers and exact repeats come next: they are not the article's own text, so
    #    the article is measured without them and without what the rules match; when
    #    those units are gone, the article and the zones stay where they were
    _teasers(a, prose, skip=matched)
    first, last = article_span(units, prose, lambda i: i in matched or i in a.removed)
    a.first_prose, a.last_prose = first, last

    # 3. the rules' decisions, each in its zone
    rule_hits: dict[int, tuple[TextRule, Removal]] = {}
    for index, rule in matched.items():
        if not rule.in_zone(index, first, last):
            continue
        u = units[index]
        if rule.action == "flag":
            a.flagged[index] = _removal(u, rule.id, rule.profile, rule.reason, "flagged")
        elif rule.action == "metadata":
            a.metadata_units[index] = _removal(u, rule.id, rule.profile, rule.reason, "metadata")
            _add_metadata(a.metadata, rule.key or "meta", u.text)
        else:
            rule_hits[index] = (rule, _removal(u, rule.id, rule.profile, rule.reason, "removed"))

    # 3a. the heading of a block a rule removed, in the tail (a widget's title)
    for index, (rule, _) in sorted(rule_hits.items()):
        prev = _previous_kept(units, index, rule_hits, a)
        if prev is None or prev.kind not in ("para", "heading") or prev.index in rule_hits:
            continue
        if last is not None and prev.index <= last:
            continue
        if prev.kind == "para" and not (is_heading_like(prev.text) and _is_short_label(prev.text)):
            continue
        before = _previous_kept(units, prev.index, rule_hits, a)
        opens_block = before is None or before.index == last or before.index in rule_hits
        if prev.kind == "para" and not (_heading_styled(prev.text) and opens_block):
            # a heading opens a block: it follows the article or another removed block.
            # "Was meint ihr?" may be the author's last line, "Facebook" the last of
            # a row of buttons: only flagged
            a.flagged.setdefault(
                prev.index,
                _removal(
                    prev,
                    f"{STRUCTURE}.block-heading",
                    rule.profile,
                    f"short line directly above a block removed by {rule.id}; kept, it may be the article's",
                    "flagged",
                ),
            )
            continue
        rule_hits[prev.index] = (
            rule,
            _removal(
                prev,
                f"{STRUCTURE}.block-heading",
                rule.profile,
                f"heading directly above a block removed by {rule.id}",
                "removed",
            ),
        )

    # 3b. the link list under a widget label a rule removed in the tail
    #     ("Share this:" followed by its buttons, "Related" by its links), and the
    #     lines the run rules name there (the buttons' names as scraped text shows
    #     them: "Twitter", "Drucken" …, each on its own line, under "Teilen mit:")
    #     (above the article only the lines the run rules name: "Udostępnij" and the
    #     buttons' names under the title)
    runs = profiles.run_matcher
    for index, (rule, _) in sorted(rule_hits.items()):
        in_tail = last is None or index > last
        if not in_tail and not (first is not None and index < first):
            continue
        for u in units[index + 1 :]:
            if u.index in rule_hits or u.index in a.metadata_units:
                continue
            if u.kind == "opaque":
                break
            named = None
            if runs.rules and not u.link_only and u.kind in ("para", "item"):
                named = next(
                    (r for r in runs.matching(fold(u.text)) if rule.id in r.after and r.in_zone(u.index, first, last)),
                    None,
                )
            if named is not None:
                rule_hits[u.index] = (
                    named,
                    _removal(u, named.id, named.profile, f"{named.reason} (after {rule.id})", "removed"),
                )
                continue
            if not u.link_only or not in_tail:
                break
            rule_hits[u.index] = (
                rule,
                _removal(
                    u,
                    f"{STRUCTURE}.widget-links",
                    rule.profile,
                    f"link list of the block removed by {rule.id}",
                    "removed",
                ),
            )

    # over-removal breaker: rules may not take more than 30 % of the prose
    # (matched units are not prose; what a rule takes from the prose is what it
    # would remove of text that reads as prose)
    total = sum(len(u.text) for u in units if u.kind != "opaque" and is_prose(u.text))
    lost = sum(len(units[i].text) for i in rule_hits if is_prose(units[i].text))
    if breaker_trips(total, lost):
        a.needs_review = Removal(
            f"{STRUCTURE}.over-removal",
            STRUCTURE,
            f"the rules would remove {lost * 100 // total} % of the prose "
            f"(limit {round(BREAKER_RATIO * 100)} %); nothing was removed",
            excerpt(" ".join(units[i].text for i in sorted(rule_hits))),
            "needs-review",
            units[min(rule_hits)].line,
            units[max(rule_hits)].line,
        )
        for index, (_rule, rem) in rule_hits.items():
            a.flagged[index] = Removal(
                rem.rule, rem.profile, rem.reason, rem.text, "flagged", rem.line_start, rem.line_end
            )
    else:
        for index, (_, rem) in rule_hits.items():
            a.removed[index] = rem

    # 4. taxonomy and breadcrumb lines: short, repeated, unpunctuated, outside the prose
    if taxonomy:
        _taxonomy(a, prose)

    # 5. the title: the first heading-like unit before the prose
    if title:
        _title(a, prose)
        # and the byline: the post's date, author and categories
        _byline(a, prose)

    # 6. leftovers: short lines after removed boilerplate in the tail are flagged
    if a.removed and a.last_prose is not None:
        seen_removed = False
        for u in units[a.last_prose + 1 :]:
            if a.gone(u.index):
                seen_removed = seen_removed or u.index in a.removed
                continue
            if seen_removed and u.index not in a.flagged and u.kind != "opaque":
                a.flagged[u.index] = _removal(
                    u,
                    f"{STRUCTURE}.tail-leftover",
                    STRUCTURE,
                    "left after removed boilerplate in the tail; kept, please review",
                    "flagged",
                )
    return a


#: what a line that is not prose costs the article around it (in characters of prose)
LINE_COST = 20


def article_span(units: list[Unit], prose: list[bool], gone=None) -> tuple[int | None, int | None]:
    """Indexes of the first and last prose unit of the article: the densest run of prose.

    Every prose unit weighs its length, every other line costs :data:`LINE_COST`;
    the article is the run with the largest total (the maximum-subarray idea of
    body text extraction). A post title in a menu, a long footer note, an author
    box far below are prose too, but a menu of short lines keeps them apart from
    the article, so the zones start where the article does, not at the first
    sentence-like line of the page. ``(None, None)`` when there is no prose.
    """
    best = (0, None, None)
    total, start = 0, None
    for u in units:
        if gone is not None and gone(u.index):
            continue
        weight = len(u.text) if prose[u.index] else -LINE_COST
        if prose[u.index] and (start is None or total <= 0):
            total, start = 0, u.index
        if start is None:
            continue
        total += weight
        if prose[u.index] and total > best[0]:
            best = (total, start, u.index)
        if total <= 0:
            start, total = None, 0
    return best[1], best[2]


def _previous_kept(units: list[Unit], index: int, hits: dict, a: Analysis) -> Unit | None:
    for u in reversed(units[:index]):
        if u.index in a.metadata_units:
            continue
        return u
    return None


def _comparable(text: str) -> str:
    return fold(text).casefold()


def _teasers(a: Analysis, prose: list[bool], skip=()) -> None:
    """Units that are the start (or an exact copy) of a later, longer unit; *skip*: units a rule matched."""
    units = a.units
    kept = [u for u in units if not a.gone(u.index) and u.index not in skip and u.kind in ("para", "item")]
    # every kept unit's comparable text, sorted: the units that start with a given
    # text are one run of this list (found by bisection, not by comparing all pairs)
    ordered = sorted((_comparable(u.text), u.index) for u in kept)
    keys = [k for k, _ in ordered]
    start, _ = article_span(units, prose, lambda i: a.gone(i) or i in skip)
    for u in kept:
        if _words(u.text) < 6:
            continue
        # a title printed twice (sticky header, hero) is not dropped here: _title keeps one
        title_like = start is not None and u.index < start and not prose[u.index] and is_heading_like(u.text)
        body = _comparable(u.text)
        stem = _TEASER_END.sub("", body, count=1)
        if _words(stem) < 6:
            continue
        found: str | None = None
        for j in range(bisect_left(keys, stem), len(keys)):
            other, index = ordered[j]
            if not other.startswith(stem):
                break
            if index <= u.index:
                continue
            if other == body:
                if title_like:
                    continue
                found = "duplicate"
                break
            if len(other) > len(stem) and not other[len(stem)].isalnum():
                found = "teaser"
                break
        if found == "duplicate":
            a.removed[u.index] = _removal(
                u, f"{STRUCTURE}.duplicate", STRUCTURE, "exact repeat of a later paragraph", "removed"
            )
        elif found == "teaser":
            a.removed[u.index] = _removal(
                u,
                f"{STRUCTURE}.teaser",
                STRUCTURE,
                "teaser: the start of a later, longer paragraph (an excerpt printed twice)",
                "removed",
            )


def _add_metadata(meta: dict, key: str, value) -> None:
    values = value if isinstance(value, list) else [value]
    if key in ("tags", "categories", "breadcrumb"):
        current = meta.setdefault(key, [])
        for v in values:
            if v not in current:
                current.append(v)
    elif key not in meta:
        meta[key] = value


def _looks_like_terms(text: str) -> bool:
    """A breadcrumb trail, a list of short terms, or one short term."""
    crumbs = _CRUMB_SEP.split(text)
    if len(crumbs) > 1:
        return all(_words(c) <= 6 for c in crumbs)
    parts = [p for p in _TERM_SEP.split(text) if p.strip()]
    if len(parts) > 1:
        return all(_words(p) <= 4 for p in parts)
    return _words(text) <= 3


def _taxonomy(a: Analysis, prose: list[bool]) -> None:
    units = a.units
    counts: dict[str, list[Unit]] = {}
    for u in units:
        if (
            u.kind == "para"
            and not a.gone(u.index)
            and _is_short_label(u.text)
            and _end_char(u.text) not in _SENTENCE_END + ","
        ):
            counts.setdefault(u.text, []).append(u)
    # the article as the kept units see it (a teaser before it does not start it)
    first, last = article_span(units, prose, a.gone)
    for text, group in counts.items():
        if len(group) < 2:
            continue
        outside = [u for u in group if first is None or u.index < first or u.index > last]
        if not outside:
            continue  # a refrain, a repeated table cell: the article's own
        if not _looks_like_terms(text):
            continue  # a repeated longer line is a title printed twice (see _title), not a term
        crumbs = _CRUMB_SEP.split(text)
        if len(crumbs) > 1:
            key, values = "breadcrumb", [c.strip() for c in crumbs if c.strip()]
        else:
            key, values = "tags", [t.strip() for t in _TERM_SEP.split(text) if t.strip()]
        _add_metadata(a.metadata, key, values)
        for u in group:
            a.metadata_units[u.index] = _removal(
                u,
                f"{STRUCTURE}.taxonomy-line",
                STRUCTURE,
                f"short line repeated {len(group)} times on the page without end punctuation: taxonomy or breadcrumb",
                "metadata",
            )


def _title(a: Analysis, prose: list[bool]) -> None:
    units = a.units
    start, end = article_span(units, prose, a.gone)
    if start is None:
        return
    first = units[start]
    head = [u for u in units[: first.index] if not a.gone(u.index)]
    # (a numbered line — an ordered list item, or one on its own, "7. …" — is never the title)
    candidates = [
        u
        for u in head
        if (u.kind == "para" and is_heading_like(u.text) and _not_a_byline(u.text) and not _NUMBERED.match(u.text))
        or (u.kind == "heading" and u.level == 1)
    ]
    if not candidates:
        return
    # a full page prints its title more than once (sticky header, hero, breadcrumb):
    # a heading-like line repeated on the page wins over a menu entry above it
    live = [u for u in units if not a.gone(u.index)]
    seen: dict[str, int] = {}
    for u in units:  # (copies already dropped as exact repeats count too, and menu entries)
        seen[u.text] = seen.get(u.text, 0) + 1
    repeated = [u for u in candidates if seen[u.text] > 1 and _words(u.text) >= 4]
    # (the copy nearest the article: the hero, not the sticky header above it)
    t = repeated[-1] if repeated else candidates[0]
    for u in live:
        if u.index != t.index and u.text == t.text and not (start <= u.index <= end):
            a.removed[u.index] = _removal(
                u, f"{STRUCTURE}.duplicate", STRUCTURE, "the title printed again by the theme", "removed"
            )
    title = t.text
    if _ELLIPSIS_END.search(title) and first.kind == "para" and _ELLIPSIS_START.match(first.text):
        # the title runs on into the first paragraph ("„Kunde droht …" / "… mit Auftrag!“ …")
        rest = _ELLIPSIS_START.sub("", first.text)
        m = _FIRST_SENTENCE.search(rest)
        if m and _words(rest[: m.end()]) <= 12:
            a.title_tail = rest[: m.end()]
            title = f"{title} {a.title_tail}"
    a.metadata["title"] = title
    a.metadata_units[t.index] = _removal(
        t, f"{STRUCTURE}.title", STRUCTURE, "first heading-like line before the article: the title", "metadata"
    )
    # other heading-like lines between the title and the prose stay, written as headings
    # (and a second "# heading" becomes "##": only one title per page)
    for u in candidates:
        if u.index != t.index and not a.gone(u.index):
            a.promote.add(u.index)


_NUMBERED = re.compile(r"^\d{1,3}[.)]\s")


def _not_a_byline(text: str) -> bool:
    """A byline is never the title; "By The Sea" may be one (see :func:`_byline`)."""
    found = parse_byline(text)
    return found is None or found.bare


#: a byline stands below the title, or is one of this many lines right above the article
BYLINE_NEAR = 4


def _put_date(meta: dict, found: date) -> str:
    """Record a byline's date: of two, the earlier is the post's date, the later its update."""
    first = meta.get("date")
    if first is None:
        meta["date"] = found
        return "date"
    if isinstance(first, date) and found < first:
        meta["date"], meta["updated"] = found, first
        return "date"
    if found != first:
        meta["updated"] = found
        return "updated"
    return "date"  # the same date printed twice


def _byline(a: Analysis, prose: list[bool]) -> None:
    """The byline above the article: its date, author and categories go into the metadata.

    A byline is a short line near the article: below the title, or among the
    last lines before the prose (a date far above both is a teaser card's). A
    line that is only a date is the post's date, a later one its update
    ("Veröffentlicht am …" / "Aktualisiert am …"); "Posted on March 3, 2021 by
    Anna", "Von Jana | 3. März 2020" give the author too (a name without
    "by"/"von", "Reisen | 3. März 2020", is no author: it may be the category). "By Anna Lee" alone counts
    only below the title (a title may read "By The Sea"). See
    :mod:`wpmigrate.clean.byline`.
    """
    start, _ = article_span(a.units, prose, a.gone)
    if start is None:
        return
    # (with the title gone, a standfirst above the byline may join the article's run:
    # the byline is still above the article the title was found for)
    start = max(start, a.first_prose if a.first_prose is not None else start)
    head = [u for u in a.units[:start] if u.index not in a.removed]
    title = next((i for i, r in a.metadata_units.items() if r.rule == f"{STRUCTURE}.title"), None)
    # (between the title and the article an innerText dump may hold image captions,
    # share rows, an excerpt: a line below the title counts however far down)
    after_title = {u.index for u in head if title is not None and u.index > title}
    near = {u.index for u in head[-BYLINE_NEAR:]} | after_title
    for u in head:
        if a.gone(u.index) or u.kind != "para":
            continue
        found = parse_byline(u.text)
        if found is None:
            continue
        if found.bare and u.index not in after_title:
            continue
        if u.index not in near:
            continue  # a date far above the article: a teaser card's, a tweet's
        if found.date is not None and "updated" in a.metadata:
            continue  # the post has its date and its update: a third date is another post's
        what = []
        if found.date is not None:
            what.append(_put_date(a.metadata, found.date))
        if found.author:
            a.metadata.setdefault("author", found.author)
            what.append("author")
        if found.categories:
            _add_metadata(a.metadata, "categories", list(found.categories))
            what.append("categories")
        only_date = what in (["date"], ["updated"])
        a.metadata_units[u.index] = _removal(
            u,
            f"{STRUCTURE}.date" if only_date else f"{STRUCTURE}.byline",
            STRUCTURE,
            f"a line before the article that is only a date: the post's {what[0]}"
            if only_date
            else f"the byline above the article: the post's {', '.join(what)}",
            "metadata",
        )
        a.promote.discard(u.index)
