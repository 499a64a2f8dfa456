"""Item isolation: a broken item costs only itself; boundaries, positions, inputs, the loader.

WordPress's importer reads a damaged export item by item with its regex parser
(``WXR_Parser_Regex``); the reader parses every item on its own, so every
readable item converts and the error, with ``file:line:column``, comes at the end.
"""

from __future__ import annotations

import bz2
import gc
import gzip
import io
import json
import lzma
import multiprocessing
import os
import pickle
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.wxrbuild import build_wxr
from wpmigrate import BrokenItem, Item, MalformedExportError, NotAnExportError, read_export
from wpmigrate.wxr import ItemLoader, ItemRef

REPO = Path(__file__).resolve().parents[1]

FORTY = build_wxr([{"id": i, "slug": f"post-{i}", "content": f"<p>Body {i}</p>"} for i in range(1, 41)])


def position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (libxml2's: characters, 1-based) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8")) + 1


def item_bounds(data: bytes, post_id: int) -> tuple[int, int]:
    """Byte offsets of the <item> holding ``post_id`` and of the next one (or the end)."""
    at = data.index(b"<wp:post_id>%d</wp:post_id>" % post_id)
    start = data.rfind(b"<item>", 0, at)
    end = data.find(b"<item>", at)
    return start, len(data) if end < 0 else end


# --- one broken item among forty ------------------------------------------------------


def mismatched_tag(data: bytes) -> bytes:
    start, end = item_bounds(data, 20)
    return data[:start] + data[start:end].replace(b"</wp:menu_order>", b"</wp:post_type>", 1) + data[end:]


def unclosed_cdata(data: bytes) -> bytes:
    start, end = item_bounds(data, 20)
    return data[:start] + data[start:end].replace(b"]]></content:encoded>", b"</content:encoded>", 1) + data[end:]


def bad_character_reference(data: bytes) -> bytes:
    # "&#" that does not finish a reference: damage a parser reports, never text to guess at
    start, end = item_bounds(data, 20)
    return data[:start] + data[start:end].replace(b"<title>", b"<title>&#12ab;", 1) + data[end:]


def truncated_item(data: bytes) -> bytes:
    # the item's second half is lost; the next <item> follows
    start, end = item_bounds(data, 20)
    cut = data.index(b"<wp:post_date>", start)
    return data[:cut] + b"\n  " + data[end:]


BREAKAGES = {
    "mismatched-tag": mismatched_tag,
    "unclosed-cdata": unclosed_cdata,
    "bad-character-reference": bad_character_reference,
    "truncated-item": truncated_item,
}


@pytest.mark.parametrize("kind", sorted(BREAKAGES))
def test_a_broken_item_costs_only_itself(kind):
    data = BREAKAGES[kind](FORTY)
    export = read_export(data)
    entries = list(export.entries())
    assert [e.id for e in entries if isinstance(e, Item)] == [i for i in range(1, 41) if i != 20]
    (broken,) = [e for e in entries if isinstance(e, BrokenItem)]
    assert entries.index(broken) == broken.ordinal == 19
    start, end = item_bounds(data, 20)
    first_line, last_line = position(data, start)[0], position(data, end)[0]
    assert first_line <= broken.line <= last_line
    error = export.error
    assert isinstance(error, MalformedExportError)
    assert (error.line, error.column) == (broken.line, broken.column)
    assert "malformed" in str(error) and "1 broken item" in str(error)
    assert re.match(rf"<bytes>:{broken.line}:{broken.column}: ", str(error))


def test_iteration_yields_every_good_item_then_raises():
    seen = []
    with pytest.raises(MalformedExportError) as info:
        for item in read_export(mismatched_tag(FORTY)):
            seen.append(item.id)
    assert seen == [i for i in range(1, 41) if i != 20]
    assert "not a WordPress export" not in str(info.value)


def test_the_mismatched_tag_is_located_exactly():
    data = mismatched_tag(FORTY)
    (broken,) = [e for e in read_export(data).entries() if isinstance(e, BrokenItem)]
    bad = data.index(b"</wp:post_type>", item_bounds(data, 20)[0])
    line, column = position(data, bad + len(b"</wp:post_type>"))
    assert (broken.line, broken.column) == (line, column)
    assert broken.post_id == 20
    assert "mismatch" in broken.message


def test_broken_item_without_readable_id():
    # the unclosed CDATA swallows the post id: nothing to report but the position
    (broken,) = [e for e in read_export(unclosed_cdata(FORTY)).entries() if isinstance(e, BrokenItem)]
    assert broken.post_id is None


def run_cli(*args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "wpmigrate", *map(os.fspath, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.mark.parametrize("kind", sorted(BREAKAGES))
def test_command_line_writes_the_other_39_and_reports_the_broken_one(tmp_path, kind):
    src = tmp_path / "export.xml"
    src.write_bytes(BREAKAGES[kind](FORTY))
    out, report = tmp_path / "out", tmp_path / "report.json"
    proc = run_cli("convert", src, "-o", out, "--report", report)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert re.search(rf"{re.escape(str(src))}:\d+:\d+: .*malformed", proc.stderr), proc.stderr
    assert sorted(p.name for p in (out / "posts").iterdir()) == sorted(f"post-{i}.md" for i in range(1, 41) if i != 20)
    data = json.loads(report.read_text(encoding="utf-8"))
    actions = [e["action"] for e in data["items"]]
    assert actions == ["written"] * 19 + ["failed"] + ["written"] * 20  # in its place, file order
    failed = data["items"][19]
    assert re.match(r"malformed XML at \d+:\d+: \S", failed["reason"])
    assert failed["title"] is None
    assert data["summary"]["failed"] == 1 and data["summary"]["error"]


# --- truncated files -----------------------------------------------------------------------


def test_truncated_file_reads_every_complete_item_and_breaks_at_the_end():
    data = FORTY[: FORTY.index(b"<wp:post_name>", item_bounds(FORTY, 33)[0]) + 9]
    export = read_export(data)
    entries = list(export.entries())
    assert [e.id for e in entries if isinstance(e, Item)] == list(range(1, 33))
    assert isinstance(entries[-1], BrokenItem) and len(entries) == 33
    assert (entries[-1].line, entries[-1].column) == position(data, len(data))
    assert "the file ends inside this item" in entries[-1].message
    assert (export.error.line, export.error.column) == position(data, len(data))


def test_file_cut_after_its_last_item():
    data = FORTY[: FORTY.rindex(b"</item>") + len(b"</item>")]
    export = read_export(data)
    assert len([e for e in export.entries() if isinstance(e, Item)]) == 40
    assert export.error is not None and "cut short" in str(export.error)
    assert "every item in the file was read" in str(export.error)


def test_text_after_the_root_is_ignored_with_a_warning():
    export = read_export(FORTY + b"<b>Warning</b>: something in /var/www/plugin.php on line 3\n")
    assert len(list(export)) == 40
    assert any("after </rss>" in w for w in export.warnings)


def _depth_is_limited() -> bool:
    try:
        etree.fromstring(b"<a>" * 3000 + b"</a>" * 3000, etree.XMLParser(huge_tree=True))
    except etree.XMLSyntaxError:
        return True
    return False


@pytest.mark.skipif(
    not _depth_is_limited(),
    reason="this libxml2 sets no depth limit with XML_PARSE_HUGE (2.12 has none, 2.14 stops at 2048)",
)
def test_deep_nesting_says_what_is_nested_where():
    data = FORTY.replace(b"<p>Body 7</p>", b"<span>" * 3000 + b"deep" + b"</span>" * 3000)
    data = data.replace(b"<![CDATA[" + b"<span>" * 3000, b"<span>" * 3000, 1).replace(
        b"</span>" * 3000 + b"]]>", b"</span>" * 3000, 1
    )
    (broken,) = [e for e in read_export(data).entries() if isinstance(e, BrokenItem)]
    assert "XML_PARSE_HUGE" not in broken.message
    assert "<content:encoded>" in broken.message and "nested" in broken.message
    content_line = position(data, data.index(b"<content:encoded><span>"))[0]
    assert f"line {content_line}" in broken.message


# --- boundaries: CDATA and comments -----------------------------------------------------------------

HEAD = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>T</title><wp:wxr_version>1.2</wp:wxr_version>
"""
TAIL = b"\n</channel></rss>\n"


def post(post_id: int, content: bytes = b"x") -> bytes:
    return b"<item><wp:post_id>%d</wp:post_id><content:encoded>%s</content:encoded></item>\n" % (post_id, content)


BOUNDARY_CASES = {
    "item-tags-in-cdata": (
        HEAD + post(1, b"<![CDATA[<item><title>not an item</title></item>]]>") + post(2) + TAIL,
        [1, 2],
        "<item><title>not an item</title></item>",
    ),
    "end-tag-in-cdata": (HEAD + post(1, b"<![CDATA[a </item> b]]>") + post(2) + TAIL, [1, 2], "a </item> b"),
    "boundary-in-cdata": (
        HEAD + post(1, b"<![CDATA[</item>\n<item> in a code sample]]>") + post(2) + TAIL,
        [1, 2],
        "</item>\n<item> in a code sample",
    ),
    "item-in-comment": (
        HEAD
        + b"<item><wp:post_id>1</wp:post_id><!-- <item> --><content:encoded>x</content:encoded></item>\n"
        + post(2)
        + TAIL,
        [1, 2],
        "x",
    ),
    "escaped-cdata-close": (
        HEAD + post(1, b"<![CDATA[a ]]]]><![CDATA[> </item> b]]>") + post(2) + TAIL,
        [1, 2],
        "a ]]> </item> b",
    ),
    "comment-with-item-in-header": (
        HEAD + b"<!-- <item><wp:post_id>9</wp:post_id></item> -->\n" + post(1) + post(2) + TAIL,
        [1, 2],
        "x",
    ),
    "cdata-with-item-in-header": (
        HEAD.replace(b"<title>T</title>", b"<title><![CDATA[<item>]]></title>") + post(1) + post(2) + TAIL,
        [1, 2],
        "x",
    ),
}


@pytest.mark.parametrize("name", sorted(BOUNDARY_CASES))
def test_boundaries(name):
    data, ids, first_content = BOUNDARY_CASES[name]
    export = read_export(data)
    items = list(export)
    assert [i.id for i in items] == ids
    assert items[0].content == first_content
    assert len(list(export.refs())) == len(ids)


def test_an_empty_item_is_complete():
    items = list(read_export(HEAD + b"<item/>\n" + post(2) + TAIL))
    assert [i.id for i in items] == [0, 2]
    assert "no valid post id" in items[0].warnings[0]


def test_channel_children_between_and_after_items_complete_the_site():
    author = b"<wp:author><wp:author_login>%s</wp:author_login></wp:author>\n"
    data = HEAD + author % b"a" + post(1) + author % b"b" + post(2) + author % b"c" + TAIL
    export = read_export(data)
    assert [a.login for a in export.site.authors] == ["a"]
    assert [i.id for i in export] == [1, 2]
    assert [a.login for a in export.site.authors] == ["a", "b", "c"]
    assert [a.login for a in export.site.authors] == ["a", "b", "c"]  # a second pass adds nothing twice
    list(export)
    assert [a.login for a in export.site.authors] == ["a", "b", "c"]


# --- line numbers ------------------------------------------------------------------------------------


def whole_file_lines(data: bytes) -> list[int]:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
    return [el.sourceline for el in root.iter("item")]


@st.composite
def layouts(draw) -> bytes:
    """An export with a free layout: line ends, a multi-line <rss> start tag, gaps, non-ASCII text."""
    newline = draw(st.sampled_from([b"\n", b"\r\n"]))
    attrs = [
        b'version="2.0"',
        b'xmlns:wp="http://wordpress.org/export/1.2/"',
        b'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    ]
    separator = draw(st.sampled_from([b" ", b"\n  ", b"\n\t\n "]))
    text = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs")), max_size=12)
    parts = [
        b'<?xml version="1.0" encoding="UTF-8"?>\n<rss ' + separator.join(attrs) + b">\n<channel>"
        b"<title>%s</title><wp:wxr_version>1.2</wp:wxr_version>\n" % draw(text).encode()
    ]
    for n in range(1, draw(st.integers(min_value=1, max_value=8)) + 1):
        gap = draw(st.sampled_from([b"", b"\n", b"\n\n  ", b"<!-- gap -->\n", b" "]))
        title = draw(text).encode()
        lines = draw(st.integers(min_value=0, max_value=3))
        parts.append(
            gap + b"<item><title>%s</title>%s<wp:post_id>%d</wp:post_id>\n<content:encoded>"
            b"<![CDATA[%s]]></content:encoded></item>" % (title, b"\n" * lines, n, title + b"\n" * lines)
        )
    parts.append(b"\n</channel>\n</rss>\n")
    return b"".join(parts).replace(b"\n", newline)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts(), st.data())
def test_item_and_error_positions_are_those_of_the_file(data, draw):
    assert [i.line for i in read_export(data)] == whole_file_lines(data)
    # Break one item with a mismatched end tag: libxml2 reading the whole file
    # reports the same position as the reader reading that item on its own.
    refs = list(read_export(data).refs())
    ref = draw.draw(st.sampled_from(refs))
    at = data.index(b"</title>", ref.offset)
    broken_data = data[:at] + b"</wrong>" + data[at + len(b"</title>") :]
    with pytest.raises(etree.XMLSyntaxError) as whole:
        etree.fromstring(broken_data, etree.XMLParser(resolve_entities=False))
    export = read_export(broken_data)
    (broken,) = [e for e in export.entries() if isinstance(e, BrokenItem)]
    assert (broken.line, broken.column) == whole.value.position
    assert (export.error.line, export.error.column) == whole.value.position


def test_positions_in_a_later_item_with_a_multiline_root_and_crlf():
    data = FORTY.replace(b"<rss xmlns", b"<rss\r\n   xmlns").replace(b"\n", b"\r\n")
    data = mismatched_tag(data)
    with pytest.raises(etree.XMLSyntaxError) as whole:
        etree.fromstring(data)
    (broken,) = [e for e in read_export(data).entries() if isinstance(e, BrokenItem)]
    assert (broken.line, broken.column) == whole.value.position
    assert f"line {whole.value.position[0]}" in broken.message  # libxml2's own "line N" is mapped too


def test_lines_from_65535_on_are_exact():
    # libxml2 keeps a node's line in 16 bits; the reader counts lines in the bytes itself,
    # so an item starting exactly at line 65535, and every one after it, gets the file's line
    def build(newlines: int) -> bytes:
        return build_wxr(
            [{"id": 1, "content": "\n" * newlines}] + [{"id": i, "content": "\n" * 30_000} for i in range(2, 5)]
        )

    probe = build(60_000)
    second = probe.count(b"\n", 0, probe.index(b"<item>", probe.index(b"</item>"))) + 1
    data = build(60_000 + 65535 - second)
    lines = [data.count(b"\n", 0, m.start()) + 1 for m in re.finditer(rb"<item>", data)]
    assert lines[1] == 65535
    assert [i.line for i in read_export(data)] == lines


# --- inputs -----------------------------------------------------------------------------------------


def ids(source) -> list[int]:
    with read_export(source) as export:
        return [i.id for i in export]


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress], ids=["gz", "bz2", "xz"])
def test_compressed_exports_are_recognised_by_their_bytes(tmp_path, compress):
    path = tmp_path / "export.bin"  # the name says nothing
    path.write_bytes(compress(FORTY))
    assert ids(path) == list(range(1, 41))
    assert ids(compress(FORTY)) == list(range(1, 41))


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_with_one_export(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(zipped({"site.wordpress.2024-01-01.000.xml": FORTY, "__MACOSX/._site.xml": b"\0\1junk"}))
    assert ids(path) == list(range(1, 41))


def test_zip_with_two_exports_is_one_site(tmp_path):
    second = build_wxr(
        [{"id": 100}, {"id": 101}], authors=[{"login": "admin", "email": "a@example.org"}, {"login": "eve"}]
    )
    path = tmp_path / "export.zip"
    path.write_bytes(zipped({"b.001.xml": second, "a.000.xml": FORTY, "notes.txt": b"hello"}))
    with read_export(path) as export:
        assert [i.id for i in export] == list(range(1, 41)) + [100, 101]  # member-name order
        assert [a.login for a in export.site.authors] == ["admin", "eve"]  # merged, not repeated
        refs = list(export.refs())
        assert [r.part for r in refs] == [0] * 40 + [1, 1]
        assert [r.ordinal for r in refs] == list(range(42))


def test_zip_broken_member_names_the_member(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(zipped({"a.xml": FORTY, "b.xml": mismatched_tag(FORTY)}))
    export = read_export(path)
    assert len(list(export.entries())) == 80
    assert export.error.path == f"{path}/b.xml"


def test_zip_without_xml_is_not_an_export(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(zipped({"readme.txt": b"hello", "__MACOSX/x.xml": FORTY}))
    with pytest.raises(NotAnExportError, match="no XML file"):
        read_export(path)


@pytest.mark.parametrize(
    "pack",
    [gzip.compress, bz2.compress, lzma.compress, lambda data: zipped({"a.xml": data})],
    ids=["gz", "bz2", "xz", "zip"],
)
def test_a_decompression_bomb_is_refused_before_the_disk_fills(tmp_path, monkeypatch, pack):
    from wpmigrate.wxr import source

    monkeypatch.setattr(source, "MAX_FLOOR", 1 << 20)  # the real floor is 1 GiB
    made = []
    real_mkdtemp = source.tempfile.mkdtemp
    monkeypatch.setattr(source.tempfile, "mkdtemp", lambda **kw: made.append(real_mkdtemp(**kw)) or made[-1])
    bomb = pack(FORTY[: -len(b"</channel></rss>")] + b" " * (64 << 20) + b"</channel></rss>")
    assert len(bomb) * source.MAX_RATIO < 64 << 20
    path = tmp_path / "export.bin"
    path.write_bytes(bomb)
    with pytest.raises(NotAnExportError, match="decompression bomb") as caught:
        read_export(path)
    assert caught.value.path == str(path)
    # what it wrote before stopping went with the refusal
    assert made and not any(os.path.exists(folder) for folder in made)


def test_a_well_compressed_export_is_not_a_bomb(tmp_path, monkeypatch):
    from wpmigrate.wxr import source

    monkeypatch.setattr(source, "MAX_FLOOR", 0)  # only the ratio counts
    assert ids(gzip.compress(FORTY)) == list(range(1, 41))


def test_a_pipe_is_read():
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    proc.stdin.write(FORTY)
    proc.stdin.close()
    try:
        assert not proc.stdout.seekable()
        assert ids(proc.stdout) == list(range(1, 41))
    finally:
        proc.stdout.close()
        proc.wait()


def test_command_line_reads_a_compressed_export(tmp_path):
    src = tmp_path / "export.xml.gz"
    src.write_bytes(gzip.compress(FORTY))
    proc = run_cli("convert", src, "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "out" / "posts").iterdir())) == 40


def temp_files(export) -> list[str]:
    return [p.path for p in export._source.parts if p.path and "wpmigrate-" in p.path]


def test_temporary_files_go_with_the_export():
    with read_export(gzip.compress(FORTY)) as export:
        (path,) = temp_files(export)
        assert os.path.exists(path)
    assert not os.path.exists(path)
    export = read_export(gzip.compress(FORTY))
    (path,) = temp_files(export)
    del export
    gc.collect()
    assert not os.path.exists(path)


# --- the loader in another process -------------------------------------------------------------------


def _load_all(loader: ItemLoader, refs: list[ItemRef]) -> list:
    return [loader.load(ref) for ref in refs]


@pytest.mark.parametrize("source", ["path", "bytes"])
def test_loader_pickles_and_loads_in_a_spawned_process(tmp_path, source):
    data = mismatched_tag(FORTY)
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    export = read_export(path if source == "path" else data)
    expected = list(export.entries())
    refs = list(export.refs())
    export.loader.load(refs[0])  # the loader has opened its file in this process
    loader = pickle.loads(pickle.dumps(export.loader))
    assert loader.load(refs[5]) == expected[5]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        loaded = pool.apply(_load_all, (export.loader, refs))
    assert loaded == expected
    assert isinstance(loaded[19], BrokenItem)
