"""A port of WordPress's ``wpautop()`` and ``shortcode_unautop()``.

``wpautop()`` (wp-includes/formatting.php) turns classic-editor text into
HTML: blank lines make paragraphs, single newlines become ``<br />``,
block-level tags are never wrapped in ``<p>``, and the insides of ``<pre>``,
``<script>``, ``<style>``, ``<svg>``, ``<math>`` and of every tag or HTML
comment keep their newlines. The steps below follow the PHP function in
order; the comments say what each step is for. Two deliberate additions:
``<textarea>`` is protected like ``<pre>`` (WordPress mangles it, which no
visitor ever wanted), and ``<svg>``/``<math>`` get placeholders too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .spans import sub_elements

__all__ = ["wpautop", "shortcode_unautop", "replace_in_html_tags", "ALLBLOCKS"]

# The block-level elements of wpautop() ($allblocks).
ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)

# get_html_split_regex(): HTML comments, CDATA sections and tags.
_HTML_SPLIT = re.compile(
    r"(<(?:!--.*?(?:-->|\Z)|!\[CDATA\[.*?(?:\]\]>|\Z)|[^<>]*>?))",
    re.S,
)


_BR_PAIR = re.compile(r"<br[ \t\n\r\f\v]*/?>[ \t\n\r\f\v]*<br[ \t\n\r\f\v]*/?>", re.I)
_WS = r"[ \t\n\r\f\v]"
_BLOCK_TAG = r"(</?" + ALLBLOCKS + r"[^<>]*>)"
_P_AROUND_BLOCK = re.compile(r"<p>" + _WS + "*" + _BLOCK_TAG + _WS + "*</p>", re.I)
_P_BEFORE_BLOCK = re.compile(r"<p>" + _WS + "*" + _BLOCK_TAG, re.I)
_P_AFTER_BLOCK = re.compile(_BLOCK_TAG + _WS + "*</p>", re.I)
_BR_AFTER_BLOCK = re.compile(_BLOCK_TAG + _WS + "*<br />", re.I)
# cheap necessary conditions of the patterns above: a tag's ">" right before
# "</p>" or "<br />", a "<p>" right before a tag
_TAG_END_THEN_P_CLOSE = re.compile(r">" + _WS + "*</p>", re.I)
_TAG_END_THEN_BR = re.compile(r">" + _WS + "*<br />", re.I)
_P_THEN_TAG = re.compile(r"<p>" + _WS + "*<", re.I)
_NEWLINE_IN_TAG = re.compile(r"<[^<>]*\n")
_BLOCK_OPEN = re.compile(r"(<" + ALLBLOCKS + r"[ \t\n\r\f\v/>])", re.I)
_BLOCK_CLOSE = re.compile(r"(</" + ALLBLOCKS + r">)", re.I)
_HR = re.compile(r"(<hr[ \t\n\r\f\v]*?/?>)", re.I)


_SPACE_CHARS = frozenset(" \t\n\r\f\v")


def _newlines_to_br(text: str) -> str:
    """``preg_replace('|(?<!<br />)\\s*\\n|', "<br />\\n", …)`` in linear time.

    Each whitespace run holding a newline is visited once (found from its
    newlines); the match PCRE would find in it is rebuilt by hand: from the
    run's start, or one character later when the run follows a ``<br />``,
    up to its last newline.
    """
    if "\n" not in text:
        return text
    out: list[str] = []
    pos = 0
    n = len(text)
    find = text.find
    nl = find("\n")
    while nl >= 0:
        start = nl
        while start > pos and text[start - 1] in _SPACE_CHARS:
            start -= 1
        end = nl + 1
        while end < n and text[end] in _SPACE_CHARS:
            end += 1
        run = text[start:end]
        last = run.rfind("\n")
        out.append(text[pos:start])
        if text[max(0, start - 6) : start] == "<br />":
            out.append(run if last == 0 else run[0] + "<br />\n" + run[last + 1 :])
        else:
            out.append("<br />\n" + run[last + 1 :])
        pos = end
        nl = find("\n", end)
    out.append(text[pos:])
    return "".join(out)


def _unwrap_li(text: str) -> str:
    """``preg_replace('|<p>(<li.+?)</p>|', '$1', …)`` with closing tags and
    line ends looked up by bisection, so a post full of ``<p><li`` stays linear."""
    if "<p><li" not in text:
        return text
    import bisect

    closes = [m.start() for m in re.finditer("</p>", text)]
    newlines = [m.start() for m in re.finditer("\n", text)]
    out: list[str] = []
    pos = 0
    for m in re.finditer("<p><li", text):
        start = m.start()
        if start < pos:
            continue
        i = bisect.bisect_left(closes, start + 7)
        if i == len(closes):
            continue
        close = closes[i]
        j = bisect.bisect_left(newlines, start + 3)
        if j < len(newlines) and newlines[j] < close:
            continue  # "." does not cross a line end
        out.append(text[pos:start])
        out.append(text[start + 3 : close])
        pos = close + 4
    out.append(text[pos:])
    return "".join(out)


def replace_in_html_tags(text: str, replacements: dict[str, str]) -> str:
    """``wp_replace_in_html_tags()``: replace strings only inside tags and comments."""
    parts = _HTML_SPLIT.split(text)
    for i in range(1, len(parts), 2):
        part = parts[i]
        for needle, replacement in replacements.items():
            if needle in part:
                part = part.replace(needle, replacement)
        parts[i] = part
    return "".join(parts)


def wpautop(text: str, br: bool = True) -> str:
    """Paragraphs and line breaks from newlines, exactly where WordPress puts them."""
    # PHP's trim() and PCRE's \s know ASCII whitespace only: a no-break space is text.
    if text.strip(" \t\n\r\0\x0b") == "":
        return ""
    # Standardize newline characters first, so CRLF posts behave like LF ones.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Just to make things a little easier, pad the end.
    text = text + "\n"

    # <pre> (and <textarea>, <svg>, <math>) must not be touched: swap them for
    # placeholders that are themselves block-level <pre> tags.
    saved: dict[str, str] = {}

    def _save(element: str) -> str:
        # <pre> and <math> are block-level: their placeholder is too; an inline
        # <svg> or <textarea> gets an inline placeholder.
        tag = re.match(r"<(\w+)", element).group(1).lower()
        if tag in ("pre", "math"):
            name = f"<pre wp-pre-tag-{len(saved)}></pre>"
        else:
            name = f"<wp-keep-tag-{len(saved)} />"
        saved[name] = element
        return name

    text = sub_elements(text, ("pre", "textarea", "svg", "math"), _save)

    # Change multiple <br>s into two line breaks, which will turn into paragraphs.
    text = _BR_PAIR.sub("\n\n", text)
    # Space block-level tags out so they end up on their own.
    text = _BLOCK_OPEN.sub(lambda m: "\n\n" + m.group(1), text)
    text = _BLOCK_CLOSE.sub(lambda m: m.group(1) + "\n\n", text)
    text = _HR.sub(lambda m: m.group(1) + "\n\n", text)

    # Newlines inside tags and comments become placeholders.
    if "<!--" in text or "<![" in text or _NEWLINE_IN_TAG.search(text):
        text = replace_in_html_tags(text, {"\n": " <!-- wpnl --> "})

    if "<option" in text:
        text = re.sub(r"(?:(?<![ \t\n\r\f\v])[ \t\n\r\f\v]+)?<option", "<option", text)
        text = re.sub(r"</option>[ \t\n\r\f\v]*", "</option>", text)
    if "</object>" in text:
        text = re.sub(r"(<object[^<>]*>)[ \t\n\r\f\v]*", r"\1", text)
        text = re.sub(r"(?:(?<![ \t\n\r\f\v])[ \t\n\r\f\v]+)?</object>", "</object>", text)
        text = re.sub(r"(?:(?<![ \t\n\r\f\v])[ \t\n\r\f\v]+)?(</?(?:param|embed)[^<>]*>)[ \t\n\r\f\v]*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^<>\[\]]*[>\]])[ \t\n\r\f\v]*", r"\1", text)
        text = re.sub(r"(?:(?<![ \t\n\r\f\v])[ \t\n\r\f\v]+)?([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(r"(?:(?<![ \t\n\r\f\v])[ \t\n\r\f\v]+)?(<(?:source|track)[^<>]*>)[ \t\n\r\f\v]*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(r"(?:(?<![ \t\n\r\f\v])[ \t\n\r\f\v]+)?(<figcaption[^<>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>[ \t\n\r\f\v]*", "</figcaption>", text)

    # Remove more than two contiguous line breaks, then split into paragraphs.
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n[ \t\n\r\f\v]*\n", text) if p != ""]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    # Under certain strange conditions it could create a P of entirely whitespace.
    text = re.sub(r"<p>[ \t\n\r\f\v]*</p>", "", text)
    # Add a closing <p> inside <div>, <address>, or <form> tag if missing.
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    # If an opening or closing block element tag is wrapped in a <p>, unwrap it.
    if _P_THEN_TAG.search(text):
        text = _P_AROUND_BLOCK.sub(r"\1", text)
    # In some cases <li> may get wrapped in <p>, fix them.
    text = _unwrap_li(text)
    # If a <blockquote> is wrapped with a <p>, move it inside the <blockquote>.
    text = re.sub(r"<p><blockquote([^<>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    # A block tag preceded by an opening <p> or followed by a closing </p>: drop those.
    if _P_THEN_TAG.search(text):
        text = _P_BEFORE_BLOCK.sub(r"\1", text)
    if _TAG_END_THEN_P_CLOSE.search(text):
        text = _P_AFTER_BLOCK.sub(r"\1", text)

    if br:
        # Newlines inside <script>, <style>, <svg>, <math> are kept as they are.
        text = sub_elements(
            text, ("script", "style", "svg", "math"), lambda e: e.replace("\n", "<WPPreserveNewline />")
        )
        text = re.sub(r"<br[ \t\n\r\f\v]*/?>", "<br />", text, flags=re.I)
        # Any newline not preceded by a <br /> becomes one.
        text = _newlines_to_br(text)
        text = text.replace("<WPPreserveNewline />", "\n")

    # No <br /> right after a block tag, nor right before a subset of them.
    if _TAG_END_THEN_BR.search(text):
        text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = re.sub(r"<br />([ \t\n\r\f\v]*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^<>]*>)", r"\1", text, flags=re.I)
    text = re.sub(r"\n</p>$", "</p>", text)

    # Put the protected elements back.
    if saved:
        text = re.sub(
            r"<pre wp-pre-tag-\d+></pre>|<wp-keep-tag-\d+ />",
            lambda m: saved.get(m.group(0), m.group(0)),
            text,
        )
    # Restore newlines in all elements.
    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text


_SPACES = r"(?:[\r\n\t ]|\xa0|&nbsp;)"


def shortcode_unautop(text: str, names: Iterable[str]) -> str:
    """``shortcode_unautop()``: a shortcode alone in a paragraph is not wrapped in ``<p>``."""
    names = sorted(set(names), key=lambda n: (-len(n), n))
    if not names:
        return text
    tag = "|".join(re.escape(n) for n in names)
    pattern = re.compile(
        r"<p>" + _SPACES + r"*+"
        r"(\[(" + tag + r")(?![\w-])[^\]/]*(?:/(?!\])[^\]/]*)*?"
        r"(?:/\]|\](?:[^\[]*+(?:\[(?!/\2\])[^\[]*+)*+\[/\2\])?))" + _SPACES + r"*+</p>"
    )
    return pattern.sub(r"\1", text)
