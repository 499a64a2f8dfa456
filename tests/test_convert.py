"""convert(): selection, paths and collisions, front matter, privacy, re-runs, report, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wpmigrate
from tests.wxrbuild import build_wxr
from wpmigrate.frontmatter import parse_document, render_document


def run_convert(tmp_path: Path, items, name="site", **kw):
    src = tmp_path / "export.xml"
    src.write_bytes(build_wxr(items, **{k: kw.pop(k) for k in ("language", "authors") if k in kw}))
    out = tmp_path / name
    report = wpmigrate.convert(src, out, **kw)
    return out, report


def read_md(path: Path):
    return parse_document(path.read_text(encoding="utf-8"))


def all_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file())


# --- selection ----------------------------------------------------------------


STATUS_ITEMS = [
    {"id": 1, "slug": "pub", "title": "Published"},
    {"id": 2, "slug": "dra", "title": "Secret draft title", "status": "draft", "content": "DRAFTBODY"},
    {"id": 3, "slug": "pri", "title": "Secret private title", "status": "private", "content": "PRIVATEBODY"},
    {"id": 4, "slug": "pro", "title": "Protected", "password": "hunter2pw", "content": "PROTECTEDBODY"},
    {"id": 5, "slug": "tra", "title": "Trashed title", "status": "trash", "content": "TRASHBODY"},
    {"id": 6, "slug": "rev", "type": "revision", "status": "inherit", "content": "REVBODY"},
    {"id": 7, "slug": "att", "type": "attachment", "status": "inherit", "attachment_url": "https://e.org/a.jpg"},
    {"id": 8, "slug": "menu", "type": "nav_menu_item"},
    {"id": 9, "slug": "blk", "type": "wp_block", "content": "<!-- wp:paragraph --><p>REUSED</p><!-- /wp:paragraph -->"},
    {"id": 10, "slug": "fut", "status": "future", "content": "FUTUREBODY"},
    {"id": 11, "slug": "auto", "status": "auto-draft"},
    {"id": 12, "slug": "pg", "type": "page", "title": "A page"},
    {"id": 13, "slug": "prod", "type": "product", "title": "A product"},
]


def test_default_selection_and_reasons(tmp_path):
    out, rep = run_convert(tmp_path, STATUS_ITEMS)
    by_id = {i.id: i for i in rep.items}
    assert len(rep.items) == len(STATUS_ITEMS)  # every item accounted for
    assert {i.id for i in rep.written} == {1, 12, 13}
    assert by_id[1].path == "posts/pub.md"
    assert by_id[12].path == "pages/pg.md"
    assert by_id[13].path == "product/prod.md"
    for i in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11):
        assert by_id[i].action == "skipped" and by_id[i].reason and by_id[i].path is None
    assert "draft" in by_id[2].reason and "private" in by_id[3].reason and "password" in by_id[4].reason
    # titles of withheld items stay out of the report
    assert by_id[2].title is None and by_id[3].title is None and by_id[5].title is None


def test_nothing_private_leaks(tmp_path):
    items = STATUS_ITEMS + [
        {
            "id": 20,
            "slug": "with-comments",
            "comments": [
                {
                    "id": 1,
                    "email": "commenter@example.net",
                    "ip": "203.0.113.9",
                    "content": "SPAMTEXT",
                    "approved": "spam",
                },
                {
                    "id": 2,
                    "email": "other@example.net",
                    "ip": "203.0.113.10",
                    "content": "PENDINGTEXT",
                    "approved": "0",
                },
            ],
        },
    ]
    src = tmp_path / "export.xml"
    src.write_bytes(
        build_wxr(items, authors=[{"login": "admin", "email": "admin-secret@example.org", "display_name": "Admin"}])
    )
    out = tmp_path / "site"
    wpmigrate.convert(src, out, report=out / "report.json")
    text = all_text(out)
    for secret in (
        "admin-secret@example.org",
        "commenter@example.net",
        "203.0.113.9",
        "hunter2pw",
        "SPAMTEXT",
        "PENDINGTEXT",
        "DRAFTBODY",
        "PRIVATEBODY",
        "PROTECTEDBODY",
        "TRASHBODY",
        "REVBODY",
        "FUTUREBODY",
        "Secret draft title",
        "Secret private title",
        "Trashed title",
    ):
        assert secret not in text, secret


def test_opt_in_drafts_private_protected(tmp_path):
    out, rep = run_convert(tmp_path, STATUS_ITEMS, drafts=True, private=True, protected=True)
    written = {i.id: i for i in rep.written}
    assert set(written) == {1, 2, 3, 4, 10, 12, 13}
    fm, _ = read_md(out / written[2].path)
    assert fm["draft"] is True
    fm, body = read_md(out / written[4].path)
    assert "hunter2pw" not in (out / written[4].path).read_text()
    assert "PROTECTEDBODY" in body
    fm, _ = read_md(out / written[1].path)
    assert "draft" not in fm


def test_types_filter(tmp_path):
    out, rep = run_convert(tmp_path, STATUS_ITEMS, types=["page"])
    assert {i.id for i in rep.written} == {12}
    with pytest.raises(wpmigrate.UsageError):
        run_convert(tmp_path, STATUS_ITEMS, name="x", types=["attachment"])


def test_a_type_the_export_does_not_hold_is_refused_before_writing(tmp_path):
    with pytest.raises(wpmigrate.UnknownTypeError) as info:
        run_convert(tmp_path, STATUS_ITEMS, name="x", types=["post", "prodcut"])
    assert info.value.types == ("prodcut",) and info.value.exit_code == 2
    # the post types the export holds, with their items (internal ones cannot be asked for)
    assert info.value.counts == {"post": 7, "page": 1, "product": 1}
    assert "post (7), page (1), product (1)" in str(info.value) and "'prodcut'" in str(info.value)
    assert not (tmp_path / "x").exists()  # refused before anything was written


def test_a_core_type_without_items_is_a_warning(tmp_path):
    items = [i for i in STATUS_ITEMS if i.get("type") != "page"]
    out, rep = run_convert(tmp_path, items, types=["post", "page"])
    assert {i.id for i in rep.written} == {1}
    assert [w for w in rep.warnings if "no item of type 'page'" in w and "post (7), product (1)" in w]


# --- paths ----------------------------------------------------------------------


def test_nested_pages_and_unicode_slugs(tmp_path):
    items = [
        {"id": 1, "type": "page", "slug": "%c3%bcber-uns", "title": "Über uns"},
        {"id": 2, "type": "page", "slug": "team", "parent": 1},
        {"id": 3, "type": "page", "slug": "jana", "parent": 2},
        {"id": 4, "slug": "stra%c3%9fe", "title": "Straße"},
    ]
    out, rep = run_convert(tmp_path, items, language="de-DE")
    assert [i.path for i in rep.items] == [
        "pages/ueber-uns.md",
        "pages/ueber-uns/team.md",
        "pages/ueber-uns/team/jana.md",
        "posts/strasse.md",
    ]
    fm, _ = read_md(out / "pages/ueber-uns.md")
    assert fm["slug"] == "über-uns"


@pytest.mark.parametrize("slug", ["../../etc/passwd", "/abs/path", "..", "con", "a/b", "%2e%2e%2fx", ""])
def test_hostile_slugs_stay_inside(tmp_path, slug):
    out, rep = run_convert(tmp_path, [{"id": 1, "slug": slug, "title": ""}])
    (entry,) = rep.items
    target = (out / entry.path).resolve()
    assert out.resolve() in target.parents
    assert target.is_file()
    assert not entry.path.split("/")[-1].startswith(("con.", "."))


def test_empty_slug_falls_back_to_title_then_id(tmp_path):
    out, rep = run_convert(
        tmp_path, [{"id": 5, "slug": "", "title": "Mein Titel"}, {"id": 6, "slug": "", "title": "★"}]
    )
    assert [i.path for i in rep.items] == ["posts/mein-titel.md", "posts/item-6.md"]


def test_collisions_get_suffixes_and_are_reported(tmp_path):
    items = [{"id": i, "slug": "same", "content": f"<p>body {i}</p>"} for i in (1, 2, 3)]
    out, rep = run_convert(tmp_path, items)
    assert [i.path for i in rep.items] == ["posts/same.md", "posts/same-2.md", "posts/same-3.md"]
    assert not rep.items[0].warnings
    assert any("collision" in w for w in rep.items[1].warnings)
    assert "body 3" in (out / "posts/same-3.md").read_text()
    assert rep.summary()["renamed_on_collision"] == 2


# --- re-runs and foreign files ---------------------------------------------------------


def test_rerun_is_byte_identical(tmp_path):
    items = [
        {"id": 1, "slug": "a", "content": "<p>x</p>", "terms": [("category", "c", "C")]},
        {"id": 2, "type": "page"},
    ]
    out, _ = run_convert(tmp_path, items)
    before = {p: p.read_bytes() for p in out.rglob("*.md")}
    wpmigrate.convert(tmp_path / "export.xml", out)
    after = {p: p.read_bytes() for p in out.rglob("*.md")}
    assert before == after


def test_foreign_file_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "site"
    (out / "posts").mkdir(parents=True)
    mine = out / "posts" / "a.md"
    mine.write_text("my own notes\n")
    src = tmp_path / "export.xml"
    src.write_bytes(build_wxr([{"id": 1, "slug": "a"}, {"id": 2, "slug": "b"}]))
    with pytest.raises(wpmigrate.OutputError, match="posts/a.md"):
        wpmigrate.convert(src, out)
    assert mine.read_text() == "my own notes\n"
    assert not (out / "posts" / "b.md").exists()  # nothing written at all
    wpmigrate.convert(src, out, force=True)
    assert "my own notes" not in mine.read_text()


def test_edited_output_counts_as_foreign(tmp_path):
    out, _ = run_convert(tmp_path, [{"id": 1, "slug": "a"}])
    (out / "posts/a.md").write_text("edited by hand\n")
    with pytest.raises(wpmigrate.OutputError):
        wpmigrate.convert(tmp_path / "export.xml", out)


def test_dry_run_writes_nothing(tmp_path):
    out, rep = run_convert(tmp_path, [{"id": 1, "slug": "a"}], dry_run=True)
    assert not out.exists() or not any(out.rglob("*.md"))
    assert rep.items[0].path == "posts/a.md" and rep.dry_run


# --- front matter -------------------------------------------------------------------


def test_front_matter_fields_and_order(tmp_path):
    items = [
        {"id": 7, "type": "attachment", "status": "inherit", "attachment_url": "https://e.org/cover.jpg"},
        {
            "id": 8,
            "slug": "post",
            "title": "Fish &amp; Chips",
            "date": "2024-07-01 14:00:00",
            "date_gmt": "2024-07-01 12:00:00",
            "modified": "2024-07-02 09:00:00",
            "modified_gmt": "2024-07-02 07:00:00",
            "terms": [("category", "food", "Food"), ("post_tag", "uk", "UK"), ("genre", "jazz", "Jazz")],
            "excerpt": "<p>Short &amp; sweet</p>",
            "meta": [("_thumbnail_id", "7")],
        },
    ]
    out, rep = run_convert(tmp_path, items)
    fm, _ = read_md(out / "posts/post.md")
    assert list(fm) == [
        "title",
        "date",
        "updated",
        "slug",
        "author",
        "categories",
        "tags",
        "genre",
        "excerpt",
        "cover_image",
        "id",
        "original_url",
    ]
    assert fm["title"] == "Fish & Chips"
    assert fm["date"] == datetime(2024, 7, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert fm["author"] == "Admin Person"
    assert fm["categories"] == ["Food"] and fm["tags"] == ["UK"] and fm["genre"] == ["Jazz"]
    assert fm["excerpt"] == "Short & sweet"
    assert fm["cover_image"] == "https://e.org/cover.jpg"
    assert fm["id"] == 8
    text = (out / "posts/post.md").read_text()
    assert "date: 2024-07-01T14:00:00+02:00\n" in text


def test_draft_without_gmt_uses_site_offset(tmp_path):
    items = [
        {"id": 1, "slug": "a"},
        {"id": 2, "slug": "b", "status": "draft", "date_gmt": "0000-00-00 00:00:00", "date": "2024-01-05 10:00:00"},
    ]
    out, _ = run_convert(tmp_path, items, drafts=True)
    fm, _ = read_md(out / "posts/b.md")
    assert fm["date"].utcoffset() == timedelta(hours=1)


xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufdd0\ufffe\uffff"),
    min_size=1,
    max_size=60,
) | st.sampled_from(
    [
        'He said "hi"',
        "a: b",
        "#tag",
        "@home",
        "- dash",
        "---",
        "a\\b",
        "x\n---\ny",
        "🙂 ok",
        "עברית ‏rtl",  # noqa: PLE2502 - a right-to-left mark in a title
        "'quoted'",
        "  padded  ",
        "yes",
        "null",
        "1.5",
        "2024-01-01",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=xml_text)
def test_any_title_round_trips_through_the_pipeline(tmp_path_factory, title):
    import html

    tmp = tmp_path_factory.mktemp("rt")
    src = tmp / "e.xml"
    # WordPress shows post_title as HTML: store the visible title escaped.
    src.write_bytes(build_wxr([{"id": 1, "slug": "t", "title": html.escape(title, quote=False)}]))
    wpmigrate.convert(src, tmp / "out", clean=False)
    fm, _ = read_md(tmp / "out/posts/t.md")
    assert fm["title"] == title


@settings(max_examples=60, deadline=None)
@given(title=xml_text, tags=st.lists(xml_text, max_size=3))
def test_front_matter_yaml_round_trip(title, tags):
    doc = render_document({"title": title, "tags": tags}, "body")
    fields, body = parse_document(doc)
    assert fields == {"title": title, "tags": tags}
    assert body == "body\n"
    assert yaml.safe_load(doc.split("---\n")[1]) is not None


# --- report and CLI -----------------------------------------------------------------


def test_report_file_lists_every_item(tmp_path):
    src = tmp_path / "e.xml"
    src.write_bytes(build_wxr(STATUS_ITEMS))
    report = tmp_path / "r.json"
    wpmigrate.convert(src, tmp_path / "o", report=report)
    data = json.loads(report.read_text())
    assert [i["id"] for i in data["items"]] == [i["id"] for i in STATUS_ITEMS]
    assert set(data["items"][0]) >= {"id", "type", "status", "title", "action", "reason", "path", "warnings"}
    assert data["summary"]["written"] == 3


def _put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "wpmigrate", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_cli_unknown_type_is_a_usage_error_listing_the_types(tmp_path):
    src = tmp_path / "e.xml"
    src.write_bytes(build_wxr(STATUS_ITEMS))
    r = cli("convert", src, "-o", tmp_path / "o", "--types", "nosuchtype")
    assert r.returncode == 2, r.stderr
    assert "no post type 'nosuchtype' in this export" in r.stderr and "post (7), page (1), product (1)" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "o").exists()
    r = cli("convert", src, "-o", tmp_path / "o", "--types", "post,page")
    assert r.returncode == 0 and "wrote 2 of 13 items" in r.stdout


def test_cli_core_type_without_items_warns(tmp_path):
    src = tmp_path / "e.xml"
    src.write_bytes(build_wxr([i for i in STATUS_ITEMS if i.get("type") != "page"]))
    r = cli("convert", src, "-o", tmp_path / "o", "--types", "page")
    assert r.returncode == 0, r.stderr
    assert "wrote 0 of 12 items" in r.stdout and "the export has no item of type 'page'" in r.stdout


def test_cli_convert_ok_and_summary(tmp_path):
    src = tmp_path / "e.xml"
    src.write_bytes(build_wxr(STATUS_ITEMS))
    r = cli("convert", src, "-o", tmp_path / "o", "--report", tmp_path / "r.json")
    assert r.returncode == 0, r.stderr
    assert "wrote 3 of 13 items" in r.stdout
    assert (tmp_path / "r.json").is_file()


@pytest.mark.parametrize(
    "setup, code, words",
    [
        (lambda p: p / "missing.xml", 2, "no such file"),
        (lambda p: p, 2, "directory"),
        (lambda p: _put(p / "empty.xml", b""), 2, "empty"),
        (
            lambda p: _put(
                p / "feed.xml",
                b"<?xml version='1.0'?><rss version='2.0'><channel><title>f</title><item><title>x</title></item></channel></rss>",
            ),
            2,
            "WordPress export",
        ),
        (lambda p: _put(p / "page.html", b"<!DOCTYPE html><html><body><p>Hi</body></html>"), 2, "WordPress export"),
    ],
)
def test_cli_refuses_non_exports(tmp_path, setup, code, words):
    target = setup(tmp_path)
    r = cli("convert", target, "-o", tmp_path / "out")
    assert r.returncode == code, r.stderr
    assert words in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_cli_truncated_export_writes_complete_items_then_fails(tmp_path):
    data = build_wxr([{"id": i, "slug": f"p{i}", "content": "<p>text</p>" * 20} for i in range(1, 6)])
    cut = data[: data.index(b"<wp:post_id>5</wp:post_id>") + 10]
    src = tmp_path / "cut.xml"
    src.write_bytes(cut)
    r = cli("convert", src, "-o", tmp_path / "out", "--report", tmp_path / "r.json")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert f"{src}:" in r.stderr and "malformed" in r.stderr
    assert sorted(p.name for p in (tmp_path / "out/posts").iterdir()) == ["p1.md", "p2.md", "p3.md", "p4.md"]
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["summary"]["error"]


def test_cli_foreign_file_exit_code(tmp_path):
    src = tmp_path / "e.xml"
    src.write_bytes(build_wxr([{"id": 1, "slug": "a"}]))
    (tmp_path / "o/posts").mkdir(parents=True)
    (tmp_path / "o/posts/a.md").write_text("mine")
    r = cli("convert", src, "-o", tmp_path / "o")
    assert r.returncode == 1 and "--force" in r.stderr and "Traceback" not in r.stderr


def test_cli_bad_option_is_usage_error(tmp_path):
    r = cli("convert", "x.xml", "-o", tmp_path / "o", "--shortcodes", "bogus")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_an_unwritable_report_path_is_named_in_the_error(tmp_path):
    sample = Path(__file__).resolve().parents[1] / "samples" / "zeen-de-export.xml"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    report = blocker / "report.json"
    with pytest.raises(wpmigrate.OutputError) as info:
        wpmigrate.convert(sample, tmp_path / "out", report=report)
    assert str(report) in str(info.value) and ".tmp" not in str(info.value)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "wpmigrate",
            "convert",
            str(sample),
            "-o",
            str(tmp_path / "out2"),
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert f"{report}: cannot write the report" in proc.stderr
    assert ".tmp" not in proc.stderr and "Traceback" not in proc.stderr


def test_front_matter_takes_string_subclasses():
    # lxml hands out str subclasses (text_content() on lxml 5.0, XPath string results)
    from lxml import etree

    smart = etree.fromstring("<a>Titel: mit Markup</a>").xpath("//text()")[0]
    assert type(smart) is not str
    assert (
        render_document({"title": smart, "tags": [smart]}, "x")
        == "---\ntitle: 'Titel: mit Markup'\ntags:\n- 'Titel: mit Markup'\n---\n\nx\n"
    )
