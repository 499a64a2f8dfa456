"""Clean Markdown that was already converted: front matter kept as it is, body cleaned.

Markdown written by earlier converters (html2text, wordpress-export-to-markdown,
jekyll-import, copy-and-paste) keeps the theme and plugin chrome as text — a
``### Teilen mit:`` heading over a list of share links, ``Gefällt mir:``,
``Related`` — plus what a converter could not convert: raw HTML blocks
(a pasted Mailchimp form, a sharedaddy ``<div>``), shortcodes (``[mc4wp_form]``)
and block comments (``<!-- wp:jetpack/subscriptions /-->``).

What is cleaned, and how:

* raw HTML blocks (CommonMark's HTML-block rules) go through the HTML engine
  (:func:`wpmigrate.clean.engine.clean_html`); a block whose content is
  entirely boilerplate disappears, otherwise the cleaned HTML stays as HTML;
* shortcodes and block comments in the text go through
  :func:`wpmigrate.clean.engine.clean_source` (everything else byte-identical);
* lines: the profiles' text rules in their zones, the heading right above a
  removed block, the link list under a removed widget label, teasers and exact
  repeats of paragraphs (see :mod:`wpmigrate.clean.text`);
* fenced and indented code is never touched.

The front matter (YAML ``---``, TOML ``+++``) is returned byte for byte, and
every line that is not removed is returned as it was: cleaning never reflows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from wpmigrate.clean.lines import _BULLET, _ORDERED, Unit, _nest_items, md_heading
from wpmigrate.clean.profiles import ProfileSet, coerce_profiles, fold
from wpmigrate.clean.result import CleanResult, Removal
from wpmigrate.clean.structure import analyse

__all__ = ["clean_markdown", "split_front_matter"]

_FRONT_MATTER = re.compile(
    r"\A(?:---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)|\+\+\+[ \t]*\n(?:.*?\n)?\+\+\+[ \t]*(?:\n|\Z))",
    re.S,
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INDENTED = re.compile(r"^(?: {4}|\t)")
# CommonMark HTML blocks: type 1 (raw text elements), 2 (comments), 6 (block tags), 7 (a lone tag)
_RAW_OPEN = re.compile(r"^ {0,3}<(script|pre|style|textarea)(?:\s|>|$)", re.I)
_COMMENT_OPEN = re.compile(r"^ {0,3}<!--")
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|"
    "div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|"
    "iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|"
    "table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_BLOCK_OPEN = re.compile(rf"^ {{0,3}}</?(?:{_BLOCK_TAGS})(?:\s|/?>|$)", re.I)
_LONE_TAG = re.compile(r"^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$")

# (bounded repeats: a line of thousands of unclosed "[" must not take quadratic time)
_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\n]{0,500})\]\((?:[^()\s]|\([^)\n]{0,200}\)){0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)")
_REF_LINK = re.compile(r"\[([^\]\n]{1,500})\]\[[^\]\n]{0,200}\]")
_AUTOLINK = re.compile(r"<(https?://[^>\s]{1,2000})>")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,1000}>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)")
_QUOTE = re.compile(r"^(?:\s*>)+\s?")
_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")


#: rounds of cleaning at most (a round only finds more when the one before moved the article)
ROUNDS = 4


def split_front_matter(document: str) -> tuple[str, str]:
    """``(front matter, body)``; the front matter exactly as written (``""`` when there is none)."""
    m = _FRONT_MATTER.match(document)
    if not m:
        return "", document
    return document[: m.end()], document[m.end() :]


def markdown_plain(line: str) -> tuple[str, bool]:
    """The visible text of one Markdown line, and whether it is nothing but links."""
    text = _QUOTE.sub("", line)
    text = _AUTOLINK.sub(r"\1", text)
    had_links = bool(_LINK.search(text) or _IMAGE.search(text) or _REF_LINK.search(text) or _AUTOLINK.search(line))
    without = _TAG.sub("", _REF_LINK.sub("", _LINK.sub("", _IMAGE.sub("", text))))
    link_only = (had_links and not re.search(r"[^\W_]", _EMPHASIS.sub("", without))) or not re.search(r"[^\W_]", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = text.rstrip("\\")
    return fold(text), link_only


@dataclass
class _Entry:
    """A piece of the body: one line, or a whole code/HTML chunk."""

    raw: str  # without the final newline
    line: int  # first line, 1-based, in the body
    kind: str  # "md" | "blank" | "code" | "html"
    unit: int | None = None


def _chunks(body_lines: list[str]) -> list[tuple[str, int, list[str]]]:
    """Split the body into ("md"|"code"|"html", first line, lines) chunks."""
    chunks: list[tuple[str, int, list[str]]] = []
    i = 0
    n = len(body_lines)
    prev_blank = True
    while i < n:
        line = body_lines[i]
        start = i
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)
            close = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}\s*$")
            i += 1
            while i < n and not close.match(body_lines[i]):
                i += 1
            i = min(i + 1, n)
            chunks.append(("code", start, body_lines[start:i]))
            prev_blank = False
            continue
        if prev_blank and line.strip() and _INDENTED.match(line) and not (_BULLET.match(line) or _ORDERED.match(line)):
            while i < n and (_INDENTED.match(body_lines[i]) or not body_lines[i].strip()):
                i += 1
            while i > start + 1 and not body_lines[i - 1].strip():
                i -= 1
            chunks.append(("code", start, body_lines[start:i]))
            prev_blank = False
            continue
        raw = _RAW_OPEN.match(line)
        if raw or _COMMENT_OPEN.match(line):
            end_mark = f"</{raw.group(1).lower()}>" if raw else "-->"
            first_rest = line[line.index("<!--") + 4 :] if not raw else line
            if end_mark in first_rest.lower():
                i += 1
            else:
                i += 1
                while i < n and end_mark not in body_lines[i].lower():
                    i += 1
                i = min(i + 1, n)
            chunks.append(("html", start, body_lines[start:i]))
            prev_blank = False
            continue
        if _BLOCK_OPEN.match(line) or (prev_blank and _LONE_TAG.match(line)):
            while i < n and body_lines[i].strip():
                i += 1
            chunks.append(("html", start, body_lines[start:i]))
            prev_blank = False
            continue
        # ordinary Markdown lines, up to the next code or HTML start
        lines = [line]
        i += 1
        prev_blank = not line.strip()
        while i < n:
            nxt = body_lines[i]
            if _FENCE.match(nxt) or _RAW_OPEN.match(nxt) or _COMMENT_OPEN.match(nxt) or _BLOCK_OPEN.match(nxt):
                break
            if (
                prev_blank
                and nxt.strip()
                and (_LONE_TAG.match(nxt) or (_INDENTED.match(nxt) and not (_BULLET.match(nxt) or _ORDERED.match(nxt))))
            ):
                break
            lines.append(nxt)
            prev_blank = not nxt.strip()
            i += 1
        chunks.append(("md", start, lines))
    return chunks


def _units(entries: list[_Entry]) -> list[Unit]:
    units: list[Unit] = []
    group = 0
    blank_before = True
    for e in entries:
        if e.kind == "blank":
            if not blank_before:
                group += 1
            blank_before = True
            continue
        blank_before = False
        if e.kind in ("code", "html"):
            u = Unit(len(units), e.line, e.raw, fold(e.raw)[:200], "opaque", group)
        else:
            h = md_heading(e.raw.strip())
            m = _BULLET.match(e.raw) or _ORDERED.match(e.raw)
            if h and h[1]:
                text, links = markdown_plain(h[1])
                u = Unit(len(units), e.line, e.raw, text, "heading", group, level=h[0], link_only=links)
            elif m:
                text, links = markdown_plain(m.group("text"))
                u = Unit(len(units), e.line, e.raw, text, "item", group, marker=m.group("marker"), link_only=links)
            else:
                text, links = markdown_plain(e.raw)
                u = Unit(len(units), e.line, e.raw, text, "para", group, link_only=links)
        e.unit = u.index
        units.append(u)
    _nest_items(units)
    return units


def _shift(r: Removal, offset: int, span: tuple[int, int] | None = None) -> Removal:
    if span is not None:
        start, end = span
    else:
        start = r.line_start + offset if r.line_start is not None else None
        end = r.line_end + offset if r.line_end is not None else start
    return Removal(r.rule, r.profile, r.reason, r.text, r.action, start, end)


#: a body line and its line number in the document's body; ``None`` text marks a removal
_Line = tuple[str | None, int]


def _collapse(lines: list[_Line]) -> list[tuple[str, int]]:
    """Drop removed lines, and the blank lines a removal leaves doubled or dangling."""
    out: list[tuple[str, int]] = []
    dropped = False
    started_blank = bool(lines) and lines[0][0] is not None and not lines[0][0].strip()
    for text, number in lines:
        if text is None:
            dropped = True
            continue
        if not text.strip():
            if dropped and out and not out[-1][0].strip():
                continue  # a removal left two blank lines in a row
            if dropped and not out and not started_blank:
                continue  # the body now starts with a blank line it did not have
        else:
            dropped = False
        out.append((text, number))
    if dropped:
        while out and not out[-1][0].strip():
            out.pop()  # a removal at the end left trailing blank lines
    return out


def _entries(lines: list[tuple[str, int]]) -> list[_Entry]:
    """Chunk body lines into entries: one per Markdown line, one per code or HTML chunk."""
    entries: list[_Entry] = []
    for kind, start, chunk in _chunks([t for t, _ in lines]):
        if kind != "md":
            entries.append(_Entry("\n".join(chunk), lines[start][1], kind))
            continue
        for j, line in enumerate(chunk):
            entries.append(_Entry(line, lines[start + j][1], "md" if line.strip() else "blank"))
    return entries


def _markup_pass(
    lines: list[tuple[str, int]], pset: ProfileSet, offset: int, removed: list, flagged: list
) -> tuple[list[_Line], bool]:
    """Stage 1: raw HTML blocks through the engine, shortcodes and block comments in the text."""
    from wpmigrate.clean.engine import clean_source

    out: list[_Line] = []
    review = False
    for kind, start, chunk in _chunks([t for t, _ in lines]):
        numbers = [n for _, n in lines[start : start + len(chunk)]]
        if kind == "html":
            cleaned = _clean_html_block("\n".join(chunk), pset)
            if cleaned is not None:
                new_html, decisions, needs_review = cleaned
                span = (offset + numbers[0], offset + numbers[-1])
                for r in decisions:
                    (flagged if r.action in ("flagged", "needs-review") else removed).append(_shift(r, 0, span))
                review = review or needs_review
                if new_html != "\n".join(chunk):
                    new_lines = new_html.strip("\n").split("\n") if new_html.strip() else []
                    out.append((None, numbers[0]))
                    out.extend((t, numbers[min(j, len(numbers) - 1)]) for j, t in enumerate(new_lines))
                    continue
        elif kind == "md":
            text = "\n".join(chunk)
            if "[" in text or "<!--" in text:
                new_text, decisions = clean_source(text, pset)
                for r in decisions:
                    at = numbers[min(max((r.line_start or 1) - 1, 0), len(numbers) - 1)]
                    upto = numbers[min(max((r.line_end or r.line_start or 1) - 1, 0), len(numbers) - 1)]
                    (flagged if r.action == "flagged" else removed).append(_shift(r, 0, (offset + at, offset + upto)))
                if new_text != text:
                    new_lines = new_text.split("\n")
                    if len(new_lines) != len(chunk):
                        # an enclosing shortcode spanned lines: number the rest from the chunk start
                        out.append((None, numbers[0]))
                        out.extend((t, numbers[min(j, len(numbers) - 1)]) for j, t in enumerate(new_lines))
                        continue
                    for old, new, number in zip(chunk, new_lines, numbers):
                        if old == new:
                            out.append((new, number))
                        elif not new.strip():
                            out.append((None, number))  # the line held only the shortcode
                        else:
                            out.append((_SPACES.sub(" ", new), number))  # the gap it left inside the line
                    continue
        out.extend(zip(chunk, numbers))
    return out, review


def clean_markdown(markdown: str, profiles: ProfileSet | Sequence[str | os.PathLike] | None = None) -> CleanResult:
    """Clean a Markdown document; ``.markdown`` is the whole document, front matter unchanged.

    Line numbers in the decisions count from the first line of the document.
    """
    crlf = "\r\n" in markdown
    document = markdown.replace("\r\n", "\n") if crlf else markdown
    front, body = split_front_matter(document)
    offset = front.count("\n")
    pset = coerce_profiles(profiles).for_content(body)
    result = CleanResult(markdown=markdown)
    if not body.strip():
        return result

    ends_with_newline = body.endswith("\n")
    lines = body.split("\n")
    if ends_with_newline:
        lines.pop()

    removed: list[Removal] = []
    flagged: list[Removal] = []
    kept = [(t, n) for n, t in enumerate(lines, start=1)]
    review = False
    for _ in range(ROUNDS):
        # stage 1: markup (HTML blocks, shortcodes, block comments); what it leaves is
        # chunked again, so text an HTML block gave up is seen as Markdown by stage 2
        before = [t for t, _ in kept]
        for _ in range(8):
            # what one removal uncovers (a fence an HTML block swallowed, say) can hold
            # more markup: repeat until nothing changes, so cleaning twice == once
            staged, needs_review = _markup_pass(kept, pset, offset, removed, flagged)
            review = review or needs_review
            if all(t is not None for t, _ in staged) and [t for t, _ in staged] == [t for t, _ in kept]:
                break
            kept = _collapse(staged)

        # stage 2: the line rules on what is left
        entries = _entries(kept)
        units = _units(entries)
        a = analyse(units, pset, taxonomy=False, title=False)
        for _, r in sorted(a.removed.items()):
            removed.append(_shift(r, offset))
        for _, r in sorted(a.flagged.items()):
            flagged.append(_shift(r, offset))
        if a.needs_review is not None:
            review = True
            flagged.append(_shift(a.needs_review, offset))

        final: list[_Line] = []
        for e in entries:
            if e.unit is not None and a.gone(e.unit):
                final.append((None, e.line))
            else:
                final.extend((t, e.line) for t in e.raw.split("\n"))
        kept = _collapse(final)
        # what this round removed can move the article: go again until nothing changes
        if [t for t, _ in kept] == before:
            break
    out = [t for t, _ in kept]
    new_body = "\n".join(out)
    if ends_with_newline and out:
        new_body += "\n"
    if not front and not document.startswith(("---", "+++")) and split_front_matter(new_body)[0]:
        # What went first uncovered a "---" pair that every static site generator
        # (and the next clean) would read as front matter: a blank line keeps it text.
        new_body = "\n" + new_body
    new_document = front + new_body
    if crlf:
        new_document = new_document.replace("\n", "\r\n")
    result.markdown = new_document
    # (what one round flags the next flags again: once is enough)
    result.removed = sorted(dict.fromkeys(removed), key=lambda r: (r.line_start or 0, r.line_end or 0))
    once: dict[tuple, Removal] = {}
    for r in flagged:
        once.setdefault((r.rule, r.action, r.line_start), r)
    result.flagged = sorted(once.values(), key=lambda r: (r.line_start or 0, r.line_end or 0))
    result.needs_review = review
    result.changed = new_document != markdown
    return result


def _clean_html_block(html: str, pset: ProfileSet) -> tuple[str, list[Removal], bool] | None:
    """Clean one raw HTML block with the engine; ``None`` when nothing was decided."""
    from wpmigrate.clean.engine import clean_html

    r = clean_html(html, pset)
    decisions = [*r.removed, *r.flagged]
    if not decisions:
        return None
    if not r.removed or r.needs_review:
        return html, decisions, r.needs_review
    return r.html or "", decisions, False
