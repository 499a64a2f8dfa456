"""Shortcode page builders rendered as their front end shows them.

WPBakery, Divi, Avada (Fusion Builder), Enfold, Cornerstone and the Thrive
Content Builder keep a page as nested shortcodes in ``post_content``
(``[vc_row][vc_column][vc_column_text]…``). Each builder is a
:class:`~.profiles.Builder` profile: the prefixes of its shortcode names and
a table of elements, each of one :class:`~.profiles.Kind` (layout wrappers
unwrapped, text, heading, image, gallery, button, link, composite, quote,
raw HTML, drop) with the attributes it reads. :func:`register_builders` puts every element into a
renderer's shortcode registry, and each builder's prefixes too, so an element
no table names (``[vc_something]``) keeps its inner content, loses its
brackets and is counted among the report's ``builder_elements``.

They are registered as *early* shortcodes, run before ``wpautop()``: what they
print is block HTML (paragraphs, headings, figures), which ``wpautop()`` then
leaves alone, so builder tags on lines of their own leave no empty ``<p>`` or
stray ``<br>``. Text elements get their paragraphs the way WPBakery's
``wpb_js_remove_wpautop()`` gives them: the ``<p>`` tags the editor saved
become newlines and ``wpautop()`` runs on the element's own content.

Thrive Architect stores rendered HTML instead; :func:`builder_decoration`, a
normalise step, removes the separators and icons it leaves.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...wordpress.autop import wpautop
from ...wordpress.shortcodes import GENERIC_NAME
from ...wordpress.spans import inside, protected_spans
from ..context import RenderContext, esc, esc_attr
from ..media import attachment_figure, gallery_figure, image_figure, img_tag, link_paragraph
from .profiles import BUILDERS, Builder, Element, Kind

if TYPE_CHECKING:
    from ...wordpress.shortcodes import Shortcode
    from ..renderer import ShortcodeRegistry

__all__ = [
    "BUILDERS",
    "Builder",
    "Element",
    "Kind",
    "builder_decoration",
    "builder_names",
    "builder_prefixes",
    "register_builders",
    "remove_stray_closers",
]

_HTML_DROP = frozenset(c for b in BUILDERS for c in b.html_drop)


def builder_decoration(root, ctx: RenderContext) -> None:
    """Builders that store rendered HTML (Thrive Architect) leave separators and icons: removed."""
    for el in list(root.iter("div", "hr", "span", "svg")):
        if _HTML_DROP.intersection((el.get("class") or "").split()) and el.getparent() is not None:
            el.drop_tree()


def builder_names() -> set[str]:
    """Every element name the builder profiles describe."""
    return {name for b in BUILDERS for name in b.elements}


def builder_prefixes() -> tuple[str, ...]:
    """The name prefixes of the builders (``vc_``, ``et_pb_`` …)."""
    return tuple(p for b in BUILDERS for p in b.prefixes)


_NAMES = frozenset(builder_names())
_PREFIXES = builder_prefixes()
_CLOSER = re.compile(r"\[/(" + GENERIC_NAME + r")\]")


def remove_stray_closers(text: str, ctx: RenderContext) -> str:
    """A builder's closing tag with no opening tag is removed (and reported).

    Run after the early shortcodes: every builder element the renderer runs
    has been consumed with its closing tag, so one still there has no opener.

    A page edited by hand, or saved with a builder half switched off, keeps
    ``[/vc_column]`` where its opening tag went. ``do_shortcode()`` prints it
    as text; it was never part of what the page says, so it goes (outside
    code, where it is text).
    """
    if "[/" not in text:
        return text
    spans = None
    out: list[str] = []
    pos = 0
    for m in _CLOSER.finditer(text):
        name = m.group(1)
        if (name not in _NAMES and not name.startswith(_PREFIXES)) or not ctx.renderer.shortcodes.runs_early(name):
            # not a builder's, or a renderer that does not run it: its tags stay as written
            continue
        if spans is None:
            spans = protected_spans(text)
        if inside(spans, m.start()):
            continue
        ctx.warn(f"removed a [/{name}] with no opening tag")
        out.append(text[pos : m.start()])
        pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def register_builders(registry: ShortcodeRegistry) -> None:
    """Handle every builder element and builder prefix in ``registry`` (as early shortcodes)."""
    for builder in BUILDERS:
        for name, element in builder.elements.items():
            registry.register(name, _handler(builder, element), early=True)
        for prefix in builder.prefixes:
            registry.register_prefix(prefix, _unknown_handler(builder), early=True)


def _handler(builder: Builder, element: Element):
    def handle(sc: Shortcode, ctx: RenderContext) -> str:
        return render_element(builder, element, sc, ctx)

    return handle


#: an element no profile names renders as a layout wrapper: its content shows
_UNKNOWN = Element(Kind.LAYOUT, content="layout")


def _unknown_handler(builder: Builder):
    def handle(sc: Shortcode, ctx: RenderContext) -> str:
        # an element the profile does not know: its inner content is still the page's
        ctx.count_builder_element(sc.name)
        return render_element(builder, _UNKNOWN, sc, ctx)

    return handle


# --- rendering ----------------------------------------------------------------------

_P_TAG = re.compile(r"</?p(?:\s[^>]*)?>", re.I)
_DIGITS = re.compile(r"\d+")
_LEVEL = re.compile(r"(?:^|[^a-z0-9])h([1-6])(?![0-9])", re.I)


def _attr(builder: Builder, sc: Shortcode, names: tuple[str, ...]) -> str:
    """The first non-empty of the attributes ``names``, decoded as the builder stores it."""
    for name in names:
        value = sc.attrs.get(name)
        if value is not None and value.strip():
            return builder.decode_attr(value).strip()
    return ""


#: nesting of builder elements (and blocks) rendered; a real page nests a handful (row,
#: column, inner row, inner column, tabs, section, text), and each level reads its content once
MAX_DEPTH = 32
_TAG = re.compile(r"\[/?(" + GENERIC_NAME + r")(?![\w-])[^\[\]]*\]")


def _strip_builder_tags(text: str) -> str:
    """The text with every builder tag removed, in one pass (no recursion)."""

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        return "" if name in _NAMES or name.startswith(_PREFIXES) else m.group(0)

    return _TAG.sub(one, text)


def _run_inner(content: str, ctx: RenderContext) -> str:
    """An element's content, its own elements rendered (nesting beyond :data:`MAX_DEPTH` is flattened)."""
    from ..handlers import do_early_shortcodes

    if ctx.depth >= MAX_DEPTH:
        ctx.warn(f"page builder elements nested more than {MAX_DEPTH} deep: their tags removed")
        return _strip_builder_tags(content)
    with ctx.deeper():
        return do_early_shortcodes(content, ctx)


def _text(content: str, ctx: RenderContext) -> str:
    """Editor text: the saved ``<p>`` tags become blank lines and ``wpautop()`` runs again."""
    text = _P_TAG.sub("\n\n", content)
    text = _run_inner(text, ctx)
    return wpautop(text + "\n").strip()


def _level(builder: Builder, element: Element, sc: Shortcode) -> int:
    """The heading level: from the element's level attribute (``h2``, ``tag:h2|…``, ``2``), else its default.

    0 means a level attribute naming no heading (``tag:div``, ``p``): a paragraph.
    """
    if element.level_attr:
        value = builder.decode_attr(sc.attrs.get(element.level_attr) or "").strip()
        if value:
            if value.isdigit():
                n = int(value)
                return n if 1 <= n <= 6 else element.level
            m = _LEVEL.search(value)
            return int(m.group(1)) if m else 0
    return element.level


def _heading(text_html: str, level: int) -> str:
    if not text_html.strip():
        return ""
    if level == 0:
        return f"<p>{text_html}</p>"
    return f"<h{level}>{text_html}</h{level}>"


def _image_candidates(builder: Builder, element: Element, sc: Shortcode) -> list[str]:
    """The values an image may come from, in the element's order (its content last)."""
    values = [builder.decode_attr(sc.attrs.get(name) or "").strip() for name in element.image]
    if element.content == "image":
        values.append((sc.content or "").strip())
    return [v for v in values if v]


def _image(builder: Builder, element: Element, sc: Shortcode, ctx: RenderContext) -> str:
    alt = _attr(builder, sc, element.alt)
    caption = _attr(builder, sc, element.caption)
    if not caption and element.content == "caption":
        caption = _P_TAG.sub(" ", sc.content or "").strip()
    img = ""
    missing = ""
    for value in _image_candidates(builder, element, sc):
        if value.startswith("<"):
            # the content is the <img> itself (Fusion's image frame)
            img = value
            break
        ident = _DIGITS.match(value)
        if ident and not value.lower().startswith(("http:", "https:", "//", "/")):
            att = ctx.attachment(int(ident.group(0)))
            if att is None:
                # an id the export does not hold: the element may also give the URL
                missing = missing or ident.group(0)
                continue
            img = img_tag(att.url, alt or att.alt or "")
            if not caption and element.attachment_caption:
                caption = att.caption if sc.attrs.get(element.attachment_caption) == "yes" else ""
            break
        img = img_tag(value, alt)
        break
    if not img:
        if missing:
            ctx.warn(f"[{sc.name}]: attachment {missing} not found")
        return ""
    url = builder.decode_link(_attr(builder, sc, element.url)) if element.url else ""
    if url and url != "#":
        img = f'<a href="{esc_attr(url)}">{img}</a>'
    return image_figure(img, caption)


def _gallery(builder: Builder, element: Element, sc: Shortcode, ctx: RenderContext) -> str:
    ids = [int(i) for i in _DIGITS.findall(_attr(builder, sc, element.image))]
    figures = [attachment_figure(att) for att in ctx.attachments(ids, f"[{sc.name}]")]
    return gallery_figure(figures) if figures else ""


def _button(builder: Builder, element: Element, sc: Shortcode, label_html: str) -> str:
    url = builder.decode_link(_attr(builder, sc, element.url))
    url = "" if url == "#" else url
    label = label_html or esc(builder.link_title(_attr(builder, sc, element.url)))
    if not label and not url:
        return ""
    if not url:
        return f"<p>{label}</p>"
    return f'<p><a href="{esc_attr(url)}">{label or esc(url)}</a></p>'


def render_element(builder: Builder, element: Element, sc: Shortcode, ctx: RenderContext) -> str:
    """One builder element as HTML blocks; see :class:`~.profiles.Kind` for what each kind prints."""
    kind = element.kind
    content = sc.content or ""
    if kind is Kind.DROP:
        return ""
    if kind is Kind.RAW:
        return "\n\n" + builder.decode_raw(content).strip() + "\n\n"
    if kind is Kind.LINK:
        url = builder.decode_link(_attr(builder, sc, element.url)) or content.strip()
        if element.link_format and url and "/" not in url:
            url = element.link_format.format(url)
        return link_paragraph(url) if url else ""
    if kind is Kind.GALLERY:
        return _gallery(builder, element, sc, ctx)
    parts: list[str] = []
    title = _attr(builder, sc, element.title)
    if kind is Kind.HEADING and not title and element.content == "title":
        title = _run_inner(_P_TAG.sub(" ", content), ctx).strip()
    if kind is Kind.IMAGE or (kind is Kind.COMPOSITE and element.image):
        parts.append(_image(builder, element, sc, ctx))
    if title and kind is not Kind.BUTTON:
        # an image element's title is a heading above it (WPBakery's widget title);
        # a blurb, slide or team member shows its image first
        heading = _heading(title, _level(builder, element, sc))
        if kind is Kind.IMAGE:
            parts.insert(0, heading)
        else:
            parts.append(heading)
    if kind is Kind.BUTTON:
        label = _attr(builder, sc, element.label) or title or _run_inner(_P_TAG.sub(" ", content), ctx).strip()
        parts.append(_button(builder, element, sc, label))
    elif element.content == "text":
        parts.append(_text(content, ctx))
    elif element.content == "layout":
        parts.append(_run_inner(content, ctx).strip())
    if kind is Kind.COMPOSITE and element.url:
        label = _attr(builder, sc, element.label)
        if label:
            parts.append(_button(builder, element, sc, label))
    body = "\n\n".join(p for p in parts if p)
    if kind is Kind.QUOTE and body:
        cite = _attr(builder, sc, element.cite)
        body = f"<blockquote>{body}" + (f"<p>{cite}</p>" if cite else "") + "</blockquote>"
    return f"\n\n{body}\n\n" if body else ""
