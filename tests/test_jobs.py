"""``--jobs N``: the same output tree, manifest and report for any number of workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import wpmigrate
from tests import corpus

EXPORTS = [
    "themeunittestdata.wordpress.xml",
    "64-block-test-data.xml",
    "de-sqlpractice-wordpresscom-2020.xml",
    "en-themeix-political-elementor-woocommerce-demo.xml",
]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _report(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("out_dir")
    return data


@pytest.mark.parametrize("name", EXPORTS)
def test_one_and_two_workers_give_identical_output(name, tmp_path):
    export = corpus.need(corpus.WXR / name)
    runs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        wpmigrate.convert(export, out, report=tmp_path / f"report{jobs}.json", jobs=jobs, drafts=True)
        runs[jobs] = (_tree(out), _report(tmp_path / f"report{jobs}.json"))
    assert runs[1][0] == runs[2][0]
    assert runs[1][1] == runs[2][1]
    assert len(runs[1][0]) > 5


def test_jobs_through_the_command_line(tmp_path):
    from click.testing import CliRunner

    from wpmigrate.cli import cli

    sample = Path(__file__).resolve().parents[1] / "samples" / "zeen-de-export.xml"
    trees = []
    for jobs in ("1", "3"):
        out = tmp_path / f"o{jobs}"
        result = CliRunner().invoke(cli, ["convert", str(sample), "-o", str(out), "--jobs", jobs])
        assert result.exit_code == 0, result.output
        trees.append(_tree(out))
    assert trees[0] == trees[1]


@pytest.mark.parametrize("jobs", [0, -1, True, "2"])
def test_bad_jobs_is_a_usage_error(jobs, tmp_path):
    sample = Path(__file__).resolve().parents[1] / "samples" / "zeen-de-export.xml"
    with pytest.raises(wpmigrate.UsageError, match="jobs"):
        wpmigrate.convert(sample, tmp_path / "o", jobs=jobs)


POOL_AT_ONCE = """
import time
from wpmigrate import stop, workers

real = stop.reset_in_worker
def slow_reset():
    time.sleep(0.5)  # a worker slow to start, as on a loaded machine
    real()
stop.reset_in_worker = slow_reset

with stop.orderly_stop():
    for _ in range(3):
        # no task at all (an export whose items are all broken): the pool ends while its
        # workers are still starting, with the parent's SIGTERM handler
        assert list(workers.imap_in_pool(lambda: None, (), len, [], 2)) == []
        assert list(workers.imap_sharing(lambda: None, (), len, [], 3)) == []
print("ended")
"""


def test_a_pool_that_ends_while_its_workers_start_does_not_hang():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", POOL_AT_ONCE],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ended", proc.stderr
