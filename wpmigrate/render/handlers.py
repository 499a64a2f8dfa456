"""Shortcode handlers and ``do_shortcode()``.

WordPress runs shortcodes at three moments of ``the_content``, and the order
matters for what ``wpautop()`` sees:

* priority 7-8, *before* ``wpautop()``: SyntaxHighlighter's code shortcodes
  (so code keeps its newlines) and ``WP_Embed::run_shortcode()`` (``[embed]``),
  then ``WP_Embed::autoembed()`` (a bare URL alone on its line);
* priority 11, *after* ``wpautop()`` and ``shortcode_unautop()``: every other
  shortcode through ``do_shortcode()``.

The handlers here are the defaults of every :class:`~wpmigrate.render.Renderer`
(:data:`EARLY_HANDLERS`, :data:`LATE_HANDLERS`); a renderer's own registry
(``renderer.shortcodes.register(name, fn)``) extends or replaces them without
flags. Shortcodes no handler knows follow ``RenderOptions.shortcodes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..wordpress.shortcodes import Shortcode, attr_url, iter_shortcodes
from ..wordpress.spans import inside as _inside
from ..wordpress.spans import protected_spans
from .builders import remove_stray_closers
from .codeblocks import LANGUAGE_SHORTCODES, sc_code
from .context import RenderContext, esc, esc_attr
from .embeds import JETPACK_EMBEDS, URL, sc_embed, sc_jetpack_embed
from .media import attachment_figure, caption_figure, gallery_figure, link_paragraph, media_name, mime_type

__all__ = ["EARLY_HANDLERS", "LATE_HANDLERS", "Handler", "apply_unknown_policy", "do_early_shortcodes", "do_shortcode"]

Handler = Callable[[Shortcode, RenderContext], str]


def _int_list(value: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", value or "")]


# --- embeds and media ------------------------------------------------------

_MEDIA_KEYS = {
    "audio": ("src", "mp3", "ogg", "oga", "wav", "m4a", "wma", "flac"),
    "video": ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"),
}


def _sc_media(sc: Shortcode, ctx: RenderContext) -> str:
    for key in _MEDIA_KEYS[sc.name]:
        src = attr_url(sc.attrs.get(key) or "")
        if src:
            return link_paragraph(src)
    # [audio https://…]: the URL written as a positional attribute
    positional = attr_url(sc.attrs.get(0) or "")
    if positional and URL.fullmatch(positional):
        return link_paragraph(positional)
    # wp_audio_shortcode()/wp_video_shortcode(): no source given means the
    # first audio/video attached to the post.
    for att in ctx.children(ctx.post_id):
        if mime_type(att).startswith(sc.name + "/"):
            return link_paragraph(att.url)
    ctx.warn(f"[{sc.name}] without a source")
    return ""


def _sc_playlist(sc: Shortcode, ctx: RenderContext) -> str:
    kind = (sc.attrs.get("type") or "audio").lower()
    ids = _int_list(sc.attrs.get("ids") or sc.attrs.get("include") or "")
    if ids:
        atts = ctx.attachments(ids, "[playlist]")
    else:
        atts = [a for a in ctx.children(_post_id(sc, ctx)) if mime_type(a).startswith(kind + "/")]
    if not atts:
        ctx.warn("[playlist] with no media found")
        return ""
    items = "".join(f'<li><a href="{esc_attr(a.url)}">{esc(a.title or media_name(a.url))}</a></li>' for a in atts)
    return f'<ul class="wp-playlist">{items}</ul>'


def _post_id(sc: Shortcode, ctx: RenderContext) -> int | None:
    ids = _int_list(sc.attrs.get("id") or "")
    return ids[0] if ids else ctx.post_id


def _sc_gallery(sc: Shortcode, ctx: RenderContext) -> str:
    ids = _int_list(sc.attrs.get("ids") or sc.attrs.get("include") or "")
    exclude = set(_int_list(sc.attrs.get("exclude") or ""))
    if ids:
        atts = [a for a in ctx.attachments(ids, "[gallery]") if a.id not in exclude]
    else:
        # gallery_shortcode(): the images attached to the post, by menu order.
        atts = [
            a
            for a in ctx.children(_post_id(sc, ctx))
            if (mime_type(a).startswith("image/") or not mime_type(a)) and a.id not in exclude
        ]
        if (sc.attrs.get("order") or "").upper() == "DESC":
            atts.reverse()
    if not atts:
        ctx.warn("[gallery] with no images found" + ("" if ctx.index else " (no attachment index)"))
        return ""
    link = (sc.attrs.get("link") or "").lower()
    return gallery_figure([attachment_figure(a, link) for a in atts])


_CAPTION_SPLIT = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.S | re.I)


def _sc_caption(sc: Shortcode, ctx: RenderContext) -> str:
    content = sc.content or ""
    caption = sc.attrs.get("caption")
    before = ""
    if caption is None:
        # img_caption_shortcode(): the caption is what follows the (linked) image.
        m = _CAPTION_SPLIT.search(content)
        if m:
            before = content[: m.start()]
            content, caption = m.group(1), m.group(2).strip()
    caption = re.sub(r"^(?:\s*<br\s*/?>)+|(?:<br\s*/?>\s*)+$", "", caption or "").strip()
    content = do_shortcode(content, ctx)
    if "<img" not in content.lower():
        return before + content + (f"<p>{caption}</p>" if caption else "")
    align = sc.attrs.get("align") or ""
    return before + caption_figure(content.strip(), do_shortcode(caption, ctx), align)


#: shortcodes WordPress runs before wpautop() (priority 7-8 of the_content)
EARLY_HANDLERS: dict[str, Handler] = {"code": sc_code, "sourcecode": sc_code, "embed": sc_embed}
EARLY_HANDLERS.update({name: sc_code for name in LANGUAGE_SHORTCODES})

#: shortcodes do_shortcode() runs after wpautop() (priority 11)
LATE_HANDLERS: dict[str, Handler] = {
    "caption": _sc_caption,
    "wp_caption": _sc_caption,
    "gallery": _sc_gallery,
    "audio": _sc_media,
    "video": _sc_media,
    "playlist": _sc_playlist,
}
LATE_HANDLERS.update({name: sc_jetpack_embed for name in JETPACK_EMBEDS})


def _run(text: str, ctx: RenderContext, early: bool) -> str:
    registry = ctx.renderer.shortcodes
    handlers = registry.early if early else registry.late
    prefixes = registry.prefixes_for(early=early)
    if "[" not in text or not (handlers or prefixes):
        return text
    spans = protected_spans(text)
    out: list[str] = []
    pos = 0
    for sc in iter_shortcodes(text, handlers.keys(), escaped=True, prefixes=prefixes):
        handler = handlers.get(sc.name) or registry.prefix_handler(sc.name, early=early)
        if handler is None or _inside(spans, sc.start):
            # (a name a prefix matched that is registered for the other pass runs there)
            continue
        out.append(text[pos : sc.start])
        if sc.escaped:
            out.append(sc.text[1:-1])
        else:
            # Language shortcodes only exist in the enclosing form.
            if sc.content is None and handler is sc_code and sc.name not in ("code", "sourcecode"):
                out.append(sc.text)
            else:
                out.append(handler(sc, ctx))
        pos = sc.end
    out.append(text[pos:])
    return "".join(out)


def do_early_shortcodes(text: str, ctx: RenderContext) -> str:
    """Code and ``[embed]`` shortcodes, and the page builders' elements, which run before ``wpautop()``.

    A builder's closing tag left without its opening tag goes too (see
    :func:`.builders.remove_stray_closers`).
    """
    return remove_stray_closers(_run(text, ctx, early=True), ctx)


def do_shortcode(text: str, ctx: RenderContext) -> str:
    """``do_shortcode()`` for the handled shortcodes."""
    return _run(text, ctx, early=False)


def apply_unknown_policy(text: str, ctx: RenderContext) -> str:
    """Count every shortcode no handler knows and keep, drop or comment it."""
    if "[" not in text:
        return text
    registry = ctx.renderer.shortcodes
    policy = ctx.options.shortcodes
    spans = protected_spans(text)
    out: list[str] = []
    pos = 0
    for sc in iter_shortcodes(text):
        if registry.knows(sc.name) or _inside(spans, sc.start) or not sc.plausible:
            continue
        ctx.count_unknown(sc.name)
        inner = apply_unknown_policy(sc.content, ctx) if sc.content else sc.content
        if policy == "keep":
            continue
        out.append(text[pos : sc.start])
        if policy == "drop":
            out.append(inner or "")
        else:
            opening = sc.opening_tag.replace("--", "- -")
            if sc.content is None:
                out.append(f"<!-- {opening} -->")
            else:
                out.append(f"<!-- {opening} -->{inner}<!-- [/{sc.name}] -->")
        pos = sc.end
    if policy == "keep":
        return text
    out.append(text[pos:])
    return "".join(out)
