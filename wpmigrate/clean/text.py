"""Scraped page text → clean Markdown, with the page's title and tags as metadata.

Scraped WordPress pages (``innerText``, copy-and-paste, text dumps of a theme's
front end) carry the article plus everything the theme printed around it: the
category/tag line above and below the title, the excerpt printed once more
above the article (Zeen and many magazine themes show ``the_excerpt()`` as a
subtitle), newsletter boxes, widget headings, share labels.

The text is split into *units* (one per non-blank line; bullet lines are list
items) and every decision is about whole units:

1. explicit rules: the profiles' anchored full-line text rules, in their zone
   (``head`` = before the first prose unit, ``tail`` = after the last one; a
   prose unit that a tail rule matches is boilerplate, not the end of the
   article, so zones are measured from the prose no rule claims);
2. structural rules that hold for any site:

   - a short line repeated on the page, without end punctuation, outside the
     article's prose is taxonomy or a breadcrumb → ``metadata`` (tags,
     breadcrumb);
   - a unit that is a prefix of a later, longer unit is a teaser (WordPress's
     ``the_excerpt()`` ends in ``[…]``/``…`` or cuts mid-text) → dropped, the
     longer one kept; an exact repeat of a prose unit is dropped the same way;
   - the first heading-like unit before the prose is the title → ``metadata``
     (when it ends in an ellipsis and the first paragraph starts with one, the
     title goes on up to the end of that paragraph's first sentence);
   - a byline below the title or right above the article ("Posted on March 3,
     2021 by Anna", "Von Anna | 3. März 2020") → ``metadata`` as date, author and
     categories (:mod:`wpmigrate.clean.byline`);
   - a short, heading-styled line right above a rule-removed block in the tail
     is that block's heading (a widget title) → removed with it;
3. leftovers near removed boilerplate are only *flagged*, never deleted.

The over-removal breaker keeps everything (and marks the result
``needs_review``) when the rule decisions would remove more than 30 % of the
document's prose. Cleaning the output again changes nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from wpmigrate.clean.lines import _CLOSING_HASHES, NUMBER_START, Unit, is_heading_like, is_prose, split_units
from wpmigrate.clean.profiles import ProfileSet, coerce_profiles, fold
from wpmigrate.clean.result import CleanResult, Removal
from wpmigrate.clean.structure import STRUCTURE, Analysis, analyse, article_span

__all__ = [
    "clean_text",
    "Unit",
    "split_units",
    "Analysis",
    "analyse",
    "article_span",
    "is_prose",
    "is_heading_like",
    "STRUCTURE",
]


# --- Markdown out -------------------------------------------------------------------


def _ordered(u: Unit | None) -> bool:
    return u is not None and u.kind == "item" and u.marker[0].isdigit()


def _render(a: Analysis, keep_groups: bool) -> tuple[str, list[int | None]]:
    """The kept units as Markdown, and for each output line the source line it came from."""
    kept = [u for u in a.units if not a.gone(u.index)]
    # a numbered line whose numbered neighbours were removed is on its own now: text,
    # as split_units() will read it back ("7\\. …"), unless it starts at 1
    for i, u in enumerate(kept):
        if _ordered(u) and u.marker[:-1] != "1":
            if not any(_ordered(kept[j]) for j in (i - 1, i + 1) if 0 <= j < len(kept)):
                u.kind, u.marker, u.indent, u.text = "para", "", 0, fold(u.raw)
    out: list[str] = []
    origin: list[int | None] = []
    previous: Unit | None = None
    level = -1
    for u in kept:
        if u.kind == "item":
            # the kept items of a run form one list: it starts at level 0 and goes at
            # most one level deeper per item, so reading it back gives the same levels
            level = min(u.level, level + 1) if previous is not None and previous.kind == "item" else 0
            line = "  " * level + f"{u.marker} {u.text}"
        elif u.index in a.promote:
            line = "## " + _CLOSING_HASHES.sub(r"\1\\\2", u.text)
        elif u.kind == "heading":
            line = "#" * u.level + " " + _CLOSING_HASHES.sub(r"\1\\\2", u.text)
        else:
            line = NUMBER_START.sub(r"\1\\\2", u.text)  # "14\\. Oktober 2021" stays a paragraph
        if previous is not None:
            same_block = (
                keep_groups
                and u.group == previous.group
                and u.kind == previous.kind == "para"
                and u.index not in a.promote
                and previous.index not in a.promote
            )
            list_run = u.kind == previous.kind == "item"
            if not (same_block or list_run):
                out.append("")
                origin.append(None)
        out.append(line)
        origin.append(u.line)
        previous = u
    return ("\n".join(out) + "\n" if out else ""), origin


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # control characters other than tab and newline are not text (form feeds of text dumps, NULs)
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)


def _round(source: str, pset: ProfileSet) -> tuple[Analysis, str, list[int | None]]:
    units = split_units(source)
    a = analyse(units, pset)
    # text without blank lines (one paragraph per line, as many extractors write it):
    # lines are paragraphs; otherwise lines not parted by a blank line stay together
    kept = [u.group for u in units if not a.gone(u.index)]
    keep_groups = bool(kept) and any(g != kept[0] for g in kept)
    markdown, origin = _render(a, keep_groups)
    return a, markdown, origin


def _relined(r: Removal, origin: list[int | None]) -> Removal:
    def at(line: int | None) -> int | None:
        return origin[line - 1] if line is not None and 0 < line <= len(origin) else line

    return Removal(r.rule, r.profile, r.reason, r.text, r.action, at(r.line_start), at(r.line_end))


#: rounds of cleaning at most (a round only finds more when the one before moved the article)
ROUNDS = 4


def clean_text(text: str, profiles: ProfileSet | Sequence[str | os.PathLike] | None = None) -> CleanResult:
    """Clean scraped page text; return Markdown (``.markdown``) and ``.metadata`` (title, tags).

    ``profiles``: a loaded :class:`ProfileSet`, a selection for
    :func:`~wpmigrate.clean.profiles.load_profiles`, or ``None`` for every
    bundled profile (profiles with ``apply = "detected"`` only when their
    markers occur in the text).

    What one round removes can move the article (a tag line gone, a menu
    shorter), and the next round may then decide more; rounds repeat on their
    own output until nothing changes, so cleaning the result again changes
    nothing. Line numbers always refer to *text*.
    """
    source = _normalise(text)
    pset = coerce_profiles(profiles).for_content(source)
    removed: list[Removal] = []
    flags: dict[tuple, Removal] = {}
    metadata: dict = {}
    review: Removal | None = None
    origin: list[int | None] = list(range(1, source.count("\n") + 2))
    current = source
    for _ in range(ROUNDS):
        a, markdown, out_origin = _round(current, pset)
        found = [*a.removed.values(), *a.metadata_units.values()]
        removed.extend(_relined(r, origin) for r in found)
        for r in a.flagged.values():
            r = _relined(r, origin)
            flags.setdefault((r.rule, r.line_start), r)
        if a.needs_review is not None and review is None:
            review = _relined(a.needs_review, origin)
        for key, value in a.metadata.items():
            if key == "title" and "title" in metadata and value != metadata["title"]:
                metadata.setdefault("subtitle", value)  # never lose a line to a second title
            elif isinstance(value, list):
                metadata.setdefault(key, [])
                metadata[key].extend(v for v in value if v not in metadata[key])
            else:
                metadata.setdefault(key, value)
        origin = [origin[n - 1] if n is not None and 0 < n <= len(origin) else None for n in out_origin]
        if not found or markdown == current:
            current = markdown
            break
        current = markdown
    removed.sort(key=lambda r: r.line_start or 0)
    flagged = sorted(flags.values(), key=lambda r: r.line_start or 0)
    if review is not None:
        flagged.insert(0, review)  # as clean_html reports it: first among the flags
    return CleanResult(
        html=None,
        markdown=current,
        metadata=metadata,
        removed=removed,
        flagged=flagged,
        needs_review=review is not None,
        changed=current != source,
    )
