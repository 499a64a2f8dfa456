"""SEO plugins' fields → front matter: description, seo_title, canonical, noindex."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import wpmigrate
from tests import corpus
from tests.wxrbuild import build_wxr
from wpmigrate.frontmatter import parse_document
from wpmigrate.seo import expand_template

ITEMS = [
    {
        "id": 1,
        "title": "Porto &amp; wine",
        "slug": "porto",
        "terms": [("category", "travel", "Travel")],
        "excerpt": "Three days in Porto.",
        "meta": [
            ("_yoast_wpseo_title", "%%title%% %%page%% %%sep%% %%sitename%%"),
            ("_yoast_wpseo_metadesc", "%%excerpt%% All about %%category%%."),
            ("_yoast_wpseo_canonical", "https://example.org/porto-guide/"),
            ("_yoast_wpseo_meta-robots-noindex", "2"),
        ],
    },
    {
        "id": 2,
        "title": "Lisbon",
        "slug": "lisbon",
        "meta": [
            ("rank_math_title", "%title%"),
            ("rank_math_description", "Trams and tiles"),
            ("rank_math_canonical_url", "not a url"),
            ("rank_math_robots", 'a:2:{i:0;s:7:"noindex";i:1;s:8:"nofollow";}'),
        ],
    },
    {
        "id": 3,
        "title": "Braga",
        "slug": "braga",
        "meta": [
            ("_aioseo_title", "#post_title #separator_sa #site_title"),
            ("_aioseo_description", "Churches of #post_title"),
        ],
    },
    {
        "id": 4,
        "title": "Faro",
        "slug": "faro",
        "meta": [("_aioseop_title", "Faro beaches"), ("_aioseop_description", "Sand")],
    },
    {
        "id": 5,
        "title": "Evora",
        "slug": "evora",
        "meta": [
            ("_seopress_titles_title", "%%post_title%% %%cf_custom%%"),  # an unknown variable: left out
            ("_seopress_titles_desc", "Roman temple"),
            ("_seopress_robots_canonical", "https://example.org/evora/"),
            ("_seopress_robots_index", "yes"),
        ],
    },
    {"id": 6, "title": "Plain", "slug": "plain", "excerpt": "Just an excerpt"},
    {
        "id": 7,
        "title": "Both",
        "slug": "both",
        "meta": [("_yoast_wpseo_metadesc", "%%cf_x%%"), ("rank_math_description", "From Rank Math")],
    },
]


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "seo.xml"
    path.write_bytes(build_wxr(ITEMS, title="Travel Notes"))
    return path


def _front(root, rel):
    return parse_document((root / rel).read_text(encoding="utf-8"))[0]


def test_plain_fields(export, tmp_path):
    out = tmp_path / "out"
    wpmigrate.convert(export, out, jobs=1)
    porto = _front(out, "posts/porto.md")
    assert porto["description"] == "Three days in Porto. All about Travel."
    assert porto["seo_title"] == "Porto & wine - Travel Notes"
    assert porto["canonical"] == "https://example.org/porto-guide/"
    assert "noindex" not in porto  # "2" is Yoast's explicit "index"
    keys = list(porto)
    assert keys.index("excerpt") < keys.index("description") < keys.index("seo_title") < keys.index("canonical")
    lisbon = _front(out, "posts/lisbon.md")
    assert lisbon["description"] == "Trams and tiles" and lisbon["noindex"] is True
    assert "seo_title" not in lisbon  # the same as the title
    assert "canonical" not in lisbon  # not a URL
    braga = _front(out, "posts/braga.md")
    assert braga["seo_title"] == "Braga - Travel Notes" and braga["description"] == "Churches of Braga"
    faro = _front(out, "posts/faro.md")
    assert faro["seo_title"] == "Faro beaches" and faro["description"] == "Sand"
    evora = _front(out, "posts/evora.md")
    assert "seo_title" not in evora and evora["noindex"] is True
    assert evora["canonical"] == "https://example.org/evora/" and evora["description"] == "Roman temple"
    both = _front(out, "posts/both.md")
    assert both["description"] == "From Rank Math"
    plain = _front(out, "posts/plain.md")
    assert not {"description", "seo_title", "canonical", "noindex"} & set(plain)
    for path in out.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "%%" not in text and "%title%" not in text and "#post_title" not in text


def test_layouts_keep_noindex_pages_out_of_sitemaps(export, tmp_path):
    for layout in ("hugo", "jekyll", "eleventy", "astro"):
        out = tmp_path / layout
        wpmigrate.convert(export, out, layout=layout, jobs=1)
        files = {p.stem.rsplit("-", 1)[-1] if layout == "jekyll" else p.stem: p for p in out.rglob("*.md")}
        lisbon = parse_document(files["lisbon"].read_text(encoding="utf-8"))[0]
        porto = parse_document(files["porto"].read_text(encoding="utf-8"))[0]
        plain = parse_document(files["plain"].read_text(encoding="utf-8"))[0]
        assert lisbon["noindex"] is True and lisbon["description"] == "Trams and tiles"
        assert porto["description"] == "Three days in Porto. All about Travel."
        if layout == "hugo":
            assert lisbon["sitemap"] == {"disable": True} and lisbon["_build"] == {"list": "local"}
            assert "sitemap" not in porto
        if layout == "jekyll":
            assert lisbon["sitemap"] is False and "sitemap" not in porto
        if layout in ("hugo", "eleventy", "astro"):
            # the excerpt is the description only where no SEO plugin gave one
            assert porto["excerpt"] == "Three days in Porto." and plain["description"] == "Just an excerpt"
    schema = (tmp_path / "astro" / "src/content.config.ts").read_text(encoding="utf-8")
    assert "noindex: z.boolean()" in schema


@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed")
def test_hugo_build_leaves_noindex_out_of_sitemap(export, tmp_path):
    wpmigrate.convert(export, tmp_path, layout="hugo", jobs=1)
    proc = subprocess.run(["hugo", "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sitemap = (tmp_path / "public" / "sitemap.xml").read_text(encoding="utf-8")
    assert "/porto/" in sitemap and "/plain/" in sitemap
    assert "/lisbon/" not in sitemap and "/evora/" not in sitemap
    lisbon = next((tmp_path / "public").rglob("lisbon/index.html")).read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in lisbon
    porto = next((tmp_path / "public").rglob("porto/index.html")).read_text(encoding="utf-8")
    assert "<title>Porto &amp; wine - Travel Notes</title>" in porto
    assert '<link rel="canonical" href="https://example.org/porto-guide/">' in porto
    assert "robots" not in porto


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("%%title%% %%sep%% %%sitename%%", "T - S"),
        ("%%title%% %%sep%% %%sitename%%", "T"),  # no site name: no dangling separator
        ("%%title%% %%pagenumber%%", "T"),
        ("%%title%% %%cf_price%%", None),
        ("Just text", "Just text"),
        ("100% of it", "100% of it"),
    ],
)
def test_expand_template(template, expected):
    site = "S" if expected == "T - S" else ""
    assert expand_template(template, {"title": "T", "site": site, "sep": "-"}) == expected


def test_yoast_meta_of_a_real_export(tmp_path):
    export = corpus.need(corpus.WXR / "ghost-migrate-has-yoast-meta.xml")
    wpmigrate.convert(export, tmp_path, drafts=True, jobs=1)
    fronts = [parse_document(p.read_text(encoding="utf-8"))[0] for p in sorted(tmp_path.rglob("*.md"))]
    with_seo = [f for f in fronts if "description" in f]
    assert len(with_seo) == 1
    assert with_seo[0]["seo_title"] == "My Custom SEO Title for Search Engines"
    assert with_seo[0]["description"].startswith("A short description")
    assert all("seo_title" not in f for f in fronts if f is not with_seo[0])
