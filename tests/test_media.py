"""--media copy: every media reference of the hand-made site points at a local copy.

The site (tests/mediasite.py) has srcset images, two ``foto.jpg`` from different
months, a featured image, a gallery, an audio file, a PDF link, a file missing from
the uploads folder, a look-alike host, an uploads file that is no attachment and one
only a draft references.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import pytest
import yaml
from lxml import html as lxml_html
from markdown_it import MarkdownIt

import wpmigrate
from tests.mediasite import FILES, LOOK_ALIKE, MISSING, write_site
from wpmigrate.errors import OutputError, UsageError
from wpmigrate.layouts import LAYOUTS, SiteFacts
from wpmigrate.media.paths import attachment_files, copy_candidates, relative_path, uploads_file, uploads_path
from wpmigrate.model import Item, Meta
from wpmigrate.wordpress.phpserial import unserialize

BASE = "https://example.org/wp-content/uploads/"


# --- the pieces ---------------------------------------------------------------------------


def test_unserialize_reads_what_wordpress_stores():
    value = unserialize('a:3:{s:4:"file";s:10:"a/b/ü.jpg";i:7;b:1;s:1:"n";N;}')
    assert value == {"file": "a/b/ü.jpg", 7: True, "n": None}  # lengths are UTF-8 bytes
    assert unserialize("d:1.5;") == 1.5
    for bad in ('s:5:"abc";', 'O:8:"stdClass":0:{}', "a:1:{i:0;", 'a:1:{s:1:"k";i:1;}x'):
        with pytest.raises(ValueError):
            unserialize(bad)


@pytest.mark.parametrize(
    "name, candidates",
    [
        ("foto-300x200.jpg", ["foto.jpg", "foto-scaled.jpg"]),
        ("foto-scaled.jpg", ["foto.jpg"]),
        ("foto@2x.jpg", ["foto.jpg", "foto-scaled.jpg"]),
        ("foto-300x200@2x.jpg", ["foto-300x200.jpg", "foto-300x200-scaled.jpg", "foto.jpg", "foto-scaled.jpg"]),
        (
            "foto-e1561712345678-300x200.jpg",
            ["foto-e1561712345678.jpg", "foto-e1561712345678-scaled.jpg", "foto.jpg", "foto-scaled.jpg"],
        ),
        ("foto.jpg", []),
        ("2019-300x200", []),  # no extension: no copy
    ],
)
def test_copy_candidates_nearest_original_first(name, candidates):
    assert list(copy_candidates(f"2019/06/{name}")) == [f"2019/06/{c}" for c in candidates]


def test_uploads_paths_are_safe():
    assert (
        uploads_path("https://cdn.example.org/site/wp-content/uploads/2019/06/f%C3%BCr.jpg?x=1#a") == "2019/06/für.jpg"
    )
    assert uploads_path("https://example.org/wp-content/uploads/../../etc/passwd") is None
    assert uploads_path("https://example.org/images/foto.jpg") is None
    for bad in ("../x.jpg", "a/../../x", ".htaccess", "a/b\\c.jpg", ""):
        assert relative_path(bad) is None, bad


def test_uploads_file_refuses_a_link_out_of_the_folder(tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2019").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("outside")
    (uploads / "2019" / "in.jpg").write_bytes(b"x")
    os.symlink(tmp_path / "secret.txt", uploads / "2019" / "out.jpg")
    assert uploads_file(str(uploads), "2019/in.jpg") is not None
    assert uploads_file(str(uploads), "2019/out.jpg") is None
    assert uploads_file(str(uploads), "2019/none.jpg") is None


def test_attachment_files_lists_the_sizes_of_the_metadata():
    meta = 'a:2:{s:5:"sizes";a:1:{s:5:"thumb";a:1:{s:4:"file";s:16:"foto-150x150.jpg";}}s:14:"original_image";s:8:"foto.jpg";}'
    item = Item(
        id=5,
        type="attachment",
        status="inherit",
        attachment_url="https://example.org/wp-content/uploads/2020/01/foto-scaled.jpg",
        meta=(Meta("_wp_attached_file", "2020/01/foto-scaled.jpg"), Meta("_wp_attachment_metadata", meta)),
    )
    assert attachment_files(item) == [
        ("2020/01/foto-scaled.jpg", "2020/01/foto-scaled.jpg"),
        ("2020/01/foto.jpg", "2020/01/foto-scaled.jpg"),
        ("2020/01/foto-150x150.jpg", "2020/01/foto-scaled.jpg"),
    ]
    broken = Item(
        id=6,
        type="attachment",
        status="inherit",
        meta=(Meta("_wp_attached_file", "2020/01/x.jpg"), Meta("_wp_attachment_metadata", "a:1:{")),
    )
    assert attachment_files(broken) == [("2020/01/x.jpg", "2020/01/x.jpg")]


@pytest.mark.parametrize(
    "layout, path, url",
    [
        ("plain", "media/2019/06/foto.jpg", "../media/2019/06/foto.jpg"),
        ("hugo", "static/uploads/2019/06/foto.jpg", "/uploads/2019/06/foto.jpg"),
        ("jekyll", "assets/uploads/2019/06/foto.jpg", "/assets/uploads/2019/06/foto.jpg"),
        ("eleventy", "uploads/2019/06/foto.jpg", "/uploads/2019/06/foto.jpg"),
        ("astro", "public/uploads/2019/06/foto.jpg", "/uploads/2019/06/foto.jpg"),
    ],
)
def test_each_layout_places_media_files(layout, path, url):
    lay = LAYOUTS[layout]()
    assert str(lay.media_path("2019/06/foto.jpg")) == path
    assert lay.media_url("2019/06/foto.jpg", "posts/porto.md") == url
    assert lay.media_url("2019/06/ein bild.jpg", "posts/porto.md").endswith("/2019/06/ein%20bild.jpg")


def test_eleventy_starter_passes_the_media_folder_through():
    eleventy = LAYOUTS["eleventy"]()
    with_media = eleventy.starter(SiteFacts(title="S", media=True))
    without = eleventy.starter(SiteFacts(title="S"))
    assert 'eleventyConfig.addPassthroughCopy("uploads");' in with_media.files["eleventy.config.js"]
    assert 'addPassthroughCopy("uploads")' in with_media.hint
    assert (
        "Passthrough" not in without.files["eleventy.config.js"] and "MEDIA" not in without.files["eleventy.config.js"]
    )


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"media": "copy"}, "media copy needs --uploads"),
        ({"media": "keep", "uploads": "."}, "uploads: only with"),
        ({"media": "fetch"}, "media must be one of keep, copy, download"),
        ({"media": "download", "media_host": "https://cdn.example.org/path/"}, "is not a host name"),
        ({"media": "copy", "uploads": "/no/such/folder"}, "is not a folder"),
        ({"media": "download", "media_host": "cdn example.org"}, "is not a host name"),
    ],
)
def test_media_options_are_checked(tmp_path, kwargs, words):
    export, _ = write_site(tmp_path)
    with pytest.raises(UsageError, match=words):
        wpmigrate.convert(export, tmp_path / "out", jobs=1, **kwargs)


# --- a whole conversion -----------------------------------------------------------------------


def _references(md_text: str) -> tuple[list[str], list[str]]:
    """``(image sources, link targets)`` of a Markdown body (its raw HTML too)."""
    doc = lxml_html.fromstring("<div>" + MarkdownIt("commonmark").render(md_text) + "</div>")
    return [i.get("src") for i in doc.iter("img")], [a.get("href") for a in doc.iter("a")]


def _front(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


@pytest.fixture(scope="module")
def copied(tmp_path_factory):
    folder = tmp_path_factory.mktemp("media-copy")
    export, uploads = write_site(folder)
    out = folder / "out"
    report = wpmigrate.convert(export, out, media="copy", uploads=uploads, report=folder / "r.json", jobs=2)
    return export, uploads, out, report, json.loads((folder / "r.json").read_text(encoding="utf-8"))


def test_copy_every_image_and_file_is_local(copied):
    _, _, out, _, _ = copied
    seen = 0
    for md in ("posts/porto.md", "posts/lisbon.md"):
        fields, body = _front((out / md).read_text(encoding="utf-8"))
        images, links = _references(body)
        for url in images + [u for u in links if "wp-content" in u or u.startswith("..")]:
            if url in (BASE + MISSING, LOOK_ALIKE):
                continue
            assert not url.startswith(("http:", "https:", "//", "/")), (md, url)
            target = Path(posixpath.normpath(posixpath.join(posixpath.dirname(md), unquote(url))))
            assert (out / target).is_file(), (md, url)
            seen += 1
    assert seen >= 10
    porto, body = _front((out / "posts/porto.md").read_text(encoding="utf-8"))
    assert porto["cover_image"] == "../media/2019/06/cover.png"
    assert (out / "media/2019/06/cover.png").read_bytes() == FILES["2019/06/cover.png"]
    assert "](../media/2019/06/song.mp3)" in body and "](../media/2019/06/guide.pdf)" in body
    assert BASE + MISSING in body and LOOK_ALIKE in body  # kept as they were


def test_copy_two_files_of_one_name_stay_apart_and_variants_resolve_to_originals(copied):
    _, _, out, _, _ = copied
    assert (out / "media/2019/06/foto.jpg").read_bytes() == FILES["2019/06/foto.jpg"]
    assert (out / "media/2019/07/foto.jpg").read_bytes() == FILES["2019/07/foto.jpg"]
    placed = sorted(str(p.relative_to(out / "media")) for p in (out / "media").rglob("*") if p.is_file())
    # the resized copies resolve to their originals, the draft's image is not copied
    assert placed == [
        "2019/05/banner.png",
        "2019/06/cover.png",
        "2019/06/foto.jpg",
        "2019/06/guide.pdf",
        "2019/06/song.mp3",
        "2019/07/foto.jpg",
    ]
    _, body = _front((out / "posts/lisbon.md").read_text(encoding="utf-8"))
    images, _ = _references(body)
    assert images[:2] == ["../media/2019/07/foto.jpg", "../media/2019/05/banner.png"]


def test_copy_report_names_the_missing_file_per_item(copied):
    _, _, _, report, data = copied
    porto = next(e for e in data["items"] if e["id"] == 1)
    assert porto["media_missing"] == [BASE + MISSING]
    assert {"url": BASE + MISSING, "reason": "media file not in --uploads: its URL is kept"} in porto["urls"][
        "unresolved_urls"
    ]
    assert data["media"]["files"] == 6 and data["media"]["copied"] == 6 and data["media"]["missing_references"] == 1
    assert data["media"]["failed"] == []
    assert data["summary"]["media"]["copied"] == 6
    assert "1 reference(s) kept their URL" in report.format_summary()


def test_copy_files_are_in_the_manifest_and_a_rerun_changes_nothing(copied, tmp_path):
    export, uploads, out, _, _ = copied
    again = tmp_path / "again"
    shutil.copytree(out, again)
    manifest = [json.loads(line) for line in (again / ".wpmigrate-manifest.jsonl").read_text().splitlines()[1:]]
    listed = {m["path"]: m["sha256"] for m in manifest}
    assert "media/2019/06/foto.jpg" in listed and "media/2019/07/foto.jpg" in listed
    before = {p: p.read_bytes() for p in again.rglob("*") if p.is_file()}
    report = wpmigrate.convert(export, again, media="copy", uploads=uploads, jobs=1)  # no --force needed
    assert report.media.unchanged == 6 and report.media.copied == 0
    assert {p: p.read_bytes() for p in again.rglob("*") if p.is_file()} == before


def test_copy_a_replaced_media_file_is_protected_like_an_edited_post(copied, tmp_path):
    export, uploads, out, _, _ = copied
    again = tmp_path / "again"
    shutil.copytree(out, again)
    (again / "media/2019/06/foto.jpg").write_bytes(b"my own better photo")
    with pytest.raises(OutputError, match=r"media/2019/06/foto\.jpg.*changed since wpmigrate wrote it"):
        wpmigrate.convert(export, again, media="copy", uploads=uploads, jobs=1)
    assert (again / "media/2019/06/foto.jpg").read_bytes() == b"my own better photo"
    wpmigrate.convert(export, again, media="copy", uploads=uploads, jobs=1, force=True)
    assert (again / "media/2019/06/foto.jpg").read_bytes() == FILES["2019/06/foto.jpg"]


def test_copy_a_file_someone_else_put_there_is_left_alone_unless_identical(tmp_path):
    export, uploads = write_site(tmp_path)
    out = tmp_path / "out"
    (out / "media/2019/06").mkdir(parents=True)
    (out / "media/2019/06/foto.jpg").write_bytes(FILES["2019/06/foto.jpg"])  # identical: adopted
    (out / "media/2019/06/cover.png").write_bytes(b"not the cover")  # different: left alone, reported
    report = wpmigrate.convert(export, out, media="copy", uploads=uploads, jobs=1)
    assert (out / "media/2019/06/cover.png").read_bytes() == b"not the cover"
    assert [(f.path, f.reason, f.items) for f in report.media.failed] == [
        ("media/2019/06/cover.png", "a file wpmigrate did not write is there (--force replaces it)", [1])
    ]
    assert report.media.unchanged == 1 and report.media.copied == 4
    manifest = (out / ".wpmigrate-manifest.jsonl").read_text()
    assert "media/2019/06/foto.jpg" in manifest and "media/2019/06/cover.png" not in manifest


def test_copy_with_every_layout_points_at_the_layouts_folder(tmp_path):
    export, uploads = write_site(tmp_path)
    for layout in ("hugo", "jekyll", "eleventy", "astro"):
        out = tmp_path / layout
        wpmigrate.convert(export, out, media="copy", uploads=uploads, layout=layout, jobs=1)
        lay = LAYOUTS[layout]()
        texts = [p.read_text(encoding="utf-8") for p in out.rglob("*.md") if "porto" in p.name]
        assert texts, layout
        images, _ = _references(texts[0].split("---\n", 2)[2])
        local = [u for u in images if u.startswith(lay.media_url_root)]
        assert len(local) >= 4, (layout, images)
        for url in local:
            assert (out / lay.media_folder / unquote(url[len(lay.media_url_root) :])).is_file(), (layout, url)


def test_cli_media_copy(tmp_path):
    export, uploads = write_site(tmp_path)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "wpmigrate",
            "convert",
            str(export),
            "-o",
            str(tmp_path / "o"),
            "--media",
            "copy",
            "--uploads",
            str(uploads),
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "media: 6 file(s) 6 copied, 0 downloaded, 0 unchanged" in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "wpmigrate", "convert", str(export), "-o", str(tmp_path / "p"), "--media", "copy"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "needs --uploads" in proc.stderr and "Traceback" not in proc.stderr


# --- built with Hugo ------------------------------------------------------------------------------


def test_hugo_build_every_image_is_a_local_file(tmp_path):
    if shutil.which("hugo") is None:
        pytest.skip("hugo is not installed (.ci/run installs it: apt-get install hugo)")
    export, uploads = write_site(tmp_path)
    out = tmp_path / "site"
    wpmigrate.convert(export, out, layout="hugo", media="copy", uploads=uploads, jobs=1)
    proc = subprocess.run(["hugo", "--quiet"], cwd=out, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    public = out / "public"
    checked = 0
    for page in public.rglob("*.html"):
        doc = lxml_html.fromstring(page.read_bytes())
        for img in doc.iter("img"):
            src = img.get("src")
            if src in (BASE + MISSING, LOOK_ALIKE):
                continue  # the file missing from the uploads, and another site's image
            assert src.startswith("/uploads/"), (page, src)
            assert (public / PurePosixPath(unquote(src)).relative_to("/")).is_file(), (page, src)
            checked += 1
        for a in doc.iter("a"):
            href = a.get("href") or ""
            if "/uploads/" in href:
                assert not href.startswith("http") or href == BASE + MISSING, (page, href)
                assert (public / PurePosixPath(unquote(href)).relative_to("/")).is_file(), (page, href)
    assert checked >= 6


def test_redirects_of_attachment_pages_lead_to_the_local_copies(tmp_path):
    export, uploads = write_site(tmp_path)
    wpmigrate.convert(
        export, tmp_path / "site", media="copy", uploads=uploads, layout="hugo", redirects=tmp_path / "r.csv", jobs=1
    )
    rows = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert "/?attachment_id=10,/uploads/2019/06/foto.jpg,301,file" in rows
    assert "/?attachment_id=11,/uploads/2019/07/foto.jpg,301,file" in rows
    plain = tmp_path / "plain.csv"
    wpmigrate.convert(export, tmp_path / "plain", media="copy", uploads=uploads, redirects=plain, jobs=1)
    assert "/?attachment_id=14,/media/2019/06/guide.pdf,301,file" in plain.read_text(encoding="utf-8").splitlines()


def test_shortcodes_blocks_builders_and_lazy_images_point_at_local_copies(tmp_path):
    """What the renderer makes of shortcodes, blocks and page builders' elements carries
    its media URLs into the tree, where the rewrite step finds them."""
    from tests.mediasite import items
    from tests.wxrbuild import build_wxr

    export, uploads = write_site(tmp_path)
    up = BASE.rstrip("/")
    content = f"""[video mp4="{up}/2019/06/song.mp3"][/video]

[caption id="attachment_10" width="300"]<img src="{up}/2019/06/foto-300x200.jpg" alt="c" width="300"> A caption[/caption]

[vc_row][vc_column][vc_single_image image="11" img_size="medium"][/vc_column][/vc_row]

<img data-src="{up}/2019/06/cover.png" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="lazyload">

<!-- wp:image {{"id":12}} --><figure class="wp-block-image"><img src="{up}/2019/06/cover.png"/></figure><!-- /wp:image -->

[et_pb_section][et_pb_row][et_pb_column type="4_4"][et_pb_image src="{up}/2019/05/banner.png"][/et_pb_image][/et_pb_column][/et_pb_row][/et_pb_section]
"""
    export.write_bytes(build_wxr([*items("https://example.org"), {"id": 20, "slug": "mixed", "content": content}]))
    wpmigrate.convert(export, tmp_path / "out", media="copy", uploads=uploads, jobs=1)
    _, body = _front((tmp_path / "out/posts/mixed.md").read_text(encoding="utf-8"))
    images, links = _references(body)
    assert images == [
        "../media/2019/06/foto.jpg",
        "../media/2019/07/foto.jpg",
        "../media/2019/06/cover.png",
        "../media/2019/06/cover.png",
        "../media/2019/05/banner.png",
    ]
    assert "../media/2019/06/song.mp3" in links
    assert "wp-content" not in body.replace(up + "/2019/06/song.mp3]", "")


def test_copy_stopped_part_way_continues_with_a_plain_rerun(tmp_path, monkeypatch):
    import signal

    from wpmigrate import stop
    from wpmigrate.errors import RunInterrupted

    export, uploads = write_site(tmp_path)
    out = tmp_path / "out"

    def progress(done: int, total: int) -> None:
        if done == 2:
            monkeypatch.setattr(stop, "_requested", signal.SIGTERM)  # as the orderly stop's handler does

    with pytest.raises(RunInterrupted, match="with 2 of 6 media files placed") as caught:
        wpmigrate.convert(export, out, media="copy", uploads=uploads, jobs=1, media_progress=progress)
    assert caught.value.exit_code == 143
    journal = [json.loads(line) for line in (out / ".wpmigrate/journal.jsonl").read_text().splitlines()]
    recorded = [e["path"] for e in journal if "sha256" in e and e["path"].startswith("media/")]
    assert len(recorded) == 2 and not (out / ".wpmigrate-manifest.jsonl").exists()

    monkeypatch.setattr(stop, "_requested", None)
    report = wpmigrate.convert(export, out, media="copy", uploads=uploads, jobs=1)  # no --force
    assert report.media.unchanged == 2 and report.media.copied == 4
    manifest = (out / ".wpmigrate-manifest.jsonl").read_text()
    assert all(f"media/{rel}" in manifest for rel in ("2019/06/foto.jpg", "2019/07/foto.jpg", "2019/05/banner.png"))
    assert not (out / ".wpmigrate").exists()
