"""What every layout shares: the old URL path of an item, and the shape of a layout.

A layout says, for one static site generator, where each kind of item goes,
which front-matter keys it reads, how a draft is kept out of its default
build, how an item keeps its old URL, and which starter files make a site
that builds as it is. :class:`Layout` is the plain layout (today's output);
the generators' layouts override what differs (:mod:`.generators`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

__all__ = ["Layout", "PlaceRequest", "SiteFacts", "Starter", "site_base", "url_key", "url_path"]

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\"<>|*?#]')


def url_path(link: str, base: str = "") -> str | None:
    """The path of an item's old URL below the site's base (``/2024/03/slug/``), decoded;
    None when a static file cannot answer it (the site's home, WordPress's plain
    ``?p=12`` links) or when it is not a plain path (``..``, control characters).

    A path without a file extension ends in ``/``, as WordPress redirects ``/slug``
    to ``/slug/``; every generator writes such a page as ``slug/index.html``."""
    if not link:
        return None
    parts = urlsplit(link.strip())
    if parts.query or parts.fragment:
        return None
    path = unquote(parts.path)
    base_path = unquote(urlsplit(base).path).rstrip("/") if base else ""
    if base_path and (path == base_path or path.startswith(base_path + "/")):
        path = path[len(base_path) :]
    segments = [s for s in path.split("/") if s not in ("", ".")]
    if not segments or any(s == ".." or _UNSAFE.search(s) or s != s.strip() for s in segments):
        return None
    joined = "/" + "/".join(segments)
    return joined if _EXTENSION.search(segments[-1]) else joined + "/"


def site_base(site: Any) -> str:
    """The URL the site's items live under (WordPress's home URL)."""
    return site.base_blog_url or site.link or site.base_site_url


def url_key(url: str) -> str:
    """Two URLs that would be one file on a case-insensitive disk share a key."""
    return "url:" + url.casefold()


@dataclass(frozen=True)
class PlaceRequest:
    """What a layout needs to know of an item to place it."""

    type: str
    date: datetime | None = None
    has_children: bool = False


@dataclass(frozen=True)
class SiteFacts:
    """What the starter site takes from the export and from what was written."""

    title: str = ""
    base_url: str = ""
    language: str = ""
    time_zone: str = ""  # an IANA name (``Etc/GMT-1`` for +01:00) or ""
    types: tuple[tuple[str, str], ...] = ()  # (post type, folder) of every type written
    taxonomies: tuple[str, ...] = ()  # front-matter keys of the custom taxonomies written
    media: bool = False  # media files are written (--media copy|download)


@dataclass
class Starter:
    """The starter site of a layout: files to write when missing, the generator's config
    among them, and what to add to a config that is already there."""

    config: str = ""  # relative path of the config file; "" when the layout has none
    config_names: tuple[str, ...] = ()  # any of these present: the folder has a config
    files: dict[str, str] = field(default_factory=dict)  # relative path -> text
    hint: str = ""  # the lines an existing config needs


def starter_file(layout: str, rel: str) -> str:
    """A template shipped as package data (``wpmigrate/layouts/starters/<layout>/<rel>``)."""
    return resources.files("wpmigrate.layouts").joinpath("starters", layout, rel).read_text(encoding="utf-8")


class Layout:
    """The plain layout: ``posts/``, ``pages/<parents…>/``, ``<type>/``; front matter as built."""

    name = "plain"
    root = PurePosixPath()
    page_root = "pages"
    #: names no item may take in any folder (a generator's own file names)
    reserved_names: frozenset[str] = frozenset()
    #: the keys that keep a draft out of the generator's build (never left out by ``--fields``)
    draft_keys: tuple[str, ...] = ("draft",)
    #: the front-matter formats the generator reads, and the fence of a JSON one ("": none)
    front_matter_formats: tuple[str, ...] = ("yaml", "toml", "json")
    json_fence = ""
    #: whether URLs are planned at all (the plain layout only records ``original_url``)
    keeps_urls = False
    #: whether the generator builds a home page of its own at ``/`` (no item may take it)
    starter_home = False
    #: the generator's folder of data files (``--comments`` writes ``<data>/comments/<id>.json``)
    data_folder = "data"
    #: where ``--media copy|download`` puts the site's files, in their folders below
    #: ``wp-content/uploads`` (``2019/06/foto.jpg``), so two files of one name never collide
    media_folder = PurePosixPath("media")
    #: the URL path the generator serves that folder at (None: links relative to each file)
    media_url_root: str | None = None

    # --- where items go ---------------------------------------------------------------

    def type_folder(self, folder: str) -> PurePosixPath:
        """The folder of a post type (``folder`` is the type's safe name)."""
        return self.root / folder

    def page_folder(self, chain: list[str]) -> PurePosixPath:
        return self.root / self.page_root / PurePosixPath(*chain) if chain else self.root / self.page_root

    def file_path(self, key: PurePosixPath, req: PlaceRequest) -> PurePosixPath:
        """The file of an item whose claimed name is ``key`` (``folder/slug.md``)."""
        return key

    def slug_of(self, key: PurePosixPath) -> str:
        """The slug written in the front matter: the claimed name, whatever the file is called."""
        return key.stem

    def folder_keys(self, folder: PurePosixPath) -> list[str]:
        """Names a folder of items takes from the pages (a generator's section page)."""
        return []

    def comments_file(self, item_id: int) -> str:
        """The data file of an item's comments, relative to the output folder."""
        return f"{self.data_folder}/comments/{item_id}.json"

    def media_path(self, file: str) -> PurePosixPath:
        """Where a media file (its path below the uploads folder) is written."""
        return self.media_folder / file

    def media_url(self, file: str, item_path: str) -> str:
        """The URL the Markdown of the item in ``item_path`` uses for a media file: below
        :attr:`media_url_root`, or relative to the item's own file (the plain layout, whose
        Markdown is read as files: an editor's preview, a repository's web view)."""
        if self.media_url_root is not None:
            return quote(self.media_url_root + file)
        here = posixpath.dirname(item_path) or "."
        return quote(posixpath.relpath(str(self.media_path(file)), here))

    # --- URLs ---------------------------------------------------------------------------

    def default_url(self, path: PurePosixPath) -> str | None:
        """The URL the generator gives the item in file ``path`` on its own (None: not needed)."""
        return None

    def term_url(self, key: str, name: str) -> str | None:
        """The URL of the page the generator builds for a term (``key`` is the taxonomy's
        front-matter key, ``name`` the term's name as written); None: it builds none."""
        return None

    def reserved_urls(self, folder: PurePosixPath | None = None, taxonomy: str | None = None) -> list[str]:
        """URLs the generator's own pages take: its home, a section's list, a taxonomy's."""
        return ["/"] if self.starter_home and folder is None and taxonomy is None else []

    # --- front matter ---------------------------------------------------------------------

    def front_matter(
        self,
        fields: dict[str, Any],
        path: PurePosixPath,
        url: str | None,
        old_url: str | None,
        old_paths: Sequence[str] = (),
    ) -> dict[str, Any]:
        """The generator's front matter from the built fields (in their declared order).

        ``path`` is the item's file, ``url`` the URL path it keeps (None: the generator's
        own), ``old_url`` the path of its old URL when the generator's URL is used instead
        (``--urls generator``), and ``old_paths`` its paths under old slugs
        (``_wp_old_slug``), for a redirect where the generator makes one."""
        return fields

    # --- the starter site -----------------------------------------------------------------

    def starter(self, site: SiteFacts) -> Starter:
        return Starter()


def renamed(fields: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """``fields`` with keys renamed in place of the old ones (order kept); a key whose new
    name the fields already hold keeps its own (an excerpt stays ``excerpt`` when an SEO
    plugin gave the ``description``)."""
    return {(names[k] if k in names and names[k] not in fields else k): v for k, v in fields.items()}


def time_zone(offset_minutes: int | None) -> str:
    """An IANA zone for a whole-hour UTC offset (``Etc/GMT-1`` is +01:00), else ""."""
    if offset_minutes is None or offset_minutes % 60:
        return ""
    hours = offset_minutes // 60
    if hours == 0:
        return "UTC"
    return f"Etc/GMT{-hours:+d}"


def folder_url(key: PurePosixPath, root: PurePosixPath, drop: str = "") -> str:
    """``/a/b/`` for ``root/a/b.md`` (``drop``: a leading folder the URL leaves out)."""
    rel = key.relative_to(root) if root.parts else key
    parts = list(rel.with_suffix("").parts)
    if drop and parts and parts[0] == drop:
        parts = parts[1:]
    return "/" + posixpath.join(*parts) + "/" if parts else "/"
