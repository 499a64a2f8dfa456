"""Links and images: destinations, titles, autolinks, links around blocks, emoji and lazy-loaded images.

CommonMark reads an inline destination up to the first space or unbalanced
parenthesis and decodes entity references in it, in titles and in alt text;
the helpers here write URLs so that a reader gets back exactly the address
the HTML held. Script addresses (``javascript:``, ``vbscript:``, ``data:``
other than images) never become links: an export may be hostile.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from wpmigrate.document import emoji_text, image_source

from . import inline as il
from .escape import ASCII_PUNCT, ENTITY_AT
from .inline import _classify, _left_flanking, _right_flanking

# script URLs must not survive into links; data: is allowed for images only
_BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data(?!:image/)):", re.I)
# Markdown decodes entity references in destinations, titles and alt text
_ENTITY = re.compile(r"&(?=#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][A-Za-z0-9]{1,31};)")
_PUNCT_AFTER_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
# an autolink shows its text as written: percent escapes would be shown decoded
_AUTOLINK_OK = re.compile(r"^(?:https?|ftp)://[^\s<>%\\`]+$|^mailto:[^\s<>%\\`]+@[^\s<>%\\`]+$", re.I)


_URI_UNSAFE = re.compile("[\x00-\x20\x7f-\U0010ffff]+")


def _percent(m: re.Match) -> str:
    return "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8", "surrogatepass"))


def written_uri(url: str) -> str:
    """An address as HTML serialisers write ``href``/``src`` (libxml2's rule): blanks
    before it dropped, spaces, controls and non-ASCII characters percent-encoded
    (UTF-8), as browsers send them. Markdown then holds one form of every address."""
    url = url.lstrip(" \t\n\r")
    if url.isascii() and url.isprintable() and " " not in url:
        return url  # the usual case: nothing to encode
    return _URI_UNSAFE.sub(_percent, url)


def usable_url(url: str | None) -> str | None:
    """The address written out (:func:`written_uri`), or None when empty or a script URL."""
    if url is None:
        return None
    url = written_uri(url).strip()
    # (written out, the address holds no white space or controls that could hide a scheme)
    if not url or (url[0] in "jJvVdD" and _BAD_SCHEME.match(url)):
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
    if " " in url or "\t" in url or "\n" in url:
        url = url.replace(" ", "%20").replace("\t", "%09").replace("\n", "%0A")
    if "<" in url or ">" in url:
        url = url.replace("<", "%3C").replace(">", "%3E")
    if ("(" in url or ")" in url) and not _balanced(url):
        url = url.replace("(", "%28").replace(")", "%29")
    if "\\" in url:
        # a backslash before punctuation would be read as an escape
        url = _PUNCT_AFTER_BACKSLASH.sub("%5C", url)
    # an entity would be decoded (the attribute was decoded once already)
    return _ENTITY.sub(_escape_entity, url) if "&" in url and ";" in url else url


def _escape_entity(m: re.Match) -> str:
    return "\\&"


def destination(url: str, title: str = "") -> str:
    """``url "title"`` for an inline link or image."""
    dest = encode_destination(url)
    if title:
        title = " ".join(title.split())
    if title:
        title = title.replace("\\", "\\\\").replace('"', '\\"')
        return dest + ' "' + (_ENTITY.sub(_escape_entity, title) if "&" in title else title) + '"'
    return dest


def autolink_ok(url: str) -> bool:
    """Whether ``<url>`` shows exactly ``url`` (no percent escapes that a reader would show decoded)."""
    return _AUTOLINK_OK.match(url) is not None and not _ENTITY.search(url)


_ALT_SPECIAL = re.compile(r"[\\`*_\[\]<&~]")


_UNDERSCORES = re.compile(r"_+")


def _underscores_to_escape(alt: str) -> set[int]:
    """Where the ``_`` of alt text that CommonMark could pair into emphasis stand.

    A run of ``_`` opens emphasis only when left-flanking and not inside a word,
    closes only when right-flanking and not inside a word (CommonMark 6.2); a run
    needs its backslashes only when an opener comes before a closer. The alt text
    stands between ``![`` and ``]``.
    """
    runs = []
    for m in _UNDERSCORES.finditer(alt):
        prev = alt[m.start() - 1] if m.start() else "["
        nxt = alt[m.end()] if m.end() < len(alt) else "]"
        left, right = _left_flanking(prev, nxt), _right_flanking(prev, nxt)
        can_open = left and (not right or _classify(prev) == "p")
        can_close = right and (not left or _classify(nxt) == "p")
        runs.append((m, can_open, can_close))
    found: set[int] = set()
    for k, (m, can_open, can_close) in enumerate(runs):
        if (can_open and any(r[2] for r in runs[k + 1 :])) or (can_close and any(r[1] for r in runs[:k])):
            found.update(range(m.start(), m.end()))
    return found


def escape_alt(alt: str) -> str:
    """Alt text between ``![`` and ``]``: brackets, emphasis and code characters escaped
    where Markdown would read them (``_`` only where it could make emphasis)."""
    if _ALT_SPECIAL.search(alt) is None:
        return alt
    n = len(alt)
    underscores = _underscores_to_escape(alt) if "_" in alt else set()

    def one(m: re.Match) -> str:
        c = m.group(0)
        i = m.start()
        prev = alt[i - 1] if i else ""
        nxt = alt[i + 1] if i + 1 < n else "]"  # the alt text ends at "]"
        if c == "\\":
            escape = nxt in ASCII_PUNCT
        elif c == "*":
            escape = not (prev.isspace() and nxt.isspace())
        elif c == "_":
            escape = i in underscores
        elif c in "`[]":
            escape = True
        elif c == "<":
            escape = nxt.isalpha() or nxt in "/!?"
        elif c == "&":
            escape = ENTITY_AT.match(alt, i) is not None
        else:  # "~"
            escape = prev == "~" or nxt == "~"
        return "\\" + c if escape else c

    return _ALT_SPECIAL.sub(one, alt)


def _stem_words(url: str) -> str:
    stem = urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return " ".join(re.split(r"[-_\s]+", stem.lower())).strip()


def image_title(img, placeholders: list[str]) -> str:
    """The image's title, unless a lazy loader made it from a placeholder's file name
    (Zeen writes title="lazy l" for lazy-l.png)."""
    title = img.get("title") or ""
    if title and placeholders:
        words = " ".join(title.split()).lower()
        if any(words == _stem_words(p) for p in placeholders):
            return ""
    return title


_EDGE = " \t\n\r\f\v\u00a0" + il.BR


def _edge(space: str) -> str:
    return space if il.BR in space else (" " if space else "")


class LinkMixin:
    def convert_a(self, el):
        """A link: inline, or around blocks (a theme's post card: image, title, excerpt).

        Markdown links are inline, so a link around blocks goes around the
        content of each paragraph and heading inside it instead. A link inside
        a link (invalid, kept by libxml2) is its text: the outer one wins, as in
        a browser.
        """
        href = usable_url(el.get("href"))
        if not self.inline_mode:
            return self.link_around_blocks(el, href)
        if href is None or self.in_link:
            if (
                el.get("href") is None
                and (el.get("id") or el.get("name"))
                and not len(el)
                and not (el.text or "").strip()
            ):
                return ""  # an empty anchor target
            return self.inline_children(el)
        title = el.get("title") or ""
        self.in_link += 1
        try:
            # (a link of nothing but text, the usual case, needs no walk)
            inner = self.inline_children(el) if len(el) else self.text(el.text) if el.text else ""
        finally:
            self.in_link -= 1
        text = el.text_content() if len(el) else (el.text or "")
        if href in text and " ".join(text.split()) == href and autolink_ok(href) and next(el.iter("img"), None) is None:
            # the text is the address: an autolink; a line break at its edge stays, outside it
            core = inner.strip(_EDGE)
            lead, trail = inner[: len(inner) - len(inner.lstrip(_EDGE))], inner[len(inner.rstrip(_EDGE)) :]
            return _edge(lead) + self.store(f"<{href}>") + _edge(trail) if core else inner
        dest = self.store("(" + destination(href, title) + ")")
        return il.delimited(il.LINK_OPEN, inner, il.LINK_CLOSE + dest)

    def link_around_blocks(self, el, href: str | None) -> list:
        if href is None or self.in_link:
            return self.flow(el)
        self.in_link += 1
        try:
            dest = self.store("(" + destination(href, el.get("title") or "") + ")")
            return self.around_blocks(el, il.LINK_OPEN, il.LINK_CLOSE + dest)
        finally:
            self.in_link -= 1

    def convert_img(self, el):
        emoji = emoji_text(el)
        if emoji is not None:
            return self.text(emoji)  # WordPress's emoji images: the emoji itself
        src, placeholders = image_source(el)
        src = usable_url(src)
        if src is None:
            return ""
        title = image_title(el, placeholders)
        alt = il.collapse_ws(il.UNSAFE.sub("", el.get("alt") or "")).strip()
        return self.store("![" + escape_alt(alt) + "](" + destination(src, title) + ")")

    def convert_picture(self, el):
        for img in el.iter("img"):
            return self.convert_img(img)
        return ""
