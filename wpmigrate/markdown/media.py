"""What Markdown cannot say: raw HTML (kept safe), iframes, video and audio, ``<details>``, forms.

Raw HTML is written only where Markdown has no form (a merged-cell table, an
unknown iframe, ``<details>``, ``<sup>``, ``<ruby>`` …). It is a copy of the
element as a browser would show it (what is never visible and comments left
out, lazy images with their real address, emoji as text) without event
handlers, inline documents or script addresses, since an export may be
hostile; a blank line would end a Markdown HTML block, so there is none.

Video providers that static site generators embed from a page address
(YouTube, Vimeo) become that address; ``<video>``/``<audio>`` become their
file's address on a line of its own, the form the render stage gives
``[video]``/``[audio]`` and media blocks.
"""

from __future__ import annotations

import copy
import re
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from wpmigrate.document import (
    NEVER_VISIBLE,
    embed_source,
    emoji_text,
    flash_video_page,
    image_source,
    plugin_movie,
    tag_of,
)

from . import inline as il
from .base import Block, kept_comment
from .links import autolink_ok, destination, image_title, usable_url

# Providers whose iframe is better as a link: static site generators and
# themes embed these from the page URL. Any other iframe keeps its HTML.
IFRAME_LINKS = (
    (
        re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([A-Za-z0-9_-]{6,})"),
        "https://www.youtube.com/watch?v={}",
    ),
    (re.compile(r"^(?:https?:)?//player\.vimeo\.com/video/([0-9]+)"), "https://vimeo.com/{}"),
)
_SCRIPT_URL = re.compile(r"(?:^|[,\s])(?:javascript|vbscript|data(?!:image/)):", re.I)
_NO_SPACE = re.compile(r"[\x00-\x20]")
_WEB_URL = re.compile(r"^https?://[^\s<>]+$")


def _remove_keep_tail(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    prev = el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _replace_with_text(el, text: str) -> None:
    el.tail = text + (el.tail or "")
    _remove_keep_tail(el)


def shown_copy(el, *, plain: bool = False):
    """A copy of ``el`` as a browser shows it and safe to keep as HTML.

    Left out: what is never visible, comments (but the ``<!--more-->`` and
    shortcode markers), event handlers, inline documents, script addresses;
    ``<button>`` and stray ``<option>`` are their text, images get their real
    address (or become their emoji). ``plain`` also drops ``class``,
    ``style`` and ``id`` (for inline HTML, which styles nothing on a static site).
    """
    el = copy.deepcopy(el)
    el.tail = None
    for node in list(el.iter()):
        if node is el:
            continue
        tag = node.tag
        if tag is etree.Comment:
            if kept_comment(node) is None:
                _remove_keep_tail(node)
        elif not isinstance(tag, str) or tag.lower() in NEVER_VISIBLE:
            _remove_keep_tail(node)
    for node in list(el.iter("option", "optgroup", "button")):
        if node is el:
            continue
        if node.tag == "button":
            node.drop_tag()
        elif not any(tag_of(a) == "select" for a in node.iterancestors()):
            node.tail = " " + (node.tail or "")
            node.drop_tag()
    for img in list(el.iter("img")):
        emoji = emoji_text(img)
        if emoji is not None and img is not el:
            _replace_with_text(img, emoji)
            continue
        src, placeholders = image_source(img)
        if src:
            img.set("src", src)
        if img.get("title") and not image_title(img, placeholders):
            del img.attrib["title"]
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        for name in list(node.attrib):
            lname = name.lower()
            # event handlers, inline documents, and any address with a script scheme
            if (
                lname.startswith("on")
                or lname == "srcdoc"
                or _SCRIPT_URL.search(_NO_SPACE.sub("", node.attrib[name]))
                or (plain and lname in ("class", "style", "id"))
            ):
                del node.attrib[name]
    return el


def html_of(el, *, plain: bool = False) -> str:
    """``el`` written out as safe HTML (see :func:`shown_copy`), without blank lines."""
    html = lxml.html.tostring(shown_copy(el, plain=plain), encoding="unicode", method="html", with_tail=False)
    html = il.UNSAFE.sub("", html)
    # a blank line would end the HTML block in Markdown
    return "\n".join(line.rstrip() for line in html.split("\n") if line.strip())


class MediaMixin:
    def raw_html(self, el) -> str:
        return html_of(el)

    def raw_inline_html(self, el):
        """An inline element kept as HTML on one line; nothing when it shows no text."""
        if tag_of(el) != "select" and not el.text_content().strip():
            return ""
        return self.store(html_of(el, plain=True).replace("\n", " "))

    def convert_sup(self, el):
        return self.raw_inline_html(el)

    def convert_sub(self, el):
        return self.raw_inline_html(el)

    def convert_mark(self, el):
        return self.raw_inline_html(el)

    def convert_select(self, el):
        return self.raw_inline_html(el)

    def convert_ruby(self, el):
        """Ruby annotations (furigana) sit above the text; inline they would glue to it, so HTML stays."""
        return self.raw_inline_html(el)

    def convert_math(self, el):
        return self.raw_inline_html(el)

    def link_paragraph(self, url: str, text: str | None = None) -> list[Block]:
        """A paragraph of one link to ``url`` (its text: the address, or ``text``)."""
        text = url if text is None else text
        href = usable_url(url)
        if href is not None and " ".join(text.split()) == href and autolink_ok(href):
            return [Block("paragraph", f"<{href}>")]
        self.in_link += href is not None
        try:
            label = il.finish_inline(self.text(text), self.pieces)
        finally:
            self.in_link -= href is not None
        if href is None:
            return [Block("paragraph", label)] if label else []
        return [Block("paragraph", f"[{label}]({destination(href)})")]

    def convert_iframe(self, el):
        src = embed_source(el)
        if not src:
            return []
        for pattern, template in IFRAME_LINKS:
            m = pattern.match(src)
            if m:
                return self.link_paragraph(template.format(m.group(1)))
        return [Block("html", self.raw_html(el))]

    def media(self, el) -> list[Block]:
        src = embed_source(el)
        if not src:
            return []
        if _WEB_URL.match(src):
            return self.link_paragraph(src)
        return self.link_paragraph(src, unquote(urlsplit(src).path.rsplit("/", 1)[-1]) or src)

    def convert_video(self, el):
        return self.media(el)

    def convert_audio(self, el):
        return self.media(el)

    def plugin_address(self, el) -> str:
        """The address an ``<object>``/``<embed>`` stands for in the Markdown: a video
        host's player the video's page, any other the address it plays ("" when none).

        Post bodies meet these in the render stage (``plugin_players``, which also
        warns about Flash); the writer handles the ones in a tree nobody rendered
        (a front-end page) the same way, so no address vanishes.
        """
        url = plugin_movie(el)
        return (flash_video_page(url) or url) if url else ""

    def plugin_blocks(self, el) -> list[Block]:
        address = self.plugin_address(el)
        return self.link_paragraph(address) if address else []

    def plugin_inline(self, el) -> str:
        address = self.plugin_address(el)
        href = usable_url(address) if address else None
        if href is None:
            return ""
        if autolink_ok(href):
            return self.store(f"<{href}>")
        self.in_link += 1
        try:
            label = self.text(address)
        finally:
            self.in_link -= 1
        return il.LINK_OPEN + label + il.LINK_CLOSE + self.store("(" + destination(href) + ")")

    def convert_details(self, el) -> list[Block]:
        """``<details>`` stays HTML; its body is Markdown between blank lines (as GitHub reads it)."""
        head = "<details open>" if el.get("open") is not None else "<details>"
        summary = next((c for c in el if tag_of(c) == "summary"), None)
        if summary is not None:
            head += "\n" + html_of(summary).replace("\n", " ")
        body = self.blocks_text(self.flow(el, skip=summary))
        return [Block("html", head + ("\n\n" + body if body.strip() else "") + "\n\n</details>")]

    def convert_summary(self, el):
        return self.flow(el)

    def convert_button(self, el):
        # a button's label is visible text; one around blocks (a theme's tooltip) is transparent
        return self.inline_children(el) if self.inline_mode else self.flow(el)

    def convert_option(self, el):
        # only reached for options a broken page left outside any <select>: each
        # on a line of its own in a browser, so at least a space apart
        return self.inline_children(el) + " "

    def convert_optgroup(self, el):
        return self.convert_option(el)
