#!/usr/bin/env python3
"""Benchmark ``wpmigrate clean EXPORT -o CLEANED.xml``: wall time and peak memory of a cleaned export.

Each export is cleaned in a child process (``--report`` included, as a user
would run it); memory is the peak resident memory of its process tree, sampled
as ``bench_convert.py`` samples it. Exports are the synthetic ones of
``bench/gen_wxr.py`` (cached in ``bench/_data/``), or any given with
``--export`` (the shared ``tools/gen_wxr.py --posts 50000`` export, for one).

Usage::

    python bench/bench_clean_export.py                    # 1,000 and 10,000 posts
    python bench/bench_clean_export.py --sizes 50000
    python bench/bench_clean_export.py --export ../shared/big.xml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_convert import OUT, export_for, measure


def clean_once(export: Path) -> str:
    target = OUT / "cleaned.xml"
    report = OUT / "cleaned-report.jsonl"
    run = measure([sys.executable, "-m", "wpmigrate", "clean", str(export), "-o", str(target), "--report", str(report)])
    size = export.stat().st_size / 2**20
    summary = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
    target.unlink(missing_ok=True)
    report.unlink(missing_ok=True)
    took = f"{run.seconds:.1f} s, peak {run.peak_tree_mb:.0f} MB, exit {run.returncode}"
    return f"{export.name}: {size:,.0f} MiB, {took}; {summary}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="posts per generated export, comma-separated")
    parser.add_argument("--export", type=Path, action="append", help="clean this export instead (repeatable)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    exports = args.export or [
        export_for(int(n), regenerate=False, seed=args.seed) for n in args.sizes.split(",") if n.strip()
    ]
    for export in exports:
        print(clean_once(export), flush=True)


if __name__ == "__main__":
    main()
