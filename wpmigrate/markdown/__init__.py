"""The Markdown stage: HTML as WordPress serves it → Markdown for static site generators.

Conventions (the same for every export, byte for byte deterministic): no line
wrapping, ATX headings, ``-`` bullets, inline links, images as
``![alt](src "title")``, GFM pipe tables (merged cells or block content in
cells: the HTML table), fenced code with its language, ``<br>`` as two
trailing spaces (two or more in a row: a paragraph break), footnotes as
``[^1]``, raw HTML only for what Markdown cannot say (unknown iframes,
``<details>``, merged-cell tables), one trailing newline. The modules:
:mod:`.converter` (the walk, paragraphs, headings, quotes, emphasis),
:mod:`.inline` (escaping, emphasis, line breaks), :mod:`.links` (links,
images), :mod:`.footnotes`, :mod:`.lists`, :mod:`.code`, :mod:`.tables`,
:mod:`.media` (raw HTML, iframes, video, forms).

:func:`html_to_markdown` is the entry point; :class:`MarkdownConverter` has
one method per tag (``block_<tag>`` / ``inline_<tag>``) to override.
"""

from __future__ import annotations

from ..errors import UsageError
from .converter import Block, MarkdownConverter

__all__ = ["Block", "MarkdownConverter", "html_to_markdown"]


def html_to_markdown(html: str) -> str:
    """Convert an HTML body (post content, or a cleaned front-end page) to a Markdown body.

    Returns ``""`` for content with nothing visible, else Markdown ending in
    exactly one newline. Bytes are read as UTF-8 (undecodable bytes replaced).
    """
    if isinstance(html, (bytes, bytearray)):
        html = bytes(html).decode("utf-8", errors="replace")
    elif html is None:
        return ""
    elif not isinstance(html, str):
        raise UsageError(f"html_to_markdown() takes HTML text, not {type(html).__name__}")
    return MarkdownConverter().convert(html)
