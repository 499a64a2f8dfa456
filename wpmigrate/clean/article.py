"""Where the article of a whole page is: chosen by evidence, not by the first selector that matches.

A page holds the post among the theme's chrome: menus, sidebars, teaser
cards, pop-ups, comment lists, footers. Every element is weighed by the text
its leaf blocks hold, read once: prose (sentences, not link lists) counts for
it, other text (menus, link lists, short labels, headings) against it, and
nothing inside page chrome counts at all (``nav``, ``aside``, ``footer``, a
page header, dialogs, menus, widget areas, comment lists and forms, by their
elements, ARIA roles and the class and id names WordPress and its themes
give them). The element with the highest weight is the article by evidence.

The profiles' content roots (``.entry-content`` …) are where WordPress puts
the post; they are taken when their match weighs nearly as much as the
evidence's choice (a theme's own root, kept whole), else the evidence wins:
a teaser card, a pop-up or a reader's comment that matches ``article``
first weighs little, and a page no profile knows gets the element its prose
is in, not the whole ``<body>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from wpmigrate.clean.tree import leaf_blocks, measure, prose_length
from wpmigrate.document import text_of

__all__ = [
    "ArticleChoice",
    "attr_names",
    "class_words",
    "choose_article",
    "chrome_kind",
    "header_parts",
    "is_chrome",
    "prune_chrome",
    "take_header_parts",
]

#: elements that are page chrome wherever they are
_CHROME_TAGS = frozenset(("nav", "aside", "dialog", "menu"))
_CHROME_ROLES = frozenset(
    ("navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search", "menu", "menubar")
)
# class and id names that name chrome, read by their first or last word (split at
# - and _): "sidebar-primary", "main-menu", "comments-area", "widget_categories",
# "article_comments"; a word in the middle names something else ("elementor-widget",
# "dnd-widget-wrapper" are content)
_CHROME_FIRST = frozenset(
    """comments commentlist respond disqus dsq wpdiscuz sidebar widget widgets menu navbar navigation breadcrumb
    breadcrumbs popup modal footer header masthead ticker breaking related relatedposts trending""".split()
)
_CHROME_LAST = frozenset(
    """comments sidebar menu navigation breadcrumbs popup modal footer header masthead ticker related
    relatedposts trending""".split()
)
#: what post_class() and body_class() put before a term's or a format's slug
_POST_CLASS_PREFIXES = ("category-", "tag-", "format-", "type-", "status-", "post_format-", "author-")
# "comment-list", "comment-respond": the comment area, not one comment's parts
_COMMENT_AREAS = frozenset("list respond area form section wrap wrapper container".split())
_CHROME_NAMES = frozenset(("widget-area", "site-header", "site-footer", "disqus_thread"))
_SPLIT = re.compile(r"[-_\s]+")
#: elements that can be the article
_CONTAINERS = frozenset(("div", "section", "article", "main", "td", "body", "span", "font", "center", "form"))
#: how much other text counts against an element, per character, against prose
_OTHER_TEXT_WEIGHT = 0.5
#: a profile's content root is kept when it weighs at least this share of the best element
_PROFILE_SHARE = 0.4
#: the article by evidence is the innermost element with this share of the heaviest's prose
_NEARLY_ALL = 0.8


@dataclass(frozen=True)
class ArticleChoice:
    """The element chosen as the article, and why (for ``--explain`` and the report)."""

    element: etree._Element
    reason: str


def attr_names(el: etree._Element) -> list[str]:
    return (el.get("class") or "").split() + (el.get("id") or "").split()


def chrome_kind(el: etree._Element) -> str | None:
    """What page chrome *el* is, by its element, role or names; ``None`` when it is none."""
    tag = el.tag
    if tag in _CHROME_TAGS:
        return f"<{tag}> element"
    if tag in ("header", "footer"):
        # the page's own header and footer; a post's entry header (its title) and a
        # quote's footer (its source) are inside the article
        if next(el.iterancestors("article", "main", "blockquote", "figure"), None) is None:
            return f"the page's <{tag}>"
        return None
    role = el.get("role")
    if role and role.strip().lower() in _CHROME_ROLES:
        return f'role="{role.strip().lower()}"'
    if el.get("aria-modal") == "true":
        return "a dialog (aria-modal)"
    for name in attr_names(el):
        if _names_chrome(name):
            # a name can also describe a layout ("has-sidebar", "penci_sidebar"): a
            # wrapper that holds the page's heading or main element is no chrome
            if next(el.iter("h1", "main"), None) is None:
                return f'"{name}"'
            return None
    return None


@lru_cache(maxsize=8192)
def _names_chrome(name: str) -> bool:
    """Whether a class or id names page chrome (a page repeats its few names many times)."""
    low = name.lower()
    if low.startswith(_POST_CLASS_PREFIXES):
        return False  # post_class() names a post by its terms: "category-menu", "tag-related"
    return low in _CHROME_NAMES or _chrome_name(_SPLIT.split(low))


def is_chrome(el: etree._Element) -> bool:
    """Whether *el* is page chrome (never the article): see :func:`chrome_kind`."""
    return chrome_kind(el) is not None


def prune_chrome(root: etree._Element) -> list[tuple[etree._Element, str]]:
    """The outermost chrome elements under the article *root* (menus, sidebars, comment
    areas … that the article element still holds), each with what it is."""
    found = []
    chrome: set = set()
    for el in root.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if parent in chrome:
            chrome.add(el)
            continue
        kind = chrome_kind(el)
        if kind is not None:
            chrome.add(el)
            found.append((el, kind))
    notes = [(note, f"the note above the comment area {kind}") for el, kind in found for note in _comment_notes(el)]
    return found + [(note, why) for note, why in notes if note not in chrome]


# what a comment area's own heading or policy note speaks of ("Leave a comment", "As
# you comment, please be respectful …", "Kommentare werden moderiert")
_COMMENT_WORD = re.compile(
    r"(?i)\b(comment|kommentar|komentarz|comentári|comentario|commentaire|commento|reply|replies|antwort"
    r"|discussion|diskussion|disqus)"
)
#: a note longer than this is no note
_NOTE_CHARS = 500


def _comment_notes(area: etree._Element) -> list[etree._Element]:
    """The heading or policy note a theme prints right before a comment area, as its
    sibling (the post's own last paragraph, inviting comments, ends the post's content
    element and is no sibling of the area)."""
    if not any(_is_comment_name(name) for name in attr_names(area)):
        return []
    notes = []
    before = area.getprevious()
    while before is not None and len(notes) < 2:
        if not isinstance(before.tag, str):
            before = before.getprevious()
            continue
        text = " ".join(text_of(before).split())
        if not text:
            before = before.getprevious()
            continue
        if len(text) > _NOTE_CHARS or not _COMMENT_WORD.search(text) or (area.getparent() is None):
            break
        notes.append(before)
        before = before.getprevious()
    return notes


def _is_comment_name(name: str) -> bool:
    parts = _SPLIT.split(name.lower())
    return parts[0] in _COMMENT_FIRST or (parts[0] == "comment" and len(parts) > 1 and parts[1] in _COMMENT_AREAS)


_COMMENT_FIRST = frozenset("comments commentlist respond disqus wpdiscuz dsq".split())


def _chrome_name(parts: list[str]) -> bool:
    first, last = parts[0], parts[-1]
    if first in _CHROME_FIRST or last in _CHROME_LAST:
        return True
    return first == "comment" and len(parts) > 1 and parts[1] in _COMMENT_AREAS


class _Weights:
    """Prose and other text under every element of the body, leaf blocks read once."""

    def __init__(self, body: etree._Element) -> None:
        self.chrome = {el for el in body.iterdescendants() if isinstance(el.tag, str) and is_chrome(el)}
        self.prose: dict[etree._Element, int] = {}
        self.other: dict[etree._Element, int] = {}
        for leaf in leaf_blocks(body, self.chrome):
            text, links = measure(leaf)
            if not text:
                continue
            prose = prose_length(text, links)
            other = len(text) - prose
            node = leaf
            while node is not None:
                self.prose[node] = self.prose.get(node, 0) + prose
                self.other[node] = self.other.get(node, 0) + other
                if node is body:
                    break
                node = node.getparent()

    def weight(self, el: etree._Element) -> float:
        return self.prose.get(el, 0) - _OTHER_TEXT_WEIGHT * self.other.get(el, 0)

    def best(self) -> etree._Element | None:
        """The heaviest container; among equals, the innermost (it holds the same text)."""
        best, best_weight = None, 0.0
        for el, prose in self.prose.items():
            if not prose or el.tag not in _CONTAINERS:
                continue
            w = self.weight(el)
            if w > best_weight or (w == best_weight and best is not None and _inside(el, best)):
                best, best_weight = el, w
        return best


def _inside(el: etree._Element, other: etree._Element) -> bool:
    return any(a is other for a in el.iterancestors())


def choose_article(page: etree._Element, roots: Sequence[tuple[str, Callable]]) -> ArticleChoice:
    """The article of a whole page: a profile's content root, or the heaviest element.

    *roots* are the profiles' content roots that can be on the page, in profile
    order, each as its selector and a function finding its matches. The first
    of them with a match that weighs at least :data:`_PROFILE_SHARE` of the
    heaviest element is taken (its heaviest match); else the heaviest element.
    """
    body = page.find("body")
    if body is None:
        body = page
    weights = _Weights(body)
    best = weights.best()
    if best is None:
        return ArticleChoice(body, "the whole body (the page has no prose)")
    least = _PROFILE_SHARE * weights.weight(best)
    post = _post_element(page, body)
    if post is not None and not weights.prose.get(post):
        post = None
    for selector, find in roots:
        matches = [el for el in find(page) if isinstance(el.tag, str) and weights.prose.get(el)]
        if post is not None:
            # on a single post's page the post's own element (post_class()'s post-ID,
            # named by the body's postid-ID) holds the article: its root is taken
            mine = [el for el in matches if el is post or any(a is post for a in el.iterancestors())]
            if mine:
                return ArticleChoice(mine[0], f"content root {selector} of the page's post")
            continue
        if not matches:
            continue
        # a single-post template prints the post first; later matches are teasers,
        # "next post" previews, comments: the first match is taken unless it is much
        # lighter than the heaviest (a teaser card above the post)
        heaviest = max(weights.weight(el) for el in matches)
        first = next(el for el in matches if 2 * weights.weight(el) >= heaviest)
        # a page that lists whole posts one after another holds the article in each
        if weights.weight(first) >= least or sum(weights.weight(el) for el in matches) >= least:
            return ArticleChoice(first, f"content root {selector}")
    if post is not None:
        return ArticleChoice(post, "the page's post (post_class() of the body's postid)")
    # the heaviest element, narrowed to the innermost element that still holds nearly
    # all of its prose (a teaser or a sidebar note beside the post adds a little)
    prose = weights.prose[best]
    narrowest = best
    for el in best.iterdescendants():
        if el.tag in _CONTAINERS and weights.prose.get(el, 0) >= _NEARLY_ALL * prose:
            narrowest = el
    return ArticleChoice(narrowest, f"the most prose, {weights.prose[narrowest]} characters, and the least other text")


_POST_ID = re.compile(r"(?:^|\s)postid-(\d+)(?:\s|$)")


def _post_element(page: etree._Element, body: etree._Element) -> etree._Element | None:
    """The element post_class() marks as the post of a single post's page (``postid-N`` on ``<body>``)."""
    found = _POST_ID.search(body.get("class") or "")
    if not found:
        return None
    name = f"post-{found.group(1)}"
    for el in body.iter():
        if isinstance(el.tag, str) and (el.get("id") == name or name in (el.get("class") or "").split()):
            return el
    return None


# --- the post's own parts outside the article element ----------------------------------

#: class and id words (split at - and _) of the prose a post's header prints above its
#: content: a lead, standfirst, subtitle or excerpt
_LEAD_WORDS = frozenset("lead standfirst subtitle subheadline subhead excerpt intro dek deck summary".split())
#: where the post's header meta line is (dates, author, categories): never a lead
_META_WORDS = frozenset("meta byline date time author posted categories category tags share".split())


def class_words(el: etree._Element) -> set[str]:
    return {part for name in attr_names(el) for part in _SPLIT.split(name.lower()) if part}


def header_parts(root: etree._Element) -> list[etree._Element]:
    """Prose the post prints above its article element, inside the post: a lead or
    subtitle (named so by its class), and the featured image with its caption.

    Only where the article element sits in a post (an ``<article>`` or the
    ``post-ID``/``hentry`` element); the title (``<h1>``) and the meta line stay out.
    """
    post = next(
        (
            a
            for a in root.iterancestors()
            if a.tag == "article" or "hentry" in (a.get("class") or "").split() or a.tag == "body"
        ),
        None,
    )
    if post is None or post.tag == "body":
        return []
    parts: list[etree._Element] = []
    taken: set = set()
    for el in post.iterdescendants():
        if el is root:
            break  # only what comes before the article element
        if not isinstance(el.tag, str) or any(a in taken for a in el.iterancestors()):
            continue
        if any(a is root for a in el.iterdescendants()):
            continue  # an ancestor of the root
        if is_chrome(el) or el.tag == "h1":
            continue
        words = class_words(el)
        if words & _META_WORDS:
            taken.add(el)  # nothing inside the meta line either
            continue
        if el.tag == "figure" and el.find(".//figcaption") is not None and el.find(".//img") is not None:
            parts.append(el)
            taken.add(el)
        elif words & _LEAD_WORDS and el.tag not in ("a", "span", "time") and text_of(el).count(" ") >= 4:
            parts.append(el)
            taken.add(el)
    return parts


def take_header_parts(root: etree._Element) -> list[etree._Element]:
    """Move :func:`header_parts` to the start of the article element, in their order
    (the text after each stays where it was)."""
    parts = header_parts(root)
    if not parts:
        return parts
    lead_text, root.text = root.text, None
    for i, el in enumerate(parts):
        parent, prev, tail = el.getparent(), el.getprevious(), el.tail
        el.tail = None  # lxml moves an element with its tail
        if tail and parent is not None:
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        root.insert(i, el)
    parts[-1].tail = lead_text
    return parts
