"""Front-matter fields of one item: title, dates with the site's UTC offset, terms, media.

What a static site needs to know about a post besides its body, taken from
the export's model. The order of the keys and their serialisation belong to
:mod:`wpmigrate.frontmatter`; this module decides their values.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from wpmigrate import frontmatter
from wpmigrate.model import Index, Item, Site

__all__ = ["FieldBuilder", "aware", "plain_text", "plain_title", "utc_offset"]


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


def aware(local: datetime | None, gmt: datetime | None, fallback: timedelta | None) -> datetime | None:
    """A local date with its UTC offset: its own, else the site's most common one."""
    if local is None:
        return gmt
    off = utc_offset(local, gmt)
    if off is None:
        off = fallback
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


class FieldBuilder:
    """Front-matter fields for the items of one site."""

    def __init__(self, site: Site, index: Index, fallback_offset: timedelta | None) -> None:
        self.index = index
        self.fallback = fallback_offset
        self.authors = {a.login: (a.display_name or a.login) for a in site.authors}

    def fields(self, item: Item, summary: str | None) -> tuple[dict[str, Any], list[str]]:
        """``(fields in their declared order, warnings)`` for one item."""
        f: dict[str, Any] = {"title": plain_title(item.title)}
        date = aware(item.date, item.date_gmt, self.fallback)
        if date is not None:
            f["date"] = date
        updated = aware(item.modified, item.modified_gmt, self.fallback)
        if updated is not None and updated != date:
            f["updated"] = updated
        if item.slug:
            f["slug"] = item.slug
        if item.author:
            f["author"] = self.authors.get(item.author, item.author)
        taxonomies: list[str] = []
        groups: dict[str, list[str]] = {}
        for term in item.terms:
            key = _TAXONOMY_KEYS.get(term.taxonomy, term.taxonomy)
            if key in frontmatter.FIELDS and key not in ("categories", "tags"):
                key = f"taxonomy_{key}"
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
        thumb = item.meta_value("_thumbnail_id")
        warnings = []
        if thumb and thumb.strip().isdigit() and int(thumb) > 0:
            att = self.index.attachments.get(int(thumb))
            if att is not None and att.url:
                f["cover_image"] = att.url
            else:
                warnings.append(f"featured image {thumb.strip()} is not in the export")
        if item.status in ("draft", "pending", "future"):
            f["draft"] = True
        f["id"] = item.id
        if item.type != "post":
            f["type"] = item.type
        if item.link:
            f["original_url"] = item.link
        return frontmatter.order_fields(f, taxonomies), warnings
