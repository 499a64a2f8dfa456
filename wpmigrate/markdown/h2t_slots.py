"""Placeholders that carry what html2text cannot write through its conversion.

Pre-processing (h2t_pre) puts finished Markdown or raw HTML aside and leaves a
token in the tree; html2text copies the token like any other text; the
post-processing (h2t_post) puts the value back. Tokens are built from Unicode
private-use characters, which the converter removes from its input first
(they never display anything), so a token cannot collide with the post's text
and is never escaped by html2text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# inline value: finished Markdown or raw HTML within a line
INLINE_OPEN, INLINE_CLOSE = "\ue000", "\ue001"
# block value: a whole block (fenced code, raw HTML table, definition list …)
BLOCK_OPEN, BLOCK_CLOSE = "\ue002", "\ue003"
# emphasis delimiters, kept symbolic until the whole paragraph is known:
# OPEN + kind + OPEN_END … CLOSE + kind + CLOSE_END, kind in "e" (em), "s" (strong), "d" (del)
EMPH_OPEN, EMPH_OPEN_END = "\ue004", "\ue005"
EMPH_CLOSE, EMPH_CLOSE_END = "\ue006", "\ue007"
# links: LINK_OPEN n LINK_OPEN_END … LINK_CLOSE n LINK_CLOSE_END
LINK_OPEN, LINK_OPEN_END = "\ue008", "\ue009"
LINK_CLOSE, LINK_CLOSE_END = "\ue00a", "\ue00b"
# a no-break space (html2text would collapse it with the spaces around it)
NBSP = "\ue00c"
# a pipe table starts / ends (html2text's table rows are reformatted between them)
TABLE_START, TABLE_END = "\ue00d", "\ue00e"

# after a "]" that ended a run of text: escaped at the end if a "(", "[" or ":"
# follows it there (a link would start), else dropped
MAYBE_ESCAPE = "\ue00f"

# a space moved out of a link or emphasis: dropped at a line start or beside
# another space, else a space
MOVED_SPACE = "\ue010"

# everything the input may not contain: private use area, C0/C1 controls
# other than tab and newlines, and lone surrogates (not encodable)
UNSAFE_INPUT = re.compile("[\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

INLINE_TOKEN = re.compile(INLINE_OPEN + r"(\d+)" + INLINE_CLOSE)
BLOCK_TOKEN = re.compile(BLOCK_OPEN + r"(\d+)" + BLOCK_CLOSE)


@dataclass
class Link:
    href: str
    title: str
    text: str = ""  # the link's visible text, unescaped (an autolink when it equals href)
    only_text: bool = True  # nothing but text inside (no image)


@dataclass
class Slots:
    """The values behind the tokens of one conversion."""

    inline_values: list[str] = field(default_factory=list)
    # per pipe table: the delimiter of each column (":---:", "---:" …)
    table_delimiters: list[list[str]] = field(default_factory=list)
    block_values: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def inline(self, value: str) -> str:
        self.inline_values.append(value)
        return f"{INLINE_OPEN}{len(self.inline_values) - 1}{INLINE_CLOSE}"

    def block(self, value: str) -> str:
        self.block_values.append(value)
        return f"{BLOCK_OPEN}{len(self.block_values) - 1}{BLOCK_CLOSE}"

    def link(self, href: str, title: str) -> int:
        self.links.append(Link(href, title))
        return len(self.links) - 1

    def restore_inline(self, text: str) -> str:
        # values may hold tokens of their own (a code span inside <sup>)
        for _ in range(8):
            new = INLINE_TOKEN.sub(lambda m: self.inline_values[int(m.group(1))], text)
            if new == text:
                break
            text = new
        return text.replace(NBSP, "\u00a0")
