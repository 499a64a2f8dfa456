"""Pre-processing steps for the html2text converter, one function per kind of content.

Each step takes (root, slots, converter) and rewrites the lxml tree in place.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

from . import h2t_pre as pre
from .h2t_slots import TABLE_END, TABLE_START, Slots

# --- media and images ---------------------------------------------------------------------

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


# --- code -----------------------------------------------------------------------------------

_LANG_CLASS = re.compile(r"^(?:language|lang)-([A-Za-z0-9_+#.-]+)$")
_BRUSH = re.compile(r"(?:^|[\s;])brush\s*:\s*([A-Za-z0-9_+#.-]+)")


def code_language(*elements) -> str:
    for el in elements:
        if el is None:
            continue
        if (el.get("data-language") or "").strip():
            return el.get("data-language").strip().split()[0]
        for c in pre.classes(el):
            m = _LANG_CLASS.match(c)
            if m:
                return m.group(1)
        m = _BRUSH.search(el.get("class") or "")
        if m:
            return m.group(1)
    return ""


def _text_with_breaks(el, br: str = "\n") -> str:
    """Text content with <br> as ``br`` (wpautop() leaves <br> in classic code)."""
    parts: list[str] = []

    def walk(node):
        if pre.tag_of(node) == "br":
            parts.append(br)
        elif node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts)


def fence_for(code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def fenced(code: str, language: str) -> str:
    fence = fence_for(code)
    return f"{fence}{language}\n{code}\n{fence}" if code else f"{fence}{language}\n{fence}"


def code_blocks(root, slots: Slots, conv) -> None:
    for el in list(root.iter("pre")):
        if el.getparent() is None or any(pre.tag_of(a) == "pre" for a in el.iterancestors()):
            continue
        if "wp-block-verse" in pre.classes(el):
            verse(el, slots)
            continue
        inner = [c for c in el if pre.tag_of(c) == "code"]
        code_el = inner[0] if len(inner) == 1 and not (el.text or "").strip() else None
        language = code_language(code_el, el)
        code = _text_with_breaks(el)
        # a browser ignores the newline right after <pre>
        if code.startswith("\r\n"):
            code = code[2:]
        elif code.startswith("\n"):
            code = code[1:]
        code = code.replace("\r\n", "\n").rstrip("\n")
        if not code.strip("\n"):
            code = code.strip("\n")
        pre.replace_with_block(el, slots, fenced(code, language))


def verse(el, slots: Slots) -> None:
    """core/verse as a theme serves it: lines and indentation kept, not code."""
    inner = pre.serialize_children(el)
    if inner.startswith("\n"):
        inner = inner[1:]
    paragraphs = re.split(r"\n[ \t]*\n+", inner.strip("\n"))
    new = []
    for para in paragraphs:
        lines = []
        for line in para.split("\n"):
            stripped = line.lstrip(" \t")
            indent = len(line) - len(stripped)
            lines.append("&nbsp;" * indent + stripped)
        fragment = lxml.html.fragment_fromstring("<p>" + "<br>".join(lines) + "</p>")
        new.append(fragment)
    pre.replace_with(el, new)


def code_span(text: str) -> str:
    text = text.replace("\n", " ")
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()):
        text = " " + text + " "
    return ticks + text + ticks


_CODE_TAGS = ("code", "kbd", "tt", "samp")


def code_spans(root, slots: Slots, conv) -> None:
    """<code>, <kbd>, <tt>, <samp>: code spans with enough backticks; a <br> splits the span."""
    for el in list(root.iter(*_CODE_TAGS)):
        if el.getparent() is None or any(pre.tag_of(a) in _CODE_TAGS for a in el.iterancestors()):
            continue
        if any(pre.tag_of(d) == "a" and (d.get("href") or "").strip() for d in el.iterdescendants()):
            _code_with_links(el, slots)
            continue
        text = _text_with_breaks(el, "\x00")
        lines = text.split("\x00")
        if len(lines) > 1:
            lines = [line.strip() for line in lines]
        in_cell = any(pre.tag_of(a) in ("td", "th") for a in el.iterancestors())
        # GFM reads "|" as a cell edge even inside a code span: escaped there
        tokens = [slots.inline(_cell_safe(code_span(line), in_cell)) if line else "" for line in lines]
        if len(tokens) == 1:
            pre.replace_with_text(el, tokens[0])
            continue
        # one span per line, joined by the <br>s that split them (in a pipe
        # table cell a <br> is written as HTML)
        if in_cell:
            pre.replace_with_text(el, slots.inline("<br>").join(tokens))
            continue
        span = lxml.html.Element("span")
        span.text = tokens[0]
        for token in tokens[1:]:
            br = lxml.etree.SubElement(span, "br")
            br.tail = token
        pre.replace_with(el, [span])


def _cell_safe(span: str, in_cell: bool) -> str:
    return span.replace("|", "\\|") if in_cell else span


def _code_with_links(el, slots: Slots) -> None:
    """A code span cannot hold a link: code spans inside and between the links."""
    runs: list[tuple[dict | None, str]] = []  # (link attributes or None, code text)

    def add(link, text) -> None:
        if not text:
            return
        if runs and runs[-1][0] is link:
            runs[-1] = (link, runs[-1][1] + text)
        else:
            runs.append((link, text))

    def walk(node, link) -> None:
        if pre.tag_of(node) == "br":
            runs.append(("br", ""))
            return
        if pre.tag_of(node) == "a" and (node.get("href") or "").strip() and link is None:
            link = dict(node.attrib)
        add(link, node.text)
        for child in node:
            walk(child, link)
            add(link, child.tail)

    walk(el, None)
    in_cell = any(pre.tag_of(a) in ("td", "th") for a in el.iterancestors())
    span = lxml.html.Element("span")
    for i, (link, text) in enumerate(runs):
        if link == "br":
            if in_cell:
                lxml.etree.SubElement(span, "span").text = slots.inline("<br>")
            else:
                lxml.etree.SubElement(span, "br")
            continue
        # a line of code ends at a <br>: no spaces at its edges
        if i + 1 < len(runs) and runs[i + 1][0] == "br":
            text = text.rstrip()
        if i and runs[i - 1][0] == "br":
            text = text.lstrip()
        if not text:
            continue
        token = slots.inline(code_span(text))
        if link is None:
            holder = lxml.etree.SubElement(span, "span")
        else:
            holder = lxml.etree.SubElement(span, "a", link)
        holder.text = token
    pre.replace_with(el, [span])


# --- footnotes ------------------------------------------------------------------------------

_BACKLINK_TEXT = frozenset(["↩", "↩︎", "↑", "^", "⏎", "back", "return"])


def footnotes(root, slots: Slots, conv) -> None:
    """core/footnotes, Jetpack and hand-made footnotes: ``[^n]`` and ``[^n]: …``.

    A list is footnotes when every item has an id that a link elsewhere points to.
    """
    anchors: dict[str, list] = {}
    for a in root.iter("a"):
        href = a.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            anchors.setdefault(href[1:], []).append(a)
    for ol in list(root.iter("ol")):
        if ol.getparent() is None:
            continue
        items = [li for li in ol if pre.tag_of(li) == "li"]
        if not items or any(not li.get("id") for li in items):
            continue
        refs = []
        for li in items:
            outside = [a for a in anchors.get(li.get("id"), []) if not _inside(a, ol)]
            if not outside:
                break
            refs.append(outside)
        else:
            _make_footnotes(ol, items, refs, slots, conv)


def _inside(el, container) -> bool:
    return any(a is container for a in el.iterancestors())


def _make_footnotes(ol, items, refs, slots: Slots, conv) -> None:
    ref_ids: set[str] = set()
    for n, links in enumerate(refs, start=1):
        for a in links:
            parent = a.getparent()
            target = a
            if parent is not None and pre.tag_of(parent) == "sup" and len(parent) == 1 and not (parent.text or "").strip() and not (a.tail or "").strip():
                target = parent
            for node in (a, target):
                if node.get("id"):
                    ref_ids.add(node.get("id"))
            if target.getparent() is not None:
                pre.replace_with_text(target, slots.inline(f"[^{n}]"))
    definitions = []
    for n, li in enumerate(items, start=1):
        for a in list(li.iter("a")):
            href = a.get("href") or ""
            text = (a.text_content() or "").strip()
            if (href.startswith("#") and href[1:] in ref_ids) or text in _BACKLINK_TEXT:
                pre.remove_keep_tail(a)
        body = conv.fragment(li, slots).strip("\n")
        lines = body.split("\n")
        text = f"[^{n}]: " + lines[0] + "".join("\n" + ("    " + line if line else "") for line in lines[1:])
        definitions.append(text)
    container = ol
    parent = ol.getparent()
    if parent is not None and pre.tag_of(parent) in ("div", "section", "aside") and parent.getparent() is not None:
        others = [c for c in parent if c is not ol and pre.tag_of(c) != "hr"]
        if not others and not (parent.text or "").strip():
            container = parent
    pre.replace_with_block(container, slots, "\n\n".join(definitions))


# --- figures, raw inline HTML, line breaks ---------------------------------------------------


def figures(root, slots: Slots, conv) -> None:
    """<figure>: the content, then the caption as its own paragraph."""
    for cap in list(root.iter("figcaption")):
        cap.tag = "p"
        parent = cap.getparent()
        if parent is not None and pre.tag_of(parent) == "figure" and parent.index(cap) != len(parent) - 1:
            # the caption follows the image, wherever the theme put it
            parent.remove(cap)
            parent.append(cap)
    for fig in root.iter("figure"):
        fig.tag = "div"


RAW_INLINE = ("sup", "sub", "mark", "select")


def raw_inline(root, slots: Slots, conv) -> None:
    """<sup>, <sub>, <mark>, <select>: kept as HTML (Markdown has no form for them)."""
    for el in list(root.iter(*RAW_INLINE)):
        if el.getparent() is None or any(pre.tag_of(a) in RAW_INLINE for a in el.iterancestors()):
            continue
        if not el.text_content().strip() and pre.tag_of(el) != "select":
            pre.remove_keep_tail(el)
            continue
        for node in el.iter():
            for name in ("class", "style", "id"):
                node.attrib.pop(name, None)
        pre.replace_with_text(el, slots.inline(pre.sanitized_html(el).replace("\n", " ")))


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def line_breaks(root, slots: Slots, conv) -> None:
    """Two or more <br> in a row are a paragraph break (as wpautop() reads them in
    classic posts); a <br> in a heading stays HTML (a heading is one line)."""
    for br in list(root.iter("br")):
        if br.getparent() is None:
            continue
        heading = next((a for a in br.iterancestors() if pre.tag_of(a) in _HEADINGS), None)
        if heading is not None:
            if _at_edge(br, heading):
                pre.remove_keep_tail(br)
            else:
                pre.replace_with_text(br, slots.inline("<br>"))
            continue
        run = [br]
        while not (run[-1].tail or "").strip():
            nxt = run[-1].getnext()
            if nxt is None or pre.tag_of(nxt) != "br":
                break
            run.append(nxt)
        if len(run) < 2:
            continue
        for extra in run[1:]:
            pre.remove_keep_tail(extra)
        # (no-break) spaces between the breaks would start the next paragraph
        br.tail = (br.tail or "").lstrip()
        # an empty paragraph: html2text ends the paragraph there and starts a new one
        pre.replace_with(br, [lxml.html.Element("p")])


def _at_edge(el, container) -> bool:
    """Nothing visible before ``el`` or nothing after it inside ``container``."""
    marker = "\ue011"  # private use: removed from the input, cannot occur in it
    saved = el.tail
    el.tail = marker + (saved or "")
    head, _, tail = container.text_content().partition(marker)
    el.tail = saved
    return not head.strip() or not tail.strip()


def links_around_blocks(root, slots: Slots, conv) -> None:
    """A link around blocks (a theme's card) links each paragraph and heading on its own."""
    # a link inside a link (invalid, kept by libxml2): the outer one wins, as in a browser
    for a in list(root.iter("a")):
        if any(pre.tag_of(x) == "a" for x in a.iterancestors()):
            a.drop_tag()
    for a in list(root.iter("a")):
        if a.getparent() is None or not any(pre.tag_of(d) in pre.BLOCK_TAGS for d in a.iterdescendants()):
            continue
        attrs = dict(a.attrib)
        _wrap_inline_runs(a, attrs)
        a.drop_tag()


def _wrap_inline_runs(container, attrs) -> None:
    """Wrap each run of inline content inside ``container`` in a new <a attrs>."""
    runs: list[list] = [[]]
    if (container.text or "").strip():
        lead = lxml.html.Element("a", attrs)
        lead.text = container.text
        container.text = None
        container.insert(0, lead)
    for child in list(container):
        if pre.tag_of(child) in pre.BLOCK_TAGS:
            if any(pre.tag_of(d) in pre.BLOCK_TAGS for d in child.iterdescendants()):
                _wrap_inline_runs(child, attrs)
            elif (child.text or "").strip() or len(child):
                link = lxml.html.Element("a", attrs)
                link.text = child.text
                child.text = None
                for grand in list(child):
                    link.append(grand)
                child.append(link)
            if (child.tail or "").strip():
                after = lxml.html.Element("a", attrs)
                after.text = child.tail
                child.tail = None
                child.addnext(after)
                runs.append([after])
            runs.append([])
        else:
            runs[-1].append(child)
    for run in runs:
        run = [el for el in run if el.getparent() is container]
        if not run or (len(run) == 1 and pre.tag_of(run[0]) == "a" and dict(run[0].attrib) == attrs):
            continue
        link = lxml.html.Element("a", attrs)
        run[0].addprevious(link)
        for el in run:
            link.append(el)


# elements that show something without text
_VISIBLE_EMPTY = frozenset(["img", "iframe", "video", "audio", "hr", "table", "pre", "select", "object", "embed", "svg"])


def loose_list_content(root, slots: Slots, conv) -> None:
    """Text and elements directly inside <ul>/<ol> (invalid, common): items of their own;
    a list directly inside a list belongs to the item before it."""
    for lst in list(root.iter("ul", "ol")):
        if (lst.text or "").strip():
            li = lxml.html.Element("li")
            li.text = lst.text
            lst.text = None
            lst.insert(0, li)
        for child in list(lst):
            tail = child.tail
            anchor = child
            if pre.tag_of(child) != "li":
                child.tail = None
                prev = child.getprevious()
                if pre.tag_of(child) in ("ul", "ol") and prev is not None and pre.tag_of(prev) == "li":
                    prev.append(child)
                    anchor = prev
                else:
                    anchor = lxml.html.Element("li")
                    child.addprevious(anchor)
                    anchor.append(child)
            if tail and tail.strip():
                child.tail = None
                li = lxml.html.Element("li")
                li.text = tail
                anchor.addnext(li)
    # a list that shows nothing at all (the icon links of a theme's social menu)
    for lst in list(root.iter("ul", "ol")):
        if lst.getparent() is not None and not lst.text_content().strip() and not any(
            pre.tag_of(d) in _VISIBLE_EMPTY for d in lst.iterdescendants()
        ):
            pre.remove_keep_tail(lst)


def reversed_lists(root, slots: Slots, conv) -> None:
    """<ol reversed> counts down from its number of items (html2text reads the tree in one pass)."""
    for ol in root.iter("ol"):
        if ol.get("reversed") is not None and not (ol.get("start") or "").strip().isdigit():
            ol.set("start", str(sum(1 for li in ol if pre.tag_of(li) == "li")))


def adjacent_lists(root, slots: Slots, conv) -> None:
    """Two lists of the same kind in a row: Markdown would merge them, so keep them apart."""
    for el in list(root.iter("ul", "ol")):
        nxt = el.getnext()
        if nxt is not None and pre.tag_of(nxt) == pre.tag_of(el) and not (el.tail or "").strip():
            el.addnext(pre.block_element(slots.block("<!-- -->")))


# --- tables ----------------------------------------------------------------------------------


def mark_tables(root, slots, conv) -> None:
    """Pipe tables between markers (the post lays them out); others as raw HTML."""
    for table in [t for t in root.iter("table")]:
        if table.getparent() is None or any(pre.tag_of(a) == "table" for a in table.iterancestors()):
            continue
        if not table_is_simple(table):
            pre.replace_with_block(table, slots, pre.sanitized_html(table))
            continue
        cells = list(table.iter("td", "th"))
        if not cells:
            pre.remove_keep_tail(table)
            continue
        captions = [c for c in table if pre.tag_of(c) == "caption"]
        for foot in [c for c in table if pre.tag_of(c) == "tfoot"]:
            # a browser shows the footer last, wherever the markup has it
            table.remove(foot)
            foot.tail = None
            table.append(foot)
        loose = _loose_table_text(table)
        for cell in cells:
            for p in [p for p in cell.iter("p", "div", "span") if p is not cell]:
                p.drop_tag()
            _strip_edge_breaks(cell)
            for br in list(cell.iter("br")):
                # (a <br> in code is handled with the code)
                if not any(pre.tag_of(a) in _CODE_TAGS for a in br.iterancestors()):
                    pre.replace_with_text(br, slots.inline("<br>"))
        parent = table.getparent()
        index = parent.index(table)
        start = pre.block_element(TABLE_START)
        parent.insert(index, start)
        start.tail = None
        end = pre.block_element(TABLE_END)
        end.tail = table.tail
        table.tail = None
        parent.insert(index + 2, end)
        if loose:
            # browsers show text that is in a table but in no cell before the table
            para = lxml.html.Element("p")
            para.text = loose
            start.addprevious(para)
        for caption in captions:
            # the caption before the table, where a browser shows it
            table.remove(caption)
            caption.tag = "p"
            caption.tail = None
            start.addprevious(caption)



_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr")


def _loose_table_text(table) -> str:
    """Text in a table but outside its cells, in document order (taken out of the tree)."""
    parts: list[str] = []

    def walk(el) -> None:
        if el.text and el.text.strip():
            parts.append(el.text.strip())
        el.text = None
        for child in el:
            if pre.tag_of(child) in _TABLE_PARTS:
                walk(child)
            if child.tail and child.tail.strip():
                parts.append(child.tail.strip())
            child.tail = None

    walk(table)
    return " ".join(parts)


def _strip_edge_breaks(cell) -> None:
    """<br> at the start or end of a cell shows nothing (and a cell of only <br> is empty)."""
    while len(cell) and pre.tag_of(cell[0]) == "br" and not (cell.text or "").strip():
        pre.remove_keep_tail(cell[0])
    while len(cell) and pre.tag_of(cell[-1]) == "br" and not (cell[-1].tail or "").strip():
        pre.remove_keep_tail(cell[-1])


# --- blocks html2text cannot lay out: converted one by one, nested ---------------------------


def table_is_simple(table) -> bool:
    """A pipe table can hold it: no merged cells, no block content in a cell."""
    for cell in table.iter("td", "th"):
        for name in ("rowspan", "colspan"):
            value = (cell.get(name) or "1").strip()
            if value not in ("", "1", "0"):
                return False
        paragraphs = 0
        for d in cell.iterdescendants():
            tag = pre.tag_of(d)
            if tag == "p":
                paragraphs += 1
            elif tag in ("div", "span", "br", "a", "img", "strong", "b", "em", "i", "code", "del", "s", "sup", "sub", "small", "mark", "kbd", "u", "abbr", "cite", "q", "time", "font"):
                continue
            elif tag in pre.BLOCK_TAGS or tag == "table":
                return False
        if paragraphs > 1:
            return False
    return True


def nested_blocks(root, slots: Slots, conv) -> None:
    """<details>, <dl> and lists holding blocks, innermost first, through the converter itself."""
    targets = [el for el in root.iter("details", "dl", "ul", "ol") if el is not root]
    for el in reversed(targets):
        if el.getparent() is None:
            continue
        tag = pre.tag_of(el)
        if tag == "details":
            pre.replace_with_block(el, slots, details(el, slots, conv))
        elif tag == "dl":
            value = definition_list(el, slots, conv)
            if value:
                pre.replace_with_block(el, slots, value)
            else:
                pre.remove_keep_tail(el)
        elif _list_holds_blocks(el):
            value = list_block(el, slots, conv)
            if value:
                pre.replace_with_block(el, slots, value)
            else:
                pre.remove_keep_tail(el)


def details(el, slots: Slots, conv) -> str:
    summary = next((c for c in el if pre.tag_of(c) == "summary"), None)
    head = "<details open>" if el.get("open") is not None else "<details>"
    if summary is not None:
        pre.remove_keep_tail(summary)
        head += "\n" + pre.sanitized_html(summary).replace("\n", " ")
    body = conv.fragment(el, slots)
    return head + ("\n\n" + body if body.strip() else "") + "\n\n</details>"


def definition_list(el, slots: Slots, conv) -> str:
    """Term / ``: definition`` groups; text loose in the list (shown by browsers) as paragraphs."""
    groups: list[list[str]] = []

    def stray(text: str | None) -> None:
        if text and text.strip():
            groups.append([" ".join(text.split())])
            groups.append([])

    def walk(container) -> None:
        stray(container.text)
        for child in container:
            tag = pre.tag_of(child)
            if tag == "div":  # HTML allows <div> around a term and its definitions
                walk(child)
            elif tag in ("dt", "dd"):
                text = conv.fragment(child, slots).strip()
                if text and tag == "dt":
                    if not groups or not groups[-1] or groups[-1][-1].startswith(": "):
                        groups.append([])
                    groups[-1].append(" ".join(text.split("\n")))
                elif text:
                    if not groups:
                        groups.append([])
                    lines = text.split("\n")
                    groups[-1].append(
                        ": " + lines[0] + "".join("\n" + ("  " + line if line else "") for line in lines[1:])
                    )
            else:
                text = conv.fragment(child, slots).strip()
                if text:
                    groups.append([text])
                    groups.append([])
            stray(child.tail)

    walk(el)
    return "\n\n".join("\n".join(g) for g in groups if g)


_LIST_BLOCKS = ("p", "pre", "blockquote", "table", "div", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "hr", "dl", "details")


def _list_holds_blocks(el) -> bool:
    """html2text loses the indentation of a list item's second paragraph and code."""
    for li in el:
        if pre.tag_of(li) != "li":
            continue
        for d in li.iterdescendants():
            if pre.tag_of(d) in _LIST_BLOCKS:
                return True
    return False


def list_block(el, slots: Slots, conv) -> str:
    ordered = pre.tag_of(el) == "ol"
    items = [li for li in el if pre.tag_of(li) == "li"]
    start = 1
    if ordered:
        try:
            start = int((el.get("start") or "1").strip())
        except ValueError:
            start = 1
        if el.get("reversed") is not None and el.get("start") is None:
            start = len(items)
    step = -1 if ordered and el.get("reversed") is not None else 1
    bodies = [conv.fragment(li, slots).strip("\n") for li in items]
    loose = any("\n\n" in b for b in bodies)
    out = []
    number = start
    for body in bodies:
        marker = f"{number}. " if ordered else "- "
        number += step
        pad = " " * len(marker)
        lines = body.split("\n") if body else [""]
        out.append((marker + lines[0] if lines[0].strip() else marker.rstrip()) + "".join("\n" + (pad + line if line.strip() else "") for line in lines[1:]))
    return ("\n\n" if loose else "\n").join(out)
