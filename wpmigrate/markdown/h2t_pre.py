"""lxml pre-processing for the html2text converter: what html2text cannot do.

Each step is a function of (root, slots, converter), run in the order of
:data:`STEPS`. Steps put finished Markdown or raw HTML aside behind tokens
(h2t_slots) or rewrite the tree into a shape html2text reads correctly.
"""

from __future__ import annotations

import copy
import html as htmllib
import re

import lxml.etree
import lxml.html

from wpmigrate.document import looks_like_page

from .h2t_slots import NBSP, UNSAFE_INPUT, Slots

# never visible: dropped with everything inside
DROP_TAGS = (
    "script", "style", "template", "head", "title", "meta", "link", "base", "noscript", "svg",
    "canvas", "map", "input", "textarea", "datalist", "param", "track", "object", "embed",
)
BLOCK_TAGS = frozenset(
    """address article aside blockquote center dd details dialog dir div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr iframe legend li main menu nav ol p pre
    section summary table tbody td tfoot th thead tr ul video audio""".split()
)


def tag_of(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def classes(el) -> list[str]:
    return (el.get("class") or "").split()


def remove_keep_tail(el) -> None:
    """Remove ``el`` and everything inside; its tail text stays in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def replace_with(el, new_elements: list) -> None:
    """Put ``new_elements`` where ``el`` was, keeping ``el``'s tail after them."""
    parent = el.getparent()
    if parent is None:
        return
    if not new_elements:
        remove_keep_tail(el)
        return
    index = parent.index(el)
    for offset, new in enumerate(new_elements):
        parent.insert(index + offset, new)
    new_elements[-1].tail = (new_elements[-1].tail or "") + (el.tail or "")
    el.tail = None
    parent.remove(el)


def replace_with_text(el, text: str) -> None:
    """Put plain text where ``el`` was (a token, the emoji of an image)."""
    parent = el.getparent()
    if parent is None:
        return
    combined = text + (el.tail or "")
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + combined
    else:
        parent.text = (parent.text or "") + combined
    el.tail = None
    parent.remove(el)


def block_element(token: str):
    p = lxml.html.Element("p")
    p.text = token
    return p


def replace_with_block(el, slots: Slots, value: str) -> None:
    replace_with(el, [block_element(slots.block(value))])


_SCRIPT_URL = re.compile(r"(?:^|[,\s])(?:javascript|vbscript|data(?!:image/)):", re.I)


def sanitized_html(el) -> str:
    """``el`` as HTML without event handlers, script URLs, scripts or styles; no blank lines."""
    el = copy.deepcopy(el)
    el.tail = None
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        for name in list(node.attrib):
            value = node.attrib[name]
            lname = name.lower()
            # event handlers, inline documents, and any address with a script scheme
            if lname.startswith("on") or lname == "srcdoc" or _SCRIPT_URL.search(re.sub(r"[\x00-\x20]", "", value)):
                del node.attrib[name]
    for bad in [n for n in el.iter("script", "style") if n is not el]:
        remove_keep_tail(bad)
    html = lxml.html.tostring(el, encoding="unicode", method="html", with_tail=False)
    # a blank line would end the HTML block in Markdown
    return "\n".join(line.rstrip() for line in html.split("\n") if line.strip())


def serialize_children(el) -> str:
    parts = [htmllib.escape(el.text or "", quote=False)]
    for child in el:
        parts.append(lxml.html.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


# --- parsing ----------------------------------------------------------------------------


def parse(html: str):
    """The content as one container element (a document's <body>, or a <div> around a fragment)."""
    without_comments = re.sub(r"<!--.*?(?:-->|\Z)", " ", html, flags=re.S)
    without_code = re.sub(r"<(script|style)\b.*?(?:</\1\s*>|\Z)", " ", without_comments, flags=re.S | re.I)
    expected = _visible_chars(htmllib.unescape(re.sub(r"<[^>]*>", " ", without_code)))
    for attempt in (html, _without_soup(html)):
        root = _parse_once(attempt)
        # libxml2 silently drops what is nested more than ~2000 levels deep
        if root is not None and _visible_chars(root.text_content()) * 2 >= expected:
            return root
    # libxml2 gives up on documents nested too deeply even without div/span soup:
    # keep the text
    div = lxml.html.Element("div")
    p = lxml.etree.SubElement(div, "p")
    p.text = UNSAFE_INPUT.sub("", htmllib.unescape(re.sub(r"<[^>]*>", " ", html)))
    return div


def _visible_chars(text: str) -> int:
    return len(re.sub(r"\s+", "", text))


def _without_soup(html: str) -> str:
    return re.sub(r"</?(?:div|span|section|article|font)\b[^>]*>", " ", html, flags=re.I)


def _parse_once(html: str):
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=False, remove_pis=True)
    try:
        if looks_like_page(html):  # a whole page (scraped): its <body> is the content
            doc = lxml.html.document_fromstring(html, parser=parser)
            body = doc.find("body")
            root = body if body is not None else doc
            div = lxml.html.Element("div")
            div.text = root.text
            for child in list(root):
                div.append(child)
            return div
        return lxml.html.fragment_fromstring(html, create_parent="div", parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None


# --- steps ------------------------------------------------------------------------------


_MORE = re.compile(r"more\b[^\n]*", re.I)


def kept_comment(text: str) -> str | None:
    """The HTML comments the render stage leaves on purpose, as they stay in the Markdown.

    ``<!--more-->`` (``--more keep``: Hugo and Jekyll split the excerpt there)
    and ``<!-- [shortcode …] -->`` (``--shortcodes comment``); any other
    comment is invisible and goes.
    """
    if _MORE.fullmatch(text.strip()):
        return "<!--more-->"
    if text.startswith(" [") and text.endswith("] ") and "--" not in text:
        return f"<!--{text}-->"
    return None


def drop_invisible(root, slots, conv) -> None:
    for el in [e for e in root.iter() if not isinstance(e.tag, str)]:
        kept = kept_comment(el.text or "") if el.tag is lxml.etree.Comment else None
        if kept is not None and el.getparent() is not None:
            replace_with_text(el, slots.inline(kept))
        else:
            remove_keep_tail(el)
    for el in list(root.iter(*DROP_TAGS)):
        if el.getparent() is not None:
            remove_keep_tail(el)
    # <option> outside a <select> is just its text
    for el in list(root.iter("option", "optgroup")):
        if not any(tag_of(a) == "select" for a in el.iterancestors()):
            # each option on a line of its own in a browser: at least a space apart
            el.tail = " " + (el.tail or "")
            el.drop_tag()
    # a button's label is visible text
    for el in list(root.iter("button")):
        el.drop_tag()


def prepare(html: str, slots: Slots, conv, steps):
    """Parse and pre-process ``html``; None when there is nothing to convert."""
    html = UNSAFE_INPUT.sub("", html)
    if not html.strip():
        return None
    root = parse(html)
    for step in steps:
        step(root, slots, conv)
    return root


def protect_nbsp(root, slots, conv) -> None:
    for el in root.iter():
        if el.text and "\u00a0" in el.text:
            el.text = el.text.replace("\u00a0", NBSP)
        if el.tail and "\u00a0" in el.tail:
            el.tail = el.tail.replace("\u00a0", NBSP)
