#!/usr/bin/env python3
"""Milliseconds per post for each stage of a conversion, and the floors beside them.

On the posts of a synthetic export (``bench/gen_wxr.py``, cached in
``bench/_data/``), in one process, each stage is timed on its own over every
post, in pipeline order, with the output of the stage before as its input:

* read: iterating ``wpmigrate.read_export`` (per item of the file, per post below);
* render: ``Renderer.render`` (WordPress's string rules, the one parse, the normalise steps);
* clean: ``clean_tree`` with every bundled profile, on the rendered tree;
* markdown: ``MarkdownWriter.write`` on the cleaned tree;
* front matter: the fields and their YAML;
* write: the atomic write of the file.

The floors: ``lxml.etree.iterparse`` over the whole file (the least a reader
can cost), an lxml parse plus a walk over every element of the rendered HTML
(the least a tree stage can cost), and html2text on the same HTML when it is
installed (what the Markdown stage would cost if html2text were fed once).

    python bench/stages.py [--posts 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import lxml.html  # noqa: E402
from bench_convert import export_for  # noqa: E402
from lxml import etree  # noqa: E402

import wpmigrate  # noqa: E402
from wpmigrate import frontmatter  # noqa: E402
from wpmigrate.clean.engine import clean_tree  # noqa: E402
from wpmigrate.clean.profiles import load_profiles  # noqa: E402
from wpmigrate.document import inner_html  # noqa: E402
from wpmigrate.fields import FieldBuilder  # noqa: E402
from wpmigrate.markdown import MarkdownWriter  # noqa: E402
from wpmigrate.model import Index  # noqa: E402
from wpmigrate.render import Renderer  # noqa: E402
from wpmigrate.write import atomic_write_text  # noqa: E402


def per_post(seconds: float, n: int) -> str:
    return f"{seconds / n * 1000:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args(argv)
    export = export_for(args.posts, regenerate=False, seed=1)

    t = time.perf_counter()
    items = list(wpmigrate.read_export(export))
    read = time.perf_counter() - t
    posts = [i for i in items if i.type == "post" and i.status == "publish"]
    n = len(posts)

    t = time.perf_counter()
    for _event, el in etree.iterparse(str(export), huge_tree=True, resolve_entities=False, no_network=True):
        if el.tag == "item":
            el.clear(keep_tail=True)
    lxml_floor = time.perf_counter() - t

    renderer = Renderer()
    t = time.perf_counter()
    docs = [renderer.render(p.content).document for p in posts]
    render = time.perf_counter() - t
    htmls = [inner_html(d.root) for d in docs]

    profiles = load_profiles(None)
    t = time.perf_counter()
    for d in docs:
        clean_tree(d, profiles)
    clean = time.perf_counter() - t

    writer = MarkdownWriter()
    t = time.perf_counter()
    bodies = [writer.write(d.root) for d in docs]
    markdown = time.perf_counter() - t

    site = wpmigrate.read_export(export).site
    builder = FieldBuilder(site, Index(), None)
    t = time.perf_counter()
    texts = [frontmatter.render_document(builder.fields(p, None)[0], b) for p, b in zip(posts, bodies)]
    fm = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        for k, text in enumerate(texts):
            atomic_write_text(Path(tmp) / f"{k}.md", text)
        write = time.perf_counter() - t

    t = time.perf_counter()
    for h in htmls:
        root = lxml.html.fragment_fromstring(h, create_parent="div")
        for _ in root.iter():
            pass
    tree_floor = time.perf_counter() - t
    try:
        import html2text
    except ImportError:
        h2t = None
    else:
        t = time.perf_counter()
        for h in htmls:
            conv = html2text.HTML2Text(bodywidth=0)
            conv.handle(h)
        h2t = time.perf_counter() - t

    print(f"{n} published posts of {len(items)} items ({export.name}); milliseconds per post, one process")
    print()
    print("| stage | ms per post | floor | ms per post |")
    print("|---|---:|---|---:|")
    print(
        f"| read (the whole file) | {per_post(read, n)} | lxml `iterparse` over the file | {per_post(lxml_floor, n)} |"
    )
    print(f"| render | {per_post(render, n)} | lxml parse + walk of the rendered HTML | {per_post(tree_floor, n)} |")
    print(f"| clean | {per_post(clean, n)} | | |")
    h2t_cell = "not installed" if h2t is None else per_post(h2t, n)
    print(f"| markdown | {per_post(markdown, n)} | html2text fed the same HTML once | {h2t_cell} |")
    print(f"| front matter | {per_post(fm, n)} | | |")
    print(f"| write | {per_post(write, n)} | | |")
    total = read + render + clean + markdown + fm + write
    print(f"| **all** | **{per_post(total, n)}** | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
