"""Front-matter fields of one item: title, dates with the site's UTC offset, terms, media.

What a static site needs to know about a post besides its body, taken from
the export's model. The order of the keys and their serialisation belong to
:mod:`wpmigrate.frontmatter`; this module decides their values.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from wpmigrate import frontmatter
from wpmigrate.model import Index, Item, Site
from wpmigrate.seo import seo_fields

__all__ = [
    "FieldBuilder",
    "SiteOffsets",
    "aware",
    "number",
    "plain_text",
    "plain_title",
    "taxonomy_key",
    "utc_offset",
]


def utc_offset(local: datetime | None, gmt: datetime | None) -> timedelta | None:
    """The site's UTC offset at a date, from ``post_date`` against ``post_date_gmt``
    (rounded to a quarter of an hour; None when they cannot be an offset)."""
    if local is None or gmt is None:
        return None
    diff = local - gmt.replace(tzinfo=None)
    minutes = round(diff.total_seconds() / 900) * 15
    if abs(minutes) > 14 * 60:
        return None
    return timedelta(minutes=minutes)


class SiteOffsets:
    """The site's UTC offsets as its items show them, by day (picklable, small: one entry
    per day that has items).

    WordPress stores a post's local time and, once published, its GMT time; a draft
    has ``post_date_gmt`` 0000-00-00. Its offset is the site's offset *at that date*
    (daylight saving time moves it twice a year), read from the items nearest to it.
    """

    def __init__(self) -> None:
        self._days: dict[int, Counter] = {}
        self._sorted: list[tuple[int, timedelta]] | None = None

    def add(self, local: datetime | None, gmt: datetime | None) -> None:
        off = utc_offset(local, gmt)
        if off is not None and local is not None:
            self._days.setdefault(local.toordinal(), Counter())[off] += 1
            self._sorted = None

    def __bool__(self) -> bool:
        return bool(self._days)

    def _table(self) -> list[tuple[int, timedelta]]:
        if self._sorted is None:
            self._sorted = sorted((day, c.most_common(1)[0][0]) for day, c in self._days.items())
        return self._sorted

    def __getstate__(self) -> dict:
        return {"table": self._table()}

    def __setstate__(self, state: dict) -> None:
        self._sorted = state["table"]
        self._days = {day: Counter({off: 1}) for day, off in self._sorted}

    def usual(self) -> timedelta | None:
        """The offset of most days with items (the site's standard time, or its summer time)."""
        table = self._table()
        return Counter(off for _, off in table).most_common(1)[0][0] if table else None

    def near(self, local: datetime) -> timedelta | None:
        """The offset the site had on the day nearest to ``local`` that has items."""
        table = self._table()
        if not table:
            return None
        day = local.toordinal()
        i = bisect_left(table, (day,))
        candidates = table[max(0, i - 1) : i + 1]
        return min(candidates, key=lambda entry: (abs(entry[0] - day), entry[0]))[1]


def aware(local: datetime | None, gmt: datetime | None, offsets: SiteOffsets | None) -> datetime | None:
    """A local date with its UTC offset: its own, else the site's on the nearest day."""
    if local is None:
        return gmt
    off = utc_offset(local, gmt)
    if off is None and offsets is not None:
        off = offsets.near(local)
    if off is None:
        return local
    return local.replace(tzinfo=timezone(off))


_TAG_START = re.compile(r"<[A-Za-z/!]")


def plain_title(title: str) -> str:
    """The title as visitors saw it: tags dropped, entities decoded once."""
    if "<" in title and _TAG_START.match(title, title.index("<")):
        try:
            fragment = lxml_html.fragment_fromstring(title, create_parent="span")
            return fragment.text_content()
        except (etree.LxmlError, ValueError):  # lxml refuses some odd input; fall back to the text
            return html.unescape(title)
    return html.unescape(title) if "&" in title else title


def plain_text(fragment: str) -> str:
    """A short HTML fragment (an excerpt) as one line of plain text."""
    if not fragment.strip():
        return ""
    try:
        text = lxml_html.fragment_fromstring(fragment, create_parent="div").text_content()
    except (etree.LxmlError, ValueError):
        text = html.unescape(fragment)
    return " ".join(text.split())


_TAXONOMY_KEYS = {"category": "categories", "post_tag": "tags"}
_SEO_PREFIXES = ("_yoast_wpseo_", "rank_math_", "_aioseo", "_seopress_")


#: front-matter keys a generator gives a meaning of its own (Hugo's url and aliases,
#: Jekyll's layout and published, Eleventy's permalink and pagination, the layouts'
#: renamed keys): a custom taxonomy of that name would change how a page is built
_GENERATOR_KEYS = frozenset(
    {
        "url",
        "permalink",
        "layout",
        "aliases",
        "weight",
        "published",
        "pagination",
        "lastmod",
        "publishdate",
        "expirydate",
        "outputs",
        "cascade",
        "headless",
        "build",
        "markup",
        "images",
        "description",
        "eleventyComputed",
        "eleventyExcludeFromCollections",
        "render_with_liquid",
        "last_modified_at",
        "image",
        "pubDate",
        "updatedDate",
        "heroImage",
        "wp_type",
    }
)


def taxonomy_key(taxonomy: str) -> str:
    """The front-matter key of a taxonomy: ``categories``, ``tags``, or its own name
    (``taxonomy_<name>`` when the name is one of the standard keys or one a generator
    reads itself)."""
    key = _TAXONOMY_KEYS.get(taxonomy, taxonomy)
    if (key in frontmatter.FIELDS or key in _GENERATOR_KEYS) and key not in ("categories", "tags"):
        key = f"taxonomy_{key}"
    return key


class FieldBuilder:
    """Front-matter fields for the items of one site."""

    def __init__(self, site: Site, index: Index, offsets: SiteOffsets | None) -> None:
        self.index = index
        self.offsets = offsets
        self.authors = {a.login: (a.display_name or a.login) for a in site.authors}
        self.site_title = plain_title(site.title)
        self.tagline = plain_title(site.description)

    def fields(self, item: Item, summary: str | None, slug: str | None = None) -> tuple[dict[str, Any], list[str]]:
        """``(fields in their declared order, warnings)`` for one item; ``slug`` is the slug of
        its file (disambiguated and safe), written as ``slug`` with WordPress's as ``wp_slug``."""
        f: dict[str, Any] = {"title": plain_title(item.title)}
        date = aware(item.date, item.date_gmt, self.offsets)
        if date is not None:
            f["date"] = date
        updated = aware(item.modified, item.modified_gmt, self.offsets)
        if updated is not None and updated != date:
            f["updated"] = updated
        if slug:
            f["slug"] = slug
            if item.slug and item.slug != slug:
                f["wp_slug"] = item.slug
        elif item.slug:
            f["slug"] = item.slug
        if item.author:
            f["author"] = self.authors.get(item.author, item.author)
        taxonomies: list[str] = []
        groups: dict[str, list[str]] = {}
        for term in item.terms:
            key = taxonomy_key(term.taxonomy)
            name = plain_title(term.name).strip() or term.slug
            names = groups.setdefault(key, [])
            if name not in names:
                names.append(name)
            if key not in ("categories", "tags") and key not in taxonomies:
                taxonomies.append(key)
        f.update(groups)
        excerpt = plain_text(item.excerpt)
        if excerpt:
            f["excerpt"] = excerpt
        if summary:
            f["summary"] = summary
        self._seo(item, f, excerpt)
        thumb = item.meta_value("_thumbnail_id")
        warnings = []
        if thumb and thumb.strip().isdigit() and int(thumb) > 0:
            att = self.index.attachments.get(int(thumb))
            if att is not None and att.url:
                f["cover_image"] = att.url
            else:
                warnings.append(f"featured image {thumb.strip()} is not in the export")
        if item.type == "product":
            warnings.extend(self._product(item, f))
        if item.status in ("draft", "pending", "future"):
            f["draft"] = True
        f["id"] = item.id
        if item.type != "post":
            f["type"] = item.type
        if item.link:
            f["original_url"] = item.link
        return frontmatter.order_fields(f, taxonomies), warnings

    def _seo(self, item: Item, f: dict[str, Any], excerpt: str) -> None:
        """``description``, ``seo_title`` (when it is not the title), ``canonical`` and
        ``noindex`` from what an SEO plugin stored (:mod:`wpmigrate.seo`)."""
        if not any(m.key.startswith(_SEO_PREFIXES) for m in item.meta):
            return
        category = next((plain_title(t.name) for t in item.terms if t.taxonomy == "category"), "")
        values = {
            "title": f["title"],
            "site": self.site_title,
            "tagline": self.tagline,
            "excerpt": excerpt,
            "category": category,
            "sep": "-",
            "author": f.get("author", ""),
        }
        seo = seo_fields(item, values)
        if seo.description:
            f["description"] = seo.description
        if seo.title and seo.title != f["title"]:
            f["seo_title"] = seo.title
        if seo.canonical:
            f["canonical"] = seo.canonical
        if seo.noindex:
            f["noindex"] = True

    def _product(self, item: Item, f: dict[str, Any]) -> list[str]:
        """WooCommerce's facts of a product, from its postmeta: prices, SKU, stock, gallery,
        and its variations (items of their own, counted in the first pass)."""
        warnings: list[str] = []
        variations = self.index.variations.get(item.id)
        for key, meta in (("price", "_price"), ("regular_price", "_regular_price"), ("sale_price", "_sale_price")):
            value = number(item.meta_value(meta, "") or "")
            if value is not None and not (key == "price" and variations):
                f[key] = value
        for key, meta in (("sku", "_sku"), ("stock_status", "_stock_status")):
            value = (item.meta_value(meta, "") or "").strip()
            if value:
                f[key] = value
        if variations:
            count, low, high = variations
            f["variations"] = count
            low, high = number(low or ""), number(high or "")
            if low is not None and high is not None:
                f["price_range"] = {"min": low, "max": high}
        gallery = []
        for part in (item.meta_value("_product_image_gallery", "") or "").split(","):
            if part.strip().isdigit():
                att = self.index.attachments.get(int(part))
                if att is not None and att.url:
                    gallery.append(att.url)
                else:
                    warnings.append(f"gallery image {part.strip()} is not in the export")
        if gallery:
            f["gallery"] = gallery
        return warnings


def number(text: str) -> int | float | None:
    """A price as WooCommerce stores it ("19.99", "20") as a YAML number; None when it is none."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() else float(value)
