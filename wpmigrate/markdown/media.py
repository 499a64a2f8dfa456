"""What Markdown cannot say: raw HTML (kept safe), iframes, video and audio, <details>, forms."""

from __future__ import annotations

import copy
import re
from urllib.parse import unquote, urlsplit

import lxml.html

from . import inline as il
from .base import BAD_SCHEME as _BAD_SCHEME
from .base import Block
from .base import tag_of as _tag

# Providers whose iframe is better as a link (static site generators and
# themes embed these from the URL); anything else keeps its <iframe>.
_IFRAME_LINKS = (
    (re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([A-Za-z0-9_-]{6,})"),
     "https://www.youtube.com/watch?v={}"),
    (re.compile(r"^(?:https?:)?//player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
)


class MediaMixin:
    def raw_html(self, el) -> str:
        el = self.sanitized_copy(el)
        html = lxml.html.tostring(el, encoding="unicode", method="html", with_tail=False)
        # a blank line would end the HTML block in Markdown
        return "\n".join(line.rstrip() for line in html.split("\n") if line.strip())

    def sanitized_copy(self, el):
        """A copy without event handlers, script URLs, scripts or styles (hostile exports)."""
        el = copy.deepcopy(el)
        el.tail = None
        for node in el.iter():
            if not isinstance(node.tag, str):
                continue
            for name in list(node.attrib):
                value = node.attrib[name]
                lname = name.lower()
                # event handlers, an iframe's inline document, and any attribute
                # holding a javascript:/vbscript:/data: (non-image) address
                if lname.startswith(("on", "data-wpm-")) or lname == "srcdoc" or _BAD_SCHEME.match(value):
                    del node.attrib[name]
        for bad in list(el.iter("script", "style")):
            if bad is not el:
                bad.drop_tree()
        return el

    def block_iframe(self, el) -> list[Block]:
        src = (el.get("src") or el.get("data-src") or "").strip()
        if not src:
            return []
        for pattern, template in _IFRAME_LINKS:
            m = pattern.match(src)
            if m:
                return [Block("paragraph", "<" + template.format(m.group(1)) + ">")]
        return [Block("html", self.raw_html(el))]

    def media(self, el) -> list[Block]:
        src = (el.get("src") or "").strip()
        if not src:
            for s in el.iter("source"):
                if s.get("src"):
                    src = s.get("src").strip()
                    break
        if not src or _BAD_SCHEME.match(src):
            return [Block("html", self.raw_html(el))] if len(el) else []
        # the same form the render stage gives [video]/[audio] and media blocks:
        # the address as a link on its own line
        if re.match(r"^https?://[^\s<>]+$", src):
            return [Block("paragraph", f"<{src}>")]
        name = unquote(urlsplit(src).path.rsplit("/", 1)[-1]) or src
        return [Block("paragraph", f"[{il.escape_text(name, in_link=True)}]({self.url(src)})")]

    def block_video(self, el):
        return self.media(el)

    def block_audio(self, el):
        return self.media(el)

    def block_object(self, el):
        return [Block("html", self.raw_html(el))]

    def block_embed(self, el):
        return [Block("html", self.raw_html(el))]

    def block_math(self, el):
        return [Block("html", self.raw_html(el))]

    def block_canvas(self, el):
        return []

    def block_details(self, el) -> list[Block]:
        """``<details>`` stays HTML; its body is Markdown between blank lines (as GitHub reads it)."""
        summary = ""
        for c in el:
            if _tag(c) == "summary":
                # inside an HTML block Markdown is not read: the summary stays HTML
                summary = self.raw_html(c)
                summary = re.sub(r"^<summary[^>]*>|</summary>$", "", summary.replace("\n", " "))
                summary = summary.strip()
                break
        inner = self.flow_excluding(el, "summary")
        open_tag = "<details open>" if el.get("open") is not None else "<details>"
        head = open_tag + (f"\n<summary>{summary}</summary>" if summary else "")
        blocks = [Block("html", head)]
        blocks.extend(inner)
        blocks.append(Block("html", "</details>"))
        return blocks

    def flow_excluding(self, el, skip_tag: str) -> list[Block]:
        clone = copy.deepcopy(el)
        for c in list(clone):
            if _tag(c) == skip_tag:
                tail = c.tail
                prev = c.getprevious()
                clone.remove(c)
                if tail:
                    if prev is not None:
                        prev.tail = (prev.tail or "") + tail
                    else:
                        clone.text = (clone.text or "") + tail
        return self.flow(clone)

    def block_summary(self, el):
        return self.flow(el)

    def inline_iframe(self, el):
        blocks = self.block_iframe(el)
        return self.store(blocks[0].text) if blocks else ""

    def inline_video(self, el):
        blocks = self.media(el)
        return self.store(blocks[0].text) if blocks else ""

    def inline_audio(self, el):
        return self.inline_video(el)

    def inline_button(self, el):
        return " " + self.inline_children(el) + " "

    def inline_select(self, el):
        """A drop-down shows its options; Markdown has no form for it, so it stays HTML (one line)."""
        if not el.text_content().strip():
            return ""
        return self.store(" ".join(self.raw_html(el).split("\n")))

    def inline_ruby(self, el):
        """Ruby annotations (furigana) sit above the text; inline they would glue to it, so HTML stays."""
        if not el.text_content().strip():
            return ""
        return self.store(" ".join(self.raw_html(el).split("\n")))

    def inline_option(self, el):
        # only reached for options a broken page left outside any <select>
        return " " + self.inline_children(el) + " "

    def inline_optgroup(self, el):
        return self.inline_option(el)

    def inline_textarea(self, el):
        return self.text(el.text_content())
