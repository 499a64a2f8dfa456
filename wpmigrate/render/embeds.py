"""Embeds: ``[embed]``, Jetpack's provider shortcodes and ``autoembed()``.

WordPress turns an embed into the provider's player (oEmbed) or, when no
provider knows the URL, into a plain link. A static site gets the link
either way: ``<p><a href="URL">URL</a></p>``.
"""

from __future__ import annotations

import html as _html
import re

from ..wordpress.shortcodes import Shortcode, attr_url
from ..wordpress.spans import CODE_ELEMENTS, map_outside
from .context import RenderContext, esc, esc_attr
from .media import link_paragraph

__all__ = ["URL", "JETPACK_EMBEDS", "sc_embed", "sc_jetpack_embed", "autoembed"]

URL = re.compile(r"https?://[^\s<>\"]+", re.I)


def sc_embed(sc: Shortcode, ctx: RenderContext) -> str:
    url = (sc.content or sc.attrs.get("src") or sc.attrs.get("url") or "").strip()
    url = attr_url(re.sub(r"<[^>]*>", "", url))
    if not URL.fullmatch(url):
        return sc.content or ""
    return link_paragraph(url)


# Jetpack / WordPress.com provider shortcodes
# name → URL for a bare id (the shortcode may also hold the full URL)
JETPACK_EMBEDS: dict[str, str] = {
    "youtube": "https://www.youtube.com/watch?v={}",
    "vimeo": "https://vimeo.com/{}",
    "dailymotion": "https://www.dailymotion.com/video/{}",
    "tweet": "https://twitter.com/i/status/{}",
    "twitter": "https://twitter.com/i/status/{}",
    "instagram": "https://www.instagram.com/p/{}/",
    "gist": "https://gist.github.com/{}",
    "soundcloud": "https://soundcloud.com/{}",
    "googlemaps": "{}",
    "slideshare": "https://www.slideshare.net/slideshow/embed_code/{}",
    "wpvideo": "https://videopress.com/v/{}",
    "videopress": "https://videopress.com/v/{}",
    "ted": "https://www.ted.com/talks/{}",
    "flickr": "{}",
    "archiveorg": "https://archive.org/details/{}",
    "spotify": "https://open.spotify.com/{}",
    "bandcamp": "{}",
    "mixcloud": "https://www.mixcloud.com/{}/",
    "kickstarter": "{}",
    "scribd": "https://www.scribd.com/document/{}",
}
_ID = re.compile(r"[\w:./-]+")
_YOUTUBE_PARAMS = re.compile(
    r"&(?:w|h|fmt|rel|showsearch|showinfo|hd|start|end|autohide|border|color1|color2|theme"
    r"|iv_load_policy|wmode|loop|fs|controls|autoplay)=[^&]*"
)


def sc_jetpack_embed(sc: Shortcode, ctx: RenderContext) -> str:
    raw = sc.raw_attrs.strip()
    candidates: list[str] = []
    if raw.startswith("="):  # [youtube=https://…] (WordPress.com)
        candidates.append(raw[1:].strip().strip("\"'"))
    for key in ("url", "src", "id", "video", "photo", "w", 0):
        value = sc.attrs.get(key)
        if value:
            candidates.append(value.strip())
    if sc.content and sc.content.strip():
        candidates.append(re.sub(r"<[^>]*>", "", sc.content).strip())
    for value in candidates:
        url_match = URL.match(attr_url(value))
        if url_match:
            url = url_match.group(0)
            if sc.name == "youtube":
                # WordPress.com's [youtube=URL&w=400&h=300]: player options, not the URL
                url = _YOUTUBE_PARAMS.sub("", url)
            return link_paragraph(url)
    for value in candidates:
        value = value.split("&")[0]
        if sc.name == "spotify" and value.startswith("spotify:"):
            value = "/".join(value.split(":")[1:])
        template = JETPACK_EMBEDS[sc.name]
        if _ID.fullmatch(value) and template != "{}":
            return link_paragraph(template.format(value))
    ctx.warn(f"[{sc.name}] without a URL or id")
    return sc.text


# --- autoembed -------------------------------------------------------------

_LINE_URL = re.compile(r"^([ \t]*)(https?://[^\s<>\"]+)([ \t]*)$", re.M | re.I)
_P_URL = re.compile(r"(<p(?: [^<>]*)?>\s*)(https?://[^\s<>\"]+)(\s*</p>)", re.I)


def _embed_link(url: str) -> str:
    url_text = _html.unescape(url)
    return f'<a href="{esc_attr(url_text)}">{esc(url_text)}</a>'


def autoembed(text: str, *, paragraphs: bool = True) -> str:
    """``WP_Embed::autoembed()``: a URL alone on its line (or in its paragraph) becomes a link.

    WordPress turns it into the provider's player, or a plain link when no
    provider knows it; a static site gets the link either way. Inside tags,
    comments and code the URL stays text.
    """
    if "http" not in text:
        return text
    from ..wordpress.autop import replace_in_html_tags

    return map_outside(text, CODE_ELEMENTS, lambda piece: _autoembed_plain(piece, paragraphs, replace_in_html_tags))


def _autoembed_plain(text: str, paragraphs: bool, replace_in_html_tags) -> str:
    # Hiding the newlines inside tags can only take line ends away: a text with
    # no URL alone on a line (or in a paragraph) as it stands has none after it.
    if "http" not in text or not (_LINE_URL.search(text) or (paragraphs and _P_URL.search(text))):
        return text
    marker = "<!-- wp-line-break -->"
    text = replace_in_html_tags(text, {"\n": marker})
    text = _LINE_URL.sub(lambda m: m.group(1) + _embed_link(m.group(2)) + m.group(3), text)
    if paragraphs:
        text = _P_URL.sub(lambda m: m.group(1) + _embed_link(m.group(2)) + m.group(3), text)
    return text.replace(marker, "\n")
