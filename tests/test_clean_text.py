"""Scraped page text → clean Markdown (wpmigrate.clean.text.clean_text)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import corpus
from tests.casefiles import load_case
from wpmigrate.clean.files import clean_document
from wpmigrate.clean.profiles import load_profiles, parse_profile
from wpmigrate.clean.text import clean_text, is_heading_like, is_prose, split_units

GOLDEN = Path(__file__).parent / "golden" / "clean"


def seed_text() -> str:
    """The scraped seed page (data written by others, read from the shared folder)."""
    return corpus.read_text(corpus.SEED)


ARTICLE_STARTS = [
    "… mit Auftrag!“ Normalerweise machen so Selbstständige",
    "Ne, ist klar, lief zu gut.",
    "Erst einmal rutscht mir das Herz in die Hose.",
    "Dann kommt die Phase der Schuldverschiebung.",
    "Aber es gibt ja auch noch die Chance, den Fehler zu beheben.",
    "Meine Tipps, wenn’s mit dem Kunden mal nicht rund läuft:",
    "Wie sind Euere Erfahrungen mit der Selbstständigkeit?",
    "Übrigens …: Danke, für 11 Facebook-Shares",
]
BOILERPLATE = [
    "DU WILLST MEHR VOM WAHNSINNSLEBEN?",
    "TRAG DICH JETZT IN DEN NEWSLETTER EIN",
    "Wir senden keinen Spam!",
    "Zeen is a next generation WordPress theme",
    "Top Reviews",
    "Jana, Behr, Heldin, Alltag",
]


@pytest.fixture(scope="module")
def seed():
    return clean_text(seed_text())


# --- the seed ---------------------------------------------------------------------


def test_seed_golden(update_goldens):
    """The seed → the committed, hand-checked Markdown document (front matter + body)."""
    document = clean_document(seed_text(), "text").markdown
    golden = GOLDEN / "scraped-zeen-de.md"
    if update_goldens:
        golden.write_text(document, encoding="utf-8")
    assert document == golden.read_text(encoding="utf-8")


def test_seed_metadata(seed):
    assert seed.metadata["tags"] == ["Jana", "Behr", "Heldin", "Alltag"]
    # the title is split over the heading and the first line of the excerpt
    assert seed.metadata["title"] == "„Kunde droht … mit Auftrag!“"


def test_seed_front_matter_parses():
    document = clean_document(seed_text(), "text").markdown
    assert document.startswith("---\n")
    fields = yaml.safe_load(document.split("---\n")[1])
    assert fields == {"title": "„Kunde droht … mit Auftrag!“", "tags": ["Jana", "Behr", "Heldin", "Alltag"]}


@pytest.mark.parametrize("start", ARTICLE_STARTS)
def test_seed_every_paragraph_once(seed, start):
    assert seed.markdown.count(start) == 1


def test_seed_excerpt_collapsed_into_body(seed):
    # the excerpt printed above the article is the article's first sentence: it is there once
    assert seed.markdown.count("Normalerweise machen so Selbstständige Witze darüber") == 1
    teaser = [r for r in seed.removed if r.rule == "structure.teaser"]
    assert len(teaser) == 1 and teaser[0].line_start == 6


def test_seed_list_is_markdown_list(seed):
    items = [line for line in seed.markdown.splitlines() if line.startswith("- ")]
    assert items == [
        "- Erst einmal tief durchatmen!",
        "- In Ruhe herausfinden, was nicht richtig geklappt hat!",
        "- Keine Schuldzuweisungen!",
        "- Der Kunde ist nicht unser Feind, sondern der, der unsere High Heels bezahlt!",
        "- Wenn es mal nicht mehr rund läuft, frage dich, ob es tatsächlich der Weltuntergang ist oder ein Zeichen, dass es Zeit ist, weiter zu ziehen!",
    ]
    assert "•" not in seed.markdown
    # the list intro (ending in ":") is its own paragraph right before the list
    assert "Meine Tipps, wenn’s mit dem Kunden mal nicht rund läuft:\n\n- Erst einmal" in seed.markdown


@pytest.mark.parametrize("needle", BOILERPLATE)
def test_seed_no_boilerplate(seed, needle):
    assert needle not in seed.markdown


def test_seed_must_keep(seed):
    # the author's note, the paragraph ending in an ellipsis and the closing questions
    assert "Übrigens …: Danke, für 11 Facebook-Shares" in seed.markdown
    assert "Geht schließlich um Kommunikation …\n" in seed.markdown
    assert "Was macht ihr, wenn der Kunde mal anders will als ihr?" in seed.markdown
    assert seed.markdown.endswith("Ich freue mich darüber sehr! 😉\n")


def test_seed_every_decision_names_rule_and_reason(seed):
    assert not seed.needs_review
    for r in seed.removed:
        assert r.rule and r.profile and r.reason and r.text and r.line_start
    rules = {r.text[:20]: r.rule for r in seed.removed}
    assert rules["Wir senden keinen Sp"] == "newsletters.no-spam"
    assert rules["Zeen is a next gener"] == "zeen.promo-text"
    assert rules["DU WILLST MEHR VOM W"] == "structure.block-heading"
    actions = {r.rule: r.action for r in seed.removed}
    assert actions["structure.taxonomy-line"] == "metadata"
    assert actions["structure.title"] == "metadata"


def test_seed_idempotent(seed):
    again = clean_text(seed.markdown)
    assert again.markdown == seed.markdown
    assert not [r for r in again.removed if r.action == "removed"]


def test_seed_without_profiles_only_structure_applies():
    # no profile: the boilerplate stays (only rules delete it), the structural decisions remain
    r = clean_text(seed_text(), load_profiles(["none"]))
    for needle in BOILERPLATE[:-1]:
        assert needle in r.markdown
    assert r.metadata["tags"] == ["Jana", "Behr", "Heldin", "Alltag"]
    assert {x.rule for x in r.removed} == {"structure.taxonomy-line", "structure.title", "structure.teaser"}


def test_tail_zone_starts_after_the_last_unclaimed_prose():
    # without the Zeen profile its promo paragraph is the article's last prose, so the
    # newsletter lines before it are not in the tail and stay
    r = clean_text(seed_text(), load_profiles(["newsletters"]))
    assert "Zeen is a next generation WordPress theme" in r.markdown
    assert "Wir senden keinen Spam!" in r.markdown


# --- spec-style cases ----------------------------------------------------------------

CASES = sorted((GOLDEN / "text").glob("*.case"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_text_cases(path, update_goldens):
    case = load_case(path)
    document = clean_document(case.input + "\n", "text").markdown
    if update_goldens:
        case.write_expected(document.rstrip("\n"))
        return
    assert document == case.expected + "\n"


# --- must keep ----------------------------------------------------------------------

PLAIN_PAGE = """Wie ich lernte, den Garten zu lieben

Es begann im Frühjahr, als die ersten Tulpen durch den nassen Boden brachen und ich endlich Zeit hatte.

Ich las jeden Abend, grub jeden Morgen und notierte, was wuchs und was nicht, in einem kleinen Heft.

Was ich brauchte:

• einen Spaten
• zwei Eimer
• viel Geduld

Am Ende des Sommers war aus dem Brachland ein Garten geworden, und ich wusste, dass ich bleiben würde …

Danke fürs Lesen!
"""


def test_page_without_boilerplate_keeps_every_line():
    r = clean_text(PLAIN_PAGE)
    document = clean_document(PLAIN_PAGE, "text").markdown
    for line in PLAIN_PAGE.splitlines():
        text = line.strip().lstrip("• ").strip()
        if text:
            assert text in document, text
    assert not [x for x in r.removed if x.action == "removed"]
    assert r.metadata == {"title": "Wie ich lernte, den Garten zu lieben"}


@pytest.mark.parametrize(
    "paragraph",
    [
        "Ich habe heute den Newsletter von Anna gelesen und möchte euch erzählen, warum er mir so gut gefällt.",
        "If you found this useful, share it with a friend who is starting out with a garden of their own this spring.",
        "Share prices fell sharply after the announcement, and the newsletter industry took note of it.",
        "Subscribers of our newsletter already know the story, but here it is again for everybody else.",
    ],
)
def test_running_text_about_newsletters_and_sharing_is_kept(paragraph):
    page = f"Titel\n\n{PLAIN_PAGE.split(chr(10), 2)[2]}\n{paragraph}\n"
    r = clean_text(page)
    assert paragraph in r.markdown


def test_refrain_inside_the_article_is_not_taxonomy():
    page = (
        "Das Lied vom Regen und vom Wind, das wir als Kinder sangen, geht so, und es geht noch weiter.\n\n"
        "Regen und Wind\n\n"
        "Der Regen fällt auf unser Dach, und niemand weiß so recht, wohin das Wasser dann geht.\n\n"
        "Regen und Wind\n\n"
        "Der Wind weht über jedes Feld, und alle Blätter tanzen mit ihm bis in den Abend hinein.\n"
    )
    r = clean_text(page)
    assert r.markdown.count("Regen und Wind\n") == 2
    assert "tags" not in r.metadata


def test_breadcrumb_line_becomes_metadata():
    page = (
        "Start » Blog » Reisen\n\n"
        "Nach Lissabon\n\n"
        "Wir kamen spät an, die Stadt lag schon im Dunkeln, aber die Straßenbahn fuhr noch bis zum Hafen hinunter.\n\n"
        "Start » Blog » Reisen\n"
    )
    r = clean_text(page)
    assert r.metadata["breadcrumb"] == ["Start", "Blog", "Reisen"]
    assert r.metadata["title"] == "Nach Lissabon"
    assert "Start » Blog" not in r.markdown


def test_teaser_with_excerpt_more_marker_is_dropped():
    body = (
        "Die Stadt lag schon im Dunkeln, als wir ankamen, aber die Straßenbahn fuhr noch bis zum Hafen. "
        "Wir stiegen ein und fuhren bis zur Endstation."
    )
    page = f"Nach Lissabon\n\nDie Stadt lag schon im Dunkeln, als wir ankamen, aber die Straßenbahn […]\n\n{body}\n"
    r = clean_text(page)
    assert r.markdown == body + "\n"
    assert [x.rule for x in r.removed if x.action == "removed"] == ["structure.teaser"]


def test_short_prefix_is_not_a_teaser():
    page = (
        "Eins zwei drei\n\nEins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn.\n"
    )
    r = clean_text(page)
    assert not [x for x in r.removed if x.rule == "structure.teaser"]


def test_closing_question_before_a_newsletter_box_is_flagged_not_removed():
    page = (
        "Ein langer Absatz über den Garten, mit vielen Worten und einem Punkt am Ende, damit er Prosa ist.\n\n"
        "Was meint ihr?\n\n"
        "Trag dich in unseren Newsletter ein!\n"
    )
    r = clean_text(page)
    assert "Was meint ihr?" in r.markdown
    assert "Newsletter" not in r.markdown
    assert any(f.text == "Was meint ihr?" and f.action == "flagged" for f in r.flagged)


def test_nested_bullets():
    page = "Liste:\n\n  • eins\n      ◦ eins a\n      ◦ eins b\n  • zwei\n"
    r = clean_text(page)
    assert r.markdown == "Liste:\n\n- eins\n  - eins a\n  - eins b\n- zwei\n"


def test_lines_without_blank_lines_become_paragraphs():
    page = "Erste Zeile eines Textes ohne Leerzeilen dazwischen, wie sie manche Extraktoren schreiben.\nZweite Zeile, ebenso lang und ebenso ohne Leerzeile, bis zum Ende des Textes hin.\n"
    r = clean_text(page)
    assert r.markdown == page.replace(".\nZweite", ".\n\nZweite")


# --- the over-removal breaker ------------------------------------------------------------

GREEDY = """
schema = 1
name = "greedy"
[[rule]]
id = "greedy.everything"
reason = "a careless user rule"
pattern = '(?i).*\\bund\\b.*'
zone = "anywhere"
"""


def test_breaker_keeps_everything_and_asks_for_review():
    page = PLAIN_PAGE
    r = clean_text(page, parse_profile(GREEDY, "greedy.toml"))
    assert r.needs_review
    assert r.flagged[0].action == "needs-review" and r.flagged[0].rule == "structure.over-removal"
    assert not [x for x in r.removed if x.action == "removed" and x.rule.startswith("greedy")]
    assert "Es begann im Frühjahr" in r.markdown and "Ich las jeden Abend" in r.markdown
    assert any(f.rule == "greedy.everything" and f.action == "flagged" for f in r.flagged)
    assert clean_text(r.markdown, parse_profile(GREEDY, "greedy.toml")).markdown == r.markdown


# --- hostile input ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n\n", " \u00a0 \n\t\n", "\ufeff", "\x00\x01\x02"])
def test_empty_and_blank(text):
    r = clean_text(text)
    assert r.markdown.strip() == "" or r.markdown == "\x00\x01\x02"
    assert r.metadata == {}


def test_huge_line_is_fast():
    line = ("Wort " * 200_000).strip() + "."
    r = clean_text(f"Titel\n\n{line}\n")
    assert r.markdown == line + "\n"


def test_many_lines_are_fast():
    page = "\n\n".join(
        f"Absatz {i} mit genug Worten, damit er als Prosa zählt, und einem Punkt am Ende." for i in range(5000)
    )
    r = clean_text(page)
    assert r.markdown.count("Absatz") == 5000


def test_classifiers():
    assert is_prose("Das ist ein ganz normaler Satz mit einem Punkt am Ende.")
    assert not is_prose("Top Reviews")
    assert is_heading_like("„Kunde droht …")
    assert is_heading_like("Kunde droht ...")
    assert not is_heading_like("Meine Tipps:")
    assert [u.kind for u in split_units("# Titel\n\n• a\n1. b\ntext")] == ["heading", "item", "item", "para"]


# --- idempotency (hypothesis) ------------------------------------------------------------

_WORDS = [
    "Jana",
    "Garten",
    "und",
    "der",
    "Newsletter",
    "Share",
    "Teilen",
    "mit",
    "Kunde",
    "droht",
    "Top",
    "Reviews",
    "Wir",
    "senden",
    "keinen",
    "Spam!",
    "…",
    "...",
    "„Zitat“",
    "ist",
    "schön.",
    "gut!",
    "warum?",
    "Alltag,",
    "Heldin",
    "x",
    "1.",
    "-",
    "•",
    "#",
    "»",
    "Related",
    "Like",
    "this:",
    "[…]",
    "Oktober",
    "2021",
    "14.",
]
_line = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=22).map(" ".join)
_prefix = st.sampled_from(["", "", "", "  • ", "• ", "    ◦ ", "- ", "1. ", "7. ", "14. ", "## ", "  "])
_block = st.tuples(_prefix, _line).map("".join)
_page = st.lists(st.tuples(_block, st.sampled_from(["\n", "\n\n", "\n \n"])), max_size=25).map(
    lambda parts: "".join(b + sep for b, sep in parts)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page)
def test_idempotent_on_generated_pages(page):
    once = clean_text(page).markdown
    assert clean_text(once).markdown == once


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_idempotent_on_any_text(text):
    once = clean_text(text).markdown
    assert clean_text(once).markdown == once


# --- whole scraped pages: menus, sticky headers ----------------------------------------------

FULL_PAGE = """Zum Inhalt springen
• Startseite
• Rezepte
• Warum wir alle mehr Gemüse essen sollten, sagt eine neue Studie.
• Über uns
Suche
Wird gerade gelesen
Brot backen mit Sauerteig: so gelingt es
Rezepte
Brot backen mit Sauerteig: so gelingt es
Sauerteig braucht Zeit, Wärme und ein wenig Aufmerksamkeit, dann wird das Brot locker und aromatisch.
Am Abend vorher wird der Vorteig angesetzt, am Morgen kommt der Rest dazu, und mittags ist der Laib im Ofen.
Rezepte
© 2024 Backstube
"""


def test_full_page_title_printed_twice_wins_over_menu():
    r = clean_text(FULL_PAGE)
    assert r.metadata["title"] == "Brot backen mit Sauerteig: so gelingt es"
    assert "Brot backen mit Sauerteig" not in r.markdown  # the sticky header's copy goes as a repeat
    assert r.metadata["tags"] == ["Rezepte"]
    assert "Sauerteig braucht Zeit" in r.markdown and "Am Abend vorher" in r.markdown
    assert "Warum wir alle mehr Gemüse essen sollten" in r.markdown  # heuristics never delete


def test_article_span_skips_sentence_like_menu_entries():
    from wpmigrate.clean.text import article_span

    units = split_units(FULL_PAGE)
    prose = [is_prose(u.text) for u in units]
    first, last = article_span(units, prose)
    assert units[first].text.startswith("Sauerteig braucht Zeit")
    assert units[last].text.startswith("Am Abend vorher")
    assert prose[3]  # the menu entry reads like a sentence, but stands among short lines


def test_repeated_long_line_is_not_a_tag():
    page = (
        "Ein sehr langer Titel ohne Satzzeichen am Ende\n\n"
        "Der erste Absatz des Artikels ist lang genug, um als Prosa zu gelten, und endet mit Punkt.\n\n"
        "Ein sehr langer Titel ohne Satzzeichen am Ende\n"
    )
    r = clean_text(page)
    assert "tags" not in r.metadata
    assert r.metadata["title"] == "Ein sehr langer Titel ohne Satzzeichen am Ende"
    assert r.markdown == "Der erste Absatz des Artikels ist lang genug, um als Prosa zu gelten, und endet mit Punkt.\n"


@pytest.mark.parametrize("marker", [" […]", "…", " … Weiterlesen »", "... Continue reading →", " Read more"])
def test_teaser_markers(marker):
    body = "Wir kamen spät an, die Stadt lag schon im Dunkeln, aber die Straßenbahn fuhr noch bis zum Hafen."
    page = f"Nach Lissabon\n\nWir kamen spät an, die Stadt lag schon im Dunkeln{marker}\n\n{body}\n"
    assert clean_text(page).markdown == body + "\n"


def test_paragraph_ending_in_more_is_not_a_teaser():
    # "mehr" is only a read-more marker with an arrow after it: here it is the author's word
    first = "Wir alle sollten viel öfter draußen sein und mehr"
    later = "Wir alle sollten viel öfter draußen sein und weniger am Telefon, sagte sie, und ging."
    r = clean_text(f"Titel\n\n{first}\n\n{later}\n")
    assert first in r.markdown and later in r.markdown


# --- heuristics never delete (hypothesis) ------------------------------------------------------

_PLAIN_WORDS = [
    "Garten",
    "Regen",
    "und",
    "der",
    "die",
    "Kompost",
    "wächst",
    "heute",
    "sehr",
    "schön.",
    "gut!",
    "warum?",
    "Beet,",
    "Erde",
    "…",
    "Sonne:",
    "„Zitat“",
    "viel",
    "Wasser",
    "im",
    "Sommer",
]


@st.composite
def _plain_page(draw):
    n = draw(st.integers(min_value=1, max_value=14))
    lines = []
    for i in range(n):
        words = draw(st.lists(st.sampled_from(_PLAIN_WORDS), min_size=0, max_size=20))
        prefix = draw(st.sampled_from(["", "", "• ", "  • "]))
        lines.append(prefix + " ".join([f"Z{i}x", *words]))  # unique first word: no line repeats or starts another
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n"]), min_size=n, max_size=n))
    return "".join(line + sep for line, sep in zip(lines, seps)), lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_plain_page())
def test_a_page_without_boilerplate_keeps_every_line(generated):
    page, lines = generated
    document = clean_document(page, "text").markdown
    fields, body = {}, document
    if document.startswith("---\n"):
        head, body = document[4:].split("\n---\n", 1)
        fields = yaml.safe_load(head)
    for line in lines:
        text = " ".join(line.replace("•", " ").split())
        assert text == fields.get("title") or text in " ".join(body.split()), text


@pytest.mark.parametrize(
    "line, expected",
    [
        ("14. Oktober 2021", "2021-10-14"),
        ("·14. Oktober 2021", "2021-10-14"),
        ("Posted on October 3, 2019", "2019-10-03"),
        ("Veröffentlicht am 3. März 2020", "2020-03-03"),
        ("2021-10-14", "2021-10-14"),
        ("14.10.2021", "2021-10-14"),
    ],
)
def test_byline_date_becomes_metadata(line, expected):
    page = f"Nach Lissabon\n\n{line}\n\nWir kamen spät an, die Stadt lag schon im Dunkeln, aber die Bahn fuhr noch.\n"
    r = clean_text(page)
    assert str(r.metadata["date"]) == expected and r.metadata["title"] == "Nach Lissabon"
    assert r.markdown == "Wir kamen spät an, die Stadt lag schon im Dunkeln, aber die Bahn fuhr noch.\n"
    document = clean_document(page, "text").markdown
    assert f"date: {expected}\n" in document  # a YAML date, not a string


BYLINES = [
    ("Posted on March 3, 2021 by Anna", "2021-03-03", "Anna"),
    ("Veröffentlicht am 3. März 2020 von Jana", "2020-03-03", "Jana"),
    ("By Anna · March 3, 2021", "2021-03-03", "Anna"),
    # a name beside the date without "by"/"von" is no author: it is as often the category
    ("Reisen | 3. März 2020", "2020-03-03", None),
    ("Von Jana | 3. März 2020", "2020-03-03", "Jana"),
    ("Published on 3 Mar 2021 — Anna Lee", "2021-03-03", None),
    ("Published on 3 Mar 2021 — by Anna Lee", "2021-03-03", "Anna Lee"),
    ("Geschrieben am 03.03.2021 von admin", "2021-03-03", "admin"),
    ("Von Jana Behr, 3. Mär. 2020", "2020-03-03", "Jana Behr"),
    ("Autor: Jana Behr", None, "Jana Behr"),
    ("2021-03-03 · by Anna von Berg", "2021-03-03", "Anna von Berg"),
    ("March 14, 2021 – Anna", "2021-03-14", None),
    ("14/3/2021 by Anna", "2021-03-14", "Anna"),
    ("Mittwoch, 3. März 2021 um 10:15 Uhr", "2021-03-03", None),
    ("Nov 19th, 2019 at 8:40 AM · 4 Comments", "2019-11-19", None),
]


@pytest.mark.parametrize("line, day, author", BYLINES)
def test_byline_becomes_date_and_author(line, day, author):
    paragraph = "Wir kamen spät an, die Stadt lag schon im Dunkeln, aber die Bahn fuhr noch.\n"
    for page in (f"Nach Lissabon\n\n{line}\n\n{paragraph}", f"{line}\n\nNach Lissabon\n\n{paragraph}"):
        r = clean_text(page)
        assert r.markdown == paragraph, page  # not a "## heading", not left in the text
        assert r.metadata["title"] == "Nach Lissabon"
        assert str(r.metadata.get("date")) == str(day) if day else "date" not in r.metadata
        assert r.metadata.get("author") == author
        document = clean_document(page, "text").markdown
        if day:
            assert f"date: {day}\n" in document  # ISO, a YAML date
        if author:
            assert f"author: {author}\n" in document
    # must keep: the same line inside the article is the article's
    page = f"Nach Lissabon\n\n{paragraph}\n{line}\n\n{paragraph.replace('spät', 'früh')}"
    r = clean_text(page)
    assert "author" not in r.metadata and "date" not in r.metadata
    assert f"\n{line}\n" in r.markdown


@pytest.mark.parametrize(
    "line",
    [
        "Am 3. März 2021 kam Anna zu uns, von Berlin aus.",
        "Photos by Anna · March 3, 2021",
        "By The Sea",
        "Von Kopf bis Fuß",
        "3/4/2021",
        "31.02.2021",
        "Anna von | 3. März 2020",
        "March 3, 2021 - Berlin bei Nacht, eine Fotostrecke",
    ],
)
def test_lines_that_are_no_byline(line):
    from wpmigrate.clean.byline import parse_byline

    found = parse_byline(line)
    # "By The Sea" reads as an author only below a title (see the byline-twins case)
    assert found is None or (found.bare and found.date is None)


def test_a_byline_far_above_the_article_is_not_taken():
    # dates of teaser cards in the header, far above the title: another post's
    menu = "".join(f"Menüpunkt {n}\n" for n in range(8))
    page = f"Posted on March 3, 2021 by Anna\n{menu}\nNach Lissabon\n\nWir kamen spät an, die Stadt lag schon im Dunkeln, aber die Bahn fuhr noch.\n"
    r = clean_text(page)
    assert "author" not in r.metadata and "Posted on March 3, 2021 by Anna" in r.markdown


def test_of_two_dates_the_earlier_is_the_date_the_later_the_update():
    page = (
        "Nach Lissabon\n\nAktualisiert am 5. März 2021\n\nVeröffentlicht am 3. März 2020 von Jana\n\n"
        "Wir kamen spät an, die Stadt lag schon im Dunkeln, aber die Bahn fuhr noch.\n"
    )
    r = clean_text(page)
    assert (str(r.metadata["date"]), str(r.metadata["updated"]), r.metadata["author"]) == (
        "2020-03-03",
        "2021-03-05",
        "Jana",
    )


def test_date_inside_the_article_stays():
    page = (
        "Titel\n\nDer erste Absatz ist lang genug, um als Prosa zu gelten, mit Punkt am Ende.\n\n14. Oktober 2021\n\n"
        "Der zweite Absatz ist ebenfalls lang genug, um als Prosa zu gelten, mit Punkt.\n"
    )
    r = clean_text(page)
    assert "date" not in r.metadata and "\n14\\. Oktober 2021\n" in r.markdown  # escaped: not a list item
