"""The renderer: ``post_content`` as stored → the one tree of the HTML a visitor was served.

WordPress does not store the HTML of a post; it stores what the editor saved
and builds the page on every view through the ``the_content`` filters. In
order (wp-includes/default-filters.php)::

    7   SyntaxHighlighter's code shortcodes          → handlers.do_early_shortcodes (codeblocks)
    8   WP_Embed::run_shortcode ([embed]), autoembed → handlers.do_early_shortcodes, embeds.autoembed
    9   do_blocks (removes wpautop when the post has blocks) → blockrender.render_blocks
    10  wpautop, shortcode_unautop                   → wordpress.autop
    11  do_shortcode                                 → handlers.do_shortcode
    20  convert_smilies                              → normalise.smilies

:class:`Renderer` runs the same string steps, parses the result once into a
:class:`~wpmigrate.document.Document`, and then runs the normalise steps on
that tree (:mod:`.normalise`). ``wptexturize()`` is deliberately not run:
curly quotes are a theme's typography, not content, and plain quotes make
better Markdown.

``<!--nextpage-->`` splits a post into pages on WordPress; a static page
shows them one after the other. ``<!--more-->`` becomes one marker in the
tree, as WordPress's single view makes it a point in the page
(``<span id="more-N">``); what happens to it follows ``RenderOptions.more``.

Each renderer has its own registries of shortcode and block handlers,
filled with the defaults, so a script extends one renderer without touching
any other::

    renderer = Renderer()
    renderer.shortcodes.register("note", lambda sc, ctx: f"<aside>{sc.content}</aside>")
    renderer.blocks.register("acme/box", lambda block, ctx: inner(block, ctx))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field

from lxml import etree

from ..document import Document, inner_html
from ..errors import UsageError
from ..model import Index, Item
from ..options import MorePolicy
from ..wordpress.autop import shortcode_unautop, wpautop
from ..wordpress.blocks import has_blocks
from ..wordpress.spans import element_spans
from .blockrender import BLOCK_HANDLERS, BlockHandler, render_blocks
from .context import RenderContext, RenderOptions
from .elementor import elementor_content
from .embeds import autoembed
from .handlers import EARLY_HANDLERS, LATE_HANDLERS, Handler, apply_unknown_policy, do_early_shortcodes, do_shortcode
from .media import link_paragraph
from .normalise import STEPS, remove_more_marker

__all__ = ["BlockRegistry", "Rendered", "Renderer", "ShortcodeRegistry", "render_content"]

Step = Callable[[etree._Element, RenderContext], None]


class ShortcodeRegistry:
    """The shortcodes a renderer runs: ``early`` ones before ``wpautop()`` (their
    output is not wrapped in paragraphs), ``late`` ones in ``do_shortcode()``."""

    def __init__(self, early: dict[str, Handler] | None = None, late: dict[str, Handler] | None = None) -> None:
        self.early: dict[str, Handler] = dict(EARLY_HANDLERS if early is None else early)
        self.late: dict[str, Handler] = dict(LATE_HANDLERS if late is None else late)

    def register(self, name: str, handler: Handler, *, early: bool = False) -> None:
        """Handle ``[name]`` with ``handler(shortcode, ctx) -> html`` (replacing any handler of that name)."""
        self.early.pop(name, None)
        self.late.pop(name, None)
        (self.early if early else self.late)[name] = handler

    def names(self) -> set[str]:
        return set(self.early) | set(self.late)


class BlockRegistry(MutableMapping):
    """Block handlers of a renderer, by block name (``core/quote``, ``acme/box``)."""

    def __init__(self, handlers: dict[str, BlockHandler] | None = None) -> None:
        self._handlers: dict[str, BlockHandler] = dict(BLOCK_HANDLERS if handlers is None else handlers)

    def register(self, name: str, handler: BlockHandler) -> None:
        """Render blocks named ``name`` with ``handler(block, ctx) -> html``."""
        self._handlers[name] = handler

    def __getitem__(self, name: str) -> BlockHandler:
        return self._handlers[name]

    def __setitem__(self, name: str, handler: BlockHandler) -> None:
        self._handlers[name] = handler

    def __delitem__(self, name: str) -> None:
        del self._handlers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._handlers)

    def __len__(self) -> int:
        return len(self._handlers)


@dataclass
class Rendered:
    """One rendered body: its tree, and what rendering found on the way.

    ``document`` holds the ``<!--more-->`` marker where the post has one (with
    ``more="summary"`` and ``"keep"``): the conversion cuts the summary from
    the tree once it is cleaned. ``html`` and ``summary_html`` serialise it
    for callers of :func:`render_content` (the pipeline never does).
    ``unknown_shortcodes`` and ``builder_elements`` count, by name, the
    shortcodes and page-builder elements no handler knows.
    """

    document: Document
    options: RenderOptions
    unknown_shortcodes: dict[str, int] = field(default_factory=dict)
    builder_elements: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def html(self) -> str:
        """The body as HTML; the marker is there only with ``more="keep"``."""
        doc = self.document
        if self.options.more != MorePolicy.KEEP and doc.more_marker() is not None:
            doc = doc.copy()
            remove_more_marker(doc.more_marker(), doc.root)
        return serialise(doc)

    @property
    def summary_html(self) -> str | None:
        """With ``more="summary"``: the body up to the marker, else None."""
        if self.options.more != MorePolicy.SUMMARY:
            return None
        cut = self.document.cut_at_more()
        return serialise(cut) or None if cut is not None else None


def serialise(doc: Document) -> str:
    """A rendered document as HTML text: its content, one newline at the end."""
    out = inner_html(doc.root)
    return out.strip("\n") + "\n" if out.strip() else ""


_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_MORE = re.compile(r"<!--more[^\n<>]*?-->", re.I)
_NOTEASER = re.compile(r"<!--noteaser-->", re.I)
_NEXTPAGE = re.compile(r"(?:(?<![ \t])[ \t]+)?<!--nextpage-->[ \t]*", re.I)
_TAG_NAME = re.compile(r"<(\w+)")
_GIST = re.compile(
    r"""<script\b[^<>]*\bsrc=["']?(https://gist\.github\.com/[\w./-]+?)\.js(?:\?[^"'\s>]*)?["']?[^<>]*>""", re.I
)
_REST_OF_LINE_BLANK = re.compile(r"[ \t]*(?:\n|\Z)")


class Renderer:
    """Renders post bodies the way WordPress's ``the_content`` does; see the module docstring."""

    def __init__(self) -> None:
        self.shortcodes = ShortcodeRegistry()
        self.blocks = BlockRegistry()
        #: the normalise steps run on the tree, in order
        self.steps: tuple[Step, ...] = STEPS

    def render(
        self,
        content: str,
        *,
        item: Item | None = None,
        index: Index | None = None,
        options: RenderOptions | None = None,
        source_filter: Callable[[str], str] | None = None,
    ) -> Rendered:
        """Render a post body (``post_content`` as stored) into one tree.

        ``item`` gives the post id (``[gallery]`` without ids, attached media) and
        its meta (``footnotes``, a page builder's own data such as
        ``_elementor_data``, which replaces ``post_content`` as Elementor does);
        ``index`` the attachments and reusable blocks of the export. Both may be
        ``None``: the content still renders, and what needed them is reported in
        ``Rendered.warnings``. ``source_filter`` is given the content that is
        rendered (``post_content`` or the builder's) before WordPress's string
        steps: the pipeline removes the blocks and shortcodes of cleaning rules there.
        """
        if content is not None and not isinstance(content, str):
            raise UsageError(
                f"render_content() takes the post content as str, not {type(content).__name__}",
                item_id=item.id if item is not None else None,
            )
        options = options or RenderOptions()
        ctx = RenderContext(item=item, index=index, options=options, renderer=self)
        built = elementor_content(ctx)
        content = built if built is not None else content or ""
        if source_filter is not None:
            content = source_filter(content)
        html = self.render_html(content, ctx)
        doc = Document.parse(html)
        for warning in doc.warnings:
            ctx.warn(warning)
        for step in self.steps:
            step(doc.root, ctx)
        return Rendered(
            document=doc,
            options=options,
            unknown_shortcodes=dict(sorted(ctx.unknown_shortcodes.items())),
            builder_elements=dict(sorted(ctx.builder_elements.items())),
            warnings=list(ctx.warnings),
        )

    def render_html(self, text: str, ctx: RenderContext) -> str:
        """WordPress's string steps of ``the_content``: the HTML text that is then parsed once."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if _UNSAFE.search(text):
            # Neither XML nor a UTF-8 file can carry C0 controls or lone surrogates
            # (a WXR file never holds them; a scraped or hand-made body might).
            ctx.warn("removed control characters")
            text = _UNSAFE.sub(lambda m: "\ufffd" if "\ud800" <= m.group(0) <= "\udfff" else "", text)
        if "<!--" in text:
            text = _markers(text)
        if "<script" in text.lower() or "<style" in text.lower():
            text = self._remove_scripts(text, ctx)
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
            html = shortcode_unautop(html, self.shortcodes.late.keys())
        html = do_shortcode(html, ctx)
        return apply_unknown_policy(html, ctx)

    @staticmethod
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
            alone = text[line_start:start].strip(" \t") == "" and (
                line_start > pos or pos == 0 or text[pos - 1] == "\n"
            )
            if alone and rest:
                out.append(text[pos:line_start])
                pos = rest.end()
            else:
                out.append(text[pos:start])
                pos = end
        out.append(text[pos:])
        return "".join(out)


def _markers(text: str) -> str:
    """``<!--noteaser-->`` goes, ``<!--nextpage-->`` joins the pages, and the first
    ``<!--more …-->`` becomes the bare marker (the text WordPress shows as the
    "read more" link is a theme's, not the post's); later ones go."""
    text = _NOTEASER.sub("", text)
    if "nextpage" in text.lower():
        text = _NEXTPAGE.sub("\n\n", text)
    seen = False

    def one(m: re.Match[str]) -> str:
        nonlocal seen
        if seen:
            return ""
        seen = True
        return "<!--more-->"

    return _MORE.sub(one, text)


_DEFAULT: Renderer | None = None


def render_content(
    content: str,
    *,
    item: Item | None = None,
    index: Index | None = None,
    options: RenderOptions | None = None,
) -> Rendered:
    """Render a post body with the default renderer (see :meth:`Renderer.render`)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Renderer()
    return _DEFAULT.render(content, item=item, index=index, options=options)
