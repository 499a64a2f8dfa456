"""Putting the referenced media files into the output folder: copied or fetched, recorded.

Runs in the conversion's own process once every body is written (the bodies
only needed each file's target URL). Each file the written items reference
is placed once, in the layout's media folder, under its path below
``wp-content/uploads``. Like the Markdown files, each is written whole
(a temporary or partial file, then a rename) and recorded in the journal as
it lands, so a stopped run continues with a plain re-run: files already
there and unchanged are neither copied nor fetched again, and a file the
user replaced is never overwritten without ``--force``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from wpmigrate import stop
from wpmigrate.errors import OutputError, RunInterrupted, write_failure
from wpmigrate.layouts import Layout
from wpmigrate.media.download import DownloadSettings, Fetch, fetch_all, remote_size
from wpmigrate.media.paths import uploads_file
from wpmigrate.media.resolve import MediaResolver
from wpmigrate.options import ConvertOptions, MediaPolicy
from wpmigrate.report import MediaFailure, MediaReport
from wpmigrate.store import MediaNeeded
from wpmigrate.write import Journal, Manifest, atomic_write_stream, safe_join

__all__ = ["MediaPlacer", "file_sha256"]

#: how files are fetched; tests and scripts may replace it
SETTINGS = DownloadSettings()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Task:
    file: str  # below the uploads folder
    url: str
    path: str  # relative to the output folder


class MediaPlacer:
    """Places the files of one conversion and records them (``written``, the journal)."""

    def __init__(
        self,
        options: ConvertOptions,
        layout: Layout,
        resolver: MediaResolver,
        out: Path,
        manifest: Manifest,
        journal: Journal | None,
        written,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.options = options
        self.layout = layout
        self.resolver = resolver
        self.out = out
        self.manifest = manifest
        self.journal = journal
        self.written = written
        self.progress = progress
        self.done = 0
        self.total = 0

    def place(self, needed: MediaNeeded, report: MediaReport) -> None:
        """Copy or fetch every file of ``needed``; what happened goes into ``report``. Raises
        :class:`RunInterrupted` on an orderly stop (what is placed is recorded)."""
        tasks = [_Task(f, url, str(self.layout.media_path(f))) for f, url in needed.files()]
        report.files = len(tasks)
        self.total = len(tasks)
        if self.options.dry_run or not tasks:
            return
        fetches: list[tuple[_Task, Fetch]] = []
        for task in tasks:
            stop.check("interrupted while placing media files")
            target = safe_join(self.out, PurePosixPath(task.path))
            failure = self._existing(task, target, report)
            if failure is not None:
                report.failed.append(self._failure(task, failure, needed))
                self._tick()
                continue
            if task.path in self.written:
                report.unchanged += 1
                self._tick()
                continue
            source = uploads_file(self.options.uploads, task.file) if self.options.uploads else None
            if source is not None:
                self._copy(task, source, target)
                report.copied += 1
                self._tick()
            elif self.options.media == MediaPolicy.DOWNLOAD:
                fetches.append((task, Fetch(task.url, target, task.path)))
            else:
                report.failed.append(self._failure(task, "not in --uploads", needed))
                self._tick()
        if fetches:
            self._fetch(fetches, needed, report)

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def _failure(self, task: _Task, reason: str, needed: MediaNeeded, status: int | None = None) -> MediaFailure:
        return MediaFailure(task.url, task.path, reason, needed.items(task.file), status)

    def _record(self, path: str, sha: str) -> None:
        self.written[path] = sha
        if self.journal is not None:
            self.journal.wrote(path, sha, None)

    def _existing(self, task: _Task, target: Path, report: MediaReport) -> str | None:
        """Settle a target that is there already: ours and unchanged (recorded), identical to
        its source (adopted), or someone else's (the reason it is left alone)."""
        if not target.exists():
            return None
        if target.is_dir():
            return "a folder is in its place"
        sha = file_sha256(target)
        recorded = self.manifest.files.get(task.path)
        if task.path in self.manifest.started or recorded == sha:
            self._record(task.path, sha)  # written whole by an earlier run (a rename)
            return None
        if self._same_as_source(task, target, sha):
            self._record(task.path, sha)
            return None
        if self.options.force:
            return None
        if recorded is not None:
            return "changed since wpmigrate wrote it (--force replaces it)"
        return "a file wpmigrate did not write is there (--force replaces it)"

    def _same_as_source(self, task: _Task, target: Path, sha: str) -> bool:
        source = uploads_file(self.options.uploads, task.file) if self.options.uploads else None
        if source is not None:
            return file_sha256(source) == sha
        if self.options.media == MediaPolicy.DOWNLOAD:
            # a file already there with the size the server announces is not fetched again
            size = remote_size(task.url, SETTINGS, self.resolver.is_own)
            return size is not None and size == target.stat().st_size
        return False

    def _copy(self, task: _Task, source: Path, target: Path) -> None:
        if self.journal is not None:
            self.journal.start(task.path)
        digest = hashlib.sha256()

        def copy(fh) -> None:
            with open(source, "rb") as src:
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    fh.write(chunk)

        try:
            atomic_write_stream(target, copy, binary=True)
        except OSError as exc:
            raise OutputError(write_failure(exc), path=task.path) from None
        self._record(task.path, digest.hexdigest())

    def _fetch(self, fetches: list[tuple[_Task, Fetch]], needed: MediaNeeded, report: MediaReport) -> None:
        tasks = {f.key: t for t, f in fetches}

        def started():
            for task, job in fetches:
                if self.journal is not None:
                    self.journal.start(task.path)
                yield job

        stopped = False
        for result in fetch_all(started(), SETTINGS, self.resolver.is_own, lambda: stop.requested() is not None):
            task = tasks[result.fetch.key]
            report.requests += result.requests
            if result.ok and result.sha256 is not None:
                self._record(task.path, result.sha256)
                report.downloaded += 1
            elif result.cancelled:
                stopped = True
                continue
            else:
                report.failed.append(self._failure(task, result.reason, needed, result.status))
            self._tick()
        if stopped or stop.requested() is not None:
            raise RunInterrupted("interrupted while fetching media files", signum=stop.requested() or 2)
