"""How much of each post survives conversion: words, structure, leftovers, front matter.

    python bench/fidelity.py EXPORT [EXPORT …] [--clean] [--verbose] [--markdown]

Every export is converted with the library (``wpmigrate.convert.convert``)
into a temporary folder. For every written item the *source* (``post_content``
as stored, with block comments and the brackets of shortcodes WordPress would
run removed; words are split at tag boundaries on both sides) is compared with the
written Markdown body rendered back to HTML by markdown-it-py (CommonMark with
tables and strikethrough; footnotes are read as text, the plugin is not a
dependency):

* word recall: the words of the source's visible text found in the output
  (a multiset: a word that appears three times must appear three times);
* structure recall per kind: headings, list items (not a gallery's grid, not
  empty), table cells, images (not emoji images), link targets (distinct per
  item, not inside code, not footnote references), quotes, code blocks
  (``<pre>``; SyntaxHighlighter shortcodes count too) and explicit line breaks
  (one ``<br>`` between two pieces of content of a block, and in classic
  content the single newlines that WordPress's ``wpautop()`` turns into
  ``<br>``; two or more in a row show a paragraph break, not a line break);
* leftovers outside code that the source did not show: block comments, raw
  ``[caption``/``[gallery``/``[embed``/``[audio``/``[video``, the tags of page
  builders (``[vc_``, ``[et_pb_``, ``[fusion_``, ``[av_``, ``[cs_``, ``[x_``,
  ``[thrive_`` and their closing tags), shortcode brackets escaped where
  Markdown needs no backslash (``[vc_row\\]``), double-escaped entities
  (``&amp;amp;``, a literal ``&#8217;`` or ``&nbsp;``);
* front matter that ``yaml.safe_load`` cannot read.

Cleaning is off by default (it removes boilerplate on purpose; measure it with
``--clean``). ``--markdown`` prints the table as Markdown for the README.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import yaml
from markdown_it import MarkdownIt

KINDS = ("headings", "list items", "table cells", "images", "links", "quotes", "code blocks", "line breaks")
LEFTOVER_PATTERNS = (
    "<!-- wp:",
    "<!-- /wp:",
    "[caption",
    "[gallery",
    "[embed",
    "[audio",
    "[video",
    *(f"[{p}" for p in ("vc_", "et_pb_", "fusion_", "av_", "cs_", "x_", "thrive_")),
    *(f"[/{p}" for p in ("vc_", "et_pb_", "fusion_", "av_", "cs_", "x_", "thrive_")),
    "&amp;amp;",
    "&#8217;",
    "&nbsp;",
    "&amp;#",
)
BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul caption cite "
    "iframe video audio".split()
)
# shortcodes WordPress core and SyntaxHighlighter run (their brackets never show)
CORE_SHORTCODES = {"caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist"}
CODE_SHORTCODES = {
    "code",
    "sourcecode",
    "source",
    "php",
    "js",
    "javascript",
    "css",
    "html",
    "xml",
    "python",
    "py",
    "bash",
    "shell",
    "sql",
    "java",
    "ruby",
    "c",
    "cpp",
    "csharp",
    "perl",
    "plain",
    "text",
    "jscript",
    "powershell",
}
#: the name prefixes of the shortcode page builders (their unknown elements run too)
BUILDER_PREFIXES = ("vc_", "et_pb_", "fusion_", "av_", "cs_", "x_", "thrive_")
#: a shortcode tag in the Markdown with a backslash Markdown does not need
#: (only "](" , "]:" and "][^" make links; "\[" is never needed outside a link
#: text, and a link text, "[\[top\]](#top)", may escape its brackets)
ESCAPED_SHORTCODE = "escaped shortcode bracket"
_ESCAPED_SHORTCODE = re.compile(
    r"(?<!\[)\\\[/?[A-Za-z][\w-]*(?=[\s\]/=])|\[/?[A-Za-z][\w-]*(?:[\s=][^\[\]\n]*)?\\\](?![(:\]]|\[\^)"
)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_WORD = re.compile(r"\w+")
_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_WPAUTOP_BLOCK = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    r"blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|"
    r"figure|figcaption|details|menu|summary|iframe|video|audio|object|embed|script|source|track|option|select)"
)
# a line that ends or starts at a block tag, a shortcode, a comment, or a
# protected code region (\x00n\x00: <pre> or a SyntaxHighlighter block)
_BLOCK_EDGE_END = re.compile(rf"(?:</?{_WPAUTOP_BLOCK}\b[^>]*>|<br\s*/?>|\]|-->|\x00)\s*$", re.I)
_BLOCK_EDGE_START = re.compile(rf"^\s*(?:</?{_WPAUTOP_BLOCK}\b|\[|<!--|\x00)", re.I)


def shortcode_names() -> set[str]:
    names = set(CORE_SHORTCODES) | CODE_SHORTCODES
    try:  # the render stage's registry, when it has one
        from wpmigrate.render.renderer import ShortcodeRegistry

        names |= ShortcodeRegistry().names()
    except Exception:
        pass
    return names


@dataclass
class Tally:
    items: int = 0
    words_src: int = 0
    words_hit: int = 0
    src: Counter = field(default_factory=Counter)
    out: Counter = field(default_factory=Counter)
    leftovers: Counter = field(default_factory=Counter)
    bad_front_matter: int = 0
    partial: bool = False  # the export broke part way; the items before the break are measured
    worst: list = field(default_factory=list)  # (recall, item id, missing words)


# --- source side ------------------------------------------------------------------


def prepare_source(content: str, names: set[str]) -> tuple[str, int, int]:
    """Source HTML as WordPress would show it, plus extra code blocks and line breaks.

    Returns (html, code shortcodes, implicit line breaks of classic content).
    """
    classic = "<!-- wp:" not in content
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    text = _BLOCK_COMMENT.sub("\n", text)
    code_blocks = 0
    name_re = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    # a builder's elements run whatever their name (the renderer takes its prefixes)
    name_re += "".join(f"|{re.escape(p)}[A-Za-z0-9_-]+" for p in BUILDER_PREFIXES)
    opening = re.compile(rf"\[({name_re})(?=[\s\]/=])[^\]]*\]", re.I)  # [youtube=URL] too
    for m in opening.finditer(text):
        if m.group(1).lower() in CODE_SHORTCODES:
            code_blocks += 1
    if classic:
        # where wpautop() turns a newline into <br> (decided before the
        # shortcode brackets go: a shortcode opening a line is not a break)
        text = implicit_breaks(text)
    # two or more <br> in a row show an empty line, a paragraph break: wpautop()
    # makes them one in classic posts, and the Markdown stage writes one
    text = re.sub(r"<br\s*/?>(?:\s*<br\s*/?>)+", "\n\n", text, flags=re.I)
    text = opening.sub(" ", text)
    text = re.sub(rf"\[/({name_re})\]", " ", text, flags=re.I)
    return text, code_blocks, 0


def implicit_breaks(text: str) -> str:
    """Classic content with ``<br>`` where wpautop() puts one: single newlines inside a paragraph."""
    protected: list[str] = []

    def protect(m: re.Match[str]) -> str:
        protected.append(m.group(0))
        return f"\x00{len(protected) - 1}\x00"

    # code, comments and SyntaxHighlighter shortcodes are never touched by wpautop()
    code_names = "|".join(sorted(CODE_SHORTCODES, key=len, reverse=True))
    text = re.sub(r"<(pre|script|style|textarea)\b.*?</\1\s*>", protect, text, flags=re.S | re.I)
    text = re.sub(rf"\[({code_names})\b[^\]]*\].*?\[/\1\]", protect, text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", protect, text, flags=re.S)
    # newlines inside tags stay newlines (replace_in_html_tags())
    text = re.sub(r"<[^<>]*>", lambda m: m.group(0).replace("\n", " "), text)
    chunks = []
    for chunk in re.split(r"(\n[ \t]*\n)", text):
        lines = chunk.split("\n")
        out = [lines[0]]
        for left, right in zip(lines, lines[1:]):
            if (
                left.strip()
                and right.strip()
                and not _BLOCK_EDGE_END.search(left)
                and not _BLOCK_EDGE_START.search(right)
            ):
                out[-1] += "<br>"
            out.append(right)
        chunks.append("\n".join(out))
    text = "".join(chunks)
    return re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], text)


def words_of(root) -> list[str]:
    """Words of the visible text, kept apart at tag boundaries (on both sides alike).

    Splitting at every tag, not only block tags, keeps "paragraph<sup>1</sup>"
    and a file block's "Wind Farm</a><a …>Download" from gluing into one word
    that neither side really shows; text glued *inside* a text node still counts.
    """
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "template", "noscript", "head", "title"):
            if el.tail:
                parts.append(" " + el.tail)
            return
        parts.append(" ")
        if tag and el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        parts.append(" ")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    return _WORD.findall("".join(parts))


def visible_text(root) -> str:
    return " ".join(t for t in _texts_outside_code(root))


def _texts_outside_code(root):
    for el in root.iter():
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        inside_code = any(
            (a.tag.lower() if isinstance(a.tag, str) else "") in ("pre", "code", "script", "style")
            for a in el.iterancestors()
        )
        if tag and tag not in ("pre", "code", "script", "style") and not inside_code and el.text:
            yield el.text
        if el.tail and not inside_code:
            yield el.tail


def in_code(el) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() == "code" for a in el.iterancestors())


def structure(root, *, source: bool) -> Counter:
    c: Counter = Counter()
    seen_links: set[str] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        classes = (el.get("class") or "").split()
        in_pre = any(isinstance(a.tag, str) and a.tag.lower() == "pre" for a in el.iterancestors())
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            if el.text_content().strip():
                c["headings"] += 1
        elif tag == "li":
            if source and _in_gallery(el):
                continue  # a gallery's grid of images is not a list
            if not _visible(el):
                continue  # an empty item (icons in a menu) shows only its bullet
            c["list items"] += 1
        elif tag in ("td", "th"):
            c["table cells"] += 1
        elif tag == "img":
            if source and ("wp-smiley" in classes or "emoji" in classes):
                continue  # emoji images are written as the emoji
            if el.get("src") or el.get("data-src"):
                c["images"] += 1
        elif tag == "a":
            href = (el.get("href") or "").strip()
            if not href or href.lower().startswith("javascript:"):
                continue
            visible = el.text_content().strip() or any(True for _ in el.iter("img"))
            if not visible or in_pre or in_code(el):
                continue  # invisible, or inside code (Markdown code cannot hold links)
            if source and _is_footnote_link(el):
                continue
            if href not in seen_links:  # link targets: a repeated target counts once
                seen_links.add(href)
                c["links"] += 1
        elif tag == "blockquote":
            c["quotes"] += 1
        elif tag == "pre":
            if source and "wp-block-verse" in classes:
                # poetry: a newline between two lines is a break, an empty line a stanza
                lines = el.text_content().strip("\n").split("\n")
                c["line breaks"] += sum(1 for a, b in zip(lines, lines[1:]) if a.strip() and b.strip())
            else:
                c["code blocks"] += 1
    c["line breaks"] += line_breaks(root)
    return c


def _in_gallery(el) -> bool:
    for a in el.iterancestors():
        classes = (a.get("class") or "").split() if isinstance(a.tag, str) else []
        if {"wp-block-gallery", "blocks-gallery-grid", "gallery"} & set(classes):
            return True
    return False


def _visible(node) -> bool:
    if not isinstance(node.tag, str):
        return False
    return bool(node.text_content().strip()) or any(True for _ in node.iter("img", "iframe", "video", "audio"))


def line_breaks(root) -> int:
    """Explicit line breaks a reader sees: one <br> between two pieces of content of one block.

    A <br> at the start or end of a block shows nothing; two or more in a row
    show an empty line, which is a paragraph break (wpautop() makes them one
    in classic posts, and the Markdown stage writes one).
    """
    seq: list[str] = []  # "T" content, "B" <br>, "|" block boundary

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in ("script", "style", "template", "noscript", "head", "title"):
            if el.tail and el.tail.strip():
                seq.append("T")
            return
        if tag == "pre":
            seq.extend(("|", "T", "|"))  # code and verse are counted on their own
        elif tag in ("select", "textarea"):
            # a control shows no <br> inside it; an empty one is dropped like <input>
            if el.text_content().strip():
                seq.append("T")
        else:
            block = tag in BLOCK_TAGS and tag != "br"
            if block:
                seq.append("|")
            if tag == "br":
                seq.append("B")
            elif tag in ("img", "iframe", "video", "audio", "select", "textarea"):  # not <input>: dropped
                seq.append("T")
            if el.text and el.text.strip():
                seq.append("T")
            for child in el:
                walk(child)
            if block:
                seq.append("|")
        if el.tail and el.tail.strip():
            seq.append("T")

    walk(root)
    count = 0
    i = 0
    while i < len(seq):
        if seq[i] != "B":
            i += 1
            continue
        j = i
        while j < len(seq) and seq[j] == "B":
            j += 1
        if j - i == 1 and i > 0 and seq[i - 1] == "T" and j < len(seq) and seq[j] == "T":
            count += 1
        i = j
    return count


def _is_footnote_link(a) -> bool:
    """core/footnotes references and back links: Markdown footnotes, not links."""
    parent = a.getparent()
    if parent is not None and isinstance(parent.tag, str) and parent.tag.lower() == "sup" and parent.get("data-fn"):
        return True
    href = a.get("href") or ""
    if href.startswith("#") and (a.get("aria-label") or "").lower().startswith("jump to footnote"):
        return True
    return False


def parse_html(html: str):
    if not html.strip():
        return lxml.html.fragment_fromstring("<div></div>")
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:
        return lxml.html.fragment_fromstring("<div></div>")


# --- output side ---------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict | None, str, bool]:
    """(fields or None, body, parsed ok)."""
    if not text.startswith("---\n"):
        return None, text, True
    end = text.find("\n---\n", 3)
    if end < 0:
        return None, text, False
    try:
        fields = yaml.safe_load(text[4 : end + 1])
        ok = isinstance(fields, dict) or fields is None
    except yaml.YAMLError:
        fields, ok = None, False
    body = text[end + 5 :]
    return (fields if isinstance(fields, dict) else None), body.lstrip("\n"), ok


def markdown_outside_code(md: str) -> str:
    """The Markdown text without fenced code blocks and code spans."""
    out, fence = [], None
    for line in md.split("\n"):
        stripped = line.lstrip(" >")
        m = re.match(r"(`{3,}|~{3,})", stripped.lstrip())
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
            continue
        if fence is not None:
            if stripped.strip().startswith(fence):
                fence = None
            continue
        out.append(re.sub(r"(`+).+?\1", " ", line))
    return "\n".join(out)


# --- one export ----------------------------------------------------------------------


def measure(export: Path, *, clean: bool, names: set[str]) -> Tally:
    from wpmigrate.convert import convert
    from wpmigrate.errors import MalformedExportError
    from wpmigrate.wxr import read_export

    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="wpm-fidelity-") as tmp:
        try:
            rep = convert(str(export), tmp, clean=clean, force=True)
        except MalformedExportError as exc:  # broken part way: measure what was written
            rep = getattr(exc, "report", None)
            tally.partial = True
            if rep is None:  # broke before anything was written
                return tally
        items = []
        try:
            for item in read_export(str(export)):
                items.append(item)
        except MalformedExportError:
            pass
        # the report lists every item in export order (ids may repeat or be 0 in old exports)
        count = min(len(rep.items), len(items))
        if not all(r.id == i.id for r, i in zip(rep.items[:count], items[:count])):
            raise RuntimeError("the report does not list the export's items in order")
        for item, entry in zip(items, rep.items):
            if entry.action != "written" or not entry.path:
                continue
            path = Path(entry.path)
            if not path.is_absolute():
                path = Path(tmp) / path
            text = path.read_text(encoding="utf-8")
            _fields, body, ok = split_front_matter(text)
            if not ok:
                tally.bad_front_matter += 1
            tally.items += 1
            source_html, code_extra, _ = prepare_source(item.content, names)
            src_root = parse_html(source_html)
            out_root = parse_html(_MD.render(body))
            src_words = Counter(words_of(src_root))
            out_words = Counter(words_of(out_root))
            hit = sum(min(n, out_words[w]) for w, n in src_words.items())
            total = sum(src_words.values())
            tally.words_src += total
            tally.words_hit += hit
            if total and hit < total:
                missing = sorted((src_words - out_words).elements())[:12]
                tally.worst.append((hit / total, item.id, item.title, missing))
            s = structure(src_root, source=True)
            s["code blocks"] += code_extra
            o = structure(out_root, source=False)
            for kind in KINDS:
                tally.src[kind] += s[kind]
                tally.out[kind] += min(s[kind], o[kind])
                if o[kind] < s[kind]:
                    tally.worst.append((o[kind] / s[kind], item.id, item.title, [f"{kind}: {o[kind]}/{s[kind]}"]))
            src_visible = visible_text(src_root)
            out_visible = visible_text(out_root)
            for pattern in LEFTOVER_PATTERNS:
                extra = out_visible.count(pattern) - src_visible.count(pattern)
                if pattern.startswith("<!--"):
                    extra = markdown_outside_code(body).count(pattern)
                if extra > 0:
                    tally.leftovers[pattern] += extra
            escaped = len(_ESCAPED_SHORTCODE.findall(markdown_outside_code(body)))
            if escaped:
                tally.leftovers[ESCAPED_SHORTCODE] += escaped
    return tally


def pct(hit: int, total: int) -> str:
    if not total:
        return "–"
    value = 100.0 * hit / total
    return f"{value:.2f} %" if value < 100 else "100 %"


def report(results: list[tuple[str, Tally]], *, markdown: bool) -> str:
    head = ["export", "items", "words", *KINDS, "leftovers", "bad front matter"]
    rows = []
    for name, t in results:
        row = [name + (" (broken part way)" if t.partial else ""), str(t.items), pct(t.words_hit, t.words_src)]
        for kind in KINDS:
            cell = pct(t.out[kind], t.src[kind])
            if t.src[kind]:
                cell += f" ({t.out[kind]}/{t.src[kind]})"
            row.append(cell)
        row.append(str(sum(t.leftovers.values())))
        row.append(str(t.bad_front_matter))
        rows.append(row)
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)] if rows else [len(h) for h in head]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*head), fmt.format(*("-" * w for w in widths))] + [fmt.format(*r) for r in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", nargs="+", type=Path, metavar="EXPORT", help="WXR export files")
    parser.add_argument("--clean", action="store_true", help="convert with boilerplate cleaning on")
    parser.add_argument("--verbose", action="store_true", help="list the items that lose something")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    names = shortcode_names()
    results = []
    failed = False
    for export in args.exports:
        try:
            tally = measure(export, clean=args.clean, names=names)
        except Exception as exc:
            print(f"{export.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed = True
            continue
        results.append((export.name, tally))
        if args.verbose:
            for recall, item_id, title, missing in sorted(tally.worst, key=lambda w: w[0])[:25]:
                print(f"  {export.name} #{item_id} {title[:50]!r}: {recall:.3f} {missing}", file=sys.stderr)
            if tally.leftovers:
                print(f"  {export.name} leftovers: {dict(tally.leftovers)}", file=sys.stderr)
    print(report(results, markdown=args.markdown))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
