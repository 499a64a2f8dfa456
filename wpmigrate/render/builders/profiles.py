"""The builder profiles: which shortcodes each page builder writes and what each shows.

A profile names the builder's shortcode prefixes and, per element, its
:class:`Kind` and the attributes it reads. How the builder stores attribute
values (WPBakery's URL-encoded ``url:…|title:…`` links and base64 raw HTML,
Enfold's ``manually,URL`` links) is the profile's decoders. Adding an
element is one line in a table; adding a builder one :class:`Builder`.
"""

from __future__ import annotations

import base64
import binascii
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["BUILDERS", "Builder", "Element", "Kind"]


class Kind(enum.Enum):
    """What an element shows on the front end, and so what it renders to."""

    #: a row, column, section or container: only its content shows
    LAYOUT = "layout"
    #: editor text (HTML or paragraphs separated by blank lines)
    TEXT = "text"
    #: a heading from an attribute or the content, its level from an attribute
    HEADING = "heading"
    #: an image: an attachment id (resolved through the export's attachments) or a URL
    IMAGE = "image"
    #: several attachment ids
    GALLERY = "gallery"
    #: a link with a label
    BUTTON = "button"
    #: a video or audio: a link on its own
    LINK = "link"
    #: a title, an optional image, text and an optional button (blurbs, calls to action, tabs, toggles)
    COMPOSITE = "composite"
    #: a testimonial or quote box
    QUOTE = "quote"
    #: HTML the builder stores encoded, shown as it is
    RAW = "raw"
    #: decoration (separators, spacers, icons) and widgets built at view time: nothing
    DROP = "drop"


@dataclass(frozen=True)
class Element:
    """One element of a builder: its kind and the attributes it reads (first non-empty wins)."""

    kind: Kind
    #: heading / title text
    title: tuple[str, ...] = ()
    #: the attribute giving the heading level (``h2``, ``tag:h2|…``, ``2``) and the default level
    level_attr: str = ""
    level: int = 2
    #: image: attachment id(s) or URL
    image: tuple[str, ...] = ()
    alt: tuple[str, ...] = ()
    caption: tuple[str, ...] = ()
    #: the attribute that, set to "yes", shows the attachment's caption (WPBakery's ``add_caption``)
    attachment_caption: str = ""
    #: link target (button, linked image, video)
    url: tuple[str, ...] = ()
    #: a video id becomes this URL (``https://www.youtube.com/watch?v={}``)
    link_format: str = ""
    #: button label
    label: tuple[str, ...] = ()
    #: the person a quote is by
    cite: tuple[str, ...] = ()
    #: what the content is: "text" (editor text), "layout" (more elements),
    #: "title" (the heading's or button's text), "image" (an <img> or URL), "caption"
    #: (an image's caption), "none"
    content: str = "none"


def layout() -> Element:
    return Element(Kind.LAYOUT, content="layout")


def text(**kw) -> Element:
    return Element(Kind.TEXT, content="text", **kw)


def drop() -> Element:
    return Element(Kind.DROP)


def _identity(value: str) -> str:
    return value


def _pipe_pairs(value: str) -> dict[str, str]:
    """WPBakery's ``key:value|key:value`` (``vc_build_link()``, ``font_container``), values URL-decoded."""
    pairs: dict[str, str] = {}
    for part in value.split("|"):
        key, sep, val = part.partition(":")
        if sep:
            pairs[key.strip().lower()] = unquote(val)
    return pairs


def _vc_attr(value: str) -> str:
    """``vc_value_from_safe()``: WPBakery writes ``[``, ``]`` and ``"`` inside attributes as ```{``, ```}``, ``````."""
    return value.replace("`{`", "[").replace("`}`", "]").replace("``", '"')


def _vc_link(value: str) -> str:
    """``vc_build_link()``: ``url:https%3A%2F%2F…|title:Go|target:_blank`` → the URL (a plain URL stays)."""
    if value.startswith("url:") or "|url:" in value:
        return _pipe_pairs(value).get("url", "").strip()
    return value.strip()


def _vc_link_title(value: str) -> str:
    return _pipe_pairs(value).get("title", "").strip() if "url:" in value else ""


def _vc_raw(content: str) -> str:
    """``vc_raw_html``: the HTML URL-encoded, then base64-encoded (``rawurldecode(base64_decode())``)."""
    data = re.sub(r"<[^>]*>|\s+", "", content)
    try:
        return unquote(base64.b64decode(data, validate=True).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return content


def _maybe_base64(content: str) -> str:
    """Avada's ``fusion_code`` is base64 when its encoding option is on, plain HTML otherwise."""
    data = content.strip()
    if data and re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", data) and len(data) % 4 == 0:
        try:
            return base64.b64decode(data, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            pass
    return content


def _enfold_link(value: str) -> str:
    """Enfold's ``link="manually,https://…"``; a post or page (``post,12``) cannot be resolved
    and ``lightbox`` (the image itself, enlarged) is no link."""
    kind, sep, rest = value.partition(",")
    if sep and kind in ("manually", "lightbox"):
        return rest.strip()
    if sep and re.fullmatch(r"[a-z_]+", kind) and rest.strip().isdigit():
        return ""
    if re.fullmatch(r"[a-z_]*", value.strip()):
        return ""
    return value.strip()


def _divi_attr(value: str) -> str:
    """Divi writes ``"``, ``[`` and ``]`` inside attributes as ``%22``, ``%91`` and ``%93``."""
    return value.replace("%22", '"').replace("%91", "[").replace("%93", "]")


def _no_title(value: str) -> str:
    return ""


@dataclass(frozen=True)
class Builder:
    """A page builder: its name, shortcode prefixes, elements and attribute decoders."""

    name: str
    prefixes: tuple[str, ...]
    elements: dict[str, Element]
    decode_attr: Callable[[str], str] = _identity
    decode_link: Callable[[str], str] = _identity
    link_title: Callable[[str], str] = _no_title
    decode_raw: Callable[[str], str] = _identity
    #: classes of the decoration a builder that stores rendered HTML leaves in ``post_content``
    #: (separators, icons): those elements are removed from the tree
    html_drop: tuple[str, ...] = ()


WPBAKERY = Builder(
    name="WPBakery Page Builder (Visual Composer)",
    prefixes=("vc_",),
    decode_attr=_vc_attr,
    decode_link=_vc_link,
    link_title=_vc_link_title,
    decode_raw=_vc_raw,
    elements={
        **{
            n: layout()
            for n in (
                "vc_section",
                "vc_row",
                "vc_row_inner",
                "vc_column",
                "vc_column_inner",
                "vc_tta_tabs",
                "vc_tta_accordion",
                "vc_tta_tour",
                "vc_tta_pageable",
                "vc_tabs",
                "vc_tour",
                "vc_accordion",
            )
        },
        "vc_column_text": text(),
        "vc_wp_text": text(),
        "vc_message": text(),
        "vc_custom_heading": Element(Kind.HEADING, title=("text",), level_attr="font_container", url=("link",)),
        "vc_text_separator": Element(Kind.HEADING, title=("title",), level=0),
        "vc_single_image": Element(
            Kind.IMAGE,
            title=("title",),
            image=("image", "custom_src"),
            alt=("alt",),
            caption=("caption",),
            url=("link", "img_link"),
            attachment_caption="add_caption",
        ),
        "vc_gallery": Element(Kind.GALLERY, image=("images",)),
        "vc_images_carousel": Element(Kind.GALLERY, image=("images",)),
        "vc_btn": Element(Kind.BUTTON, label=("title",), url=("link",)),
        "vc_button": Element(Kind.BUTTON, label=("title",), url=("href", "link")),
        "vc_button2": Element(Kind.BUTTON, label=("title",), url=("link",)),
        "vc_cta": Element(
            Kind.COMPOSITE, title=("h2",), label=("btn_title",), url=("btn_link",), content="text", level=2
        ),
        "vc_toggle": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "vc_tta_section": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "vc_tab": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "vc_accordion_tab": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "vc_hoverbox": Element(Kind.COMPOSITE, title=("primary_title",), image=("image",), content="text"),
        "vc_video": Element(Kind.LINK, url=("link",)),
        "vc_raw_html": Element(Kind.RAW),
        **{
            n: drop()
            for n in (
                "vc_separator",
                "vc_empty_space",
                "vc_icon",
                "vc_zigzag",
                "vc_raw_js",
                "vc_widget_sidebar",
                "vc_facebook",
                "vc_tweetmeme",
                "vc_googleplus",
                "vc_pinterest",
                "vc_gmaps",
                "vc_progress_bar",
                "vc_pie",
                "vc_round_chart",
                "vc_line_chart",
                "vc_basic_grid",
                "vc_masonry_grid",
                "vc_media_grid",
                "vc_masonry_media_grid",
                "vc_posts_slider",
                "vc_flickr",
                "vc_wp_search",
                "vc_wp_meta",
                "vc_wp_recentcomments",
                "vc_wp_calendar",
                "vc_wp_pages",
                "vc_wp_tagcloud",
                "vc_wp_custommenu",
                "vc_wp_posts",
                "vc_wp_categories",
                "vc_wp_archives",
                "vc_wp_rss",
            )
        },
    },
)

DIVI = Builder(
    name="Divi Builder (Elegant Themes)",
    prefixes=("et_pb_",),
    decode_attr=_divi_attr,
    elements={
        **{
            n: layout()
            for n in (
                "et_pb_section",
                "et_pb_fullwidth_section",
                "et_pb_row",
                "et_pb_row_inner",
                "et_pb_column",
                "et_pb_column_inner",
                "et_pb_tabs",
                "et_pb_accordion",
                "et_pb_slider",
                "et_pb_fullwidth_slider",
            )
        },
        "et_pb_text": text(),
        "et_pb_code": Element(Kind.RAW),
        "et_pb_fullwidth_code": Element(Kind.RAW),
        "et_pb_heading": Element(Kind.HEADING, title=("title",), level_attr="title_level", level=1),
        "et_pb_image": Element(Kind.IMAGE, image=("src",), alt=("alt",), url=("url",)),
        "et_pb_fullwidth_image": Element(Kind.IMAGE, image=("src",), alt=("alt",), url=("url",)),
        "et_pb_gallery": Element(Kind.GALLERY, image=("gallery_ids",)),
        "et_pb_button": Element(Kind.BUTTON, label=("button_text",), url=("button_url",)),
        "et_pb_blurb": Element(
            Kind.COMPOSITE,
            title=("title",),
            level_attr="header_level",
            level=4,
            image=("image",),
            alt=("alt",),
            content="text",
        ),
        "et_pb_cta": Element(
            Kind.COMPOSITE,
            title=("title",),
            level_attr="header_level",
            level=2,
            label=("button_text",),
            url=("button_url",),
            content="text",
        ),
        "et_pb_fullwidth_header": Element(
            Kind.COMPOSITE,
            title=("title",),
            level_attr="header_level",
            level=1,
            label=("button_one_text",),
            url=("button_one_url",),
            content="text",
        ),
        "et_pb_slide": Element(
            Kind.COMPOSITE,
            title=("heading",),
            level_attr="header_level",
            level=2,
            image=("image",),
            label=("button_text",),
            url=("button_link",),
            content="text",
        ),
        "et_pb_team_member": Element(
            Kind.COMPOSITE,
            title=("name",),
            level_attr="header_level",
            level=4,
            image=("image_url",),
            content="text",
        ),
        "et_pb_toggle": Element(Kind.COMPOSITE, title=("title",), level_attr="title_level", level=5, content="text"),
        "et_pb_accordion_item": Element(
            Kind.COMPOSITE, title=("title",), level_attr="title_level", level=5, content="text"
        ),
        "et_pb_tab": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "et_pb_testimonial": Element(Kind.QUOTE, cite=("author",), content="text"),
        "et_pb_video": Element(Kind.LINK, url=("src", "src_webm")),
        "et_pb_audio": Element(Kind.LINK, url=("audio",)),
        **{
            n: drop()
            for n in (
                "et_pb_divider",
                "et_pb_icon",
                "et_pb_post_title",
                "et_pb_sidebar",
                "et_pb_social_media_follow",
                "et_pb_social_media_follow_network",
                "et_pb_signup",
                "et_pb_contact_form",
                "et_pb_contact_field",
                "et_pb_search",
                "et_pb_map",
                "et_pb_map_pin",
                "et_pb_countdown_timer",
                "et_pb_blog",
                "et_pb_portfolio",
                "et_pb_filterable_portfolio",
                "et_pb_comments",
                "et_pb_post_nav",
                "et_pb_login",
                "et_pb_number_counter",
                "et_pb_circle_counter",
                "et_pb_counters",
                "et_pb_counter",
                "et_pb_line_break_holder",
            )
        },
    },
)

FUSION = Builder(
    name="Avada (Fusion Builder)",
    prefixes=("fusion_",),
    decode_raw=_maybe_base64,
    elements={
        **{
            n: layout()
            for n in (
                "fusion_builder_container",
                "fusion_builder_row",
                "fusion_builder_row_inner",
                "fusion_builder_column",
                "fusion_builder_column_inner",
                "fusion_tabs",
                "fusion_accordion",
                "fusion_gallery",
                "fusion_content_boxes",
                "fusion_checklist",
            )
        },
        "fusion_text": text(),
        "fusion_alert": text(),
        "fusion_li_item": text(),
        "fusion_title": Element(Kind.HEADING, level_attr="size", level=1, content="title"),
        "fusion_imageframe": Element(Kind.IMAGE, image=("image_id",), alt=("alt",), url=("link",), content="image"),
        "fusion_gallery_image": Element(Kind.IMAGE, image=("image_id", "image"), url=("link",)),
        "fusion_images": layout(),
        "fusion_image": Element(Kind.IMAGE, image=("image_id", "image"), url=("link",)),
        "fusion_button": Element(Kind.BUTTON, url=("link",), content="title"),
        "fusion_content_box": Element(
            Kind.COMPOSITE,
            title=("title",),
            level=2,
            image=("image_id", "image"),
            label=("linktext",),
            url=("link",),
            content="text",
        ),
        "fusion_tagline_box": Element(
            Kind.COMPOSITE, title=("title",), level=2, label=("button",), url=("link",), content="text"
        ),
        "fusion_tab": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "fusion_toggle": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "fusion_testimonials": layout(),
        "fusion_testimonial": Element(Kind.QUOTE, cite=("name",), content="text"),
        "fusion_youtube": Element(Kind.LINK, url=("id",), link_format="https://www.youtube.com/watch?v={}"),
        "fusion_vimeo": Element(Kind.LINK, url=("id",), link_format="https://vimeo.com/{}"),
        "fusion_code": Element(Kind.RAW),
        **{
            n: drop()
            for n in (
                "fusion_separator",
                "fusion_section_separator",
                "fusion_fontawesome",
                "fusion_social_links",
                "fusion_sharing",
                "fusion_map",
                "fusion_google_map",
                "fusion_recent_posts",
                "fusion_blog",
                "fusion_portfolio",
                "fusion_counters_circle",
                "fusion_counter_circle",
                "fusion_counters_box",
                "fusion_counter_box",
                "fusion_progress",
                "fusion_countdown",
                "fusion_widget_area",
                "fusion_menu_anchor",
                "fusion_form",
            )
        },
    },
)

ENFOLD = Builder(
    name="Enfold (Avia Layout Builder)",
    prefixes=("av_",),
    decode_link=_enfold_link,
    elements={
        **{
            n: layout()
            for n in (
                "av_section",
                "av_layout_row",
                "av_one_full",
                "av_one_half",
                "av_one_third",
                "av_two_third",
                "av_one_fourth",
                "av_three_fourth",
                "av_one_fifth",
                "av_two_fifth",
                "av_three_fifth",
                "av_four_fifth",
                "av_cell_one_full",
                "av_cell_one_half",
                "av_cell_one_third",
                "av_cell_two_third",
                "av_cell_one_fourth",
                "av_cell_three_fourth",
                "av_cell_one_fifth",
                "av_tab_container",
                "av_toggle_container",
                "av_buttonrow",
                "av_iconlist",
                "av_testimonials",
                "av_slideshow",
            )
        },
        "av_textblock": text(),
        "av_notification": text(),
        "av_heading": Element(Kind.HEADING, title=("heading",), level_attr="tag", level=3, content="text"),
        "av_image": Element(Kind.IMAGE, image=("attachment", "src"), alt=("alt",), url=("link",), content="caption"),
        "av_gallery": Element(Kind.GALLERY, image=("ids",)),
        "av_button": Element(Kind.BUTTON, label=("label",), url=("link",)),
        "av_buttonrow_item": Element(Kind.BUTTON, label=("label",), url=("link",)),
        "av_button_big": Element(Kind.BUTTON, label=("label",), url=("link",)),
        "av_icon_box": Element(Kind.COMPOSITE, title=("title",), level=3, url=("link",), content="text"),
        "av_iconlist_item": Element(Kind.COMPOSITE, title=("title",), level=4, content="text"),
        "av_promobox": Element(Kind.COMPOSITE, label=("label",), url=("link",), content="text"),
        "av_toggle": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "av_tab": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "av_slide": Element(Kind.COMPOSITE, title=("title",), level=2, image=("id",), content="text"),
        "av_testimonial_single": Element(Kind.QUOTE, cite=("name",), content="text"),
        "av_video": Element(Kind.LINK, url=("src",)),
        **{
            n: drop()
            for n in (
                "av_hr",
                "av_font_icon",
                "av_social_share",
                "av_contact",
                "av_sidebar",
                "av_blog",
                "av_portfolio",
                "av_masonry_entries",
                "av_postslider",
                "av_google_map",
                "av_countdown",
                "av_animated_numbers",
                "av_progress",
                "av_mailchimp",
                "av_search",
                "av_codeblock",
            )
        },
    },
)

CORNERSTONE = Builder(
    name="Cornerstone and the X / Pro themes (Themeco)",
    prefixes=("cs_", "x_"),
    elements={
        **{
            n: layout()
            for n in (
                "cs_content",
                "cs_section",
                "cs_row",
                "cs_column",
                "cs_element_section",
                "cs_element_row",
                "cs_element_column",
                "cs_element_layout_row",
                "cs_element_layout_column",
                "cs_element_layout_grid",
                "cs_element_layout_cell",
                "x_section",
                "x_content_band",
                "x_container",
                "x_column",
                "x_accordion",
            )
        },
        "cs_text": text(),
        "cs_content_seo": text(),
        "x_text": text(),
        "x_alert": Element(Kind.COMPOSITE, title=("heading",), level=6, content="text"),
        "x_custom_headline": Element(Kind.HEADING, level_attr="level", level=2, content="title"),
        "x_feature_headline": Element(Kind.HEADING, level_attr="level", level=2, content="title"),
        "cs_headline": Element(Kind.HEADING, level_attr="level", level=2, content="title"),
        "x_image": Element(Kind.IMAGE, image=("src",), alt=("alt",), url=("href",)),
        "x_button": Element(Kind.BUTTON, url=("href",), content="title"),
        "x_accordion_item": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "x_blockquote": Element(Kind.QUOTE, cite=("cite",), content="text"),
        "x_pullquote": Element(Kind.QUOTE, cite=("cite",), content="text"),
        **{
            n: drop()
            for n in (
                "x_gap",
                "x_line",
                "x_clear",
                "x_icon",
                "x_share",
                "x_map",
                "x_google_map",
                "x_recent_posts",
                "x_skill_bar",
                "x_counter",
                "x_search",
                "cs_gap",
                "cs_line",
                "cs_icon",
            )
        },
    },
)

THRIVE = Builder(
    name="Thrive Architect, Thrive Content Builder and Thrive Themes",
    prefixes=("thrive_",),
    # Thrive Architect saves the page as HTML (``thrv_wrapper`` divs); its
    # text, headings, images and button links read as they are
    html_drop=("thrv_divider", "thrv_icon", "tve_sep", "thrv-divider-spacer", "thrv-social-share"),
    elements={
        "thrive_custom_box": layout(),
        "thrive_borderless": layout(),
        "thrive_page_section": layout(),
        "thrive_one_half": layout(),
        "thrive_one_third": layout(),
        "thrive_two_third": layout(),
        "thrive_text_block": Element(Kind.COMPOSITE, title=("title",), level=3, content="text"),
        "thrive_headline": Element(Kind.HEADING, level_attr="tag", level=2, content="title"),
        "thrive_link": Element(Kind.BUTTON, url=("url", "link"), content="title"),
        **{
            n: drop()
            for n in (
                "thrive_leads",
                "thrive_optin",
                "thrive_2step",
                "thrive_follow_me",
                "thrive_posts_gallery",
                "thrive_posts_list",
                "thrive_custom_menu",
                "thrive_custom_phone",
                "thrive_divider",
                "thrive_icon",
                "thrive_map",
            )
        },
    },
)

#: every builder profile, in the order the README lists them
BUILDERS: tuple[Builder, ...] = (WPBAKERY, DIVI, FUSION, ENFOLD, CORNERSTONE, THRIVE)
