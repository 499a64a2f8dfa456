"""Golden test: the shipped sample export → the committed expected site tree.

Runs through the library and through the CLI; both must give the same bytes.
``pytest --update-goldens`` rewrites tests/golden/sample/ (read the diff before
committing it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import wpmigrate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "zeen-de-export.xml"
GOLDEN = Path(__file__).parent / "golden" / "sample"


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix == ".md"
    }


def items_of(report_path: Path) -> list[dict]:
    return json.loads(report_path.read_text(encoding="utf-8"))["items"]


def test_sample_converts_to_golden_tree(tmp_path, update_goldens):
    out = tmp_path / "site"
    wpmigrate.convert(SAMPLE, out, report=tmp_path / "report.json")
    got = tree(out)
    got_items = items_of(tmp_path / "report.json")
    if update_goldens:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in got.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
        (GOLDEN / "report-items.json").write_text(json.dumps(got_items, indent=1, ensure_ascii=False) + "\n")
    assert got == tree(GOLDEN)
    assert got_items == json.loads((GOLDEN / "report-items.json").read_text(encoding="utf-8"))


def test_cli_gives_the_same_tree(tmp_path):
    out = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "wpmigrate", "convert", str(SAMPLE), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert tree(out) == tree(GOLDEN)


def test_sample_keeps_its_secrets(tmp_path):
    out = tmp_path / "site"
    wpmigrate.convert(SAMPLE, out, report=out / "report.json")
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    for secret in (
        "GEHEIMTEXT",
        "Grillabend2023!",
        "@fernweh-feierabend.example",
        "@mailbox.example",
        "@cheap-boots-outlet.example",
        "203.0.113.",
        "198.51.100.",
        "192.0.2.",
    ):
        assert secret not in text, secret
