#!/usr/bin/env python3
"""Time wpmigrate's stages on adversarial inputs (speed is measured here, never in tests).

Each input is built to make a naive implementation quadratic or worse: unclosed
brackets and tags, huge whitespace runs, deep nesting. A line per input gives
the stage, the input size and the time; anything over the limit (default 5 s)
is marked SLOW and makes the exit status 1.

    python bench/hostile.py [--limit SECONDS]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from wpmigrate import clean_html, clean_markdown, clean_text, html_to_markdown, render_content
from wpmigrate.wordpress.shortcodes import iter_shortcodes

N = 20000

CASES: list[tuple[str, Callable[[str], object], str]] = [
    ("render", render_content, "[a " * N),
    ("render", render_content, "[x] " + "<pre>" * N),
    ("render", render_content, "[x] http://a.b\n" + "<!-- " * N),
    ("render", render_content, "<script>" * N),
    ("render", render_content, "a" + " " * (N * 10) + "b"),
    ("render", render_content, "a<br />" + " " * (N * 10) + "b\n"),
    ("render", render_content, "<p><li" * N),
    ("render", render_content, "<div" * N + "[x]"),
    ("render", render_content, "<!-- wp:group -->" * N),
    ("render", render_content, "<div>" * 3000 + "x" + "</div>" * 3000),
    ("render", render_content, "[foo]" * N + "[/foo]" * N),
    ("shortcodes", lambda t: list(iter_shortcodes(t)), "[a " * N + "[foo]" * N),
    ("markdown", html_to_markdown, "<div>" * 3000 + "x" + "</div>" * 3000),
    ("markdown", html_to_markdown, "<p>" + "*_`[" * N + "</p>"),
    ("clean_html", clean_html, "<p>" + "a " * (N * 5) + "</p>" * 2),
    ("clean_markdown", clean_markdown, "[mc4wp_form " * 5000 + "\n"),
    ("clean_markdown", clean_markdown, "[x](" * N + "\n"),
    ("clean_markdown", clean_markdown, "<a " * N + "\n"),
    (
        "clean_text",
        clean_text,
        "\n\n".join(f"Absatz {i} mit genug Worten, damit er als Prosa zählt." for i in range(5000)),
    ),
    ("clean_text", clean_text, "x " * (N * 10)),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=5.0, help="seconds before an input counts as SLOW")
    args = parser.parse_args()
    slow = 0
    for stage, fn, text in CASES:
        start = time.perf_counter()
        fn(text)
        took = time.perf_counter() - start
        mark = "SLOW" if took > args.limit else "ok"
        slow += took > args.limit
        print(f"{mark:4}  {took:7.2f} s  {stage:15} {len(text):>9,} chars  {text[:40]!r}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
