"""The last render pass, on a parsed tree: leftovers and normalisation.

What WordPress's front end would also do, or what the Markdown stage needs
in one shape:

* ``<script>``/``<style>`` removed (reported), Word paste junk unwrapped
  (``MsoNormal`` classes, ``<o:p>``, ``<font>``, styled ``<span>``, ``mso``
  conditional comments), empty paragraphs (``&nbsp;``, a lone ``<br>``) dropped;
* smilies: ``<img class="wp-smiley" alt="😀">`` (``convert_smilies()``) and
  twemoji images become the emoji text;
* code: every ``<pre>`` becomes ``<pre><code class="language-x">`` with the
  language from SyntaxHighlighter (``brush: php``), Crayon (``lang:php``),
  WP-Syntax (``lang="php"``), Prism/highlight.js (``language-x``/``lang-x``)
  or a block attribute;
* audio and video elements become links to the media, old galleries
  (``ul.blocks-gallery-grid``) the contract's figure shape, buttons and file
  blocks plain links, quote citations a paragraph of their own; tables lose
  presentational attributes (``colspan``/``rowspan`` stay).

Every step is idempotent: running the pass on its own output changes nothing.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .codeblocks import LANGUAGE_SHORTCODES
from .context import RenderContext, esc
from ..wordpress.spans import map_outside

__all__ = ["cleanup"]

_ROOT_ID = "wpmigrate-render-root"



_ALIGNMENTS = ("left", "center", "right")
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(left|center|right)", re.I)


def _cell_alignment(el) -> str | None:
    """left, center or right when a table cell says how it is aligned."""
    if el.tag not in ("td", "th"):
        return None
    for value in (el.get("data-align"), el.get("align")):
        if value and value.strip().lower() in _ALIGNMENTS:
            return value.strip().lower()
    for cls in _classes(el):
        if cls.startswith("has-text-align-") and cls[15:] in _ALIGNMENTS:
            return cls[15:]
    m = _TEXT_ALIGN.search(el.get("style") or "")
    return m.group(1).lower() if m else None

def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _unwrap(el) -> None:
    """Remove the tag, keep its children and text in place."""
    parent = el.getparent()
    if parent is None:
        return
    el.drop_tag()


def _drop(el) -> None:
    """Remove the element and everything inside, keep its tail text."""
    el.drop_tree()


# --- languages of code blocks ------------------------------------------------

_LANG_PATTERNS = [
    re.compile(r"\bbrush:\s*([\w#+-]+)", re.I),  # SyntaxHighlighter
    re.compile(r"\blang:([\w#+-]+)", re.I),  # Crayon
    re.compile(r"\blanguage-([\w#+-]+)", re.I),  # Prism, highlight.js, core/code
    re.compile(r"\blang-([\w#+-]+)", re.I),
]
_LANG_ALIASES = {"js": "javascript", "jscript": "javascript", "py": "python", "rb": "ruby", "sh": "bash",
                 "shell": "bash", "c-sharp": "csharp", "plain": "text", "xhtml": "html"}


def _language(pre) -> str:
    candidates = [pre] + [c for c in pre if c.tag == "code"]
    for el in candidates:
        for attr in ("data-language", "lang", "data-lang"):
            value = (el.get(attr) or "").strip()
            if value:
                return _LANG_ALIASES.get(value.lower(), value.lower())
        cls = el.get("class") or ""
        for pattern in _LANG_PATTERNS:
            m = pattern.search(cls)
            if m:
                value = m.group(1).lower()
                return _LANG_ALIASES.get(value, value)
        # GeSHi / WP-Syntax / highlight.js also write the bare language as a class
        for token in cls.lower().split():
            if token in LANGUAGE_SHORTCODES and token not in ("plain", "text"):
                return LANGUAGE_SHORTCODES[token]
    return ""


def _pre_text(pre) -> str:
    # <br> inside <pre> is a newline (the classic editor saves them).
    for br in pre.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return pre.text_content()


def _normalise_pre(pre) -> None:
    lang = _language(pre)
    code = _pre_text(pre).replace("\r\n", "\n").replace("\xa0", " ")
    if code.startswith("\n"):
        # The HTML parser drops one leading newline of <pre>; WordPress code often has one more.
        code = code[1:]
    code = code.rstrip("\n")
    new = lxml.html.fragment_fromstring("<pre><code></code></pre>")
    codeel = new[0]
    if lang:
        codeel.set("class", f"language-{lang}")
    codeel.text = code
    new.tail = pre.tail
    pre.getparent().replace(pre, new)


# --- the pass ------------------------------------------------------------------

_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col")
_WORD_CLASS = re.compile(r"^Mso", re.I)
_EMPTY_TEXT = re.compile(r"^[\s\xa0\u200b]*$")
_CONTENT_TAGS = {"img", "iframe", "video", "audio", "object", "embed", "svg", "input", "hr", "table", "math", "picture"}


def _is_empty(el) -> bool:
    if not _EMPTY_TEXT.match("".join(el.itertext())):
        return False
    for d in el.iter():
        if d is el:
            continue
        if not isinstance(d.tag, str):  # a comment (the "comment" shortcode policy)
            return False
        if d.tag.lower() in _CONTENT_TAGS:
            return False
        if isinstance(d.tag, str) and d.get("id"):  # an anchor target
            return False
    return True


def _media_src(el) -> str:
    src = el.get("src") or ""
    if not src:
        for s in el.iter("source"):
            if s.get("src"):
                return s.get("src")
        a = el.find(".//a")
        if a is not None and a.get("href"):
            return a.get("href")
    return src


_PARSER = lxml.html.HTMLParser(huge_tree=True)
_TAGS = re.compile(r"<[^<>]*>")
_WORDS = re.compile(r"\w+")


def _lost_text(html: str, root) -> bool:
    import html as _h

    before = len(_WORDS.findall(_h.unescape(_TAGS.sub(" ", html))))
    after = len(_WORDS.findall(" ".join(root.itertext())))
    return after < before * 0.9


def cleanup(html: str, ctx: RenderContext) -> str:
    """Parse ``html``, apply the leftovers pass, serialise again."""
    if not html.strip():
        return ""
    doc = lxml.html.document_fromstring(
        f'<html><body><div id="{_ROOT_ID}">{html}</div></body></html>', parser=_PARSER
    )
    root = doc.get_element_by_id(_ROOT_ID, None)
    if root is None or _lost_text(html, root):
        # libxml2 stops nesting elements at a fixed depth and drops what is
        # deeper; better to hand the HTML on untouched than lose text.
        ctx.warn("HTML nested too deeply to clean up; passed on as it is")
        return html

    # script/style/noscript-like things a Markdown file cannot carry
    for el in list(root.iter("script", "style")):
        ctx.warn(f"removed <{el.tag}>")
        _drop(el)
    for el in list(root.iter("meta", "link", "xml")):
        _drop(el)
    for c in list(root.iter(etree.Comment)):
        text = c.text or ""
        if re.search(r"\[if\s|\[endif\]|\bmso\b|StartFragment|EndFragment", text, re.I):
            _drop(c)

    # smilies: convert_smilies() and wp-emoji images carry the emoji in alt
    for img in list(root.iter("img")):
        cls = _classes(img)
        if "wp-smiley" in cls or "emoji" in cls:
            alt = img.get("alt") or ""
            tail = img.tail or ""
            prev = img.getprevious()
            parent = img.getparent()
            if prev is not None:
                prev.tail = (prev.tail or "") + alt + tail
            else:
                parent.text = (parent.text or "") + alt + tail
            parent.remove(img)

    # Word paste junk
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if ":" in tag:  # <o:p>, <st1:place>, <v:shape> from Word
            if _EMPTY_TEXT.match("".join(el.itertext())) and len(el) == 0:
                _drop(el)
            else:
                _unwrap(el)
            continue
        if "mso-" in (el.get("style") or "") and tag not in ("span", "font"):
            del el.attrib["style"]
        cls = [c for c in _classes(el) if not _WORD_CLASS.match(c)]
        if el.get("class") is not None and len(cls) != len(_classes(el)):
            if cls:
                el.set("class", " ".join(cls))
            else:
                del el.attrib["class"]
        if tag in ("font", "span") and not set(el.attrib) - {"style", "lang", "class", "dir", "data-mce-style", "face", "size", "color"}:
            if tag == "span" and el.get("class") and not el.get("class", "").startswith("Apple-"):
                continue  # a span with a meaning of its own (a plugin's, a theme's)
            # Bold and italic given only as inline style (Word, Apple, old
            # TinyMCE) are kept as <strong>/<em>; the rest of the style goes.
            style = re.sub(r"\s+", "", (el.get("style") or "").lower())
            bold = re.search(r"font-weight:(bold|[6-9]00)", style) is not None
            italic = "font-style:italic" in style
            if bold or italic:
                el.attrib.clear()
                el.tag = "strong" if bold else "em"
                if bold and italic:
                    em = lxml.html.Element("em")
                    em.text, el.text = el.text, None
                    for child in list(el):
                        em.append(child)
                    el.append(em)
            else:
                _unwrap(el)

    # code blocks
    for pre in list(root.iter("pre")):
        if pre.getparent() is not None:
            _normalise_pre(pre)

    # audio/video → links to the media
    for el in list(root.iter("audio", "video")):
        src = _media_src(el)
        if src:
            a = lxml.html.Element("a", href=src)
            a.text = src
            a.tail = el.tail
            el.getparent().replace(el, a)
        else:
            ctx.warn(f"<{el.tag}> without a source removed")
            _drop(el)
    for fig in list(root.iter("figure")):
        cls = _classes(fig)
        if "wp-block-audio" in cls or "wp-block-video" in cls:
            fig.tag = "div"
            for a in fig.findall("a"):
                p = lxml.html.Element("p")
                a.addprevious(p)
                p.append(a)
                p.tail, a.tail = a.tail, None
            for cap in fig.findall("figcaption"):
                cap.tag = "p"
                cap.attrib.clear()

    # old gallery markup (before nested image blocks): ul.blocks-gallery-grid
    for ul in list(root.iter("ul")):
        cls = _classes(ul)
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
        if "wp-block-gallery" in _classes(fig):
            fig.set("class", "wp-block-gallery")
            # nested image blocks (WordPress 5.9+): one contract-shaped figure each
            for child in fig.findall("figure"):
                if "wp-block-image" in _classes(child):
                    child.attrib.clear()
                    child.set("class", "wp-block-image")
                    for cap in child.findall("figcaption"):
                        cap.attrib.clear()

    # buttons and file blocks: plain links, one per paragraph
    for div in list(root.iter("div")):
        cls = _classes(div)
        if "wp-block-button" in cls or "wp-block-file" in cls:
            for btn in div.findall(".//a"):
                if "wp-block-file__button" in _classes(btn):
                    # the visitor saw "File name [Download]" on one line: keep
                    # the button as a plain link after the file's own link
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

    # cover blocks saved with a CSS background image (before WordPress 5.7)
    for div in list(root.iter("div")):
        cls = _classes(div)
        if "wp-block-cover" in cls or "wp-block-cover-image" in cls:
            m = re.search(r"background-image:\s*url\(\s*['\"]?([^'\")]+)", div.get("style") or "")
            if m and div.find(".//img") is None:
                img = lxml.html.Element("img", src=m.group(1), alt="")
                div.insert(0, img)
                img.tail = div.text
                div.text = None

    # a citation inside a quote stands on its own line
    for bq in root.iter("blockquote"):
        for cite in bq.findall("cite"):
            if _is_empty(cite):
                _drop(cite)
                continue
            p = lxml.html.Element("p")
            cite.addprevious(p)
            p.append(cite)
            p.text = "— "
            p.tail, cite.tail = cite.tail, None

    # tables: presentational attributes go; merged cells and column alignment stay
    # (core/table writes data-align and has-text-align-*, the classic editor
    # align= or an inline text-align), alignment as data-align for the Markdown stage
    for table in root.iter("table"):
        for el in table.iter(*_TABLE_PARTS):
            keep = {}
            for k in ("colspan", "rowspan", "scope"):
                v = el.get(k)
                if v is not None and not (k != "scope" and v.strip() in ("", "1")):
                    keep[k] = v
            align = _cell_alignment(el)
            el.attrib.clear()
            el.attrib.update(keep)
            if align:
                el.set("data-align", align)

    # spacer divs and empty paragraphs
    for div in list(root.iter("div")):
        if "wp-block-spacer" in _classes(div) and _is_empty(div):
            _drop(div)
    for p in list(root.iter("p")):
        if _is_empty(p):
            _drop(p)

    out = esc(root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode", method="html") for child in root
    )
    out = _collapse_blank_lines(out)
    return out.strip("\n") + "\n" if out.strip() else ""


_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def _collapse_blank_lines(html: str) -> str:
    """Runs of blank lines left between blocks (delimiters, dropped elements) → one."""
    return map_outside(html, ("pre",), lambda piece: _BLANK_RUN.sub("\n\n", piece))
