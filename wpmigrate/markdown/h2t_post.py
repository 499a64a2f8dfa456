"""Post-processing of html2text's output: what needs the whole paragraph or the whole text.

:func:`resolve` runs on every html2text result (links, emphasis);
:func:`finish` once per finished text (tables, lines, placeholders).
"""

from __future__ import annotations

import re
import string
import unicodedata

from .h2t_slots import (
    BLOCK_CLOSE,
    BLOCK_OPEN,
    BLOCK_TOKEN,
    EMPH_CLOSE,
    EMPH_CLOSE_END,
    EMPH_OPEN,
    EMPH_OPEN_END,
    INLINE_CLOSE,
    INLINE_OPEN,
    LINK_CLOSE,
    LINK_CLOSE_END,
    LINK_OPEN,
    LINK_OPEN_END,
    MAYBE_ESCAPE,
    MOVED_SPACE,
    NBSP,
    TABLE_END,
    TABLE_START,
    Slots,
)
from .h2t_escape import resolve_deferred
from .h2t_urls import autolink_ok, destination

_LINK = re.compile(
    LINK_OPEN + r"(\d+)" + LINK_OPEN_END + "(.*?)" + LINK_CLOSE + r"\1" + LINK_CLOSE_END, re.S
)
_ANY_LINK_MARK = re.compile("[" + LINK_OPEN + LINK_CLOSE + r"]\d+[" + LINK_OPEN_END + LINK_CLOSE_END + "]")
_EMPH = re.compile("([" + EMPH_OPEN + EMPH_CLOSE + "])([esd])[" + EMPH_OPEN_END + EMPH_CLOSE_END + "]")
_SPACE = " \t" + NBSP + MOVED_SPACE


def resolve(text: str, slots: Slots) -> str:
    text = resolve_links(text, slots)
    text = resolve_emphasis(text)
    # whitespace moved out of links and emphasis: nothing at a line's start or
    # end, one space between words
    text = re.sub(r"(?m)^([ >]*)" + MOVED_SPACE + "+", r"\1", text)
    text = re.sub(MOVED_SPACE + "+(?=[ " + MOVED_SPACE + "]*(?:\n|$))", "", text)
    text = re.sub("(?<=[ \n])" + MOVED_SPACE + "+|" + MOVED_SPACE + "+(?=[ \n])", "", text)
    return re.sub(MOVED_SPACE + "+", " ", text)


# --- links ------------------------------------------------------------------------------


def resolve_links(text: str, slots: Slots) -> str:
    def one(m: re.Match) -> str:
        link = slots.links[int(m.group(1))]
        inner = m.group(2)
        core = inner.strip(_SPACE + "\n")
        lead = inner[: len(inner) - len(inner.lstrip(_SPACE + "\n"))]
        trail = inner[len(inner.rstrip(_SPACE + "\n")) :]
        # a line break at the link's edge stays, outside the link
        lead = lead if "\n" in lead else (MOVED_SPACE if lead else "")
        trail = trail if "\n" in trail else (MOVED_SPACE if trail else "")
        core = re.sub(r"(?<!\\)(\\+)$", _even_backslashes, core)
        if not _visible(core):
            return (lead or trail) + core if core else (lead or trail)
        if link.only_text and " ".join(link.text.split()) == link.href and autolink_ok(link.href):
            return f"{lead}<{link.href}>{trail}"
        return f"{lead}[{core}]({destination(link.href, link.title)}){trail}"

    for _ in range(4):
        new = _LINK.sub(one, text)
        if new == text:
            break
        text = new
    return _ANY_LINK_MARK.sub("", text)


def _even_backslashes(m: re.Match) -> str:
    run = m.group(1)
    return run + "\\" if len(run) % 2 else run


def _visible(text: str) -> bool:
    return bool(_EMPH.sub("", text).strip(_SPACE + "\n"))


# --- emphasis ---------------------------------------------------------------------------

_MARKS = {"e": "*", "s": "**", "d": "~~"}
_TAGS = {"e": "em", "s": "strong", "d": "del"}


def _o(kind: str) -> str:
    return EMPH_OPEN + kind + EMPH_OPEN_END


def _c(kind: str) -> str:
    return EMPH_CLOSE + kind + EMPH_CLOSE_END


def resolve_emphasis(text: str) -> str:
    if EMPH_OPEN not in text and EMPH_CLOSE not in text:
        return text
    text = _balance(text)
    # tidy: empty pairs vanish, adjacent runs merge, whitespace moves outside
    for _ in range(50):
        new = text
        for kind in "esd":
            o, c = _o(kind), _c(kind)
            new = re.sub(re.escape(o) + "([" + _SPACE + "]*)" + re.escape(c), r"\1", new)
            new = new.replace(c + o, "")
            # a line break at the edge of emphasis goes outside it
            new = re.sub("(  \n[> ]*)" + re.escape(c), lambda m, c=c: c + m.group(1), new)
            new = re.sub(re.escape(o) + "(  \n[> ]*)", lambda m, o=o: m.group(1) + o, new)
            new = re.sub(
                re.escape(o) + "([" + _SPACE + "]+)(?![" + _SPACE + "\n])", lambda m, o=o: _moved(m.group(1)) + o, new
            )
            new = re.sub(
                "(?<!\n)(?<!\n>)([" + _SPACE + "]+)" + re.escape(c), lambda m, c=c: c + _moved(m.group(1)), new
            )
        if new == text:
            break
        text = new
    # a lone "*" between spaces was left unescaped; next to a delimiter it would count
    text = re.sub("(" + EMPH_OPEN + "[esd]" + EMPH_OPEN_END + ")([*_~])", r"\1\\\2", text)
    text = re.sub(r"(?<!\\)([*_~])(" + EMPH_CLOSE + "[esd]" + EMPH_CLOSE_END + ")", r"\\\1\2", text)
    # so was a backslash before a space that moved away
    text = re.sub(r"(\\+)(?=" + EMPH_CLOSE + ")", _even_backslashes, text)
    return _write_emphasis(text)


def _moved(space: str) -> str:
    """Spaces moved out of a delimiter (no-break spaces stay what they are)."""
    return re.sub("[ \t]+", MOVED_SPACE, space)


def _balance(text: str) -> str:
    """Drop delimiters without a partner (html2text may drop one of a pair in odd markup)."""
    stack: list[tuple[str, int]] = []
    keep: set[int] = set()
    for m in _EMPH.finditer(text):
        if m.group(1) == EMPH_OPEN:
            stack.append((m.group(2), m.start()))
        else:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == m.group(2):
                    # <b> inside <strong> adds nothing: only the outer pair is written
                    if not any(kind == m.group(2) for kind, _start in stack[:i]):
                        keep.add(stack[i][1])
                        keep.add(m.start())
                    del stack[i:]
                    break
    return _EMPH.sub(lambda m: m.group(0) if m.start() in keep else "", text)


# token characters that stand for punctuation once written (a code span's
# backtick, a raw tag's "<", another delimiter, a link's bracket)
_PUNCT_TOKENS = frozenset(
    [INLINE_OPEN, INLINE_CLOSE, EMPH_OPEN, EMPH_OPEN_END, EMPH_CLOSE, EMPH_CLOSE_END, MAYBE_ESCAPE]
)


def _is_space(c: str) -> bool:
    return c == "" or c == NBSP or c == MOVED_SPACE or c.isspace()


def _is_punct(c: str) -> bool:
    if not c:
        return False
    if c in string.punctuation or c in _PUNCT_TOKENS:
        return True
    return unicodedata.category(c)[0] in "PS"


def _left_flanking(before: str, after: str) -> bool:
    return not _is_space(after) and (not _is_punct(after) or _is_space(before) or _is_punct(before))


def _right_flanking(before: str, after: str) -> bool:
    return not _is_space(before) and (not _is_punct(before) or _is_space(after) or _is_punct(after))


def _write_emphasis(text: str) -> str:
    marks = list(_EMPH.finditer(text))
    if not marks:
        return text
    # pair them up again (tidying kept them balanced)
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, m in enumerate(marks):
        if m.group(1) == EMPH_OPEN:
            stack.append(i)
        elif stack:
            pairs[stack.pop()] = i

    def before(i: int) -> str:
        start = marks[i].start()
        return text[start - 1] if start else ""

    def after(i: int) -> str:
        end = marks[i].end()
        return text[end] if end < len(text) else ""

    written: dict[int, str] = {}
    for o, c in pairs.items():
        kind = marks[o].group(2)
        ok = _left_flanking(before(o), after(o)) and _right_flanking(before(c), after(c))
        if ok:
            written[o] = written[c] = _MARKS[kind]
        else:
            written[o] = "<" + _TAGS[kind] + ">"
            written[c] = "</" + _TAGS[kind] + ">"
    out = []
    last = 0
    for i, m in enumerate(marks):
        out.append(text[last : m.start()])
        out.append(written.get(i, ""))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


# --- tables -----------------------------------------------------------------------------

_CELL_SPLIT = re.compile(r"(?<!\\)\|")


_TABLE_MARK_LINE = re.compile(
    r"^(?P<prefix>[ >]*(?:(?:[-*+]|[0-9]{1,9}[.)])[ ]+)?)(?:"
    + TABLE_START + r"(?P<n>\d+)" + TABLE_START + "|(?P<end>" + TABLE_END + r"))[ ]*$"
)


def lay_out_tables(text: str, slots: Slots) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _TABLE_MARK_LINE.match(lines[i])
        if m and m.group("n") is not None:
            prefix = m.group("prefix")
            rest = re.sub(r"[-*+]|[0-9]{1,9}[.)]", lambda x: " " * len(x.group(0)), prefix)
            j = i + 1
            rows = []
            while j < len(lines):
                end = _TABLE_MARK_LINE.match(lines[j])
                if end and end.group("end"):
                    break
                rows.append(lines[j])
                j += 1
            table = _pipe_table(rows, rest, slots.table_delimiters[int(m.group("n"))])
            if table:
                # html2text put blank lines around the markers already
                out.append(prefix + table[0])
                out.extend(rest + row for row in table[1:])
            i = j + 1
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _pipe_table(lines: list[str], prefix: str, delimiters: list[str]) -> list[str]:
    rows: list[list[str]] = []
    for line in lines:
        if prefix and line.startswith(prefix.rstrip()):
            line = line[len(prefix.rstrip()) :]
        line = line.strip()
        if not line:
            continue
        cells = [c.strip(" " + NBSP) for c in _CELL_SPLIT.split(line)]
        if all(re.fullmatch(r"-{3,}", c) for c in cells):
            continue  # html2text's header underline
        rows.append(cells)
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    delimiters = (delimiters + ["---"] * width)[:width]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(delimiters) + "|"]
    out.extend("| " + " | ".join(r) + " |" for r in rows[1:])
    return out


# --- lines and placeholders -------------------------------------------------------------

# an ATX heading, also inside a quote or a list item
# (">" and " " as separate alternatives: ">[ ]?" beside "[ ]" split "> > >" in
# exponentially many ways)
_HEADING = re.compile(r"^(?P<prefix>(?:>|[ ]|[-*+][ ]|[0-9]{1,9}[.)][ ])*+)(?P<hashes>#{1,6})(?:[ ]+(?P<body>.*))?$")
_QUOTE_MARKS = re.compile(r"^((?:>[ ]?)+)")
_BLOCK_LINE = re.compile(
    r"^(?P<prefix>[ >]*(?:(?:[-*+]|[0-9]{1,9}[.)])[ ]+)?)" + BLOCK_OPEN + r"(?P<n>\d+)" + BLOCK_CLOSE + r"[ ]*$"
)
_QUOTE_ONLY = re.compile(r"^[ >]*$")


def _quote_markers(line: str, limit: int | None = None) -> str:
    """html2text writes nested quotes as ">> ": one "> " per level.

    ``limit``: in a pipe table's rows only that many markers are the quote's
    (a ">" after them is the first cell's text)."""
    q = _QUOTE_MARKS.match(line)
    if not q:
        return line
    depth, end = 0, 0
    for m in re.finditer(r">[ ]?", q.group(1)):
        if limit is not None and depth == limit:
            break
        depth += 1
        end = m.end()
    return "> " * depth + line[end:]


def _normalise_quotes(text: str) -> str:
    out: list[str] = []
    table_depth: int | None = None  # quote depth of the pipe table being read
    for line in text.split("\n"):
        mark = _TABLE_MARK_LINE.match(line)
        if mark and mark.group("n") is not None:
            table_depth = mark.group("prefix").count(">")
            out.append(_quote_markers(line))
        elif mark and mark.group("end"):
            table_depth = None
            out.append(_quote_markers(line))
        else:
            out.append(_quote_markers(line, table_depth))
    return "\n".join(out)


def finish(text: str, slots: Slots) -> str:
    text = _normalise_quotes(text)
    text = lay_out_tables(text, slots)
    lines = text.split("\n")
    cleaned: list[str] = []
    for line in lines:
        content = line.rstrip(_SPACE)
        hard_break = line.endswith("  ") and content.strip(" >") != ""
        # a line of nothing but spaces, no-break spaces or quote markers
        if content.replace(NBSP, "").strip(" >") == "":
            cleaned.append(content.replace(NBSP, "").rstrip() if content.strip(" " + NBSP) else "")
            continue
        m = _HEADING.match(content)
        if m:
            prefix = m.group("prefix")
            body = (m.group("body") or "").strip(" " + NBSP)
            if not body.strip(_SPACE):
                # an empty heading shows nothing (a list item around it stays)
                if re.search(r"[-*+] |[0-9][.)] ", prefix):
                    cleaned.append(prefix.rstrip())
                continue
            # a trailing "#" would be read as the closing sequence
            if body.endswith("#") and not body.endswith("\\#"):
                body = body[:-1] + "\\#"
            content = prefix + m.group("hashes") + " " + body
        cleaned.append(content + ("  " if hard_break else ""))
    # a hard break at the end of a block means nothing: drop it
    for i, line in enumerate(cleaned):
        if line.endswith("  "):
            nxt = cleaned[i + 1] if i + 1 < len(cleaned) else ""
            if _QUOTE_ONLY.match(nxt) or nxt.startswith(BLOCK_OPEN):
                cleaned[i] = line.rstrip(" ")
    text = "\n".join(cleaned)
    text = re.sub(r"\n(?:[ ]*\n){2,}", "\n\n", text)
    # quote-only lines: one between paragraphs, none at a quote's edges
    text = re.sub(r"(?m)^((?:> ?)+)\n(?:\1\n)+", r"\1\n", text)
    text = re.sub(r"(?m)^(?:>[ >]*)\n(?=\n|\Z)", "", text)
    text = re.sub(r"(?m)(\A|\n\n)(?:>[ >]*)\n", r"\1", text)
    text = restore_blocks(text, slots)
    text = slots.restore_inline(text)
    text = re.sub(r"(?<!\\)<br>[ ]+\n", "<br>\n", text)
    text = resolve_deferred(text).replace(MAYBE_ESCAPE, "")
    text = text.strip("\n")
    return text + "\n" if text.strip() else ""


def restore_blocks(text: str, slots: Slots) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        m = _BLOCK_LINE.match(line)
        if m:
            prefix = m.group("prefix")
            rest = re.sub(r"[-*+]|[0-9]{1,9}[.)]", lambda x: " " * len(x.group(0)), prefix)
            value = slots.block_values[int(m.group("n"))]
            for k, vline in enumerate(value.split("\n")):
                if k == 0:
                    out.append(prefix + vline)
                else:
                    out.append((rest + vline) if vline else rest.rstrip())
            continue
        if BLOCK_TOKEN.search(line):
            line = BLOCK_TOKEN.sub(lambda x: slots.block_values[int(x.group(1))], line)
        out.append(line)
    return "\n".join(out)
