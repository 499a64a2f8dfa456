#!/usr/bin/env python3
"""Benchmark ``wpmigrate convert`` on large synthetic exports: wall time and peak memory.

The exports come from ``../shared/tools/gen_wxr.py`` (the folder ``shared`` next
to this checkout), generated once per size and cached in ``bench/_data/``.
Each size is converted in its own child process::

    wpmigrate convert bench/_data/wxr-<N>.xml -o bench/_out/<N> --force

and the child's own resource usage is read with ``os.wait4`` (peak resident
set size, ``ru_maxrss``), so one run's memory never leaks into the next
figure. The reader alone (iterating ``wpmigrate.read_export``) is measured
the same way. The reader streams, so peak memory should stay flat from 1k to
50k posts while the file grows fifty-fold.

Usage::

    python bench/bench_convert.py                    # 1000, 10000 and 50000 posts
    python bench/bench_convert.py --sizes 1000,5000  # other sizes
    python bench/bench_convert.py --no-reader --json bench/_out/results.json

Disk: about 10 KB of XML per post (50k posts ≈ 500 MB) plus the Markdown output.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GENERATOR = REPO.parent / "shared" / "tools" / "gen_wxr.py"
DATA = BENCH / "_data"
OUT = BENCH / "_out"
DEFAULT_SIZES = (1000, 10000, 50000)

READER_SNIPPET = """
import sys, wpmigrate
export = wpmigrate.read_export(sys.argv[1])
count = sum(1 for _ in export)
print(count)
"""


class BenchError(Exception):
    """Something the user has to fix before the benchmark can run."""


@dataclass(frozen=True)
class Run:
    """One child process: how long it took, how much memory it held at most, how it ended."""

    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Result:
    posts: int
    file_mb: float
    items: int | None
    convert_seconds: float
    convert_peak_rss_mb: float
    convert_exit: int
    files_written: int
    reader_seconds: float | None
    reader_peak_rss_mb: float | None


def measure(cmd: list[str], *, cwd: Path) -> Run:
    """Run ``cmd`` and return its wall time and the peak RSS of that child alone."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    out_path = OUT / ".stdout"
    err_path = OUT / ".stderr"
    OUT.mkdir(parents=True, exist_ok=True)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return Run(
        seconds=seconds,
        peak_rss_mb=usage.ru_maxrss / scale,
        returncode=proc.returncode,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
    )


def export_for(posts: int, *, regenerate: bool, seed: int) -> Path:
    """The cached export with ``posts`` posts, generated with gen_wxr.py when missing."""
    path = DATA / f"wxr-{posts}-seed{seed}.xml"
    if path.exists() and not regenerate:
        return path
    if not GENERATOR.is_file():
        raise BenchError(
            f"the export generator is missing: {GENERATOR} (expected the folder 'shared' next to "
            f"the checkout {REPO}, holding tools/gen_wxr.py)"
        )
    DATA.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".xml.part")
    print(f"generating {path.relative_to(REPO)} ({posts} posts) …", file=sys.stderr, flush=True)
    proc = subprocess.run(
        [sys.executable, str(GENERATOR), "--posts", str(posts), "--seed", str(seed), "-o", str(tmp)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise BenchError(f"gen_wxr.py failed for {posts} posts: {proc.stderr.strip()}")
    os.replace(tmp, path)
    return path


def bench_size(posts: int, *, regenerate: bool, seed: int, reader: bool) -> Result:
    export = export_for(posts, regenerate=regenerate, seed=seed)
    out_dir = OUT / str(posts)
    if out_dir.exists():
        shutil.rmtree(out_dir)  # a cold run each time: the figures must not depend on a previous one
    print(f"converting {posts} posts …", file=sys.stderr, flush=True)
    convert = measure(
        [sys.executable, "-m", "wpmigrate", "convert", str(export), "-o", str(out_dir), "--force"], cwd=REPO
    )
    if convert.returncode != 0:
        tail = "\n".join(convert.stderr.strip().splitlines()[-5:])
        print(f"  wpmigrate convert exited {convert.returncode}:\n{tail}", file=sys.stderr)
    files = sum(1 for p in out_dir.rglob("*.md")) if out_dir.exists() else 0

    reader_run: Run | None = None
    items: int | None = None
    if reader:
        print(f"reading {posts} posts (reader alone) …", file=sys.stderr, flush=True)
        reader_run = measure([sys.executable, "-c", READER_SNIPPET, str(export)], cwd=REPO)
        if reader_run.returncode == 0:
            items = int(reader_run.stdout.strip().splitlines()[-1])
        else:
            tail = "\n".join(reader_run.stderr.strip().splitlines()[-5:])
            print(f"  reader exited {reader_run.returncode}:\n{tail}", file=sys.stderr)

    return Result(
        posts=posts,
        file_mb=export.stat().st_size / 1024 / 1024,
        items=items,
        convert_seconds=convert.seconds,
        convert_peak_rss_mb=convert.peak_rss_mb,
        convert_exit=convert.returncode,
        files_written=files,
        reader_seconds=reader_run.seconds if reader_run else None,
        reader_peak_rss_mb=reader_run.peak_rss_mb if reader_run else None,
    )


def lock_bench() -> object:
    """Hold an exclusive lock for the whole run.

    Two runs at once would share ``bench/_out/N`` (one deletes what the other is
    writing) and compete for the CPUs, so both sets of figures would be wrong.
    """
    OUT.mkdir(parents=True, exist_ok=True)
    handle = open(OUT / ".lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise BenchError(f"another benchmark is running ({holder}); wait for it to finish") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle


def table(results: list[Result]) -> str:
    """A Markdown table (it goes into the README as it is)."""

    def opt(value: float | int | None, fmt: str, unit: str = "") -> str:
        return "–" if value is None else format(value, fmt) + unit

    lines = [
        "| posts | export size | items | convert: wall time | convert: peak RSS | files written | exit | reader alone: wall time | reader alone: peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.posts:,} | {r.file_mb:,.0f} MB | {opt(r.items, ',')} | {r.convert_seconds:,.1f} s "
            f"| {r.convert_peak_rss_mb:,.0f} MB | {r.files_written:,} | {r.convert_exit} "
            f"| {opt(r.reader_seconds, ',.1f', ' s')} | {opt(r.reader_peak_rss_mb, ',.0f', ' MB')} |"
        )
    return "\n".join(lines)


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers separated by commas, not {text!r}") from None
    if not sizes or any(n <= 0 for n in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=DEFAULT_SIZES,
                        help="comma-separated numbers of posts (default: 1000,10000,50000)")
    parser.add_argument("--seed", type=int, default=1, help="gen_wxr.py seed (default 1)")
    parser.add_argument("--regenerate", action="store_true", help="regenerate the cached exports")
    parser.add_argument("--no-reader", dest="reader", action="store_false",
                        help="do not measure the reader alone")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)

    results: list[Result] = []
    try:
        lock = lock_bench()  # noqa: F841 - held until the process exits
        for posts in args.sizes:
            results.append(bench_size(posts, regenerate=args.regenerate, seed=args.seed, reader=args.reader))
    except BenchError as exc:
        print(f"bench_convert: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

    print(f"wpmigrate convert on gen_wxr.py exports (seed {args.seed}); "
          f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
    print()
    print(table(results))
    if len(results) > 1:
        low, high = results[0], results[-1]
        print()
        print(f"peak RSS of convert grows {high.convert_peak_rss_mb / low.convert_peak_rss_mb:.2f}x "
              f"while the export grows {high.file_mb / low.file_mb:.0f}x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8")
    return 0 if all(r.convert_exit == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
