"""The data model that crosses stage boundaries: plain frozen dataclasses, no I/O.

Nothing here knows about lxml; the reader (``wxr/``) builds these objects and
every later stage only reads them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Author:
    id: int | None
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class Term:
    """A site-level term (``<wp:category>``, ``<wp:tag>`` or ``<wp:term>``)."""

    id: int | None
    taxonomy: str
    slug: str
    name: str
    parent: str = ""  # slug of the parent term, "" for top level
    description: str = ""
    meta: tuple[Meta, ...] = ()


@dataclass(frozen=True)
class ItemTerm:
    """A term attached to an item (``<category domain=… nicename=…>``)."""

    taxonomy: str
    slug: str
    name: str


@dataclass(frozen=True)
class Meta:
    key: str
    value: str


@dataclass(frozen=True)
class Comment:
    id: int
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: datetime | None = None
    date_gmt: datetime | None = None
    content: str = ""
    approved: str = "1"  # "1", "0", "spam", "trash"
    type: str = ""  # "", "comment", "pingback", "trackback", …
    parent: int = 0
    user_id: int = 0
    meta: tuple[Meta, ...] = ()


@dataclass(frozen=True)
class Item:
    id: int
    type: str
    status: str
    title: str = ""
    slug: str = ""
    link: str = ""
    guid: str = ""
    date: datetime | None = None  # local time of the site, naive
    date_gmt: datetime | None = None  # aware UTC, None for 0000-00-00 00:00:00
    modified: datetime | None = None
    modified_gmt: datetime | None = None
    author: str = ""  # login
    content: str = ""
    excerpt: str = ""
    parent: int = 0
    menu_order: int = 0
    password: str = ""
    sticky: bool = False
    terms: tuple[ItemTerm, ...] = ()
    meta: tuple[Meta, ...] = ()
    comments: tuple[Comment, ...] = ()
    attachment_url: str = ""
    #: line in the export file where the item starts (for error messages)
    line: int | None = None
    #: problems the reader met in this item (dropped characters, bad ids …)
    warnings: tuple[str, ...] = ()

    def meta_value(self, key: str, default: str | None = None) -> str | None:
        """The first value stored under ``key``, as WordPress's ``get_post_meta(…, true)``."""
        for m in self.meta:
            if m.key == key:
                return m.value
        return default


@dataclass(frozen=True)
class ItemRef:
    """Where one ``<item>`` lies in an export, found by the reader's byte scan.

    Plain data, so a parallel converter can hand it to another process together
    with the export's ``ItemLoader``.
    """

    ordinal: int  # 0-based position among all items of the export, broken ones too
    part: int  # which XML file of the export (a zip holds several), 0 for a plain file
    offset: int  # byte offset of "<item" in that file
    length: int  # bytes up to and including "</item>", or up to where the item breaks off
    line: int  # 1-based line of "<item"
    column: int  # 1-based column of "<item", in characters
    closed: bool = True  # False when "</item>" is missing (next "<item>" or the end of the file came first)


@dataclass(frozen=True)
class Placement:
    """Where the first pass put an item: its file, the slug written in its front matter
    (the file's own, so no two items share one), and the URL path it keeps."""

    path: str  # relative to the output folder, "/"-separated
    slug: str  # disambiguated and neutralised; the WordPress slug goes to wp_slug
    collided: bool = False  # renamed because another item had the slug first
    url: str | None = None  # the old URL path ("/2024/03/slug/"), None: the generator's own
    note: str | None = None  # why the old URL could not be kept


@dataclass(frozen=True)
class BrokenItem:
    """An item whose XML cannot be read even after the reader's repairs.

    ``line`` and ``column`` say where the XML breaks (not where the item
    starts). ``post_id`` is what a lenient parse could still read, for the
    report; a broken item is never converted.
    """

    ordinal: int
    line: int
    column: int
    message: str
    post_id: int | None = None


@dataclass(frozen=True)
class Site:
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    generator: str = ""
    authors: tuple[Author, ...] = ()
    categories: tuple[Term, ...] = ()
    tags: tuple[Term, ...] = ()
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Attachment:
    """What later stages need to know of an attachment item, kept in the first-pass index."""

    id: int
    url: str
    title: str = ""
    alt: str = ""  # _wp_attachment_image_alt
    caption: str = ""  # post_excerpt of the attachment
    parent: int = 0
    mime_type: str = ""
    menu_order: int = 0


class TargetKind(enum.Enum):
    """What an old URL of the site leads to after the conversion."""

    PAGE = "page"  # a written item's page
    FILE = "file"  # a file (an attachment's page leads to its file)
    TERM = "term"  # a term's archive page


@dataclass(frozen=True)
class LinkTarget:
    """Where an old URL of the site leads: ``target`` is the new URL (a path from the new
    site's root, or a file's URL), None when it has no new place (``reason`` says why)."""

    target: str | None
    kind: TargetKind = TargetKind.PAGE
    reason: str | None = None


@dataclass
class Index:
    """Small first-pass indexes over the whole export (never post bodies).

    ``attachments`` by id (featured images, galleries, captions);
    ``children`` maps a post id to the ids of attachments whose parent it is, in
    menu order (what ``[gallery]`` shows when it names no ids);
    ``reusable_blocks`` maps a ``wp_block`` id to its stored content (small, and
    needed by ``<!-- wp:block {"ref":N} /-->``);
    ``pages`` maps a page id to (slug, parent id) to build nested page paths;
    ``variations`` a WooCommerce product id to the count and price range of its
    variations (``product_variation`` items, which are not written themselves);
    ``links`` an old URL of the site (by its key) to where it leads now.
    """

    # dicts by default; a conversion passes disk-backed mappings (wpmigrate.store)
    attachments: MutableMapping[int, Attachment] = field(default_factory=dict)
    children: Mapping[int, list[int]] = field(default_factory=dict)
    reusable_blocks: MutableMapping[int, str] = field(default_factory=dict)
    pages: dict[int, tuple[str, int]] = field(default_factory=dict)
    #: WooCommerce product id → (variations, lowest price, highest price) of its variations
    variations: MutableMapping[int, tuple[int, str | None, str | None]] = field(default_factory=dict)
    #: a file below the uploads folder (``2019/06/foto-300x200.jpg``) → the attachment's file
    #: it is a copy of (``2019/06/foto.jpg``; itself for the attachment's own)
    media: MutableMapping[str, str] = field(default_factory=dict)
    #: an old URL's key (:mod:`wpmigrate.links.keys`) → where it leads now
    links: MutableMapping[str, LinkTarget] = field(default_factory=dict)
