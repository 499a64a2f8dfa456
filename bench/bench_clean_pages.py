"""How well ``wpmigrate clean`` finds the article of a scraped page, beside trafilatura.

    python bench/bench_clean_pages.py [--pages DIR] [--no-peer] [--worst N] [--markdown] [--memory N,… [--jobs N]]

``DIR`` (default ``../shared/corpus/pages-dev``) holds ``expected.jsonl``: one
object per page with ``file`` (the page, ``.html`` or ``.html.gz``, relative to
DIR), ``source`` (the group it is scored in) and ``article_text`` (the article
as plain text, paragraphs apart). Every page is cleaned the way
``wpmigrate clean PAGE.html`` cleans it (decoded as a browser decodes it,
article found, boilerplate removed, Markdown written); the Markdown is read
back to text (rendered by markdown-it-py, tags dropped), so the score is of
what a user gets, link targets and image addresses left out.

Scores are token-based, as the Zyte article-extraction benchmark scores them:
lower-cased word tokens (``\\w+``) as a multiset; per page precision = shared /
output tokens, recall = shared / expected tokens; the table gives the means
over the pages of a group and F1 of those means. "empty" counts pages whose
output has no token.

The peer is trafilatura (``trafilatura.extract`` with its defaults, plain
text), installed on first use into its own virtual environment under
``bench/_peers/`` (git-ignored) and run over the same pages in one process of
its own. Time is milliseconds per page in one process, reading and decoding
included, parsing at least once for both; the ratio is from the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import textwrap
import time
import venv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_PAGES = HERE.parent.parent / "shared" / "corpus" / "pages-dev"
PEER_DIR = HERE / "_peers" / "trafilatura"
PEER_VERSION = "2.3.1"
TOKEN = re.compile(r"\w+")

PEER_SCRIPT = textwrap.dedent(
    """
    import gzip, json, sys, time
    import trafilatura
    pages = json.load(sys.stdin)
    out = {}
    start = time.perf_counter()
    for path in pages:
        raw = open(path, "rb").read()
        if path.endswith(".gz"):
            raw = gzip.decompress(raw)
        out[path] = trafilatura.extract(raw) or ""
    out["__seconds__"] = time.perf_counter() - start
    json.dump(out, sys.stdout)
    """
)


@dataclass
class Score:
    precision: float
    recall: float
    empty: bool


def tokens(text: str) -> Counter:
    return Counter(TOKEN.findall(text.lower()))


def score(output: str, expected: str) -> Score:
    got, want = tokens(output), tokens(expected)
    shared = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    return Score(shared / n_got if n_got else 0.0, shared / n_want if n_want else 1.0, not n_got)


def markdown_text(markdown: str) -> str:
    """The text a reader sees of the Markdown: rendered, tags dropped, blocks apart."""
    import lxml.html
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre"}:
            el.tail = "\n" + (el.tail or "")
    return root.text_content()


def load_pages(folder: Path) -> list[dict]:
    listing = folder / "expected.jsonl"
    if not listing.is_file():
        sys.exit(f"bench_clean_pages: {listing} not found (pass --pages DIR)")
    pages = []
    with listing.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                page = json.loads(line)
            except json.JSONDecodeError as exc:
                sys.exit(f"bench_clean_pages: {listing}:{n}: not JSON ({exc})")
            page["path"] = str(folder / page["file"])
            pages.append(page)
    return pages


def page_bytes(path: str) -> bytes:
    raw = Path(path).read_bytes()
    return gzip.decompress(raw) if path.endswith(".gz") else raw


def run_wpmigrate(pages: list[dict]) -> tuple[dict[str, str], float]:
    from wpmigrate.clean.decode import decode_document
    from wpmigrate.clean.files import clean_document
    from wpmigrate.frontmatter import parse_document

    out: dict[str, str] = {}
    start = time.perf_counter()
    for page in pages:
        text = decode_document(page_bytes(page["path"]), "html").text
        out[page["path"]] = parse_document(clean_document(text, "html").markdown)[1]
    seconds = time.perf_counter() - start
    return {path: markdown_text(md) for path, md in out.items()}, seconds


def peer_python() -> Path | None:
    python = PEER_DIR / "bin" / "python"
    if python.exists():
        return python
    print(f"installing trafilatura {PEER_VERSION} into {PEER_DIR} …", file=sys.stderr)
    try:
        venv.create(PEER_DIR, with_pip=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"trafilatura=={PEER_VERSION}", "lxml_html_clean"],
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"trafilatura could not be installed ({exc}); the peer is left out", file=sys.stderr)
        return None
    return python


def run_peer(pages: list[dict]) -> tuple[dict[str, str], float] | None:
    python = peer_python()
    if python is None:
        return None
    proc = subprocess.run(
        [str(python), "-c", PEER_SCRIPT],
        input=json.dumps([p["path"] for p in pages]),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if proc.returncode:
        print(f"trafilatura failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    out = json.loads(proc.stdout)
    return out, out.pop("__seconds__")


def table(name: str, pages: list[dict], outputs: dict[str, str], seconds: float) -> list[tuple]:
    rows = []
    groups = sorted({p["source"] for p in pages}) + ["all"]
    for group in groups:
        chosen = [p for p in pages if group in ("all", p["source"])]
        scores = [score(outputs[p["path"]], p["article_text"]) for p in chosen]
        precision = statistics.fmean(s.precision for s in scores)
        recall = statistics.fmean(s.recall for s in scores)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        empty = sum(s.empty for s in scores)
        ms = seconds * 1000 / len(pages) if group == "all" else None
        rows.append((name, group, len(chosen), precision, recall, f1, empty, ms))
    return rows


def memory(pages: list[dict], sizes: list[int], jobs: int | None = None) -> int:
    """Clean folders of ``sizes`` pages through the command line (with a report, as a user
    runs it); wall time and peak memory of the whole process tree."""
    import shutil

    from bench_convert import OUT, measure

    label = f"-j{jobs}" if jobs else "default jobs"
    print(f"{'pages':>7}  {'jobs':>12}  {'wall':>8}  {'peak RSS (tree)':>15}  {'peak PSS (tree)':>15}")
    for n in sizes:
        src, out = OUT / f"pages-{n}", OUT / f"pages-{n}-clean"
        report = OUT / f"pages-{n}-report.jsonl"
        shutil.rmtree(src, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        src.mkdir(parents=True)
        for i in range(n):
            page = pages[i % len(pages)]
            (src / f"{i:06d}.html").write_bytes(page_bytes(page["path"]))
        cmd = [sys.executable, "-m", "wpmigrate", "clean", str(src), "-o", str(out), "--report", str(report)]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        run = measure(cmd, pss=True)
        pss = run.peak_pss_mb
        if run.returncode not in (0, 1):
            print(run.stderr[-2000:], file=sys.stderr)
            return 1
        print(f"{n:>7}  {label:>12}  {run.seconds:>7.1f}s  {run.peak_tree_mb:>12.0f} MB  {pss:>12.0f} MB")
        shutil.rmtree(src, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        report.unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder with expected.jsonl")
    parser.add_argument("--no-peer", action="store_true", help="leave trafilatura out")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages wpmigrate scores worst on")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--memory",
        metavar="N[,N…]",
        help="also clean folders of N pages (the pages repeated) with `wpmigrate clean DIR -o OUT` and print the "
        "wall time and the peak memory of the whole process tree, workers included",
    )
    parser.add_argument("--jobs", type=int, default=None, help="with --memory: pass --jobs N (default: the command's)")
    args = parser.parse_args(argv)
    if args.memory:
        return memory(load_pages(args.pages), [int(n) for n in args.memory.split(",")], args.jobs)

    pages = load_pages(args.pages)
    ours, our_seconds = run_wpmigrate(pages)
    rows = table("wpmigrate", pages, ours, our_seconds)
    peer = None if args.no_peer else run_peer(pages)
    if peer is not None:
        rows += table(f"trafilatura {PEER_VERSION}", pages, *peer)

    header = ("tool", "pages", "n", "precision", "recall", "F1", "empty", "ms/page")
    lines = [
        [name, group, str(n), f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", str(e), "" if ms is None else f"{ms:.1f}"]
        for name, group, n, p, r, f, e, ms in rows
    ]
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
        print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        for line in lines:
            print("  ".join(c.ljust(w) for c, w in zip(line, widths)))
    if peer is not None:
        print(f"\ntime ratio (wpmigrate / trafilatura): {our_seconds / peer[1]:.2f}×")
    if args.worst:
        print(f"\nworst {args.worst} pages for wpmigrate (F1, precision, recall):")
        scored = []
        for p in pages:
            s = score(ours[p["path"]], p["article_text"])
            f1 = 2 * s.precision * s.recall / (s.precision + s.recall) if s.precision + s.recall else 0.0
            scored.append((f1, s.precision, s.recall, p["file"]))
        for f1, pr, rc, name in sorted(scored)[: args.worst]:
            print(f"  {f1:.3f}  {pr:.3f}  {rc:.3f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
