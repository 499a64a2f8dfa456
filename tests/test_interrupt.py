"""Ctrl-C during a conversion on several workers: one clean line, exit 130, nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT as on a POSIX terminal")
def test_ctrl_c_stops_every_worker_without_a_traceback(tmp_path):
    export = tmp_path / "export.xml"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen_wxr.py"), "--posts", "1500", "-o", str(export)],
        check=True,
        capture_output=True,
    )
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "wpmigrate", "convert", str(export), "-o", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
    )
    # a terminal sends SIGINT to the whole foreground group, workers included
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and any(out.rglob("*.md")):
            break
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.skip("the conversion finished before it could be interrupted")
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Process" not in err, err
    assert err.strip().splitlines()[-1] in ("Aborted.", "Interrupted.")
    assert not list(out.rglob(".*.tmp")), "a temporary file was left behind"
