"""``wpmigrate clean EXPORT.xml -o CLEANED.xml``: a cleaned WXR for re-import (wpmigrate.clean_export)."""

from __future__ import annotations

import dataclasses
import gzip
import json
import signal
from pathlib import Path

import pytest
from lxml import etree

from tests import corpus
from tests.wxrbuild import build_wxr
from wpmigrate import clean_export, read_export
from wpmigrate.clean import export as export_module
from wpmigrate.cli import main
from wpmigrate.errors import NotAnExportError, OutputError, UsageError
from wpmigrate.model import BrokenItem

CORPUS_EXPORTS = [
    *corpus.files_or_skip(corpus.WXR, "*.xml"),
    *corpus.files_or_skip(corpus.IMPORTER, "*.xml"),
    *corpus.files_or_skip(corpus.IMPORTER / "e2e", "*.xml"),
]

PROSE = "A paragraph of the article itself, long enough to count as prose, about the trip to Porto and the food."
MORE_PROSE = "Another paragraph of real content: the river, the bridges and the old town at night, with friends."

# boilerplate as plugins and themes store it in post_content
SHARE_DIV = (
    '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">'
    '<h3 class="sd-title">Share this:</h3><ul><li class="share-twitter">'
    '<a href="https://example.org/?share=twitter">Twitter</a></li></ul></div></div>'
)
NEWSLETTER_FORM = (
    '<div id="mc_embed_signup"><form action="https://example.us1.list-manage.com/subscribe/post" method="post">'
    '<label for="mce-EMAIL">Subscribe</label><input type="email" name="EMAIL" id="mce-EMAIL"></form></div>'
)
NEWSLETTER_SHORTCODE = '[mc4wp_form id="12"]'
NEWSLETTER_BLOCK = '<!-- wp:mailchimp-for-wp/form {"id":3} /-->'
ZEEN_PROMO_BLOCK = (
    "<!-- wp:paragraph -->\n<p>Zeen is a next generation WordPress theme. It’s powerful, beautifully designed "
    "and comes with everything you need to engage your visitors and increase conversions.</p>\n"
    "<!-- /wp:paragraph -->\n"
)
ZEEN_SHARE_BLOCK = (
    '<!-- wp:html -->\n<div class="zeen-share-buttons"><a href="https://example.org/share">Share</a></div>\n'
    "<!-- /wp:html -->\n"
)

CLASSIC_KEPT = [PROSE + "\n\n", "\n\n" + MORE_PROSE + "\n\n", '\n\n<!--more-->\n[caption id="1"]x[/caption]\n']
CLASSIC = CLASSIC_KEPT[0] + NEWSLETTER_SHORTCODE + CLASSIC_KEPT[1] + SHARE_DIV + CLASSIC_KEPT[2]
BLOCKS_KEPT = [
    f"<!-- wp:paragraph -->\n<p>{PROSE}</p>\n<!-- /wp:paragraph -->\n\n",
    "\n\n",
    f"\n<!-- wp:paragraph -->\n<p>{MORE_PROSE}</p>\n<!-- /wp:paragraph -->\n\n",
    "<!-- wp:html -->\n",
    "\n<!-- /wp:html -->",
]
BLOCKS = (
    BLOCKS_KEPT[0]
    + NEWSLETTER_BLOCK
    + BLOCKS_KEPT[1]
    + ZEEN_PROMO_BLOCK
    + BLOCKS_KEPT[2]
    + ZEEN_SHARE_BLOCK
    + BLOCKS_KEPT[3]
    + NEWSLETTER_FORM
    + BLOCKS_KEPT[4]
)
# a block emptied by a removal goes whole (its delimiters too); the line end after it stays
BLOCKS_CLEANED = BLOCKS_KEPT[0] + BLOCKS_KEPT[1] + "\n" + BLOCKS_KEPT[2] + "\n"
NOTHING = f'{PROSE}\n\n<div class="note">{MORE_PROSE}</div>\n\n[gallery ids="1,2"]'


def items() -> list[dict]:
    return [
        {
            "id": 10,
            "title": "Classic",
            "content": CLASSIC,
            "excerpt": "Share this: an excerpt is never cleaned",
            "meta": [("_yoast_wpseo_metadesc", "Porto")],
            "terms": [("category", "travel", "Travel")],
            "comments": [{"content": "Nice trip!"}],
        },
        {"id": 11, "title": "Blocks", "content": BLOCKS},
        {"id": 12, "title": "Nothing to clean", "content": NOTHING},
        {"id": 13, "type": "attachment", "status": "inherit", "content": SHARE_DIV},
        {"id": 14, "type": "page", "title": "A page", "content": CLASSIC},
    ]


@pytest.fixture
def export_file(tmp_path: Path) -> Path:
    path = tmp_path / "export.xml"
    path.write_bytes(build_wxr(items()))
    return path


def read_all(path: Path):
    export = read_export(path)
    entries = list(export.entries())
    return export.site, entries


def body_bytes(data: bytes, item_id: int) -> bytes:
    """The raw ``<content:encoded>`` bytes of one item (an lxml parse finds the item; the bytes
    are sliced between its tags, which appear once per item)."""
    start = data.index(f"<wp:post_id>{item_id}</wp:post_id>".encode())
    item_start = data.rindex(b"<item>", 0, start)
    open_tag = data.index(b"<content:encoded>", item_start) + len(b"<content:encoded>")
    return data[open_tag : data.index(b"</content:encoded>", open_tag)]


# --- (c) a hand-made export: boilerplate goes, every other byte stays ------------------------


def test_boilerplate_goes_and_the_rest_of_each_body_stays_byte_for_byte(export_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "cleaned.xml"
    summary = clean_export(export_file, out)
    assert summary.exit_code == 0
    assert [c.id for c in summary.changed] == [10, 11, 14]
    by_id = {i.id: i for i in read_export(out)}
    assert by_id[10].content == "".join(CLASSIC_KEPT)
    assert by_id[14].content == "".join(CLASSIC_KEPT)
    assert by_id[11].content == BLOCKS_CLEANED
    assert by_id[12].content == NOTHING
    assert by_id[13].content == SHARE_DIV  # an attachment's description is no post body
    assert by_id[10].excerpt == "Share this: an excerpt is never cleaned"
    site, before = read_all(export_file)
    site_after, after = read_all(out)
    assert site_after == site
    assert by_id[12].line < before[2].line  # the items after a shorter body moved up
    assert _items_without_bodies(after) == _items_without_bodies(before)
    # outside the changed bodies, the file is the same bytes
    original, cleaned = export_file.read_bytes(), out.read_bytes()
    for item_id in (10, 11, 14):
        original = original.replace(body_bytes(original, item_id), b"BODY", 1)
        cleaned = cleaned.replace(body_bytes(cleaned, item_id), b"BODY", 1)
    assert original == cleaned
    assert body_bytes(out.read_bytes(), 10) == b"<![CDATA[" + "".join(CLASSIC_KEPT).encode() + b"]]>"


def test_cleaning_the_cleaned_export_changes_nothing(export_file: Path, tmp_path: Path) -> None:
    once, twice = tmp_path / "once.xml", tmp_path / "twice.xml"
    clean_export(export_file, once)
    summary = clean_export(once, twice)
    assert summary.changed == []
    assert once.read_bytes() == twice.read_bytes()


def test_report_lists_each_item_s_removals_by_rule_with_file_lines(export_file: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.jsonl"
    clean_export(export_file, tmp_path / "cleaned.xml", report=report)
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    removed = [(d["item"], d["rule"]) for d in lines if d["action"] == "removed"]
    assert (10, "newsletters.mc4wp-shortcode") in removed
    assert (10, "share.jetpack-sharedaddy") in removed
    assert (11, "newsletters.mc4wp-block") in removed
    assert (11, "zeen.share") in removed
    assert (11, "zeen.promo-text") in removed
    assert (11, "newsletters.mailchimp-embed") in removed
    assert not [d for d in lines if d["item"] in (12, 13)]
    source_lines = export_file.read_text(encoding="utf-8").splitlines()
    for d in lines:
        assert set(d) >= {"file", "item", "action", "rule", "profile", "reason", "text", "line_start", "line_end"}
        if d["action"] == "removed":
            # the line the report names holds the start of what was removed
            start = d["text"].split()[0].strip("…")
            line = source_lines[d["line_start"] - 1]
            assert start in line or d["text"] in ("Share this: Twitter", "Subscribe"), (d, line)
            if d["text"] == "Share this: Twitter":
                assert 'class="sharedaddy' in line


def test_check_writes_nothing_and_lists_the_items_that_would_change(export_file: Path, tmp_path: Path) -> None:
    summary = clean_export(export_file, check=True)
    assert summary.exit_code == 1
    assert [(c.id, c.type) for c in summary.changed] == [(10, "post"), (11, "post"), (14, "page")]
    assert list(tmp_path.iterdir()) == [export_file]
    clean = tmp_path / "clean.xml"
    clean_export(export_file, clean)
    assert clean_export(clean, check=True).exit_code == 0


def test_a_paragraph_wpautop_makes_is_removed_as_its_stretch_of_text(tmp_path: Path) -> None:
    promo = (
        "Zeen is a next generation WordPress theme. It’s powerful, beautifully designed and comes with "
        "everything you need to engage your visitors and increase conversions."
    )
    body = f"{PROSE}\n\n{promo}\n\n{MORE_PROSE}\n\nShare this:\n"
    path = tmp_path / "export.xml"
    path.write_bytes(build_wxr([{"id": 5, "content": body}]))
    out = tmp_path / "out.xml"
    summary = clean_export(path, out, profiles=["zeen", "share-buttons"])
    assert summary.kept == 0 and summary.removed == 2
    assert next(iter(read_export(out))).content == f"{PROSE}\n\n\n\n{MORE_PROSE}\n\n\n"


def test_a_paragraph_whose_text_is_twice_in_the_body_is_kept(tmp_path: Path) -> None:
    # which of the two stretches is the one the rule took cannot be told: neither goes
    promo = "Zeen is a next generation WordPress theme, with everything you need to engage your visitors."
    body = f"{PROSE}\n\n{promo}\n\n<blockquote>{promo}</blockquote>\n\n{MORE_PROSE}"
    path = tmp_path / "export.xml"
    path.write_bytes(build_wxr([{"id": 5, "content": body}]))
    summary = clean_export(path, tmp_path / "out.xml", profiles=["zeen"])
    assert summary.kept >= 1 and summary.changed == []
    assert (tmp_path / "out.xml").read_bytes() == path.read_bytes()


def test_a_decision_without_an_exact_span_is_kept_and_reported(tmp_path: Path) -> None:
    # the [caption] inside renders as a figure: the stored element's text is not the rendered one
    body = (
        f"{PROSE}\n\n{MORE_PROSE}\n\n"
        '<div class="sharedaddy"><h3>Share this:</h3>[caption id="1"]<img src="a.jpg"> Cap[/caption]</div>'
    )
    path = tmp_path / "export.xml"
    path.write_bytes(build_wxr([{"id": 5, "content": body}]))
    report = tmp_path / "r.jsonl"
    summary = clean_export(path, tmp_path / "out.xml", report=report)
    assert summary.kept == 1 and summary.changed == []
    assert (tmp_path / "out.xml").read_bytes() == path.read_bytes()
    line = json.loads(report.read_text(encoding="utf-8"))
    assert line["action"] == "flagged" and line["item"] == 5 and "not_removed" in line


def test_the_breaker_holds_back_tree_decisions_as_in_convert(tmp_path: Path) -> None:
    body = "Short post.\n\n" + SHARE_DIV.replace("Share this:", "Share this: " + MORE_PROSE)
    path = tmp_path / "export.xml"
    path.write_bytes(build_wxr([{"id": 5, "content": body}]))
    summary = clean_export(path, tmp_path / "out.xml")
    assert summary.needs_review == 1 and summary.changed == []
    assert (tmp_path / "out.xml").read_bytes() == path.read_bytes()


# --- (d) "]]>" inside a body ---------------------------------------------------------------------


def test_a_body_holding_cdata_end_is_split_as_wordpress_splits_it(tmp_path: Path) -> None:
    code = '<!-- wp:code -->\n<pre class="wp-block-code"><code>if (a[b[0]]>1) {}</code></pre>\n<!-- /wp:code -->'
    body = code + "\n\n" + NEWSLETTER_BLOCK
    marker = "CDATA-END-HERE"
    data = build_wxr([{"id": 7, "content": body.replace("]]>", marker)}])
    # WordPress's wxr_cdata() writes "]]>" as "]]]]><![CDATA[>": the export holds two sections
    path = tmp_path / "export.xml"
    path.write_bytes(data.replace(marker.encode(), b"]]]]><![CDATA[>"))
    assert next(iter(read_export(path))).content == body
    out = tmp_path / "out.xml"
    clean_export(out=out, path=path)
    assert next(iter(read_export(out))).content == code + "\n\n"
    raw = body_bytes(out.read_bytes(), 7)
    assert raw == b"<![CDATA[" + code.replace("]]>", "]]]]><![CDATA[>").encode() + b"\n\n]]>"
    etree.fromstring(out.read_bytes())  # still XML


def test_an_escaped_body_stays_escaped(tmp_path: Path) -> None:
    body = f"<p>{PROSE} a[b[0]]>1 &amp; more</p>\n{NEWSLETTER_SHORTCODE}"
    rss = etree.fromstring(build_wxr([{"id": 8, "content": "x"}]))
    encoded = rss.find(".//{http://purl.org/rss/1.0/modules/content/}encoded")
    encoded.text = body  # plain text: lxml escapes it, as exports without CDATA hold it
    path = tmp_path / "export.xml"
    path.write_bytes(etree.tostring(rss, xml_declaration=True, encoding="UTF-8"))
    out = tmp_path / "out.xml"
    clean_export(path, out)
    assert next(iter(read_export(out))).content == body.replace(NEWSLETTER_SHORTCODE, "")
    raw = body_bytes(out.read_bytes(), 8)
    assert b"CDATA" not in raw and b"&lt;p&gt;" in raw and b"&amp;amp;" in raw


# --- broken items, compressed exports, what is no export ----------------------------------------


def test_a_broken_item_is_copied_unchanged_and_reported_with_its_line(tmp_path: Path) -> None:
    data = build_wxr([{"id": 1, "content": CLASSIC}, {"id": 2, "content": "BROKEN"}, {"id": 3, "content": CLASSIC}])
    data = data.replace(b"<![CDATA[BROKEN]]>", b"<p>unclosed <b>tag</p>")
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    report = tmp_path / "r.jsonl"
    out = tmp_path / "out.xml"
    summary = clean_export(path, out, report=report)
    assert summary.exit_code == 1 and summary.error is not None and summary.error.line
    assert [c.id for c in summary.changed] == [1, 3]
    assert b"<p>unclosed <b>tag</p>" in out.read_bytes()
    entries = list(read_export(out).entries())
    assert [type(e).__name__ for e in entries] == ["Item", "BrokenItem", "Item"]
    warning = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines() if '"warning"' in x]
    assert warning and warning[0]["line_start"] == summary.error.line


def test_a_compressed_export_is_cleaned_into_its_xml(export_file: Path, tmp_path: Path) -> None:
    packed = tmp_path / "export.xml.gz"
    packed.write_bytes(gzip.compress(export_file.read_bytes(), mtime=0))
    clean_export(export_file, tmp_path / "plain.xml")
    summary = clean_export(packed, tmp_path / "from-gz.xml")
    assert summary.warnings and "compressed" in summary.warnings[0]
    assert (tmp_path / "from-gz.xml").read_bytes() == (tmp_path / "plain.xml").read_bytes()


def test_export_is_recognised_by_content(export_file: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "backup.dat"
    renamed.write_bytes(export_file.read_bytes())
    assert export_module.looks_like_export(renamed)
    feed = tmp_path / "feed.rss"
    feed.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    assert not export_module.looks_like_export(feed)
    page = tmp_path / "page.html"
    page.write_bytes(
        b"<html><body><pre>&lt;rss xmlns:wp='http://wordpress.org/export/1.2/'&gt;<rss </pre></body></html>"
    )
    assert not export_module.looks_like_export(page)
    stray = tmp_path / "stray.txt"
    stray.write_bytes(b"Warning: a PHP notice\n" + export_file.read_bytes())
    assert export_module.looks_like_export(stray)
    packed = tmp_path / "export.bin"
    packed.write_bytes(gzip.compress(export_file.read_bytes()))
    assert export_module.looks_like_export(packed)


def test_what_is_no_export_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.xml"
    page.write_text("<html><body><p>hi</p></body></html>", encoding="utf-8")
    with pytest.raises(NotAnExportError):
        clean_export(page, tmp_path / "out.xml")
    assert not (tmp_path / "out.xml").exists()


def test_impossible_requests(export_file: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="-o"):
        clean_export(export_file)
    with pytest.raises(UsageError, match="not a folder"):
        clean_export(export_file, tmp_path)
    with pytest.raises(UsageError, match="overwrite the export"):
        clean_export(export_file, export_file)


# --- (f) the command line -------------------------------------------------------------------------


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["clean", *argv])
    out, err = capsys.readouterr()
    return exit_info.value.code or 0, out, err


def test_cli_cleans_an_export(export_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cleaned.xml"
    code, stdout, err = run([str(export_file), "-o", str(out), "--report", str(tmp_path / "r.jsonl")], capsys)
    assert code == 0, err
    assert "3 of 4 bodies cleaned" in err
    assert out.read_bytes() == _library_output(export_file, tmp_path)
    assert (tmp_path / "r.jsonl").exists()


def _library_output(export_file: Path, tmp_path: Path) -> bytes:
    target = tmp_path / "library.xml"
    clean_export(export_file, target)
    return target.read_bytes()


def test_cli_check_exit_codes(export_file: Path, tmp_path: Path, capsys) -> None:
    code, stdout, err = run([str(export_file), "--check"], capsys)
    assert code == 1
    assert "item 10 (line" in stdout and "item 11" in stdout and "item 12" not in stdout
    clean = tmp_path / "clean.xml"
    run([str(export_file), "-o", str(clean)], capsys)
    assert run([str(clean), "--check"], capsys)[0] == 0


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body>not an export</body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>feed</title></channel></rss>',
        b"",
    ],
    ids=["html", "rss-feed", "empty"],
)
def test_cli_refuses_what_is_no_export_without_a_traceback(content: bytes, tmp_path: Path, capsys) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    code, _, err = run([str(path), "-o", str(tmp_path / "out.xml")], capsys)
    assert code == 2
    assert "not" in err and "WordPress export" in err and "Traceback" not in err
    assert not (tmp_path / "out.xml").exists()


def test_cli_refuses_options_that_are_not_for_an_export(export_file: Path, tmp_path: Path, capsys) -> None:
    for extra in (["--in-place"], ["--diff"], ["--learn", str(tmp_path / "l.toml")], ["--engine", "dask"]):
        code, _, err = run([str(export_file), "-o", str(tmp_path / "o.xml"), *extra], capsys)
        assert code == 2 and "not for a WordPress export" in err, extra
    code, _, err = run([str(export_file), str(export_file)], capsys)
    assert code == 2 and "on its own" in err
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_bytes(b'<?xml version="1.0"?><urlset/>')
    page = tmp_path / "page.md"
    page.write_text("Text\n", encoding="utf-8")
    code, _, err = run([str(sitemap), str(page), "-o", str(tmp_path / "o")], capsys)
    assert code == 2 and "cannot clean a .xml file" in err


def test_a_failure_part_way_leaves_no_file(export_file: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    out = tmp_path / "cleaned.xml"
    out.write_bytes(b"the previous cleaned export")
    real = export_module.BodyCleaner.item
    calls = []

    def failing(self, data, item, line):
        calls.append(item.id)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, data, item, line)

    monkeypatch.setattr(export_module.BodyCleaner, "item", failing)
    code, _, err = run([str(export_file), "-o", str(out), "--report", str(tmp_path / "r.jsonl")], capsys)
    assert code == 1 and "no space left on device" in err.lower() and "Traceback" not in err
    assert out.read_bytes() == b"the previous cleaned export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cleaned.xml", "export.xml"]
    with pytest.raises(OutputError):
        calls.clear()
        clean_export(export_file, out)


def test_a_stop_part_way_leaves_no_file(export_file: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    from wpmigrate import stop

    out = tmp_path / "cleaned.xml"
    real = export_module.BodyCleaner.item

    def stopping(self, data, item, line):
        monkeypatch.setattr(stop, "_requested", signal.SIGTERM)  # as the handler records a SIGTERM
        return real(self, data, item, line)

    monkeypatch.setattr(export_module.BodyCleaner, "item", stopping)
    code, _, err = run([str(export_file), "-o", str(out)], capsys)
    assert code == 143 and "nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.xml"]


# --- (a), (b), (e): real exports and the WordPress importer's fixtures ------------------------------


def _clean_or_refused(path: Path, out: Path, **kw):
    try:
        _ = read_export(path).site
    except NotAnExportError:
        with pytest.raises(NotAnExportError):
            clean_export(path, out, **kw)
        return None
    return clean_export(path, out, **kw)


@pytest.mark.parametrize("path", CORPUS_EXPORTS, ids=lambda p: p.name if p else "missing")
def test_corpus_export_with_no_rule_that_matches_is_byte_identical(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    if _clean_or_refused(path, out, profiles=["none"]) is not None:
        assert out.read_bytes() == path.read_bytes()


def _items_without_bodies(entries):
    # an item's line moves when a body before it lost lines: where it is, not what it holds
    return [
        dataclasses.replace(e, content="", line=None) if not isinstance(e, BrokenItem) else (e.ordinal, e.post_id)
        for e in entries
    ]


def _anywhere(entry):
    if isinstance(entry, BrokenItem):
        return (entry.ordinal, entry.post_id, entry.column)
    return dataclasses.replace(entry, line=None)


@pytest.mark.parametrize("path", CORPUS_EXPORTS, ids=lambda p: p.name if p else "missing")
def test_corpus_export_reads_back_the_same_apart_from_cleaned_bodies(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    summary = _clean_or_refused(path, out)
    if summary is None:
        return
    site, entries = read_all(path)
    site_after, entries_after = read_all(out)
    assert site_after == site  # authors, categories, tags, terms, header
    assert len(entries_after) == len(entries)
    assert _items_without_bodies(entries_after) == _items_without_bodies(entries)  # comments, meta, excerpts …
    changed = {c.id for c in summary.changed}
    for before, after in zip(entries, entries_after):
        if isinstance(before, BrokenItem) or before.id not in changed:
            assert _anywhere(after) == _anywhere(before)
    # the importer parses the whole file as XML when it can (WXR_Parser_SimpleXML, then XML)
    try:
        etree.parse(str(path))
    except etree.XMLSyntaxError:
        return
    etree.parse(str(out))


def test_clean_paths_points_an_export_to_clean_export(export_file: Path, tmp_path: Path) -> None:
    from wpmigrate.clean.files import clean_paths

    with pytest.raises(UsageError, match="clean_export"):
        clean_paths([export_file], out=tmp_path / "out")


def test_an_item_the_reader_repairs_is_copied_unchanged_and_reported(tmp_path: Path) -> None:
    # a control character XML does not allow: the reader drops it, so the stored bytes
    # are not the body it reads, and the body cannot be written back byte for byte
    data = build_wxr(
        [{"id": 4, "content": f"{PROSE}\n\nCONTROL\n\n{NEWSLETTER_SHORTCODE}"}, {"id": 5, "content": CLASSIC}]
    )
    data = data.replace(b"CONTROL", b"\x01")
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    assert NEWSLETTER_SHORTCODE in next(iter(read_export(path))).content
    report = tmp_path / "r.jsonl"
    summary = clean_export(path, tmp_path / "out.xml", report=report)
    assert summary.exit_code == 0 and [c.id for c in summary.changed] == [5]
    assert summary.skipped and summary.skipped[0].startswith("item 4 (line ")
    out = (tmp_path / "out.xml").read_bytes()
    assert body_bytes(out, 4) == body_bytes(data, 4)
    warning = json.loads(report.read_text(encoding="utf-8").splitlines()[0])
    assert warning["item"] == 4 and warning["action"] == "warning" and "copied unchanged" in warning["reason"]


def test_an_element_is_found_by_its_text_when_rendering_adds_others_of_its_kind(tmp_path: Path) -> None:
    # the embed renders as a link paragraph: the tree has one <p> more than the stored text
    embed = (
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=aqz-KE-bpKQ","type":"video"} -->\n'
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ\n</div></figure>\n<!-- /wp:embed -->\n\n"
    )
    body = BLOCKS_KEPT[0] + embed + ZEEN_PROMO_BLOCK + BLOCKS_KEPT[2]
    path = tmp_path / "export.xml"
    path.write_bytes(build_wxr([{"id": 6, "content": body}]))
    summary = clean_export(path, tmp_path / "out.xml", profiles=["zeen"])
    assert summary.kept == 0 and summary.removed == 1
    assert next(iter(read_export(tmp_path / "out.xml"))).content == body.replace(ZEEN_PROMO_BLOCK, "\n")


def test_crlf_line_ends_of_a_body_stay(tmp_path: Path) -> None:
    marker = "LINE-END"
    body = f"{PROSE}{marker}{marker}{NEWSLETTER_SHORTCODE}{marker}{marker}{MORE_PROSE}"
    data = build_wxr([{"id": 3, "content": body}]).replace(marker.encode(), b"\r\n")
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    out = tmp_path / "out.xml"
    assert clean_export(path, out).changed
    assert body_bytes(out.read_bytes(), 3) == f"<![CDATA[{PROSE}\r\n\r\n\r\n\r\n{MORE_PROSE}]]>".encode()
