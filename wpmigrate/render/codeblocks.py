"""Code shortcodes (SyntaxHighlighter Evolved and friends) → the contract's code block.

SyntaxHighlighter runs its shortcodes at priority 7 of ``the_content``, before
``wpautop()``, so code keeps its newlines; :mod:`handlers` runs these in its
early pass for the same reason.
"""

from __future__ import annotations

import html as _html
import re

from ..wordpress.languages import LANGUAGE_NAMES as LANGUAGE_SHORTCODES
from ..wordpress.shortcodes import Shortcode
from .context import RenderContext, esc, esc_attr

__all__ = ["code_block", "sc_code", "LANGUAGE_SHORTCODES"]

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


def sc_code(sc: Shortcode, ctx: RenderContext) -> str:
    if sc.content is None:
        return sc.text
    if sc.name in ("code", "sourcecode"):
        lang = sc.attrs.get("language") or sc.attrs.get("lang") or ""
        if not lang and sc.raw_attrs.strip().startswith("="):  # [code="php"]
            lang = sc.raw_attrs.strip()[1:].strip().strip("\"'")
    else:
        lang = sc.name
    lang = LANGUAGE_SHORTCODES.get(lang.lower(), lang.lower()) if lang else ""
    return code_block(_code_text(sc.content), lang)
