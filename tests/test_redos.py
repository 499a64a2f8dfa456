"""No regular expression of the package backtracks catastrophically (see tests/redos.py).

The check runs in a child process: a pattern that backtracks exponentially
cannot be interrupted in-process. A hang is a failure here, not a speed
figure, so the time bound is generous.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHECKER = Path(__file__).with_name("redos.py")
TIMEOUT = 240


def _run(*patterns: str) -> tuple[int | None, str]:
    try:
        proc = subprocess.run(
            [sys.executable, str(CHECKER), *patterns], capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        started = [line for line in out.splitlines() if line.startswith("START ")]
        return None, f"still running after {TIMEOUT} s at {started[-1][6:] if started else '?'}"
    return proc.returncode, proc.stdout + proc.stderr


def test_no_pattern_of_the_package_backtracks_catastrophically():
    code, out = _run()
    assert code == 0, "\n".join(line for line in out.splitlines() if not line.startswith("START ")) or out


def test_the_checker_finds_exponential_and_quadratic_patterns():
    # the page/fragment pattern that hung on leading comments, and a searched "\s*…$"
    code, out = _run(r"^\s*(?:<!--.*?-->\s*)*<(?:html|head|body)\b", r"\s*(?:…|\.\.\.)\s*$")
    assert code == 1, out
    slow = [line for line in out.splitlines() if line.startswith("SLOW ")]
    assert len(slow) == 2, out
