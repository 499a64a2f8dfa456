"""Shortcode handlers and ``do_shortcode()``.

WordPress runs shortcodes at three moments of ``the_content``, and the order
matters for what ``wpautop()`` sees:

* priority 7-8, *before* ``wpautop()``: SyntaxHighlighter's code shortcodes
  (so code keeps its newlines) and ``WP_Embed::run_shortcode()`` (``[embed]``),
  then ``WP_Embed::autoembed()`` (a bare URL alone on its line);
* priority 11, *after* ``wpautop()`` and ``shortcode_unautop()``: every other
  shortcode through ``do_shortcode()``.

Handlers are registered by name in :data:`LATE_HANDLERS` / :data:`EARLY_HANDLERS`
(``register_shortcode()`` adds one), so a user can extend the renderer
without flags. Shortcodes no handler knows follow ``RenderOptions.shortcodes``.
"""

from __future__ import annotations

import bisect
import html as _html
import re
from typing import Callable

from .context import RenderContext, esc, esc_attr
from .media import attachment_figure, caption_figure, gallery_figure, link_paragraph, media_name, mime_type
from .shortcodes import Shortcode, iter_shortcodes
from .spans import element_spans, map_outside

__all__ = [
    "EARLY_HANDLERS",
    "LATE_HANDLERS",
    "register_shortcode",
    "do_shortcode",
    "do_early_shortcodes",
    "apply_unknown_policy",
    "autoembed",
    "protected_spans",
    "code_block",
]

Handler = Callable[[Shortcode, RenderContext], str]

# Inside these, shortcodes and bare URLs are text: a <pre>/<code> showing
# "[gallery]" documents it, and a tag's attributes are not content.
_PROTECTED_ELEMENTS = ("pre", "code", "script", "style", "textarea")
# a tag; a bare "<" in prose or code ("a < b") starts none
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>")


def protected_spans(text: str) -> tuple[list[int], list[int]]:
    """Sorted, non-overlapping spans of code elements, comments and tags."""
    spans = element_spans(text, _PROTECTED_ELEMENTS, comments=True)
    starts, ends = [], []
    pos = 0
    for start, end in spans + [(len(text), len(text))]:
        for m in _TAG.finditer(text, pos, start):
            starts.append(m.start())
            ends.append(m.end())
        if end > start:
            starts.append(start)
            ends.append(end)
        pos = end
    return starts, ends


def _inside(spans: tuple[list[int], list[int]], pos: int) -> bool:
    starts, ends = spans
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _int_list(value: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", value or "")]


# --- code ------------------------------------------------------------------

# SyntaxHighlighter Evolved registers [code], [sourcecode] and one enclosing
# shortcode per language brush ([php]…[/php]).
_LANGUAGE_SHORTCODES = {
    "as3": "actionscript3", "actionscript3": "actionscript3", "bash": "bash", "shell": "bash",
    "sh": "bash", "c-sharp": "csharp", "csharp": "csharp", "cpp": "cpp", "css": "css",
    "delphi": "delphi", "pascal": "pascal", "diff": "diff", "patch": "diff", "erlang": "erlang",
    "groovy": "groovy", "java": "java", "javafx": "javafx", "js": "javascript",
    "jscript": "javascript", "javascript": "javascript", "perl": "perl", "php": "php",
    "plain": "text", "powershell": "powershell", "ps": "powershell", "py": "python",
    "python": "python", "ruby": "ruby", "rb": "ruby", "rails": "ruby", "scala": "scala",
    "sql": "sql", "vb": "vbnet", "vbnet": "vbnet", "xml": "xml", "xhtml": "html", "xslt": "xslt",
    "html": "html", "clojure": "clojure", "fsharp": "fsharp", "latex": "latex", "matlab": "matlab",
    "objc": "objectivec", "swift": "swift", "yaml": "yaml", "go": "go", "golang": "go",
    "haskell": "haskell", "r": "r", "coldfusion": "coldfusion", "jfx": "javafx",
}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#0*39|#x0*27|#0*60|#0*62|nbsp);", re.I)


def code_block(code: str, language: str = "") -> str:
    """The normalised code block of the render contract."""
    cls = f' class="language-{esc_attr(language)}"' if language else ""
    return f"<pre><code{cls}>{esc(code)}</code></pre>"


def _code_text(content: str) -> str:
    # The visual editor stores code entity-encoded; text mode stores it raw.
    # SyntaxHighlighter decodes the first kind, and so do we (only when no raw
    # markup shows the code was written raw).
    # The visual editor (or a paragraph block) may have saved line breaks as
    # <br /> and paragraphs as <p>; they are newlines in the code.
    content = re.sub(r"<br\s*/?>\n?", "\n", content, flags=re.I)
    content = re.sub(r"</p>\s*<p>", "\n\n", content, flags=re.I)
    content = re.sub(r"^\s*<p>|</p>\s*$", "", content, flags=re.I)
    if "<" not in content and _ENTITY.search(content):
        content = _html.unescape(content)
    content = content.strip("\n").rstrip().replace("\xa0", " ")
    # code an export flattened onto one line keeps no stray indentation
    return content.strip() if "\n" not in content else content


def _sc_code(sc: Shortcode, ctx: RenderContext) -> str:
    if sc.content is None:
        return sc.text
    if sc.name in ("code", "sourcecode"):
        lang = sc.attrs.get("language") or sc.attrs.get("lang") or ""
        if not lang and sc.raw_attrs.strip().startswith("="):  # [code="php"]
            lang = sc.raw_attrs.strip()[1:].strip().strip("\"'")
    else:
        lang = sc.name
    lang = _LANGUAGE_SHORTCODES.get(lang.lower(), lang.lower()) if lang else ""
    return code_block(_code_text(sc.content), lang)


# --- embeds and media ------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"]+", re.I)


def _sc_embed(sc: Shortcode, ctx: RenderContext) -> str:
    url = (sc.content or sc.attrs.get("src") or sc.attrs.get("url") or "").strip()
    url = _html.unescape(re.sub(r"<[^>]*>", "", url)).strip()
    if not _URL.fullmatch(url):
        return sc.content or ""
    return link_paragraph(url)


_MEDIA_KEYS = {
    "audio": ("src", "mp3", "ogg", "oga", "wav", "m4a", "wma", "flac"),
    "video": ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"),
}


def _sc_media(sc: Shortcode, ctx: RenderContext) -> str:
    for key in _MEDIA_KEYS[sc.name]:
        src = sc.attrs.get(key)
        if src:
            return link_paragraph(src.strip())
    # [audio https://…]: the URL written as a positional attribute
    positional = sc.attrs.get(0)
    if positional and _URL.fullmatch(positional.strip()):
        return link_paragraph(positional.strip())
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
        atts = []
        for i in ids:
            att = ctx.attachment(i)
            if att is None:
                ctx.warn(f"[playlist]: attachment {i} not found")
            else:
                atts.append(att)
    else:
        atts = [a for a in ctx.children(_post_id(sc, ctx)) if mime_type(a).startswith(kind + "/")]
    if not atts:
        ctx.warn("[playlist] with no media found")
        return ""
    items = "".join(
        f'<li><a href="{esc_attr(a.url)}">{esc(a.title or media_name(a.url))}</a></li>' for a in atts
    )
    return f'<ul class="wp-playlist">{items}</ul>'


def _post_id(sc: Shortcode, ctx: RenderContext) -> int | None:
    ids = _int_list(sc.attrs.get("id") or "")
    return ids[0] if ids else ctx.post_id


def _sc_gallery(sc: Shortcode, ctx: RenderContext) -> str:
    ids = _int_list(sc.attrs.get("ids") or sc.attrs.get("include") or "")
    exclude = set(_int_list(sc.attrs.get("exclude") or ""))
    if ids:
        atts = []
        for i in ids:
            att = ctx.attachment(i)
            if att is None:
                ctx.warn(f"[gallery]: attachment {i} not found")
            elif i not in exclude:
                atts.append(att)
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


# --- Jetpack / WordPress.com embed shortcodes --------------------------------

# name → URL for a bare id (the shortcode may also hold the full URL)
_JETPACK_EMBEDS: dict[str, str] = {
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


def _sc_jetpack_embed(sc: Shortcode, ctx: RenderContext) -> str:
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
        url_match = _URL.match(_html.unescape(value))
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
        template = _JETPACK_EMBEDS[sc.name]
        if _ID.fullmatch(value) and template != "{}":
            return link_paragraph(template.format(value))
    ctx.warn(f"[{sc.name}] without a URL or id")
    return sc.text


EARLY_HANDLERS: dict[str, Handler] = {"code": _sc_code, "sourcecode": _sc_code, "embed": _sc_embed}
EARLY_HANDLERS.update({name: _sc_code for name in _LANGUAGE_SHORTCODES})

LATE_HANDLERS: dict[str, Handler] = {
    "caption": _sc_caption,
    "wp_caption": _sc_caption,
    "gallery": _sc_gallery,
    "audio": _sc_media,
    "video": _sc_media,
    "playlist": _sc_playlist,
}
LATE_HANDLERS.update({name: _sc_jetpack_embed for name in _JETPACK_EMBEDS})


def register_shortcode(name: str, handler: Handler, *, early: bool = False) -> None:
    """Register a handler; ``early`` ones run before ``wpautop()`` (their output is not re-wrapped)."""
    (EARLY_HANDLERS if early else LATE_HANDLERS)[name] = handler


def handled_names() -> set[str]:
    return set(EARLY_HANDLERS) | set(LATE_HANDLERS)


def _run(text: str, ctx: RenderContext, handlers: dict[str, Handler]) -> str:
    if "[" not in text or not handlers:
        return text
    spans = protected_spans(text)
    out: list[str] = []
    pos = 0
    for sc in iter_shortcodes(text, handlers.keys(), escaped=True):
        if _inside(spans, sc.start):
            continue
        out.append(text[pos : sc.start])
        if sc.escaped:
            out.append(sc.text[1:-1])
        else:
            # Language shortcodes only exist in the enclosing form.
            if sc.content is None and handlers[sc.name] is _sc_code and sc.name not in ("code", "sourcecode"):
                out.append(sc.text)
            else:
                out.append(handlers[sc.name](sc, ctx))
        pos = sc.end
    out.append(text[pos:])
    return "".join(out)


def do_early_shortcodes(text: str, ctx: RenderContext) -> str:
    """Code and ``[embed]`` shortcodes, which WordPress runs before ``wpautop()``."""
    return _run(text, ctx, EARLY_HANDLERS)


def do_shortcode(text: str, ctx: RenderContext) -> str:
    """``do_shortcode()`` for the handled shortcodes."""
    return _run(text, ctx, LATE_HANDLERS)


def _looks_like_shortcode(sc: Shortcode) -> bool:
    """Bracketed prose ("[simple boat]") is not a shortcode.

    A site's registered names are unknown to an export, so an unknown
    shortcode must look like one: enclosing (``[x]…[/x]``), without attributes
    (``[toc]``), or with at least one ``key=value`` attribute.
    """
    if sc.content is not None:
        return True
    if not sc.raw_attrs.strip() or sc.raw_attrs.strip() == "/":
        # "[toc]" is a shortcode, "[NAME]" or "[Test]" a placeholder in prose
        return sc.name == sc.name.lower()
    return any(isinstance(k, str) for k in sc.attrs)


def apply_unknown_policy(text: str, ctx: RenderContext) -> str:
    """Count every shortcode no handler knows and keep, drop or comment it."""
    if "[" not in text:
        return text
    known = handled_names()
    policy = ctx.options.shortcodes
    spans = protected_spans(text)
    out: list[str] = []
    pos = 0
    for sc in iter_shortcodes(text):
        if sc.name in known or _inside(spans, sc.start) or not _looks_like_shortcode(sc):
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


# --- autoembed -------------------------------------------------------------

_LINE_URL = re.compile(r"^([ \t]*)(https?://[^\s<>\"]+)([ \t]*)$", re.M | re.I)
_P_URL = re.compile(r"(<p(?: [^>]*)?>\s*)(https?://[^\s<>\"]+)(\s*</p>)", re.I)


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
    from .autop import replace_in_html_tags

    return map_outside(
        text, _PROTECTED_ELEMENTS, lambda piece: _autoembed_plain(piece, paragraphs, replace_in_html_tags)
    )


def _autoembed_plain(text: str, paragraphs: bool, replace_in_html_tags) -> str:
    if "http" not in text:
        return text
    marker = "<!-- wp-line-break -->"
    text = replace_in_html_tags(text, {"\n": marker})
    text = _LINE_URL.sub(lambda m: m.group(1) + _embed_link(m.group(2)) + m.group(3), text)
    if paragraphs:
        text = _P_URL.sub(lambda m: m.group(1) + _embed_link(m.group(2)) + m.group(3), text)
    return text.replace(marker, "\n")
