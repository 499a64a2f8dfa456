"""How long the Markdown stage takes per body, and what its parts cost.

    python bench/markdown_speed.py              # 1,000 synthetic posts
    python bench/markdown_speed.py --posts 300 --repeat 9

The bodies are the rendered HTML of the posts of a synthetic export
(``../shared/tools/gen_wxr.py``, cached in ``bench/_data/``):
``wpmigrate.render.render_content(item.content).html``. Each figure is the
best of ``--repeat`` runs over all bodies, in CPU time of this process
(``time.process_time``: other processes on the machine count less), divided
by the number of bodies:

- ``lxml parse`` and ``lxml parse + iter()``: the parser the project uses
  (``wpmigrate.document.PARSER``) on the body, and a walk over every node:
  the floor for any tree-based writer;
- ``Document.parse``: the project's one parse, with its lost-text guard;
- ``MarkdownWriter.write``: the writer on an already parsed tree (the
  parse excluded; a fresh tree each run, as the writer may change it);
- ``html_to_markdown``: parse and write, what a caller sees;
- ``html2text handle``: ``html2text.HTML2Text(bodywidth=0).handle`` alone on
  the same HTML, when html2text is installed (it is not a dependency).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GENERATOR = REPO.parent / "shared" / "tools" / "gen_wxr.py"
DATA = BENCH / "_data"
sys.path.insert(0, str(REPO))


def bodies(posts: int) -> list[str]:
    from wpmigrate.render import render_content
    from wpmigrate.wxr import read_export

    path = DATA / f"wxr-{posts}-seed1.xml"
    if not path.exists():
        if not GENERATOR.exists():
            sys.exit(f"{GENERATOR} is missing: the shared folder beside the checkout holds the generator")
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(GENERATOR), "--posts", str(posts), "-o", str(path)], check=True)
    return [render_content(item.content).html for item in read_export(path) if item.type == "post"]


def best(run, repeat: int, count: int, prepare=None) -> float:
    """Best CPU time of ``run(prepared)`` over ``repeat`` runs, in ms per body."""
    times = []
    for _ in range(repeat):
        prepared = prepare() if prepare else None
        start = time.process_time()
        run(prepared)
        times.append(time.process_time() - start)
    return min(times) / count * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import lxml.html

    from wpmigrate.document import PARSER, Document
    from wpmigrate.markdown import MarkdownWriter, html_to_markdown

    html = bodies(args.posts)
    n = len(html)

    def walk(_):
        for body in html:
            for _node in lxml.html.fragment_fromstring(body, create_parent="div", parser=PARSER).iter():
                pass

    def trees():
        return [Document.parse(body).root for body in html]

    rows = [
        (
            "lxml parse",
            best(
                lambda _: [lxml.html.fragment_fromstring(b, create_parent="div", parser=PARSER) for b in html],
                args.repeat,
                n,
            ),
        ),
        ("lxml parse + iter()", best(walk, args.repeat, n)),
        ("Document.parse", best(lambda _: trees(), args.repeat, n)),
        ("MarkdownWriter.write", best(lambda roots: [MarkdownWriter().write(r) for r in roots], args.repeat, n, trees)),
        ("html_to_markdown", best(lambda _: [html_to_markdown(b) for b in html], args.repeat, n)),
    ]
    try:
        import html2text
    except ImportError:
        rows.append(("html2text handle", None))
    else:
        rows.append(
            (
                "html2text handle",
                best(lambda _: [html2text.HTML2Text(bodywidth=0).handle(b) for b in html], args.repeat, n),
            )
        )
    print(f"{n} bodies, {sum(map(len, html)) // n} characters of HTML each on average\n")
    print("| step | ms per body |\n|---|---|")
    for name, ms in rows:
        print(f"| {name} | {'not installed' if ms is None else f'{ms:.3f}'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
