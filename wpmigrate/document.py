"""The one tree per post, and the HTML vocabulary of wpmigrate decided in one place.

After WordPress's own string rules (``wpautop()``, shortcodes, block markup) a
post is HTML, and from there on it is one lxml tree: :meth:`Document.parse` is
the only place HTML is parsed, the render stage normalises the tree, the
cleaner removes boilerplate from it, and the Markdown writer reads it. Nothing
is serialised between stages.

Every stage that asks a question about HTML asks this module, so a fact is
decided once and the same way everywhere:

* which elements are blocks, which show something without text, which are
  never visible (:data:`BLOCK_TAGS`, :data:`EMBED_TAGS`,
  :data:`VISIBLE_WITHOUT_TEXT`, :data:`NEVER_VISIBLE`);
* a code block's language (:func:`code_language`), a table cell's alignment
  (:func:`cell_alignment`), whether an image is an emoji
  (:func:`emoji_text`), the address of a lazy-loaded image (:func:`image_source`)
  or of an audio/video element (:func:`media_source`);
* whether text is a whole page or a fragment (:func:`looks_like_page`) and
  whether the parser lost text on the way (:func:`lost_text`).
"""

from __future__ import annotations

import copy
import html as htmllib
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from wpmigrate.wordpress.languages import LANGUAGE_NAMES, language_name

__all__ = [
    "BLOCK_TAGS",
    "Document",
    "EMBED_TAGS",
    "MORE",
    "NEVER_VISIBLE",
    "NO_TEXT",
    "VISIBLE_WITHOUT_TEXT",
    "cell_alignment",
    "classes",
    "code_language",
    "emoji_text",
    "image_source",
    "inner_html",
    "is_more",
    "looks_like_page",
    "lost_text",
    "media_source",
    "tag_of",
    "text_of",
]

# --- the vocabulary -------------------------------------------------------------------

#: Elements that start a block of their own when a browser lays the page out.
BLOCK_TAGS = frozenset(
    """address article aside blockquote caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr legend li main menu nav ol
    p pre section summary table tbody td tfoot th thead tr ul""".split()
)
#: Replaced elements that a page shows as a block of their own (a player, an embed).
EMBED_TAGS = frozenset(("iframe", "video", "audio"))
#: Elements that show something even without text.
VISIBLE_WITHOUT_TEXT = frozenset(
    "img iframe video audio hr table pre select object embed svg input math picture".split()
)
#: Elements whose content is never shown as text (their tail text is).
NO_TEXT = frozenset(("script", "style", "template", "noscript"))
#: Elements a Markdown file cannot show at all; dropped with everything inside.
NEVER_VISIBLE = frozenset(
    """script style template head title meta link base noscript svg canvas map input textarea
    datalist param track object embed""".split()
)
#: The text of the comment that marks ``<!--more-->`` in the tree (WordPress's
#: single view turns the marker into a point in the page, ``<span id="more-N">``).
MORE = "more"


def tag_of(el) -> str:
    """The element's tag in lower case; ``""`` for comments and processing instructions."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def classes(el) -> list[str]:
    return (el.get("class") or "").split()


def is_more(node) -> bool:
    """Is ``node`` the ``<!--more-->`` marker?"""
    return node.tag is etree.Comment and (node.text or "").strip() == MORE


# --- code, tables, images, media ------------------------------------------------------

# SyntaxHighlighter (class="brush: php"), Crayon (lang:php), Prism and highlight.js
# and core/code (language-php, lang-php)
_LANGUAGE_CLASSES = (
    re.compile(r"\bbrush:\s*([\w#+.-]+)", re.I),
    re.compile(r"\blang:([\w#+.-]+)", re.I),
    re.compile(r"(?:^|\s)language-([\w#+.-]+)", re.I),
    re.compile(r"(?:^|\s)lang-([\w#+.-]+)", re.I),
)


def code_language(*elements) -> str:
    """The language a code block declares, normalised (``js`` → ``javascript``); ``""`` if none.

    Looked for on each element in turn (the ``<pre>`` and its ``<code>``): the
    ``data-language``/``lang``/``data-lang`` attribute, then a class in the
    SyntaxHighlighter, Crayon, Prism or highlight.js style, then a bare
    language class (GeSHi, WP-Syntax).
    """
    for el in elements:
        if el is None:
            continue
        for attr in ("data-language", "lang", "data-lang"):
            value = (el.get(attr) or "").strip()
            if value:
                return language_name(value.split()[0])
        cls = el.get("class") or ""
        for pattern in _LANGUAGE_CLASSES:
            m = pattern.search(cls)
            if m:
                return language_name(m.group(1))
        for token in cls.lower().split():
            if token in LANGUAGE_NAMES and token not in ("plain", "text"):
                return LANGUAGE_NAMES[token]
    return ""


_ALIGNMENTS = ("left", "center", "right")
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(left|center|right)", re.I)


def cell_alignment(cell) -> str:
    """``left``, ``center`` or ``right`` when a table cell says how it is aligned, else ``""``:
    core/table's ``data-align`` and ``has-text-align-*``, classic ``align=`` or a ``text-align`` style."""
    for value in (cell.get("data-align"), cell.get("align")):
        if value and value.strip().lower() in _ALIGNMENTS:
            return value.strip().lower()
    for cls in classes(cell):
        if cls.startswith("has-text-align-") and cls[15:] in _ALIGNMENTS:
            return cls[15:]
    m = _TEXT_ALIGN.search(cell.get("style") or "")
    return m.group(1).lower() if m else ""


_EMOJI_SRC = re.compile(r"/images/core/emoji/|/wp-includes/images/smilies/", re.I)


def emoji_text(img) -> str | None:
    """The emoji an ``<img>`` stands for, or None when it is a real image.

    ``convert_smilies()`` and the wp-emoji script put the emoji in ``alt`` of
    an image with class ``wp-smiley``/``emoji``: such an image is its text,
    even an empty one. An image from WordPress's emoji and smilies folders
    without those classes counts when it carries the emoji in ``alt``.
    """
    alt = (img.get("alt") or "").strip()
    cls = classes(img)
    if "wp-smiley" in cls or "emoji" in cls:
        return alt
    if alt and _EMOJI_SRC.search(img.get("src") or ""):
        return alt
    return None


# lazy-loading placeholders: inline data, blank/spacer/placeholder files
_PLACEHOLDER = re.compile(
    r"^data:|/[^/]*(?:blank|spacer|placeholder|transparent|pixel|empty|loading|lazy[-_]?(?:load|[a-z0-9]{0,3}))"
    r"[^/]*\.(?:gif|png|svg|jpe?g|webp)(?:$|[?#])",
    re.I,
)


def image_source(img) -> tuple[str, list[str]]:
    """An image's real address and the placeholder addresses seen on the way.

    Lazy loaders keep the real address in a ``data-…src`` attribute and put a
    placeholder (inline data, a blank or "lazy" image) in ``src``.
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


def media_source(el) -> str:
    """The address an ``<audio>``/``<video>`` plays: ``src``, a ``<source>``, or its fallback link."""
    src = el.get("src") or ""
    if src:
        return src
    for s in el.iter("source"):
        if s.get("src"):
            return s.get("src")
    a = el.find(".//a")
    if a is not None and a.get("href"):
        return a.get("href")
    return ""


# --- text -----------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def text_of(el) -> str:
    """Visible text of an element, whitespace folded: scripts, styles and comments left
    out (the text after them kept), blocks and ``<br>`` apart by a space.

    Iterative, not recursive: a hostile page can nest thousands of elements.
    """
    if not isinstance(el.tag, str) or el.tag in NO_TEXT:
        return ""
    parts: list[str] = []
    stack: list[tuple[str, object]] = [("open", el)]
    while stack:
        step, node = stack.pop()
        if step == "tail":
            if node.tail:
                parts.append(node.tail)
            continue
        spaced = node is not el and (node.tag in BLOCK_TAGS or node.tag == "br")
        if step == "close":
            if spaced:
                parts.append(" ")
            if node is not el and node.tail:
                parts.append(node.tail)
            continue
        if spaced:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        stack.append(("close", node))
        for child in reversed(node):
            if isinstance(child.tag, str) and child.tag not in NO_TEXT:
                stack.append(("open", child))
            else:
                stack.append(("tail", child))  # a comment, a script: only the text after it counts
    return _SPACE.sub(" ", "".join(parts).replace("\u00a0", " ")).strip()


def inner_html(el) -> str:
    """The element's content as HTML (its own tag left out)."""
    parts = [htmllib.escape(el.text, quote=False) if el.text else ""]
    for child in el:
        parts.append(lxml.html.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|template|noscript)\b.*?(?:</\1\s*>|\Z)|<[^>]*>", re.S | re.I)


def visible_estimate(html: str) -> int:
    """How many visible non-space characters ``html`` holds, estimated without a parser."""
    return len("".join(htmllib.unescape(_MARKUP.sub(" ", html)).split()))


def lost_text(html: str, root) -> bool:
    """Did the parser drop text (libxml2 stops building the tree below a nesting limit)?

    The estimate strips tags with a pattern; it is generous, so only a real loss
    trips it: a tenth of a long text, or half of a short one.
    """
    estimate = visible_estimate(html)
    parsed = len(text_of(root).replace(" ", ""))
    return parsed < 0.9 * estimate - 40 or parsed * 2 < estimate


# --- whole page or fragment -----------------------------------------------------------

_WS = " \t\n\r\f\v\ufeff"
# Elements that may stand in a saved page before <html>/<head>/<body> (a page
# saved by a browser or a scraper often begins with them).
_HEAD_VOID = ("<meta", "<link", "<base")
_PAGE_START = ("<!doctype", "<html", "<head", "<body")
_NAME_END = frozenset(" \t\n\r\f/>")


def _tag_at(lower: str, i: int, names: tuple[str, ...]) -> bool:
    """Does a start tag named one of ``names`` (e.g. ``"<html"``) begin at ``i``?"""
    for name in names:
        if lower.startswith(name, i):
            end = i + len(name)
            return end == len(lower) or lower[end] in _NAME_END
    return False


def looks_like_page(html: str) -> bool:
    """Whether ``html`` is a whole page (doctype, ``<html>``, ``<head>`` or ``<body>`` first)
    rather than a fragment such as a post body.

    What may come first is skipped: an XML declaration, comments, and the
    head-only tags (``<meta>``, ``<link>``, ``<base>``, ``<title>``) a saved page
    may begin with; a page that something else was printed before (a PHP
    warning, a script) is known by its doctype, or its ``<html>`` with a
    ``<head>`` or ``<body>``, wherever they are. The scan looks at each character at most a few times, so
    no input can make it slow (a pattern over leading comments backtracked
    exponentially).
    """
    lower = html.lower()
    return _page_first(lower) or _page_after_junk(lower)


def _page_first(lower: str) -> bool:
    i, n = 0, len(lower)
    while True:
        while i < n and lower[i] in _WS:
            i += 1
        if i >= n or lower[i] != "<":
            return False
        if _tag_at(lower, i, _PAGE_START):
            return True
        if lower.startswith("<?xml", i):
            end = lower.find(">", i)
        elif lower.startswith("<!--", i):
            end = lower.find("-->", i + 4)
            end = end + 2 if end >= 0 else -1
        elif _tag_at(lower, i, _HEAD_VOID):
            end = lower.find(">", i)
        elif _tag_at(lower, i, ("<title",)):
            end = lower.find("</title", i)
            end = lower.find(">", end) if end >= 0 else -1
        else:
            return False
        if end < 0:
            return False
        i = end + 1


def _has_tag(lower: str, name: str) -> bool:
    i = lower.find(name)
    while i >= 0:
        if _tag_at(lower, i, (name,)):
            return True
        i = lower.find(name, i + 1)
    return False


def _page_after_junk(lower: str) -> bool:
    """A page that something was printed before: PHP's ``<b>Warning</b>: … on line 12``,
    a ``<script>`` or stray text ahead of ``<!DOCTYPE>``. The page's own tags decide:
    a doctype, or ``<html>`` with a ``<head>`` or ``<body>``, anywhere in the text
    (a post body never holds them as tags)."""
    if _has_tag(lower, "<!doctype"):
        return True
    return _has_tag(lower, "<html") and (_has_tag(lower, "<head") or _has_tag(lower, "<body"))


# --- the one tree ---------------------------------------------------------------------

# libxml2 stops building the tree below a nesting limit and drops what is deeper;
# huge_tree raises that limit, and lost_text() catches what is still dropped
PARSER = lxml.html.HTMLParser(huge_tree=True, remove_comments=False, remove_pis=True)
# Every element an HtmlElement (drop_tree, drop_tag, text_content …), chosen by libxml2's
# side of lxml: lxml.html's own lookup calls back into Python for every element object
# made to find a per-tag class (forms, inputs), which no stage uses, and costs a
# seventh of a body's conversion.
PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)
# libxml2's nesting limit with huge_tree (xmlParserMaxDepth): HTML with fewer tags
# than this cannot nest deep enough to lose anything to it
_DEPTH_LIMIT = 2048


def _may_lose_text(html: str) -> bool:
    """Whether a parse of ``html`` could drop text: enough tags to nest past the limit,
    or a tag left open at the end (which libxml2, like a browser, drops)."""
    return html.count("<") >= _DEPTH_LIMIT or html.rfind("<") > html.rfind(">")


# what no HTML text can carry: C0 controls but tab and newlines, and lone surrogates
# (lxml refuses both)
_UNPARSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SOUP = re.compile(r"</?(?:div|span|section|article|font)\b[^>]*>", re.I)


@dataclass
class Document:
    """One post (or one scraped page) as one lxml tree.

    ``root`` is the element whose content is the document's content: a
    ``<div>`` around a fragment, or the ``<body>`` of a whole page (the cleaner
    may narrow it to the article). ``page`` is the ``<html>`` element of a whole
    page, ``None`` for a fragment. ``warnings`` says what parsing had to give up.
    """

    root: etree._Element
    page: etree._Element | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def empty(cls) -> Document:
        return cls(lxml.html.Element("div"))

    @classmethod
    def parse(cls, html: str) -> Document:
        """Parse HTML text into a document: the one parse of a post's HTML.

        A whole page keeps its ``<head>`` (title, meta tags) in ``page``.
        Where libxml2 loses text to deep nesting, meaningless ``<div>``/``<span>``
        soup is flattened and the parse tried again; where even that loses text,
        the text is kept as one paragraph. Each fallback is a warning.
        """
        if not html or not html.strip():
            return cls.empty()
        warnings: list[str] = []
        if _UNPARSABLE.search(html):
            html = _UNPARSABLE.sub(lambda m: "\ufffd" if "\ud800" <= m.group(0) <= "\udfff" else "", html)
        html = _XML_DECL.sub("", html, count=1)
        doc = cls._parse_once(html)
        if doc is None or (_may_lose_text(html) and lost_text(html, doc.root)):
            flat = _SOUP.sub(" ", html)
            doc = cls._parse_once(flat)
            if doc is None or lost_text(flat, doc.root):
                doc = cls.empty()
                p = etree.SubElement(doc.root, "p")
                p.text = " ".join(htmllib.unescape(_MARKUP.sub(" ", html)).split())
                warnings.append("HTML nested too deeply for the parser: kept as plain text")
            else:
                warnings.append("HTML nested too deeply for the parser: <div>/<span> wrappers flattened")
        doc.warnings.extend(warnings)
        return doc

    @classmethod
    def _parse_once(cls, html: str) -> Document | None:
        try:
            if looks_like_page(html):
                page = lxml.html.document_fromstring(html, parser=PARSER)
                body = page.find("body")
                return cls(body if body is not None else page, page)
            return cls(lxml.html.fragment_fromstring(html, create_parent="div", parser=PARSER))
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            return None

    # -- reading ------------------------------------------------------------------

    @property
    def is_page(self) -> bool:
        return self.page is not None

    def html(self) -> str:
        """The content as HTML text (for the library API and reports, never between stages)."""
        return inner_html(self.root)

    def text(self) -> str:
        return text_of(self.root)

    def more_marker(self):
        """The ``<!--more-->`` marker in the tree, or None."""
        for node in self.root.iter(etree.Comment):
            if is_more(node):
                return node
        return None

    # -- the summary ----------------------------------------------------------------

    def copy(self) -> Document:
        return Document(copy.deepcopy(self.root), None, list(self.warnings))

    def cut_at_more(self) -> Document | None:
        """A copy of the document up to the ``<!--more-->`` marker, or None without one.

        This is WordPress's teaser: ``get_the_content()`` on an archive view
        keeps what comes before the marker and closes the elements still open
        there (``force_balance_tags()``), so a marker inside a table keeps the
        rows before it and the start of its own row.
        """
        if self.more_marker() is None:
            return None
        summary = self.copy()
        marker = summary.more_marker()
        node = marker
        while node is not None and node is not summary.root:
            parent = node.getparent()
            for later in list(node.itersiblings()):
                parent.remove(later)
            node.tail = None
            node = parent
        marker.getparent().remove(marker)
        return summary


# --- facts the cleaner needs ------------------------------------------------------------

#: Elements text_of() reads differently from libxml2's text serialisation: a space
#: around blocks and <br>, nothing of scripts and styles.
SPACED_OR_HIDDEN = BLOCK_TAGS | NO_TEXT | {"br"}


def block_text(el) -> str:
    """:func:`text_of` for the elements the cleaner reads most, paragraphs and list items.

    The same text, read by libxml2 in one call when nothing inside needs
    text_of's walk (no block, ``<br>``, script or style inside), else by text_of.
    (``str.split()`` folds exactly the whitespace that ``\\s`` matches.)
    """
    if not isinstance(el.tag, str) or el.tag in NO_TEXT:
        return ""
    if not len(el):
        return " ".join(el.text.split()) if el.text else ""
    if any(node.tag in SPACED_OR_HIDDEN for node in el.iterdescendants()):
        return text_of(el)
    return " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())


__all__ += ["SPACED_OR_HIDDEN", "block_text"]


# --- facts the Markdown writer needs ----------------------------------------------------


def embed_source(el) -> str:
    """The address an ``<iframe>``, ``<video>`` or ``<audio>`` shows, lazy-loaded ones too.

    ``src``; then ``data-src``, where lazy loaders (lazysizes, WP Rocket, a3 Lazy
    Load, Jetpack) keep the address until the element scrolls into view; then,
    for audio and video, :func:`media_source` (a ``<source>``, or the fallback
    link inside). ``""`` when there is none.
    """
    src = (el.get("src") or el.get("data-src") or "").strip()
    if src or tag_of(el) == "iframe":
        return src
    return media_source(el).strip()
