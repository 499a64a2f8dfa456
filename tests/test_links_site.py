"""Internal links end to end: a hand-written export converted, then built by the generators.

``tests/data/links-export.xml`` links from post to post in every form WordPress
answers (permalinks with and without ``www`` and ``https``, protocol-relative,
relative, ``?p=``, ``?page_id=``, ``?attachment_id=``, an old slug, term archives,
``?cat=``, ``?tag=``), to a draft and a private post, to look-alike hosts and to
paths that only share a prefix. Converted for Hugo (and Jekyll), built by the
generator; every link of the site in the built HTML must land on a built page,
except the ones the report lists as unresolved.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest

import wpmigrate
from wpmigrate.frontmatter import parse_document
from wpmigrate.links import SiteHosts

EXPORT = Path(__file__).parent / "data" / "links-export.xml"
HOME = "https://www.reise.example/"
HOSTS = SiteHosts([HOME])


def _unresolved(report: wpmigrate.Report) -> dict[str, str]:
    return {u["url"]: u["reason"] for e in report.items for u in e.urls.get("unresolved_urls", [])}


def _body(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hugo_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("links-hugo")
    report = wpmigrate.convert(EXPORT, out, layout="hugo", jobs=1)
    return out, report


def test_every_form_of_an_internal_link_is_rewritten(hugo_site):
    out, _ = hugo_site
    text = _body(out, "content/posts/lissabon.md")
    for expected in (
        "[Permalink](/2019/06/porto/)",
        "[http, ohne www, mit Anker](/2019/06/porto/#essen)",
        "[protokollrelativ, mit Query](/2019/06/porto/?utm_source=newsletter)",
        "[relativ zur Wurzel](/2019/06/porto/#essen)",
        "[relativ zum Beitrag](/2019/06/porto/)",
        "[?p=](/2019/06/porto/#essen)",
        "[alter Slug](/2019/06/porto/)",
        "[?page_id=](/ueber/) und [Anreise](/ueber/anreise/)",
        "[?attachment_id=](https://www.reise.example/wp-content/uploads/2019/06/bruecke.jpg)",
        "[Anhangseite](https://www.reise.example/wp-content/uploads/2019/06/bruecke.jpg)",
        "[Reisen](/categories/Reisen/), [Portugal](/categories/Portugal-am-Meer/), "
        "[?cat=](/categories/Portugal-am-Meer/), [See](/tags/See/), [?tag=](/tags/See/)",
        "[zurück](/ueber/)",
    ):
        assert expected in text or expected in _body(out, "content/ueber/anreise.md"), expected
    assert "[die Anreise](/ueber/anreise/)" in _body(out, "content/ueber/_index.md")
    assert "[Startseite](/)" in _body(out, "content/ueber/_index.md")


def test_other_hosts_look_alikes_and_prefixes_stay_untouched(hugo_site):
    out, _ = hugo_site
    text = _body(out, "content/posts/lissabon.md")
    for kept in (
        "(https://www.reise.example.evil.example/2019/06/porto/)",
        "(https://www.reise.example@evil.example/2019/06/porto/)",
        "(https://evil.example/?u=www.reise.example)",
        "(https://www.reise.example/2019/06/portofino/)",
        "(https://www.reise.example/ueber-uns/)",
        "(mailto:anna@reise.example)",
        "(#oben)",
    ):
        assert kept in text, kept


def test_the_report_counts_and_lists_each_link(hugo_site):
    _, report = hugo_site
    entry = next(e for e in report.items if e.id == 102)
    # 16 links of the site answered; two were already right (/2019/06/porto/#essen, /ueber/anreise/)
    assert (entry.urls["rewritten"], entry.urls["kept"]) == (14, 2)
    unresolved = _unresolved(report)
    assert set(unresolved) == {
        "https://www.reise.example/2019/08/entwurf/",
        "https://www.reise.example/?p=103",
        "https://www.reise.example/2019/09/privat/",
        "https://www.reise.example/category/leer/",
        "https://www.reise.example/tag/geheim/",
        "https://www.reise.example/2019/06/portofino/",
        "https://www.reise.example/ueber-uns/",
        "https://www.reise.example/feed/",
    }
    assert "draft" in unresolved["https://www.reise.example/?p=103"]
    assert "private" in unresolved["https://www.reise.example/2019/09/privat/"]
    assert "no published item has this term" in unresolved["https://www.reise.example/tag/geheim/"]
    summary = report.summary()
    assert summary["urls_unresolved"] == entry.urls["unresolved"] == 8
    assert summary["urls_rewritten"] == sum(e.urls.get("rewritten", 0) for e in report.items)


def test_drafts_converted_are_still_no_target(tmp_path):
    report = wpmigrate.convert(EXPORT, tmp_path, layout="hugo", drafts=True, jobs=1)
    reasons = _unresolved(report)
    assert "is a draft" in reasons["https://www.reise.example/?p=103"]
    # the tag only the draft carries has no page in the build either
    assert "https://www.reise.example/tag/geheim/" in reasons


def test_hugo_aliases_for_old_slugs(hugo_site):
    out, _ = hugo_site
    fields, _ = parse_document(_body(out, "content/posts/porto.md"))
    assert fields["aliases"] == ["/2019/06/porto-reise/"]


def test_plain_layout_links_to_the_old_permalink_paths(tmp_path):
    report = wpmigrate.convert(EXPORT, tmp_path, jobs=1)
    text = _body(tmp_path, "posts/lissabon.md")
    assert "[?p=](/2019/06/porto/#essen)" in text
    assert "[?page_id=](/ueber/)" in text
    assert "(https://www.reise.example/category/reisen/)" in text  # no term pages
    assert "plain layout builds no pages for terms" in _unresolved(report)["https://www.reise.example/category/reisen/"]


def test_any_number_of_workers_gives_the_same_links(hugo_site, tmp_path):
    out, _ = hugo_site
    wpmigrate.convert(EXPORT, tmp_path, layout="hugo", jobs=2)
    for rel in ("content/posts/lissabon.md", "content/posts/porto.md", "content/ueber/_index.md"):
        assert _body(tmp_path, rel) == _body(out, rel)


def _check_built_links(public: Path, report: wpmigrate.Report) -> int:
    """Every link to the site in the built HTML lands on a built file; returns how many were checked."""
    unresolved = set(_unresolved(report))
    checked = 0
    for page in sorted(public.rglob("*.html")):
        rel = page.relative_to(public).as_posix()
        page_url = urljoin(HOME, rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        doc = lxml.html.fromstring(page.read_bytes())
        if doc.find(".//meta[@http-equiv='refresh']") is not None:
            continue  # a generator's redirecting alias page
        for a in doc.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href in unresolved:
                continue
            absolute = urljoin(page_url, href)
            if absolute in unresolved or HOSTS.local(absolute) is None:
                continue
            path = unquote(urlsplit(absolute).path)
            if "/wp-content/uploads/" in path:
                continue  # files stay on the old host (no --media here)
            target = public / path.lstrip("/")
            if path.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"{rel}: link {href} → {path} is not a built page"
            checked += 1
    return checked


def test_hugo_build_every_internal_link_lands(hugo_site):
    if shutil.which("hugo") is None:
        pytest.skip("hugo is not installed (.ci/run installs it: apt-get install hugo)")
    out, report = hugo_site
    proc = subprocess.run(["hugo", "--quiet"], cwd=out, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    public = out / "public"
    assert (public / "2019/06/porto-reise/index.html").is_file()  # the old slug's alias page
    assert _check_built_links(public, report) >= 20


def test_jekyll_build_every_internal_link_lands(tmp_path):
    if shutil.which("jekyll") is None:
        pytest.skip("jekyll is not installed (.ci/run installs it: apt-get install jekyll)")
    report = wpmigrate.convert(EXPORT, tmp_path, layout="jekyll", jobs=1)
    proc = subprocess.run(["jekyll", "build", "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = _body(tmp_path, "_posts/2019-07-01-lissabon.md")
    assert "[?p=](/2019/06/porto/#essen)" in text
    assert _check_built_links(tmp_path / "_site", report) >= 10


def test_hugo_generator_urls_links_follow_the_new_pages(tmp_path):
    if shutil.which("hugo") is None:
        pytest.skip("hugo is not installed (.ci/run installs it: apt-get install hugo)")
    report = wpmigrate.convert(EXPORT, tmp_path, layout="hugo", urls="generator", jobs=1)
    text = _body(tmp_path, "content/posts/lissabon.md")
    assert "[?p=](/posts/porto/#essen)" in text and "[alter Slug](/posts/porto/)" in text
    fields, _ = parse_document(_body(tmp_path, "content/posts/porto.md"))
    assert fields["aliases"] == ["/2019/06/porto/", "/2019/06/porto-reise/"]
    proc = subprocess.run(["hugo", "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    public = tmp_path / "public"
    for old in ("2019/06/porto", "2019/06/porto-reise"):
        assert "posts/porto/" in (public / old / "index.html").read_text(encoding="utf-8")
    assert _check_built_links(public, report) >= 20
