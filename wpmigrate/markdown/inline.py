"""Inline runs: the symbolic form of a paragraph's content, and turning it into lines of Markdown.

The writer builds the inline content of a block as a string in which
formatting is still symbolic: private-use characters stand for "emphasis
opens", "hard line break", "a finished piece of Markdown (code span, image,
link destination, inline HTML) stored aside". :func:`finish_inline` resolves
them once per paragraph, when the whole run is known, because only then can
it tell

* whether whitespace sits just inside an emphasis or link (CommonMark would not
  see ``* foo*`` as emphasis, so the space moves outside),
* whether ``*``/``**``/``~~`` will be read as emphasis at all (the flanking
  rules of CommonMark §6.2: ``**"quoted"**word`` is not bold; such runs fall
  back to ``<strong>`` HTML),
* which text lands at the start of a line, where ``#``, ``-``, ``+``, ``>``,
  ``1.`` and ``===`` would be misread as block syntax and must be escaped.

(Text is escaped node by node as it is read: :mod:`.escape`.) Most runs
hold no token; each step first looks whether it has anything to do, with
``in`` tests and ``find``, which run at C speed over a long paragraph, so
plain prose costs a few scans and a paragraph with a link a few more.
"""

from __future__ import annotations

import re
import unicodedata

from .escape import ASCII_PUNCT, DEFER, escape_line_start, resolve_deferred

# --- symbolic tokens -----------------------------------------------------------

BR = "\ue001"  # hard line break (<br>)
PARA = "\ue004"  # paragraph break (two or more <br> in a row)
PH_OPEN = "\ue002"  # a stored piece: PH_OPEN + index + PH_CLOSE
PH_CLOSE = "\ue003"
EM_OPEN, EM_CLOSE = "\ue010", "\ue011"
STRONG_OPEN, STRONG_CLOSE = "\ue012", "\ue013"
DEL_OPEN, DEL_CLOSE = "\ue014", "\ue015"
LINK_OPEN, LINK_CLOSE = "\ue016", "\ue017"  # LINK_CLOSE is always followed by a stored destination
# before a delimiter pair whose content starts or ends with space or a break, or
# is empty: the run needs tidying (spaces moved out, empty pairs dropped)
TIDY = "\ue01a"

TOKEN_CHARS = BR + PARA + PH_OPEN + PH_CLOSE + EM_OPEN + EM_CLOSE + STRONG_OPEN + STRONG_CLOSE
TOKEN_CHARS += DEL_OPEN + DEL_CLOSE + LINK_OPEN + LINK_CLOSE + DEFER + TIDY

#: What the input may not carry into the Markdown: the private-use area (the
#: writer's tokens live there; icon fonts' glyphs show nothing without their
#: font), C0/C1 controls other than tab and newlines, lone surrogates.
UNSAFE = re.compile("[\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

_EMPHASIS = {
    EM_OPEN: (EM_CLOSE, "*", "<em>", "</em>"),
    STRONG_OPEN: (STRONG_CLOSE, "**", "<strong>", "</strong>"),
    DEL_OPEN: (DEL_CLOSE, "~~", "<del>", "</del>"),
}
_CLOSERS = EM_CLOSE + STRONG_CLOSE + DEL_CLOSE
_OPENERS = EM_OPEN + STRONG_OPEN + DEL_OPEN + LINK_OPEN
_CLOSE_UNIT = f"(?:[{_CLOSERS}]|{LINK_CLOSE}{PH_OPEN}\\d+{PH_CLOSE})"

# (the Unicode line and paragraph separators too: text that means a line break
# in a plain-text file, nothing in HTML)
_HTML_WS = re.compile("[ \t\n\r\f\v\u2028\u2029]+")


_EDGE_CHARS = frozenset(" \t\n\r\f\v\u00a0\u2028\u2029" + BR + PARA)


_BACKTICKS = re.compile(r"`+")


def code_span(text: str) -> str:
    """``text`` as a code span: enough backticks, padded where CommonMark would strip or merge."""
    text = text.replace("\n", " ")
    if not text:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()):
        text = " " + text + " "
    return ticks + text + ticks


class CodeSpan(str):
    """A stored code span that knows the code it shows.

    Two code spans side by side (``<code>foo</code><code>bar</code>``, or with
    only an empty element between) would touch backtick to backtick, and
    CommonMark reads a run of backticks as one: `` `foo``bar` `` is a single
    span showing ``foo``bar``. A browser shows the two as one run of monospace
    text, so :func:`finish_inline` writes them as one span (``merge_code_spans``).
    """

    code: str
    in_cell: bool

    @classmethod
    def of(cls, code: str, in_cell: bool = False) -> CodeSpan:
        span = code_span(code)
        # GFM reads "|" as a cell edge even inside a code span
        span = cls(span.replace("|", "\\|") if in_cell else span)
        span.code, span.in_cell = code, in_cell
        return span


_ADJACENT_PIECES = re.compile(f"{PH_OPEN}\\d+{PH_CLOSE}(?:{PH_OPEN}\\d+{PH_CLOSE})+")


def merge_code_spans(s: str, pieces: list[str]) -> str:
    """Code spans whose placeholders stand side by side, stored again as one span."""
    if PH_CLOSE + PH_OPEN not in s:
        return s

    def one(m: re.Match) -> str:
        out: list[str] = []
        group: list[int] = []  # the numbers of the code spans in a row

        def close_group() -> None:
            if len(group) > 1:
                spans = [pieces[n] for n in group]
                pieces.append(CodeSpan.of("".join(span.code for span in spans), spans[0].in_cell))
                group[:] = [len(pieces) - 1]
            out.extend(f"{PH_OPEN}{n}{PH_CLOSE}" for n in group)
            group.clear()

        for number in m.group(0)[1:-1].split(PH_CLOSE + PH_OPEN):
            n = int(number)
            if isinstance(pieces[n], CodeSpan):
                group.append(n)
            else:
                close_group()
                out.append(f"{PH_OPEN}{n}{PH_CLOSE}")
        close_group()
        return "".join(out)

    return _ADJACENT_PIECES.sub(one, s)


def delimited(open_token: str, inner: str, close_token: str) -> str:
    """``inner`` between two delimiter tokens, marked for tidying when it is empty or has
    space or a break at an edge (CommonMark reads neither ``* a*`` nor ``[ a](u)`` as meant)."""
    if not inner or inner[0] in _EDGE_CHARS or inner[-1] in _EDGE_CHARS:
        return TIDY + open_token + inner + close_token
    return open_token + inner + close_token


def fold_ws(s: str) -> str:
    """White space folded to single spaces, as a browser shows it (no-break spaces stay).

    Plain ``in`` tests and ``replace`` first: they run at C speed over a long
    paragraph, where a pattern would be tried at every space.
    """
    if "\n" in s:
        s = s.replace("\n", " ")
    if "\t" in s:
        s = s.replace("\t", " ")
    if "\r" in s or "\f" in s or "\v" in s or "\u2028" in s or "\u2029" in s:
        s = _HTML_WS.sub(" ", s)
    while "  " in s:
        s = s.replace("  ", " ")
    return s


def has_tokens(s: str) -> bool:
    """Does ``s`` hold any of the writer's tokens?"""
    for token in TOKEN_CHARS:
        if token in s:
            return True
    return False


def collapse_ws(text: str) -> str:
    """Collapse HTML whitespace as a browser does (no-break spaces stay)."""
    return _HTML_WS.sub(" ", text)


def _is_punct(ch: str) -> bool:
    if ch in ASCII_PUNCT:
        return True
    return unicodedata.category(ch)[0] in ("P", "S")


_CLASSES: dict[str, str] = {"": "w", BR: "w", PARA: "w"}


def _classify(ch: str) -> str:
    """'w' whitespace, 'p' punctuation, 'a' other; tokens count as punctuation."""
    found = _CLASSES.get(ch)
    if found is None:
        if ch.isspace():
            found = "w"
        elif ch in TOKEN_CHARS:
            found = "p"  # markers, stored pieces (code spans, images, HTML) start/end with punctuation
        else:
            found = "p" if _is_punct(ch) else "a"
        if len(_CLASSES) < 4096:  # (a page cannot grow it without bound)
            _CLASSES[ch] = found
    return found


def _left_flanking(prev: str, nxt: str) -> bool:
    p, n = _classify(prev), _classify(nxt)
    return n != "w" and (n != "p" or p in ("w", "p"))


def _right_flanking(prev: str, nxt: str) -> bool:
    p, n = _classify(prev), _classify(nxt)
    return p != "w" and (p != "p" or n in ("w", "p"))


_EMPHASIS_CHARS = EM_OPEN + STRONG_OPEN + DEL_OPEN + _CLOSERS


def _token_positions(s: str, tokens: str) -> list[int]:
    """Where the given token characters stand in ``s``, in order (a few ``find`` calls:
    a paragraph holds a handful of tokens in hundreds of characters)."""
    found: list[int] = []
    for token in tokens:
        i = s.find(token)
        while i >= 0:
            found.append(i)
            i = s.find(token, i + 1)
    found.sort()
    return found


def _resolve_emphasis(s: str) -> str:
    """Replace emphasis tokens by ``*``/``**``/``~~``, or by HTML where CommonMark would not see them."""
    positions = _token_positions(s, _EMPHASIS_CHARS)
    if not positions:
        return s
    stack: list[int] = []
    replacement: dict[int, str] = {}
    n = len(s)
    for i in positions:
        ch = s[i]
        if ch in _EMPHASIS:
            stack.append(i)
            continue
        if not stack:
            replacement[i] = ""
            continue
        j = stack.pop()
        _close, md, html_open, html_close = _EMPHASIS[s[j]]
        before_open = s[j - 1] if j > 0 else ""
        after_open = s[j + 1] if j + 1 < n else ""
        before_close = s[i - 1] if i > 0 else ""
        after_close = s[i + 1] if i + 1 < n else ""
        if _left_flanking(before_open, after_open) and _right_flanking(before_close, after_close):
            replacement[j], replacement[i] = md, md
        else:
            replacement[j], replacement[i] = html_open, html_close
    for j in stack:
        replacement[j] = ""
    out = []
    last = 0
    for i in positions:
        out.append(s[last:i])
        out.append(replacement[i])
        last = i + 1
    out.append(s[last:])
    return "".join(out)


_BR_OR_EMPHASIS = re.compile(f"{BR}{{2,}}|{BR}|[{EM_OPEN}{STRONG_OPEN}{DEL_OPEN}{_CLOSERS}{LINK_OPEN}{LINK_CLOSE}]")


def _paragraph_breaks(s: str) -> str:
    """Two or more <br> in a row become a paragraph break; emphasis is closed before it and reopened after.

    Inside a link (whose destination comes only at its end) the run stays one hard break.
    """
    stack: list[str] = []
    link_depth = 0

    def one(m: re.Match) -> str:
        nonlocal link_depth
        tok = m.group(0)
        ch = tok[0]
        if ch == BR:
            if len(tok) >= 2 and not link_depth:
                closers = "".join(_EMPHASIS[o][0] for o in reversed(stack))
                return closers + PARA + "".join(stack)
            return BR
        if ch in _EMPHASIS:
            stack.append(ch)
        elif ch in _CLOSERS:
            if stack:
                stack.pop()
        elif ch == LINK_OPEN:
            link_depth += 1
        else:
            link_depth = max(0, link_depth - 1)
        return tok

    return _BR_OR_EMPHASIS.sub(one, s)


def _fixpoint(s: str, steps: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    while True:
        old = s
        for pattern, repl in steps:
            s = pattern.sub(repl, s)
        if s == old:
            return s


# (a run is matched from its start only: a search trying every position of a
# long run of spaces would take quadratic time)
_EDGE_SPACE = f"(?<![ \u00a0{BR}{PARA}])[ \u00a0{BR}{PARA}]+"


def _link_edge(space: str) -> str:
    # a line break at a link's edge stays what it is, outside the link; other
    # space there (no-break spaces too) is one space between words
    return space if (BR in space or PARA in space) else " "


def _move_open(m: re.Match) -> str:
    space = m.group(2)
    return (_link_edge(space) if m.group(1) == LINK_OPEN else space) + m.group(1)


def _move_close(m: re.Match) -> str:
    close, space = m.group(2), m.group(1)
    return close + (_link_edge(space) if close[0] == LINK_CLOSE else space)


_MOVE_WS = (
    # whitespace and line breaks just inside emphasis or a link move outside it
    (re.compile(f"([{_OPENERS}])({_EDGE_SPACE})"), _move_open),
    (re.compile(f"({_EDGE_SPACE})({_CLOSE_UNIT})"), _move_close),
    # empty emphasis and empty links vanish (a browser shows nothing for them)
    (re.compile(f"{EM_OPEN}{EM_CLOSE}|{STRONG_OPEN}{STRONG_CLOSE}|{DEL_OPEN}{DEL_CLOSE}"), ""),
    (re.compile(f"{LINK_OPEN}{LINK_CLOSE}{PH_OPEN}\\d+{PH_CLOSE}"), ""),
    # <em>a</em><em>b</em> is one emphasis, not "*a**b*"
    (re.compile(f"{EM_CLOSE}{EM_OPEN}|{STRONG_CLOSE}{STRONG_OPEN}|{DEL_CLOSE}{DEL_OPEN}"), ""),
    (re.compile(r"  +"), " "),
)


def _drop_space_around(s: str, token: str) -> str:
    """No space next to a line break (white space is folded: one space at most)."""
    return s.replace(" " + token, token).replace(token + " ", token)


_PARA_RUN = re.compile(f"(?<![{BR}{PARA}])[{BR}{PARA}]*{PARA}[{BR}{PARA}\\s]*")
_BR_NBSP_BR = re.compile(f"{BR}\\s+(?={BR})")
_EDGES = " " + BR + PARA


#: Characters that show nothing and take no room (zero-width space, non-joiner,
#: joiner, word joiner, the byte order mark a pasted text may start with).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_LEAD_EDGE = frozenset(_OPENERS + TIDY + " " + ZERO_WIDTH)
_TRAIL_EDGE = frozenset(_CLOSERS + " " + ZERO_WIDTH)


def _trim_zero_width(s: str) -> str:
    """Zero-width characters at the edges of a run go, inside emphasis and links too
    (a heading's slug, made by the static site generator, would keep them).

    One scan from each end over what may stand at an edge: spaces, opening or
    closing tokens, a link's stored destination.
    """
    n = len(s)
    i = 0
    while i < n and s[i] in _LEAD_EDGE:
        i += 1
    head = "".join(c for c in s[:i] if c not in ZERO_WIDTH)
    j = n
    while j > i:
        c = s[j - 1]
        if c in _TRAIL_EDGE:
            j -= 1
            continue
        if c == PH_CLOSE:
            k = s.rfind(PH_OPEN, i, j - 1)
            if k > i and s[k - 1] == LINK_CLOSE and s[k + 1 : j - 1].isdigit():
                j = k - 1
                continue
        break
    tail = s[j:]
    for ch in ZERO_WIDTH:
        if ch in tail:
            tail = tail.replace(ch, "")
    return (head + s[i:j] + tail).strip(" ")


def finish_inline(
    s: str, pieces: list[str], *, br: str = "hard", plain: bool = False, emphasis: bool = True, trim: bool = False
) -> str:
    """Turn a symbolic inline run into Markdown text (possibly several lines).

    ``br`` says what a ``<br>`` becomes: ``"hard"`` (two trailing spaces and a
    newline: the one hard-break form every static site generator's Markdown
    reads, kramdown included; two or more in a row: a paragraph break) or
    ``"html"`` (``<br>``: a pipe table row and an ATX heading are one line).
    ``plain`` says the writer knows the run holds no token (text only), and
    ``emphasis=False`` that it holds no emphasis: both only save work.
    ``trim``: zero-width characters at the run's edges go (a heading).
    """
    s = fold_ws(s)
    if trim:
        trimmed = _trim_zero_width(s)
        if trimmed != s.strip(" ") and not plain and has_tokens(trimmed):
            # emphasis or a link the trimmed characters were in may now be empty or edged with space
            trimmed = TIDY + trimmed
        s = trimmed
    if plain or not has_tokens(s):
        # plain text: nothing to resolve, one line
        s = s.strip(" ")
        return (escape_line_start(s) if br != "html" else s).rstrip()
    marked = (
        LINK_OPEN in s
        or EM_OPEN in s
        or STRONG_OPEN in s
        or DEL_OPEN in s
        or LINK_CLOSE in s
        or EM_CLOSE in s
        or STRONG_CLOSE in s
        or DEL_CLOSE in s
    )
    has_br = BR in s
    tidy = TIDY in s
    if tidy:
        s = s.replace(TIDY, "")
    if marked and (tidy or EM_CLOSE + EM_OPEN in s or STRONG_CLOSE + STRONG_OPEN in s or DEL_CLOSE + DEL_OPEN in s):
        s = _fixpoint(s, _MOVE_WS)
    if has_br:
        s = _drop_space_around(s, BR)
        if br == "hard" and (BR + BR in s or (s.count(BR) > 1 and _BR_NBSP_BR.search(s))):
            # (no-break) spaces between <br>s: still one run of breaks
            s = _BR_NBSP_BR.sub(BR, s)
            s = _fixpoint(_paragraph_breaks(s), _MOVE_WS)
            s = _drop_space_around(_drop_space_around(s, BR), PARA)
            # and no (no-break) space starts the next paragraph
            s = _PARA_RUN.sub(PARA, s)
    s = s.strip(_EDGES)
    if marked:
        if emphasis:
            s = _resolve_emphasis(s)
        s = s.replace(LINK_OPEN, "[").replace(LINK_CLOSE, "]")
    if has_br:
        # (a run of breaks is left only inside a link: one hard break each)
        s = s.replace(BR, "<br>" if br == "html" else "  \n")
        # Two or more <br> in a row leave an empty line: a paragraph break, as
        # wpautop() itself reads "<br />\s*<br />" in classic posts. Kept as raw
        # <br> they would look odd and vanish where raw HTML is off (Hugo).
        s = s.replace(PARA, "\n\n")
    if br != "html":  # a table cell is never at the start of a Markdown line
        if "\n" in s:
            s = "\n".join(escape_line_start(line) for line in s.split("\n"))
        else:
            s = escape_line_start(s)
    if "\u00a0" in s and "\n" in s:
        s = _nbsp_lines(s)
    s = restore(merge_code_spans(s, pieces), pieces)
    if DEFER in s:
        s = resolve_deferred(s)
    # a no-break space at the very end of a paragraph shows nothing
    return s.rstrip()


_BLANK_RUN = re.compile(r"\n{3,}")


def _nbsp_lines(s: str) -> str:
    """No-break spaces at the end of a line show nothing, and a line of nothing but
    them is an empty line (a paragraph break; the hard break before it means nothing)."""
    out: list[str] = []
    for line in s.split("\n"):
        content = line.rstrip(" \t\u00a0")
        if not content.replace("\u00a0", "").strip(" "):
            out.append("")
        else:
            out.append(content + ("  " if line.endswith("  ") else ""))
    for i, line in enumerate(out):
        if line.endswith("  ") and (i + 1 == len(out) or not out[i + 1]):
            out[i] = line.rstrip(" ")
    return _BLANK_RUN.sub("\n\n", "\n".join(out)).strip("\n")


def restore(s: str, pieces: list[str]) -> str:
    """Put stored pieces back (a piece may itself hold placeholders, e.g. a link around an image)."""
    while PH_OPEN in s:
        head, *rest = s.split(PH_OPEN)
        out = [head]
        for part in rest:
            number, sep, after = part.partition(PH_CLOSE)
            if sep and number.isdigit():
                out.append(pieces[int(number)])
                out.append(after)
            else:  # not a placeholder after all
                out.append(PH_OPEN + part)
        new = "".join(out)
        if new == s:
            break
        s = new
    return s
