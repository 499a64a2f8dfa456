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
  or of an audio/video element (:func:`media_source`), what an ``<object>``/``<embed>``
  plays (:func:`plugin_movie`) and a Flash video's page (:func:`flash_video_page`);
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
    "BOX_DISPLAYS",
    "EMBED_TAGS",
    "MORE",
    "NEVER_VISIBLE",
    "NO_TEXT",
    "VISIBLE_WITHOUT_TEXT",
    "cell_alignment",
    "classes",
    "code_language",
    "displayed_as_box",
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


#: ``display`` values that lay an element out as a box of its own (on its own line, or a
#: table cell beside others): its text never runs on into its neighbours' text.
BOX_DISPLAYS = frozenset(
    """block flex grid list-item table flow-root table-row table-cell table-caption
    table-row-group table-header-group table-footer-group""".split()
)
_DISPLAY = re.compile(r"(?:^|;)\s*display\s*:\s*([a-z-]+)\s*(?:!\s*important\s*)?(?=;|$)", re.I)


def displayed_as_box(el) -> bool:
    """Does the element's own ``style`` display it as a box of its own (``display: block``,
    ``flex``, ``list-item``, ``table`` …, any case, ``!important`` or not; the last
    declaration counts)? A ``<span style="display:block">`` separates its text
    from what is around it as a ``<div>`` would."""
    style = el.get("style")
    if not style or "display" not in style.lower():
        return False
    found = _DISPLAY.findall(style)
    return bool(found) and found[-1].lower() in BOX_DISPLAYS


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


_SCHEME_OR_WWW = re.compile(r"^(?:[a-z][a-z0-9+.-]*:(?://)?)?(?:www\.)?", re.I)


def _address_key(address: str) -> str:
    return _SCHEME_OR_WWW.sub("", address.strip()).rstrip("/").lower()


def address_in_code(el) -> str:
    """What a link or an image in preformatted text adds after itself so its address is kept.

    A code block is plain text: a link there would show only its text and an
    image nothing. A link adds `` <URL>`` (nothing when its text already shows
    the address, or it points into the page); an image ``<URL>`` (nothing for
    an emoji, which shows as its text, or inline data).
    """
    tag = tag_of(el)
    if tag == "a":
        href = (el.get("href") or "").strip()
        if not href or href.startswith("#") or _SCRIPT_SCHEME.match(href):
            return ""
        if _address_key(el.text_content()) == _address_key(href):
            return ""
        return f" <{href}>"
    if tag == "img" and emoji_text(el) is None:
        src, _ = image_source(el)
        if src and not src.lower().startswith("data:") and not _SCRIPT_SCHEME.match(src):
            return f"<{src}>"
    return ""


_SCRIPT_SCHEME = re.compile(r"^\s*(?:javascript|vbscript):", re.I)

__all__ += ["address_in_code"]


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


#: The Flash players of video hosts, and the page of the video each plays: static site
#: generators and themes embed a video from that page's address.
FLASH_VIDEO_PAGES = (
    (
        re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/v/([A-Za-z0-9_-]{6,})", re.I),
        "https://www.youtube.com/watch?v={}",
    ),
    (
        re.compile(
            r"^(?:https?:)?//(?:www\.|player\.)?vimeo\.com/moogaloop\.swf\?(?:[^#]*?[&;])?clip_id=([0-9]+)", re.I
        ),
        "https://vimeo.com/{}",
    ),
    (
        re.compile(r"^(?:https?:)?//(?:www\.)?dailymotion\.com/swf/(?:video/)?([A-Za-z0-9]+)", re.I),
        "https://www.dailymotion.com/video/{}",
    ),
    (re.compile(r"^(?:https?:)?//v\.wordpress\.com/([A-Za-z0-9]+)", re.I), "https://videopress.com/v/{}"),
)
_FLASH_TYPE = "application/x-shockwave-flash"
_FLASH_CLASSID = "clsid:d27cdb6e-ae6d-11cf-96b8-444553540000"
_MOVIE_PARAMS = ("movie", "src", "url", "filename")


def plugin_movie(el) -> str:
    """The address an ``<object>`` or ``<embed>`` plays (a Flash movie, a QuickTime file …).

    An ``<embed>``'s ``src``; an ``<object>``'s ``data``, its ``movie`` (or
    ``src``/``url``/``filename``) ``<param>``, or the ``<embed>`` it holds for
    other browsers. ``""`` when there is none, or it is a script or inline data
    (an export may be hostile).
    """
    url = _movie_address(el)
    # (a browser reads the scheme with tabs, newlines and spaces taken out)
    return "" if _SCRIPT_OR_DATA.match(_CONTROL_OR_SPACE.sub("", url)) else url


_SCRIPT_OR_DATA = re.compile(r"(?:javascript|vbscript|data):", re.I)
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20]+")


def _movie_address(el) -> str:
    if tag_of(el) == "embed":
        return (el.get("src") or "").strip()
    data = (el.get("data") or "").strip()
    if data:
        return data
    for node in el.iter("param", "embed"):
        if node.tag == "param":
            if (node.get("name") or "").strip().lower() in _MOVIE_PARAMS and (node.get("value") or "").strip():
                return node.get("value").strip()
        elif (node.get("src") or "").strip():
            return node.get("src").strip()
    return ""


def flash_video_page(url: str) -> str | None:
    """The page of the video a video host's Flash player plays (YouTube's ``/v/ID``:
    ``https://www.youtube.com/watch?v=ID``); None for any other address."""
    for pattern, page in FLASH_VIDEO_PAGES:
        m = pattern.match(url)
        if m:
            return page.format(m.group(1))
    return None


def is_flash(el, url: str) -> bool:
    """Does the ``<object>``/``<embed>`` play a Flash movie (which no browser plays any more)?"""
    for node in el.iter("object", "embed"):
        if (node.get("type") or "").strip().lower() == _FLASH_TYPE:
            return True
        if (node.get("classid") or "").strip().lower() == _FLASH_CLASSID:
            return True
    path = url.split("?", 1)[0].split("#", 1)[0]
    return path.lower().endswith(".swf")


__all__ += ["FLASH_VIDEO_PAGES", "flash_video_page", "is_flash", "plugin_movie"]


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


# --- URL-bearing attributes -------------------------------------------------------------

#: The attributes that hold one URL, by tag: what the URL-rewrite step
#: (:mod:`wpmigrate.links.rewrite`) walks, and nothing else.
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "img": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "source": ("src",),
    "track": ("src",),
    "object": ("data",),
    "embed": ("src",),
    "iframe": ("src",),
}
#: The attributes that hold a candidate list (``url 300w, url 2x``), by tag.
SRCSET_ATTRIBUTES: dict[str, tuple[str, ...]] = {"img": ("srcset",), "source": ("srcset",)}
#: Tags whose lazy-loading attributes (``data-src``, ``data-lazy-src``, ``data-srcset`` …,
#: see :func:`image_source`) hold the real address until the element scrolls into view.
LAZY_TAGS = frozenset(("img", "iframe", "video", "audio", "source"))


def url_attributes(el) -> list[tuple[str, bool]]:
    """``(attribute, is_srcset)`` of every URL-bearing attribute ``el`` has, in a fixed order:
    the plain ones, the candidate lists, then lazy loaders' ``data-…src``/``data-…srcset``."""
    tag = tag_of(el)
    found = [(a, False) for a in URL_ATTRIBUTES.get(tag, ()) if el.get(a)]
    found += [(a, True) for a in SRCSET_ATTRIBUTES.get(tag, ()) if el.get(a)]
    if tag in LAZY_TAGS:
        for name in sorted(el.attrib):
            lower = name.lower()
            if lower.startswith("data-") and el.get(name):
                if lower.endswith("srcset"):
                    found.append((name, True))
                elif lower.endswith("src"):
                    found.append((name, False))
    return found


_SRCSET_SPACE = " \t\n\r\f"


def srcset_candidates(value: str) -> list[tuple[str, str]]:
    """The ``(url, descriptor)`` candidates of a ``srcset`` (HTML's "parse a srcset
    attribute": a URL runs to the next white space, and a comma ends a candidate
    only after its descriptor, so a URL may hold commas)."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i] in _SRCSET_SPACE or value[i] == ","):
            i += 1
        start = i
        while i < n and value[i] not in _SRCSET_SPACE:
            i += 1
        url = value[start:i]
        if not url:
            break
        if url.endswith(","):
            out.append((url.rstrip(","), ""))
            continue
        start = i
        depth = 0
        while i < n and (value[i] != "," or depth):
            depth += value[i] == "("
            depth -= value[i] == ")" and depth > 0
            i += 1
        out.append((url, value[start:i].strip()))
        i += 1
    return out


def join_srcset(candidates: list[tuple[str, str]]) -> str:
    """A ``srcset`` value from its candidates."""
    return ", ".join(f"{url} {d}" if d else url for url, d in candidates)


__all__ += ["LAZY_TAGS", "SRCSET_ATTRIBUTES", "URL_ATTRIBUTES", "join_srcset", "srcset_candidates", "url_attributes"]
