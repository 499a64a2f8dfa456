"""--media download against a local server that misbehaves: retries, timeouts, failures
reported, nothing fetched twice, partial files never under the real name, resumed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wpmigrate
import wpmigrate.media.place as place
from tests.mediaserver import MediaServer
from tests.mediasite import FILES, MISSING, write_site
from wpmigrate.media.download import DownloadSettings, Fetch, fetch, partial_path

UP = "/wp-content/uploads/"
QUICK = DownloadSettings(workers=3, timeout=0.5, retries=3, backoff=0.01)


def _served() -> dict[str, bytes]:
    return {UP + rel: data for rel, data in FILES.items()}


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(place, "SETTINGS", QUICK)


def _media(out: Path) -> dict[str, bytes]:
    root = out / "media"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()} if root.is_dir() else {}


def test_download_retries_reports_failures_and_fetches_nothing_twice(tmp_path, quick):
    with MediaServer(_served()) as server:
        export, _ = write_site(tmp_path, base=server.base)
        server.errors[UP + "2019/06/cover.png"] = 2  # 500 twice, then the file
        server.errors[UP + "2019/06/guide.pdf"] = 100  # 500 every time
        server.stalls[UP + "2019/06/song.mp3"] = 1.5  # the first answer comes after the timeout
        out = tmp_path / "out"
        report = wpmigrate.convert(export, out, media="download", report=tmp_path / "r.json", jobs=2)
        media = report.media
        assert media.downloaded == 5 and media.files == 7
        failed = {f.path: f for f in media.failed}
        assert set(failed) == {"media/2019/06/guide.pdf", "media/" + MISSING}
        assert failed["media/2019/06/guide.pdf"].status == 500
        assert failed["media/2019/06/guide.pdf"].reason == "HTTP 500 Internal Server Error (4 attempts)"
        assert failed["media/" + MISSING].status == 404 and failed["media/" + MISSING].items == [1]
        assert server.gets[UP + MISSING] == 1  # a 404 is not asked again
        assert server.gets[UP + "2019/06/guide.pdf"] == 4
        assert server.gets[UP + "2019/06/cover.png"] == 3
        assert server.gets[UP + "2019/06/song.mp3"] == 2
        # both posts reference the June photo, one in all its sizes: fetched once, as the original
        assert server.gets[UP + "2019/06/foto.jpg"] == 1
        assert not any("x" in p and "-" in p.rsplit("/", 1)[1] for p in server.gets if p.endswith(".jpg"))
        assert _media(out) == {
            rel: FILES[rel]
            for rel in (
                "2019/06/foto.jpg",
                "2019/07/foto.jpg",
                "2019/06/cover.png",
                "2019/06/song.mp3",
                "2019/05/banner.png",
            )
        }
        assert not list(out.rglob("*.part")) and not (out / "media/2019/06/guide.pdf").exists()
        data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
        assert {f["path"] for f in data["media"]["failed"]} == set(failed)
        assert data["summary"]["media"]["failed"] == 2
        assert "media/2019/06/guide.pdf" not in (out / ".wpmigrate-manifest.jsonl").read_text()

        # a plain re-run fetches none of the files it has, and tries the failed ones again
        gets = dict(server.gets)
        server.errors.pop(UP + "2019/06/guide.pdf")
        again = wpmigrate.convert(export, out, media="download", jobs=1)
        assert again.media.unchanged == 5 and again.media.downloaded == 1
        for path, n in gets.items():
            if path not in (UP + "2019/06/guide.pdf", UP + MISSING):
                assert server.gets[path] == n, path
        assert server.gets[UP + "2019/06/guide.pdf"] == 5
        assert (out / "media/2019/06/guide.pdf").read_bytes() == FILES["2019/06/guide.pdf"]


def test_download_a_cut_answer_never_leaves_a_truncated_file_and_resumes(tmp_path, monkeypatch):
    monkeypatch.setattr(place, "SETTINGS", DownloadSettings(timeout=2, retries=0))
    with MediaServer(_served()) as server:
        export, _ = write_site(tmp_path, base=server.base)
        server.short.add(UP + "2019/06/foto.jpg")
        out = tmp_path / "out"
        report = wpmigrate.convert(export, out, media="download", jobs=1)
        target = out / "media/2019/06/foto.jpg"
        assert not target.exists()  # never the half under the real name
        assert partial_path(target).read_bytes() == FILES["2019/06/foto.jpg"][: len(FILES["2019/06/foto.jpg"]) // 2]
        (failure,) = [f for f in report.media.failed if f.path == "media/2019/06/foto.jpg"]
        assert "of" in failure.reason and "bytes" in failure.reason
        again = wpmigrate.convert(export, out, media="download", jobs=1)
        assert target.read_bytes() == FILES["2019/06/foto.jpg"]
        assert server.ranges[UP + "2019/06/foto.jpg"] == 1  # continued where it stopped
        assert not partial_path(target).exists()
        assert again.media.downloaded == 2 - 1 and not [f for f in again.media.failed if "foto" in f.path]


def test_download_only_from_the_sites_own_hosts(tmp_path):
    with MediaServer({"/x.jpg": b"x"}) as server:
        job = Fetch(server.base + "/x.jpg", tmp_path / "x.jpg")
        refused = fetch(job, QUICK, allowed=lambda url: False)
        assert not refused.ok and refused.reason == "not one of the site's hosts" and server.gets["/x.jpg"] == 0
        assert fetch(job, QUICK).ok and (tmp_path / "x.jpg").read_bytes() == b"x"


def test_download_a_cdn_host_is_asked_with_media_host(tmp_path, quick):
    pdf = UP + "2019/06/guide.pdf"  # linked by a path of the site's own: asked of the site
    with MediaServer(_served()) as cdn, MediaServer({pdf: FILES["2019/06/guide.pdf"]}) as site:
        export, _ = write_site(tmp_path, base=site.base)
        text = export.read_text(encoding="utf-8").replace(f"{site.base}/wp-content", f"{cdn.base}/wp-content")
        export.write_text(text, encoding="utf-8")
        out = tmp_path / "out"
        plain = wpmigrate.convert(export, out, media="download", jobs=1)
        assert plain.media.files == 1 and sum(cdn.gets.values()) == 0  # another host: not the site's
        report = wpmigrate.convert(export, tmp_path / "cdn", media="download", media_host=cdn.base, jobs=1)
        assert report.media.downloaded == 6 and cdn.gets[UP + "2019/06/foto.jpg"] == 1 and cdn.gets[pdf] == 0
        assert (tmp_path / "cdn/media/2019/06/foto.jpg").read_bytes() == FILES["2019/06/foto.jpg"]


def test_download_interrupted_by_ctrl_c_resumes_with_a_plain_rerun(tmp_path):
    with MediaServer(_served()) as server:
        export, _ = write_site(tmp_path, base=server.base)
        slow = UP + "2019/06/foto.jpg"
        server.slow[slow] = 1.0  # about 3 s for the whole file
        out = tmp_path / "out"
        command = [
            sys.executable,
            "-m",
            "wpmigrate",
            "convert",
            str(export),
            "-o",
            str(out),
            "--media",
            "download",
            "--jobs",
            "1",
            "--report",
            str(tmp_path / "r.json"),
        ]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        part = partial_path(out / "media/2019/06/foto.jpg")
        while not server.gets[slow] and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the first chunk in
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "Traceback" not in err
        assert not (out / "media/2019/06/foto.jpg").exists()  # the partial file only
        report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
        assert "media files placed" in report["summary"]["error"]
        journal = (out / ".wpmigrate/journal.jsonl").read_text(encoding="utf-8")
        assert '"start": "media/2019/06/foto.jpg"' in journal

        server.slow.pop(slow)
        rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        assert (out / "media/2019/06/foto.jpg").read_bytes() == FILES["2019/06/foto.jpg"]
        assert server.ranges[slow] == 1 and not part.exists()
        manifest = (out / ".wpmigrate-manifest.jsonl").read_text(encoding="utf-8")
        assert "media/2019/06/foto.jpg" in manifest and not (out / ".wpmigrate").exists()
        for rel in ("2019/07/foto.jpg", "2019/06/cover.png"):
            assert server.gets[UP + rel] == 1, rel  # placed before the stop: not fetched again


def test_download_a_file_already_there_with_the_announced_size_is_not_fetched(tmp_path, quick):
    with MediaServer(_served()) as server:
        export, _ = write_site(tmp_path, base=server.base)
        out = tmp_path / "out"
        (out / "media/2019/06").mkdir(parents=True)
        (out / "media/2019/06/foto.jpg").write_bytes(FILES["2019/06/foto.jpg"])  # put there by hand
        (out / "media/2019/06/cover.png").write_bytes(b"x")  # another size: someone else's file
        report = wpmigrate.convert(export, out, media="download", jobs=1)
        assert server.gets[UP + "2019/06/foto.jpg"] == 0 and server.heads[UP + "2019/06/foto.jpg"] == 1
        assert "media/2019/06/foto.jpg" in (out / ".wpmigrate-manifest.jsonl").read_text()
        assert (out / "media/2019/06/cover.png").read_bytes() == b"x" and server.gets[UP + "2019/06/cover.png"] == 0
        assert [f.path for f in report.media.failed if "did not write" in f.reason] == ["media/2019/06/cover.png"]


def test_download_a_host_that_does_not_resolve_fails_at_once(tmp_path):
    result = fetch(Fetch("http://old-site.invalid/wp-content/uploads/x.jpg", tmp_path / "x.jpg"), QUICK)
    assert not result.ok and result.requests == 1 and result.reason.startswith("cannot connect")
    assert not (tmp_path / "x.jpg").exists()
