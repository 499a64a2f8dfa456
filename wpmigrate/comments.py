"""An item's comments as a static site can show them: approved ones only, threaded, nothing private.

WordPress shows a visitor the approved comments of a post, each with its
author's name, the author's site, its date and its text; replies name their
parent. That is all that is written here. Spam, trash and comments awaiting
moderation are never written, nor are pingbacks and trackbacks unless asked
for, nor other plugins' comment types (WooCommerce's order notes are private).
E-mail addresses, IP addresses and user ids are never read.

A comment's text goes through the same render → clean → Markdown pipeline as
a post body. A reply whose parent is withheld is attached to the nearest
ancestor that is written (or to the post), as WordPress's threaded list would
leave it out otherwise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wpmigrate.fields import SiteOffsets, aware
from wpmigrate.model import Comment, Index, Item
from wpmigrate.seo import web_url

__all__ = ["CommentSelection", "comment_records", "comments_json", "select_comments"]

#: comment types a visitor saw as comments ("" is how WordPress before 5.5 stored one)
_COMMENT_TYPES = frozenset({"", "comment", "review"})
_PING_TYPES = frozenset({"pingback", "trackback"})


@dataclass(frozen=True)
class CommentSelection:
    """The comments of one item that are written, and how many are withheld."""

    comments: tuple[Comment, ...]
    withheld: int


def select_comments(item: Item, *, pingbacks: bool = False) -> CommentSelection:
    """The approved comments of ``item`` (pingbacks and trackbacks only with ``pingbacks``)."""
    kept = []
    for c in item.comments:
        kind = c.type.strip().lower()
        if c.approved.strip() != "1":
            continue
        if kind in _COMMENT_TYPES or (pingbacks and kind in _PING_TYPES):
            kept.append(c)
    return CommentSelection(tuple(kept), len(item.comments) - len(kept))


def comment_records(
    item: Item,
    selection: CommentSelection,
    render,
    offsets: SiteOffsets | None,
) -> list[dict[str, Any]]:
    """One record per written comment, in the export's order: ``id``, ``parent`` (0: a
    reply to the post), ``author``, ``author_url``, ``date`` (with the site's UTC offset),
    ``type`` (pingbacks and trackbacks only) and ``content`` (Markdown, from ``render``)."""
    threads = _threads(item, selection)
    records = []
    for c in selection.comments:
        record: dict[str, Any] = {"id": c.id, "parent": threads[c.id]}
        record["author"] = " ".join(c.author.split())
        url = web_url(c.author_url)
        if url:
            record["author_url"] = url
        date = aware(c.date, c.date_gmt, offsets)
        if date is not None:
            record["date"] = date
        kind = c.type.strip().lower()
        if kind in _PING_TYPES:
            record["type"] = kind
        record["content"] = render(c.content)
        records.append(record)
    return records


def _threads(item: Item, selection: CommentSelection) -> dict[int, int]:
    """Each written comment's parent among the written ones (0: the post). A withheld parent
    gives way to its nearest written ancestor; a loop of parents (an id that is its own
    ancestor, which only a damaged export holds) is cut, the comment then answers the post."""
    written = {c.id for c in selection.comments}
    stored = {c.id: c.parent for c in item.comments}
    parents: dict[int, int] = {}
    for c in selection.comments:
        parent, seen = c.parent, {c.id}
        while parent and parent not in written and parent not in seen:
            seen.add(parent)
            parent = stored.get(parent, 0)
        parents[c.id] = parent if parent in written and parent not in seen else 0
    for cid in list(parents):
        node, seen = parents[cid], {cid}
        while node and node not in seen:
            seen.add(node)
            node = parents.get(node, 0)
        if node:  # came back to a comment already on the way: a loop
            parents[cid] = 0
    return parents


def comments_json(item: Item, records: list[dict[str, Any]]) -> str:
    """The data file of an item's comments (dates as ISO 8601 strings)."""
    data = {"post": item.id, "comments": records}
    return json.dumps(data, ensure_ascii=False, indent=2, default=_iso) + "\n"


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def render_with(pipeline, index: Index | None):
    """A comment's text through the post body's pipeline (render → clean → Markdown)."""

    def render(content: str) -> str:
        # WordPress runs no shortcodes in comments: "[gallery]" a visitor typed is text
        return pipeline.run(content.replace("[", "&#91;"), index=index).markdown.strip("\n")

    return render
