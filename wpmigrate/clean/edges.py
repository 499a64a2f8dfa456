"""What the article element holds around the post's prose: its title, meta lines and link boxes.

The element chosen as a page's article (:mod:`wpmigrate.clean.article`) is
often the post's whole ``<article>``. Above the content the theme prints the
post's title (``the_title()``) and its meta line (``entry-meta``/``posted-on``/
``byline``: date, author, categories, comment count: what
``twentyXX_posted_on()`` and ``_by()`` print); below it the ``entry-footer``
with the category and tag links, and "related" or "latest" link lists. None of
it is the post's prose, and the front matter holds the title, date, author and
terms (:func:`~wpmigrate.clean.page.page_metadata`). Everything here lies
wholly before the article element's first prose block or after its last, so
nothing of the prose is ever taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from wpmigrate.clean.article import attr_names, class_words
from wpmigrate.clean.byline import parse_byline
from wpmigrate.clean.rules import fold
from wpmigrate.clean.tree import leaf_blocks, measure, prose_length
from wpmigrate.document import text_of

__all__ = ["EdgePart", "at_edges", "link_box", "repeated_captions", "share_rows", "term_lists"]


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


@dataclass
class _Edges:
    """The elements under an article element in document order, and where its prose starts and ends."""

    nodes: list[etree._Element]
    order: dict
    ends: dict  # where each element's subtree ends, in document order
    start: int  # the first prose block
    end: int  # the last prose block
    meta: set  # the meta lines (see _is_meta)

    @classmethod
    def of(cls, root: etree._Element, known: dict | None = None) -> _Edges | None:
        """``None`` when the element holds no prose. *known*: measures of leaf blocks
        taken before (text, link text, …), while their subtree is unchanged."""
        known = {} if known is None else known
        # a heading is no paragraph of the post (its title, printed as an <h1> of more
        # than four words, stands above the meta line), and neither is a meta line of
        # five words or more ("14. September 2023 von Jonas 3 Kommentare")
        nodes = list(root.iter())
        meta = {el for el in nodes[1:] if _is_meta(el)}
        prose = []
        for leaf in leaf_blocks(root, meta):
            if leaf is root or leaf.tag in _HEADINGS:
                continue
            found = known.get(leaf)
            text, links = found[:2] if found is not None else measure(leaf)
            if prose_length(text, links) and not _is_byline(text):
                prose.append(leaf)
        if not prose:
            return None
        order = {el: i for i, el in enumerate(nodes)}
        ends: dict = {}
        for i in range(len(nodes) - 1, -1, -1):  # one pass from the end
            el = nodes[i]
            ends[el] = ends[el[-1]] if len(el) else i
        return cls(nodes, order, ends, order[prose[0]], order[prose[-1]], meta)

    def outside(self):
        """``(element, before)`` for every element wholly before the first prose block
        (``before`` true) or after the last, in document order."""
        for el in self.nodes[1:]:
            if not isinstance(el.tag, str):
                continue
            i = self.order[el]
            if self.ends[el] < self.start:
                yield el, True
            elif i > self.end:
                yield el, False


#: what holds a list of links a page prints around its post
_LINK_BOXES = frozenset(("div", "section", "ul", "ol", "aside", "table", "p", "h2", "h3", "h4", "h5", "h6", "li"))


# an article's own list of sources, references or notes: links, but the post's
_SOURCES = re.compile(
    r"(?i)(sources?|references?|bibliography|further reading|notes|footnotes|quellen(angaben)?|literatur"
    r"|weblinks|einzelnachweise|anmerkungen|fußnoten|nachweise|źródła|bibliografia|przypisy)\s*:?"
)
_SOURCE_ROLES = frozenset(("doc-endnotes", "doc-bibliography", "doc-footnote"))


def _is_sources(el: etree._Element) -> bool:
    if el.get("role") in _SOURCE_ROLES or any("footnote" in n.lower() for n in attr_names(el)):
        return True
    before = el.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    heading = before if before is not None and before.tag in _LABELS else None
    if heading is None and el.tag in _LABELS:
        heading = el
    return heading is not None and _SOURCES.fullmatch(" ".join(text_of(heading).split())) is not None


_LABELS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "b"))


def link_box(el: etree._Element) -> bool:
    """Whether *el* is mostly link text ("related" and "latest" lists, author and tag
    links, share rows, teaser headlines), and no list of the post's own sources."""
    if el.tag not in _LINK_BOXES or _is_sources(el):
        return False
    text, links = measure(el)
    return len(text) >= 2 and links * 2 >= len(text)


#: class and id words (split at - and _) of the post's meta line and footer: where
#: themes print the date, the author, the categories, tags and the comment count
_META_WORDS = frozenset(
    """meta byline posted postedon author authors vcard dateline date published updated timestamp
    categories category cat tags tag comments count""".split()
)
#: what a meta line is printed in
_META_TAGS = frozenset(("div", "p", "span", "ul", "li", "time", "footer", "header", "section", "small", "address"))
#: longest text of an element taken as a meta line
_META_MAX = 200


@dataclass(frozen=True)
class EdgePart:
    """An element around the post's prose that is not the post's text, and why."""

    element: etree._Element
    rule: str  # structure.links | structure.title | structure.meta
    reason: str


def at_edges(root: etree._Element, title: str | None = None, known: dict | None = None) -> list[EdgePart]:
    """What the article element *root* holds before its first paragraph of prose or after
    its last that is not the post's text, outermost elements only, in document order:

    * the heading that is the post's *title* (the front matter has it);
    * the post's meta lines: an element its class names so (``entry-meta``,
      ``posted-on``, ``byline``, ``cat-links``, ``tags-links`` …) with a short text,
      and a block whose whole text is a byline ("Posted on March 3, 2021 by Anna");
    * blocks of mostly link text (a list under a heading such as "Sources" stays).

    *known* holds measures of leaf blocks already taken (see :meth:`_Edges.of`).
    """
    edges = _Edges.of(root, known)
    if edges is None:
        return []
    wanted = fold(title).casefold() if title else ""
    found: list[EdgePart] = []
    taken: set = set()
    for el, before in edges.outside():
        if any(a in taken for a in el.iterancestors()):
            continue
        where = "before" if before else "after"
        part = None
        if wanted and before and el.tag in ("h1", "h2", "h3") and fold(text_of(el)).casefold() == wanted:
            wanted = ""  # one title
            part = EdgePart(el, "structure.title", "the post's title (the front matter has it)")
        elif el in edges.meta:
            part = EdgePart(el, "structure.meta", f"the post's meta line {where} the article's prose")
        elif el.tag in ("p", "div", "time") and _is_byline(" ".join(text_of(el).split())):
            part = EdgePart(el, "structure.meta", f"a byline {where} the article's prose")
        elif el.tag in _LINK_BOXES and _is_sources(el):
            taken.add(el)  # the post's own references stay, links and all
        elif link_box(el):
            part = EdgePart(el, "structure.links", f"links {where} the article's prose")
        if part is not None:
            taken.add(el)
            found.append(part)
    return found


def _is_meta(el: etree._Element) -> bool:
    """An element named as a meta line by its class or id, with a short text and no
    title or image inside (``post_class()`` names the whole post "category-x tag-y")."""
    if not isinstance(el.tag, str) or el.tag not in _META_TAGS:
        return False
    if not (el.get("class") or el.get("id")) or not class_words(el) & _META_WORDS:
        return False
    if next(el.iter("h1", "h2", "img", "picture", "figure", "video", "iframe"), None) is not None:
        return False
    return len(" ".join(text_of(el).split())) <= _META_MAX


def _is_byline(text: str) -> bool:
    found = parse_byline(text)
    return found is not None and not found.bare


# --- the post's terms, wherever they are -----------------------------------------------

#: the_tags() and the_category() print their links with rel="tag" / rel="category tag"
_TERM_LINKS = etree.XPath(".//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')]")
#: text besides the links a line of terms may hold: a label and separators ("Tags: ", ", ")
_TERM_OTHER_TEXT = 25
_LABEL_WORDS = 3


#: where share buttons link to: the networks' own share addresses
_SHARE_TARGETS = (
    "facebook.com/sharer",
    "facebook.com/share.php",
    "twitter.com/intent/tweet",
    "twitter.com/share",
    "x.com/intent/",
    "pinterest.com/pin/create",
    "linkedin.com/sharearticle",
    "linkedin.com/sharing",
    "reddit.com/submit",
    "t.me/share",
    "telegram.me/share",
    "api.whatsapp.com/send",
    "wa.me/?text",
    "tumblr.com/share",
    "tumblr.com/widgets/share",
    "xing.com/spi/shares",
    "xing.com/app/user?op=share",
    "vk.com/share.php",
    "getpocket.com/save",
    "getpocket.com/edit",
    "plus.google.com/share",
    "mix.com/add",
    "flipboard.com/bookmarklet",
    "news.ycombinator.com/submitlink",
)
_SHARE_ADDRESS = re.compile("(?i)^(?:whatsapp:|fb-messenger:)|" + "|".join(re.escape(t) for t in _SHARE_TARGETS))


def _share_links(root: etree._Element) -> list[etree._Element]:
    return [a for a in root.iter("a") if _SHARE_ADDRESS.search(a.get("href") or "")]


def share_rows(root: etree._Element) -> list[EdgePart]:
    """Rows of share buttons anywhere under *root*, known by where they link (the
    networks' share addresses, whatever plugin or theme printed them): the outermost
    element around such links that holds little else (a label, the buttons' names)."""
    rows: list[EdgePart] = []
    taken: set = set()
    for link in _share_links(root):
        if link in taken or any(a in taken for a in link.iterancestors()) or _long_link(link):
            continue  # a sentence of the post to tweet ("Click to Tweet" boxes) is the post's
        line = link
        node = link.getparent()
        while node is not None and node is not root:
            text, links = measure(node)
            if len(text) - links > _TERM_OTHER_TEXT or any(_long_link(a) for a in node.iter("a")):
                break
            line = node
            node = node.getparent()
        taken.add(line)
        rows.append(EdgePart(line, "structure.share", "share buttons (links to the networks' share addresses)"))
    return rows


#: a button's label is a network's name or a short call ("Share on Facebook"), never a sentence
_BUTTON_CHARS = 40


def _long_link(a: etree._Element) -> bool:
    return len(fold(text_of(a))) > _BUTTON_CHARS


def term_lists(root: etree._Element) -> list[EdgePart]:
    """The lines of the post's category and tag links anywhere under *root*: the
    outermost element around ``rel="tag"`` links that holds little else (a label,
    separators), with a short label right before it ("Tags", "Schlagwörter"). A term
    a plugin links inside a sentence stays with its sentence."""
    found: list[EdgePart] = []
    taken: set = set()
    for link in _TERM_LINKS(root):
        if link in taken or any(a in taken for a in link.iterancestors()):
            continue
        line = None
        node = link.getparent()
        while node is not None and node is not root:
            text, links = measure(node)
            if len(text) - links > _TERM_OTHER_TEXT:
                break
            line = node
            node = node.getparent()
        if line is None:
            continue
        taken.add(line)
        label = line.getprevious()
        while label is not None and not isinstance(label.tag, str):
            label = label.getprevious()
        if (
            label is not None
            and label.tag in _LABELS
            and not len(label)
            and 0 < len(text_of(label).split()) <= _LABEL_WORDS
        ):
            found.append(EdgePart(label, "structure.terms", "the label of the post's category or tag links"))
        found.append(EdgePart(line, "structure.terms", 'the post\'s category or tag links (rel="tag")'))
    return found


# --- captions printed again and again --------------------------------------------------

#: the caption of an image: <figcaption>, and the paragraph img_caption_shortcode() prints
_CAPTIONS = etree.XPath(
    ".//figcaption | .//*[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')]"
)


def repeated_captions(root: etree._Element) -> list[EdgePart]:
    """Image captions that repeat an earlier caption of the article word for word (one
    line, the event's or the photographer's name, under every photo of a gallery): the
    first stays, the repeats say nothing about their images."""
    seen: set[str] = set()
    found: list[EdgePart] = []
    for caption in _CAPTIONS(root):
        text = fold(text_of(caption)).casefold()
        if not text:
            continue
        if text in seen:
            found.append(EdgePart(caption, "structure.repeated-caption", "the same caption as an earlier image's"))
        seen.add(text)
    return found
