"""A whole WordPress page: where its article is, and the title, date and terms the theme printed.

A scraped or saved page holds the post among the theme's header, sidebars,
teaser cards and footer. The profiles name the elements themes put the post
in (``.entry-content`` of the_content(), Elementor's post-content widget …);
the article is chosen among them and the page's other elements by the
prose each holds (:mod:`wpmigrate.clean.article`).
"""

from __future__ import annotations

from lxml import etree
from lxml.cssselect import CSSSelector

from wpmigrate.clean.article import ArticleChoice, choose_article
from wpmigrate.clean.prefilter import DocumentTokens
from wpmigrate.clean.rules import ProfileSet, fold
from wpmigrate.document import text_of

__all__ = ["content_root", "page_metadata"]

_CSS: dict[str, CSSSelector] = {}


def _css(selector: str) -> CSSSelector:
    compiled = _CSS.get(selector)
    if compiled is None:
        compiled = _CSS[selector] = CSSSelector(selector)
    return compiled


def content_root(page: etree._Element, ps: ProfileSet, tokens: DocumentTokens) -> ArticleChoice:
    """The element holding the article (see :mod:`wpmigrate.clean.article`), and why.

    Content roots whose classes, ids or tags the page does not have are not looked for.
    """
    roots = [(ps.content_roots[i], _css(ps.content_roots[i])) for i in ps.content_root_index.candidates(tokens)]
    return choose_article(page, roots)


def _rel_has(word: str) -> str:
    return f"contains(concat(' ', normalize-space(@rel), ' '), ' {word} ')"


# the_tags() and the_category() print their links with rel="tag" and rel="category tag";
# some themes (Genesis) print categories with rel="tag" alone, under the /category/ base
_IS_CATEGORY = f"({_rel_has('category')} or contains(@href, '/category/'))"
_TAG_LINKS = etree.XPath(f".//a[{_rel_has('tag')} and not({_IS_CATEGORY})]")
_CATEGORY_LINKS = etree.XPath(f".//a[{_rel_has('category')} or ({_rel_has('tag')} and contains(@href, '/category/'))]")
_PUBLISHED = etree.XPath("//meta[@property='article:published_time']/@content")
_TIMES = etree.XPath(".//time[@datetime]/@datetime")
# the theme's post title (the_title() in an .entry-title heading), Open Graph's, the <title>
_TITLES = tuple(
    etree.XPath(xpath)
    for xpath in (
        "//h1[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]",
        "//meta[@property='og:title']/@content",
        "//title",
    )
)


def page_metadata(page: etree._Element, root: etree._Element) -> dict:
    """Title, date, categories and tags of a full WordPress page.

    Taxonomy links and ``<time>`` are read inside the post's ``<article>`` (the
    content root's nearest), never from widgets or teaser cards elsewhere.
    """
    metadata: dict = {}
    title = _page_title(page)
    if title:
        metadata["title"] = title
    article = next((a for a in root.iterancestors("article")), root if root.tag == "article" else None)
    published = _PUBLISHED(page) or (_TIMES(article) if article is not None else [])
    if published and published[0].strip():
        metadata["date"] = published[0].strip()
    if article is not None:
        for key, links in (("categories", _CATEGORY_LINKS), ("tags", _TAG_LINKS)):
            values = list(dict.fromkeys(v for v in (text_of(a) for a in links(article)) if v))
            if values:
                metadata[key] = values
    return metadata


def _page_title(page: etree._Element) -> str | None:
    for xpath in _TITLES:
        found = xpath(page)
        if found:
            value = found[0] if isinstance(found[0], str) else text_of(found[0])
            value = fold(value)
            if value:
                return value
    return None
