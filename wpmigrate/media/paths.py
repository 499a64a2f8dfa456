"""Media files by their path below ``wp-content/uploads``, and WordPress's copies of them.

Every media file of a WordPress site lies below its uploads folder
(``wp-content/uploads/2019/06/foto.jpg``; a multisite's under ``sites/3/``),
and that path (``2019/06/foto.jpg``) names it whatever host or CDN served it.
WordPress also writes copies beside each image and links them from posts:
resized ones (``foto-300x200.jpg``, ``image_make_intermediate_size()``), the
scaled-down full size of a big upload (``foto-scaled.jpg``, WordPress 5.3+),
copies edited in the media library (``foto-e1561712345678.jpg``) and Retina
copies of plugins (``foto@2x.jpg``). :func:`copy_candidates` names the file
such a copy was made from, so a reference resolves to the original.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from wpmigrate.model import Item
from wpmigrate.wordpress.phpserial import unserialize

__all__ = ["attachment_files", "copy_candidates", "relative_path", "uploads_file", "uploads_path"]

UPLOADS = "/wp-content/uploads/"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\"<>|*?:]')
# the suffixes WordPress (and Retina plugins) add to a copy's name, the innermost last:
# foto-e1561712345678-300x200@2x.jpg is a resized copy of an edited copy
_RETINA = re.compile(r"@[23]x$")
_SIZE = re.compile(r"-\d{1,5}x\d{1,5}$")
_EDITED = re.compile(r"-e\d{10,}$")
_SCALED = re.compile(r"-(?:scaled|rotated)$")


def relative_path(relative: str) -> str | None:
    """``2019/06/foto.jpg`` as a safe path below the uploads folder ("/"-separated), or None
    when it is none: empty, ``..``, a hidden name, characters no file system takes."""
    parts = [p for p in relative.strip().split("/") if p]
    if not parts or any(p in (".", "..") or p.startswith(".") or p != p.strip() or _UNSAFE.search(p) for p in parts):
        return None
    return "/".join(parts)


def uploads_path(url: str) -> str | None:
    """The path below ``wp-content/uploads`` of a file's URL (decoded), or None."""
    path = unquote(urlsplit(url.strip()).path)
    at = path.find(UPLOADS)
    if at < 0:
        return None
    return relative_path(path[at + len(UPLOADS) :])


def copy_candidates(rel: str) -> Iterator[str]:
    """The files ``rel`` may be a copy of, nearest first: for
    ``2019/06/foto-e1561712345678-300x200.jpg`` the edited copy
    ``2019/06/foto-e1561712345678.jpg`` (and its scaled full size), then ``2019/06/foto.jpg``
    and ``2019/06/foto-scaled.jpg`` (a big upload's full size, which the resized copies
    are named after). Nothing for a name without such a suffix."""
    folder, name = posixpath.split(rel)
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return
    for pattern in (_RETINA, _SIZE, _EDITED, _SCALED):
        shorter = pattern.sub("", stem)
        if shorter and shorter != stem:
            stem = shorter
            yield posixpath.join(folder, f"{stem}.{ext}")
            if pattern is not _SCALED:
                yield posixpath.join(folder, f"{stem}-scaled.{ext}")


def attachment_files(item: Item) -> list[tuple[str, str]]:
    """``(file, the attachment's file)`` of every file an attachment item names: its own
    (``_wp_attached_file``, else from ``attachment_url``), and the resized copies and the
    original upload ``_wp_attachment_metadata`` lists, all resolving to its own."""
    attached = (item.meta_value("_wp_attached_file") or "").strip()
    main = None
    if attached and not attached.startswith("/") and "://" not in attached:
        main = relative_path(attached)
    main = main or uploads_path(item.attachment_url or "")
    if main is None:
        return []
    files = [(main, main)]
    folder = posixpath.dirname(main)
    raw = item.meta_value("_wp_attachment_metadata") or ""
    try:
        meta = unserialize(raw) if raw.strip() else {}
    except ValueError:
        meta = {}  # a value cut by a bad export: the naming rules still resolve the copies
    if not isinstance(meta, dict):
        return files
    names = [meta.get("original_image")]
    sizes = meta.get("sizes")
    if isinstance(sizes, dict):
        names.extend(size.get("file") for size in sizes.values() if isinstance(size, dict))
    for name in names:
        if isinstance(name, str) and name and "/" not in name:
            rel = relative_path(posixpath.join(folder, name))
            if rel is not None and rel != main:
                files.append((rel, main))
    return files


def uploads_file(uploads: str, file: str) -> Path | None:
    """The file ``file`` (a path below the uploads folder) in ``uploads``, when it is there
    and lies inside it (a link leading out of the folder is refused)."""
    root = Path(uploads).resolve()
    path = Path(uploads, *file.split("/"))
    try:
        real = path.resolve()
    except OSError:
        return None
    if root not in real.parents or not real.is_file():
        return None
    return real
