"""The first pass over an export: the small indexes, and a path for every item written.

Before anything is written, a conversion must know what other items need of
each item (attachments for featured images, captions and galleries, reusable
blocks, the page tree) and where every item goes. Paths are claimed in file
order, so a collision is resolved the same way on every run and for any
number of workers; pages are placed once the whole page tree is known (a
child page may come before its parent), which reorders nothing since pages
live in their own folder.

What the pass needs of one item is small (:class:`ItemFacts`): workers work
it out while they parse the items, and this process only claims paths, in
file order. An item that is not written gets its report entry here too, so
the second pass never reads it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from wpmigrate.fields import SiteOffsets, number, plain_title
from wpmigrate.model import Attachment, BrokenItem, Index, Item, ItemRef
from wpmigrate.options import ConvertOptions
from wpmigrate.report import ItemReport
from wpmigrate.selection import is_private_reason, selection_reason
from wpmigrate.store import PlanTable, SkippedTable, Store
from wpmigrate.write import PathPlanner, item_slug, make_slug

__all__ = ["ItemFacts", "Plan", "Planner", "add_to_index", "facts_of", "folder_of", "plan_items"]

TYPE_FOLDERS = {"post": "posts", "page": "pages"}


@dataclass
class Plan:
    """What the first pass learned: the index, the planned paths, the entries of items not written."""

    index: Index
    paths: PlanTable  # item ordinal -> (relative path, renamed on collision)
    skipped: SkippedTable  # item ordinal -> report entry of an item that is not written
    total: int = 0
    offsets: SiteOffsets = field(default_factory=SiteOffsets)  # for dates without their own
    broken: list[BrokenItem] = field(default_factory=list)
    types: dict[str, int] = field(default_factory=dict)  # post type -> items of it in the export


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What the first pass needs of one item (or that it is broken)."""

    ordinal: int
    ref: ItemRef | None = None  # where the item stands in the export
    broken: BrokenItem | None = None
    id: int = 0
    type: str = ""
    parent: int = 0
    slug: str = ""  # the output slug (from post_name, else the title, else item-<id>)
    date: datetime | None = None
    date_gmt: datetime | None = None
    skipped: ItemReport | None = None  # the report entry when the item is not written
    attachment: Attachment | None = None
    reusable_block: str | None = None  # a wp_block's content
    variation_price: str | None = None  # a WooCommerce product variation's price


def facts_of(ref: ItemRef, entry: Item | BrokenItem, options: ConvertOptions, language: str) -> ItemFacts:
    """The facts of one item for the first pass."""
    ordinal = ref.ordinal
    if isinstance(entry, BrokenItem):
        return ItemFacts(ordinal, ref, broken=entry)
    reason = selection_reason(entry, options)
    skipped = None
    if reason is not None:
        title = None if is_private_reason(reason) else plain_title(entry.title)
        skipped = ItemReport(entry.id, entry.type, entry.status, title, "skipped", reason, None, list(entry.warnings))
    return ItemFacts(
        ordinal,
        ref,
        id=entry.id,
        type=entry.type,
        parent=entry.parent,
        slug=item_slug(entry.slug, plain_title(entry.title), entry.id, language),
        date=entry.date,
        date_gmt=entry.date_gmt,
        skipped=skipped,
        attachment=_attachment(entry) if entry.type == "attachment" else None,
        reusable_block=entry.content if entry.type == "wp_block" else None,
        variation_price=(entry.meta_value("_price", "") or "").strip() if entry.type == "product_variation" else None,
    )


def _attachment(item: Item) -> Attachment:
    return Attachment(
        id=item.id,
        url=item.attachment_url or item.guid,
        title=item.title,
        alt=item.meta_value("_wp_attachment_image_alt", "") or "",
        caption=item.excerpt,
        parent=item.parent,
        menu_order=item.menu_order,
    )


def add_to_index(index: Index, item: Item) -> None:
    """Record what other items may need of ``item``: an attachment's URL, alt text and
    caption (featured images, ``[caption]``, galleries), a reusable block's content."""
    if item.type == "attachment":
        _index_attachment(index, _attachment(item))
    elif item.type == "wp_block":
        index.reusable_blocks[item.id] = item.content


def _index_attachment(index: Index, att: Attachment) -> None:
    index.attachments[att.id] = att
    if att.parent and not getattr(index.children, "derived", False):
        index.children.setdefault(att.parent, []).append(att.id)


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


class Planner:
    """Plans items as their facts arrive, in file order; :meth:`finish` gives the :class:`Plan`."""

    def __init__(self, language: str, store: Store) -> None:
        self.language = language
        self.store = store
        self.index = store.index()
        self.paths = PathPlanner(store.taken())
        self.plan = Plan(self.index, store.plan(), store.skipped())
        self.pages: list[tuple[ItemRef | None, int, int, str, int]] = []  # ref, ordinal, id, slug, parent

    def add(self, f: ItemFacts) -> None:
        plan, index = self.plan, self.index
        plan.total = f.ordinal + 1
        if f.broken is not None:
            plan.broken.append(f.broken)
            return
        if f.type:
            plan.types[f.type] = plan.types.get(f.type, 0) + 1
        if f.attachment is not None:
            _index_attachment(index, f.attachment)
        elif f.reusable_block is not None:
            index.reusable_blocks[f.id] = f.reusable_block
        if f.type == "page":
            index.pages[f.id] = (f.slug, f.parent)
        plan.offsets.add(f.date, f.date_gmt)
        if f.variation_price is not None and f.parent:
            self._variation(f.parent, f.variation_price)
        if f.skipped is not None:
            plan.skipped[f.ordinal] = f.skipped
        elif f.type == "page":
            self.pages.append((f.ref, f.ordinal, f.id, f.slug, f.parent))
        else:
            path, collided = self.paths.claim(folder_of(f.type, f.id, f.parent, index, self.language), f.slug)
            plan.paths.put(f.ordinal, str(path), collided, f.ref)

    def _variation(self, product: int, price: str) -> None:
        count, low, high = self.index.variations.get(product, (0, None, None))
        value = number(price)
        if value is not None:
            low = price if low is None or value < number(low) else low
            high = price if high is None or value > number(high) else high
        self.index.variations[product] = (count + 1, low, high)

    def finish(self) -> Plan:
        for ref, ordinal, item_id, slug, parent in self.pages:
            path, collided = self.paths.claim(folder_of("page", item_id, parent, self.index, self.language), slug)
            self.plan.paths.put(ordinal, str(path), collided, ref)
        self.store.commit()
        return self.plan


def plan_items(facts: Iterable[ItemFacts], language: str, store: Store) -> Plan:
    """Index and plan the items, given as their facts in file order."""
    planner = Planner(language, store)
    for f in facts:
        planner.add(f)
    return planner.finish()
