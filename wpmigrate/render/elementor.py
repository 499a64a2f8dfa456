"""Elementor pages: the content is the element tree in ``_elementor_data``, not ``post_content``.

Elementor keeps a page as JSON in the ``_elementor_data`` postmeta: a list of
elements, each with an ``elType`` (``section``, ``container``, ``column``,
``widget``), a ``settings`` object and its child ``elements``; a widget names
its kind in ``widgetType``. On the front end Elementor replaces what
``the_content`` returns with the HTML it builds from that tree
(``Frontend::apply_builder_in_content``) whenever the post is built with it,
which Elementor decides by ``_elementor_edit_mode`` being ``builder``
(``Document::is_built_with_elementor``). ``post_content`` of such a post is
only a plain-text copy Elementor saves for search and for the day the plugin
is switched off, often stale; but it also holds what the theme's own and the
dynamic widgets (post lists) printed when the page was saved, which the tree
alone cannot give, so where it holds much more text than the tree gives, it
is the page.

:func:`elementor_content` turns the tree into what ``post_content`` would
hold for the same page: one piece of HTML per widget, in order, sections,
containers and columns unwrapped. Text editor widgets keep their HTML, and
the shortcodes of shortcode widgets stay shortcodes, so the page then goes
through the same string steps and cleaning as any post. What a widget shows
decides what it becomes: headings stay headings, images are images (the
attachment index gives the file and its alt text), buttons are links;
dividers, spacers and icons are decoration and go. A widget this module does
not know keeps the text of its settings and is counted in the report
(``builder_elements``) as ``elementor:<widgetType>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from .context import RenderContext, esc, esc_attr

__all__ = ["ELEMENTOR_WIDGETS", "elementor_content"]

#: how many levels of nested elements are followed (deeper ones are flattened into the page)
_MAX_DEPTH = 64

_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))

Widget = Callable[[dict[str, Any], RenderContext], str]


def elementor_content(ctx: RenderContext) -> str | None:
    """The page as Elementor shows it, as ``post_content``-like HTML; ``None`` when
    the post is not built with Elementor or its data cannot be read (then
    ``post_content`` is rendered, with a warning naming the item)."""
    item = ctx.item
    if item is None:
        return None
    raw = item.meta_value("_elementor_data")
    if raw is None or not raw.strip():
        return None
    if (item.meta_value("_elementor_edit_mode") or "") != "builder":
        return None  # the author went back to the WordPress editor: post_content is the page
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        ctx.warn(f"item {item.id}: _elementor_data is not valid JSON ({reason}); post_content rendered instead")
        return None
    if isinstance(data, dict) and isinstance(data.get("content"), list):
        data = data["content"]  # the shape of an exported template
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        ctx.warn(f"item {item.id}: _elementor_data is not a list of elements; post_content rendered instead")
        return None
    if not data:
        return None
    built = "\n\n".join(piece for piece in _elements(data, ctx, 0) if piece.strip()) + "\n"
    if _words(built) < _STALE_SHARE * _words(item.content or ""):
        # the copy Elementor saved in post_content holds much more: what its theme and
        # dynamic widgets (post lists, a theme's own widgets) printed when the page was
        # saved, which the element tree alone cannot give
        return None
    return built


#: post_content is taken instead when the tree gives less than this share of its words
_STALE_SHARE = 0.6


def _words(html: str) -> int:
    if not html.strip():
        return 0
    import lxml.html

    try:
        return len(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())
    except (ValueError, lxml.etree.ParserError):
        return 0


def _elements(elements: list[Any], ctx: RenderContext, depth: int) -> Iterator[str]:
    for el in elements:
        if not isinstance(el, dict):
            continue
        settings = el.get("settings")
        if not isinstance(settings, dict):
            settings = {}
        kind = el.get("elType")
        children = el.get("elements")
        children = children if isinstance(children, list) else []
        if kind == "widget":
            name = str(el.get("widgetType") or "")
            widget = ELEMENTOR_WIDGETS.get(name)
            if widget is None:
                ctx.count_builder_element(f"elementor:{name or 'widget'}")
                yield _settings_text(settings)
            else:
                yield widget(settings, ctx)
        elif kind not in ("section", "container", "column", "inner-section"):
            # an element type of a newer Elementor or an add-on: its text and children stay
            ctx.count_builder_element(f"elementor:{kind or 'element'}")
            yield _settings_text(settings)
        if children and depth < _MAX_DEPTH:
            yield from _elements(children, ctx, depth + 1)
        elif children:
            ctx.warn("Elementor elements nested too deeply; the deepest ones are left out")


# --- settings ---------------------------------------------------------------------------


def _str(settings: dict[str, Any], key: str) -> str:
    value = settings.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _url(settings: dict[str, Any], key: str) -> str:
    """A URL control: ``{"url": …, "is_external": …}``."""
    value = settings.get(key)
    if isinstance(value, dict):
        url = value.get("url")
        return url.strip() if isinstance(url, str) else ""
    return ""


def _linked(html: str, url: str) -> str:
    return f'<a href="{esc_attr(url)}">{html}</a>' if url else html


def _block(html: str) -> str:
    """Widget HTML as its own block: plain text becomes a paragraph."""
    html = html.strip()
    if not html:
        return ""
    return html if html.startswith("<") else f"<p>{html}</p>"


# --- widgets ----------------------------------------------------------------------------


def _heading(s: dict[str, Any], ctx: RenderContext) -> str:
    title = _str(s, "title")
    if not title:
        return ""
    tag = _str(s, "header_size").lower() or "h2"  # Elementor's default size
    tag = tag if tag in _HEADING_TAGS else "p"  # div/span/p: text, not a heading
    return f"<{tag}>{_linked(title, _url(s, 'link'))}</{tag}>"


def _text_editor(s: dict[str, Any], ctx: RenderContext) -> str:
    # TinyMCE content as saved: wpautop() makes its paragraphs, as for a classic post
    return _str(s, "editor")


def _image_html(image: Any, ctx: RenderContext, *, caption: str = "", link: str = "") -> str:
    """An image control (``{"id": …, "url": …}``), its file and alt from the attachment index."""
    if not isinstance(image, dict):
        return ""
    url = image.get("url") if isinstance(image.get("url"), str) else ""
    alt = image.get("alt") if isinstance(image.get("alt"), str) else ""
    att = None
    try:
        att = ctx.attachment(int(image.get("id") or 0)) if image.get("id") else None
    except (TypeError, ValueError):
        att = None
    if att is not None:
        url = att.url or url
        alt = alt or att.alt
    if not url:
        return ""
    img = f'<img src="{esc_attr(url)}" alt="{esc_attr(alt)}" />'
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure class="wp-block-image">{_linked(img, link)}{cap}</figure>'


def _image(s: dict[str, Any], ctx: RenderContext) -> str:
    image = s.get("image")
    caption = ""
    source = _str(s, "caption_source")
    if source == "custom":
        caption = _str(s, "caption")
    elif source == "attachment" and isinstance(image, dict):
        try:
            att = ctx.attachment(int(image.get("id") or 0))
        except (TypeError, ValueError):
            att = None
        caption = att.caption if att is not None else ""
    link_to = _str(s, "link_to")
    link = _url(s, "link") if link_to == "custom" else ""
    if link_to == "file" and isinstance(image, dict):
        link = image.get("url") if isinstance(image.get("url"), str) else ""
    return _image_html(image, ctx, caption=caption, link=link)


def _button(s: dict[str, Any], ctx: RenderContext) -> str:
    text = _str(s, "text")
    if not text:
        return ""
    return f"<p>{_linked(esc(text), _url(s, 'link'))}</p>"


def _icon_list(s: dict[str, Any], ctx: RenderContext) -> str:
    items = s.get("icon_list")
    if not isinstance(items, list):
        return ""
    lis = [
        f"<li>{_linked(esc(_str(i, 'text')), _url(i, 'link'))}</li>"
        for i in items
        if isinstance(i, dict) and _str(i, "text")
    ]
    return "<ul>" + "".join(lis) + "</ul>" if lis else ""


def _video(s: dict[str, Any], ctx: RenderContext) -> str:
    kind = _str(s, "video_type") or "youtube"
    if kind == "hosted":
        url = _url(s, "hosted_url") or _url(s, "external_url")
    else:
        url = _str(s, f"{kind}_url")
    # a URL on its own line: autoembed, as for a pasted link in a post
    return f"\n{url}\n" if url else ""


def _gallery(s: dict[str, Any], ctx: RenderContext) -> str:
    images = s.get("gallery") or s.get("wp_gallery")
    if not isinstance(images, list):
        return ""
    figures = [_image_html(i, ctx) for i in images]
    figures = [f for f in figures if f]
    return '<figure class="wp-block-gallery">' + "".join(figures) + "</figure>" if figures else ""


def _titled(title_key: str, text_key: str, size_key: str, default: str) -> Widget:
    """Icon box, image box, call to action: a heading and a description (the icon goes)."""

    def render(s: dict[str, Any], ctx: RenderContext) -> str:
        parts = []
        if "image" in s and isinstance(s.get("image"), dict):
            parts.append(_image_html(s["image"], ctx))
        title = _str(s, title_key)
        if title:
            tag = _str(s, size_key).lower() or default
            tag = tag if tag in _HEADING_TAGS else "p"
            parts.append(f"<{tag}>{_linked(title, _url(s, 'link'))}</{tag}>")
        parts.append(_block(_str(s, text_key)))
        return "\n\n".join(p for p in parts if p)

    return render


def _testimonial(s: dict[str, Any], ctx: RenderContext) -> str:
    text = _str(s, "testimonial_content")
    if not text:
        return ""
    who = ", ".join(x for x in (_str(s, "testimonial_name"), _str(s, "testimonial_job")) if x)
    cite = f"<cite>{esc(who)}</cite>" if who else ""
    return f"<blockquote>{_block(text)}{cite}</blockquote>"


def _tabs(s: dict[str, Any], ctx: RenderContext) -> str:
    """Tabs, accordion, toggle: every panel is shown, its title above it."""
    tabs = s.get("tabs")
    if not isinstance(tabs, list):
        return ""
    parts = []
    for tab in tabs:
        if not isinstance(tab, dict):
            continue
        title = _str(tab, "tab_title")
        if title:
            parts.append(f"<p><strong>{title}</strong></p>")
        parts.append(_block(_str(tab, "tab_content")))
    return "\n\n".join(p for p in parts if p)


def _alert(s: dict[str, Any], ctx: RenderContext) -> str:
    title = _str(s, "alert_title")
    parts = [f"<p><strong>{title}</strong></p>" if title else "", _block(_str(s, "alert_description"))]
    return "\n\n".join(p for p in parts if p)


def _raw(key: str) -> Widget:
    return lambda s, ctx: _str(s, key)


def _nothing(s: dict[str, Any], ctx: RenderContext) -> str:
    return ""


#: widget renderers by ``widgetType``; a script may add its own
ELEMENTOR_WIDGETS: dict[str, Widget] = {
    "heading": _heading,
    "text-editor": _text_editor,
    "image": _image,
    "button": _button,
    "icon-list": _icon_list,
    "video": _video,
    "image-gallery": _gallery,
    "gallery": _gallery,
    "icon-box": _titled("title_text", "description_text", "title_size", "h3"),
    "image-box": _titled("title_text", "description_text", "title_size", "h3"),
    "call-to-action": _titled("title", "description", "title_tag", "h2"),
    "testimonial": _testimonial,
    "tabs": _tabs,
    "accordion": _tabs,
    "toggle": _tabs,
    "alert": _alert,
    "shortcode": _raw("shortcode"),
    "html": _raw("html"),
    # decoration: nothing a reader needs
    "divider": _nothing,
    "spacer": _nothing,
    "icon": _nothing,
    "social-icons": _nothing,
    "menu-anchor": _nothing,
}


# --- the text of a widget nobody taught us ------------------------------------------------

# keys whose value is text a visitor reads ("title", "title_text", "description",
# "tab_content", "testimonial_name" …); styling keys ("title_color") do not end so
_TEXT_KEY = re.compile(
    r"^(?:[a-z0-9]+_)*(?:title|text|description|content|editor|heading|subtitle|name|caption|label|quote|html|price|number)"
    r"(?:_text)?$"
)
_TAG = re.compile(r"</?[a-zA-Z]")
_NOT_TEXT = re.compile(
    r"^(?:yes|no|none|default|inherit|custom|left|right|center|h[1-6]|div|span|p|#[0-9a-f]{3,8})$", re.I
)


def _settings_text(settings: dict[str, Any]) -> str:
    """The visible text among a widget's settings, in their order, one block each."""
    parts: list[str] = []

    def walk(obj: Any, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(obj, dict):
            for key, value in obj.items():
                if isinstance(key, str) and key.startswith("_"):
                    continue  # Elementor's own: "_title" is the navigator label, "_css_classes" …
                if isinstance(value, str):
                    text = value.strip()
                    if isinstance(key, str) and _TEXT_KEY.match(key) and text and not _NOT_TEXT.match(text):
                        parts.append(_block(text) if _TAG.search(text) else f"<p>{esc(text)}</p>")
                elif isinstance(value, (dict, list)):
                    walk(value, depth + 1)
        elif isinstance(obj, list):
            for value in obj:
                walk(value, depth + 1)

    walk(settings, 0)
    return "\n\n".join(parts)
