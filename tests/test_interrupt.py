"""A conversion stopped part way (Ctrl-C, SIGTERM, kill -9) and run again plainly.

Each test starts a real ``wpmigrate convert`` process, stops it once its first
files are in the output folder, runs the same command again and compares the
tree, the manifest and the report with those of a run nobody stopped, byte for
byte. The commands run in their own folder with relative paths, so the
reports (which name the output folder) can be compared as bytes.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
POSTS = 600

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and POSIX signals")


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "export.xml"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen_wxr.py"), "--posts", str(POSTS), "-o", str(path)],
        check=True,
        capture_output=True,
    )
    return path


def _command(export: Path, *extra: str, jobs: int = 2) -> list[str]:
    return [sys.executable, "-m", "wpmigrate", "convert", str(export), "-o", "out", "--report", "report.json"] + [
        "--jobs",
        str(jobs),
        *extra,
    ]


def _run(cwd: Path, export: Path, *extra: str, jobs: int = 2) -> subprocess.CompletedProcess:
    return subprocess.run(_command(export, *extra, jobs=jobs), cwd=cwd, capture_output=True, text=True, timeout=120)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reference(export, tmp_path_factory) -> dict[str, bytes]:
    """The tree and report of a run nobody stopped."""
    cwd = tmp_path_factory.mktemp("reference")
    done = _run(cwd, export)
    assert done.returncode == 0, done.stderr
    return _tree(cwd)


def _interrupt(
    cwd: Path, export: Path, signum: int, *, group: bool, jobs: int = 2, twice: bool = False
) -> subprocess.CompletedProcess:
    """Start the conversion, send ``signum`` once its first files are written."""
    out = cwd / "out"
    proc = subprocess.Popen(
        _command(export, jobs=jobs),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "posts").is_dir() and any((out / "posts").iterdir()):
            break
        time.sleep(0.005)
    if proc.poll() is not None:
        proc.communicate()
        pytest.skip("the conversion finished before it could be interrupted")
    workers = _children(proc.pid)
    if group:
        os.killpg(proc.pid, signum)  # as a terminal's Ctrl-C: every process of the group
    else:
        os.kill(proc.pid, signum)  # as `kill PID`, a CI job cancelled, a container stopped
    if twice:
        time.sleep(0.05)
        if proc.poll() is None:
            os.killpg(proc.pid, signum)  # Ctrl-C again: stop at once
    out_text, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the signal came after the last item was handed out: the run finished")
    if signum == signal.SIGKILL:
        # the workers have a process group of their own: kill -9 them too, as a power cut
        # would, and let them go before the re-run
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _wait_for(workers)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out_text, err)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wait_for(pids: list[int]) -> None:
    deadline = time.monotonic() + 30
    for pid in pids:
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            if "Z" in _state(pid):
                break
            time.sleep(0.01)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "X"


def _wait_for_group(pgid: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except OSError:
            return
        time.sleep(0.01)


@pytest.mark.parametrize(
    ("signum", "group", "jobs"),
    [
        (signal.SIGINT, True, 2),
        (signal.SIGTERM, False, 2),
        (signal.SIGTERM, True, 1),
        (signal.SIGTERM, True, 2),
        (signal.SIGKILL, True, 2),
    ],
    ids=[
        "sigint-group-2-jobs",
        "sigterm-parent-2-jobs",
        "sigterm-group-1-job",
        "sigterm-group-2-jobs",
        "sigkill-2-jobs",
    ],
)
def test_a_plain_rerun_after_an_interruption_ends_as_an_uninterrupted_run(
    export, reference, tmp_path, signum, group, jobs
):
    stopped = _interrupt(tmp_path, export, signum, group=group, jobs=jobs)
    out = tmp_path / "out"
    if signum == signal.SIGKILL:
        assert stopped.returncode == -signal.SIGKILL
    else:
        assert stopped.returncode == 128 + signum, stopped.stderr
        assert "Traceback" not in stopped.stderr and "Process" not in stopped.stderr, stopped.stderr
        assert not list(out.rglob(".*.tmp")), "a temporary file was left behind"
        last = stopped.stderr.strip().splitlines()[-1]
        assert "interrupted after" in last and "run the same command again" in last, stopped.stderr
        report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
        done, total = re.match(r"interrupted after (\d+) of (\d+) items", report["summary"]["error"]).groups()
        assert 0 < int(done) == len(report["items"]) < int(total)
        # the journal knows every file that is there
        journal = (out / ".wpmigrate" / "journal.jsonl").read_text(encoding="utf-8").splitlines()
        recorded = {json.loads(line).get("path") for line in journal}
        for path in out.rglob("*.md"):
            assert str(path.relative_to(out)) in recorded
    assert not (out / ".wpmigrate-manifest.jsonl").exists()

    again = _run(tmp_path, export, jobs=jobs)
    assert again.returncode == 0, again.stderr
    assert _tree(tmp_path) == reference
    assert not (out / ".wpmigrate").exists()


def test_a_file_edited_between_the_runs_blocks_the_rerun_by_name(export, reference, tmp_path):
    stopped = _interrupt(tmp_path, export, signal.SIGINT, group=True)
    assert stopped.returncode == 130, stopped.stderr
    out = tmp_path / "out"
    journal = (out / ".wpmigrate" / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    written = [json.loads(line)["path"] for line in journal if '"sha256"' in line]
    edited = out / written[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMy own note.\n", encoding="utf-8")

    blocked = _run(tmp_path, export)
    assert blocked.returncode == 1
    assert f"{written[0]}: changed since wpmigrate wrote it" in blocked.stderr, blocked.stderr
    assert "would overwrite" not in blocked.stderr  # the other files are wpmigrate's: none of them blocks
    assert "My own note." in edited.read_text(encoding="utf-8")

    forced = _run(tmp_path, export, "--force")
    assert forced.returncode == 0, forced.stderr
    assert _tree(tmp_path) == reference


def test_a_file_in_flight_at_a_kill_and_edited_since_blocks_the_rerun_by_name(export, reference, tmp_path):
    """kill -9 after a worker wrote a file but before the run recorded it: the journal says
    only that the file was handed out. Left as it is, the re-run takes it as its own; edited
    by the user before the re-run, it blocks the re-run by name, and the edit stays."""
    out = tmp_path / "out"
    done = _run(tmp_path, export)
    assert done.returncode == 0, done.stderr
    manifest = out / ".wpmigrate-manifest.jsonl"
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    posts = [r for r in rows if r["path"].startswith("posts/")]
    in_flight, untouched = posts[3]["path"], posts[4]["path"]
    # the state a kill -9 leaves: no manifest, a journal of what was written and handed out
    manifest.unlink()
    (tmp_path / "report.json").unlink()
    lines = [{"path": r["path"], "sha256": r["sha256"], "item": None} for r in rows if r not in (posts[3], posts[4])]
    lines += [{"start": in_flight}, {"start": untouched}]
    (out / ".wpmigrate").mkdir()
    (out / ".wpmigrate" / "journal.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )
    edited = out / in_flight
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMy own note.\n", encoding="utf-8")

    blocked = _run(tmp_path, export)
    assert blocked.returncode == 1
    assert f"{in_flight}: changed since a stopped run wrote it" in blocked.stderr, blocked.stderr
    assert untouched not in blocked.stderr and "Traceback" not in blocked.stderr
    assert "My own note." in edited.read_text(encoding="utf-8")

    forced = _run(tmp_path, export, "--force")
    assert forced.returncode == 0, forced.stderr
    assert _tree(tmp_path) == reference


# --- clean --in-place ---------------------------------------------------------------

ARTICLE = (
    "Ein Absatz mit echtem Inhalt, der lang genug ist, um als Prosa zu gelten, und noch mehr Worte ({n}).\n\n"
    "Noch ein Absatz, in dem es um den Garten geht, um Kompost, Regen und die Nachbarin von gegenüber.\n"
)
TAIL = "\nShare this:\n\n- [Twitter](https://x/?share=twitter)\n"
FILES = 500


def _site(root: Path) -> dict[str, bytes]:
    for n in range(FILES):
        path = root / f"part-{n % 4}" / f"page-{n:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: Page {n}\n---\n\n" + ARTICLE.format(n=n) + TAIL, encoding="utf-8")
    return _tree(root)


def _clean(root: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "wpmigrate", "clean", str(root), "--in-place", "--backup", ".bak"] + [
        "--jobs",
        str(jobs),
    ]


@pytest.mark.parametrize(("signum", "jobs"), [(signal.SIGINT, 2), (signal.SIGKILL, 1)])
def test_clean_in_place_interrupted_leaves_every_file_old_or_new_and_a_rerun_continues(tmp_path, signum, jobs):
    reference = tmp_path / "reference"
    originals = _site(reference)
    done = subprocess.run(_clean(reference, 1), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    cleaned = _tree(reference)

    site = tmp_path / "site"
    _site(site)
    proc = subprocess.Popen(
        _clean(site, jobs), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, text=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(site.rglob("*.bak")):
            break
        time.sleep(0.005)
    if proc.poll() is not None:
        proc.communicate()
        pytest.skip("the cleaning finished before it could be interrupted")
    os.killpg(proc.pid, signum)
    _, err = proc.communicate(timeout=60)
    _wait_for_group(proc.pid)
    if signum == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 128 + signum, err
        assert "interrupted after" in err and "run the same command again" in err, err
    if signum != signal.SIGKILL:
        assert not list(site.rglob(".*.tmp")), "a temporary file was left behind"
    now = {rel: data for rel, data in _tree(site).items() if not rel.endswith(".tmp")}
    assert now != originals and now != cleaned, "stopped part way"
    for rel, data in now.items():
        if rel.endswith(".bak"):
            assert data == originals[rel[: -len(".bak")]]
        else:
            assert data in (originals[rel], cleaned[rel]), rel

    again = subprocess.run(_clean(site, jobs), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert _tree(site) == cleaned  # the backups hold the originals, not the half-cleaned state


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_a_second_signal_stops_at_once_and_a_rerun_still_continues(export, reference, tmp_path, signum, code):
    jobs = 2
    stopped = _interrupt(tmp_path, export, signum, group=True, jobs=jobs, twice=True)
    assert stopped.returncode == code, stopped.stderr
    assert "Traceback" not in stopped.stderr and "Process" not in stopped.stderr, stopped.stderr
    last = stopped.stderr.strip().splitlines()[-1]
    assert last in ("Interrupted.", "Aborted.") or "interrupted after" in last, stopped.stderr
    again = _run(tmp_path, export, jobs=jobs)
    assert again.returncode == 0, again.stderr
    assert _tree(tmp_path) == reference


def test_a_stop_while_the_export_is_read_writes_a_report_and_nothing_else(tmp_path, monkeypatch):
    from tests.wxrbuild import build_wxr
    from wpmigrate import convert
    from wpmigrate import stop as stop_module
    from wpmigrate.errors import RunInterrupted

    src = tmp_path / "export.xml"
    src.write_bytes(build_wxr([{"id": i, "content": f"<p>Body {i}</p>"} for i in range(1, 6)]))
    monkeypatch.setattr(stop_module, "_requested", signal.SIGTERM)  # as if SIGTERM came at once
    with pytest.raises(RunInterrupted, match="while reading the export; nothing was written"):
        convert(src, tmp_path / "out", report=tmp_path / "report.json", jobs=1)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert "nothing was written" in report["summary"]["error"] and report["items"] == []
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.md"))
