"""The HTML vocabulary of wpmigrate: facts about HTML decided in one place.

Every stage that looks at HTML asks this module, so a fact (is this a whole
page or a fragment, which tags are blocks …) is decided once and the same way
everywhere.
"""

from __future__ import annotations

__all__ = ["looks_like_page"]

_WS = " \t\n\r\f\v\ufeff"
# Elements that may stand in a saved page before <html>/<head>/<body> (a page
# saved by a browser or a scraper often begins with them).
_HEAD_VOID = ("<meta", "<link", "<base")
_PAGE_START = ("<!doctype", "<html", "<head", "<body")
_NAME_END = frozenset(" \t\n\r\f/>")


def _tag_at(lower: str, i: int, names: tuple[str, ...]) -> bool:
    """Does a start tag named one of ``names`` (e.g. ``"<html"``) begin at ``i``?"""
    for name in names:
        if lower.startswith(name, i):
            end = i + len(name)
            return end == len(lower) or lower[end] in _NAME_END
    return False


def looks_like_page(html: str) -> bool:
    """Whether ``html`` is a whole page (doctype, ``<html>``, ``<head>`` or ``<body>`` first)
    rather than a fragment such as a post body.

    What may come first is skipped: an XML declaration, comments, and the
    head-only tags (``<meta>``, ``<link>``, ``<base>``, ``<title>``) a saved page
    may begin with. The scan looks at each character at most a few times, so
    no input can make it slow (a pattern over leading comments backtracked
    exponentially).
    """
    lower = html.lower()
    i, n = 0, len(lower)
    while True:
        while i < n and lower[i] in _WS:
            i += 1
        if i >= n or lower[i] != "<":
            return False
        if _tag_at(lower, i, _PAGE_START):
            return True
        if lower.startswith("<?xml", i):
            end = lower.find(">", i)
        elif lower.startswith("<!--", i):
            end = lower.find("-->", i + 4)
            end = end + 2 if end >= 0 else -1
        elif _tag_at(lower, i, _HEAD_VOID):
            end = lower.find(">", i)
        elif _tag_at(lower, i, ("<title",)):
            end = lower.find("</title", i)
            end = lower.find(">", end) if end >= 0 else -1
        else:
            return False
        if end < 0:
            return False
        i = end + 1
