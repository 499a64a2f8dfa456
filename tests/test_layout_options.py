"""--front-matter, --field-map, --fields and --urls: what each writes, and bad values as clear errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import wpmigrate
from wpmigrate.cli import cli
from wpmigrate.errors import UsageError
from wpmigrate.layouts import url_path

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "zeen-de-export.xml"
POST = "content/posts/herbst-am-koenigssee.md"


def test_toml_front_matter_is_read_by_a_toml_parser(tmp_path):
    wpmigrate.convert(SAMPLE, tmp_path, layout="hugo", front_matter="toml", jobs=1)
    text = (tmp_path / POST).read_text(encoding="utf-8")
    assert text.startswith("+++\n")
    head, _, body = text[4:].partition("+++\n")
    fm = tomllib.loads(head)
    assert fm["slug"] == "herbst-am-koenigssee" and fm["wp_slug"] == "herbst-am-königssee"
    assert fm["date"].isoformat() == "2023-10-15T08:00:00+02:00"
    assert fm["url"] == "/2023/10/herbst-am-königssee/"
    assert "Königssee" in body


def test_json_front_matter_is_one_json_object(tmp_path):
    wpmigrate.convert(SAMPLE, tmp_path, layout="hugo", front_matter="json", jobs=1)
    text = (tmp_path / POST).read_text(encoding="utf-8")
    fm, end = json.JSONDecoder().raw_decode(text)
    assert fm["title"].startswith("Herbst am Königssee") and fm["date"] == "2023-10-15T08:00:00+02:00"
    assert "Königssee" in text[end:]


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_hugo_builds_toml_and_json_front_matter(tmp_path, fmt):
    if shutil.which("hugo") is None:
        pytest.skip("hugo is not installed (.ci/run installs it: apt-get install hugo)")
    wpmigrate.convert(SAMPLE, tmp_path, layout="hugo", front_matter=fmt, jobs=1)
    proc = subprocess.run(["hugo", "--quiet", "--printPathWarnings"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0 and "ERROR" not in proc.stderr, proc.stderr
    assert (tmp_path / "public/2023/10/herbst-am-königssee/index.html").is_file()


def test_field_map_and_fields_through_the_command_line(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "convert",
            str(SAMPLE),
            "-o",
            str(tmp_path),
            "--layout",
            "hugo",
            "--field-map",
            "images=featured_image,description=excerpt",
            "--fields",
            "title,featured_image,date",
            "-j",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "content/posts/kaesespaetzle-wie-bei-oma.md").read_text(encoding="utf-8")
    head = text.split("---\n")[1]
    assert [line.split(":")[0] for line in head.splitlines() if not line.startswith("-")] == [
        "title",
        "featured_image",
        "date",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"layout": "gatsby"}, "layout must be one of plain, hugo, jekyll, eleventy, astro"),
        ({"urls": "old"}, "urls must be one of keep, generator"),
        ({"front_matter": "ini"}, "front-matter must be one of yaml, toml, json"),
        ({"field_map": "title"}, "field-map: 'title' is not OLD=NEW"),
        ({"field_map": "a=x,b=x"}, "field-map: x would be written twice"),
        ({"fields": ","}, "fields is empty"),
    ],
)
def test_bad_values_are_usage_errors(tmp_path, kwargs, message):
    with pytest.raises(UsageError, match=message):
        wpmigrate.convert(SAMPLE, tmp_path, jobs=1, **kwargs)


def test_generator_urls_for_jekyll_have_no_category_paths(tmp_path):
    wpmigrate.convert(SAMPLE, tmp_path, layout="jekyll", urls="generator", jobs=1)
    text = (tmp_path / "_posts/2023-01-14-kaesespaetzle-wie-bei-oma.md").read_text(encoding="utf-8")
    assert "permalink: /2023/01/14/kaesespaetzle-wie-bei-oma/\n" in text


@pytest.mark.parametrize("layout", ["hugo", "jekyll", "eleventy", "astro"])
def test_one_and_two_workers_give_identical_trees(tmp_path, layout):
    trees = []
    for jobs in (1, 2):
        out = tmp_path / str(jobs)
        wpmigrate.convert(SAMPLE, out, layout=layout, drafts=True, jobs=jobs)
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]


def test_a_rerun_replaces_its_own_starter_files(tmp_path):
    wpmigrate.convert(SAMPLE, tmp_path, layout="jekyll", jobs=1)
    report = wpmigrate.convert(SAMPLE, tmp_path, layout="jekyll", jobs=1)
    assert not any("is there already" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://example.org/2024/03/slug/", "/2024/03/slug/"),
        ("https://example.org/%c3%bcber-uns", "/über-uns/"),
        ("https://example.org/archiv/post.html", "/archiv/post.html"),
        ("https://example.org/blog/2024/x/", "/2024/x/"),
        ("https://example.org/?p=12", None),
        ("https://example.org/", None),
        ("https://example.org/a/../../etc/", None),
        ("https://example.org/a/%0a/", None),
        ("", None),
    ],
)
def test_old_url_paths(link, expected):
    base = "https://example.org/blog" if "/blog/" in link else "https://example.org"
    assert url_path(link, base) == expected


def test_plain_twins_and_hostile_slugs_get_their_files_own_slug(tmp_path):
    from tests.wxrbuild import build_wxr
    from wpmigrate.frontmatter import parse_document

    export = tmp_path / "twins.xml"
    export.write_bytes(
        build_wxr(
            [
                {"id": 1, "slug": "doppelt", "title": "Eins"},
                {"id": 2, "slug": "doppelt", "title": "Zwei"},
                {"id": 3, "slug": "../../../../tmp/wpm-evil", "title": "Böse"},
            ]
        )
    )
    wpmigrate.convert(export, tmp_path / "out", jobs=1)
    first, _ = parse_document((tmp_path / "out/posts/doppelt.md").read_text(encoding="utf-8"))
    second, _ = parse_document((tmp_path / "out/posts/doppelt-2.md").read_text(encoding="utf-8"))
    assert first["slug"] == "doppelt" and "wp_slug" not in first
    assert second["slug"] == "doppelt-2" and second["wp_slug"] == "doppelt"
    evil = next((tmp_path / "out/posts").glob("*evil*"))
    fm, _ = parse_document(evil.read_text(encoding="utf-8"))
    assert "/" not in fm["slug"] and ".." not in fm["slug"] and fm["wp_slug"] == "../../../../tmp/wpm-evil"


def test_field_map_renames_wpmigrates_own_keys_before_the_layout(tmp_path):
    wpmigrate.convert(SAMPLE, tmp_path, layout="hugo", field_map="cover_image=featured_image,lastmod=modified", jobs=1)
    text = (tmp_path / "content/posts/kaesespaetzle-wie-bei-oma.md").read_text(encoding="utf-8")
    assert "\nfeatured_image: https://" in text and "\nimages:" not in text
    assert "\nmodified: " in (tmp_path / POST).read_text(encoding="utf-8")


@pytest.mark.parametrize(("layout", "marks"), [("hugo", ["draft: true"]), ("jekyll", ["published: false"])])
def test_fields_never_drop_what_keeps_a_draft_out(tmp_path, layout, marks):
    wpmigrate.convert(SAMPLE, tmp_path, layout=layout, drafts=True, fields="title", jobs=1)
    draft = next(tmp_path.rglob("*packliste-fuer-huettentouren.md")).read_text(encoding="utf-8")
    for mark in marks:
        assert f"\n{mark}\n" in draft
    published = next(tmp_path.rglob("*kaesespaetzle-wie-bei-oma.md")).read_text(encoding="utf-8")
    assert published.split("---\n")[1].splitlines() == [published.split("---\n")[1].splitlines()[0]]


@pytest.mark.parametrize(
    ("layout", "fmt"), [("jekyll", "toml"), ("jekyll", "json"), ("astro", "toml"), ("eleventy", "toml")]
)
def test_a_front_matter_format_the_generator_cannot_read_is_a_usage_error(tmp_path, layout, fmt):
    with pytest.raises(UsageError, match=f"front-matter {fmt} is not read by {layout}"):
        wpmigrate.convert(SAMPLE, tmp_path, layout=layout, front_matter=fmt, jobs=1)


def test_eleventy_builds_json_front_matter(tmp_path):
    from tests.test_layouts import ELEVENTY

    if not ELEVENTY.exists() or shutil.which("node") is None:
        pytest.skip(f"Eleventy 3 is not at {ELEVENTY} (.ci/run installs it with npm; or set WPMIGRATE_ELEVENTY)")
    wpmigrate.convert(SAMPLE, tmp_path, layout="eleventy", front_matter="json", drafts=True, jobs=1)
    text = (tmp_path / "posts/kaesespaetzle-wie-bei-oma.md").read_text(encoding="utf-8")
    assert text.startswith("---json\n{\n")
    proc = subprocess.run([str(ELEVENTY), "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = tmp_path / "_site/2023/01/kaesespaetzle-wie-bei-oma/index.html"
    assert "Käsespätzle wie bei Oma" in page.read_text(encoding="utf-8")
    assert not list((tmp_path / "_site").rglob("*packliste*"))  # the draft stays out


def test_a_custom_taxonomy_named_like_a_generator_key_gets_a_prefix(tmp_path):
    from tests.wxrbuild import build_wxr
    from wpmigrate.frontmatter import parse_document

    export = tmp_path / "tax.xml"
    export.write_bytes(
        build_wxr(
            [
                {
                    "id": 1,
                    "slug": "eins",
                    "link": "https://example.org/eins/",
                    "terms": [("layout", "wide", "Wide"), ("genre", "jazz", "Jazz")],
                }
            ]
        )
    )
    wpmigrate.convert(export, tmp_path / "out", layout="jekyll", jobs=1)
    fm, _ = parse_document((tmp_path / "out/_posts/2024-03-01-eins.md").read_text(encoding="utf-8"))
    assert fm["taxonomy_layout"] == ["Wide"] and fm["genre"] == ["Jazz"] and "layout" not in fm


def test_the_command_line_prints_what_an_existing_config_needs(tmp_path):
    (tmp_path / "_config.yml").write_text("title: Mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "-o", str(tmp_path), "--layout", "jekyll", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "_config.yml is there already and was left as it is" in result.output
    assert "    permalink: /:year/:month/:day/:title/" in result.output
    assert (tmp_path / "_config.yml").read_text(encoding="utf-8") == "title: Mine\n"
    assert (tmp_path / "_layouts/post.html").is_file()
