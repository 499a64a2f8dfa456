"""Inline Markdown: escaping text, and turning a run of inline pieces into lines of Markdown.

The converter builds the inline content of a block as a string in which
formatting is still symbolic: private-use characters stand for "emphasis
opens", "hard line break", "a finished piece of Markdown (code span, image,
link destination, inline HTML) stored aside". :func:`finish_inline` resolves
them once the whole run is known, because only then can it tell

* whether whitespace sits just inside an emphasis or link (CommonMark would not
  see ``* foo*`` as emphasis, so the space moves outside),
* whether ``*``/``**``/``~~`` will be read as emphasis at all (the flanking
  rules of CommonMark §6.2: ``**"quoted"**word`` is not bold; such runs fall
  back to ``<strong>`` HTML),
* which text lands at the start of a line, where ``#``, ``-``, ``+``, ``>``,
  ``1.`` and ``===`` would be misread as block syntax and must be escaped.

Escaping elsewhere is kept to what Markdown would otherwise misread (no
backslash noise before every ``.`` or ``-``).
"""

from __future__ import annotations

import re
import unicodedata

# --- symbolic tokens -----------------------------------------------------------

BR = "\ue001"  # hard line break (<br>)
PARA = "\ue004"  # paragraph break (two or more <br> in a row)
PH_OPEN = "\ue002"  # a stored piece: PH_OPEN + index + PH_CLOSE
PH_CLOSE = "\ue003"
EM_OPEN, EM_CLOSE = "\ue010", "\ue011"
STRONG_OPEN, STRONG_CLOSE = "\ue012", "\ue013"
DEL_OPEN, DEL_CLOSE = "\ue014", "\ue015"
LINK_OPEN, LINK_CLOSE = "\ue016", "\ue017"  # LINK_CLOSE is always followed by a stored destination

TOKEN_CHARS = BR + PARA + PH_OPEN + PH_CLOSE + EM_OPEN + EM_CLOSE + STRONG_OPEN + STRONG_CLOSE
TOKEN_CHARS += DEL_OPEN + DEL_CLOSE + LINK_OPEN + LINK_CLOSE
_TOKEN_RE = re.compile(f"[{TOKEN_CHARS}]")

_EMPHASIS = {
    EM_OPEN: (EM_CLOSE, "*", "<em>", "</em>"),
    STRONG_OPEN: (STRONG_CLOSE, "**", "<strong>", "</strong>"),
    DEL_OPEN: (DEL_CLOSE, "~~", "<del>", "</del>"),
}
_OPENERS = EM_OPEN + STRONG_OPEN + DEL_OPEN + LINK_OPEN
_CLOSE_UNIT = f"(?:[{EM_CLOSE}{STRONG_CLOSE}{DEL_CLOSE}]|{LINK_CLOSE}{PH_OPEN}\\d+{PH_CLOSE})"

_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY_LIKE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HTML_WS = re.compile(r"[ \t\n\r\f\v]+")


def collapse_ws(text: str) -> str:
    """Collapse HTML whitespace as a browser does (no-break spaces stay)."""
    return _HTML_WS.sub(" ", text)


def escape_text(text: str, *, in_link: bool = False) -> str:
    """Backslash-escape what Markdown would misread inside a line of text.

    Line-start syntax (``#``, ``-``, ``1.`` …) is handled later by
    :func:`escape_line_start`, once it is known where lines begin.
    """
    out: list[str] = []
    n = len(text)
    # whitespace at the edges of a text node may end up elsewhere (it moves
    # out of emphasis), so only a "*" between words of this node is safe bare
    first = len(text) - len(text.lstrip())
    last = len(text.rstrip()) - 1
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if ch == "\\":
            # only before punctuation (C:\Windows stays as it is), or at the end
            # of the text, where what follows is not known yet (spaces may move)
            escape = not nxt or nxt in _ASCII_PUNCT or i >= last
            out.append("\\\\" if escape else "\\")
        elif ch == "`":
            out.append("\\`")
        elif ch == "*":
            # "5 * 3" cannot open or close emphasis; anything else might
            safe = prev.isspace() and nxt.isspace() and first < i < last
            out.append("*" if safe else "\\*")
        elif ch == "_":
            # intraword underscores never make emphasis (snake_case stays clean)
            out.append("_" if (prev.isalnum() and nxt.isalnum()) else "\\_")
        elif ch == "[":
            out.append("\\[" if (in_link or nxt == "^") else "[")
        elif ch == "]":
            out.append("\\]" if (in_link or nxt in ("(", "[")) else "]")
        elif ch == "<":
            out.append("\\<" if (nxt.isalpha() or nxt in ("/", "!", "?")) else "<")
        elif ch == "&":
            out.append("\\&" if _ENTITY_LIKE.match(text, i) else "&")
        elif ch == "~":
            out.append("\\~" if (prev == "~" or nxt == "~") else "~")
        else:
            out.append(ch)
    return "".join(out)


_THEMATIC_OR_SETEXT = re.compile(r"(?:-[ \t]*)+|=+[ \t]*|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,}")
# "--- | ---" under a line with pipes would turn the paragraph into a GFM table
_TABLE_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*|[ \t]*\|[ \t]*:?-+:?[ \t]*\|?[ \t]*")
_LINE_START_RULES = (
    (re.compile(r"^(#{1,6})(?=[ \t]|$)"), r"\\\1"),
    (re.compile(r"^>"), r"\\>"),
    (re.compile(r"^([-+*])(?=[ \t]|$)"), r"\\\1"),
    (re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)"), r"\1\\\2"),
    (re.compile(r"^\[([^\]]*)\]:"), r"\\[\1]:"),  # would be a link reference definition
    (re.compile(r"^(~~~|```)"), r"\\\1"),
)


def escape_line_start(line: str) -> str:
    """Escape block syntax at the start of a line of paragraph text."""
    if _THEMATIC_OR_SETEXT.fullmatch(line) or _TABLE_DELIMITER.fullmatch(line):
        return "\\" + line
    for pattern, repl in _LINE_START_RULES:
        new = pattern.sub(repl, line, count=1)
        if new != line:
            return new
    return line


def _is_punct(ch: str) -> bool:
    if ch in _ASCII_PUNCT:
        return True
    return unicodedata.category(ch)[0] in ("P", "S")


def _classify(ch: str) -> str:
    """'w' whitespace, 'p' punctuation, 'a' other; tokens count as punctuation."""
    if ch == "" or ch in (BR, PARA) or ch.isspace():
        return "w"
    if ch in TOKEN_CHARS:
        return "p"  # markers, stored pieces (code spans, images, HTML) start/end with punctuation
    return "p" if _is_punct(ch) else "a"


def _left_flanking(prev: str, nxt: str) -> bool:
    p, n = _classify(prev), _classify(nxt)
    return n != "w" and (n != "p" or p in ("w", "p"))


def _right_flanking(prev: str, nxt: str) -> bool:
    p, n = _classify(prev), _classify(nxt)
    return p != "w" and (p != "p" or n in ("w", "p"))


def _resolve_emphasis(s: str) -> str:
    """Replace emphasis tokens by ``*``/``**``/``~~``, or by HTML where CommonMark would not see them."""
    chars = list(s)
    stack: list[int] = []
    replacement: dict[int, str] = {}
    for i, ch in enumerate(chars):
        if ch in _EMPHASIS:
            stack.append(i)
        elif ch in (EM_CLOSE, STRONG_CLOSE, DEL_CLOSE):
            if not stack:
                replacement[i] = ""
                continue
            j = stack.pop()
            _close, md, html_open, html_close = _EMPHASIS[chars[j]]
            before_open = chars[j - 1] if j > 0 else ""
            after_open = chars[j + 1] if j + 1 < len(chars) else ""
            before_close = chars[i - 1] if i > 0 else ""
            after_close = chars[i + 1] if i + 1 < len(chars) else ""
            if _left_flanking(before_open, after_open) and _right_flanking(before_close, after_close):
                replacement[j], replacement[i] = md, md
            else:
                replacement[j], replacement[i] = html_open, html_close
    for j in stack:
        replacement[j] = ""
    return "".join(replacement.get(i, ch) for i, ch in enumerate(chars))


def _paragraph_breaks(s: str) -> str:
    """Two or more <br> in a row become a paragraph break; emphasis is closed before it and reopened after.

    Inside a link (whose destination comes only at its end) the run stays one hard break.
    """
    out: list[str] = []
    stack: list[str] = []
    link_depth = 0
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == BR:
            j = i
            while j < len(s) and s[j] == BR:
                j += 1
            if j - i >= 2 and not link_depth:
                closers = "".join(_EMPHASIS[o][0] for o in reversed(stack))
                out.append(closers + PARA + "".join(stack))
            else:
                out.append(BR)
            i = j
            continue
        if ch in _EMPHASIS:
            stack.append(ch)
        elif ch in (EM_CLOSE, STRONG_CLOSE, DEL_CLOSE) and stack:
            stack.pop()
        elif ch == LINK_OPEN:
            link_depth += 1
        elif ch == LINK_CLOSE:
            link_depth = max(0, link_depth - 1)
        out.append(ch)
        i += 1
    return "".join(out)


def _fixpoint(s: str, steps: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    while True:
        old = s
        for pattern, repl in steps:
            s = pattern.sub(repl, s)
        if s == old:
            return s


_MOVE_WS = (
    # whitespace and line breaks just inside emphasis or a link move outside it
    (re.compile(f"([{_OPENERS}])([ {BR}{PARA}]+)"), r"\2\1"),
    (re.compile(f"([ {BR}{PARA}]+)({_CLOSE_UNIT})"), r"\2\1"),
    # empty emphasis and empty links vanish (a browser shows nothing for them)
    (re.compile(f"{EM_OPEN}{EM_CLOSE}|{STRONG_OPEN}{STRONG_CLOSE}|{DEL_OPEN}{DEL_CLOSE}"), ""),
    (re.compile(f"{LINK_OPEN}{LINK_CLOSE}{PH_OPEN}\\d+{PH_CLOSE}"), ""),
    # <em>a</em><em>b</em> is one emphasis, not "*a**b*"
    (re.compile(f"{EM_CLOSE}{EM_OPEN}|{STRONG_CLOSE}{STRONG_OPEN}|{DEL_CLOSE}{DEL_OPEN}"), ""),
    (re.compile(r"  +"), " "),
)
_SPACE_AROUND_BR = re.compile(f" *([{BR}{PARA}]) *")
_BR_RUN = re.compile(f"{BR}+")
_PLACEHOLDER = re.compile(f"{PH_OPEN}(\\d+){PH_CLOSE}")


def finish_inline(s: str, pieces: list[str], *, br: str = "hard") -> str:
    """Turn a symbolic inline run into Markdown text (possibly several lines).

    ``br`` says what a ``<br>`` becomes: ``"hard"`` (two trailing spaces and a
    newline: the one hard-break form every static site generator's Markdown
    reads, kramdown included; two or more in a row: a paragraph break),
    ``"html"`` (``<br>``, inside table cells and headings) or
    ``"space"`` (headings, which are one line).
    """
    s = collapse_ws(s)
    s = _fixpoint(s, _MOVE_WS)
    s = _SPACE_AROUND_BR.sub(r"\1", s)
    if br == "hard":
        s = _fixpoint(_paragraph_breaks(s), _MOVE_WS)
        s = _SPACE_AROUND_BR.sub(r"\1", s)
        s = re.sub(f"[{BR}{PARA}]*{PARA}[{BR}{PARA}]*", PARA, s)
    s = s.strip(" " + BR + PARA)
    s = _resolve_emphasis(s)
    s = s.replace(LINK_OPEN, "[").replace(LINK_CLOSE, "]")

    def breaks(m: re.Match[str]) -> str:
        count = len(m.group(0))
        if br == "space":
            return " "
        if br == "html":
            return "<br>" * count
        return "  \n" * count  # only runs inside a link are left, kept as one break each

    s = _BR_RUN.sub(breaks, s)
    # Two or more <br> in a row leave an empty line: a paragraph break, as
    # wpautop() itself reads "<br />\s*<br />" in classic posts. Kept as raw
    # <br> they would look odd and vanish where raw HTML is off (Hugo).
    s = s.replace(PARA, "\n\n")
    if br == "space":
        s = collapse_ws(s).strip()
    if br != "html":  # a table cell is never at the start of a Markdown line
        s = "\n".join(escape_line_start(line) for line in s.split("\n"))
    # a no-break space at the very end of a paragraph shows nothing
    return restore(s, pieces).rstrip()


def restore(s: str, pieces: list[str]) -> str:
    """Put stored pieces back (a piece may itself hold placeholders, e.g. a link around an image)."""
    while True:
        new = _PLACEHOLDER.sub(lambda m: pieces[int(m.group(1))], s)
        if new == s:
            return s
        s = new


def strip_tokens(s: str) -> str:
    return _TOKEN_RE.sub("", s)
