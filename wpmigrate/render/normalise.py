"""The last render pass, on the post's one tree: leftovers and normalisation.

What WordPress's front end would also do, or what the later stages need in
one shape. Each step is a function ``step(root, ctx)`` that changes the tree
in place; :data:`STEPS` runs them in order (a :class:`~wpmigrate.render.Renderer`
may run others). Every step is idempotent: running the pass on its own
output changes nothing.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..document import (
    cell_alignment,
    classes,
    code_language,
    emoji_text,
    is_more,
    media_source,
    tag_of,
)
from ..options import MorePolicy
from .context import RenderContext
from .pagebuilders import page_builders

__all__ = ["STEPS", "remove_more_marker"]


# new elements of an lxml.html tree must be HtmlElements, like the parsed ones
_element = lxml.html.Element


def _drop(el) -> None:
    """Remove the element and everything inside, keep its tail text."""
    el.drop_tree()


def _text_before(el, text: str) -> None:
    """Put ``text`` where ``el`` is about to leave (it joins the text before it)."""
    prev = el.getprevious()
    parent = el.getparent()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# --- what a Markdown file cannot carry -------------------------------------------------

_WORD_COMMENT = re.compile(r"\[if\s|\[endif\]|\bmso\b|StartFragment|EndFragment", re.I)


def scripts_and_styles(root, ctx: RenderContext) -> None:
    """``<script>``/``<style>`` are removed (reported); head-only tags and Word's
    conditional comments go without a word."""
    for el in list(root.iter("script", "style")):
        ctx.warn(f"removed <{el.tag}>")
        _drop(el)
    for el in list(root.iter("meta", "link", "xml")):
        _drop(el)
    for c in list(root.iter(etree.Comment)):
        if _WORD_COMMENT.search(c.text or ""):
            _drop(c)


def smilies(root, ctx: RenderContext) -> None:
    """``convert_smilies()`` and wp-emoji images carry the emoji in ``alt``: it becomes text."""
    for img in list(root.iter("img")):
        text = emoji_text(img)
        if text is not None:
            _text_before(img, text + (img.tail or ""))
            img.getparent().remove(img)


_WORD_CLASS = re.compile(r"^Mso", re.I)
_EMPTY_TEXT = re.compile(r"^[\s\xa0\u200b]*$")
_STYLING_ATTRIBUTES = frozenset(("style", "lang", "class", "dir", "data-mce-style", "face", "size", "color"))


def word_junk(root, ctx: RenderContext) -> None:
    """What Word, Apple Pages and old TinyMCE paste: ``<o:p>``, ``Mso…`` classes,
    ``<font>`` and styled ``<span>`` (bold and italic given only as a style
    stay as ``<strong>``/``<em>``)."""
    for el in list(root.iter()):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if ":" in tag:  # <o:p>, <st1:place>, <v:shape> from Word
            if _EMPTY_TEXT.match("".join(el.itertext())) and len(el) == 0:
                _drop(el)
            elif el.getparent() is not None:
                el.drop_tag()
            continue
        if not el.attrib:
            # a bare <font> or <span> carries nothing
            if tag in ("font", "span") and el.getparent() is not None:
                el.drop_tag()
            continue
        tag = tag.lower()
        style = el.get("style")
        if style is not None and "mso-" in style and tag not in ("span", "font"):
            del el.attrib["style"]
        cls_attr = el.get("class")
        if cls_attr is not None and "mso" in cls_attr.lower():
            own = cls_attr.split()
            kept = [c for c in own if not _WORD_CLASS.match(c)]
            if len(kept) != len(own):
                if kept:
                    el.set("class", " ".join(kept))
                else:
                    del el.attrib["class"]
        if tag in ("font", "span") and not set(el.attrib) - _STYLING_ATTRIBUTES:
            if tag == "span" and el.get("class") and not el.get("class", "").startswith("Apple-"):
                continue  # a span with a meaning of its own (a plugin's, a theme's)
            style = re.sub(r"\s+", "", (el.get("style") or "").lower())
            bold = re.search(r"font-weight:(bold|[6-9]00)", style) is not None
            italic = "font-style:italic" in style
            if bold or italic:
                el.attrib.clear()
                el.tag = "strong" if bold else "em"
                if bold and italic:
                    em = _element("em")
                    em.text, el.text = el.text, None
                    for child in list(el):
                        em.append(child)
                    el.append(em)
            elif el.getparent() is not None:
                el.drop_tag()


# --- code -------------------------------------------------------------------------------


def _code_text(pre) -> str:
    """The code a ``<pre>`` shows: ``<br>`` inside is a newline (the classic editor saves them)."""
    for br in pre.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return pre.text_content()


def code_blocks(root, ctx: RenderContext) -> None:
    """Every ``<pre>`` becomes ``<pre><code class="language-x">`` holding its plain code.

    The language comes from SyntaxHighlighter (``brush: php``), Crayon
    (``lang:php``), WP-Syntax (``lang="php"``), Prism/highlight.js
    (``language-x``) or a block attribute (see :func:`wpmigrate.document.code_language`).
    """
    for pre in list(root.iter("pre")):
        parent = pre.getparent()
        if parent is None:
            continue
        lang = code_language(pre, *[c for c in pre if c.tag == "code"])
        code = _code_text(pre).replace("\r\n", "\n").replace("\xa0", " ")
        if code.startswith("\n"):
            # the HTML parser drops one leading newline of <pre>; WordPress code often has one more
            code = code[1:]
        code = code.rstrip("\n")
        new = _element("pre")
        codeel = etree.SubElement(new, "code")
        if lang:
            codeel.set("class", f"language-{lang}")
        codeel.text = code
        new.tail = pre.tail
        parent.replace(pre, new)


# --- media, galleries, buttons ----------------------------------------------------------


def audio_video(root, ctx: RenderContext) -> None:
    """Players become links to the media they play; core/audio and core/video
    figures a link paragraph and their caption."""
    for el in list(root.iter("audio", "video")):
        src = media_source(el)
        if src:
            a = _element("a", href=src)
            a.text = src
            a.tail = el.tail
            el.getparent().replace(el, a)
        else:
            ctx.warn(f"<{el.tag}> without a source removed")
            _drop(el)
    for fig in list(root.iter("figure")):
        cls = classes(fig)
        if "wp-block-audio" in cls or "wp-block-video" in cls:
            fig.tag = "div"
            for a in fig.findall("a"):
                p = _element("p")
                a.addprevious(p)
                p.append(a)
                p.tail, a.tail = a.tail, None
            for cap in fig.findall("figcaption"):
                cap.tag = "p"
                cap.attrib.clear()


def galleries(root, ctx: RenderContext) -> None:
    """Galleries in one shape: ``<figure class="wp-block-gallery">`` holding one
    ``<figure class="wp-block-image">`` per image (the old ``ul.blocks-gallery-grid``
    of WordPress 5.0–5.8 and the nested image blocks of 5.9+ alike)."""
    for ul in list(root.iter("ul")):
        cls = classes(ul)
        if "blocks-gallery-grid" in cls or "wp-block-gallery" in cls:
            figures = []
            for li in ul.findall("li"):
                f = li.find("figure")
                if f is None:
                    continue
                f.set("class", "wp-block-image")
                for cap in f.findall("figcaption"):
                    cap.attrib.clear()
                figures.append(f)
            if "wp-block-gallery" in cls:  # a <ul class="wp-block-gallery"> (WP 5.0)
                ul.tag = "figure"
                ul.attrib.clear()
                ul.set("class", "wp-block-gallery")
                for li in list(ul):
                    ul.remove(li)
                for f in figures:
                    f.tail = None
                    ul.append(f)
            else:
                for f in figures:
                    f.tail = None
                    ul.addprevious(f)
                ul.getparent().remove(ul)
    for fig in root.iter("figure"):
        if "wp-block-gallery" in classes(fig):
            fig.set("class", "wp-block-gallery")
            for child in fig.findall("figure"):
                if "wp-block-image" in classes(child):
                    child.attrib.clear()
                    child.set("class", "wp-block-image")
                    for cap in child.findall("figcaption"):
                        cap.attrib.clear()


def buttons_and_files(root, ctx: RenderContext) -> None:
    """core/buttons and core/file: plain links, one paragraph each."""
    for div in list(root.iter("div")):
        cls = classes(div)
        if "wp-block-button" in cls or "wp-block-file" in cls:
            for btn in div.findall(".//a"):
                if "wp-block-file__button" in classes(btn):
                    # the visitor saw "File name [Download]" on one line: keep the
                    # button as a plain link after the file's own link
                    href = btn.get("href")
                    btn.attrib.clear()
                    if href:
                        btn.set("href", href)
                    prev = btn.getprevious()
                    if prev is not None and not (prev.tail or "").strip():
                        prev.tail = " "
            for obj in div.findall(".//object"):
                _drop(obj)
            div.tag = "p"
            div.attrib.clear()


_BACKGROUND = re.compile(r"background-image:\s*url\(\s*['\"]?([^'\")]+)")


def cover_images(root, ctx: RenderContext) -> None:
    """core/cover saved with a CSS background image (before WordPress 5.7): the image."""
    for div in list(root.iter("div")):
        cls = classes(div)
        if "wp-block-cover" in cls or "wp-block-cover-image" in cls:
            m = _BACKGROUND.search(div.get("style") or "")
            if m and div.find(".//img") is None:
                img = _element("img", src=m.group(1), alt="")
                div.insert(0, img)
                img.tail = div.text
                div.text = None


def quote_citations(root, ctx: RenderContext) -> None:
    """A citation inside a quote (core/quote, core/pullquote) stands on its own line."""
    for bq in root.iter("blockquote"):
        for cite in bq.findall("cite"):
            if _is_empty(cite):
                _drop(cite)
                continue
            p = _element("p")
            cite.addprevious(p)
            p.append(cite)
            p.text = "— "
            p.tail, cite.tail = cite.tail, None


_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col")


def tables(root, ctx: RenderContext) -> None:
    """Presentational attributes go; merged cells and column alignment stay (as ``data-align``)."""
    for table in root.iter("table"):
        for el in table.iter(*_TABLE_PARTS):
            keep = {}
            for k in ("colspan", "rowspan", "scope"):
                v = el.get(k)
                if v is not None and not (k != "scope" and v.strip() in ("", "1")):
                    keep[k] = v
            align = cell_alignment(el) if el.tag in ("td", "th") else ""
            el.attrib.clear()
            el.attrib.update(keep)
            if align:
                el.set("data-align", align)


# --- empty things -----------------------------------------------------------------------

_CONTENT_TAGS = frozenset(
    ("img", "iframe", "video", "audio", "object", "embed", "svg", "input", "hr", "table", "math", "picture")
)


def _is_empty(el) -> bool:
    if not _EMPTY_TEXT.match("".join(el.itertext())):
        return False
    for d in el.iter():
        if d is el:
            continue
        if not isinstance(d.tag, str):  # a comment (the "comment" shortcode policy, the more marker)
            return False
        if d.tag.lower() in _CONTENT_TAGS:
            return False
        if d.get("id"):  # an anchor target
            return False
    return True


def empty_blocks(root, ctx: RenderContext) -> None:
    """Spacer blocks and empty paragraphs (``&nbsp;``, a lone ``<br>``) go."""
    for div in list(root.iter("div")):
        if "wp-block-spacer" in classes(div) and _is_empty(div):
            _drop(div)
    for p in list(root.iter("p")):
        if _is_empty(p):
            _drop(p)


# --- <!--more--> ------------------------------------------------------------------------


def _strip_edge_breaks(p, at_end: bool) -> None:
    """Line breaks and newlines at one edge of a paragraph go (what ``wpautop()`` does
    to the edges of a paragraph)."""
    while True:
        if at_end:
            if len(p) and tag_of(p[-1]) == "br" and not (p[-1].tail or "").strip("\n"):
                p.remove(p[-1])
                continue
            if len(p):
                p[-1].tail = (p[-1].tail or "").rstrip("\n") or None
            else:
                p.text = (p.text or "").rstrip("\n") or None
            return
        if len(p) and tag_of(p[0]) == "br" and not (p.text or "").strip("\n"):
            first = p[0]
            p.text = (first.tail or "").lstrip("\n") or None
            p.remove(first)
            continue
        p.text = (p.text or "").lstrip("\n") or None
        return


def more_marker(root, ctx: RenderContext) -> None:
    """``<!--more-->`` becomes one marker in the tree.

    A marker written inside a paragraph of its own (``wpautop()`` wraps a line
    holding only the marker) or between two lines of a paragraph ends that
    paragraph there, as the author meant; a marker inside anything else (a
    table cell, a quote, bold text) splits nothing. The summary is later cut
    from the cleaned tree at the marker; ``--more drop`` removes it here.
    """
    marker = None
    for node in root.iter(etree.Comment):
        if is_more(node):
            marker = node
            break
    if marker is None:
        return
    if ctx.options.more == MorePolicy.DROP:
        _split_paragraph(marker, root)
        remove_more_marker(marker, root)
        return
    _split_paragraph(marker, root)


def _split_paragraph(marker, root) -> bool:
    """End a top-level paragraph at the marker; True when it was split."""
    p = marker.getparent()
    if p is root or tag_of(p) != "p" or p.getparent() is not root:
        return False
    # a second paragraph from what follows the marker
    rest = _element("p")
    rest.text = marker.tail
    marker.tail = None
    for later in list(marker.itersiblings()):
        rest.append(later)
    rest.tail = p.tail
    p.remove(marker)
    p.addnext(marker)
    marker.addnext(rest)
    marker.tail = "\n"
    p.tail = "\n"
    _strip_edge_breaks(p, at_end=True)
    _strip_edge_breaks(rest, at_end=False)
    for part in (p, rest):
        if not len(part) and not (part.text or "").strip():
            _remove_keeping_tail(part)
    return True


def _remove_keeping_tail(node) -> None:
    parent = node.getparent()
    if node.tail:
        _text_before(node, node.tail)
    parent.remove(node)


def remove_more_marker(marker, root) -> None:
    """Take the marker out of the body: between blocks with the line it stood on,
    inside text without touching the text around it."""
    if marker.getparent() is root and not (marker.tail or "").strip():
        root.remove(marker)  # (lxml removes the tail with it)
    else:
        _remove_keeping_tail(marker)


# --- blank lines ------------------------------------------------------------------------

_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def blank_lines(root, ctx: RenderContext) -> None:
    """Runs of blank lines left between blocks (block delimiters, dropped elements) → one;
    code keeps its blank lines."""
    in_code = set()
    for pre in root.iter("pre"):
        in_code.update(pre.iterdescendants())
    for el in root.iter():
        if in_code and el in in_code:
            continue
        text = el.text
        if text and el.tag != "pre" and text.count("\n") >= 2:
            el.text = _BLANK_RUN.sub("\n\n", text)
        tail = el.tail
        if tail and el is not root and tail.count("\n") >= 2:
            el.tail = _BLANK_RUN.sub("\n\n", tail)


#: the normalise steps, in order
STEPS = (
    scripts_and_styles,
    smilies,
    word_junk,
    page_builders,
    code_blocks,
    audio_video,
    galleries,
    buttons_and_files,
    cover_images,
    quote_citations,
    tables,
    empty_blocks,
    more_marker,
    blank_lines,
)
