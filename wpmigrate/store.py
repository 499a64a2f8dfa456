"""Disk-backed indexes for one conversion, so memory stays flat however big the export.

A conversion needs a few things about every item at once: attachments (for
featured images, captions and galleries), reusable blocks, the output path
planned for each item, the names already taken, the files written. Kept in
dicts they grow with the export (about 1.5 KB per item); here they live in
temporary SQLite databases with a small page cache, behind the same mapping
interfaces the render stage reads (``index.attachments.get(id)``,
``index.children.get(id, [])``). The index is a file of its own that worker
processes open read-only. SQLite is in the standard library; the databases
are deleted when the conversion ends.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping

from wpmigrate.model import Attachment, Index, ItemRef, LinkTarget, Placement, TargetKind
from wpmigrate.report import ItemReport

# What the body stage reads (in worker processes too, read-only, once the first
# pass has committed it); kept in a file of its own, which nobody writes while
# the bodies are converted.
_INDEX_SCHEMA = """
CREATE TABLE attachment (id INTEGER PRIMARY KEY, url TEXT, title TEXT, alt TEXT, caption TEXT,
                         parent INTEGER, mime_type TEXT, menu_order INTEGER);
CREATE INDEX attachment_parent ON attachment (parent, menu_order, id);
CREATE TABLE reusable_block (id INTEGER PRIMARY KEY, content TEXT);
CREATE TABLE variation (product INTEGER PRIMARY KEY, count INTEGER, low TEXT, high TEXT);
CREATE TABLE link (key TEXT PRIMARY KEY, target TEXT, kind TEXT, reason TEXT) WITHOUT ROWID;
CREATE TABLE media (file TEXT PRIMARY KEY, original TEXT) WITHOUT ROWID;
"""
# What only the conversion's own process reads and writes.
_SCHEMA = """
CREATE TABLE taken (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE plan (ordinal INTEGER PRIMARY KEY, path TEXT, collided INTEGER, slug TEXT, url TEXT, note TEXT,
                   part INTEGER, offset INTEGER, length INTEGER, line INTEGER, col INTEGER, closed INTEGER);
CREATE TABLE skipped (ordinal INTEGER PRIMARY KEY, entry TEXT);
CREATE TABLE written (path TEXT PRIMARY KEY, sha TEXT) WITHOUT ROWID;
CREATE TABLE manifest (path TEXT PRIMARY KEY, sha TEXT) WITHOUT ROWID;
CREATE TABLE media_need (file TEXT PRIMARY KEY, url TEXT, ordinal INTEGER);
CREATE TABLE media_ref (file TEXT, item INTEGER, PRIMARY KEY (file, item)) WITHOUT ROWID;
CREATE TABLE redirect (source TEXT PRIMARY KEY, target TEXT, kind TEXT) WITHOUT ROWID;
CREATE TABLE built (url TEXT PRIMARY KEY) WITHOUT ROWID;
"""


def _connect(path: str, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    else:
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
    # KiB: a small page cache whatever the export (every process of a conversion
    # holds one per database; the operating system caches the file anyway)
    db.execute("PRAGMA cache_size=-2048")
    return db


class Store:
    """The temporary databases of one conversion; use as a context manager."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="wpmigrate-")
        self.index_path = os.path.join(self._dir.name, "index.sqlite")
        self.index_db = _connect(self.index_path)
        self.index_db.executescript(_INDEX_SCHEMA)
        self.db = _connect(os.path.join(self._dir.name, "run.sqlite"))
        self.db.executescript(_SCHEMA)

    def commit(self) -> None:
        """Make the index visible to other connections (worker processes)."""
        self.index_db.commit()

    def close(self) -> None:
        self.index_db.close()
        self.db.close()
        self._dir.cleanup()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def index(self) -> Index:
        """An :class:`Index` whose attachments, children and reusable blocks live in this database."""
        return _index(self.index_db)

    def taken(self) -> TakenSet:
        return TakenSet(self.db)

    def plan(self) -> PlanTable:
        return PlanTable(self.db)

    def skipped(self) -> SkippedTable:
        return SkippedTable(self.db)

    def redirects(self) -> RedirectTable:
        return RedirectTable(self.db)

    def written(self) -> WrittenTable:
        """What this run writes: relative path → sha256."""
        return WrittenTable(self.db, "written")

    def media_needed(self) -> MediaNeeded:
        """The media files the written items reference (``--media copy|download``)."""
        return MediaNeeded(self.db)

    def manifest(self) -> WrittenTable:
        """What earlier runs wrote, read from the output folder's manifest."""
        return WrittenTable(self.db, "manifest")


def _index(db: sqlite3.Connection) -> Index:
    return Index(
        attachments=AttachmentTable(db),
        children=ChildrenView(db),
        reusable_blocks=ReusableBlockTable(db),
        variations=VariationTable(db),
        links=LinkTable(db),
        media=MediaTable(db),
    )


def open_index(path: str) -> Index:
    """The committed index of a conversion, opened read-only (in a worker process)."""
    return _index(_connect(path, read_only=True))


class ReusableBlockTable(Mapping[int, str]):
    """``wp_block`` id → its stored content; assignment stores one."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __setitem__(self, key: int, content: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO reusable_block VALUES (?, ?)", (key, content))

    def __getitem__(self, key: object) -> str:
        if not isinstance(key, int):
            raise KeyError(key)
        row = self._db.execute("SELECT content FROM reusable_block WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return row[0]

    def __contains__(self, key: object) -> bool:
        return (
            isinstance(key, int)
            and self._db.execute("SELECT 1 FROM reusable_block WHERE id = ?", (key,)).fetchone() is not None
        )

    def __iter__(self) -> Iterator[int]:
        for (key,) in self._db.execute("SELECT id FROM reusable_block ORDER BY id"):
            yield key

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM reusable_block").fetchone()[0]


class MediaTable(Mapping[str, str]):
    """A file below the uploads folder → the attachment's file it is a copy of (itself for
    the attachment's own); assignment keeps the first (file order)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __setitem__(self, key: str, original: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO media VALUES (?, ?)", (key, original))

    def __getitem__(self, key: object) -> str:
        row = self._db.execute("SELECT original FROM media WHERE file = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return row[0]

    def __iter__(self) -> Iterator[str]:
        for (key,) in self._db.execute("SELECT file FROM media ORDER BY file"):
            yield key

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM media").fetchone()[0]


class MediaNeeded:
    """The media files to place: each file below the uploads folder once, with the URL it
    was first referenced by (file order) and the items that reference it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add(self, file: str, url: str, ordinal: int, item: int) -> None:
        self._db.execute("INSERT OR IGNORE INTO media_need VALUES (?, ?, ?)", (file, url, ordinal))
        self._db.execute("INSERT OR IGNORE INTO media_ref VALUES (?, ?)", (file, item))

    def files(self) -> Iterator[tuple[str, str]]:
        """``(file, URL)`` of every file, in the order of their first reference."""
        yield from self._db.execute("SELECT file, url FROM media_need ORDER BY ordinal, file")

    def items(self, file: str) -> list[int]:
        """The ids of the items that reference ``file``."""
        return [r[0] for r in self._db.execute("SELECT item FROM media_ref WHERE file = ? ORDER BY item", (file,))]

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM media_need").fetchone()[0]


class LinkTable(Mapping[str, LinkTarget]):
    """An old URL's key (:mod:`wpmigrate.links.keys`) → :class:`LinkTarget`; assignment
    stores one, :meth:`setdefault` only when the key is new (the first item in file order
    keeps an old URL)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __setitem__(self, key: str, value: LinkTarget) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO link VALUES (?, ?, ?, ?)", (key, value.target, value.kind.value, value.reason)
        )

    def setdefault(self, key: str, value: LinkTarget) -> LinkTarget:  # type: ignore[override]
        self._db.execute(
            "INSERT OR IGNORE INTO link VALUES (?, ?, ?, ?)", (key, value.target, value.kind.value, value.reason)
        )
        return self[key]

    def __getitem__(self, key: object) -> LinkTarget:
        row = self._db.execute("SELECT target, kind, reason FROM link WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return LinkTarget(row[0], TargetKind(row[1]), row[2])

    def __iter__(self) -> Iterator[str]:
        for (key,) in self._db.execute("SELECT key FROM link ORDER BY key"):
            yield key

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM link").fetchone()[0]


class VariationTable(Mapping[int, tuple[int, str | None, str | None]]):
    """product id → (variations, lowest price, highest price); assignment stores one."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __setitem__(self, key: int, value: tuple[int, str | None, str | None]) -> None:
        self._db.execute("INSERT OR REPLACE INTO variation VALUES (?, ?, ?, ?)", (key, *value))

    def __getitem__(self, key: object) -> tuple[int, str | None, str | None]:
        row = self._db.execute("SELECT count, low, high FROM variation WHERE product = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return row[0], row[1], row[2]

    def __iter__(self) -> Iterator[int]:
        for (key,) in self._db.execute("SELECT product FROM variation ORDER BY product"):
            yield key

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM variation").fetchone()[0]


class AttachmentTable(Mapping[int, Attachment]):
    """attachment id → :class:`Attachment`; assignment stores one."""

    _COLUMNS = "id, url, title, alt, caption, parent, mime_type, menu_order"

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __setitem__(self, key: int, att: Attachment) -> None:
        self._db.execute(
            f"INSERT OR REPLACE INTO attachment ({self._COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, att.url, att.title, att.alt, att.caption, att.parent, att.mime_type, att.menu_order),
        )

    def __getitem__(self, key: object) -> Attachment:
        if not isinstance(key, int):
            raise KeyError(key)
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM attachment WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return Attachment(*row)

    def __iter__(self) -> Iterator[int]:
        for (key,) in self._db.execute("SELECT id FROM attachment ORDER BY id"):
            yield key

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM attachment").fetchone()[0]


class ChildrenView(Mapping[int, list[int]]):
    """post id → ids of the attachments whose parent it is, in menu order (read-only).

    Derived from the attachment table, so nothing has to be kept in step.
    """

    derived = True

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __getitem__(self, key: object) -> list[int]:
        if not isinstance(key, int) or key == 0:
            raise KeyError(key)
        ids = [
            r[0] for r in self._db.execute("SELECT id FROM attachment WHERE parent = ? ORDER BY menu_order, id", (key,))
        ]
        if not ids:
            raise KeyError(key)
        return ids

    def __iter__(self) -> Iterator[int]:
        for (key,) in self._db.execute("SELECT DISTINCT parent FROM attachment WHERE parent != 0 ORDER BY parent"):
            yield key

    def __len__(self) -> int:
        return self._db.execute("SELECT count(DISTINCT parent) FROM attachment WHERE parent != 0").fetchone()[0]


class TakenSet:
    """The set of output names already handed out (case-folded)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def claim(self, key: str) -> bool:
        """Take ``key``; False when it was taken already (one statement instead of two)."""
        return self._db.execute("INSERT OR IGNORE INTO taken (key) VALUES (?)", (key,)).rowcount == 1


class PlanTable(Mapping[int, Placement]):
    """item ordinal → its :class:`~wpmigrate.model.Placement`, and where the item stands in
    the export (so the second pass reads it without scanning the file again)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __setitem__(self, ordinal: int, value: Placement) -> None:
        self.put(ordinal, value, None)

    def put(self, ordinal: int, place: Placement, ref: ItemRef | None) -> None:
        where = (ref.part, ref.offset, ref.length, ref.line, ref.column, int(ref.closed)) if ref else (None,) * 6
        self._db.execute(
            "INSERT OR REPLACE INTO plan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ordinal, place.path, int(place.collided), place.slug, place.url, place.note, *where),
        )

    def planned(self) -> Iterator[tuple[ItemRef, Placement]]:
        """``(where the item is, its placement)`` of every planned item, in file order."""
        rows = self._db.execute(
            "SELECT ordinal, part, offset, length, line, col, closed, path, collided, slug, url, note "
            "FROM plan ORDER BY ordinal"
        )
        for ordinal, part, offset, length, line, col, closed, path, collided, slug, url, note in rows:
            yield (
                ItemRef(ordinal, part, offset, length, line, col, bool(closed)),
                Placement(path, slug, bool(collided), url, note),
            )

    def __getitem__(self, ordinal: object) -> Placement:
        row = self._db.execute(
            "SELECT path, slug, collided, url, note FROM plan WHERE ordinal = ?", (ordinal,)
        ).fetchone()
        if row is None:
            raise KeyError(ordinal)
        return Placement(row[0], row[1], bool(row[2]), row[3], row[4])

    def __iter__(self) -> Iterator[int]:
        for (key,) in self._db.execute("SELECT ordinal FROM plan ORDER BY ordinal"):
            yield key

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM plan").fetchone()[0]

    def paths(self) -> Iterator[str]:
        for (path,) in self._db.execute("SELECT path FROM plan ORDER BY ordinal"):
            yield path

    def urls(self) -> Iterator[str]:
        """The URL paths kept, in file order."""
        for (url,) in self._db.execute("SELECT url FROM plan WHERE url IS NOT NULL ORDER BY ordinal"):
            yield url


class RedirectTable:
    """Old URLs (path and query below the host, as the old site spelled them) and where they
    lead now, the first claim of a source kept; and the URLs the new site builds, which
    no redirect may take."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add(self, source: str, target: str, kind: TargetKind) -> None:
        self._db.execute("INSERT OR IGNORE INTO redirect VALUES (?, ?, ?)", (source, target, kind.value))

    def built(self, url: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO built VALUES (?)", (url,))

    def __iter__(self) -> Iterator[tuple[str, str, TargetKind]]:
        """``(source, target, kind)`` in source order, without sources the new site builds
        itself and without redirects to themselves."""
        rows = self._db.execute(
            "SELECT source, target, kind FROM redirect WHERE source != target "
            "AND source NOT IN (SELECT url FROM built) ORDER BY source"
        )
        for source, target, kind in rows:
            yield source, target, TargetKind(kind)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class SkippedTable(Mapping[int, ItemReport]):
    """item ordinal → the report entry of an item that is not written."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __setitem__(self, ordinal: int, entry: ItemReport) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO skipped VALUES (?, ?)", (ordinal, json.dumps(entry.to_dict(), ensure_ascii=False))
        )

    def __getitem__(self, ordinal: object) -> ItemReport:
        row = self._db.execute("SELECT entry FROM skipped WHERE ordinal = ?", (ordinal,)).fetchone()
        if row is None:
            raise KeyError(ordinal)
        return ItemReport.from_dict(json.loads(row[0]))

    def __iter__(self) -> Iterator[int]:
        for (key,) in self._db.execute("SELECT ordinal FROM skipped ORDER BY ordinal"):
            yield key

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM skipped").fetchone()[0]

    def between(self, start: int, stop: int) -> Iterator[tuple[int, ItemReport]]:
        """The entries of ordinals ``start <= ordinal < stop``, in order."""
        rows = self._db.execute(
            "SELECT ordinal, entry FROM skipped WHERE ordinal >= ? AND ordinal < ? ORDER BY ordinal", (start, stop)
        )
        for ordinal, entry in rows:
            yield ordinal, ItemReport.from_dict(json.loads(entry))


class WrittenTable(Mapping[str, str]):
    """relative path → sha256 of a written file."""

    def __init__(self, db: sqlite3.Connection, table: str) -> None:
        self._db = db
        self._table = table

    def __setitem__(self, path: str, sha: str) -> None:
        self._db.execute(f"INSERT OR REPLACE INTO {self._table} VALUES (?, ?)", (path, sha))

    def __getitem__(self, path: object) -> str:
        row = self._db.execute(f"SELECT sha FROM {self._table} WHERE path = ?", (path,)).fetchone()
        if row is None:
            raise KeyError(path)
        return row[0]

    def __iter__(self) -> Iterator[str]:
        for (key,) in self._db.execute(f"SELECT path FROM {self._table} ORDER BY path"):
            yield key

    def __len__(self) -> int:
        return self._db.execute(f"SELECT count(*) FROM {self._table}").fetchone()[0]

    def items_sorted(self) -> Iterator[tuple[str, str]]:
        yield from self._db.execute(f"SELECT path, sha FROM {self._table} ORDER BY path")
