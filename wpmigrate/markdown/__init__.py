"""The Markdown stage: HTML as WordPress serves it → Markdown for static site generators.

Built on html2text (``h2t.py``): :class:`WpHTML2Text` subclasses
``html2text.HTML2Text`` with one ``tag_<name>`` method for each tag where we
diverge from it, and :class:`H2TConverter` wraps it in lxml pre-processing
(fenced code, merged-cell tables, footnotes, figures, embeds …, protected by
placeholders) and post-processing (escaping only where Markdown would misread,
pipe-table layout, blank lines). The ``h2t_*`` modules name the html2text
limit each one works around.

Conventions (the same for every export, byte for byte deterministic): no line
wrapping, ATX headings, ``-`` bullets, inline links, images as
``![alt](src "title")``, GFM pipe tables (merged cells or block content in
cells: the HTML table), fenced code with its language, ``<br>`` as two
trailing spaces, footnotes as ``[^1]``, raw HTML only for what Markdown cannot
say (unknown iframes, ``<details>``, merged-cell tables), one trailing newline.
"""

from __future__ import annotations

from .h2t import H2TConverter, WpHTML2Text, html_to_markdown

__all__ = ["H2TConverter", "MarkdownWriter", "WpHTML2Text", "html_to_markdown"]


class MarkdownWriter:
    """Markdown for the content of a tree's root element."""

    def write(self, root) -> str:
        from wpmigrate.document import inner_html

        return html_to_markdown(inner_html(root))
