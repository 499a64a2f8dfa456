"""The first pass over an export: the small indexes, and a path for every item written.

Before anything is written, a conversion must know what other items need of
each item (attachments for featured images, captions and galleries, reusable
blocks, the page tree) and where every item goes. Paths are claimed in file
order, so a collision is resolved the same way on every run and for any
number of workers; pages are placed once the whole page tree is known (a
child page may come before its parent), which reorders nothing since pages
live in their own folder.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from wpmigrate.fields import plain_title, utc_offset
from wpmigrate.model import Attachment, BrokenItem, Index, Item
from wpmigrate.options import ConvertOptions
from wpmigrate.selection import selection_reason
from wpmigrate.store import PlanTable, Store
from wpmigrate.write import PathPlanner, item_slug, make_slug

__all__ = ["Plan", "add_to_index", "folder_of", "plan_items"]

TYPE_FOLDERS = {"post": "posts", "page": "pages"}


@dataclass
class Plan:
    """What the first pass learned: the index, the planned paths, the number of items."""

    index: Index
    paths: PlanTable  # item ordinal -> (relative path, renamed on collision)
    total: int = 0
    offsets: Counter = field(default_factory=Counter)  # UTC offsets seen, for dates without their own

    @property
    def fallback_offset(self):
        return self.offsets.most_common(1)[0][0] if self.offsets else None


def add_to_index(index: Index, item: Item) -> None:
    """Record what other items may need of ``item``: an attachment's URL, alt text and
    caption (featured images, ``[caption]``, galleries), a reusable block's content."""
    if item.type == "attachment":
        index.attachments[item.id] = Attachment(
            id=item.id,
            url=item.attachment_url or item.guid,
            title=item.title,
            alt=item.meta_value("_wp_attachment_image_alt", "") or "",
            caption=item.excerpt,
            parent=item.parent,
            menu_order=item.menu_order,
        )
        if item.parent and not getattr(index.children, "derived", False):
            index.children.setdefault(item.parent, []).append(item.id)
    elif item.type == "wp_block":
        index.reusable_blocks[item.id] = item.content


def folder_of(post_type: str, item_id: int, parent: int, index: Index, language: str) -> PurePosixPath:
    """The folder an item is written to: ``posts``, ``pages/<parent slugs…>``, or its type's."""
    if post_type == "page":
        chain: list[str] = []
        seen = {item_id}
        while parent and parent in index.pages and parent not in seen:
            seen.add(parent)
            slug, parent_next = index.pages[parent]
            chain.append(slug)
            parent = parent_next
        return PurePosixPath("pages", *reversed(chain))
    if post_type in TYPE_FOLDERS:
        return PurePosixPath(TYPE_FOLDERS[post_type])
    name = make_slug(post_type, language) or "other"
    if name in TYPE_FOLDERS.values():
        name = f"type-{name}"
    return PurePosixPath(name)


def plan_items(
    items: Iterable[tuple[int, Item | BrokenItem]], options: ConvertOptions, language: str, store: Store
) -> Plan:
    """Index and plan ``(ordinal, item)`` pairs, given in file order (a broken item gets no path)."""
    index = store.index()
    planner = PathPlanner(store.taken())
    plan = Plan(index, store.plan())
    pages: list[tuple[int, int, str, str, int]] = []  # ordinal, id, slug, title, parent
    for ordinal, item in items:
        plan.total = ordinal + 1
        if isinstance(item, BrokenItem):
            continue
        add_to_index(index, item)
        if item.type == "page":
            index.pages[item.id] = (item_slug(item.slug, plain_title(item.title), item.id, language), item.parent)
        off = utc_offset(item.date, item.date_gmt)
        if off is not None:
            plan.offsets[off] += 1
        if selection_reason(item, options) is not None:
            continue
        if item.type == "page":
            pages.append((ordinal, item.id, item.slug, item.title, item.parent))
        else:
            slug = item_slug(item.slug, plain_title(item.title), item.id, language)
            path, collided = planner.claim(folder_of(item.type, item.id, item.parent, index, language), slug)
            plan.paths[ordinal] = (str(path), collided)
    for ordinal, item_id, slug, title, parent in pages:
        folder = folder_of("page", item_id, parent, index, language)
        path, collided = planner.claim(folder, item_slug(slug, plain_title(title), item_id, language))
        plan.paths[ordinal] = (str(path), collided)
    store.commit()
    return plan
