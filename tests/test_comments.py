"""``--comments``: approved comments, threaded, as data files or in front matter; nothing personal."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import wpmigrate
from tests import corpus
from tests.wxrbuild import build_wxr
from wpmigrate.cli import main
from wpmigrate.frontmatter import parse_document

EMAILS = [f"person{n}@private.example.net" for n in range(1, 9)]
IPS = [f"203.0.113.{n}" for n in range(1, 9)]


def _c(n: int, **kw) -> dict:
    base = {
        "id": n,
        "author": f"Reader {n}",
        "email": EMAILS[n - 1],
        "ip": IPS[n - 1],
        "date": f"2024-03-0{min(n, 9)} 10:00:00",
        "date_gmt": f"2024-03-0{min(n, 9)} 09:00:00",
        "content": f"Comment number {n}",
    }
    base.update(kw)
    return base


COMMENTS = [
    _c(1, url="https://reader-one.example.com/", content="<p>Great <strong>post</strong>!</p>\n\nSecond line"),
    _c(2, parent=1, content="A reply", url="javascript:alert(1)"),
    _c(3, approved="spam", content="Buy SPAMWORD now"),
    _c(4, approved="0", content="UNAPPROVEDWORD waits"),
    _c(5, approved="trash", content="TRASHWORD"),
    _c(6, type="pingback", author="Other blog", content="PINGWORD [&#8230;] linked here"),
    _c(7, parent=4, content="Reply to an unapproved one"),
    _c(8, type="order_note", content="ORDERNOTE private"),
]

ITEMS = [
    {"id": 10, "title": "With comments", "slug": "with-comments", "content": "Body", "comments": COMMENTS},
    {"id": 11, "title": "Without", "slug": "without", "content": "Body"},
    {
        "id": 12,
        "title": "A draft",
        "slug": "a-draft",
        "status": "draft",
        "comments": [_c(1, content="DRAFTCOMMENT")],
    },
    {"id": 13, "title": "Page", "type": "page", "slug": "page", "comments": [_c(1, content="On a page")]},
]


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "comments.xml"
    path.write_bytes(build_wxr(ITEMS))
    return path


def _all_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*") if p.is_file())


def _assert_nothing_personal(*texts: str) -> None:
    for text in texts:
        for secret in (*EMAILS, *IPS, "private.example.net", "203.0.113", "visitor@example.net", "192.0.2.7"):
            assert secret not in text
        for word in ("SPAMWORD", "UNAPPROVEDWORD", "TRASHWORD", "ORDERNOTE", "DRAFTCOMMENT"):
            assert word not in text


def test_data_files_threaded_and_private_data_never_written(export, tmp_path):
    out = tmp_path / "out"
    report = wpmigrate.convert(export, out, comments=True, report=tmp_path / "report.json", jobs=1)
    data = json.loads((out / "data/comments/10.json").read_text(encoding="utf-8"))
    assert data["post"] == 10
    comments = {c["id"]: c for c in data["comments"]}
    assert list(comments) == [1, 2, 7]
    first = comments[1]
    assert first == {
        "id": 1,
        "parent": 0,
        "author": "Reader 1",
        "author_url": "https://reader-one.example.com/",
        "date": "2024-03-01T10:00:00+01:00",
        "content": "Great **post**!\n\nSecond line",
    }
    assert comments[2]["parent"] == 1 and "author_url" not in comments[2]  # no javascript: URL
    assert comments[7]["parent"] == 0  # its parent awaits moderation: attached to the post
    assert (out / "data/comments/13.json").is_file()
    assert not (out / "data/comments/11.json").exists()  # no comments, no file
    assert not (out / "data/comments/12.json").exists()  # a draft is not written
    entries = {e.id: e for e in report.items}
    assert (entries[10].comments_written, entries[10].comments_withheld) == (3, 5)
    assert report.summary()["comments_written"] == 4
    manifest = (out / ".wpmigrate-manifest.jsonl").read_text(encoding="utf-8")
    assert "data/comments/10.json" in manifest and "data/comments/13.json" in manifest
    _assert_nothing_personal(_all_text(out), (tmp_path / "report.json").read_text(encoding="utf-8"))


def test_pingbacks_only_when_asked(export, tmp_path):
    out = tmp_path / "out"
    wpmigrate.convert(export, out, comments="data", pingbacks=True, jobs=1)
    comments = json.loads((out / "data/comments/10.json").read_text(encoding="utf-8"))["comments"]
    ping = next(c for c in comments if c["id"] == 6)
    assert ping["type"] == "pingback" and "PINGWORD" in ping["content"]
    out2 = tmp_path / "out2"
    wpmigrate.convert(export, out2, comments="data", jobs=1)
    assert "PINGWORD" not in _all_text(out2)


def test_front_matter(export, tmp_path):
    out = tmp_path / "out"
    wpmigrate.convert(export, out, comments="front-matter", jobs=1)
    fm, _ = parse_document((out / "posts/with-comments.md").read_text(encoding="utf-8"))
    assert [c["id"] for c in fm["comments"]] == [1, 2, 7]
    assert fm["comments"][1]["parent"] == 1
    assert list(fm)[-1] == "comments"
    assert not (out / "data").exists()
    _assert_nothing_personal(_all_text(out))


@pytest.mark.parametrize(
    ("layout", "folder"),
    [
        ("hugo", "data/comments"),
        ("jekyll", "_data/comments"),
        ("eleventy", "_data/comments"),
        ("astro", "src/data/comments"),
    ],
)
def test_layouts_data_folder(export, tmp_path, layout, folder):
    out = tmp_path / layout
    wpmigrate.convert(export, out, comments=True, layout=layout, jobs=1)
    assert json.loads((out / folder / "10.json").read_text(encoding="utf-8"))["post"] == 10
    _assert_nothing_personal(_all_text(out))


def test_toml_front_matter(export, tmp_path):
    out = tmp_path / "out"
    wpmigrate.convert(export, out, comments="front-matter", layout="hugo", front_matter="toml", jobs=1)
    text = (out / "content/posts/with-comments.md").read_text(encoding="utf-8")
    assert "[[comments]]" in text
    _assert_nothing_personal(_all_text(out))


def test_rerun_replaces_and_does_not_overwrite_foreign_files(export, tmp_path):
    out = tmp_path / "out"
    wpmigrate.convert(export, out, comments=True, jobs=1)
    wpmigrate.convert(export, out, comments=True, jobs=1)  # its own files: replaced
    (out / "data/comments/10.json").write_text("edited by hand", encoding="utf-8")
    with pytest.raises(wpmigrate.OutputError, match="data/comments/10.json"):
        wpmigrate.convert(export, out, comments=True, jobs=1)


def test_jobs_give_identical_output(export, tmp_path):
    trees = []
    for jobs in (1, 2):
        out = tmp_path / f"o{jobs}"
        wpmigrate.convert(export, out, comments=True, pingbacks=True, report=tmp_path / f"r{jobs}.json", jobs=jobs)
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    reports = [json.loads((tmp_path / f"r{j}.json").read_text(encoding="utf-8")) for j in (1, 2)]
    for r in reports:
        r.pop("out_dir")
    assert reports[0] == reports[1]


def test_corpus_export_jobs_identical(tmp_path):
    export = corpus.need(corpus.WXR / "themeunittestdata.wordpress.xml")
    trees = []
    for jobs in (1, 2):
        out = tmp_path / f"o{jobs}"
        wpmigrate.convert(export, out, comments=True, jobs=jobs)
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert any(k.startswith("data/comments/") for k in trees[0])
    text = "\n".join(v.decode("utf-8", "replace") for v in trees[0].values())
    assert "author_email" not in text and "author_IP" not in text


def test_command_line(export, tmp_path, capsys):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        main(["convert", str(export), "-o", str(out), "--comments", "--pingbacks", "--jobs", "1"])
    _, err = capsys.readouterr()
    assert exit_info.value.code == 0, err
    assert (out / "data/comments/10.json").is_file()
    with pytest.raises(SystemExit) as exit_info:
        main(["convert", str(export), "-o", str(tmp_path / "o2"), "--comments=front-matter", "--jobs", "1"])
    assert exit_info.value.code == 0
    with pytest.raises(SystemExit) as exit_info:
        main(["convert", str(export), "-o", str(tmp_path / "o3"), "--pingbacks"])
    _, err = capsys.readouterr()
    assert exit_info.value.code == 2 and "pingbacks" in err and "Traceback" not in err


def test_shortcodes_are_text_and_parent_loops_are_cut(tmp_path):
    comments = [
        {"id": 1, "content": "See [gallery] and [vc_row]x[/vc_row]"},
        {"id": 3, "parent": 3, "content": "its own parent"},
        {"id": 4, "parent": 5, "content": "a"},
        {"id": 5, "parent": 4, "content": "b"},
        {"id": 6, "parent": 1, "content": "reply"},
    ]
    path = tmp_path / "loop.xml"
    path.write_bytes(build_wxr([{"id": 1, "content": "x", "comments": comments}]))
    wpmigrate.convert(path, tmp_path / "out", comments=True, jobs=1)
    written = json.loads((tmp_path / "out/data/comments/1.json").read_text(encoding="utf-8"))["comments"]
    parents = {c["id"]: c["parent"] for c in written}
    assert parents == {1: 0, 3: 0, 4: 0, 5: 4, 6: 1}
    assert written[0]["content"] == "See [gallery] and [vc_row]x[/vc_row]"  # WordPress runs no shortcodes there


@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed")
@pytest.mark.parametrize("mode", ["data", "front-matter"])
def test_hugo_site_shows_the_comments_and_nothing_personal(export, tmp_path, mode):
    site = tmp_path / "site"
    wpmigrate.convert(export, site, comments=mode, pingbacks=True, layout="hugo", jobs=1)
    proc = subprocess.run(["hugo", "--quiet"], cwd=site, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = next((site / "public").rglob("with-comments/index.html")).read_text(encoding="utf-8")
    assert 'id="comment-1"' in page and "Great <strong>post</strong>!" in page
    assert '<a href="#comment-1">in reply</a>' in page and "1 March 2024" in page
    assert 'href="https://reader-one.example.com/"' in page
    _assert_nothing_personal(_all_text(site))
