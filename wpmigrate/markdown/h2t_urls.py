"""Link and image destinations as CommonMark reads them."""

from __future__ import annotations

import re

# script URLs must not survive into links (the export may be hostile); data:
# is allowed for images only
_BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data(?!:image/)):", re.I)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_ENTITY = re.compile(r"&(?=#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][A-Za-z0-9]{1,31};)")


def usable_url(url: str | None) -> str | None:
    """The URL stripped of surrounding whitespace, or None when empty or a script URL."""
    if url is None:
        return None
    url = url.strip()
    if not url or _BAD_SCHEME.match(_CONTROL.sub("", url)):
        return None
    return url


def _balanced(url: str) -> bool:
    depth = 0
    for c in url:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def encode_destination(url: str) -> str:
    """Percent-encode what would end or break an inline destination."""
    url = url.replace(" ", "%20").replace("\t", "%09").replace("\n", "%0A")
    url = url.replace("<", "%3C").replace(">", "%3E")
    if not _balanced(url):
        url = url.replace("(", "%28").replace(")", "%29")
    # a backslash before punctuation would be read as an escape
    url = re.sub(r"\\(?=[!-/:-@\[-`{-~])", "%5C", url)
    # an entity would be decoded (the attribute was decoded once already)
    return _ENTITY.sub(lambda m: "\\" + m.group(0), url)


def destination(url: str, title: str = "") -> str:
    """``url "title"`` for an inline link or image."""
    dest = encode_destination(url)
    title = " ".join(title.split())
    if title:
        title = title.replace("\\", "\\\\").replace('"', '\\"')
        return dest + ' "' + _ENTITY.sub(lambda m: "\\" + m.group(0), title) + '"'
    return dest


_AUTOLINK_OK = re.compile(r"^(?:https?|ftp)://[^\s<>%\\`]+$|^mailto:[^\s<>%\\`]+@[^\s<>%\\`]+$", re.I)


def autolink_ok(url: str) -> bool:
    """Whether ``<url>`` shows exactly ``url`` (no percent escapes that a reader would show decoded)."""
    return _AUTOLINK_OK.match(url) is not None and not _ENTITY.search(url)
