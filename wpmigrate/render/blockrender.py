"""``do_blocks()``: block markup → the HTML WordPress serves.

Static blocks saved their front-end HTML in the post, so rendering one is
putting its ``innerContent`` back together with its rendered inner blocks
(``WP_Block::render()``). Dynamic blocks render from the database at view
time; an export only holds their attributes, so a handler rebuilds what it
can (embeds, footnotes, reusable blocks, social links, RSS feed URL) and the
rest (latest posts, archives, query loops, comment forms …) render to
nothing, with a warning. A block type nobody handles keeps its inner HTML.

The handlers here, by block name in :data:`BLOCK_HANDLERS`, are the defaults of
every :class:`~wpmigrate.render.Renderer`; a renderer's own registry
(``renderer.blocks.register(name, fn)``) extends or replaces them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ..wordpress.autop import wpautop
from ..wordpress.blocks import Block, parse_blocks
from .codeblocks import code_block
from .context import RenderContext, esc, esc_attr
from .embeds import autoembed
from .handlers import do_early_shortcodes
from .media import link_paragraph

__all__ = ["BLOCK_HANDLERS", "BlockHandler", "inner", "render_block", "render_blocks"]

BlockHandler = Callable[[Block, RenderContext], str]


def inner(block: Block, ctx: RenderContext) -> str:
    """The block's own HTML with its inner blocks rendered where they stand."""
    out: list[str] = []
    children = iter(block.inner)
    for chunk in block.inner_content:
        if chunk is None:
            child = next(children, None)
            if child is not None:
                out.append(render_block(child, ctx))
        else:
            out.append(chunk)
    return "".join(out)


def _freeform(block: Block, ctx: RenderContext) -> str:
    text = block.inner_html
    if not text.strip():
        return text
    # Classic-editor HTML between blocks (the Classic block) is autop'd
    # like a classic post.
    return wpautop(autoembed(do_early_shortcodes(text, ctx)))


def _html_block(block: Block, ctx: RenderContext) -> str:
    return block.inner_html


def _shortcode_block(block: Block, ctx: RenderContext) -> str:
    # render_block_core_shortcode(): wpautop() on the raw shortcode text.
    return wpautop(do_early_shortcodes(block.inner_html, ctx))


def _nothing(block: Block, ctx: RenderContext) -> str:
    return ""


def _dynamic(block: Block, ctx: RenderContext) -> str:
    ctx.warn(f"dynamic block {block.name} has no content in an export; left out")
    return ""


_WRAPPER_URL = re.compile(r"https?://[^\s<>\"]+", re.I)
_FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S | re.I)


def _embed(block: Block, ctx: RenderContext) -> str:
    url = block.attrs.get("url") or ""
    if not url:
        m = _WRAPPER_URL.search(re.sub(r"<figcaption.*?</figcaption>", "", block.inner_html, flags=re.S))
        url = m.group(0) if m else ""
    if not url:
        ctx.warn(f"{block.name} without a URL; left out")
        return ""
    out = link_paragraph(url)
    cap = _FIGCAPTION.search(block.inner_html)
    if cap and cap.group(1).strip():
        out += f"<p>{cap.group(1).strip()}</p>"
    return out


def _code(block: Block, ctx: RenderContext) -> str:
    html = inner(block, ctx)
    lang = block.attrs.get("language") or block.attrs.get("lang") or ""
    if lang and "<pre" in html.lower():
        # A language in the block attributes (code-syntax-block, SyntaxHighlighter's
        # block, Prismatic …) wins; classic.py reads it back from this attribute.
        html = re.sub(r"<pre\b", f'<pre data-language="{esc_attr(str(lang))}"', html, count=1, flags=re.I)
    return html


def _syntaxhighlighter(block: Block, ctx: RenderContext) -> str:
    # syntaxhighlighter/code saves <pre class="wp-block-syntaxhighlighter-code">code</pre>
    m = re.search(r"<pre[^>]*>(.*?)</pre>", block.inner_html, re.S | re.I)
    if not m:
        return inner(block, ctx)
    import html as _h

    code = _h.unescape(re.sub(r"<br\s*/?>", "\n", m.group(1)))
    return code_block(code, str(block.attrs.get("language") or ""))


def _verse(block: Block, ctx: RenderContext) -> str:
    # A poem, not code: keep its line breaks in a paragraph.
    html = inner(block, ctx)
    m = re.search(r"<pre[^>]*>(.*?)</pre>", html, re.S | re.I)
    if not m:
        return html
    body = m.group(1).strip("\n").replace("\r\n", "\n")
    stanzas = [s for s in re.split(r"\n\s*\n", body) if s.strip()]
    return "".join("<p>" + re.sub(r"(?:<br\s*/?>)?\n", "<br />\n", s) + "</p>" for s in stanzas)


def _reusable(block: Block, ctx: RenderContext) -> str:
    ref = block.attrs.get("ref")
    try:
        ref = int(ref)
    except (TypeError, ValueError):
        ctx.warn("reusable block without a ref")
        return ""
    if ctx.index is None or ref not in ctx.index.reusable_blocks:
        ctx.warn(f"reusable block {ref} not found")
        return ""
    if ref in ctx.block_refs:
        ctx.warn(f"reusable block {ref} includes itself; left out")
        return ""
    saved = ctx.block_refs
    ctx.block_refs = saved + (ref,)
    try:
        return render_blocks(ctx.index.reusable_blocks[ref], ctx)
    finally:
        ctx.block_refs = saved


def _footnotes(block: Block, ctx: RenderContext) -> str:
    # render_block_core_footnotes(): the notes live in the post meta "footnotes".
    raw = ctx.item.meta_value("footnotes") if ctx.item is not None else None
    notes = []
    if raw:
        try:
            notes = json.loads(raw)
        except ValueError:
            ctx.warn("footnotes meta is not valid JSON")
            notes = []
    if not isinstance(notes, list) or not notes:
        ctx.warn("footnotes block without footnotes in the post meta")
        return ""
    items = []
    for n, note in enumerate(notes, 1):
        if not isinstance(note, dict):
            continue
        fid = esc_attr(str(note.get("id") or ""))
        content = str(note.get("content") or "")
        items.append(
            f'<li id="{fid}">{content} <a href="#{fid}-link" aria-label="Jump to footnote reference {n}">↩︎</a></li>'
        )
    return '<ol class="wp-block-footnotes">' + "".join(items) + "</ol>"


def _social_links(block: Block, ctx: RenderContext) -> str:
    links = []
    for child in block.inner:
        url = child.attrs.get("url")
        if url:
            label = child.attrs.get("label") or child.attrs.get("service") or url
            links.append(f'<li><a href="{esc_attr(url)}">{esc(str(label))}</a></li>')
    return f'<ul class="wp-block-social-links">{"".join(links)}</ul>' if links else ""


def _navigation_link(block: Block, ctx: RenderContext) -> str:
    url = block.attrs.get("url")
    if not url:
        return ""
    label = re.sub(r"<[^>]*>", "", str(block.attrs.get("label") or url))
    return f'<p><a href="{esc_attr(url)}">{label}</a></p>'


def _rss(block: Block, ctx: RenderContext) -> str:
    url = block.attrs.get("feedURL")
    ctx.warn("dynamic block core/rss: only the feed URL is kept")
    return link_paragraph(url) if url else ""


def _missing(block: Block, ctx: RenderContext) -> str:
    # core/missing keeps the content of a block type whose plugin is gone.
    original = block.attrs.get("originalContent")
    return render_blocks(original, ctx) if original else inner(block, ctx)


def _generic(block: Block, ctx: RenderContext) -> str:
    return inner(block, ctx)


_DYNAMIC = (
    "archives",
    "avatar",
    "calendar",
    "categories",
    "latest-comments",
    "latest-posts",
    "loginout",
    "page-list",
    "search",
    "tag-cloud",
    "query",
    "post-template",
    "post-title",
    "post-date",
    "post-excerpt",
    "post-terms",
    "post-author",
    "post-author-name",
    "post-author-biography",
    "post-featured-image",
    "post-navigation-link",
    "post-comments-form",
    "comments",
    "comments-title",
    "comment-template",
    "comments-pagination",
    "query-pagination",
    "query-no-results",
    "query-title",
    "read-more",
    "site-logo",
    "site-tagline",
    "site-title",
    "term-description",
    "navigation",
    "home-link",
    "template-part",
    "pattern",
    "post-content",
    "comment-author-name",
    "comment-content",
    "comment-date",
    "comment-edit-link",
    "comment-reply-link",
    "comments-pagination-next",
    "comments-pagination-previous",
    "comments-pagination-numbers",
    "query-pagination-next",
    "query-pagination-previous",
    "query-pagination-numbers",
    "legacy-widget",
    "widget-group",
    "post-comments",
    "post-comments-count",
    "post-comments-link",
    "comments-query-loop",
    "query-total",
    "post-time-to-read",
    "post-navigation",
)

BLOCK_HANDLERS: dict[str, BlockHandler] = {
    "core/html": _html_block,
    "core/shortcode": _shortcode_block,
    "core/freeform": _freeform,
    "core/embed": _embed,
    "core/code": _code,
    "core/verse": _verse,
    "core/block": _reusable,
    "core/footnotes": _footnotes,
    "core/social-links": _social_links,
    "core/navigation-link": _navigation_link,
    "core/navigation-submenu": _navigation_link,
    "core/rss": _rss,
    "core/missing": _missing,
    "core/spacer": _nothing,
    # core/more saved <!--more-->, which the renderer has made the one marker
    "core/more": _generic,
    "core/nextpage": _nothing,
    "syntaxhighlighter/code": _syntaxhighlighter,
}
for _name in _DYNAMIC:
    BLOCK_HANDLERS.setdefault("core/" + _name, _dynamic)


def _dynamic_container(block: Block, ctx: RenderContext) -> str:
    # A query loop or comments area: what it lists comes from the database,
    # but headings and paragraphs placed inside it are content.
    ctx.warn(f"dynamic block {block.name}: only the static blocks inside it are kept")
    return inner(block, ctx)


for _name in ("query", "comments"):
    BLOCK_HANDLERS["core/" + _name] = _dynamic_container


def _navigation(block: Block, ctx: RenderContext) -> str:
    # Since WordPress 6.2 a navigation block points at a wp_navigation post
    # ({"ref":N}) instead of holding its links.
    if not block.inner and block.attrs.get("ref") is not None:
        ctx.warn(f"navigation menu {block.attrs.get('ref')} (a wp_navigation post) left out")
        return ""
    return inner(block, ctx)


BLOCK_HANDLERS["core/navigation"] = _navigation


#: blocks nested deeper than this are rendered as plain HTML (no handlers)
MAX_DEPTH = 100


def _flat(block: Block) -> str:
    """The HTML of a block and all blocks inside it, without recursion."""
    out: list[str] = []
    stack: list[object] = [block]
    while stack:
        top = stack.pop()
        if isinstance(top, str):
            out.append(top)
            continue
        children = iter(top.inner)
        parts: list[object] = []
        for chunk in top.inner_content:
            if chunk is None:
                child = next(children, None)
                if child is not None:
                    parts.append(child)
            else:
                parts.append(chunk)
        stack.extend(reversed(parts))
    return "".join(out)


def render_block(block: Block, ctx: RenderContext) -> str:
    if ctx.depth >= MAX_DEPTH:
        ctx.warn(f"blocks nested more than {MAX_DEPTH} deep rendered as plain HTML")
        return _flat(block)
    with ctx.deeper():
        return _render_block(block, ctx)


def _render_block(block: Block, ctx: RenderContext) -> str:
    if block.name is None:
        return _freeform(block, ctx)
    if block.name.startswith("core-embed/"):
        return _embed(block, ctx)
    handler = ctx.renderer.blocks.get(block.name, _generic)
    return handler(block, ctx)


def render_blocks(text: str, ctx: RenderContext) -> str:
    """``do_blocks()``: every block of ``text`` rendered, in order, joined."""
    return "".join(render_block(b, ctx) for b in parse_blocks(text))
