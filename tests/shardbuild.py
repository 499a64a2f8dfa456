"""Records for corpus tests and benchmarks: scraped pages of made-up hosts, each with its own chrome.

Every host's pages have their own articles (sentences built from the page
number, so no two pages share a paragraph) and the host's repeated chrome:

``garten.example``  scraped text; a site name and a menu line above the article,
                    a sign-off under it on three pages of four
``kochen.example``  whole HTML pages; a line of section links above the article
                    and the editors' sign-off under it, inside ``<article>``
``reisen.example``  scraped text without chrome of its own; one page ends with
                    garten's sign-off (quoted from there), which is that page's,
                    not this host's

The articles are German prose like the shared seed page; the chrome lines are
what learning should find: on at least half of a host's pages.

:func:`case_records` and :func:`corpus_page_records` give the scraped cases
and the shared corpus pages as records, each under a host of its own.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path

TESTS = Path(__file__).parent
TEXT_CASES = sorted((TESTS / "golden" / "clean" / "text").glob("*.case"))
HTML_CASES = sorted((TESTS / "cases" / "clean").glob("*.case"))

GARTEN_NAME = "Gartenfreunde Lindenhof"
GARTEN_MENU = "Start · Beete · Werkzeug · Über uns"
GARTEN_SIGN_OFF = "Bis bald, eure Gartenfreunde vom Lindenhof"
KOCHEN_MENU = "Rezepte | Backen | Kontakt"
KOCHEN_SIGN_OFF = "Guten Appetit wünscht die Küchenredaktion"

_SUBJECTS = [
    "Die Nachbarin",
    "Mein Bruder",
    "Der alte Gärtner",
    "Unsere Tochter",
    "Ein Freund aus Bremen",
    "Die Köchin",
]
_VERBS = ["erzählte", "schrieb", "zeigte", "erklärte", "bemerkte", "fragte"]
_THINGS = ["Tomaten", "Kartoffeln", "Rosen", "Zwiebeln", "Linsen", "Äpfel", "Bohnen", "Kräuter", "Pflaumen"]
_PLACES = ["im Hinterhof", "am Bahnhof", "auf dem Markt", "in der Küche", "am Fluss", "im Schuppen", "am Hafen"]


def sentence(page: int, n: int) -> str:
    """A sentence of at least ten words that differs for every (page, n)."""
    k = page * 7 + n * 3
    return (
        f"{_SUBJECTS[k % 6]} {_VERBS[(k // 6) % 6]} mir am Tag {page + 1} von {_THINGS[(k + n) % 9]} "
        f"{_PLACES[(k // 3) % 7]}, und das {n + 1}. Mal hörte ich genau zu."
    )


def paragraphs(page: int, count: int = 3) -> list[str]:
    return [" ".join(sentence(page, 2 * j + m) for m in range(2)) for j in range(count)]


def garten_page(i: int) -> str:
    lines = [GARTEN_NAME, GARTEN_MENU, f"Notizen aus dem Beet {i + 1}", *paragraphs(i)]
    if i % 4 != 3:
        lines.append(GARTEN_SIGN_OFF)
    return "\n\n".join(lines) + "\n"


def kochen_page(i: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs(i + 100))
    return (
        f"<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Rezept {i + 1} – Küchenblog</title>"
        f"</head><body><header><a href='/'>Küchenblog</a></header><main><article><h1>Rezept {i + 1}</h1>"
        f"<p>{KOCHEN_MENU}</p>{body}<p>{KOCHEN_SIGN_OFF}</p></article></main>"
        f"<footer><p>Impressum</p></footer></body></html>"
    )


def reisen_page(i: int, quoting: bool = False) -> str:
    lines = [f"Unterwegs, Teil {i + 1}", *paragraphs(i + 200)]
    if quoting:
        lines.append(GARTEN_SIGN_OFF)
    return "\n\n".join(lines) + "\n"


def host_records(pages: int = 40, quoting_page: int = 7) -> list[dict]:
    """*pages* records per host, interleaved (a crawl's shards mix hosts)."""
    records = []
    for i in range(pages):
        records.append({"url": f"https://garten.example/notizen/{i + 1}/", "text": garten_page(i), "id": f"g{i}"})
        records.append({"url": f"https://kochen.example/rezept-{i + 1}", "html": kochen_page(i), "id": f"k{i}"})
        text = reisen_page(i, quoting=(i == quoting_page))
        records.append({"url": f"http://www.reisen.example/teil/{i + 1}", "text": text, "id": f"r{i}"})
    return records


def case_records() -> list[dict]:
    """The scraped-text golden cases and the HTML cleaning cases as records, one host each
    (so that nothing is learned across them), with what the file of the same kind gives."""
    from tests import corpus
    from tests.casefiles import load_case

    records = []
    for path in TEXT_CASES:
        case = load_case(path)
        records.append(
            {"url": f"https://{path.stem}.text.example/", "text": case.input + "\n", "expect": case.expected}
        )
    for path in HTML_CASES:
        case = load_case(path)
        records.append({"url": f"https://{path.stem}.html.example/p", "html": case.input, "kind": "html"})
    if corpus.SEED.exists():
        records.append({"url": "https://seed.example/", "text": corpus.SEED.read_text(encoding="utf-8")})
    return records


def corpus_page_records() -> list[dict]:
    """Whole pages from the shared corpus (real WordPress sites), each under its own site's URL."""
    from tests import corpus

    records = []
    for path in sorted(corpus.PAGES.glob("*.html")) if corpus.PAGES.exists() else []:
        site = path.name.removesuffix(".html").split("-", 1)[1]
        records.append({"url": f"https://{site}/a-post/", "html": path.read_text(encoding="utf-8", errors="replace")})
    expected = corpus.SHARED / "corpus" / "pages-dev" / "expected.jsonl"
    if expected.exists():
        for line in expected.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry["source"] == "readability":
                html = gzip.decompress((expected.parent / entry["file"]).read_bytes())
                records.append({"url": entry["url"], "html": html.decode("utf-8", "replace")})
    return records


def write_jsonl(path: Path, records: Iterable[object], *, raw_lines: Iterable[str] = ()) -> Path:
    """Records as JSON lines (gzip-compressed for ``.gz``), then *raw_lines* as they are."""
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    data += "".join(line + "\n" for line in raw_lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))
    else:
        path.write_text(data, encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
