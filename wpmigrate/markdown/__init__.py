"""The Markdown stage: HTML as WordPress serves it → Markdown for static site generators.

:class:`MarkdownWriter` walks an lxml tree once and writes Markdown, with one
overridable method per tag (``convert_<tag>``): subclass it and override one
method to change one tag. :func:`html_to_markdown` parses HTML text
(:meth:`wpmigrate.document.Document.parse`) and writes it.

Conventions (the same for every export, byte for byte deterministic): no line
wrapping, ATX headings, ``-`` bullets, inline links, images as
``![alt](src "title")``, GFM pipe tables (merged cells or block content in
cells: the HTML table), fenced code with its language, ``<br>`` as two
trailing spaces (two or more in a row: a paragraph break), footnotes as
``[^1]``, raw HTML only for what Markdown cannot say (unknown iframes,
``<details>``, merged-cell tables), one trailing newline. The modules:
:mod:`.writer` (the walk), :mod:`.blocks` (paragraphs, headings, quotes,
rules), :mod:`.phrasing` (emphasis, breaks), :mod:`.inline` (inline runs),
:mod:`.escape`, :mod:`.links` (links, images),
:mod:`.lists`, :mod:`.code`, :mod:`.tables`, :mod:`.notes` (footnotes and
figures), :mod:`.media` (raw HTML, embeds, forms).
"""

from __future__ import annotations

from wpmigrate.document import Document
from wpmigrate.errors import UsageError

from .base import Block
from .inline import UNSAFE
from .writer import MarkdownWriter

__all__ = ["Block", "MarkdownWriter", "html_to_markdown"]


def html_to_markdown(html: str) -> str:
    """Convert an HTML body (post content, or a cleaned front-end page) to a Markdown body.

    Returns ``""`` when nothing is visible, else Markdown ending in exactly one
    newline. Bytes are read as UTF-8 (undecodable bytes replaced); ``None`` is
    empty; anything else is a :class:`~wpmigrate.errors.UsageError`.
    """
    if isinstance(html, (bytes, bytearray)):
        html = bytes(html).decode("utf-8", errors="replace")
    elif html is None:
        return ""
    elif not isinstance(html, str):
        raise UsageError(f"html_to_markdown() takes HTML text, not {type(html).__name__}")
    # the writer's tokens are private-use characters: none may come from the input
    html = UNSAFE.sub("", html)
    if not html.strip():
        return ""
    return MarkdownWriter().write(Document.parse(html).root)
