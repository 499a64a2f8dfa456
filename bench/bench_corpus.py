#!/usr/bin/env python3
"""Benchmark ``wpmigrate clean SHARDS… -o OUT`` on record shards: records per second per core, and peak memory.

For each size, synthetic records are written as gzip-compressed JSONL shards
(cached in ``bench/_data/``): the pages of ``tests/shardbuild.py`` — scraped
text with a site name, a menu and a sign-off, whole HTML pages with section
links and an editors' line, plain scraped text — spread over 24 hosts (each
made-up host comes in eight numbered copies), interleaved as a crawl mixes
them. Each is then cleaned in a child process, one after the other:

* ``--engine local`` (this process, one core) and ``--engine dask`` (a
  ``LocalCluster`` of one worker process per core), each
* with ``--learn-per-host`` (two passes: learn, then clean) and without.

Wall time is measured around each child, and so is the CPU time of its whole
process tree (user + system of the child and every descendant it waited for:
the scheduler, the nannies and the workers; ``getrusage(RUSAGE_CHILDREN)``).
Records per second per core is records per CPU second: on a machine shared
with other work, wall time says more about the neighbours than about the
program, CPU time does not (cluster start included, as a user pays it).
Memory is the peak of the whole process tree (the child, the scheduler and
every worker, sampled every 20 ms from ``/proc``; see ``bench_convert.py``).
Linux only.

Usage::

    python bench/bench_corpus.py                            # 1,000 and 10,000 records
    python bench/bench_corpus.py --sizes 10000 --shards 16 --json bench/_out/corpus.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from bench_convert import DATA, OUT, REPO, BenchError, Run, lock_bench, measure, parse_sizes

sys.path.insert(0, str(REPO))
from tests.shardbuild import host_records

COPIES = 8  # numbered copies of each made-up host: 3 × 8 = 24 hosts


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def shards_for(records: int, shards: int, *, regenerate: bool) -> tuple[Path, float]:
    """The cached folder of shards holding ``records`` records; its size in MB (uncompressed)."""
    folder = DATA / f"corpus-{records}-{shards}"
    if not folder.exists() or regenerate:
        shutil.rmtree(folder, ignore_errors=True)
        part = folder.with_suffix(".part")
        shutil.rmtree(part, ignore_errors=True)
        part.mkdir(parents=True)
        pages = host_records(pages=-(-records // 3))[:records]
        for i, record in enumerate(pages):
            copy = (i // 3) % COPIES
            record["url"] = record["url"].replace(".example/", f"{copy}.example/", 1)
        for n in range(shards):
            lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pages[n::shards])
            (part / f"part-{n:04d}.jsonl.gz").write_bytes(gzip.compress(lines.encode("utf-8"), 6, mtime=0))
        part.rename(folder)
    size = sum(len(gzip.decompress(p.read_bytes())) for p in folder.glob("*.jsonl.gz"))
    return folder, size / 1e6


@dataclass(frozen=True)
class Result:
    records: int
    engine: str
    learn: bool
    cores: int
    input_mb: float
    cpu_seconds: float  # user + system of the whole process tree
    run: Run

    @property
    def per_second(self) -> float:
        return self.records / self.run.seconds

    @property
    def per_core(self) -> float:
        """Records per CPU second of the whole tree."""
        return self.records / self.cpu_seconds


def bench(records: int, shards: int, engine: str, learn: bool, *, regenerate: bool) -> Result:
    folder, mb = shards_for(records, shards, regenerate=regenerate)
    out = OUT / f"corpus-{engine}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "wpmigrate", "clean", str(folder), "-o", str(out), "--engine", engine]
    if learn:
        cmd.append("--learn-per-host")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = measure(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} failed ({run.returncode}): {run.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Result(records, engine, learn, 1 if engine == "local" else cores(), mb, cpu, run)


def table(results: list[Result]) -> str:
    lines = [
        "| records | engine | per-host learning | cores | wall s | records/s (wall) | CPU s (tree) "
        "| records/s per core (CPU) | peak MB (tree) |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.records:,} | {r.engine} | {'yes' if r.learn else 'no'} | {r.cores} | {r.run.seconds:.1f} "
            f"| {r.per_second:,.0f} | {r.cpu_seconds:.1f} | {r.per_core:,.0f} | {r.run.peak_tree_mb:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=(1000, 10000), help="records (default: 1000,10000)")
    parser.add_argument("--shards", type=int, default=8, help="shards per size (default 8)")
    parser.add_argument("--engines", default="local,dask", help="comma-separated (default: local,dask)")
    parser.add_argument("--no-plain", dest="plain", action="store_false", help="only with --learn-per-host")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the cached shards")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    if sys.platform != "linux":
        print("bench_corpus: the memory of a process tree is read from /proc: Linux only", file=sys.stderr)
        return 2
    engines = [e for e in args.engines.split(",") if e]
    load = os.getloadavg()[0]
    try:
        lock = lock_bench()  # noqa: F841 - held until the process exits
        if "dask" in engines:
            try:
                import distributed  # noqa: F401
            except ImportError:
                raise BenchError("--engine dask needs the corpus extra: pip install -e '.[corpus]'") from None
        results = [
            bench(n, args.shards, engine, learn, regenerate=args.regenerate)
            for n in args.sizes
            for learn in ((False, True) if args.plain else (True,))
            for engine in engines
        ]
    except BenchError as exc:
        print(f"bench_corpus: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    mb = {r.records: r.input_mb for r in results}
    print(
        f"wpmigrate clean on synthetic record shards ({args.shards} .jsonl.gz shards, 24 hosts; "
        + ", ".join(f"{n:,} records = {m:.1f} MB of JSON" for n, m in mb.items())
        + f"); Python {platform.python_version()}, {platform.system()} {platform.machine()}, {cores()} cores"
    )
    print(f"load average when the run started: {load:.1f} on {cores()} cores")
    print()
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        data = [dict(asdict(r), per_second=r.per_second, per_core=r.per_core) for r in results]
        for d in data:
            d["run"].pop("stdout"), d["run"].pop("stderr")
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
