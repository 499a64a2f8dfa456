"""Scraped pages are never refused for their bytes and never hang (issue 13, items 8 and 9)."""

from __future__ import annotations

import codecs
import json
import time

import pytest

from wpmigrate.clean.decode import declared_encoding, decode_document, looks_binary
from wpmigrate.clean.engine import clean_html
from wpmigrate.clean.files import clean_paths
from wpmigrate.document import looks_like_page
from wpmigrate.markdown import html_to_markdown

ARTICLE = "<p>Der Käse aus dem Allgäu schmeckt nach Heu, Kräutern und einem langen Sommer auf der Alm.</p>"


def page(head: str = "", body: str = ARTICLE) -> str:
    return f'<!DOCTYPE html><html><head>{head}<title>Käse</title></head><body><article><div class="entry-content">{body}</div></article></body></html>'


# --- decoding ---------------------------------------------------------------------------


def test_utf8_page_with_one_stray_byte_keeps_everything_else():
    data = page().encode("utf-8").replace(b"Heu", b"H\xe9u")
    decoded = decode_document(data, "html")
    assert decoded.encoding == "utf-8" and decoded.replaced == 1
    assert "Käse aus dem Allgäu" in decoded.text and "H\ufffdu" in decoded.text
    assert decoded.warnings == ("1 byte not valid UTF-8 replaced by U+FFFD",)


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="windows-1252">',
        "<meta charset=iso-8859-1>",  # a label browsers read as windows-1252
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    ],
)
def test_declared_legacy_encoding_is_honoured(declaration):
    data = page(declaration, "<p>Preis: 5 € für Käse – frisch.</p>").encode("cp1252")
    decoded = decode_document(data, "html")
    assert decoded.encoding == "cp1252" and decoded.warnings == ()
    assert "Preis: 5 € für Käse – frisch." in decoded.text


def test_declaration_after_scripts_and_php_warnings_is_found():
    noise = "<b>Warning</b>: Undefined variable $x in /var/www/wp-content/themes/t/header.php on line 3<br>\n"
    data = (noise * 20 + "<script>var a = 1;</script>" * 20).encode() + page('<meta charset="windows-1252">').encode(
        "cp1252"
    )
    assert declared_encoding(data) == "cp1252"


def test_utf8_declaration_with_legacy_bytes_replaces_them():
    data = page('<meta charset="utf-8">').encode("cp1252")
    decoded = decode_document(data, "html")
    assert decoded.encoding == "utf-8" and decoded.replaced == 4  # the four "ä"
    assert "K\ufffdse" in decoded.text


def test_undeclared_legacy_text_is_read_as_windows_1252():
    decoded = decode_document("Grüße aus München – 20 €".encode("cp1252"), "text")
    assert decoded.text == "Grüße aus München – 20 €" and decoded.guessed
    assert decoded.warnings == ("not UTF-8 and no encoding declared: read as Windows-1252",)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_pages(codec):
    data = page().encode(codec)
    if codec == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    decoded = decode_document(data, "html")
    assert "Käse aus dem Allgäu" in decoded.text and decoded.warnings == ()


def test_utf16_without_bom_is_recognised():
    data = page().encode("utf-16-le")
    assert not looks_binary(data)
    assert "Käse aus dem Allgäu" in decode_document(data, "html").text


def test_nul_bytes_in_a_page_are_removed_with_a_warning():
    data = page().encode().replace(b"Heu", b"He\x00u")
    assert not looks_binary(data)
    decoded = decode_document(data, "html")
    assert "Heu" in decoded.text and decoded.warnings == ("1 control character removed",)


def test_a_real_binary_file_is_still_refused():
    assert looks_binary(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def test_clean_command_takes_every_page_and_reports_what_decoding_took(tmp_path):
    src = tmp_path / "pages"
    src.mkdir()
    (src / "stray.html").write_bytes(page().encode().replace(b"Heu", b"H\xe9u"))
    (src / "legacy.html").write_bytes(page('<meta charset="windows-1252">').encode("cp1252"))
    (src / "fine.html").write_bytes(page().encode())
    report = tmp_path / "report.jsonl"
    summary = clean_paths([src], out=tmp_path / "out", report=report)
    assert summary.exit_code == 0 and not summary.errors
    out = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()}
    assert all("Allgäu" in text for text in out.values()), out
    assert summary.warnings == [f"{src / 'stray.html'}: 1 byte not valid UTF-8 replaced by U+FFFD"]
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert {
        "file": str(src / "stray.html"),
        "action": "warning",
        "reason": "1 byte not valid UTF-8 replaced by U+FFFD",
    } in lines
    assert "1 file with warnings" in summary.describe()


# --- never hang -------------------------------------------------------------------------

# A hang is the failure here, not a speed figure: the bound is generous.
BOUND_SECONDS = 20


@pytest.mark.parametrize(
    "closing", ["<html><head><title>T</title></head><body>" + ARTICLE + "</body></html>", ARTICLE, "<p>"]
)
def test_three_hundred_leading_comments_finish(closing):
    html = "<!-- cache: hit -->\n" * 300 + closing
    start = time.perf_counter()
    result = clean_html(html)
    markdown = html_to_markdown(html)
    assert time.perf_counter() - start < BOUND_SECONDS
    if closing != "<p>":
        assert "Allgäu" in (result.html or "") and "Allgäu" in markdown


def test_leading_comments_before_the_page_still_make_it_a_page():
    assert looks_like_page("<!-- a -->" * 300 + "<!DOCTYPE html><html>")
    assert looks_like_page('<?xml version="1.0"?>\n<!-- saved --><meta charset="utf-8"><title>x</title><html>')
    assert not looks_like_page("<!-- a -->" * 300 + "<p>fragment</p>")
    assert not looks_like_page("<!-- never closed " * 300)
    assert not looks_like_page("<htmlx>")
