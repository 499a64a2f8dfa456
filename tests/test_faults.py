"""Write errors during a conversion: the file is named, nothing is half-written, the
report is still written, and a re-run once the cause is gone completes.

The faults come from a writer that fails on its Nth file (so the path is tested
on every machine), and from a small tmpfs where this machine allows mounting one.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.wxrbuild import build_wxr
from wpmigrate import write
from wpmigrate.cli import main

REPO = Path(__file__).resolve().parents[1]


def _export(folder: Path, posts: int = 12) -> Path:
    items = [
        {
            "id": n,
            "title": f"Entry number {n}",
            "slug": f"entry-{n}",
            "content": f"<p>Paragraph one of entry {n}.</p>\n\n<p>And a <em>second</em> one.</p>",
        }
        for n in range(1, posts + 1)
    ]
    path = folder / "export.xml"
    path.write_bytes(build_wxr(items))
    return path


def _cli(args: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return exit_info.value.code, capsys.readouterr().err


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _failing_writer(monkeypatch, nth: int, code: int) -> None:
    """Make the atomic write of Markdown files raise ``OSError(code)`` from the ``nth`` on
    (counted per process)."""
    real = write._replace
    calls = {"n": 0}

    def replace(path, writer, *, binary):
        if Path(path).suffix == ".md":
            calls["n"] += 1
            if calls["n"] >= nth:
                raise OSError(code, os.strerror(code))
        return real(path, writer, binary=binary)

    monkeypatch.setattr(write, "_replace", replace)


def _reference(tmp_path: Path, export: Path, capsys) -> dict[str, bytes]:
    ref = tmp_path / "reference"
    ref.mkdir()
    cwd = os.getcwd()
    os.chdir(ref)
    try:
        code, err = _cli(["convert", str(export), "-o", "out", "--report", "report.json"], capsys)
    finally:
        os.chdir(cwd)
    assert code == 0, err
    return _tree(ref)


@pytest.mark.parametrize(
    ("code", "jobs"),
    [(errno.ENOSPC, 1), (errno.ENOSPC, 2), (errno.EACCES, 1), (errno.EROFS, 2), (errno.ENAMETOOLONG, 1)],
)
def test_a_write_error_names_the_file_and_a_rerun_completes(tmp_path, monkeypatch, capsys, code, jobs):
    export = _export(tmp_path)
    reference = _reference(tmp_path, export, capsys)
    run = tmp_path / "run"
    run.mkdir()
    monkeypatch.chdir(run)
    args = ["convert", str(export), "-o", "out", "--report", "report.json", "--jobs", str(jobs)]

    with monkeypatch.context() as m:
        _failing_writer(m, 4, code)
        exit_code, err = _cli(args, capsys)
    reason = os.strerror(code)
    reason = reason[0].lower() + reason[1:]
    assert exit_code == 1, err
    found = re.search(rf"wpmigrate: error: (posts/entry-\d+\.md): {re.escape(reason)}", err)
    assert found, err
    assert "Traceback" not in err
    out = run / "out"
    assert not (out / found.group(1)).exists(), "the file that failed is not there at all"
    assert not list(out.rglob(".*.tmp")), "a temporary file was left behind"
    if jobs == 1:
        assert len(list(out.rglob("*.md"))) == 3  # the files before it are whole
    report = json.loads((run / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["error"].startswith(f"{found.group(1)}: {reason}")
    assert "run the same command again" in report["summary"]["error"]

    exit_code, err = _cli(args, capsys)  # the cause is gone
    assert exit_code == 0, err
    assert _tree(run) == reference


def test_when_the_report_cannot_be_written_either_it_goes_to_stderr(tmp_path, monkeypatch, capsys):
    export = _export(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "not-a-folder").write_text("x", encoding="utf-8")
    real = write._replace

    def replace(path, writer, *, binary):
        if Path(path).suffix == ".md":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, writer, binary=binary)

    monkeypatch.setattr(write, "_replace", replace)
    exit_code, err = _cli(
        ["convert", str(export), "-o", "out", "--report", "not-a-folder/report.json", "--jobs", "1"], capsys
    )
    assert exit_code == 1
    assert "cannot write the report" in err and "the report follows" in err, err
    start = err.index("{\n")
    report = json.loads(err[start : err.index("\n}\n", start) + 3])
    assert report["summary"]["error"].startswith("posts/entry-1.md: no space left on device")


def test_a_full_disk(tmp_path, capsys):
    """A real full file system: a 200 KB tmpfs (root on Linux, where mounting is allowed)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root on Linux")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        export = tmp_path / "export.xml"
        subprocess.run(
            [sys.executable, str(REPO / "bench" / "gen_wxr.py"), "--posts", "300", "-o", str(export)],
            check=True,
            capture_output=True,
        )
        out = disk / "out"
        exit_code, err = _cli(["convert", str(export), "-o", str(out), "--report", str(tmp_path / "r.json")], capsys)
        assert exit_code == 1
        assert re.search(r"wpmigrate: error: \S+\.md: no space left on device", err), err
        assert not list(out.rglob(".*.tmp"))
        assert "no space left on device" in json.loads((tmp_path / "r.json").read_text())["summary"]["error"]
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_the_temporary_files_a_killed_run_left_are_removed_and_only_those(tmp_path):
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    left = tmp_path / ".a.md.k2x_9q0z.tmp"
    left.write_text("half", encoding="utf-8")
    others = [tmp_path / ".b.md.k2x_9q0z.tmp", tmp_path / ".a.md.notes.txt", tmp_path / ".a.md.toolongname.tmp"]
    for other in others:
        other.write_text("keep", encoding="utf-8")
    assert write.remove_stale_temporaries([tmp_path / "a.md", tmp_path / "missing" / "c.md"]) == 1
    assert not left.exists()
    assert all(other.exists() for other in others)


def test_a_rerun_after_a_kill_takes_the_files_in_hand_as_its_own_and_ends_as_a_clean_run(tmp_path, capsys):
    """What kill -9 leaves: files written but not journaled (only handed out), a torn
    last line, the temporary file of one in hand, no manifest, no report."""
    export = _export(tmp_path)
    reference = _reference(tmp_path, export, capsys)
    run = tmp_path / "run"
    shutil.copytree(tmp_path / "reference", run)
    out = run / "out"
    (run / "report.json").unlink()
    (out / write.MANIFEST).unlink()
    lines = [
        json.loads(line)
        for line in (tmp_path / "reference" / "out" / write.MANIFEST).read_text(encoding="utf-8").splitlines()[1:]
    ]
    journal = out / write.STATE_DIR / write.JOURNAL
    journal.parent.mkdir()
    with open(journal, "w", encoding="utf-8") as fh:
        for n, entry in enumerate(lines):
            fh.write(json.dumps({"start": entry["path"]}) + "\n")
            if n < 5:  # the rest were written by workers the parent never heard back from
                fh.write(json.dumps({"path": entry["path"], "sha256": entry["sha256"], "item": n}) + "\n")
        fh.write('{"path": "posts/entry-9.md", "sha2')  # torn by the kill
    in_hand = out / lines[-1]["path"]  # handed out, never heard back from
    (in_hand.parent / f".{in_hand.name}.ab12cd34.tmp").write_text("half", encoding="utf-8")
    in_hand.unlink()

    cwd = os.getcwd()
    os.chdir(run)
    try:
        code, err = _cli(["convert", str(export), "-o", "out", "--report", "report.json"], capsys)
    finally:
        os.chdir(cwd)
    assert code == 0, err
    assert _tree(run) == reference


def test_a_journal_line_torn_by_a_kill_does_not_swallow_the_next_runs_first_line(tmp_path):
    journal = write.Journal(tmp_path)
    journal.folder.mkdir()
    journal.path.write_text('{"start": "posts/a.md"}\n{"path": "posts/a.md", "sha2', encoding="utf-8")
    journal.wrote("posts/b.md", "b" * 64, 2)
    journal.close()
    started: set[str] = set()
    assert list(write.Journal(tmp_path).read(started)) == [("posts/b.md", "b" * 64)]
    assert started == {"posts/a.md"}


def test_a_failed_manifest_write_is_named_and_the_report_still_written(tmp_path, monkeypatch, capsys):
    export = _export(tmp_path)
    monkeypatch.chdir(tmp_path)
    real = write._replace

    def replace(path, writer, *, binary):
        if Path(path).name == write.MANIFEST:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, writer, binary=binary)

    monkeypatch.setattr(write, "_replace", replace)
    code, err = _cli(["convert", str(export), "-o", "out", "--report", "report.json"], capsys)
    assert code == 1
    assert f"{write.MANIFEST}: no space left on device" in err, err
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert "no space left on device" in report["summary"]["error"]
    assert (tmp_path / "out" / write.STATE_DIR / write.JOURNAL).is_file()  # kept for the next run

    monkeypatch.setattr(write, "_replace", real)
    code, err = _cli(["convert", str(export), "-o", "out", "--report", "report.json"], capsys)
    assert code == 0, err
    assert not (tmp_path / "out" / write.STATE_DIR).exists()
