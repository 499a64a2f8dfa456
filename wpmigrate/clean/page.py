"""A whole WordPress page: where its article is, and the title, date and terms the theme printed.

A scraped or saved page holds the post among the theme's header, sidebars,
teaser cards and footer. The profiles name the elements themes put the post
in (``.entry-content`` of the_content(), Elementor's post-content widget …);
the article is chosen among them and the page's other elements by the
prose each holds (:mod:`wpmigrate.clean.article`).
"""

from __future__ import annotations

import json

from lxml import etree
from lxml.cssselect import CSSSelector

from wpmigrate.clean.article import ArticleChoice, choose_article
from wpmigrate.clean.prefilter import DocumentTokens
from wpmigrate.clean.rules import ProfileSet, fold
from wpmigrate.document import text_of

__all__ = ["content_root", "page_metadata", "terms_of"]

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
_TIMES = etree.XPath(".//time[@datetime]/@datetime")
_META = etree.XPath("//meta[@property=$name or @name=$name]/@content")
_JSON_LD = etree.XPath("//script[@type='application/ld+json']")
_H1 = etree.XPath(".//h1")
_ENTRY_TITLE = etree.XPath("//h1[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]")
_TITLE = etree.XPath("//title")
_CANONICAL = etree.XPath("//link[@rel='canonical']/@href")
_AUTHOR_LINKS = etree.XPath(
    f".//a[{_rel_has('author')}] | .//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]"
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' fn ')]"
)
#: what themes and SEO plugins put between a post's title and the site's name in <title>
_SEPARATORS = (" – ", " — ", " - ", " | ", " · ", " • ", " » ", " :: ", " / ")
#: schema.org types a post's JSON-LD node has
_ARTICLE_TYPES = frozenset(("Article", "BlogPosting", "NewsArticle", "TechArticle", "Report", "WebPage"))


def page_metadata(page: etree._Element, root: etree._Element) -> dict:
    """Title, dates, author, categories, tags, address and language of a whole WordPress page.

    The title is the post's own (its ``.entry-title`` or the ``<h1>`` of the
    article, then Open Graph's, then ``<title>``) without the site's name (the
    page's ``og:site_name``, or what ``<title>`` adds to the heading); dates
    come from ``article:published_time``/``modified_time``, the post's JSON-LD
    and ``<time datetime>``; the author from the JSON-LD, ``<meta name=author>``
    and the post's ``rel="author"`` link. Taxonomy links and ``<time>`` are
    read inside the post's ``<article>`` (the content root's nearest), never
    from widgets or teaser cards elsewhere.
    """
    metadata: dict = {}
    article = next((a for a in root.iterancestors("article")), root if root.tag == "article" else None)
    ld = _json_ld(page)
    title = _page_title(page, root, article)
    if title:
        metadata["title"] = title
    published = _first(_META(page, name="article:published_time"), ld.get("datePublished"))
    if not published and article is not None:
        published = _first(_TIMES(article))
    if published:
        metadata["date"] = published
    updated = _first(
        _META(page, name="article:modified_time"), ld.get("dateModified"), _META(page, name="og:updated_time")
    )
    if updated and updated != published:
        metadata["updated"] = updated
    author = _first(_ld_name(ld.get("author")), _META(page, name="author"))
    if not author and article is not None:
        author = _first([text_of(a) for a in _AUTHOR_LINKS(article)])
    if author:
        metadata["author"] = author
    if article is not None:
        metadata.update(terms_of(article))
    if "tags" not in metadata:
        tags = list(dict.fromkeys(fold(t) for t in _META(page, name="article:tag") if fold(t)))
        if tags:
            metadata["tags"] = tags
    url = _first(_CANONICAL(page), _META(page, name="og:url"))
    if url:
        metadata["url"] = url
    lang = fold(page.get("lang") or page.get("{http://www.w3.org/XML/1998/namespace}lang") or "")
    if lang:
        metadata["lang"] = lang
    return metadata


def terms_of(el: etree._Element) -> dict[str, list[str]]:
    """The categories and tags the_category() and the_tags() printed under *el* (their
    ``rel="category tag"`` and ``rel="tag"`` links), by key; keys without a value left out."""
    found = {}
    for key, links in (("categories", _CATEGORY_LINKS), ("tags", _TAG_LINKS)):
        values = list(dict.fromkeys(v for v in (fold(text_of(a)) for a in links(el)) if v))
        if values:
            found[key] = values
    return found


def _first(*sources) -> str | None:
    """The first non-empty string of the sources (strings or lists of strings), folded."""
    for source in sources:
        if not source:
            continue
        for value in [source] if isinstance(source, str) else source:
            if isinstance(value, str) and fold(value):
                return fold(value)
    return None


def _json_ld(page: etree._Element) -> dict:
    """The page's JSON-LD node for the post (an Article, BlogPosting … or the WebPage), or {}."""
    found: dict = {}
    for script in _JSON_LD(page):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                if "@graph" in node:
                    stack.append(node["@graph"])
                kinds = node.get("@type")
                kinds = set(kinds) if isinstance(kinds, list) else {kinds}
                if kinds & _ARTICLE_TYPES and ("WebPage" not in kinds or not found):
                    found = node
    return found


def _ld_name(value) -> str | None:
    """An author as JSON-LD gives it: a name, a Person, or a list of them (the first)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def _page_title(page: etree._Element, root: etree._Element, article: etree._Element | None) -> str | None:
    heading = _first([text_of(h) for h in _ENTRY_TITLE(page)])
    if not heading:
        for scope in (article, root):
            if scope is not None:
                heading = _first([text_of(h) for h in _H1(scope)])
                if heading:
                    break
    og = _first(_META(page, name="og:title"))
    title_tag = _first([text_of(t) for t in _TITLE(page)])
    site = _first(_META(page, name="og:site_name"), _META(page, name="application-name"))
    if heading:
        return heading
    for value in (og, title_tag):
        if value:
            return _without_site(value, site, heading)
    return None


def _without_site(title: str, site: str | None, heading: str | None) -> str:
    """``title`` without the site's name a theme or SEO plugin added ("Post – Site", "Site | Post")."""
    for sep in _SEPARATORS:
        if sep not in title:
            continue
        if site:
            if title.endswith(sep + site):
                return title[: -len(sep + site)].strip()
            if title.startswith(site + sep):
                return title[len(site + sep) :].strip()
        head, _, tail = title.rpartition(sep)
        if heading and fold(head) == heading:
            return fold(head)
    return title
