"""``clean --learn`` on a folder of one site's HTML pages: blocks at the same place in most
articles (wpmigrate.clean.blocks), beside the repeated lines of wpmigrate.clean.learn."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from wpmigrate.clean.blocks import LINKS, shape_of
from wpmigrate.clean.files import clean_paths
from wpmigrate.clean.profiles import ProfileError, parse_profile
from wpmigrate.document import Document

# six posts of one garden blog, each with its own text
ARTICLES = [
    (
        "Tomaten ausgeizen",
        [
            "Wer Tomaten im Kübel zieht, kennt das Problem: aus jeder Blattachsel wächst ein neuer Trieb.",
            "Diese Geiztriebe nehmen der Pflanze Kraft, die sie eigentlich für die Früchte braucht.",
            "Ich breche sie morgens ab, wenn die Stängel noch prall und leicht zu knicken sind.",
            "Nach drei Wochen war der Unterschied deutlich: größere Früchte, weniger Blattwerk, mehr Luft.",
        ],
    ),
    (
        "Kompost im Winter",
        [
            "Auch wenn es draußen friert, arbeitet es im Inneren eines gut gesetzten Komposthaufens weiter.",
            "Eine Decke aus Laub und ein Brett obendrauf halten die Wärme erstaunlich lange im Haufen.",
            "Küchenabfälle sammle ich in dieser Zeit in einem Eimer mit Deckel neben der Haustür.",
            "Im März setze ich den Haufen um und staune jedes Jahr, wie viel Erde daraus geworden ist.",
        ],
    ),
    (
        "Schnecken ohne Gift",
        [
            "Nach dem verregneten Mai waren die Salatbeete über Nacht bis auf die Strünke abgefressen.",
            "Bierfallen locken leider auch die Schnecken aus den Nachbargärten zu uns herüber.",
            "Geholfen hat ein Schneckenzaun aus Blech und das abendliche Absammeln mit der Taschenlampe.",
            "Seit die Laufenten der Nachbarin zu Besuch kommen, ist das Problem fast verschwunden.",
        ],
    ),
    (
        "Hochbeet aus Lärchenholz",
        [
            "Das alte Hochbeet aus Fichte war nach sechs Jahren morsch und ist im Herbst zerfallen.",
            "Für das neue haben wir unbehandelte Lärche genommen, die ohne Anstrich lange hält.",
            "Unten liegen Äste und grober Schnitt, darüber Laub, halbreifer Kompost und gute Erde.",
            "Die ersten Radieschen waren nach vier Wochen so groß wie Tischtennisbälle.",
        ],
    ),
    (
        "Wildblumen für Bienen",
        [
            "Statt Rasen wächst hinter dem Schuppen jetzt eine kleine Wiese aus heimischen Wildblumen.",
            "Der Boden musste dafür mager werden, also haben wir die Grasnarbe abgetragen und Sand eingearbeitet.",
            "Im ersten Jahr blühte vor allem Klatschmohn, im zweiten kamen Margeriten und Wiesensalbei dazu.",
            "An warmen Tagen summt es dort so laut, dass man es schon vom Gartentor aus hört.",
        ],
    ),
    (
        "Regenwasser sammeln",
        [
            "Ein Fallrohr, eine Regenklappe und zwei Tonnen: mehr braucht es nicht für das Gießwasser des Sommers.",
            "Die Tonnen stehen auf Steinen, damit die Gießkanne unter den Hahn passt.",
            "Weiches Regenwasser mögen vor allem Rhododendren und die Heidelbeeren im Moorbeet.",
            "In trockenen Wochen reicht der Vorrat trotzdem nur für etwa zehn Tage.",
        ],
    ),
]

LEAD = "Aus unserem Gartentagebuch:"
#: the shop's promo under every post, for a product that fits the post
PROMO = ("Passend zum Beitrag in unserem Laden:", "– alles aus eigenem Anbau, versandkostenfrei ab 20 Euro.")
PRODUCTS = [
    "Tomatensamen Ochsenherz",
    "Kompostthermometer",
    "Kupferband",
    "Lärchenbretter",
    "Wiesensaat",
    "Regentonne",
]


def page(n: int, *, site: str = "Gartenglück", host: str = "gartenglueck.example", lead: str = LEAD) -> str:
    title, paragraphs = ARTICLES[n % len(ARTICLES)]
    others = [ARTICLES[(n + k) % len(ARTICLES)][0] for k in (1, 2, 3)][: 2 + n % 2]  # two or three links
    links = "".join(f'<li><a href="https://{host}/{i}/">{t}</a></li>' for i, t in enumerate(others, start=n))
    body = "".join(f"<p>{p}</p>" for p in paragraphs[:2])
    body += f"<p><strong>{lead}</strong></p><ul>{links}</ul>"
    body += "".join(f"<p>{p}</p>" for p in paragraphs[2:])
    product = f'<a href="https://{host}/laden/{n}/">{PRODUCTS[n % len(PRODUCTS)]}</a>'
    body += f'<div class="shop-hinweis"><p>{PROMO[0]} {product} {PROMO[1]}</p></div>'
    return (
        "<!DOCTYPE html><html lang='de'><head>"
        f"<title>{title} – {site}</title><meta property='og:site_name' content='{site}'>"
        f"<link rel='canonical' href='https://{host}/{n}/'></head><body>"
        f"<header><a href='/'>{site}</a><nav><a href='/a'>Beete</a> <a href='/b'>Obst</a></nav></header>"
        f"<main><article class='post post-{n} hentry'><h1 class='entry-title'>{title}</h1>"
        f"<div class='entry-content'>{body}</div></article></main>"
        "<footer><p>© 2024 Gartenglück</p></footer></body></html>"
    )


def write_site(folder: Path, pages: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, html in enumerate(pages):
        (folder / f"beitrag-{i}.html").write_text(html, encoding="utf-8")
    return folder


def shape_rules(toml: Path) -> list[dict]:
    return [r for r in tomllib.loads(toml.read_text(encoding="utf-8")).get("rule", []) if "shape" in r]


def test_a_hand_typed_link_box_and_a_promo_repeated_on_a_sites_pages_are_learned_and_removed(tmp_path):
    site = write_site(tmp_path / "site", [page(i) for i in range(6)])
    learned = tmp_path / "site.toml"
    summary = clean_paths([site], learn=learned)
    rules = shape_rules(learned)
    by_shape = {r["shape"]: r for r in rules}
    # the lead-in with the list of links after it (other links on every page), in the
    # middle of the article; the promo at its end, with a link of its own
    assert by_shape[f"{LEAD} {LINKS}"]["links_after"] is True
    assert by_shape[f"{LEAD} {LINKS}"]["zone"] == "head"  # after two of the four paragraphs
    promo = f"{PROMO[0]} {LINKS} {PROMO[1]}"
    assert by_shape[promo]["zone"] == "tail"
    assert by_shape[promo]["path"] == "div.shop-hinweis"
    assert all(r["id"].startswith("site.learned-block-") and "on 6 of 6 pages" in r["reason"] for r in rules)
    # the posts' own paragraphs are never learned, and nothing inside a learned block twice
    assert len(rules) == 2
    assert summary.learned_rules >= 2 and "rules proposed in" in summary.describe()
    assert "Rules with a shape are blocks" in learned.read_text(encoding="utf-8")

    out = tmp_path / "out"
    report = tmp_path / "report.jsonl"
    cleaned = clean_paths([site], out=out, report=report, profiles=[learned])
    assert not cleaned.errors and cleaned.review_files == 0
    for i in range(6):
        text = (out / f"beitrag-{i}.md").read_text(encoding="utf-8")
        title, paragraphs = ARTICLES[i]
        assert all(p in text for p in paragraphs), text
        assert LEAD not in text and "Laden" not in text and PRODUCTS[i] not in text
        assert not any(ARTICLES[(i + k) % 6][0] in text for k in (1, 2, 3))  # the links of the box
    decisions = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    learned_ids = {d["rule"] for d in decisions if ".learned-block-" in d.get("rule", "")}
    assert learned_ids == {r["id"] for r in rules}
    promo = next(d for d in decisions if d.get("text", "").startswith(PROMO[0]))
    assert promo["action"] == "removed" and "on 6 of 6 pages" in promo["reason"]
    assert promo["rule"] == by_shape[f"{PROMO[0]} {LINKS} {PROMO[1]}"]["id"]
    # without the learned profile the blocks stay: the bundled profiles do not know them
    plain = clean_paths([site / "beitrag-0.html"])
    assert LEAD in plain.output and PROMO[0] in plain.output


def test_a_familiar_lead_in_is_learned_when_no_profile_knows_it(tmp_path):
    # "Lesen Sie auch:" is a bundled lead-in rule; a site cleaned without the bundled
    # profiles learns it from repetition alone
    site = write_site(tmp_path / "site", [page(i, lead="Lesen Sie auch:") for i in range(5)])
    learned = tmp_path / "site.toml"
    clean_paths([site], learn=learned, profiles=["none"])
    assert f"Lesen Sie auch: {LINKS}" in {r["shape"] for r in shape_rules(learned)}
    cleaned = clean_paths([site / "beitrag-3.html"], profiles=["none", learned])
    assert "Lesen Sie auch" not in cleaned.output and ARTICLES[3][1][2] in cleaned.output


def test_a_paragraph_on_two_of_ten_pages_is_not_learned(tmp_path):
    note = "Hinweis: Dieser Beitrag enthält Werbelinks, für die wir eine kleine Provision bekommen."
    pages = []
    for i in range(10):
        html = page(i % 6).replace(f"/{i % 6}/'>", f"/{i}/'>")  # ten addresses
        html = html.replace(ARTICLES[i % 6][1][0], f"{ARTICLES[i % 6][1][0]} (Teil {i})")  # ten articles
        if i in (3, 7):
            html = html.replace("<div class='entry-content'>", f"<div class='entry-content'><p>{note}</p>")
        pages.append(html)
    site = write_site(tmp_path / "site", pages)
    learned = tmp_path / "site.toml"
    clean_paths([site], learn=learned)
    shapes = {r["shape"] for r in shape_rules(learned)}
    assert f"{LEAD} {LINKS}" in shapes  # on all ten
    assert not any("Werbelinks" in s for s in shapes)
    assert "Werbelinks" not in learned.read_text(encoding="utf-8")


def test_pages_of_different_sites_learn_no_blocks(tmp_path):
    # the same theme's demo box on six sites: repetition across sites is no site's chrome
    sites = ["Gartenglück", "Kochtopf", "Reiselust", "Bücherwurm", "Radlerin", "Nähkästchen"]
    pages = [page(i, site=s, host=f"site{i}.example") for i, s in enumerate(sites)]
    learned = tmp_path / "mixed.toml"
    clean_paths([write_site(tmp_path / "mixed", pages)], learn=learned)
    assert shape_rules(learned) == []
    assert "No blocks learned: the 6 HTML pages are of several sites" in learned.read_text(encoding="utf-8")


def test_the_same_page_saved_twice_is_no_repetition(tmp_path):
    # one article in four copies: everything in it "repeats", none of it is the site's
    site = write_site(tmp_path / "copies", [page(2)] * 4)
    learned = tmp_path / "copies.toml"
    clean_paths([site], learn=learned)
    assert shape_rules(learned) == []


def test_shapes_links_and_numbers():
    doc = Document.parse(
        "<div><p id='a'>Lesen Sie auch: <a href='/1'>Eins</a>, <a href='/2'>Zwei</a> und <a href='/3'>Drei</a></p>"
        "<p id='b'>Seite 3 von 12</p>"
        "<p id='c'>Im Jahr 2021 haben wir 12 Beete angelegt und dabei viel über den Boden gelernt.</p></div>"
    )
    a, b, c = (doc.root.xpath(f"//p[@id='{x}']")[0] for x in "abc")
    assert shape_of(a) == f"Lesen Sie auch: {LINKS} und {LINKS}"
    assert shape_of(b) == "Seite # von #"  # no prose: numbers differ from page to page
    assert shape_of(c) == "Im Jahr 2021 haben wir 12 Beete angelegt und dabei viel über den Boden gelernt."


def test_a_shape_rule_is_checked_at_load():
    good = parse_profile(
        'schema = 1\nname = "s"\n[[rule]]\nid = "s.b"\nreason = "r"\nshape = "Mehr: ⟨links⟩"\npath = "p"\n'
        'zone = "tail"\nlinks_after = true\n'
    )
    rule = good.shape_rules["Mehr: ⟨links⟩"][0]
    assert (rule.path, rule.zone, rule.links_after) == ("p", "tail", True)
    with pytest.raises(ProfileError) as bad:
        parse_profile(
            'schema = 1\nname = "s"\n[[rule]]\nid = "s.b"\nreason = "r"\nshape = "x"\nzone = "middle"\n'
            'links_after = "yes"\n[[rule]]\nid = "s.c"\nreason = "r"\ntext = "x"\nzone = "tail"\npath = "p"\n'
        )
    message = str(bad.value)
    assert "rule[0] (s.b).zone" in message and "rule[1] (s.c).path: only shape rules take path" in message
