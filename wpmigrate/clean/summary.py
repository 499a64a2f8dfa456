"""What ``wpmigrate clean`` on files did: one :class:`FileResult` per file, the
:class:`CleanSummary` of the run, and the report's lines as they are written."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from wpmigrate.clean.documents import SUFFIXES
from wpmigrate.clean.result import Removal
from wpmigrate.errors import OutputError, WpmigrateError
from wpmigrate.write import atomic_write_stream

__all__ = ["CleanSummary", "FileResult", "ReportLines"]


@dataclass(frozen=True)
class FileResult:
    """What happened to one input file."""

    source: str
    kind: str  # markdown | html | text (| other: a file only copied into the mirror)
    target: str | None = None  # where the cleaned file was (or would be) written
    changed: bool = False
    written: bool = False
    needs_review: bool = False
    removed: tuple[Removal, ...] = ()
    flagged: tuple[Removal, ...] = ()
    error: WpmigrateError | None = None
    note: str = ""  # e.g. an output name changed to avoid a collision
    warnings: tuple[str, ...] = ()  # e.g. bytes that were not valid in the file's encoding


@dataclass
class CleanSummary:
    """The outcome of :func:`clean_paths`, for the command line and for callers.

    What the summary says is counted file by file as the files are done; the
    :class:`FileResult` of every file is kept in ``files`` only when asked for
    (``keep_files``, the library's default), so that a run over any number of
    files holds no more than its counts, its errors and its warnings.
    """

    files: list[FileResult] = field(default_factory=list)
    #: what the command prints on standard output: the cleaned document (one
    #: file, no ``out``), or the unified diffs (``diff``)
    output: str = ""
    check: bool = False
    dry_run: bool = False  # --check or --diff: nothing was written
    report: str | None = None
    learned: str | None = None  # path of the proposed site profile
    learned_rules: int = 0
    copied: int = 0  # other files copied unchanged into the mirrored tree
    empty_folders: list[str] = field(default_factory=list)  # folders given that hold nothing to clean
    done: int = 0  # files read and cleaned, or given up with an error
    changed_files: int = 0
    review_files: int = 0  # files the over-removal breaker held back
    flagged_decisions: int = 0
    errors: list[WpmigrateError] = field(default_factory=list)
    #: ``FILE: warning`` of every file with warnings, in input order
    file_warnings: list[str] = field(default_factory=list)
    warned_files: int = 0

    def add(self, result: FileResult, keep: bool = True) -> None:
        """Count one file's outcome (and keep it in ``files`` with ``keep``)."""
        self.done += 1
        self.changed_files += result.changed
        self.review_files += result.needs_review
        self.flagged_decisions += len(result.flagged)
        if result.error is not None:
            self.errors.append(result.error)
        if result.warnings:
            self.warned_files += 1
            self.file_warnings.extend(f"{result.source}: {w}" for w in result.warnings)
        if keep:
            self.files.append(result)

    @property
    def changed(self) -> list[FileResult]:
        """The kept files that changed (see ``keep_files``; ``changed_files`` counts them all)."""
        return [f for f in self.files if f.changed]

    @property
    def warnings(self) -> list[str]:
        """``FILE: warning`` lines, in input order."""
        kinds = ", ".join(SUFFIXES)
        empty = [f"{d}: no file to clean in this folder (looked for {kinds})" for d in self.empty_folders]
        return empty + self.file_warnings

    @property
    def exit_code(self) -> int:
        """1 on a file error, or with ``check`` when a file would change; else 0."""
        if self.errors:
            return 1
        return 1 if self.check and self.changed_files else 0

    def describe(self) -> str:
        """One line for the user, black-style."""
        n = self.done - len(self.errors)
        verb = "would be cleaned" if self.dry_run else "cleaned"
        if self.dry_run and not self.changed_files:
            parts = [f"nothing would change ({n} file{'s' if n != 1 else ''} checked)"]
        else:
            parts = [f"{self.changed_files} of {n} file{'s' if n != 1 else ''} {verb}"]
        review = self.review_files
        if review:
            parts.append(f"{review} need{'s' if review == 1 else ''} review (over-removal breaker)")
        flagged = self.flagged_decisions
        if flagged:
            parts.append(f"{flagged} flagged decision{'s' if flagged != 1 else ''}")
        if self.errors:
            parts.append(f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}")
        warned = self.warned_files
        if warned:
            parts.append(f"{warned} file{'s' if warned != 1 else ''} with warnings")
        if self.copied:
            parts.append(f"{self.copied} other file{'s' if self.copied != 1 else ''} copied")
        if self.learned:
            parts.append(
                f"{self.learned_rules} rule{'s' if self.learned_rules != 1 else ''} proposed in {self.learned}"
            )
        if self.report:
            parts.append(f"report in {self.report}")
        return ", ".join(parts)


class ReportLines:
    """The report's JSON lines, spooled as the files are done (in memory up to
    :attr:`SPOOL` bytes, then in a temporary file), written whole at the end."""

    SPOOL = 1 << 20

    def __init__(self) -> None:
        self._spool = tempfile.SpooledTemporaryFile(self.SPOOL, mode="w+", encoding="utf-8", newline="\n")

    def add(self, entry: dict) -> None:
        self._spool.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def write(self, path: Path) -> None:
        """The lines so far to *path*, atomically (an OutputError naming it on failure)."""
        self._spool.seek(0)
        try:
            atomic_write_stream(path, lambda fh: shutil.copyfileobj(self._spool, fh))
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None
        finally:
            self._spool.seek(0, os.SEEK_END)

    def close(self) -> None:
        self._spool.close()
