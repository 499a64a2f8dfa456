"""Build small WXR 1.2 exports for tests, with lxml (never by string formatting)."""

from __future__ import annotations

from typing import Any

from lxml import etree

WP = "http://wordpress.org/export/1.2/"
EXCERPT = "http://wordpress.org/export/1.2/excerpt/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
NSMAP = {"excerpt": EXCERPT, "content": CONTENT, "dc": DC, "wp": WP}


def _sub(parent: etree._Element, tag: str, text: Any = None, cdata: bool = False, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        el.text = etree.CDATA(str(text)) if cdata and str(text) else str(text)
    return el


def build_wxr(
    items: list[dict[str, Any]],
    *,
    title: str = "Test Site",
    language: str = "en-US",
    authors: list[dict[str, Any]] | None = None,
    version: str | None = "1.2",
    base_url: str = "https://example.org",
) -> bytes:
    """An export holding ``items``.

    Each item is a dict with keys among: id, type, status, title, slug, content,
    excerpt, date, date_gmt, modified, modified_gmt, author, parent, menu_order,
    password, link, attachment_url, terms [(taxonomy, slug, name)],
    meta [(key, value)], comments [dict]. ``base_url`` is the site's address (channel link,
    ``base_site_url``, ``base_blog_url`` and the items' default links).
    """
    rss = etree.Element("rss", version="2.0", nsmap=NSMAP)
    ch = _sub(rss, "channel")
    _sub(ch, "title", title)
    _sub(ch, "link", base_url)
    _sub(ch, "description", "A test site")
    _sub(ch, "language", language)
    if version is not None:
        _sub(ch, f"{{{WP}}}wxr_version", version)
    _sub(ch, f"{{{WP}}}base_site_url", base_url)
    _sub(ch, f"{{{WP}}}base_blog_url", base_url)
    for a in authors or [{"login": "admin", "email": "admin@example.org", "display_name": "Admin Person"}]:
        au = _sub(ch, f"{{{WP}}}author")
        _sub(au, f"{{{WP}}}author_id", a.get("id", 1))
        _sub(au, f"{{{WP}}}author_login", a["login"], cdata=True)
        _sub(au, f"{{{WP}}}author_email", a.get("email", ""), cdata=True)
        _sub(au, f"{{{WP}}}author_display_name", a.get("display_name", ""), cdata=True)
    for n, it in enumerate(items, start=1):
        el = _sub(ch, "item")
        _sub(el, "title", it.get("title", f"Post {n}"))
        _sub(el, "link", it.get("link", f"{base_url}/?p={it.get('id', n)}"))
        _sub(el, f"{{{DC}}}creator", it.get("author", "admin"), cdata=True)
        _sub(el, "guid", f"{base_url}/?p={it.get('id', n)}", isPermaLink="false")
        _sub(el, "description", "")
        _sub(el, f"{{{CONTENT}}}encoded", it.get("content", ""), cdata=True)
        _sub(el, f"{{{EXCERPT}}}encoded", it.get("excerpt", ""), cdata=True)
        _sub(el, f"{{{WP}}}post_id", it.get("id", n))
        _sub(el, f"{{{WP}}}post_date", it.get("date", "2024-03-01 12:00:00"), cdata=True)
        _sub(el, f"{{{WP}}}post_date_gmt", it.get("date_gmt", "2024-03-01 11:00:00"), cdata=True)
        _sub(el, f"{{{WP}}}post_modified", it.get("modified", it.get("date", "2024-03-01 12:00:00")), cdata=True)
        _sub(
            el,
            f"{{{WP}}}post_modified_gmt",
            it.get("modified_gmt", it.get("date_gmt", "2024-03-01 11:00:00")),
            cdata=True,
        )
        _sub(el, f"{{{WP}}}post_name", it.get("slug", f"post-{n}"), cdata=True)
        _sub(el, f"{{{WP}}}status", it.get("status", "publish"), cdata=True)
        _sub(el, f"{{{WP}}}post_parent", it.get("parent", 0))
        _sub(el, f"{{{WP}}}menu_order", it.get("menu_order", 0))
        _sub(el, f"{{{WP}}}post_type", it.get("type", "post"), cdata=True)
        _sub(el, f"{{{WP}}}post_password", it.get("password", ""), cdata=True)
        _sub(el, f"{{{WP}}}is_sticky", 1 if it.get("sticky") else 0)
        if it.get("attachment_url"):
            _sub(el, f"{{{WP}}}attachment_url", it["attachment_url"], cdata=True)
        for tax, slug, name in it.get("terms", []):
            _sub(el, "category", name, cdata=True, domain=tax, nicename=slug)
        for key, value in it.get("meta", []):
            pm = _sub(el, f"{{{WP}}}postmeta")
            _sub(pm, f"{{{WP}}}meta_key", key, cdata=True)
            _sub(pm, f"{{{WP}}}meta_value", value, cdata=True)
        for c in it.get("comments", []):
            cm = _sub(el, f"{{{WP}}}comment")
            _sub(cm, f"{{{WP}}}comment_id", c.get("id", 1))
            _sub(cm, f"{{{WP}}}comment_author", c.get("author", "Visitor"), cdata=True)
            _sub(cm, f"{{{WP}}}comment_author_email", c.get("email", "visitor@example.net"), cdata=True)
            _sub(cm, f"{{{WP}}}comment_author_url", c.get("url", ""), cdata=True)
            _sub(cm, f"{{{WP}}}comment_author_IP", c.get("ip", "192.0.2.7"), cdata=True)
            _sub(cm, f"{{{WP}}}comment_date", c.get("date", "2024-03-02 10:00:00"), cdata=True)
            _sub(cm, f"{{{WP}}}comment_date_gmt", c.get("date_gmt", "2024-03-02 09:00:00"), cdata=True)
            _sub(cm, f"{{{WP}}}comment_content", c.get("content", "Nice post"), cdata=True)
            _sub(cm, f"{{{WP}}}comment_approved", c.get("approved", "1"), cdata=True)
            _sub(cm, f"{{{WP}}}comment_type", c.get("type", "comment"), cdata=True)
            _sub(cm, f"{{{WP}}}comment_parent", c.get("parent", 0))
            _sub(cm, f"{{{WP}}}comment_user_id", c.get("user_id", 0))
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)
