"""The first pass over an export: the small indexes, and a path for every item written.

Before anything is written, a conversion must know what other items need of
each item (attachments for featured images, captions and galleries, reusable
blocks, the page tree) and where every item goes. Paths are claimed in file
order, so a collision is resolved the same way on every run and for any
number of workers; pages are placed once the whole page tree is known (a
child page may come before its parent), parents before their children so a
page's folder is its parent's placed name, which reorders nothing within a
folder. Where the layout is a generator's (:mod:`wpmigrate.layouts`), each
item also claims its old URL path here, in the same order.

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

from wpmigrate.comments import select_comments
from wpmigrate.fields import SiteOffsets, number, plain_title, taxonomy_key
from wpmigrate.layouts import Layout, PlaceRequest, get_layout, url_key, url_path
from wpmigrate.links.plan import SiteLinks
from wpmigrate.media.paths import attachment_files
from wpmigrate.model import Attachment, BrokenItem, Index, Item, ItemRef, Placement, Term
from wpmigrate.options import CommentsPolicy, ConvertOptions, UrlPolicy
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
    type_counts: dict[str, int] = field(default_factory=dict)  # post type -> items of it in the export
    types: dict[str, str] = field(default_factory=dict)  # post type written -> its folder's name
    taxonomies: list[str] = field(default_factory=list)  # custom taxonomies' keys, as first seen
    #: the comments' data files the second pass writes (``--comments data``), in file order
    comment_files: list[str] = field(default_factory=list)


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
    #: an attachment's files below the uploads folder: (file, the attachment's own file)
    media_files: tuple[tuple[str, str], ...] = ()
    reusable_block: str | None = None  # a wp_block's content
    variation_price: str | None = None  # a WooCommerce product variation's price
    link: str = ""  # the old URL
    draft: bool = False  # a draft, pending or scheduled post: never published, its URL unused
    taxonomies: tuple[str, ...] = ()  # front-matter keys of its custom taxonomies
    comments_file: str | None = None  # with --comments data: the data file its comments go to
    old_slugs: tuple[str, ...] = ()  # _wp_old_slug: the slugs it had before
    #: (taxonomy, slug, name as the front matter writes it) of its terms, when it is published
    terms: tuple[tuple[str, str, str], ...] = ()


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
        media_files=tuple(attachment_files(entry)) if entry.type == "attachment" else (),
        reusable_block=entry.content if entry.type == "wp_block" else None,
        variation_price=(entry.meta_value("_price", "") or "").strip() if entry.type == "product_variation" else None,
        link=entry.link,
        draft=entry.status in ("draft", "pending", "future"),
        taxonomies=tuple(
            dict.fromkeys(k for t in entry.terms if (k := taxonomy_key(t.taxonomy)) not in ("categories", "tags"))
        )
        if skipped is None
        else (),
        comments_file=_comments_file(entry, options) if skipped is None else None,
        old_slugs=tuple(m.value for m in entry.meta if m.key == "_wp_old_slug" and m.value.strip()),
        terms=tuple(dict.fromkeys((t.taxonomy, t.slug, plain_title(t.name).strip() or t.slug) for t in entry.terms))
        if skipped is None and entry.status not in ("draft", "pending", "future")
        else (),
    )


def _comments_file(item: Item, options: ConvertOptions) -> str | None:
    """The data file of the item's comments when ``--comments`` writes one for it."""
    if options.comments != CommentsPolicy.DATA:
        return None
    if not select_comments(item, pingbacks=options.pingbacks).comments:
        return None
    return get_layout(options.layout).comments_file(item.id)


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
        for file, original in attachment_files(item):
            index.media.setdefault(file, original)
    elif item.type == "wp_block":
        index.reusable_blocks[item.id] = item.content


def _index_attachment(index: Index, att: Attachment) -> None:
    index.attachments[att.id] = att
    if att.parent and not getattr(index.children, "derived", False):
        index.children.setdefault(att.parent, []).append(att.id)


def type_name(post_type: str, language: str) -> str:
    """The safe folder name of a post type: ``posts``, ``pages``, or the type's own slug."""
    if post_type in TYPE_FOLDERS:
        return TYPE_FOLDERS[post_type]
    name = make_slug(post_type, language) or "other"
    if name in TYPE_FOLDERS.values():
        name = f"type-{name}"
    return name


def page_chain(item_id: int, parent: int, index: Index, names: dict[int, str] | None = None) -> list[str]:
    """The slugs of a page's parents, outermost first (a parent already placed by its placed name)."""
    chain: list[str] = []
    seen = {item_id}
    while parent and parent in index.pages and parent not in seen:
        seen.add(parent)
        slug, parent_next = index.pages[parent]
        chain.append(names.get(parent, slug) if names else slug)
        parent = parent_next
    return list(reversed(chain))


def folder_of(
    post_type: str, item_id: int, parent: int, index: Index, language: str, layout: Layout | None = None
) -> PurePosixPath:
    """The folder an item is written to: ``posts``, ``pages/<parent slugs…>``, or its type's."""
    layout = layout or Layout()
    if post_type == "page":
        return layout.page_folder(page_chain(item_id, parent, index))
    return layout.type_folder(type_name(post_type, language))


class Planner:
    """Plans items as their facts arrive, in file order; :meth:`finish` gives the :class:`Plan`.

    Each item claims its name in its folder (so the slug written in its front matter is
    its own) and, with a generator's layout, its old URL path: the first item in file
    order keeps a URL, a later one (or one the generator's own pages take, its home, a
    section's list) gets the generator's URL and a warning."""

    def __init__(
        self,
        language: str,
        store: Store,
        options: ConvertOptions | None = None,
        base_url: str = "",
    ) -> None:
        options = options or ConvertOptions()
        self.language = language
        self.store = store
        self.layout = get_layout(options.layout)
        self.keep_urls = self.layout.keeps_urls and options.urls == UrlPolicy.KEEP
        self.base_url = base_url
        self.index = store.index()
        self.taken = store.taken()
        self.paths = PathPlanner(self.taken)
        self.plan = Plan(self.index, store.plan(), store.skipped())
        self.folders: set[str] = set()
        self.pages: list[ItemFacts] = []
        self.links = SiteLinks(self.index, store.redirects(), self.layout, base_url)
        for url in self.layout.reserved_urls():
            self.taken.claim(url_key(url))

    def add(self, f: ItemFacts) -> None:
        plan, index = self.plan, self.index
        plan.total = f.ordinal + 1
        if f.broken is not None:
            plan.broken.append(f.broken)
            return
        if f.type:
            plan.type_counts[f.type] = plan.type_counts.get(f.type, 0) + 1
        if f.attachment is not None:
            _index_attachment(index, f.attachment)
            self.links.attachment(f.id, f.link, f.attachment.url)
        elif f.reusable_block is not None:
            index.reusable_blocks[f.id] = f.reusable_block
        for file, original in f.media_files:
            index.media[file] = original  # the first in file order is kept
        if f.type == "page":
            index.pages[f.id] = (f.slug, f.parent)
        plan.offsets.add(f.date, f.date_gmt)
        if f.variation_price is not None and f.parent:
            self._variation(f.parent, f.variation_price)
        if f.skipped is not None:
            plan.skipped[f.ordinal] = f.skipped
            if f.attachment is None:
                self.links.not_converted(f.id, f.link, f.skipped.reason or "skipped")
            return
        self.links.terms_used(f.terms)
        if f.comments_file is not None:
            plan.comment_files.append(f.comments_file)
        for tax in f.taxonomies:
            if tax not in plan.taxonomies:
                plan.taxonomies.append(tax)
                for url in self.layout.reserved_urls(taxonomy=tax):
                    self.taken.claim(url_key(url))
        if f.type == "page":
            self.pages.append(f)
            plan.types.setdefault("page", type_name("page", self.language))
            return
        name = type_name(f.type, self.language)
        plan.types.setdefault(f.type, name)
        folder = self.layout.type_folder(name)
        if str(folder) not in self.folders:
            self.folders.add(str(folder))
            for url in self.layout.reserved_urls(folder=folder):
                self.taken.claim(url_key(url))
        self._place(f, folder, PlaceRequest(f.type, f.date))

    def _place(self, f: ItemFacts, folder: PurePosixPath, req: PlaceRequest) -> str:
        key, collided = self.paths.claim(folder, f.slug, reserved=self.layout.reserved_names, scope=f.type)
        path = self.layout.file_path(key, req)
        url, note = self._url(f, path) if self.layout.keeps_urls else (None, None)
        self.plan.paths.put(f.ordinal, Placement(str(path), self.layout.slug_of(key), collided, url, note), f.ref)
        built = None if f.draft else url or self.layout.default_url(path)
        self.links.written(f.id, f.type, f.link, built, f.draft, f.old_slugs)
        return key.stem

    def _url(self, f: ItemFacts, path: PurePosixPath) -> tuple[str | None, str | None]:
        """The old URL path the item keeps (None: the generator's), and why not when it cannot."""
        note = None
        if self.keep_urls:
            old = url_path(f.link, self.base_url)
            if old is not None and self.taken.claim(url_key(old)):
                return old, None  # a scheduled post's too: it is there once published
            if f.draft:
                return None, None  # left out of the build: no URL of the generator's is taken
            if old is not None:
                note = f"its old URL {old} is taken by an earlier item or the generator's own page"
            elif f.link:
                note = f"its old URL {f.link} has no path of its own (the home page or a ?p= link)"
        default = self.layout.default_url(path)
        if f.draft:
            return None, None
        if default is not None and not self.taken.claim(url_key(default)) and note is None and self.keep_urls:
            note = f"the generator's URL {default} is taken by another item"
        if note is not None:
            note += f"; it is at the generator's URL {default}" if default else ""
        return None, note

    def _variation(self, product: int, price: str) -> None:
        count, low, high = self.index.variations.get(product, (0, None, None))
        value = number(price)
        if value is not None:
            low = price if low is None or value < number(low) else low
            high = price if high is None or value > number(high) else high
        self.index.variations[product] = (count + 1, low, high)

    def finish(self, terms: Iterable[Term] = ()) -> Plan:
        """The plan, once every item's facts are in; ``terms`` are the export's declared
        terms (for their archives' old URLs and parents)."""
        # the names the pages' sections take first (Hugo's content/posts/ has a list page)
        for folder in sorted(self.folders):
            for key in self.layout.folder_keys(PurePosixPath(folder)):
                self.taken.claim(key.casefold())
        # parents before their children (in file order at each depth), so that a page's
        # folder is its parent's placed name
        parents = {f.parent for f in self.pages}
        names: dict[int, str] = {}
        for f in sorted(self.pages, key=lambda f: (len(page_chain(f.id, f.parent, self.index)), f.ordinal)):
            folder = self.layout.page_folder(page_chain(f.id, f.parent, self.index, names))
            names[f.id] = self._place(f, folder, PlaceRequest("page", f.date, f.id in parents))
        self.links.finish(terms)
        self.store.commit()
        return self.plan


def plan_items(
    facts: Iterable[ItemFacts],
    language: str,
    store: Store,
    options: ConvertOptions | None = None,
    base_url: str = "",
    terms: Iterable[Term] = (),
) -> Plan:
    """Index and plan the items, given as their facts in file order."""
    planner = Planner(language, store, options, base_url)
    for f in facts:
        planner.add(f)
    return planner.finish(terms)
