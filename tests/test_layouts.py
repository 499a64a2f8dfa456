"""Layouts that the real generators build as they are: Hugo, Jekyll, Eleventy (and Astro's schema).

Each export is converted with each layout into an empty folder and built by
the generator itself, once per module. A build must exit 0 without errors or
duplicate target paths, every published item must have a page at its old URL
path, and no draft may be published. A generator that is not installed skips
its tests, saying so (``.ci/run`` installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import wpmigrate
from tests import corpus
from tests.wxrbuild import build_wxr
from wpmigrate.frontmatter import parse_document
from wpmigrate.layouts import ASTRO_SCHEMA, url_path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "zeen-de-export.xml"
ELEVENTY = Path(os.environ.get("WPMIGRATE_ELEVENTY") or REPO / ".ci/cache/eleventy/node_modules/.bin/eleventy")
ASTRO = Path(os.environ.get("WPMIGRATE_ASTRO") or REPO / ".ci/cache/astro/node_modules")
SECRET = "Streng-geheimer-Entwurf"  # in every draft's body: never in a built page


#: a thread on "Doppelt zwei": a reply with Markdown in it, and spam that never shows
COMMENTS = [
    {"id": 5, "author": "Erste Leserin", "email": "leserin@example.net", "content": "Schöner Beitrag."},
    {
        "id": 6,
        "parent": 5,
        "author": "Autor",
        "url": "https://blog.example.org/",
        "content": "Danke! Mehr dazu <a href='https://example.com/mehr'>hier</a>.",
    },
    {"id": 7, "author": "Spam", "content": "Cheap pills", "approved": "spam"},
]
COMMENTED = "2024/04/doppelt"


def _site_export() -> bytes:
    """Twins, nested pages of one slug, drafts of every kind, a custom type and a custom taxonomy."""
    base = "https://blog.example.org"
    items = [
        {"id": 1, "slug": "doppelt", "title": "Doppelt eins", "link": f"{base}/2024/03/doppelt/", "content": "Eins."},
        {
            "id": 2,
            "slug": "doppelt",
            "title": "Doppelt zwei",
            "link": f"{base}/2024/04/doppelt/",
            "date": "2024-04-01 12:00:00",
            "date_gmt": "2024-04-01 10:00:00",
            "content": "Zwei.",
            "terms": [("category", "reisen", "Reisen"), ("post_tag", "see", "See"), ("genre", "jazz", "Jazz")],
            "comments": COMMENTS,
        },
        {
            "id": 3,
            "slug": "../../../../../../tmp/wpm-evil",
            "title": "Böse",
            "link": f"{base}/2024/03/boese/",
            "content": "<p>Raw m<sup>2</sup> {{ liquid }} {% raw %}</p>",
        },
        {"id": 4, "slug": "..", "title": "Punkte", "link": f"{base}/punkte/", "content": "Punkte."},
        {"id": 10, "type": "page", "slug": "ueber-uns", "title": "Über uns", "link": f"{base}/ueber-uns/"},
        {"id": 11, "type": "page", "slug": "kontakt", "title": "Kontakt", "link": f"{base}/kontakt/"},
        {"id": 12, "type": "page", "slug": "team", "parent": 10, "title": "Team A", "link": f"{base}/ueber-uns/team/"},
        {"id": 13, "type": "page", "slug": "team", "parent": 11, "title": "Team B", "link": f"{base}/kontakt/team/"},
        {"id": 14, "type": "page", "slug": "posts", "title": "Beiträge", "link": f"{base}/beitraege/"},
        {"id": 20, "type": "rezept", "slug": "spaetzle", "title": "Spätzle", "link": f"{base}/rezept/spaetzle/"},
        {"id": 21, "type": "rezept", "slug": "doppelt", "title": "Rezept doppelt", "link": f"{base}/rezept/doppelt/"},
    ]
    for n, status in enumerate(("draft", "pending", "future"), start=30):
        items.append(
            {
                "id": n,
                "slug": f"entwurf-{status}",
                "status": status,
                "title": f"Entwurf {status}",
                "link": f"{base}/2024/05/entwurf-{status}/",
                "date_gmt": "0000-00-00 00:00:00" if status != "future" else "2030-01-01 10:00:00",
                "date": "2024-05-01 12:00:00" if status != "future" else "2030-01-01 12:00:00",
                "content": f"{SECRET} ({status})",
            }
        )
    items.append({"id": 40, "type": "page", "slug": "geheim", "status": "draft", "title": "Geheim", "content": SECRET})
    return build_wxr(items, title="Testblog", language="de-DE")


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    site = folder / "site.xml"
    site.write_bytes(_site_export())
    found = {"site": site, "sample": SAMPLE}
    unit = corpus.WXR / "themeunittestdata.wordpress.xml"
    if unit.exists():
        found["unittest"] = unit
    return found


def _convert(export: Path, out: Path, layout: str) -> wpmigrate.Report:
    # the sample's comments as data files, the site's in the front matter: the starters show both
    comments = "front-matter" if export.name == "site.xml" else "data"
    return wpmigrate.convert(export, out, layout=layout, drafts=True, comments=comments, jobs=1)


def _check_comments(page: Path) -> None:
    """The approved thread of ``COMMENTS`` on a built page: both comments, the reply's link to
    its parent, its Markdown rendered (or shown as text), never the spam or an e-mail address."""
    html = page.read_text(encoding="utf-8")
    assert 'class="comments"' in html, page
    assert 'id="comment-5"' in html and 'id="comment-6"' in html and 'href="#comment-5"' in html
    assert "Schöner Beitrag." in html and "Erste Leserin" in html
    assert "https://example.com/mehr" in html and "Cheap pills" not in html and "@example.net" not in html


def _published(export: Path) -> list:
    exp = wpmigrate.read_export(export)
    try:
        return [i for i in exp if i.status == "publish" and i.type not in ("attachment", "nav_menu_item")]
    finally:
        exp.close()


def _check_site(export: Path, report: wpmigrate.Report, public: Path, *, index: str = "index.html") -> None:
    """Every published item written has a page at its old URL path; no draft's text is published."""
    base = wpmigrate.read_export(export)
    site = base.site
    base.close()
    from wpmigrate.layouts import site_base

    kept_elsewhere = {e.id for e in report.items if any("old URL" in w for w in e.warnings)}
    written = {e.id for e in report.items if e.action == "written"}
    urls: dict = {}
    for e in report.items:
        urls.setdefault(e.id, set()).add(e.url)
    checked = 0
    for item in _published(export):
        if item.id not in written or item.id in kept_elsewhere:
            continue
        path = url_path(item.link, site_base(site))
        if path is None:
            continue
        target = public / path.strip("/")
        if path.endswith("/"):
            target = target / index
        assert target.is_file(), f"item {item.id} ({item.link}) has no page at {path}"
        assert path in urls.get(item.id, ()), (item.id, path)  # the report says where it is
        checked += 1
    assert checked, "no item was checked"
    for entry in report.items:  # and every item the report gives a URL is built there
        if entry.url is not None:
            target = public / entry.url.strip("/")
            assert (target / index if entry.url.endswith("/") else target).is_file(), (entry.id, entry.url)
    for page in public.rglob("*.html"):
        assert SECRET not in page.read_text(encoding="utf-8", errors="replace"), f"a draft is published: {page}"


def _build(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=240, env={**os.environ, **(env or {})}
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "ERROR" not in output and "Error:" not in output, output
    return output


# --- Hugo -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hugo_sites(exports, tmp_path_factory):
    if shutil.which("hugo") is None:
        pytest.skip("hugo is not installed (.ci/run installs it: apt-get install hugo)")
    built = {}
    for name, export in exports.items():
        out = tmp_path_factory.mktemp(f"hugo-{name}")
        report = _convert(export, out, "hugo")
        output = _build(["hugo", "--printPathWarnings", "--quiet"], out)
        built[name] = (export, out, report, output)
    return built


@pytest.mark.parametrize("name", ["site", "sample", "unittest"])
def test_hugo_builds_every_item_at_its_old_url(hugo_sites, name):
    if name not in hugo_sites:
        pytest.skip(corpus.missing_reason(corpus.WXR))
    export, out, report, output = hugo_sites[name]
    assert "Duplicate target paths" not in output, output
    _check_site(export, report, out / "public")


def test_hugo_front_matter_and_config(hugo_sites):
    _, out, _, _ = hugo_sites["site"]
    fm, _ = parse_document((out / "content/posts/doppelt-2.md").read_text(encoding="utf-8"))
    assert fm["slug"] == "doppelt-2" and fm["wp_slug"] == "doppelt" and fm["url"] == "/2024/04/doppelt/"
    assert fm["genre"] == ["Jazz"]
    config = (out / "hugo.toml").read_text(encoding="utf-8")
    assert 'genre = "genre"' in config and "unsafe = true" in config
    # the evil slug stays in its section; the raw HTML is rendered, not omitted
    assert not (out / "public/tmp").exists()
    page = (out / "public/2024/03/boese/index.html").read_text(encoding="utf-8")
    assert "raw HTML omitted" not in page and "m<sup>2</sup>" in page
    # a page named like the posts section is renamed, its URL kept
    fm, _ = parse_document((out / "content/posts-2.md").read_text(encoding="utf-8"))
    assert fm["url"] == "/beitraege/"
    # the two nested "team" pages keep their own URLs
    assert (out / "public/ueber-uns/team/index.html").is_file() and (out / "public/kontakt/team/index.html").is_file()
    assert (out / "content/ueber-uns/_index.md").is_file()
    # and their slugs differ, so a /:slug/ permalink setting cannot make one page of them
    fm, _ = parse_document((out / "content/kontakt/team-2.md").read_text(encoding="utf-8"))
    assert fm["slug"] == "team-2" and fm["wp_slug"] == "team" and fm["url"] == "/kontakt/team/"


def test_hugo_keeps_an_existing_config(exports, tmp_path):
    (tmp_path / "hugo.toml").write_text('title = "Mine"\n', encoding="utf-8")
    report = wpmigrate.convert(exports["site"], tmp_path, layout="hugo", jobs=1)
    assert (tmp_path / "hugo.toml").read_text(encoding="utf-8") == 'title = "Mine"\n'
    assert any("hugo.toml is there already" in w and "[taxonomies]" in w for w in report.warnings)
    assert (tmp_path / "layouts/_default/single.html").is_file()


def test_hugo_generator_urls_alias_the_old_ones(hugo_sites, exports, tmp_path):
    wpmigrate.convert(exports["site"], tmp_path, layout="hugo", urls="generator", jobs=1)
    fm, _ = parse_document((tmp_path / "content/posts/doppelt-2.md").read_text(encoding="utf-8"))
    assert "url" not in fm and fm["aliases"] == ["/2024/04/doppelt/"]
    fm, _ = parse_document((tmp_path / "content/kontakt/_index.md").read_text(encoding="utf-8"))
    assert "aliases" not in fm  # its own URL is its old one
    output = _build(["hugo", "--printPathWarnings", "--quiet"], tmp_path)
    assert "Duplicate target paths" not in output, output
    assert (tmp_path / "public/posts/doppelt-2/index.html").is_file()
    assert "/posts/doppelt-2/" in (tmp_path / "public/2024/04/doppelt/index.html").read_text(encoding="utf-8")


# --- Jekyll -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jekyll_sites(exports, tmp_path_factory):
    if shutil.which("jekyll") is None:
        pytest.skip("jekyll is not installed (.ci/run installs it: apt-get install jekyll)")
    built = {}
    for name, export in exports.items():
        out = tmp_path_factory.mktemp(f"jekyll-{name}")
        report = _convert(export, out, "jekyll")
        output = _build(["jekyll", "build", "--quiet"], out)
        built[name] = (export, out, report, output)
    return built


@pytest.mark.parametrize("name", ["site", "sample", "unittest"])
def test_jekyll_builds_every_item_at_its_old_url(jekyll_sites, name):
    if name not in jekyll_sites:
        pytest.skip(corpus.missing_reason(corpus.WXR))
    export, out, report, output = jekyll_sites[name]
    assert "Conflict" not in output, output
    _check_site(export, report, out / "_site")


def test_jekyll_layout(jekyll_sites):
    _, out, _, _ = jekyll_sites["site"]
    posts = sorted(p.name for p in (out / "_posts").iterdir())
    assert "2024-03-01-doppelt.md" in posts and "2024-04-01-doppelt-2.md" in posts
    config = yaml.safe_load((out / "_config.yml").read_text(encoding="utf-8"))
    assert config["collections"]["rezept"]["output"] is True
    assert (out / "_rezept/spaetzle.md").is_file() and (out / "_site/rezept/spaetzle/index.html").is_file()
    fm, _ = parse_document(next((out / "_posts").glob("*entwurf-draft.md")).read_text(encoding="utf-8"))
    assert fm["published"] is False
    # Liquid in a post's text is text
    assert "{{ liquid }}" in (out / "_site/2024/03/boese/index.html").read_text(encoding="utf-8")


# --- Eleventy ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def eleventy_sites(exports, tmp_path_factory):
    if not ELEVENTY.exists() or shutil.which("node") is None:
        pytest.skip(f"Eleventy 3 is not at {ELEVENTY} (.ci/run installs it with npm; or set WPMIGRATE_ELEVENTY)")
    built = {}
    for name, export in exports.items():
        out = tmp_path_factory.mktemp(f"eleventy-{name}")
        report = _convert(export, out, "eleventy")
        output = _build([str(ELEVENTY), "--quiet"], out)
        built[name] = (export, out, report, output)
    return built


@pytest.mark.parametrize("name", ["site", "sample", "unittest"])
def test_eleventy_builds_every_item_at_its_old_url(eleventy_sites, name):
    if name not in eleventy_sites:
        pytest.skip(corpus.missing_reason(corpus.WXR))
    export, out, report, _ = eleventy_sites[name]
    _check_site(export, report, out / "_site")


def test_eleventy_drafts_are_not_built(eleventy_sites):
    _, out, _, _ = eleventy_sites["site"]
    fm, _ = parse_document((out / "posts/entwurf-pending.md").read_text(encoding="utf-8"))
    assert fm["permalink"] is False and fm["eleventyExcludeFromCollections"] is True


# --- Astro ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["site", "sample"])
def test_astro_entries_fit_the_written_schema(exports, tmp_path, name):
    wpmigrate.convert(exports[name], tmp_path, layout="astro", drafts=True, jobs=1)
    schema = (tmp_path / "src/content.config.ts").read_text(encoding="utf-8")
    entries = sorted((tmp_path / "src/content").rglob("*.md"))
    assert entries
    collections = {p.relative_to(tmp_path / "src/content").parts[0] for p in entries}
    for collection in collections:
        assert f'"{collection}": defineCollection' in schema
    for key in ASTRO_SCHEMA:
        assert f"    {key}: z." in schema
    ids = set()
    for path in entries:
        fm, _ = parse_document(path.read_text(encoding="utf-8"))
        assert isinstance(fm["title"], str) and isinstance(fm["draft"], bool)
        assert "slug" not in fm  # Astro would take it for the id
        for key, types in ASTRO_SCHEMA.items():
            if key in fm:
                assert isinstance(fm[key], types), (path, key, fm[key])
        if "tags" in fm:
            assert all(isinstance(t, str) for t in fm["tags"])
        ids.add(path.relative_to(tmp_path / "src/content").with_suffix("").as_posix())
    assert len(ids) == len(entries)


@pytest.fixture(scope="module")
def astro_sites(exports, tmp_path_factory):
    if not (ASTRO / "astro/astro.js").exists() or shutil.which("node") is None:
        pytest.skip(f"Astro is not in {ASTRO} (.ci/run installs it with npm; or set WPMIGRATE_ASTRO)")
    built = {}
    for name in ("site", "sample"):  # a build takes ten seconds: two exports are enough
        out = tmp_path_factory.mktemp(f"astro-{name}")
        report = _convert(exports[name], out, "astro")
        (out / "node_modules").symlink_to(ASTRO, target_is_directory=True)
        output = _build(["node", str(ASTRO / "astro/astro.js"), "build"], out, {"ASTRO_TELEMETRY_DISABLED": "1"})
        built[name] = (exports[name], out, report, output)
    return built


@pytest.mark.parametrize("name", ["site", "sample"])
def test_astro_builds_every_item_at_its_old_url(astro_sites, name):
    export, out, report, _ = astro_sites[name]
    _check_site(export, report, out / "dist")
    assert (out / "dist/index.html").is_file()


# --- comments in every starter ---------------------------------------------------------


@pytest.mark.parametrize(
    ("generator", "public"), [("hugo", "public"), ("jekyll", "_site"), ("eleventy", "_site"), ("astro", "dist")]
)
def test_starters_show_the_comments(request, generator, public):
    """The site's thread comes from the front matter, the sample's from data files."""
    sites = request.getfixturevalue(f"{generator}_sites")
    _, out, _, _ = sites["site"]
    _check_comments(out / public / COMMENTED / "index.html")
    _, out, _, _ = sites["sample"]
    html = (out / public / "2023/06/wandern-am-alpsee/index.html").read_text(encoding="utf-8")
    assert 'id="comment-201"' in html and 'id="comment-202"' in html and 'href="#comment-201"' in html
    assert "Sabine aus Kempten" in html and "@" not in html.partition('class="comments"')[2]
