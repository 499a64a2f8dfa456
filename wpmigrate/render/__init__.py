"""The render stage: ``post_content`` as stored → the HTML a visitor was served.

WordPress does not store the HTML of a post; it stores what the editor saved
and builds the page on every view through the ``the_content`` filters. In
order (wp-includes/default-filters.php)::

    7   SyntaxHighlighter's code shortcodes          → handlers.do_early_shortcodes (codeblocks)
    8   WP_Embed::run_shortcode ([embed]), autoembed → handlers.do_early_shortcodes, embeds.autoembed
    9   do_blocks (removes wpautop when the post has blocks) → blockrender.render_blocks
    10  wpautop, shortcode_unautop                   → autop.wpautop, autop.shortcode_unautop
    11  do_shortcode                                 → handlers.do_shortcode
    20  convert_smilies                              → classic.cleanup

:func:`render_content` runs the same steps, then :func:`classic.cleanup`
normalises what the Markdown stage reads (code blocks, galleries, media
links, Word junk). ``wptexturize()`` is deliberately not run: curly quotes
are a theme's typography, not content, and plain quotes make better Markdown.

``<!--nextpage-->`` splits a post into pages on WordPress; a static page
shows them one after the other. ``<!--more-->`` follows ``RenderOptions.more``.
"""

from __future__ import annotations

import re

from ..errors import UsageError
from ..model import Index, Item
from ..wordpress.autop import shortcode_unautop, wpautop
from .blockrender import render_blocks
from ..wordpress.blocks import has_blocks, parse_blocks
from .classic import cleanup
from .context import RenderContext, RenderOptions, Rendered
from .embeds import autoembed
from .handlers import LATE_HANDLERS, apply_unknown_policy, do_early_shortcodes, do_shortcode
from .media import link_paragraph
from ..wordpress.spans import element_spans

__all__ = ["render_content", "RenderOptions", "Rendered"]

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_MORE = re.compile(r"<!--more[^\n<>]*?-->", re.I)
_NOTEASER = re.compile(r"<!--noteaser-->", re.I)
_NEXTPAGE = re.compile(r"(?:(?<![ \t])[ \t]+)?<!--nextpage-->[ \t]*", re.I)


def _split_more(text: str) -> tuple[str, str] | None:
    """Split at the first ``<!--more-->`` (the whole core/more block in block posts)."""
    m = _MORE.search(text)
    if m is None:
        return None
    start, end = m.start(), m.end()
    if has_blocks(text):
        for block in parse_blocks(text):
            if block.start <= start < block.end:
                if block.name == "core/more":
                    start, end = block.start, block.end
                elif block.name is not None:
                    # inside another block: WordPress's get_the_content() would
                    # cut the block in two; we keep it whole and drop the marker
                    return None
                break
    return text[:start], text[end:]


_TAG_NAME = re.compile(r"<(\w+)")
_GIST = re.compile(r"""<script\b[^<>]*\bsrc=["']?(https://gist\.github\.com/[\w./-]+?)\.js(?:\?[^"'\s>]*)?["']?[^<>]*>""", re.I)
_REST_OF_LINE_BLANK = re.compile(r"[ \t]*(?:\n|\Z)")


def _remove_scripts(text: str, ctx: RenderContext) -> str:
    """Scripts and styles cannot go into Markdown: removed before wpautop sees
    them, with the line they stood on alone, so it does not become a break."""
    spans = element_spans(text, ("script", "style"))
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        tag = _TAG_NAME.match(text, start).group(1).lower()
        gist = _GIST.match(text, start, end)
        if gist:
            # a GitHub gist embedded with its script: the gist's page is the content
            out.append(text[pos:start])
            out.append(link_paragraph(gist.group(1)))
            pos = end
            continue
        ctx.warn(f"removed <{tag}>")
        line_start = text.rfind("\n", pos, start) + 1 if "\n" in text[pos:start] else pos
        rest = _REST_OF_LINE_BLANK.match(text, end)
        alone = text[line_start:start].strip(" \t") == "" and (line_start > pos or pos == 0 or text[pos - 1] == "\n")
        if alone and rest:
            out.append(text[pos:line_start])
            pos = rest.end()
        else:
            out.append(text[pos:start])
            pos = end
    out.append(text[pos:])
    return "".join(out)


def _render_body(text: str, ctx: RenderContext) -> str:
    text = _MORE.sub("", text)
    if "<script" in text.lower() or "<style" in text.lower():
        text = _remove_scripts(text, ctx)
    if has_blocks(text):
        html = render_blocks(text, ctx)
        # the_content runs SyntaxHighlighter and [embed] on the whole post,
        # so they also work inside paragraph blocks
        html = do_early_shortcodes(html, ctx)
        html = autoembed(html)
    else:
        html = do_early_shortcodes(text, ctx)
        html = autoembed(html)
        html = wpautop(html)
        html = shortcode_unautop(html, LATE_HANDLERS.keys())
    html = do_shortcode(html, ctx)
    html = apply_unknown_policy(html, ctx)
    return cleanup(html, ctx)


def render_content(
    content: str,
    *,
    item: Item | None = None,
    index: Index | None = None,
    options: RenderOptions | None = None,
) -> Rendered:
    """Render a post body the way WordPress's ``the_content`` does.

    ``item`` gives the post id (``[gallery]`` without ids, attached media) and
    its meta (``footnotes``); ``index`` the attachments and reusable blocks of
    the export. Both may be ``None``: the content still renders, and what
    needed them is reported in ``Rendered.warnings``.
    """
    if content is not None and not isinstance(content, str):
        raise UsageError(
            f"render_content() takes the post content as str, not {type(content).__name__}",
            item_id=item.id if item is not None else None,
        )
    options = options or RenderOptions()
    ctx = RenderContext(item=item, index=index, options=options)
    text = (content or "").replace("\r\n", "\n").replace("\r", "\n")
    if _UNSAFE.search(text):
        # Neither XML nor a UTF-8 file can carry C0 controls or lone surrogates
        # (a WXR file never holds them; a scraped or hand-made body might).
        ctx.warn("removed control characters")
        text = _UNSAFE.sub(lambda m: "\ufffd" if "\ud800" <= m.group(0) <= "\udfff" else "", text)
    text = _NOTEASER.sub("", text)
    text = _NEXTPAGE.sub("\n\n", text)

    summary_html: str | None = None
    split = _split_more(text)
    if split is None:
        html = _render_body(text, ctx)
    else:
        before = _render_body(split[0], ctx)
        after = _render_body(split[1], ctx)
        if options.more == "summary":
            summary_html = before or None
            html = before + after
        elif options.more == "keep":
            html = before + "<!--more-->\n" + after
        else:
            html = before + after
    return Rendered(
        html=html,
        summary_html=summary_html,
        unknown_shortcodes=dict(sorted(ctx.unknown_shortcodes.items())),
        warnings=list(ctx.warnings),
    )
