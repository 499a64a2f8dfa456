"""HTML snippets shared by shortcode and block handlers (the render contract).

The Markdown stage reads these shapes:

* a link on its own: ``<p><a href="URL">URL</a></p>`` (embeds, media);
* a captioned image: ``<figure class="wp-caption"><a?><img></a?>
  <figcaption class="wp-caption-text">…</figcaption></figure>``;
* a gallery: ``<figure class="wp-block-gallery">`` holding one
  ``<figure class="wp-block-image"><img><figcaption>…</figcaption></figure>``
  per image.
"""

from __future__ import annotations

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from ..model import Attachment
from .context import esc, esc_attr

__all__ = ["link_paragraph", "img_tag", "gallery_figure", "image_figure", "caption_figure", "media_name"]


def mime_type(att: Attachment) -> str:
    """The attachment's MIME type; WXR does not export ``post_mime_type``, so
    it is usually guessed from the file name."""
    if att.mime_type:
        return att.mime_type
    guessed, _ = mimetypes.guess_type(urlsplit(att.url).path)
    return guessed or ""


def link_paragraph(url: str, text: str | None = None) -> str:
    return f'<p><a href="{esc_attr(url)}">{esc(text if text else url)}</a></p>'


def media_name(url: str) -> str:
    """The file name of a media URL (link text for a file without a title)."""
    path = urlsplit(url).path
    return unquote(posixpath.basename(path)) or url


def img_tag(src: str, alt: str = "", title: str = "") -> str:
    title_attr = f' title="{esc_attr(title)}"' if title else ""
    return f'<img src="{esc_attr(src)}" alt="{esc_attr(alt)}"{title_attr} />'


def image_figure(img_html: str, caption_html: str = "") -> str:
    cap = f"<figcaption>{caption_html}</figcaption>" if caption_html.strip() else ""
    return f'<figure class="wp-block-image">{img_html}{cap}</figure>'


def gallery_figure(images: list[str], caption_html: str = "") -> str:
    cap = f'<figcaption class="blocks-gallery-caption">{caption_html}</figcaption>' if caption_html.strip() else ""
    return '<figure class="wp-block-gallery">' + "".join(images) + cap + "</figure>"


def caption_figure(image_html: str, caption_html: str, align: str = "") -> str:
    cls = "wp-caption" + (f" {align}" if align and align != "none" else "")
    cap = f'<figcaption class="wp-caption-text">{caption_html}</figcaption>' if caption_html.strip() else ""
    return f'<figure class="{esc_attr(cls)}">{image_html}{cap}</figure>'


def attachment_figure(att: Attachment, link: str = "") -> str:
    """One gallery image from an attachment of the first-pass index."""
    img = img_tag(att.url, att.alt or "")
    if link == "file":
        img = f'<a href="{esc_attr(att.url)}">{img}</a>'
    # post_excerpt of the attachment is HTML as WordPress prints it
    return image_figure(img, att.caption)
