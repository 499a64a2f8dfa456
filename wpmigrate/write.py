"""Output paths, collisions and atomic writes.

* Slugs are made safe with python-slugify. Non-ASCII letters are
  transliterated (``über`` → ``uber``; with a German site language
  ``über`` → ``ueber``, ``ß`` → ``ss``) so paths work on every file system
  and web server. An empty slug falls back to the title, then to the item id.
* No path can leave the output folder: every part is a slug (no ``/``, no
  ``..``), names Windows reserves (``con``, ``nul``, ``com1`` …) get a suffix,
  and the final path is checked to lie inside the output folder.
* Two items that would share a path are both written: the later one (in file
  order) gets ``-2``, ``-3`` … and the report says so.
* Files are written atomically (temporary file in the same folder, then
  ``os.replace``), and a manifest (``.wpmigrate-manifest.jsonl``) records what
  wpmigrate wrote, so that a re-run may replace its own files but never a file
  it did not write (unless forced).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import IO, Any

from slugify import slugify

from wpmigrate.errors import OutputError, write_failure

MANIFEST = ".wpmigrate-manifest.jsonl"
#: the journal of a run under way: OUT/.wpmigrate/journal.jsonl
STATE_DIR = ".wpmigrate"
JOURNAL = "journal.jsonl"
MAX_SLUG = 80

_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}

#: Transliteration rules per language, applied before python-slugify's own
#: (which would turn ``ü`` into ``u``). Keys are language prefixes.
_REPLACEMENTS: dict[str, list[list[str]]] = {
    "de": [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"], ["ẞ", "SS"]],
    "da": [["Æ", "Ae"], ["Ø", "Oe"], ["Å", "Aa"], ["æ", "ae"], ["ø", "oe"], ["å", "aa"]],
    "nb": [["Æ", "Ae"], ["Ø", "Oe"], ["Å", "Aa"], ["æ", "ae"], ["ø", "oe"], ["å", "aa"]],
    "sv": [["Å", "A"], ["Ä", "A"], ["Ö", "O"], ["å", "a"], ["ä", "a"], ["ö", "o"]],
}


def make_slug(text: str, language: str = "") -> str:
    """A file-system- and URL-safe slug, or ``""`` when nothing usable is left."""
    lang = language.lower().replace("_", "-").split("-")[0]
    slug = slugify(
        text,
        max_length=MAX_SLUG,
        word_boundary=True,
        save_order=True,
        replacements=_REPLACEMENTS.get(lang, []),
    )
    if slug in _RESERVED:
        slug += "-"
    return slug


def item_slug(slug: str, title: str, item_id: int, language: str = "") -> str:
    """Slug from ``post_name``, else the title, else ``item-<id>``."""
    for candidate in (slug, title):
        s = make_slug(candidate, language) if candidate else ""
        if s:
            return s
    return f"item-{item_id}"


class TakenNames(set):
    """Names handed out, in memory."""

    def claim(self, name: str) -> bool:
        """Take ``name``; False when it was taken already."""
        if name in self:
            return False
        self.add(name)
        return True


class PathPlanner:
    """Hands out unique relative output paths, deterministically, in call order.

    ``taken`` holds the names handed out: anything with ``claim(name) -> bool``
    (False when the name was taken already); a :class:`TakenNames` by default,
    the conversion passes a disk-backed one so memory stays flat.
    """

    def __init__(self, taken: Any = None) -> None:
        self._taken = taken if taken is not None else TakenNames()

    def claim(
        self,
        folder: PurePosixPath,
        slug: str,
        suffix: str = ".md",
        reserved: frozenset[str] = frozenset(),
        scope: str | None = None,
    ) -> tuple[PurePosixPath, bool]:
        """Return (path, collided): ``folder/slug.md``, or ``folder/slug-N.md`` when taken
        (or when ``slug`` is one of the ``reserved`` names). With a ``scope`` (a post
        type) the slug is also unique in it, across folders: two nested pages called
        ``team`` under different parents are ``team`` and ``team-2``, so a generator's
        ``/:slug/`` URLs cannot make one page of them."""
        n = 1
        collided = False
        while True:
            name = slug if n == 1 else f"{slug}-{n}"
            if name in reserved:
                collided = True
                n += 1
                continue
            if scope is not None and not self._taken.claim(f"slug:{scope}:{name}".casefold()):
                collided = True
                n += 1
                continue
            path = folder / f"{name}{suffix}"
            key = str(path).casefold()
            # a file "a.md" and a folder "a/" may coexist, but two files may not
            if self._taken.claim(key):
                return path, collided
            collided = True
            n += 1


def _joined(root: Path, rel: PurePosixPath) -> Path:
    """``root/rel`` for a relative path of plain names (no ``..``, nothing absolute)."""
    if rel.is_absolute() or any(part in ("", ".", "..") for part in rel.parts):
        raise OutputError(f"refusing unsafe output path {str(rel)!r}", path=root)
    return root.joinpath(*rel.parts)


def safe_join(root: Path, rel: PurePosixPath) -> Path:
    """``root/rel``, refusing anything that would land outside ``root`` (links included)."""
    target = _joined(root, rel)
    root_resolved = root.resolve()
    parent = target.parent.resolve()
    if parent != root_resolved and root_resolved not in parent.parents:
        raise OutputError(f"refusing output path {str(rel)!r}: it leaves the output folder", path=root)
    return target


class OutputFolder:
    """The output folder of one conversion: :func:`safe_join` and atomic writes, with
    each folder's checks and creation done once rather than once per file."""

    def __init__(self, root: Path, guarded: Mapping[str, str | None] | None = None) -> None:
        self.root = root
        self._checked: set[str] = set()  # relative folders known to lie inside root, and to exist
        #: files a stopped run had in hand (path → sha256 of wpmigrate's copy before it, or
        #: None): the file there is that run's only if it is what this run writes or what was
        #: there before; anything else was changed since that run wrote it
        self.guarded = guarded or {}

    def write_text(self, rel: str, text: str) -> None:
        """Write ``text`` to ``root/rel`` atomically (``rel`` a planned relative path)."""
        rel_path = PurePosixPath(rel)
        folder = str(rel_path.parent)
        if folder not in self._checked:
            target = safe_join(self.root, rel_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            self._checked.add(folder)
        else:
            target = _joined(self.root, rel_path)
        data = text.encode("utf-8")
        try:
            with open(target, "rb") as fh:
                if fh.read(len(data) + 1) == data:
                    return  # unchanged (a re-run after an interruption): not written again
                if rel in self.guarded:
                    fh.seek(0)
                    if sha256(fh.read()) != self.guarded[rel]:
                        raise OutputError(
                            "changed since a stopped run wrote it (or that run had other options); "
                            "move your changes elsewhere, or use --force to overwrite it",
                            path=rel,
                        )
        except OSError:
            pass
        try:
            _replace(target, lambda fh: fh.write(data), binary=True)
        except OSError as exc:
            # disk full, permission denied, read-only file system, name too long …
            raise OutputError(write_failure(exc), path=rel) from None


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    atomic_write_stream(path, lambda fh: fh.write(data), binary=True)


def atomic_write_stream(
    path: str | os.PathLike[str], write: Callable[[IO[Any]], object], *, binary: bool = False
) -> None:
    """Call ``write(fh)`` on a temporary file beside ``path``, then move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, write, binary=binary)


def _replace(path: Path, write: Callable[[IO[Any]], object], *, binary: bool) -> None:
    """:func:`atomic_write_stream` into a folder that exists."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # No fsync: os.replace makes the write atomic for readers and against
        # interruption; syncing every one of 50,000 files would triple the run.
        if binary:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                write(fh)
        try:
            mode = os.stat(path).st_mode & 0o777  # a file replaced keeps its permissions
        except OSError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


#: the temporary file of :func:`_replace` (``tempfile.mkstemp``: 8 random characters)
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")


def remove_stale_temporaries(names: Iterable[Path]) -> int:
    """Remove the temporary files a killed run (kill -9, a power cut) left beside
    ``names``, the files it was writing; each folder is listed once. Returns how many."""
    wanted: dict[Path, set[str]] = {}
    for path in names:
        wanted.setdefault(path.parent, set()).add(path.name)
    removed = 0
    for folder, files in wanted.items():
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            found = _TEMPORARY.fullmatch(entry)
            if found and found.group("name") in files:
                try:
                    os.unlink(folder / entry)
                    removed += 1
                except OSError:
                    pass
    return removed


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Manifest:
    """What wpmigrate wrote into an output folder: relative path → sha256.

    Stored as JSON lines in ``OUT/.wpmigrate-manifest.jsonl`` (a header line,
    then one ``{"path", "sha256"}`` line per file, sorted), so it is read and
    written one line at a time. ``files`` is a dict, or the disk-backed table a
    conversion passes in.
    """

    def __init__(self, root: Path, store: Any = None) -> None:
        self.root = root
        self.path = root / MANIFEST
        self.files: Any = store.manifest() if store is not None else {}
        if self.path.is_file():
            try:
                with open(self.path, encoding="utf-8") as fh:
                    for line in fh:
                        entry = json.loads(line)
                        if isinstance(entry, dict) and "path" in entry and "sha256" in entry:
                            self.files[str(entry["path"])] = str(entry["sha256"])
            except (OSError, ValueError, UnicodeDecodeError):
                pass  # an unreadable manifest protects nothing: every existing file counts as foreign
        # what an interrupted run wrote, newer than the manifest
        self.journal = Journal(root)
        self.started: set[str] = set()
        for rel, sha in self.journal.read(self.started):
            self.files[rel] = sha

    def edited(self, rel: str) -> bool:
        """True when ``rel`` is a file wpmigrate wrote that was changed since."""
        return rel not in self.started and rel in self.files and self.foreign(rel)

    def foreign(self, rel: str) -> bool:
        """True when ``rel`` exists in the folder but is not (unchanged) ours."""
        target = self.root / rel
        if not target.exists():
            return False
        if target.is_dir():
            return True
        if rel in self.started:
            # handed to a worker by a run killed before it heard back: the file is the
            # one that run wrote (it was not there, or was ours, when the run began)
            return False
        recorded = self.files.get(rel)
        if recorded is None:
            return True
        try:
            return sha256(target.read_bytes()) != recorded
        except OSError:
            return True

    def save(self, written: Any) -> None:
        """Record ``written`` (path → sha256) on top of what earlier runs wrote."""
        for rel in written:
            self.files[rel] = written[rel]

        def lines(fh: IO[str]) -> None:
            fh.write(json.dumps({"tool": "wpmigrate", "manifest": 1}) + "\n")
            # a disk-backed table hands its rows out sorted; a dict is sorted here
            rows = self.files.items_sorted() if hasattr(self.files, "items_sorted") else sorted(self.files.items())
            for rel, sha in rows:
                fh.write(json.dumps({"path": rel, "sha256": sha}, ensure_ascii=False) + "\n")

        atomic_write_stream(self.path, lines)
        self.journal.remove()  # the manifest now holds what the journal recorded


class Journal:
    """What a run under way has written, one JSON line per event, flushed as it goes.

    ``OUT/.wpmigrate/journal.jsonl``: ``{"start": path}`` before an item is handed to a
    worker, ``{"path", "sha256", "item"}`` once its file is written. Only the
    conversion's own process writes it, so a worker killed part way cannot corrupt
    it; a line torn by a kill is ignored when it is read. A finished run folds it
    into the manifest and removes it; after an interruption (Ctrl-C, SIGTERM,
    kill -9, a full disk) the next run reads it, so the files already written are
    known as wpmigrate's and are not written again.
    """

    def __init__(self, root: Path) -> None:
        self.folder = root / STATE_DIR
        self.path = self.folder / JOURNAL
        self._fh: IO[str] | None = None

    def read(self, started: set[str]) -> Iterator[tuple[str, str]]:
        """``(path, sha256)`` of each file recorded, in order; paths handed out but not
        recorded as written are added to ``started``."""
        try:
            fh = open(self.path, encoding="utf-8")
        except OSError:
            return
        with fh:
            for line in fh:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # torn by a kill
                if not isinstance(entry, dict):
                    continue
                if "start" in entry:
                    started.add(str(entry["start"]))
                elif "path" in entry and "sha256" in entry:
                    started.discard(str(entry["path"]))
                    yield str(entry["path"]), str(entry["sha256"])

    def _open(self) -> IO[str]:
        if self._fh is None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._fh = open(self.path, "a", encoding="utf-8")
                if self._torn():
                    self._fh.write("\n")  # the torn line stays apart: this run's first line is read whole
            except OSError as exc:
                raise OutputError(f"cannot write the journal: {write_failure(exc)}", path=self.path) from None
        return self._fh

    def _torn(self) -> bool:
        """True when the journal's last line was cut off (the run that wrote it was killed)."""
        try:
            with open(self.path, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                if fh.tell() == 0:
                    return False
                fh.seek(-1, os.SEEK_END)
                return fh.read(1) != b"\n"
        except OSError:
            return False

    def _append(self, entry: dict) -> None:
        fh = self._open()
        try:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()  # in the operating system's hands: a kill -9 of this process loses nothing
        except OSError as exc:
            raise OutputError(f"cannot write the journal: {write_failure(exc)}", path=self.path) from None

    def start(self, rel: str) -> None:
        self._append({"start": rel})

    def wrote(self, rel: str, sha: str, item: int | None) -> None:
        self._append({"path": rel, "sha256": sha, "item": item})

    def close(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
            self._fh = None

    def remove(self) -> None:
        self.close()
        for remove in (self.path.unlink, self.folder.rmdir):
            try:
                remove()
            except OSError:
                pass  # not there, or the folder holds something else
