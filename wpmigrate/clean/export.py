"""A WordPress export cleaned for re-import: what ``wpmigrate clean EXPORT.xml -o CLEANED.xml`` does.

The export is copied through in chunks and its items one at a time, so memory
does not grow with its size. Only the ``<content:encoded>`` of posts, pages,
custom post types and reusable blocks changes, and only where a profile removes
something; every other byte (the channel header, authors, terms, postmeta,
comments, excerpts, whitespace, the CDATA layout of untouched items) is copied
as it is.

A body is cleaned in WordPress's stored format, never re-serialised from a
tree: the blocks and shortcodes that rules name are cut out of the string
(:func:`~wpmigrate.clean.source.source_edits`, as ``convert`` does), then the
body is rendered as ``convert`` renders it, the tree rules decide on that tree
(with the over-removal breaker), and each decision is mapped back to the exact
span of the stored text (:mod:`wpmigrate.clean.splice`); what cannot be mapped
with certainty stays and is reported as not removed.

An item the reader cannot read is copied unchanged and reported with its line
(the run then exits 1, as ``convert`` does); so is an item whose body cannot be
located in its bytes with certainty. The output is written beside its target
and moved into place when complete: a failure or a stop (Ctrl-C, SIGTERM)
leaves no partial file.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from wpmigrate import stop
from wpmigrate.clean.profiles import ProfileSet, coerce_profiles
from wpmigrate.clean.storedbody import BodyCleaner
from wpmigrate.errors import InputError, MalformedExportError, OutputError, RunInterrupted, UsageError
from wpmigrate.model import BrokenItem, Item, ItemRef
from wpmigrate.wordpress.post_types import INTERNAL_TYPES
from wpmigrate.write import atomic_write_stream, remove_stale_temporaries, write_failure
from wpmigrate.wxr import Export, read_export
from wpmigrate.wxr.source import _COMPRESSED, _ZIP, Part

__all__ = ["ExportCleanSummary", "ItemChange", "clean_export", "is_export_request", "looks_like_export"]

#: internal post types whose bodies are content all the same: a reusable block is
#: inlined into the posts that use it
CONTENT_TYPES = frozenset(("wp_block",))

_COPY = 1 << 20
_SNIFF = 1 << 16
_WXR_NAMESPACE = b"wordpress.org/export/"


def looks_like_export(path: str | os.PathLike) -> bool:
    """Does the file hold a WordPress export (an ``<rss>`` root with the WXR namespace)?

    Told by content, not by name; a gzip, bzip2 or xz file is looked into, a zip
    archive of XML files counts as an export (the reader says if it is none).
    """
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF)
            if head.startswith(_ZIP):
                return True
            for magic, (_kind, opener) in _COMPRESSED.items():
                if head.startswith(magic):
                    f.seek(0)
                    with opener(f, "rb") as stream:
                        head = stream.read(_SNIFF)
                    break
    except (OSError, EOFError, ValueError):
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "replace").encode("utf-8")
    return _first_element_is_rss(head) and _WXR_NAMESPACE in head


def _first_element_is_rss(head: bytes) -> bool:
    """Is ``<rss`` the first start tag, after the XML declaration, comments and a DOCTYPE?
    (Stray text before it is allowed: the reader drops it, as WordPress's importer does.)"""
    at = head.find(b"<")
    while at >= 0:
        if head.startswith(b"<?", at):
            end = head.find(b"?>", at)
            at = head.find(b"<", end + 2) if end >= 0 else -1
        elif head.startswith(b"<!--", at):
            end = head.find(b"-->", at)
            at = head.find(b"<", end + 3) if end >= 0 else -1
        elif head.startswith(b"<!", at):
            end = head.find(b">", at)
            at = head.find(b"<", end + 1) if end >= 0 else -1
        else:
            return head.startswith(b"<rss", at) and head[at + 4 : at + 5] in (b" ", b"\t", b"\r", b"\n", b">")
    return False


def is_export_request(paths: Sequence[str | os.PathLike]) -> bool:
    """Is the command asked to clean a WordPress export? (Alone: an export is not cleaned with other inputs.)

    An ``.xml``/``.wxr`` file that is no export is one all the same, so that it
    gets the reader's clear error rather than "cannot clean a .xml file".
    """
    if len(paths) == 1 and os.path.isfile(paths[0]) and Path(paths[0]).suffix.lower() in (".xml", ".wxr"):
        return True
    exports = [p for p in paths if os.path.isfile(p) and looks_like_export(p)]
    if exports and len(paths) > 1:
        raise UsageError("a WordPress export is cleaned on its own: give it as the only path", path=exports[0])
    return bool(exports)


@dataclass(frozen=True)
class ItemChange:
    """An item whose body changed (or would change)."""

    id: int
    type: str
    title: str
    line: int  # line of its "<item"
    removed: int  # decisions that removed or unwrapped something
    kept: int = 0  # decisions that could not be carried to the stored body
    needs_review: bool = False

    def describe(self) -> str:
        """One line for ``--check``."""
        what = f"{self.removed} removal{'s' if self.removed != 1 else ''}"
        if self.needs_review:
            what += ", needs review"
        return f"item {self.id} (line {self.line}, {self.type} {self.title!r}): {what}"


@dataclass
class ExportCleanSummary:
    """The outcome of :func:`clean_export`."""

    source: str
    out: str | None = None
    check: bool = False
    report: str | None = None
    items: int = 0  # every item of the export, broken ones too
    bodies: int = 0  # bodies looked at (posts, pages, custom post types, reusable blocks)
    changed: list[ItemChange] = field(default_factory=list)
    removed: int = 0  # decisions applied to stored bodies
    kept: int = 0  # decisions that could not be mapped to the stored body, so not applied
    needs_review: int = 0  # bodies the breaker held back (their tree decisions)
    skipped: list[str] = field(default_factory=list)  # "ITEM: why its body was left as it is"
    warnings: list[str] = field(default_factory=list)
    error: MalformedExportError | None = None  # broken items (copied unchanged)

    @property
    def exit_code(self) -> int:
        """1 when items could not be read, or with ``check`` when an item would change."""
        if self.error is not None:
            return 1
        return 1 if self.check and self.changed else 0

    def describe(self) -> str:
        verb = "would change" if self.check else "cleaned"
        parts = [f"{len(self.changed)} of {self.bodies} bodies {verb} ({self.items} items)"]
        if self.removed:
            parts.append(f"{self.removed} removal{'s' if self.removed != 1 else ''}")
        if self.kept:
            parts.append(f"{self.kept} not removed (no exact span in the stored body)")
        if self.needs_review:
            parts.append(f"{self.needs_review} need{'s' if self.needs_review == 1 else ''} review (breaker)")
        if self.skipped:
            parts.append(f"{len(self.skipped)} left as they are")
        if self.out and not self.check:
            parts.append(f"written to {self.out}")
        if self.report:
            parts.append(f"report in {self.report}")
        return ", ".join(parts)


def _cleanable(item: Item) -> bool:
    return item.type not in INTERNAL_TYPES or item.type in CONTENT_TYPES


def _read_exactly(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise InputError("the export changed while it was read", path=getattr(f, "name", None))
    return data


def _copy(src: BinaryIO, dst: IO[bytes] | None, n: int) -> None:
    while n > 0:
        block = _read_exactly(src, min(n, _COPY))
        if dst is not None:
            dst.write(block)
        n -= len(block)


def clean_export(
    path: str | os.PathLike,
    out: str | os.PathLike | None = None,
    *,
    check: bool = False,
    report: str | os.PathLike | None = None,
    profiles: ProfileSet | Sequence[str | os.PathLike] | None = None,
) -> ExportCleanSummary:
    """Clean the post bodies of a WordPress export into ``out``, a new export file.

    ``check`` writes nothing (``out`` is not needed) and lists the items that
    would change; ``report`` is a JSON-lines file with one line per decision
    (``file``, ``item``, ``line_start``, ``line_end``, ``action``, ``rule``,
    ``profile``, ``reason``, ``text``; a decision that could not be carried to
    the stored body is ``flagged`` with ``not_removed`` saying why), and a
    ``warning`` line per item left as it is.

    Raises :class:`~wpmigrate.errors.NotAnExportError` for what is no export,
    :class:`~wpmigrate.errors.UsageError` for an impossible request and
    :class:`~wpmigrate.errors.OutputError` when writing fails; broken items are
    copied unchanged and given in ``summary.error`` (exit code 1).
    """
    source = Path(path)
    if out is None and not check:
        raise UsageError("a cleaned export is written to a new file: give -o CLEANED.xml (or --check)", path=source)
    target = Path(out) if out is not None else None
    if target is not None:
        if target.is_dir():
            raise UsageError("the cleaned export is one file, not a folder: give a file name", path=target)
        if target.exists() and source.exists() and os.path.samefile(target, source):
            raise UsageError(
                "-o would overwrite the export itself; write the cleaned export to a new file", path=target
            )
    pset = coerce_profiles(profiles)
    summary = ExportCleanSummary(os.fspath(source), os.fspath(target) if target is not None else None, check)
    export = read_export(source)
    try:
        _ = export.site  # the header: raises for what is no export before anything is written
        if len(export.parts) != 1:
            raise UsageError(
                f"this archive holds {len(export.parts)} XML files; clean each one on its own", path=source
            )
        part = export.parts[0]
        if part.path is None or os.path.abspath(part.path) != os.path.abspath(source):
            summary.warnings.append(
                "the export was compressed or not UTF-8: the cleaned export is the UTF-8 XML it holds"
            )
        summary.warnings.extend(export.warnings)
        run = _Run(export, part, BodyCleaner(pset, os.fspath(source)), summary)
        writes = target is not None and not check
        if writes:
            remove_stale_temporaries([target] + ([Path(report)] if report is not None else []))
        try:
            if report is not None:
                summary.report = os.fspath(report)

                def with_report(fh: IO[bytes] | None) -> None:
                    atomic_write_stream(report, lambda report_fh: run(fh, report_fh))

                if writes:
                    atomic_write_stream(target, with_report, binary=True)
                else:
                    with_report(None)
            elif writes:
                atomic_write_stream(target, lambda fh: run(fh, None), binary=True)
            else:
                run(None, None)
        except RunInterrupted as exc:
            raise RunInterrupted(
                f"interrupted after {summary.items} items; nothing was written (run the same command again)",
                signum=exc.signum,
            ) from None
        except OSError as exc:
            raise OutputError(write_failure(exc), path=target if writes else report) from None
    finally:
        export.close()
    return summary


@dataclass(frozen=True)
class _Entry:
    ref: ItemRef
    data: bytes
    item: Item | BrokenItem


def _open_part(part: Part) -> BinaryIO:
    return io.BytesIO(part.data) if part.data is not None else open(part.path, "rb")  # type: ignore[arg-type]


class _Run:
    """One pass over the export: bytes between items copied, each item cleaned or copied."""

    def __init__(self, export: Export, part: Part, cleaner: BodyCleaner, summary: ExportCleanSummary) -> None:
        self.export = export
        self.part = part
        self.cleaner = cleaner
        self.summary = summary
        self.broken: list[BrokenItem] = []

    def __call__(self, fh: IO[bytes] | None, report_fh: IO[str] | None) -> None:
        with _open_part(self.part) as src:
            for entry in self._items(src, fh):
                stop.check("interrupted")
                self._one(entry, fh, report_fh)
        self.summary.error = self.export.error_for(self.broken)

    def _items(self, src: BinaryIO, fh: IO[bytes] | None) -> Iterator[_Entry]:
        """Each item with its bytes; the bytes between items are copied to ``fh`` on the way."""
        loader = self.export.loader
        pos = 0
        for ref in self.export.refs():
            _copy(src, fh, ref.offset - pos)
            data = _read_exactly(src, ref.length)
            pos = ref.offset + ref.length
            yield _Entry(ref, data, loader.load(ref))
        # the rest of the file: the channel after the last item, "</channel></rss>"
        while block := src.read(_COPY):
            if fh is not None:
                fh.write(block)

    def _warning(self, item_id: int | None, reason: str, line: int) -> dict[str, Any]:
        return {
            "file": self.cleaner.name,
            "item": item_id,
            "action": "warning",
            "reason": reason,
            "line_start": line,
            "line_end": line,
        }

    def _one(self, entry: _Entry, fh: IO[bytes] | None, report_fh: IO[str] | None) -> None:
        summary = self.summary
        summary.items += 1
        item = entry.item
        data = entry.data
        lines: list[dict[str, Any]] = []
        if isinstance(item, BrokenItem):
            self.broken.append(item)
            lines.append(self._warning(item.post_id, f"broken item copied unchanged: {item.message}", item.line))
        elif _cleanable(item):
            summary.bodies += 1
            body = self.cleaner.item(data, item, entry.ref.line)
            if isinstance(body, str):
                summary.skipped.append(f"item {item.id} (line {entry.ref.line}): {body}")
                lines.append(self._warning(item.id, f"body left as it is: {body}", entry.ref.line))
            else:
                lines.extend({"file": self.cleaner.name, "item": item.id, **line} for line in body.lines)
                summary.removed += body.removed
                summary.kept += body.kept
                summary.needs_review += body.needs_review
                if body.data is not None:
                    data = body.data
                    summary.changed.append(
                        ItemChange(
                            item.id, item.type, item.title, entry.ref.line, body.removed, body.kept, body.needs_review
                        )
                    )
        if fh is not None:
            fh.write(data)
        if report_fh is not None:
            for line in lines:
                report_fh.write(json.dumps(line, ensure_ascii=False) + "\n")
