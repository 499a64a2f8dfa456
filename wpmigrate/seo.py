"""What the SEO plugins stored for a post: its description, search title, canonical URL, noindex.

Yoast SEO, Rank Math, All in One SEO (v4 and the older "Pack") and SEOPress keep
these in postmeta. A title or description may be a template of the plugin's
variables (``%%title%% %%sep%% %%sitename%%``, ``%title%``, ``#post_title``):
those this module knows are filled in with the post's values; a value holding
any other variable is left out, so no raw template reaches the front matter.
The first plugin (in the order above) that has a value for a field gives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from wpmigrate.model import Item

__all__ = ["SeoFields", "expand_template", "seo_fields", "web_url"]


@dataclass(frozen=True)
class SeoFields:
    title: str = ""  # the title search engines were given, filled in
    description: str = ""
    canonical: str = ""
    noindex: bool = False


# how each plugin writes a variable: %%name%% (Yoast, SEOPress), %name% (Rank Math),
# #name (All in One SEO v4; its older "Pack" took %name%)
_YOAST = re.compile(r"%%([a-z0-9_-]+)%%", re.I)
_RANK_MATH = re.compile(r"%%?([a-z0-9_-]+)%%?", re.I)
_AIOSEO = re.compile(r"#([a-z][a-z0-9_]*)", re.I)

#: (title key, description key, canonical key, variable syntax) per plugin, in order of precedence
_KEYS: tuple[tuple[str, str, str, re.Pattern[str]], ...] = (
    ("_yoast_wpseo_title", "_yoast_wpseo_metadesc", "_yoast_wpseo_canonical", _YOAST),
    ("rank_math_title", "rank_math_description", "rank_math_canonical_url", _RANK_MATH),
    ("_aioseo_title", "_aioseo_description", "_aioseo_canonical_url", _AIOSEO),
    ("_aioseop_title", "_aioseop_description", "_aioseop_custom_link", _RANK_MATH),
    ("_seopress_titles_title", "_seopress_titles_desc", "_seopress_robots_canonical", _YOAST),
)
#: variables that stand for nothing on a single post's page (page numbers of paged archives)
_EMPTY = frozenset({"page", "pagenumber", "pagetotal", "page_number", "current_page", "currentpage"})
_SEPARATOR_ONLY = re.compile(r"^[\s\-–—|·•:,/]+|[\s\-–—|·•:,/]+$")


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)


#: the plugins' variable names → which value of the post they stand for
_MEANING: dict[frozenset[str], str] = {
    _names("title", "post_title", "seo_title"): "title",
    _names("sitename", "site_title", "sitetitle", "blog_title"): "site",
    _names("sitedesc", "tagline", "site_description", "blog_description"): "tagline",
    _names("excerpt", "excerpt_only", "post_excerpt", "post_excerpt_only", "wc_shortdesc"): "excerpt",
    _names("category", "primary_category", "post_category", "categories", "_category_title"): "category",
    _names("sep", "separator", "separator_sa"): "sep",
    _names("name", "author", "author_name", "post_author", "author_first_name"): "author",
}
_BY_NAME = {name: meaning for names, meaning in _MEANING.items() for name in names}


def expand_template(template: str, values: dict[str, str], syntax: re.Pattern[str] = _YOAST) -> str | None:
    """``template`` with the plugins' variables filled in from ``values`` (keys as in
    ``_MEANING``: title, site, tagline, excerpt, category, sep, author) as ``syntax`` (a
    plugin's way to write a variable) finds them; None when it holds a variable this
    module does not know (the value is then left out, never written raw)."""
    unknown = False

    def one(m: re.Match[str]) -> str:
        nonlocal unknown
        name = m.group(1).lower()
        if name in _EMPTY:
            return ""
        meaning = _BY_NAME.get(name)
        if meaning is None:
            unknown = True
            return m.group(0)
        return values.get(meaning, "")

    text = syntax.sub(one, template)
    if unknown:
        return None
    text = " ".join(text.split())
    # "Title - " when the site name was empty: no separator at either end
    return _SEPARATOR_ONLY.sub("", text) if text != template else text


def web_url(value: str) -> str:
    """``value`` when it is an http(s) address with a host and no spaces, else ``""``
    (never a ``javascript:`` or ``data:`` address in front matter or a comment's link)."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in value):
        return value
    return ""


def _noindex(item: Item) -> bool:
    if (item.meta_value("_yoast_wpseo_meta-robots-noindex") or "").strip() == "1":
        return True
    if "noindex" in (item.meta_value("rank_math_robots") or ""):
        return True
    if (item.meta_value("_aioseo_robots_noindex") or "").strip() in ("1", "true"):
        return True
    if (item.meta_value("_aioseop_noindex") or "").strip() in ("on", "1"):
        return True
    return (item.meta_value("_seopress_robots_index") or "").strip() == "yes"


def seo_fields(item: Item, values: dict[str, str]) -> SeoFields:
    """The SEO plugins' fields of ``item``; ``values`` fill in their templates
    (title, site, tagline, excerpt, category, sep, author)."""
    title = description = canonical = ""
    for title_key, description_key, canonical_key, syntax in _KEYS:
        if not title:
            title = _filled(item.meta_value(title_key), values, syntax)
        if not description:
            description = _filled(item.meta_value(description_key), values, syntax)
        if not canonical:
            canonical = web_url(item.meta_value(canonical_key) or "")
    return SeoFields(title, description, canonical, _noindex(item))


def _filled(raw: str | None, values: dict[str, str], syntax: re.Pattern[str]) -> str:
    if not raw or not raw.strip():
        return ""
    return expand_template(raw.strip(), values, syntax) or ""
