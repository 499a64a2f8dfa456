"""What every part of the converter shares: the block type, tag sets, small helpers."""

from __future__ import annotations

import re
from typing import NamedTuple

# HTML elements that start a block of their own. Anything else is inline,
# unless it holds block content (then it is a transparent container).
BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details dialog dir div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li main menu
    nav noscript ol p pre search section summary table tbody td tfoot th thead tr ul video audio
    object embed math canvas""".split()
)
# dropped with everything inside: never visible text
DROP_TAGS = frozenset(
    "script style template head title meta link base noscript svg canvas map input "
    "datalist param track source".split()
)
# URL schemes that must not survive into links (the export may be hostile)
BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data(?!:image/)):", re.I)


class Block(NamedTuple):
    kind: str  # paragraph, heading, list-ul, list-ol, code, html, quote, table, hr, footnotes, dl
    text: str


def classes(el) -> list[str]:
    return (el.get("class") or "").split()


def tag_of(el) -> str:
    """Lower-case tag name; "" for comments and processing instructions."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.lower()


def indent(text: str, first: str, rest: str) -> str:
    """Prefix the first line with ``first`` and later non-empty lines with ``rest``."""
    lines = text.split("\n")
    out = [first + lines[0]]
    for line in lines[1:]:
        out.append(rest + line if line else "")
    return "\n".join(out)
