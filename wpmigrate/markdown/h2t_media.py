"""Pre-processing for the html2text converter: iframes, video, audio and images."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

from . import h2t_pre as pre
from .h2t_slots import Slots


# Providers whose iframe is better as a link: static site generators and
# themes embed these from the page URL. Any other iframe keeps its HTML.
IFRAME_LINKS = (
    (re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([A-Za-z0-9_-]{6,})"),
     "https://www.youtube.com/watch?v={}"),
    (re.compile(r"^(?:https?:)?//player\.vimeo\.com/video/([0-9]+)"), "https://vimeo.com/{}"),
)


def _link_paragraph(url: str, text: str | None = None):
    p = lxml.html.Element("p")
    a = lxml.etree.SubElement(p, "a", href=url)
    a.text = text if text is not None else url
    return p


def media(root, slots: Slots, conv) -> None:
    """iframes, <video>, <audio>: the address on its own line (known players: the page URL)."""
    for el in list(root.iter("iframe", "video", "audio")):
        if el.getparent() is None:
            continue
        tag = pre.tag_of(el)
        src = (el.get("src") or el.get("data-src") or "").strip()
        if tag != "iframe" and not src:
            for source in el.iter("source"):
                if (source.get("src") or "").strip():
                    src = source.get("src").strip()
                    break
        if not src:
            pre.remove_keep_tail(el)
            continue
        if tag == "iframe":
            for pattern, template in IFRAME_LINKS:
                m = pattern.match(src)
                if m:
                    pre.replace_with(el, [_link_paragraph(template.format(m.group(1)))])
                    break
            else:
                pre.replace_with_block(el, slots, pre.sanitized_html(el))
            continue
        if re.match(r"^https?://[^\s<>]+$", src):
            pre.replace_with(el, [_link_paragraph(src)])
        else:
            name = unquote(urlsplit(src).path.rsplit("/", 1)[-1]) or src
            pre.replace_with(el, [_link_paragraph(src, name)])


# lazy-loading placeholders: inline data, blank/spacer/placeholder files
_PLACEHOLDER = re.compile(
    r"^data:|/[^/]*(?:blank|spacer|placeholder|transparent|pixel|empty|loading|lazy[-_]?(?:load|[a-z0-9]{0,3}))"
    r"[^/]*\.(?:gif|png|svg|jpe?g|webp)(?:$|[?#])",
    re.I,
)
_EMOJI_SRC = re.compile(r"/images/core/emoji/|/wp-includes/images/smilies/", re.I)


def _real_src(img) -> tuple[str, list[str]]:
    """The image's real address and the placeholder addresses seen on the way.

    Lazy loaders keep the real address in a data-…src attribute and put a
    placeholder (inline data, a blank or "lazy" image) in src.
    """
    src = (img.get("src") or "").strip()
    placeholders: list[str] = []
    candidates = []
    for name, value in img.attrib.items():
        name = name.lower()
        value = (value or "").strip()
        if value and name.startswith("data-") and name.endswith("src"):
            if _PLACEHOLDER.search(value):
                placeholders.append(value)
            else:
                candidates.append(value)
    if src and (_PLACEHOLDER.search(src) or candidates):
        placeholders.append(src)
    if candidates:
        return candidates[0], placeholders
    # only placeholder-looking alternatives: any real file beats inline data
    if not src or src.lower().startswith("data:"):
        for value in placeholders:
            if not value.lower().startswith("data:"):
                return value, [p for p in placeholders if p is not value]
    return src, placeholders


def _stem_words(url: str) -> str:
    stem = urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return " ".join(re.split(r"[-_\s]+", stem.lower())).strip()


def images(root, slots: Slots, conv) -> None:
    """Emoji images become the emoji; lazy-loaded images get their real address."""
    for img in list(root.iter("img")):
        cls = pre.classes(img)
        alt = img.get("alt") or ""
        if alt.strip() and ("wp-smiley" in cls or "emoji" in cls or _EMOJI_SRC.search(img.get("src") or "")):
            pre.replace_with_text(img, alt.strip())
            continue
        src, placeholders = _real_src(img)
        if src:
            img.set("src", src)
        title = " ".join((img.get("title") or "").split()).lower()
        if title and any(title == _stem_words(p) for p in placeholders):
            del img.attrib["title"]
