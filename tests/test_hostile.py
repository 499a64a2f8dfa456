"""Hostile and damaged input, through the real command line and the reader.

Every input is generated here, into a temporary folder (nothing under
tests/data/hostile is needed). The command runs in a subprocess so that the
real exit code and the real stderr are checked: whatever the input, the user
sees one clean message and never a Python traceback.

Expected behaviour (issue 2, "Hostile and damaged input"):

* entities are never expanded and nothing outside the file is ever read
  (no external entities, no DTD loading, no network);
* characters XML 1.0 forbids are dropped with one warning naming the item,
  and the conversion goes on;
* a truncated or malformed file: the items complete before the break are
  written, then the exit status is non-zero with ``file:line:column: …``;
* a file that is not a WordPress export: exit 2 with one clear sentence.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpmigrate import read_export
from wpmigrate.errors import WpmigrateError

REPO = Path(__file__).resolve().parents[1]

# --- building exports ---------------------------------------------------------------

HEAD = """<?xml version="1.0" encoding="{encoding}"?>
{doctype}<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Feindliche Eingaben</title>
  <link>https://hostile.example</link>
  <description>Test</description>
  <language>de-DE</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://hostile.example</wp:base_site_url>
  <wp:base_blog_url>https://hostile.example</wp:base_blog_url>
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[anna]]></wp:author_login><wp:author_email><![CDATA[anna@hostile.example]]></wp:author_email><wp:author_display_name><![CDATA[Anna]]></wp:author_display_name></wp:author>
"""

TAIL = "</channel>\n</rss>\n"


def item(post_id: int, title: str, content: str, *, slug: str | None = None, cdata: bool = True) -> str:
    body = f"<![CDATA[{content}]]>" if cdata else content
    return f"""  <item>
    <title>{title}</title>
    <link>https://hostile.example/?p={post_id}</link>
    <dc:creator><![CDATA[anna]]></dc:creator>
    <guid isPermaLink="false">https://hostile.example/?p={post_id}</guid>
    <content:encoded>{body}</content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>{post_id}</wp:post_id>
    <wp:post_date><![CDATA[2024-03-0{post_id % 9 + 1} 10:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2024-03-0{post_id % 9 + 1} 09:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[{slug if slug is not None else f"beitrag-{post_id}"}]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_parent>0</wp:post_parent>
    <wp:menu_order>0</wp:menu_order>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:post_password><![CDATA[]]></wp:post_password>
    <wp:is_sticky>0</wp:is_sticky>
  </item>
"""


def export_text(*items: str, doctype: str = "", encoding: str = "UTF-8") -> str:
    return HEAD.format(doctype=doctype, encoding=encoding) + "".join(items) + TAIL


def three_posts() -> str:
    return export_text(
        item(1, "Erster Beitrag", "<p>Erster Absatz über Füße und Grüße.</p>"),
        item(2, "Zweiter Beitrag", "<p>Zweiter Absatz, ganz harmlos.</p>"),
        item(3, "Dritter Beitrag", "<p>Dritter Absatz, der abgeschnitten wird, mitten im Satz.</p>"),
    )


# --- running the command ---------------------------------------------------------------


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    # An expanded entity bomb would need gigabytes; fail fast instead of swapping.
    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_convert(*args: str | os.PathLike[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "wpmigrate", "convert", *map(os.fspath, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        preexec_fn=_limit_memory if sys.platform.startswith("linux") else None,
    )


def assert_clean_failure(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout


def written_text(out: Path) -> str:
    """Everything wpmigrate wrote into ``out``, as one string."""
    if not out.exists():
        return ""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(out.rglob("*")) if p.is_file())


def markdown_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.md")) if out.exists() else []


def load_report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def entry(report: dict, post_id: int) -> dict:
    (found,) = [e for e in report["items"] if e["id"] == post_id]
    return found


# --- entities and the outside world ------------------------------------------------------

BOMB_DOCTYPE = """<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def test_entity_bomb_does_not_expand(tmp_path):
    src = tmp_path / "bomb.xml"
    src.write_text(
        export_text(
            item(1, "Bombe &lol9;", "<p>&lol9;</p>", cdata=False),
            item(2, "Harmlos", "<p>Ein ganz normaler Beitrag.</p>"),
            doctype=BOMB_DOCTYPE,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out, timeout=60)
    assert_clean_failure(proc)
    # WordPress's own parser refuses any file with a DOCTYPE; converting without the
    # entities is fine too. Expanding them is not.
    assert proc.returncode in (0, 1, 2), proc.stderr
    text = written_text(out)
    assert "lollollol" not in text
    assert "lollollol" not in proc.stdout + proc.stderr
    written = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert sum(p.stat().st_size for p in written) < 200_000
    if proc.returncode == 0:
        assert "Ein ganz normaler Beitrag" in text


def _secret(tmp_path: Path) -> tuple[Path, str]:
    marker = "STRENG-GEHEIM-7f3a9c"
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{marker}\n", encoding="utf-8")
    return secret, marker


XXE_VARIANTS = {
    "general-entity": '<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "{uri}"> ]>\n',
    "parameter-entity": '<!DOCTYPE rss [ <!ENTITY % xxe SYSTEM "{uri}"> %xxe; ]>\n',
    "external-dtd": '<!DOCTYPE rss SYSTEM "{dtd_uri}">\n',
}


@pytest.mark.parametrize("variant", sorted(XXE_VARIANTS))
def test_external_entities_are_never_read(tmp_path, variant):
    secret, marker = _secret(tmp_path)
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe "{marker}">\n', encoding="utf-8")
    doctype = XXE_VARIANTS[variant].format(uri=secret.as_uri(), dtd_uri=dtd.as_uri())
    src = tmp_path / "xxe.xml"
    src.write_text(
        export_text(
            item(1, "Titel &xxe;", "<p>Inhalt: &xxe;</p>", cdata=False),
            item(2, "Harmlos", "<p>Ein ganz normaler Beitrag.</p>"),
            doctype=doctype,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    proc = run_convert(src, "-o", out, "--report", report)
    assert_clean_failure(proc)
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert marker not in written_text(out)
    assert marker not in proc.stdout + proc.stderr
    if report.exists():
        assert marker not in report.read_text(encoding="utf-8")


def test_reader_never_reads_external_entities(tmp_path):
    secret, marker = _secret(tmp_path)
    data = export_text(
        item(1, "Titel &xxe;", "<p>&xxe;</p>", cdata=False),
        doctype=f'<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "{secret.as_uri()}"> ]>\n',
    ).encode("utf-8")
    try:
        export = read_export(io.BytesIO(data))
        items = list(export)
    except WpmigrateError:
        return  # refusing the file is fine
    for it in items:
        assert marker not in it.title
        assert marker not in it.content


# --- characters XML forbids ----------------------------------------------------------------


def test_control_characters_are_dropped_with_one_warning(tmp_path):
    src = tmp_path / "controls.xml"
    src.write_text(
        export_text(
            item(
                7, "Steuer\x01zeichen im Titel", "<p>Vor\x0bher und\x1b nach\x08her.</p>\n\n<p>Zweiter\x0c Absatz.</p>"
            ),
            item(8, "Sauber", "<p>Hier ist alles in Ordnung.</p>"),
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    proc = run_convert(src, "-o", out, "--report", report)
    assert_clean_failure(proc)
    assert proc.returncode == 0, proc.stderr
    files = markdown_files(out)
    assert len(files) == 2
    text = written_text(out)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    assert "Steuerzeichen im Titel" in text
    assert "Vorher und nachher." in text
    assert "Hier ist alles in Ordnung." in text
    data = load_report(report)
    dirty, clean = entry(data, 7), entry(data, 8)
    assert dirty["action"] == clean["action"] == "written"
    assert len(dirty["warnings"]) == 1, dirty["warnings"]
    assert clean["warnings"] == []
    # the command's own summary names the item too
    assert re.search(r"\bitem 7\b", proc.stdout + proc.stderr), proc.stdout + proc.stderr
    assert not re.search(r"\bitem 8\b", proc.stdout + proc.stderr)


def test_control_characters_in_the_header_do_not_stop_the_conversion(tmp_path):
    text = export_text(item(1, "Beitrag", "<p>Text.</p>")).replace(
        "<title>Feindliche Eingaben</title>", "<title>Feindliche\x02 Eingaben</title>"
    )
    src = tmp_path / "header-controls.xml"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode == 0, proc.stderr
    assert len(markdown_files(out)) == 1


# --- truncated and malformed files -----------------------------------------------------------

WHERE = re.compile(r"(?m)^.*truncated\.xml:(\d+):(\d+): \S")


def test_truncated_file_keeps_complete_items_and_fails_with_position(tmp_path):
    full = three_posts()
    cut = full.index("Dritter Absatz") + len("Dritter Abs")
    src = tmp_path / "truncated.xml"
    src.write_text(full[:cut], encoding="utf-8")
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    proc = run_convert(src, "-o", out, "--report", report)
    assert_clean_failure(proc)
    assert proc.returncode != 0
    match = WHERE.search(proc.stderr)
    assert match, proc.stderr
    assert int(match.group(1)) >= full[:cut].count("\n")  # the break is at the end, not earlier
    text = written_text(out)
    assert "Erster Absatz über Füße und Grüße." in text
    assert "Zweiter Absatz, ganz harmlos." in text
    assert "Dritter Absatz" not in text
    assert len(markdown_files(out)) == 2


def test_truncated_inside_the_first_item_writes_nothing(tmp_path):
    full = three_posts()
    cut = full.index("Erster Absatz") + 5
    src = tmp_path / "truncated.xml"
    src.write_text(full[:cut], encoding="utf-8")
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode != 0
    assert WHERE.search(proc.stderr), proc.stderr
    assert markdown_files(out) == []


def test_mismatched_tag_reports_its_position(tmp_path):
    full = three_posts()
    third = full.index("<title>Dritter")
    tail = full[third:].replace("<wp:menu_order>0</wp:menu_order>", "<wp:menu_order>0</wp:post_type>", 1)
    text = full[:third] + tail
    src = tmp_path / "broken.xml"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode != 0
    assert re.search(r"broken\.xml:\d+:\d+: \S", proc.stderr), proc.stderr
    assert "Erster Absatz" in written_text(out)


# --- not an export at all -------------------------------------------------------------------

RSS_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Ein normaler Feed</title>
  <link>https://feed.example</link>
  <description>Kein WordPress-Export</description>
  <item><title>Eintrag</title><link>https://feed.example/1</link><description>Text</description></item>
</channel>
</rss>
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Startseite</title></head>
<body><h1>Willkommen</h1><p>Das ist eine Webseite &amp; kein Export.</p></body></html>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:x</id>
<entry><title>Eintrag</title><id>urn:x:1</id></entry></feed>
"""

NOT_EXPORTS = {
    "rss-feed.xml": RSS_FEED.encode("utf-8"),
    "page.html": HTML_PAGE.encode("utf-8"),
    "atom.xml": ATOM_FEED.encode("utf-8"),
    "empty.xml": b"",
    "blank.xml": b"   \n\n  ",
    "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "notes.txt": b"Nur ein paar Notizen, kein XML.\n",
}


def assert_one_sentence(proc: subprocess.CompletedProcess[str]) -> None:
    assert_clean_failure(proc)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    message = proc.stderr.strip()
    assert message, "no message on stderr"
    assert "\n" not in message, message


@pytest.mark.parametrize("name", sorted(NOT_EXPORTS))
def test_not_an_export_exits_2_with_one_sentence(tmp_path, name):
    src = tmp_path / name
    src.write_bytes(NOT_EXPORTS[name])
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_one_sentence(proc)
    assert name in proc.stderr  # the message names the file
    assert markdown_files(out) == []


def test_missing_path_exits_2(tmp_path):
    proc = run_convert(tmp_path / "gibt-es-nicht.xml", "-o", tmp_path / "out")
    assert_one_sentence(proc)
    assert "gibt-es-nicht.xml" in proc.stderr


def test_directory_exits_2(tmp_path):
    folder = tmp_path / "ordner"
    folder.mkdir()
    proc = run_convert(folder, "-o", tmp_path / "out")
    assert_one_sentence(proc)
    assert "ordner" in proc.stderr


# --- encodings --------------------------------------------------------------------------------


def test_declared_latin1_export_converts(tmp_path):
    src = tmp_path / "latin1.xml"
    src.write_bytes(
        export_text(item(1, "Grüße aus Köln", "<p>Schöne Grüße, Maß und Fuß.</p>"), encoding="ISO-8859-1").encode(
            "iso-8859-1"
        )
    )
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode == 0, proc.stderr
    assert "Schöne Grüße, Maß und Fuß." in written_text(out)


def test_utf16_export_converts(tmp_path):
    src = tmp_path / "utf16.xml"
    src.write_bytes(
        export_text(item(1, "Grüße aus Köln", "<p>Schöne Grüße aus UTF-16.</p>"), encoding="UTF-16").encode("utf-16")
    )
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode == 0, proc.stderr
    assert "Schöne Grüße aus UTF-16." in written_text(out)


def test_utf8_bom_export_converts(tmp_path):
    # Exports re-saved by Windows editors start with a byte order mark.
    src = tmp_path / "bom.xml"
    src.write_bytes(b"\xef\xbb\xbf" + export_text(item(1, "Mit BOM", "<p>Grüße mit BOM.</p>")).encode("utf-8"))
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode == 0, proc.stderr
    assert "Grüße mit BOM." in written_text(out)


def test_blank_lines_before_the_xml_declaration(tmp_path):
    # A plugin or theme that echoes whitespace breaks WordPress's export this way
    # ("XML declaration allowed only at the start of the document"); the content is intact.
    src = tmp_path / "leading.xml"
    src.write_bytes(b"\n\n   \n" + export_text(item(1, "Leerzeilen", "<p>Trotzdem lesbar.</p>")).encode("utf-8"))
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode == 0, proc.stderr
    assert "Trotzdem lesbar." in written_text(out)


def test_invalid_utf8_bytes_never_crash(tmp_path):
    # Real exports sometimes hold Windows-1252 bytes in a file declared UTF-8.
    data = (
        export_text(
            item(1, "Kaputt", "<p>Gr__e</p>"),
            item(2, "Heil", "<p>Alles gut.</p>"),
        )
        .encode("utf-8")
        .replace(b"Gr__e", b"Gr\xfc\xdfe \x93zitiert\x94")
    )
    src = tmp_path / "mixed.xml"
    src.write_bytes(data)
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    if proc.returncode == 0:
        assert "Alles gut." in written_text(out)
    else:
        assert re.search(r"mixed\.xml:\d+:\d+: \S", proc.stderr), proc.stderr


# --- deep and large structures ------------------------------------------------------------------


def test_deeply_nested_html_keeps_its_text(tmp_path):
    # Page builders nest deeply; libxml2's HTML parser stops at 256 levels unless told
    # otherwise. Text must not vanish silently.
    depth = 1000
    src = tmp_path / "deep-html.xml"
    src.write_text(
        export_text(item(1, "Tief verschachtelt", "<div>" * depth + "tief unten" + "</div>" * depth)),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode == 0, proc.stderr
    assert "tief unten" in written_text(out)


def test_deeply_nested_xml_does_not_crash(tmp_path):
    depth = 5000
    src = tmp_path / "deep.xml"
    src.write_text(
        export_text(
            item(1, "Harmlos", "<p>Ein ganz normaler Beitrag.</p>"),
            item(2, "Auch tief", "<span>" * depth + "noch tiefer" + "</span>" * depth, cdata=False),  # raw XML
            item(3, "Danach", "<p>Noch ein Beitrag.</p>"),
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Ein ganz normaler Beitrag." in written_text(out)
    if proc.returncode == 1:
        assert re.search(r"deep\.xml:\d+:\d+: \S", proc.stderr), proc.stderr


# --- slugs that try to leave the output folder ------------------------------------------------

HOSTILE_SLUGS = [
    "../../ausbruch",
    "%2e%2e%2f%2e%2e%2fkodiert",  # WordPress stores slugs url-encoded; decoded this is ../../
    "/etc/passwd",
    "..",
    ".",
    "CON",
    "nul.txt",
    "a/../../b",
    "\\..\\..\\fenster",
    "x" * 400,
    "\u00fc" * 200,  # 400 bytes in UTF-8
]


def test_slugs_never_leave_the_output_folder(tmp_path):
    src = tmp_path / "slugs.xml"
    src.write_text(
        export_text(
            *(
                item(i + 1, f"Beitrag {i + 1}", f"<p>Inhalt {i + 1}.</p>", slug=slug)
                for i, slug in enumerate(HOSTILE_SLUGS)
            )
        ),
        encoding="utf-8",
    )
    out = tmp_path / "site" / "out"
    out.parent.mkdir()
    proc = run_convert(src, "-o", out)
    assert_clean_failure(proc)
    assert proc.returncode == 0, proc.stderr
    files = markdown_files(out)
    assert len(files) == len(HOSTILE_SLUGS)  # every item written, none lost to a collision
    root = out.resolve()
    for path in files:
        assert path.resolve().is_relative_to(root), path
        assert len(path.name.encode("utf-8")) <= 255, path.name
    # nothing was written next to the output folder or above it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "slugs.xml"]
    assert [p.name for p in out.parent.iterdir()] == ["out"]
    for i in range(len(HOSTILE_SLUGS)):
        assert f"Inhalt {i + 1}." in written_text(out)


# --- property tests: the reader raises nothing but WpmigrateError -----------------------------------

SEED = three_posts().encode("utf-8")


def _consume(source) -> None:
    export = read_export(source)
    for it in export:
        assert isinstance(it.id, int)
    export.site  # noqa: B018 - reading the header must not raise anything else either


def _read_only_wpmigrate_errors(data: bytes) -> None:
    try:
        _consume(io.BytesIO(data))
    except WpmigrateError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_wpmigrate_errors(data):
    _read_only_wpmigrate_errors(data)


@st.composite
def mutated_export(draw) -> bytes:
    data = bytearray(SEED)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate"]))
        if not data:
            break
        start = draw(st.integers(min_value=0, max_value=len(data) - 1))
        length = draw(st.integers(min_value=1, max_value=40))
        if op == "delete":
            del data[start : start + length]
        elif op == "insert":
            data[start:start] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=20),
                    st.sampled_from(
                        [
                            b"<",
                            b">",
                            b"&",
                            b"]]>",
                            b"<![CDATA[",
                            b"&#0;",
                            b"&#xFFFE;",
                            b"\x00",
                            b"\xff\xfe",
                            b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
                            b"</channel>",
                            b"<item>",
                            b"</item>",
                            b'xmlns:wp="http://example.com/"',
                            b"\xe2\x80\xae",
                        ]
                    ),
                )
            )
        elif op == "replace":
            data[start : start + length] = draw(st.binary(min_size=0, max_size=length))
        elif op == "truncate":
            del data[start:]
        else:
            data[start:start] = data[start : start + length]
    return bytes(data)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_export())
def test_mutated_exports_raise_only_wpmigrate_errors(data):
    _read_only_wpmigrate_errors(data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_export())
def test_mutated_export_files_raise_only_wpmigrate_errors(data):
    # Paths take another route than streams (the reader may restart a pass on a file).
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        path.write_bytes(data)
        try:
            _consume(path)
        except WpmigrateError:
            pass
