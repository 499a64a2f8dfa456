"""Links and images: destinations, titles, autolinks, links around blocks, lazy-loaded images."""

from __future__ import annotations

import re

from . import inline as il
from .base import BAD_SCHEME as _BAD_SCHEME
from .base import Block
from .base import classes as _classes

_LAZY_ATTRS = frozenset({"data-original", "data-orig-file", "data-large-file", "data-full-url"})
_PLACEHOLDER_IMG = re.compile(
    r"(?:^|[/_.-])(?:lazy|placeholder|blank|spacer|transparent|loading|loader|pixel|empty|grey|gray)"
    r"(?:[-_.][a-z0-9]{1,8})?\.(?:png|gif|svg|jpe?g|webp)(?:[?#].*)?$",
    re.I,
)


def _stem_words(url_or_title: str) -> str:
    stem = url_or_title.rsplit("/", 1)[-1].split("?", 1)[0].rsplit(".", 1)[0]
    return " ".join(re.split(r"[\s_-]+", stem.lower())).strip()


# Markdown decodes entity references in destinations, titles and alt text
_ENTITY_LIKE = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")


class LinkMixin:
    def block_a(self, el) -> list[Block]:
        """A link around blocks (a theme's post card: image, title, excerpt).

        Markdown links are inline, so the link goes around the content of each
        paragraph and heading inside it instead.
        """
        href = (el.get("href") or "").strip()
        if not href or _BAD_SCHEME.match(href) or self.in_link:
            return self.flow(el)
        self.in_link += 1
        try:
            blocks = self.flow(el)
        finally:
            self.in_link -= 1
        dest = f"({self.url(href)}{self.title(el.get('title'))})"
        out = []
        for b in blocks:
            if b.kind == "paragraph" and "\n" not in b.text:
                out.append(Block(b.kind, f"[{b.text}]{dest}"))
            elif b.kind == "heading":
                marks, _, text = b.text.partition(" ")
                out.append(Block(b.kind, f"{marks} [{text}]{dest}"))
            else:
                out.append(b)
        return out

    def url(self, href: str) -> str:
        # a backslash would escape the next character of a link destination
        href = href.strip().replace(" ", "%20").replace("\n", "").replace("\\", "%5C")
        if not href:
            return "<>"
        if "<" in href or ">" in href:
            href = href.replace("<", "%3C").replace(">", "%3E")
        depth = 0
        balanced = True
        for ch in href:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth < 0:
                    balanced = False
        if depth != 0 or not balanced:
            href = href.replace("(", "%28").replace(")", "%29")
        # Markdown decodes entity references in destinations: "&amp;" that is
        # really in the URL must not become "&" a second time
        return _ENTITY_LIKE.sub(r"\\\g<0>", href)

    def title(self, title: str | None) -> str:
        title = il.collapse_ws(title or "").strip()
        if not title:
            return ""
        title = title.replace("\\", "\\\\").replace('"', '\\"')
        return ' "' + _ENTITY_LIKE.sub(r"\\\g<0>", title) + '"'

    def inline_a(self, el):
        href = el.get("href")
        if href is None or not href.strip() or _BAD_SCHEME.match(href) or self.in_link:
            if href is None and (el.get("id") or el.get("name")) and not len(el) and not (el.text or "").strip():
                return ""  # an empty anchor target
            return self.inline_children(el)
        if href.startswith("#") and href[1:] in self.footnote_ref_ids:
            return ""  # back link "↩" of a footnote definition
        href = href.strip()
        text_plain = il.collapse_ws(el.text_content()).strip()
        if (
            not len(el)
            and text_plain == href
            and re.match(r"^(?:https?|ftp)://[^\s<>%]+$", href)  # parsers show %5B in autolinks as "["
            and not _ENTITY_LIKE.search(href)
            and not el.get("title")
        ):
            return self.store(f"<{href}>")
        self.in_link += 1
        try:
            inner = self.inline_children(el)
        finally:
            self.in_link -= 1
        dest = self.store(f"({self.url(href)}{self.title(el.get('title'))})")
        return il.LINK_OPEN + inner + il.LINK_CLOSE + dest

    def image_src(self, el) -> str:
        """The real address of an image, past lazy-loading placeholders.

        Lazy-loading themes and plugins put a placeholder (a data: URI, or a
        file such as ``lazy-l.png``, ``blank.gif``) into ``src`` and the real
        address into a ``data-…src`` attribute, whose name varies (``data-src``,
        ``data-lazy-src``, ``data-zeen-src`` …), and sometimes the other way round.
        """
        candidates = [(el.get("src") or "").strip()]
        for name, value in el.attrib.items():
            lname = name.lower()
            if lname.startswith("data-") and (lname.endswith("src") or lname in _LAZY_ATTRS):
                candidates.append((value or "").strip())
        real = [c for c in candidates if c and not c.startswith("data:") and not _PLACEHOLDER_IMG.search(c)]
        uploads = [c for c in real if "/wp-content/uploads/" in c]
        if uploads or real:
            return (uploads or real)[0]
        return next((c for c in candidates if c and not c.startswith("data:")), candidates[0])

    def inline_img(self, el):
        classes = _classes(el)
        alt = il.collapse_ws(el.get("alt") or "").strip()
        if ("wp-smiley" in classes or "emoji" in classes) and alt:
            return self.text(alt)  # WordPress's emoji images: the emoji itself
        src = self.image_src(el)
        if not src or _BAD_SCHEME.match(src):
            return ""
        title = el.get("title")
        if title:
            others = [v for k, v in el.attrib.items() if k.lower().endswith("src") and v and v.strip() != src]
            if any(_stem_words(v) == _stem_words(title) for v in others):
                title = None  # the title was made from a placeholder's file name ("lazy l")
        alt_md = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        alt_md = _ENTITY_LIKE.sub(r"\\\g<0>", alt_md)
        return self.store(f"![{alt_md}]({self.url(src)}{self.title(title)})")

    def inline_picture(self, el):
        for img in el.iter("img"):
            return self.inline_img(img)
        return ""
