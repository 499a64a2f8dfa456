"""A post's byline as scraped text shows it: its date, its author, its categories.

Themes print the post's date and author above the article (``the_date()`` /
``get_the_date()`` in the format set under Settings → General, ``the_author()``,
``the_category()``), in a handful of shapes::

    Posted on March 3, 2021 by Anna             (Twenty Sixteen, Twenty Seventeen …)
    Veröffentlicht am 3. März 2020 von Jana     (the same themes in German)
    By Anna · March 3, 2021                     (magazine themes: author first)
    Reisen | 3. März 2020                       (a category or an author: not said)
    14.10.2021 in Reisen, Portugal              (a date and the categories)
    Autor: Anna                                 (an author line of its own)

:func:`parse_byline` reads one such line as a whole: the line is a byline only
when every word of it is a part of one (a lead-in such as "Posted on", one
date, a name after "by"/"von" or before a separator, a time, an "in
Category" tail). A sentence that merely holds a date and "by" is none. Only
a name the line says is the author's ("by", "von", "Autor:") is taken as the
author: a bare name beside the date is as often the post's category.
Dates are English or German (full and abbreviated month names, ``3.3.2021``,
``2021-03-03``, and ``3/14/2021`` only where day and month cannot be confused).
The patterns are anchored and their repeats bounded: no line makes them
backtrack for long (tests/test_redos.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from wpmigrate.clean.profiles import fold

__all__ = ["Byline", "parse_byline", "parse_date_line"]

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "jänner", "january", "jan"),
            ("februar", "february", "feb"),
            ("märz", "maerz", "march", "mär", "mar", "mrz"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("dezember", "december", "dez", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = (
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tue|tues|wed|thu|thurs|fri|sat|sun|mo|di|mi|do|fr|sa|so"
)


def _month(group: str) -> str:
    names = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
    return f"(?P<{group}>{names})\\.?"


_ORDINAL = "(?:st|nd|rd|th)?"
# one date, as the_date() prints it in the formats WordPress offers and German sites use;
# a weekday may lead ("Mittwoch, 3. März 2021", "Wednesday, November 20, 2019")
_DATE = (
    f"(?:(?:{_WEEKDAYS})\\.?,? )?"
    "(?:"
    f"(?P<d1>\\d{{1,2}})\\. ?{_month('m1')} (?P<y1>\\d{{4}})"  # 3. März 2020
    f"|{_month('m2')} (?P<d2>\\d{{1,2}}){_ORDINAL},? (?P<y2>\\d{{4}})"  # March 3, 2021
    f"|(?P<d3>\\d{{1,2}}){_ORDINAL} {_month('m3')},? (?P<y3>\\d{{4}})"  # 3 March 2021
    "|(?P<d4>\\d{1,2})\\.(?P<m4>\\d{1,2})\\.(?P<y4>\\d{4})"  # 03.03.2021
    "|(?P<y5>\\d{4})-(?P<m5>\\d{2})-(?P<d5>\\d{2})"  # 2021-03-03
    "|(?P<a6>\\d{1,2})/(?P<b6>\\d{1,2})/(?P<y6>\\d{4})"  # 3/14/2021 or 14/3/2021
    ")"
    # the time some themes add: "um 10:15 Uhr", "at 8:05 am", "08:05 GMT"
    "(?:,? (?:um |at |@ |- )?\\d{1,2}[:.]\\d{2}(?: ?(?:uhr|am|pm|a\\.m\\.|p\\.m\\.))?"
    "(?: (?:gmt|utc|cet|cest|mez|mesz))?)?"
)
# what leads into the date: "Posted on", "Veröffentlicht am", "Aktualisiert:", "am", "on"
_LEAD = (
    "(?:(?:posted|published|updated|last updated|written|veröffentlicht|aktualisiert|zuletzt aktualisiert"
    "|geschrieben|erschienen|erstellt)(?: (?:on|am))?:? |(?:am|on) )"
)
# what introduces the author
_BY = "(?:posted by|written by|by|geschrieben von|verfasst von|veröffentlicht von|von|autor:|author:|autorin:)"
# one word of a name: a keyword of the byline is never one ("Anna in Reisen")
# (nor a weekday before its date: "Mittwoch, 3. März 2021")
_NAME_WORD = (
    "(?!(?:in|unter|on|am|um|at|by|posted|veröffentlicht|published)\\b)"
    f"(?!(?:{_WEEKDAYS})\\.?,)"
    "[^\\W\\d_][\\w'’.-]{0,30}"
)


def _by(group: str) -> str:
    return f"(?P<{group}>{_BY})"


def _name_of(group: str) -> str:
    return f"(?P<{group}>{_NAME_WORD}(?: {_NAME_WORD}){{0,3}})"


_CATEGORIES = "(?:in|unter|filed under|kategorie:|category:|kategorien:|categories:) (?P<categories>[^·|•]{1,80}?)"
# what a theme may print last: the comment count, the reading time
_COUNTS = (
    "(?:\\d{1,5} (?:kommentare?|comments?|antworten|replies|responses)|(?:keine|no) (?:kommentare|comments)"
    "|\\d{1,3} (?:min\\.?|minuten?|minutes?)(?: (?:read|lesezeit|lesen))?"
    "|(?:lesezeit|reading time):? \\d{1,3} min(?:\\.|uten)?)"
)
_SEPARATOR = "(?: ?[·|•–—/-] ?|, )"

# the whole line: lead-in, author before the date, the date, author after it, categories
_BYLINE = re.compile(
    "(?i)(?:[·•|—–-] ?)?"
    f"(?:{_LEAD})?"
    f"(?:(?:{_by('by1')} )?{_name_of('author1')}(?: ?[·|•–—,/-] ?| (?:on|am) ))?"
    f"(?:{_LEAD})?"
    f"{_DATE}"
    f"(?:(?: {_by('by2')} | ?[·|•–—/-] ?(?:{_by('by3')} )?|, (?:{_by('by4')} )?){_name_of('author2')})?"
    f"(?:(?: ?[·|•–—/-] ?|, | ){_CATEGORIES})?"
    f"(?:{_SEPARATOR}{_COUNTS})?"
    "[.,]?"
)
# an author line without a date needs its word: "Autor: Anna", "Geschrieben von Jana Behr"
_AUTHOR_LINE = re.compile(
    "(?i)(?:[·•|—–-] ?)?"
    "(?P<by1>posted by|written by|geschrieben von|verfasst von|veröffentlicht von|autor:|author:|autorin:) "
    + _name_of("author1")
    + f"(?:(?: ?[·|•–—/-] ?|, | ){_CATEGORIES})?"
    + "[.,]?"
)
# "By Sherif Saed": taken only where the caller knows the title is above it
# (a title may read "By The Sea" or "Von Kopf bis Fuß")
_BARE_AUTHOR_LINE = re.compile("(?i)(?:[·•|—–-] ?)?(?:by|von) " + _name_of("author1") + "[.,]?")
# name particles written in lower case ("Anna von Berg", "Jan de Vries")
_PARTICLES = frozenset({"von", "van", "de", "der", "den", "du", "da", "di", "la", "le", "zu", "vom", "y", "und", "and"})
_CATEGORY_SPLIT = re.compile(r", | und | and | & ")

#: longest line taken as a byline, in characters
MAX_LENGTH = 140


@dataclass(frozen=True)
class Byline:
    """What a byline line says; any part may be missing (but not all)."""

    date: date | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    #: only "By Anna Lee" / "Von Jana Behr": an author line only below the title
    bare: bool = False


def _date_of(g: dict) -> date | None:
    try:
        if g["d1"]:
            return date(int(g["y1"]), MONTHS[g["m1"].lower()], int(g["d1"]))
        if g["d2"]:
            return date(int(g["y2"]), MONTHS[g["m2"].lower()], int(g["d2"]))
        if g["d3"]:
            return date(int(g["y3"]), MONTHS[g["m3"].lower()], int(g["d3"]))
        if g["d4"]:
            return date(int(g["y4"]), int(g["m4"]), int(g["d4"]))
        if g["y5"]:
            return date(int(g["y5"]), int(g["m5"]), int(g["d5"]))
        a, b = int(g["a6"]), int(g["b6"])
        if a != b and a <= 12 and b <= 12:
            return None  # 3/4/2021: March 4 in the US, 3 April elsewhere; no guess
        day, month = (a, b) if a > 12 else (b, a)
        return date(int(g["y6"]), month, day)
    except ValueError:
        return None  # 31.02.2021 is not a date


def _name(value: str | None, said: bool) -> str | None:
    """The author's name; without "by"/"von" before it only a name written as one."""
    if value is None:
        return None
    words = value.split(" ")
    if not said and not all(w[0].isupper() or w.lower() in _PARTICLES for w in words):
        return None
    if words[-1].lower() in _PARTICLES:
        return None
    return value.rstrip(".,")


def parse_byline(text: str) -> Byline | None:
    """The date, author and categories of a byline line, or ``None`` when the line is not one."""
    line = fold(text)
    if not line or len(line) > MAX_LENGTH:
        return None
    m = _BYLINE.fullmatch(line)
    if m is None:
        m = _AUTHOR_LINE.fullmatch(line)
        if m is not None:
            author = _name(m.group("author1"), True)
            return Byline(author=author, categories=_categories(m)) if author else None
        m = _BARE_AUTHOR_LINE.fullmatch(line)
        if m is not None:
            author = _name(m.group("author1"), False)  # written as a name: capitalised words
            return Byline(author=author, bare=True) if author else None
        return None
    g = m.groupdict()
    found = _date_of(g)
    if found is None:
        return None
    names, authors = [], []
    for n, said in (("1", g["by1"]), ("2", g["by2"] or g["by3"] or g["by4"])):
        if g[f"author{n}"] is not None:
            name = _name(g[f"author{n}"], said is not None)
            if name is None:
                return None  # a word that is no part of a byline: a sentence, a title
            names.append(name)
            if said is not None:
                authors.append(name)
    if len(names) > 1:
        return None
    # a name beside the date with no "by"/"von" before it is the byline's, but whose is
    # not said: themes print the category there as often as the author ("Reisen |
    # 3. März 2020"), so it is no author
    return Byline(found, authors[0] if authors else None, _categories(m))


def _categories(m: re.Match) -> tuple[str, ...]:
    value = m.group("categories")
    if not value:
        return ()
    return tuple(c.strip(" .") for c in _CATEGORY_SPLIT.split(value.strip()) if c.strip(" ."))


def parse_date_line(text: str) -> date | None:
    """The date of a line that holds nothing but a date (in a byline's words), else ``None``."""
    b = parse_byline(text)
    return b.date if b is not None and b.author is None and not b.categories else None
