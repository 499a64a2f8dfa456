"""Site-wide learning: lines outside the article on half of a site's pages → a proposed profile."""

from __future__ import annotations

import tomllib

from wpmigrate.clean.files import clean_paths
from wpmigrate.clean.learn import LearnedLine, SiteLearner, learn_site_profile, profile_name, profile_toml
from wpmigrate.clean.profiles import load_profiles, parse_profile
from wpmigrate.clean.text import clean_text


def page(i: int, footer: bool = True, header: str = "Gartenfreunde – der Blog") -> str:
    text = (
        f"{header}\n\n"
        f"Beitrag Nummer {i}\n\n"
        f"Das ist der erste Absatz von Beitrag {i}, mit genug Worten, um als Prosa zu zählen, ganz sicher.\n\n"
        f"Folge uns auf Instagram, wenn dir die Beiträge gefallen, dort gibt es jeden Tag neue Bilder.\n\n"
        f"Ein zweiter Absatz für Beitrag {i}, damit der Artikel nicht zu kurz ausfällt, mit Punkt am Ende.\n\n"
    )
    if footer:
        text += "Folge uns auf Instagram\n\n© 2024 Gartenfreunde e.V.\n"
    return text


def test_lines_on_half_the_pages_are_proposed():
    toml = learn_site_profile([page(1), page(2), page(3, footer=False), page(4, footer=False)], name="garten")
    data = tomllib.loads(toml)
    texts = {r["text"]: r for r in data["rule"]}
    # on 2 of 4 pages: exactly half is enough
    assert texts["Folge uns auf Instagram"]["zone"] == "tail"
    assert texts["© 2024 Gartenfreunde e.V."]["zone"] == "tail"
    # the same "title" on every page is the site's name
    assert texts["Gartenfreunde – der Blog"]["zone"] == "head"
    assert texts["Gartenfreunde – der Blog"]["reason"] == "repeated outside the article or at its edge on 4 of 4 pages"
    # the page titles differ, the prose is the article's: never proposed
    assert not any(t.startswith("Beitrag Nummer") or "Absatz" in t for t in texts)
    # the running-text paragraph that starts like the footer line is prose: not proposed
    assert not any(t.startswith("Folge uns auf Instagram, wenn") for t in texts)
    assert [r["id"] for r in data["rule"]] == [f"garten.learned-{n:03d}" for n in range(1, len(data["rule"]) + 1)]


def test_below_half_is_not_proposed():
    toml = learn_site_profile([page(1), page(2, footer=False), page(3, footer=False)], name="garten")
    data = tomllib.loads(toml)
    assert "Folge uns auf Instagram" not in {r["text"] for r in data.get("rule", [])}


def test_one_page_proposes_nothing():
    data = tomllib.loads(learn_site_profile([page(1)]))
    assert data.get("rule", []) == []


def test_a_line_repeated_on_one_page_counts_once():
    learner = SiteLearner()
    learner.add_page([("Menü", "head"), ("Menü", "tail")])
    learner.add_page([])
    learner.add_page([])
    assert learner.proposals() == []
    learner.add_page([("Menü", "tail")])
    assert learner.proposals() == [LearnedLine("Menü", "anywhere", 2)]


def test_proposed_profile_loads_and_cleans(tmp_path):
    path = tmp_path / "garten.toml"
    path.write_text(learn_site_profile([page(i) for i in range(1, 5)], name="garten"), encoding="utf-8")
    profiles = load_profiles([path])
    assert "garten" in profiles.names
    r = clean_text(page(7), profiles)
    assert r.metadata["title"] == "Beitrag Nummer 7"
    assert "© 2024" not in r.markdown and "Folge uns auf Instagram\n" not in r.markdown
    assert "Folge uns auf Instagram, wenn dir die Beiträge gefallen" in r.markdown
    assert {x.profile for x in r.removed if x.action == "removed"} == {"garten"}


def test_toml_escaping_and_names():
    lines = [LearnedLine('Quote " and \\ backslash\ttab', "tail", 3), LearnedLine("Ünïcode ✓", "head", 2)]
    text = profile_toml(lines, "my-site", 4)
    ps = parse_profile(text, "my-site.toml")
    assert [r.exact for r in ps.text_rules] == ['Quote " and \\ backslash tab', "Ünïcode ✓"]
    assert profile_name("out/My Site.toml") == "my-site"
    assert profile_name("zeen.toml") == "zeen-site"  # never a bundled profile's name
    assert profile_name("@@@.toml") == "site"


def test_markdown_pages():
    docs = [f"---\ntitle: {i}\n---\n\n{page(i)}" for i in range(1, 4)]
    data = tomllib.loads(learn_site_profile(docs, markdown=True))
    assert "© 2024 Gartenfreunde e.V." in {r["text"] for r in data["rule"]}


def test_a_disclaimer_paragraph_under_every_post_is_proposed():
    disclaimer = (
        "Dieser Beitrag enthält Affiliate-Links. Wenn du über einen dieser Links etwas kaufst, "
        "erhalten wir eine kleine Provision, für dich ändert sich am Preis nichts."
    )
    pages = []
    for i in range(3):
        body = " ".join(["Wort"] * 10)
        pages.append(
            f"Titel {i}\n\n"
            + "\n\n".join(f"Absatz {j} von Seite {i}: {body} und noch mehr Text, der zählt." for j in range(6))
            # the share row, the tags, the post navigation and the comment form come between
            + "\n\n"
            + "\n\n".join(
                [
                    "Teilen",
                    "Facebook",
                    "X",
                    "E-Mail",
                    "Schlagwörter",
                    "Garten",
                    "Kompost",
                    "Zurück",
                    "Weiter",
                    "Kommentare",
                    "Name",
                    "Senden",
                ]
            )
            + f"\n\n{disclaimer}\n"
        )
    data = tomllib.loads(learn_site_profile(pages))
    assert disclaimer in {r["text"] for r in data["rule"]}
    assert not any(r["text"].startswith("Absatz") for r in data["rule"])


def test_a_block_repeated_at_the_end_of_every_article_is_proposed(tmp_path):
    # a donation appeal inside each post's content, after its last paragraph: prose, but
    # the same block at the same place on every page is the site's
    prose = "Der Herbst kam früh in diesem Jahr, und mit ihm die ersten kalten Nächte über dem Tal. "
    appeal = "Dieser Blog ist werbefrei. Wenn er euch gefällt, freut uns eine kleine Spende auf Steady."
    for i in range(4):
        (tmp_path / f"p{i}.html").write_text(
            f"<!DOCTYPE html><html><head><title>Beitrag {i}</title></head><body><article class='post'>"
            f"<h1>Beitrag {i}</h1><div class='entry-content'><p>{prose * 2} Nummer {i}.</p><p>Thema {i}: {prose}</p>"
            f"<h4>Unterstützt uns</h4><p>{appeal}</p></div></article></body></html>",
            encoding="utf-8",
        )
    learned = tmp_path / "site.toml"
    clean_paths([tmp_path], learn=learned)
    texts = {r["text"]: r["zone"] for r in tomllib.loads(learned.read_text(encoding="utf-8"))["rule"]}
    assert texts == {appeal: "tail", "Unterstützt uns": "tail"}  # the posts' own paragraphs differ
    cleaned = clean_paths([tmp_path / "p1.html"], profiles=[learned])
    assert "Steady" not in cleaned.output and "Nummer 1" in cleaned.output
