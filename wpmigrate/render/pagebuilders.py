"""Page builders that save rendered HTML: Beaver Builder, SiteOrigin Page Builder, Elementor.

Beaver Builder and SiteOrigin Page Builder write the page they render into
``post_content``, and Elementor does the same for its plain copy (the real
tree is ``_elementor_data``, see :mod:`.elementor`; a page saved or scraped
as HTML keeps Elementor's markup). That HTML is the front end's: every text
sits in four to eight layers of layout wrappers (rows, columns, modules,
widget containers), next to decoration drawn with empty elements.

:func:`page_builders` is a normalise step that renders it as a visitor saw
it: layout wrappers are unwrapped, in order; text, headings, images and
links stay; separators, spacers, icons and background layers go. A builder's
element that this module does not know (a module of an add-on) keeps its
text and is counted in the report (``builder_elements``) as
``<builder>:<name>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import BLOCK_TAGS, classes
from .context import RenderContext

__all__ = ["BUILDERS", "Builder", "page_builders"]


@dataclass(frozen=True)
class Builder:
    """What one builder's front-end markup means.

    ``element`` matches the class naming one element's kind on its wrapper
    (``fl-module-heading`` → ``heading``); ``known`` are the kinds whose inner
    markup is ordinary HTML (or is decoration this module drops below);
    ``drop_kinds`` are whole elements that are only decoration; ``drop`` and
    ``unwrap`` are classes of the parts inside elements.
    """

    name: str
    marker: re.Pattern[str]
    element: re.Pattern[str]
    known: frozenset[str]
    drop_kinds: frozenset[str]
    drop: frozenset[str]
    unwrap: frozenset[str]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


BUILDERS: tuple[Builder, ...] = (
    Builder(
        name="elementor",
        marker=re.compile(r"^(?:elementor|elementor-section|elementor-widget|e-con)$"),
        # the widget's kind: "elementor-widget-heading" (and not "elementor-widget-container")
        element=re.compile(r"^elementor-widget-(?!container$|wrap$)([a-z0-9_-]+)$"),
        known=_words(
            """heading text-editor image button icon-list video image-gallery gallery icon-box image-box
            call-to-action testimonial tabs accordion toggle alert shortcode html theme-post-content form
            divider spacer icon social-icons menu-anchor"""
        ),
        drop_kinds=_words("divider spacer icon social-icons menu-anchor"),
        drop=_words(
            """elementor-spacer elementor-divider elementor-background-overlay elementor-background-video-container
            elementor-background-slideshow elementor-shape elementor-icon elementor-button-icon
            elementor-icon-list-icon elementor-icon-box-icon elementor-screen-only elementor-toggle-icon
            elementor-accordion-icon elementor-tab-mobile-title"""
        ),
        unwrap=_words(
            """elementor elementor-inner elementor-section-wrap elementor-section elementor-container
            elementor-row elementor-column elementor-column-wrap elementor-widget-wrap elementor-element
            elementor-widget elementor-widget-container e-con e-con-inner elementor-text-editor elementor-image
            elementor-button-wrapper elementor-button-content-wrapper elementor-button-text
            elementor-icon-box-wrapper elementor-icon-box-content elementor-image-box-wrapper
            elementor-image-box-content elementor-icon-list-text"""
        ),
    ),
    Builder(
        name="beaver-builder",
        marker=re.compile(r"^(?:fl-builder-content|fl-row|fl-module)$"),
        element=re.compile(r"^fl-module-(?!content$)([a-z0-9_-]+)$"),
        known=_words(
            """heading rich-text photo button separator icon icon-group html video gallery callout cta
            list numbers audio"""
        ),
        drop_kinds=_words("separator icon-group"),
        drop=_words(
            """fl-separator fl-icon fl-icon-wrap-empty fl-builder-shape-layer fl-row-bg-overlay
            fl-row-bg-video fl-row-bg-slideshow fl-button-icon"""
        ),
        unwrap=_words(
            """fl-builder-content fl-row fl-row-content-wrap fl-row-content fl-col-group fl-col fl-col-content
            fl-module fl-module-content fl-rich-text fl-photo fl-photo-content fl-button-wrap fl-button-text
            fl-heading-text fl-html fl-icon-wrap fl-icon-text fl-callout fl-callout-content fl-callout-text-wrap
            fl-callout-text fl-callout-button fl-cta-wrap fl-cta-text fl-cta-text-content fl-cta-button"""
        ),
    ),
    Builder(
        name="siteorigin",
        marker=re.compile(r"^(?:panel-layout|panel-grid|so-panel)$"),
        # the widget's kind is on the panel: "widget_sow-editor", "widget_text"
        element=re.compile(r"^widget_([a-z0-9_-]+)$"),
        known=_words(
            """sow-editor sow-image sow-button sow-headline text custom_html media_image media_video
            media_gallery sow-image-grid sow-video siteorigin-panels-builder"""
        ),
        drop_kinds=frozenset(),
        drop=_words("decoration sow-icon-fontawesome sow-icon-ionicons sow-icon-genericons sow-features-feature-icon"),
        unwrap=_words(
            """panel-layout panel-grid panel-row-style panel-grid-cell panel-cell-style so-panel
            panel-widget-style siteorigin-widget-tinymce textwidget sow-image-container ow-button-base
            sow-headline-container so-widget-image"""
        ),
    ),
)

# wrappers of a widget whose class names its widget ("so-widget-sow-editor …")
_SO_WIDGET = re.compile(r"^so-widget-")
_ICON_CLASS = re.compile(r"^(?:sow-icon-|fa[srlbd]?$|fa-|eicon-|dashicons)")


def page_builders(root, ctx: RenderContext) -> None:
    """Unwrap the layout of Beaver Builder, SiteOrigin and Elementor HTML; drop their decoration."""
    found = [b for b in BUILDERS if _has_marker(root, b)]
    for builder in found:
        _render(root, builder, ctx)


def _has_marker(root, builder: Builder) -> bool:
    for el in root.iter("div", "section"):
        if any(builder.marker.match(c) for c in classes(el)):
            return True
    return False


def _render(root, builder: Builder, ctx: RenderContext) -> None:
    # an element of an add-on keeps its wrapper and classes: its text stays a block of
    # its own, and a cleaning profile can still name it (".widget_mc4wp_form_widget")
    unknown = set()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        cls = classes(el)
        kind = next((m.group(1) for m in map(builder.element.match, cls) if m), None)
        if kind is not None:
            if kind in builder.drop_kinds:
                el.drop_tree()
                continue
            if kind not in builder.known:
                ctx.count_builder_element(f"{builder.name}:{kind}")
                unknown.add(el)
        if any(c in builder.drop for c in cls) or (el.tag in ("i", "span") and _is_icon(el, cls)):
            el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el in unknown:
            continue
        cls = classes(el)
        wrapper = [c for c in cls if c in builder.unwrap or (builder.name == "siteorigin" and _SO_WIDGET.match(c))]
        if wrapper:
            _unwrap(el, wrapper)


def _is_icon(el, cls: list[str]) -> bool:
    """An icon font glyph: an empty ``<i>``/``<span>`` whose classes name an icon."""
    return not (el.text_content() or "").strip() and any(_ICON_CLASS.match(c) for c in cls)


def _unwrap(el, wrapper: list[str]) -> None:
    """Remove a wrapper and keep what is inside, in order.

    A wrapper that holds text of its own (not only blocks) stays a plain
    ``<div>``, so that text does not run into the blocks beside it; a
    ``<span>`` goes, its text joining the line. On content elements (an
    image, a heading) only the builder's classes (*wrapper*) go.
    """
    if el.tag == "span":
        el.drop_tag()
        return
    if el.tag not in ("div", "section"):
        rest = [c for c in classes(el) if c not in wrapper]
        if rest:
            el.set("class", " ".join(rest))
        else:
            el.attrib.pop("class", None)
        return
    only_blocks = not (el.text or "").strip() and all(
        isinstance(c.tag, str) and c.tag in BLOCK_TAGS and not (c.tail or "").strip() for c in el
    )
    if only_blocks:
        el.drop_tag()
    else:
        el.attrib.clear()
        el.tag = "div"
