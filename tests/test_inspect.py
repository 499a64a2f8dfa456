"""``wpmigrate inspect``: what is inside an export, in one streaming pass."""

from __future__ import annotations

import json

import pytest

from tests import corpus
from tests.wxrbuild import build_wxr
from wpmigrate import inspect_export
from wpmigrate.cli import main

AUTHORS = [
    {"id": 1, "login": "jdoe-login", "email": "jdoe@mail.example.net", "display_name": "Jane Doe"},
    {"id": 2, "login": "ed-login", "email": "ed@mail.example.net", "display_name": "Ed Itor"},
]


def _export(tmp_path):
    items = [
        {
            "id": 10,
            "title": "Builder page",
            "type": "page",
            "slug": "about",
            "author": "jdoe-login",
            "content": "[vc_row][vc_column][vc_column_text]Hi[/vc_column_text][/vc_column][/vc_row]"
            '[contact-form-7 id="4"][acme_widget]<pre>[not_a_shortcode]</pre>',
            "meta": [("_wpb_vc_js_status", "true"), ("_wp_page_template", "full-width.php")],
            "date": "2019-05-01 08:00:00",
        },
        {
            "id": 11,
            "title": "Blocks",
            "slug": "blocks",
            "author": "ed-login",
            "content": "<!-- wp:paragraph --><p>One</p><!-- /wp:paragraph -->"
            '<!-- wp:paragraph --><p>Two [gallery ids="1,2"]</p><!-- /wp:paragraph -->'
            '<!-- wp:acme/slider {"a":1} /--><!-- wp:contact-form-7/contact-form-selector {"id":4} /-->'
            '<!-- wp:code --><pre class="wp-block-code"><code>x</code></pre><!-- /wp:code -->',
            "terms": [("category", "news", "News"), ("post_tag", "t1", "T1")],
            "meta": [("_yoast_wpseo_metadesc", "About blocks"), ("rank_math_title", "%title%")],
            "date": "2024-02-03 09:00:00",
        },
        {
            "id": 12,
            "title": "Elementor",
            "slug": "blocks",
            "author": "jdoe-login",
            "status": "draft",
            "content": '<div class="elementor elementor-12"><div class="elementor-widget-heading">H</div></div>',
            "meta": [("_elementor_data", '[{"id":"1"}]'), ("_elementor_edit_mode", "builder")],
            "terms": [("category", "news", "News")],
            "password": "s3cret-pass",
            "date": "2021-01-01 00:00:00",
        },
        {
            "id": 20,
            "type": "attachment",
            "status": "inherit",
            "slug": "foto",
            "attachment_url": "https://example.org/wp-content/uploads/2024/03/foto.jpg",
        },
        {
            "id": 21,
            "type": "attachment",
            "status": "inherit",
            "slug": "gone",
            "attachment_url": "https://example.org/wp-content/uploads/2023/01/gone.png",
        },
        {"id": 30, "type": "nav_menu_item", "slug": "30", "content": "[vc_row]"},
        {
            "id": 13,
            "title": "Commented",
            "slug": "commented",
            "author": "jdoe-login",
            "content": "Text CTRLMARK here",
            "comments": [{"id": 1, "email": "reader@mail.example.net"}, {"id": 2, "approved": "spam"}],
        },
    ]
    data = build_wxr(items, authors=AUTHORS).replace(b"CTRLMARK", b"a\x01b")
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "03").mkdir(parents=True)
    (uploads / "2024" / "03" / "foto.jpg").write_bytes(b"\xff\xd8\xff")
    return path, uploads


def test_counts_authors_taxonomies_dates(tmp_path):
    path, uploads = _export(tmp_path)
    d = inspect_export(path, uploads=uploads).to_dict()
    assert d["version"] == 1
    assert d["items"] == 7 and d["broken"] == 0
    assert d["types"] == {
        "attachment": {"inherit": 2},
        "nav_menu_item": {"publish": 1},
        "page": {"publish": 1},
        "post": {"draft": 1, "publish": 2},
    }
    assert d["authors"] == {"Jane Doe": 3, "Ed Itor": 1}
    assert d["taxonomies"]["category"] == {"terms": 0, "used": 1, "assignments": 2}
    assert d["taxonomies"]["post_tag"] == {"terms": 0, "used": 1, "assignments": 1}
    assert d["dates"]["first"].startswith("2019-05-01") and d["dates"]["last"].startswith("2024-03-01")
    assert d["comments"] == 2 and d["attachments"] == 2


def test_shortcodes_and_blocks_with_their_handling(tmp_path):
    path, _ = _export(tmp_path)
    d = inspect_export(path).to_dict()
    shortcodes = {u["name"]: u for u in d["shortcodes"]}
    assert shortcodes["vc_row"]["handling"] == "rendered"
    assert shortcodes["vc_row"]["builder"].startswith("WPBakery")
    assert shortcodes["vc_column_text"]["count"] == 1  # nested ones are found too
    assert shortcodes["contact-form-7"]["handling"] == "cleaned"
    assert shortcodes["acme_widget"]["handling"] == "kept"
    assert shortcodes["gallery"]["handling"] == "rendered"
    assert "not_a_shortcode" not in shortcodes  # inside <pre>: text
    assert shortcodes["vc_row"]["items"] == 1  # the menu item's content is not read
    blocks = {u["name"]: u for u in d["blocks"]}
    assert blocks["core/paragraph"] == {
        "name": "core/paragraph",
        "count": 2,
        "items": 1,
        "handling": "html",
        "builder": None,
    }
    assert blocks["core/code"]["handling"] == "rendered"
    assert blocks["acme/slider"]["handling"] == "html"
    assert blocks["contact-form-7/contact-form-selector"]["handling"] == "cleaned"


def test_builders_plugins_profiles(tmp_path):
    path, _ = _export(tmp_path)
    d = inspect_export(path).to_dict()
    assert d["page_builders"] == {"Elementor": 1, "WPBakery Page Builder (Visual Composer)": 1}
    assert d["plugins"]["Yoast SEO"] == 1 and d["plugins"]["Rank Math SEO"] == 1
    assert d["plugins"]["Elementor"] == 1 and d["plugins"]["WPBakery Page Builder"] == 1
    assert d["plugins"]["blocks: acme"] == 1
    assert d["page_templates"] == {"full-width.php": 1}
    assert d["profiles"]["forms"] == 4  # an "always" profile applies to every written item


def test_problems(tmp_path):
    path, uploads = _export(tmp_path)
    problems = inspect_export(path, uploads=uploads).to_dict()["problems"]
    kinds = {(p["kind"], p["item"]) for p in problems}
    assert ("control-characters", 13) in kinds
    assert ("duplicate-slug", 12) in kinds
    assert ("password-protected", 12) in kinds
    assert ("missing-file", 21) in kinds and ("missing-file", 20) not in kinds
    control = next(p for p in problems if p["kind"] == "control-characters")
    assert control["file"] == str(path) and control["line"] > 1


def test_nothing_personal_in_either_output(tmp_path, capsys):
    path, uploads = _export(tmp_path)
    for extra in ([], ["--json"]):
        with pytest.raises(SystemExit) as exit_info:
            main(["inspect", str(path), "--uploads", str(uploads), *extra])
        out, err = capsys.readouterr()
        assert exit_info.value.code == 0, err
        for secret in ("@mail.example.net", "jdoe-login", "ed-login", "s3cret-pass", "192.0.2.7"):
            assert secret not in out
        if extra:
            assert json.loads(out)["authors"] == {"Jane Doe": 3, "Ed Itor": 1}
        else:
            assert "Jane Doe" in out and "vc_row" in out and "missing-file" in out


def test_broken_item_with_file_line_column(tmp_path, capsys):
    data = build_wxr([{"id": 1, "title": "Good"}, {"id": 2, "title": "BROKEN"}, {"id": 3}])
    data = data.replace(b"<title>BROKEN</title>", b"<title>BROKEN</titl>")
    path = tmp_path / "broken.xml"
    path.write_bytes(data)
    d = inspect_export(path).to_dict()
    assert d["broken"] == 1 and d["items"] == 2
    broken = [p for p in d["problems"] if p["kind"] == "broken-item"]
    assert len(broken) == 1 and broken[0]["file"] == str(path)
    line = data[: data.index(b"</titl>")].count(b"\n") + 1
    assert broken[0]["line"] == line and broken[0]["column"] > 0
    with pytest.raises(SystemExit) as exit_info:
        main(["inspect", str(path)])
    out, _ = capsys.readouterr()
    assert exit_info.value.code == 0
    assert f"broken-item: {path}:{line}:" in out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["inspect", "{tmp}/nothing.xml"], 2, "no such file"),
        (["inspect", "{tmp}/notxml.xml"], 2, "not a WordPress export"),
        (["inspect", "{tmp}/ok.xml", "--uploads", "{tmp}/nothere"], 2, "not a folder"),
    ],
)
def test_errors_are_one_line(tmp_path, capsys, argv, code, message):
    (tmp_path / "notxml.xml").write_text("hello")
    (tmp_path / "ok.xml").write_bytes(build_wxr([{"id": 1}]))
    with pytest.raises(SystemExit) as exit_info:
        main([a.format(tmp=tmp_path) for a in argv])
    out, err = capsys.readouterr()
    assert exit_info.value.code == code
    assert message in err and "Traceback" not in err and err.startswith("wpmigrate: error:")


@pytest.mark.parametrize("path", corpus.files_or_skip(corpus.WXR, "*.xml"), ids=lambda p: p.name)
def test_corpus_exports(path):
    d = inspect_export(path).to_dict()
    json.dumps(d)
    assert sum(sum(s.values()) for s in d["types"].values()) == d["items"]
    assert all(u["handling"] in ("rendered", "cleaned", "kept", "html") for u in d["shortcodes"] + d["blocks"])
    text = json.dumps(d)
    assert "@" not in "".join(d["authors"])
    assert "author_email" not in text


def test_uploads_found_by_the_attached_file_record(tmp_path):
    items = [
        {
            "id": 1,
            "type": "attachment",
            "status": "inherit",
            "attachment_url": "https://cdn.example.net/foto.jpg",  # a CDN URL, not below wp-content/uploads
            "meta": [("_wp_attached_file", "2024/03/foto.jpg")],
        },
        {
            "id": 2,
            "type": "attachment",
            "status": "inherit",
            "attachment_url": "https://example.org/wp-content/uploads/../../etc/passwd",
        },
    ]
    path = tmp_path / "media.xml"
    path.write_bytes(build_wxr(items))
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "03").mkdir(parents=True)
    (uploads / "2024" / "03" / "foto.jpg").write_bytes(b"x")
    problems = inspect_export(path, uploads=uploads).to_dict()["problems"]
    assert [(p["kind"], p["item"]) for p in problems] == [("missing-file", 2)]
    assert problems[0]["file"] == str(path) and problems[0]["line"] > 1


def test_bracketed_prose_is_not_a_shortcode(tmp_path):
    """Only what the renderer would take for a shortcode is listed: "[sic]" in prose is
    a plausible unknown name only in lower case without attributes, "[Editor's note]" and
    "[simple boat]" are prose."""
    content = (
        "He wrote [Editor's note] and [simple boat] and [NAME] here.\n\n"
        '[acme_box color="red"]Boxed[/acme_box] [acme_widget id=4] [toc] [caption]x[/caption]'
    )
    path = tmp_path / "prose.xml"
    path.write_bytes(build_wxr([{"id": 1, "content": content}]))
    names = {u["name"] for u in inspect_export(path).to_dict()["shortcodes"]}
    assert names == {"acme_box", "acme_widget", "toc", "caption"}
