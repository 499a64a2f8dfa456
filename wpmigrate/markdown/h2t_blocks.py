"""Pre-processing for the html2text converter: document structure.

Footnotes, figures, inline HTML kept as HTML, line breaks, links around
blocks, loose list content, and the blocks html2text cannot lay out
(<details>, <dl>, lists holding paragraphs or code), which are converted one
by one through the converter itself. Each step takes (root, slots, converter)
and rewrites the lxml tree in place.
"""

from __future__ import annotations

import re

import lxml.html

from . import h2t_pre as pre
from .h2t_slots import Slots


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
            alone = parent is not None and len(parent) == 1 and not (parent.text or "").strip()
            if alone and pre.tag_of(parent) == "sup" and not (a.tail or "").strip():
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


RAW_INLINE = ("sup", "sub", "mark", "select", "ruby", "math")


def raw_inline(root, slots: Slots, conv) -> None:
    """<sup>, <sub>, <mark>, <select>, <ruby>, <math>: kept as HTML (Markdown has no form for them)."""
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
_VISIBLE_EMPTY = frozenset("img iframe video audio hr table pre select object embed svg".split())


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


# --- blocks html2text cannot lay out: converted one by one, nested ---------------------------


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


_LIST_BLOCKS = frozenset("p pre blockquote table div h1 h2 h3 h4 h5 h6 figure hr dl details".split())


def _list_holds_blocks(el) -> bool:
    """html2text loses the indentation of a list item's second paragraph and code."""
    for li in el:
        if pre.tag_of(li) != "li":
            continue
        for d in li.iterdescendants():
            if pre.tag_of(d) in _LIST_BLOCKS:
                return True
    return False


_FENCE = re.compile(r"^(?:[ >]|[-*+] |[0-9]{1,9}[.)] )*(`{3,}|~{3,})")


def _blank_line_outside_code(markdown: str) -> bool:
    """Whether blocks of an item are apart (a loose list); blank lines in code, and
    the ">" lines between a quote's paragraphs, do not count."""
    fence = None
    for line in markdown.strip("\n").split("\n") if markdown.strip() else []:
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
            elif not line.strip():
                return True
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end() :].strip():
            fence = None
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
    loose = any(_blank_line_outside_code(b) for b in bodies)
    out = []
    number = start
    for body in bodies:
        marker = f"{number}. " if ordered else "- "
        number += step
        pad = " " * len(marker)
        lines = body.split("\n") if body else [""]
        first = marker + lines[0] if lines[0].strip() else marker.rstrip()
        # (a line of spaces is code's: only an empty line stays unindented)
        out.append(first + "".join("\n" + (pad + line if line else "") for line in lines[1:]))
    return ("\n\n" if loose else "\n").join(out)
