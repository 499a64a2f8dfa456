#!/usr/bin/env python3
"""Benchmark ``wpmigrate convert`` against the most used peer, from one run: wall time and peak memory.

For each size a synthetic German export is generated with ``bench/gen_wxr.py``
(cached in ``bench/_data/``), then converted in child processes, one after
the other:

* ``wpmigrate convert FILE -o OUT --force`` (default options: every core);
* the same with ``--jobs 1`` (one process);
* the peer, lonekorean's wordpress-export-to-markdown 2.2.2 (Node.js), when
  ``npm`` is on the PATH: installed once into ``bench/_peers/``, its delays
  between files set to 0 (``markdown_file_write_delay``,
  ``image_file_request_delay`` in its settings.js: its fastest form), run
  without images (``--save-attached-images false --save-scraped-images false``:
  no network) and with pages (``--include-other-types true``), as wpmigrate
  writes them.

Wall time is measured around each child; memory is the peak of the whole
process tree (the sum of the resident memory of the child and all its
descendants, workers included, sampled every 20 ms from ``/proc``). Machines
are shared and noisy, so speed is reported as a ratio against the peer
measured in the same run; ``--repeat N`` runs each pair N times and reports
the median.

Usage::

    python bench/bench_convert.py                        # 1,000 and 10,000 posts, with the peer
    python bench/bench_convert.py --sizes 1000,10000,50000 --peer-sizes 1000,10000
    python bench/bench_convert.py --no-peer --json bench/_out/results.json
    python bench/bench_convert.py --journal-cost --sizes 10000 --repeat 5   # the journal's price

``--journal-cost`` times only wpmigrate (every core), alternately as it is and
with its journal (``OUT/.wpmigrate/journal.jsonl``, two flushed lines per
item, see wpmigrate/write.py) switched off in the child, and prints the
medians and their difference.

Disk: about 10 KB of XML per post (50k posts ≈ 500 MB) plus the Markdown output.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GENERATOR = BENCH / "gen_wxr.py"
DATA = BENCH / "_data"
OUT = BENCH / "_out"
PEERS = BENCH / "_peers"
PEER_PACKAGE = "wordpress-export-to-markdown"
PEER_VERSION = "2.2.2"
DEFAULT_SIZES = (1000, 10000)

READER_SNIPPET = """
import sys, wpmigrate
export = wpmigrate.read_export(sys.argv[1])
print(sum(1 for _ in export))
"""


class BenchError(Exception):
    """Something the user has to fix before the benchmark can run."""


@dataclass(frozen=True)
class Run:
    """One child process: how long it took, the most memory its process tree held, how it ended."""

    seconds: float
    peak_tree_mb: float
    returncode: int
    stdout: str = ""
    stderr: str = ""
    #: the same peak as proportional set size: a page shared by a forked worker and its
    #: parent counts once, split between them
    peak_pss_mb: float = 0.0


# --- measuring a process tree --------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    """pid → child pids, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: fields start after the last ")"
        fields = stat[stat.rfind(b")") + 2 :].split()
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size of one process (shared pages split among their sharers), in KB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_mb(root: int, per_process: Callable[[int], int] = _rss_kb) -> float:
    """Memory of ``root`` and every descendant, summed, in MB (resident by default)."""
    tree = _children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += per_process(pid)
        stack.extend(tree.get(pid, ()))
    return total / 1024


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and every descendant, in MB."""
    return tree_mb(root)


def measure(cmd: list[str], *, cwd: Path = REPO, env: dict | None = None, pss: bool = False) -> Run:
    """Run ``cmd``; its wall time and the peak resident memory of its whole process tree
    (sampled every 20 ms), with ``pss`` its peak proportional set size too."""
    OUT.mkdir(parents=True, exist_ok=True)
    out_path, err_path = OUT / ".stdout", OUT / ".stderr"
    peak = peak_pss = 0.0
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, peak_pss
            while not done.is_set():
                peak = max(peak, tree_rss_mb(proc.pid))
                if pss:
                    peak_pss = max(peak_pss, tree_mb(proc.pid, _pss_kb))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    return Run(
        seconds,
        peak,
        proc.returncode,
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
        peak_pss,
    )


# --- inputs and the peer ---------------------------------------------------------------------


def export_for(posts: int, *, regenerate: bool, seed: int) -> Path:
    """The cached export with ``posts`` posts, generated when missing."""
    path = DATA / f"wxr-{posts}-seed{seed}.xml"
    if path.exists() and not regenerate:
        return path
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


_DELAYS = re.compile(r"^(exports\.(?:image_file_request_delay|markdown_file_write_delay)\s*=\s*)\d+", re.M)


def peer_command() -> list[str] | None:
    """The peer's command line (installing it on first use), or None without npm/node."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        return None
    package = PEERS / "node_modules" / PEER_PACKAGE
    if not (package / "index.js").is_file():
        print(f"installing {PEER_PACKAGE}@{PEER_VERSION} into {PEERS.relative_to(REPO)} …", file=sys.stderr, flush=True)
        PEERS.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(PEERS), f"{PEER_PACKAGE}@{PEER_VERSION}"],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0 or not (package / "index.js").is_file():
            raise BenchError(f"npm could not install {PEER_PACKAGE}@{PEER_VERSION}: {proc.stderr.strip()[-500:]}")
    settings = package / "src" / "settings.js"
    text = settings.read_text(encoding="utf-8")
    fastest = _DELAYS.sub(r"\g<1>0", text)
    if fastest != text:
        settings.write_text(fastest, encoding="utf-8")
    return [
        "node",
        str(package / "index.js"),
        "--wizard",
        "false",
        "--save-attached-images",
        "false",
        "--save-scraped-images",
        "false",
        "--include-other-types",
        "true",
    ]


# --- one size ----------------------------------------------------------------------------------


@dataclass
class Result:
    posts: int
    file_mb: float
    files_written: int
    wpmigrate: Run
    wpmigrate_one_job: Run
    peer: Run | None
    peer_files: int | None
    reader: Run | None

    @property
    def ratio(self) -> float | None:
        return self.wpmigrate.seconds / self.peer.seconds if self.peer else None


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)  # a cold run each time: the figures must not depend on a previous one
    return path


def _median_run(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.seconds)
    mid = ordered[len(ordered) // 2]
    return Run(mid.seconds, max(r.peak_tree_mb for r in runs), max(r.returncode for r in runs), mid.stdout, mid.stderr)


def bench_size(posts: int, *, seed: int, regenerate: bool, peer: list[str] | None, reader: bool, repeat: int) -> Result:
    export = export_for(posts, regenerate=regenerate, seed=seed)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    wpm = [sys.executable, "-m", "wpmigrate", "convert", str(export), "--force", "-o"]
    ours, ours_one, theirs = [], [], []
    out_dir = OUT / str(posts)
    peer_dir = OUT / f"{posts}-peer"
    for n in range(repeat):
        print(f"{posts} posts, run {n + 1}/{repeat}: wpmigrate …", file=sys.stderr, flush=True)
        ours.append(measure(wpm + [str(_fresh(out_dir))], env=env))
        print(f"{posts} posts, run {n + 1}/{repeat}: wpmigrate --jobs 1 …", file=sys.stderr, flush=True)
        ours_one.append(measure(wpm + [str(_fresh(OUT / f"{posts}-one")), "--jobs", "1"], env=env))
        if peer is not None:
            print(f"{posts} posts, run {n + 1}/{repeat}: {PEER_PACKAGE} …", file=sys.stderr, flush=True)
            theirs.append(measure(peer + ["--input", str(export), "--output", str(_fresh(peer_dir))]))
    for run in ours + ours_one + theirs:
        if run.returncode != 0:
            print(
                f"  a run exited {run.returncode}:\n" + "\n".join(run.stderr.strip().splitlines()[-5:]),
                file=sys.stderr,
            )
    reader_run = measure([sys.executable, "-c", READER_SNIPPET, str(export)], env=env) if reader else None
    return Result(
        posts=posts,
        file_mb=export.stat().st_size / 1024 / 1024,
        files_written=sum(1 for _ in out_dir.rglob("*.md")),
        wpmigrate=_median_run(ours),
        wpmigrate_one_job=_median_run(ours_one),
        peer=_median_run(theirs) if theirs else None,
        peer_files=sum(1 for _ in peer_dir.rglob("*.md")) if theirs else None,
        reader=reader_run,
    )


# --- the journal's cost ---------------------------------------------------------------------

#: ``wpmigrate`` with the journal's lines not written (the files, the manifest and the report are)
NO_JOURNAL_SNIPPET = """
import sys
from wpmigrate import write
write.Journal.start = lambda self, rel: None
write.Journal.wrote = lambda self, rel, sha, item: None
from wpmigrate.cli import main
main(sys.argv[1:])
"""


def _cpu_seconds() -> float:
    """User + system time of the children waited for so far (their workers included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def journal_cost(posts: int, *, seed: int, regenerate: bool, repeat: int) -> dict[str, tuple[float, float]]:
    """Medians of ``repeat`` alternating runs, with and without the journal:
    ``{"wall": (with, without), "cpu": (with, without)}``. CPU time (the whole process
    tree's) is what other load on a shared machine changes least."""
    export = export_for(posts, regenerate=regenerate, seed=seed)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    args = ["convert", str(export), "--force", "-o"]
    commands = {
        True: [sys.executable, "-m", "wpmigrate", *args, str(OUT / f"{posts}-j")],
        False: [sys.executable, "-c", NO_JOURNAL_SNIPPET, *args, str(OUT / f"{posts}-nj")],
    }
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for n in range(repeat):
        print(f"{posts} posts, run {n + 1}/{repeat}: with and without the journal …", file=sys.stderr, flush=True)
        for journal in (n % 2 == 0, n % 2 != 0):  # alternate which goes first
            _fresh(Path(commands[journal][-1]))
            before = _cpu_seconds()
            run = measure(commands[journal], env=env)
            cpu[journal].append(_cpu_seconds() - before)
            wall[journal].append(run.seconds)
            if run.returncode != 0:
                raise BenchError(f"a run exited {run.returncode}: {run.stderr.strip()[-500:]}")
    return {
        "wall": (statistics.median(wall[True]), statistics.median(wall[False])),
        "cpu": (statistics.median(cpu[True]), statistics.median(cpu[False])),
    }


# --- report --------------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    """A Markdown table (it goes into the README as it is)."""

    def run(r: Run | None) -> str:
        return "–" if r is None else f"{r.seconds:,.1f} s | {r.peak_tree_mb:,.0f} MB"

    lines = [
        "| posts | export | wpmigrate (all cores) | peak RSS | wpmigrate --jobs 1 | peak RSS "
        "| wordpress-export-to-markdown | peak RSS | wall ratio (wpmigrate / peer) | files (ours / peer) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ratio = "–" if r.ratio is None else f"{r.ratio:.2f}×"
        files = f"{r.files_written:,} / " + ("–" if r.peer_files is None else f"{r.peer_files:,}")
        lines.append(
            f"| {r.posts:,} | {r.file_mb:,.0f} MB | {run(r.wpmigrate)} | {run(r.wpmigrate_one_job)} "
            f"| {run(r.peer)} | {ratio} | {files} |"
        )
    return "\n".join(lines)


def lock_bench() -> object:
    """Hold an exclusive lock for the whole run (two runs at once would compete for the CPUs)."""
    OUT.mkdir(parents=True, exist_ok=True)
    handle = open(OUT / ".lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise BenchError("another benchmark is running; wait for it to finish") from None
    return handle


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers separated by commas, not {text!r}") from None
    if any(n <= 0 for n in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=DEFAULT_SIZES,
        help="comma-separated numbers of posts (default: 1000,10000)",
    )
    parser.add_argument(
        "--peer-sizes", type=parse_sizes, default=None, help="sizes the peer also runs at (default: every size)"
    )
    parser.add_argument("--no-peer", action="store_true", help="do not run the peer")
    parser.add_argument("--repeat", type=int, default=1, help="runs per program and size; the median is reported")
    parser.add_argument("--seed", type=int, default=1, help="gen_wxr.py seed (default 1)")
    parser.add_argument("--regenerate", action="store_true", help="regenerate the cached exports")
    parser.add_argument("--no-reader", dest="reader", action="store_false", help="do not time the reader alone")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument(
        "--journal-cost", action="store_true", help="time wpmigrate with and without its journal (nothing else)"
    )
    args = parser.parse_args(argv)
    if sys.platform != "linux":
        print("bench_convert: the memory of a process tree is read from /proc: Linux only", file=sys.stderr)
        return 2
    try:
        lock = lock_bench()  # noqa: F841 - held until the process exits
        if args.journal_cost:
            for posts in args.sizes:
                cost = journal_cost(posts, seed=args.seed, regenerate=args.regenerate, repeat=max(1, args.repeat))
                print(
                    f"{posts:,} posts, median of {max(1, args.repeat)}: "
                    + "; ".join(
                        f"{what} with the journal {on:.2f} s, without {off:.2f} s ({(on / off - 1) * 100:+.1f} %)"
                        for what, (on, off) in cost.items()
                    )
                )
            return 0
        peer = None if args.no_peer else peer_command()
        if peer is None and not args.no_peer:
            print("npm/node not found: the peer is not measured", file=sys.stderr)
        peer_sizes = set(args.peer_sizes if args.peer_sizes is not None else args.sizes)
        results = [
            bench_size(
                posts,
                seed=args.seed,
                regenerate=args.regenerate,
                reader=args.reader,
                peer=peer if posts in peer_sizes else None,
                repeat=max(1, args.repeat),
            )
            for posts in args.sizes
        ]
    except BenchError as exc:
        print(f"bench_convert: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

    print(
        f"wpmigrate convert on gen_wxr.py exports (seed {args.seed}); Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; median of {max(1, args.repeat)} run(s)"
    )
    print()
    print(table(results))
    readers = [r for r in results if r.reader is not None]
    if readers:
        print()
        print(
            "reader alone (iterating wpmigrate.read_export): "
            + ", ".join(f"{r.posts:,} posts {r.reader.seconds:.1f} s, {r.reader.peak_tree_mb:.0f} MB" for r in readers)
        )
    if len(results) > 1:
        low, high = results[0], results[-1]
        print()
        print(
            f"peak memory of the conversion grows {high.wpmigrate.peak_tree_mb / low.wpmigrate.peak_tree_mb:.2f}x "
            f"while the export grows {high.file_mb / low.file_mb:.0f}x"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        data = [dict(asdict(r), ratio=r.ratio) for r in results]
        for d in data:
            for key in ("wpmigrate", "wpmigrate_one_job", "peer", "reader"):
                if d[key]:
                    d[key].pop("stdout"), d[key].pop("stderr")
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    runs = [run for r in results for run in (r.wpmigrate, r.wpmigrate_one_job)]
    return 0 if all(run.returncode == 0 for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
