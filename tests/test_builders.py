"""Page builders through a whole conversion: the report, ``--shortcodes drop``, the registry.

The rendering of each builder is in tests/cases/builders/; this checks what a
case file cannot: the report's counts, the command line with ``--shortcodes
drop`` on an export whose attachments the builder's image ids point to, and
that the builder tables and prefixes are the renderer's to change.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import wpmigrate
from tests.wxrbuild import build_wxr
from wpmigrate.frontmatter import parse_document
from wpmigrate.render import Renderer
from wpmigrate.render.builders import BUILDERS, Kind, builder_names, builder_prefixes

PAGE = (
    "[vc_row][vc_column]"
    '[vc_custom_heading text="Our menu" font_container="tag:h2|text_align:left"]'
    '[vc_single_image image="347" img_size="large"]'
    "[vc_column_text]Fresh every day.[/vc_column_text]"
    '[vc_fancy_box style="round"]Ask for the daily special.[/vc_fancy_box]'
    '[vc_btn title="Reserve" link="url:https%3A%2F%2Fexample.org%2Freserve%2F|title:Reserve|target:_blank"]'
    "[vc_separator][vc_empty_space]"
    '[highlight color="yellow"]plain plugin text[/highlight]'
    "[/vc_column][/vc_row]"
)

ITEMS = [
    {"id": 10, "type": "page", "title": "Menu", "slug": "menu", "content": PAGE},
    {
        "id": 347,
        "type": "attachment",
        "status": "inherit",
        "title": "soup",
        "slug": "soup",
        "attachment_url": "https://example.org/wp-content/uploads/soup.jpg",
        "meta": [("_wp_attachment_image_alt", "A bowl of soup")],
    },
]


def _convert(tmp_path, *args: str):
    src = tmp_path / "export.xml"
    src.write_bytes(build_wxr(ITEMS))
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    run = subprocess.run(
        [sys.executable, "-m", "wpmigrate", "convert", str(src), "-o", str(out), "--report", str(report), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    (page,) = [p for p in out.rglob("*.md")]
    _fields, body = parse_document(page.read_text(encoding="utf-8"))
    return body, json.loads(report.read_text(encoding="utf-8")), run.stdout


def test_unknown_builder_elements_are_counted_in_the_report(tmp_path):
    body, report, stdout = _convert(tmp_path)
    assert "Ask for the daily special." in body and "[vc_fancy_box" not in body
    (entry,) = [i for i in report["items"] if i["id"] == 10]
    # known builder elements are rendered, not counted; the unknown one is, as the HTML
    # builders' unknown elements are, apart from other plugins' shortcodes
    assert entry["builder_elements"] == {"vc_fancy_box": 1}
    assert entry["unknown_shortcodes"] == {"highlight": 1}
    assert report["summary"]["builder_elements"] == {"vc_fancy_box": 1}
    assert report["summary"]["unknown_shortcodes"] == {"highlight": 1}
    assert "vc_fancy_box" in stdout


def test_shortcodes_drop_keeps_what_builder_attributes_hold(tmp_path):
    body, report, _ = _convert(tmp_path, "--shortcodes", "drop")
    assert body == (
        "## Our menu\n\n"
        "![A bowl of soup](https://example.org/wp-content/uploads/soup.jpg)\n\n"
        "Fresh every day.\n\n"
        "Ask for the daily special.\n\n"
        "[Reserve](https://example.org/reserve/)\n\n"
        "plain plugin text\n"
    )


def test_the_default_policy_keeps_other_shortcodes_as_written(tmp_path):
    body, _, _ = _convert(tmp_path)
    assert '[highlight color="yellow"]plain plugin text[/highlight]' in body
    assert "\\[" not in body and "\\]" not in body


def test_a_missing_attachment_is_a_warning_not_an_error():
    body = wpmigrate.convert_content('[vc_row][vc_column][vc_single_image image="99"][/vc_column][/vc_row]')
    assert body.markdown == ""
    assert body.warnings == ["[vc_single_image]: attachment 99 not found"]


def test_a_renderer_changes_one_element_and_its_prefix():
    renderer = Renderer()
    renderer.shortcodes.register("vc_column_text", lambda sc, ctx: "<p>replaced</p>", early=True)
    r = renderer.render("[vc_row][vc_column_text]x[/vc_column_text][vc_new]kept[/vc_new][/vc_row]")
    assert r.html == "<p>replaced</p>\n<p>kept</p>\n"
    assert r.builder_elements == {"vc_new": 1}
    bare = Renderer()
    bare.shortcodes.prefixes.clear()
    assert bare.render("[vc_new]kept[/vc_new]").html == "<p>[vc_new]kept[/vc_new]</p>\n"


def test_a_bad_prefix_is_a_usage_error():
    with pytest.raises(wpmigrate.UsageError):
        Renderer().shortcodes.register_prefix("[vc", lambda sc, ctx: "")


def test_profiles_are_consistent():
    names = builder_names()
    prefixes = builder_prefixes()
    for builder in BUILDERS:
        for name, element in builder.elements.items():
            assert name.startswith(builder.prefixes), name
            if element.kind in (Kind.IMAGE, Kind.GALLERY):
                assert element.image or element.content == "image", name
            if element.kind is Kind.BUTTON:
                assert element.url, name
    assert len(names) == sum(len(b.elements) for b in BUILDERS)  # no element in two profiles
    assert len(set(prefixes)) == len(prefixes)


def test_fidelity_counts_builder_leftovers_and_finds_none(tmp_path):
    from tests.test_markdown import _fidelity_module

    fidelity = _fidelity_module()
    # what the converter wrote before builders were rendered counts as leftovers
    assert len(fidelity._ESCAPED_SHORTCODE.findall("[vc_row\\][vc_column\\]Hello[/vc_column\\]")) == 3
    assert fidelity._ESCAPED_SHORTCODE.findall("[\\[top\\]](#top) [note\\](x) [a\\][^1]") == []
    assert {"[vc_", "[/et_pb_", "[fusion_", "[av_", "[cs_", "[x_", "[thrive_"} <= set(fidelity.LEFTOVER_PATTERNS)
    src = tmp_path / "export.xml"
    src.write_bytes(build_wxr(ITEMS))
    tally = fidelity.measure(src, clean=False, names=fidelity.shortcode_names())
    assert tally.items == 1 and not tally.leftovers
    # the source side removes the builder's brackets, so their names are not counted as missing words
    assert tally.words_hit == tally.words_src


def test_readme_lists_every_builder_profile():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Page builders", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    for builder in BUILDERS:
        (row,) = [r for r in rows if r.startswith(f"| {builder.name} |")]
        for prefix in builder.prefixes:
            assert f"`[{prefix}*]`" in row, (builder.name, prefix)
    kinds_listed = {k.strip() for r in rows for k in r.split("|")[1].split(",")}
    assert {kind.value for kind in Kind} <= kinds_listed


def test_deep_nesting_is_flattened_not_recursed():
    from wpmigrate.render.builders import MAX_DEPTH

    n = 5000
    content = "".join(f"[vc_x{i}]" for i in range(n)) + "deep text" + "".join(f"[/vc_x{i}]" for i in reversed(range(n)))
    body = wpmigrate.convert_content(content)
    assert body.markdown == "deep text\n"
    assert body.warnings == [f"page builder elements nested more than {MAX_DEPTH} deep: their tags removed"]
    assert len(body.builder_elements) == MAX_DEPTH + 1  # the top level and MAX_DEPTH levels inside it
