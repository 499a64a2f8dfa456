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

from wpmigrate.clean.lines import _CLOSING_HASHES, Unit, is_heading_like, is_prose, split_units
from wpmigrate.clean.profiles import ProfileSet, coerce_profiles
from wpmigrate.clean.result import CleanResult
from wpmigrate.clean.structure import STRUCTURE, Analysis, analyse, article_span

__all__ = ["clean_text", "Unit", "split_units", "Analysis", "analyse", "article_span", "is_prose", "is_heading_like", "STRUCTURE"]


# --- Markdown out -------------------------------------------------------------------


def _render(a: Analysis, keep_groups: bool) -> str:
    out: list[str] = []
    previous: Unit | None = None
    level = -1
    for u in a.units:
        if a.gone(u.index):
            continue
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
            line = u.text
        if previous is not None:
            same_block = keep_groups and u.group == previous.group and u.kind == previous.kind == "para" \
                and u.index not in a.promote and previous.index not in a.promote
            list_run = u.kind == previous.kind == "item"
            out.append("\n" if same_block or list_run else "\n\n")
        out.append(line)
        previous = u
    text = "".join(out)
    return text + "\n" if text else ""


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # control characters other than tab and newline are not text (form feeds of text dumps, NULs)
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)


def clean_text(text: str, profiles: ProfileSet | Sequence[str | os.PathLike] | None = None) -> CleanResult:
    """Clean scraped page text; return Markdown (``.markdown``) and ``.metadata`` (title, tags).

    ``profiles``: a loaded :class:`ProfileSet`, a selection for
    :func:`~wpmigrate.clean.profiles.load_profiles`, or ``None`` for every
    bundled profile (profiles with ``apply = "detected"`` only when their
    markers occur in the text).
    """
    source = _normalise(text)
    pset = coerce_profiles(profiles).for_content(source)
    units = split_units(source)
    a = analyse(units, pset)
    # text without blank lines (one paragraph per line, as many extractors write it):
    # lines are paragraphs; otherwise lines not parted by a blank line stay together
    kept = [u.group for u in units if not a.gone(u.index)]
    keep_groups = bool(kept) and any(g != kept[0] for g in kept)
    markdown = _render(a, keep_groups)
    removed = sorted([*a.removed.values(), *a.metadata_units.values()], key=lambda r: (r.line_start or 0))
    flagged = sorted(a.flagged.values(), key=lambda r: (r.line_start or 0))
    if a.needs_review:
        flagged.insert(0, a.needs_review)  # as clean_html reports it: first among the flags
    return CleanResult(
        html=None,
        markdown=markdown,
        metadata=a.metadata,
        removed=removed,
        flagged=flagged,
        needs_review=a.needs_review is not None,
        changed=markdown != source,
    )
