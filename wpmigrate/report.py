"""What happened to every item of the export, and why.

One :class:`ItemReport` per item, in file order, whatever happened to it; a
summary counts them. Items withheld for privacy (private, draft, protected,
trashed) are listed without their title so the report itself leaks nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import IO, Any


@dataclass(slots=True)
class ItemReport:
    id: int | None  # None: a failed item whose id could not be read
    type: str | None
    status: str | None
    title: str | None
    action: str  # "written" | "skipped" | "failed" (malformed XML)
    reason: str | None = None
    path: str | None = None
    warnings: list[str] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    unknown_shortcodes: dict[str, int] = field(default_factory=dict)
    #: page-builder elements the renderer does not know (their text kept), by name
    builder_elements: dict[str, int] = field(default_factory=dict)
    url: str | None = None  # with a generator's layout: the URL path the item is built at
    #: with --comments: the item's comments written, and those withheld (spam, trash,
    #: unapproved, pingbacks without --pingbacks)
    comments_written: int = 0
    comments_withheld: int = 0
    #: with --media copy|download: references that now point at a file in the output folder,
    #: and the URLs kept because their file is not in --uploads
    media_local: int = 0
    media_missing: list[str] = field(default_factory=list)
    #: the item's URLs of the old site (body and front matter): ``rewritten``, ``kept`` (already
    #: right), ``unresolved``, and ``unresolved_urls`` (``{"url", "reason"}``, each URL once)
    urls: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The entry as the report's JSON shows it (empty ``removed``/``unknown_shortcodes``/
        ``builder_elements`` and a missing ``url`` left out)."""
        d: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "status": self.status,
            "title": self.title,
            "action": self.action,
            "reason": self.reason,
            "path": self.path,
            "warnings": list(self.warnings),
        }
        if self.url is not None:
            d["url"] = self.url
        if self.removed:
            d["removed"] = [dict(r) for r in self.removed]
        if self.unknown_shortcodes:
            d["unknown_shortcodes"] = dict(self.unknown_shortcodes)
        if self.builder_elements:
            d["builder_elements"] = dict(self.builder_elements)
        if self.comments_written or self.comments_withheld:
            d["comments_written"] = self.comments_written
            d["comments_withheld"] = self.comments_withheld
        if self.media_local:
            d["media_local"] = self.media_local
        if self.media_missing:
            d["media_missing"] = list(self.media_missing)
        if self.urls:
            d["urls"] = {k: (list(v) if isinstance(v, list) else v) for k, v in self.urls.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ItemReport:
        return cls(**{k: d[k] for k in d if k in _ITEM_FIELDS})


_ITEM_FIELDS = {f.name for f in fields(ItemReport)}

#: the cleaning profile whose removals are forms (each needs a form service on a static site)
FORMS_PROFILE = "forms"


class ItemLog:
    """The item entries of a report, in order, in constant memory.

    Behaves like a read-only list with ``append``. Past ``spill_after`` entries
    the older ones move to an anonymous temporary file (one JSON line each, an
    array of offsets for random access), so a report of a million items costs
    a few bytes per item in memory. Counts for the summary are kept as entries
    arrive, so the summary never rereads them.
    """

    def __init__(self, spill_after: int = 2000) -> None:
        self._spill_after = spill_after
        self._mem: list[ItemReport] = []
        self._file: Any = None
        self._offsets = array("q")
        self.counts: Counter[str] = Counter()
        self.skipped_by_reason: Counter[str] = Counter()
        self.unknown_shortcodes: Counter[str] = Counter()
        self.builder_elements: Counter[str] = Counter()
        #: forms removed, by the reason of the rule (which names the plugin)
        self.forms_removed: Counter[str] = Counter()
        self.first_warnings: list[str] = []

    def append(self, entry: ItemReport) -> None:
        self.counts["items"] += 1
        self.counts[entry.action] += 1
        if entry.action == "skipped":
            self.skipped_by_reason[entry.reason or "unknown"] += 1
        self.counts["warnings"] += len(entry.warnings)
        if any(w.startswith("path collision") for w in entry.warnings):
            self.counts["renamed"] += 1
        self.counts["removed"] += len(entry.removed)
        self.counts["comments_written"] += entry.comments_written
        self.counts["comments_withheld"] += entry.comments_withheld
        if entry.urls:
            self.counts["urls_rewritten"] += entry.urls.get("rewritten", 0)
            self.counts["urls_kept"] += entry.urls.get("kept", 0)
            self.counts["urls_unresolved"] += entry.urls.get("unresolved", 0)
        self.unknown_shortcodes.update(entry.unknown_shortcodes)
        self.builder_elements.update(entry.builder_elements)
        self.forms_removed.update(
            r.get("reason", "")
            for r in entry.removed
            if r.get("profile") == FORMS_PROFILE and r.get("action") == "removed"
        )
        for w in entry.warnings:
            if len(self.first_warnings) < 5:
                self.first_warnings.append(f"item {entry.id}: {w}")
        self._mem.append(entry)
        if len(self._mem) >= self._spill_after:
            self._spill()

    def _spill(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(mode="w+b")
        self._file.seek(0, os.SEEK_END)
        for entry in self._mem:
            self._offsets.append(self._file.tell())
            self._file.write(json.dumps(entry.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n")
        self._mem.clear()

    def __len__(self) -> int:
        return len(self._offsets) + len(self._mem)

    def _read(self, offset: int) -> ItemReport:
        self._file.seek(offset)
        return ItemReport.from_dict(json.loads(self._file.readline()))

    def __iter__(self) -> Iterator[ItemReport]:
        for offset in list(self._offsets):
            yield self._read(offset)
        yield from list(self._mem)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("report item index out of range")
        spilled = len(self._offsets)
        return self._read(self._offsets[index]) if index < spilled else self._mem[index - spilled]

    def __del__(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except Exception:
                pass


@dataclass
class MediaFailure:
    """A media file that is not in the output folder, and why."""

    url: str  # where it was to come from
    path: str  # where it was to go, relative to the output folder
    reason: str  # "HTTP 404 Not Found", "timed out after 3 attempts", "not in --uploads" …
    items: list[int] = field(default_factory=list)  # the items that reference it
    status: int | None = None  # the HTTP status of the last answer, when there was one

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "path": self.path, "reason": self.reason, "status": self.status, "items": self.items}


@dataclass
class MediaReport:
    """What ``--media copy|download`` did with the files the written items reference."""

    policy: str
    files: int = 0  # distinct files referenced
    copied: int = 0  # copied from --uploads
    downloaded: int = 0  # fetched
    unchanged: int = 0  # there already from an earlier run (or identical), not copied or fetched again
    missing: int = 0  # references kept as they were: the file is not in --uploads (see the items)
    failed: list[MediaFailure] = field(default_factory=list)
    requests: int = 0  # HTTP requests made, retries included

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "files": self.files,
            "copied": self.copied,
            "downloaded": self.downloaded,
            "unchanged": self.unchanged,
            "missing_references": self.missing,
            "requests": self.requests,
            "failed": [f.to_dict() for f in self.failed],
        }


@dataclass
class Report:
    """The account of one conversion."""

    source: str = ""
    out_dir: str = ""
    dry_run: bool = False
    items: ItemLog = field(default_factory=ItemLog)
    warnings: list[str] = field(default_factory=list)  # not tied to one item
    error: str | None = None  # set when the export broke part way
    notes: list[str] = field(default_factory=list)  # what to do by hand (a config's missing lines); also warnings
    media: MediaReport | None = None  # with --media copy|download
    #: with --redirects: ``{"file", "format", "count"}`` of the redirects file
    redirects: dict[str, Any] = field(default_factory=dict)

    @property
    def written(self) -> list[ItemReport]:
        return [i for i in self.items if i.action == "written"]

    @property
    def skipped(self) -> list[ItemReport]:
        return [i for i in self.items if i.action == "skipped"]

    def summary(self) -> dict[str, Any]:
        log = self.items
        skipped = log.skipped_by_reason
        comments = {}
        if log.counts["comments_written"] or log.counts["comments_withheld"]:
            comments = {k: log.counts[k] for k in ("comments_written", "comments_withheld")}
        urls = {}
        if any(log.counts[k] for k in ("urls_rewritten", "urls_kept", "urls_unresolved")):
            urls = {k: log.counts[k] for k in ("urls_rewritten", "urls_kept", "urls_unresolved")}
        return {
            "items": log.counts["items"],
            "written": log.counts["written"],
            "skipped": log.counts["skipped"],
            "failed": log.counts["failed"],
            "skipped_by_reason": dict(sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0]))),
            "warnings": log.counts["warnings"] + len(self.warnings),
            "renamed_on_collision": log.counts["renamed"],
            "boilerplate_removed": log.counts["removed"],
            "unknown_shortcodes": dict(sorted(log.unknown_shortcodes.items())),
            "builder_elements": dict(sorted(log.builder_elements.items())),
            "forms_removed": dict(sorted(log.forms_removed.items())),
            **comments,
            **({"media": self.media.to_dict() | {"failed": len(self.media.failed)}} if self.media else {}),
            **urls,
            **({"redirects": dict(self.redirects)} if self.redirects else {}),
            "dry_run": self.dry_run,
            "error": self.error,
        }

    def to_dict(self) -> dict[str, Any]:
        d = {
            "source": self.source,
            "out_dir": self.out_dir,
            "items": [i.to_dict() for i in self.items],
            "warnings": list(self.warnings),
        }
        if self.media is not None:
            d["media"] = self.media.to_dict()
        d["summary"] = self.summary()
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"

    def write_json(self, fh: IO[str]) -> None:
        """Write the same JSON as :meth:`to_json`, one item at a time (constant memory)."""
        fh.write("{\n")
        fh.write(f' "source": {json.dumps(self.source, ensure_ascii=False)},\n')
        fh.write(f' "out_dir": {json.dumps(self.out_dir, ensure_ascii=False)},\n')
        fh.write(' "items": [')
        for n, item in enumerate(self.items):
            fh.write(("\n  " if n == 0 else ",\n  ") + json.dumps(item.to_dict(), ensure_ascii=False))
        fh.write("\n ],\n" if len(self.items) else "],\n")
        fh.write(f' "warnings": {json.dumps(self.warnings, ensure_ascii=False)},\n')
        if self.media is not None:
            fh.write(f' "media": {json.dumps(self.media.to_dict(), ensure_ascii=False)},\n')
        fh.write(f' "summary": {json.dumps(self.summary(), ensure_ascii=False)}\n')
        fh.write("}\n")

    def format_summary(self) -> str:
        """A few lines for the terminal."""
        s = self.summary()
        verb = "would write" if self.dry_run else "wrote"
        lines = [f"{verb} {s['written']} of {s['items']} items, skipped {s['skipped']}"]
        for reason, n in s["skipped_by_reason"].items():
            lines.append(f"  skipped {n:>6}  {reason}")
        if s["failed"]:
            lines.append(f"  failed  {s['failed']:>6}  malformed XML (see the report)")
        if s["renamed_on_collision"]:
            lines.append(f"  renamed {s['renamed_on_collision']} item(s) whose paths collided")
        if s["boilerplate_removed"]:
            lines.append(f"  removed {s['boilerplate_removed']} piece(s) of boilerplate")
        if s["unknown_shortcodes"]:
            names = ", ".join(f"[{k}]×{v}" for k, v in s["unknown_shortcodes"].items())
            lines.append(f"  unknown shortcodes: {names}")
        if s["builder_elements"]:
            names = ", ".join(f"{k}×{v}" for k, v in s["builder_elements"].items())
            lines.append(f"  unknown page-builder elements (text kept): {names}")
        if "comments_written" in s:
            lines.append(
                f"  comments: {s['comments_written']} written, {s['comments_withheld']} withheld "
                "(spam, trash, unapproved, pingbacks)"
            )
        if self.media is not None:
            m = self.media
            verb = (
                "to place" if self.dry_run else f"{m.copied} copied, {m.downloaded} downloaded, {m.unchanged} unchanged"
            )
            lines.append(f"  media: {m.files} file(s) {verb}")
            if m.missing:
                lines.append(f"  media: {m.missing} reference(s) kept their URL, the file is not in --uploads")
            if m.failed:
                lines.append(f"  media: {len(m.failed)} file(s) failed (see the report's media.failed):")
                lines.extend(f"    {f.url}: {f.reason}" for f in m.failed[:5])
        if "urls_rewritten" in s:
            lines.append(
                f"  site URLs: {s['urls_rewritten']} rewritten, {s['urls_kept']} kept, "
                f"{s['urls_unresolved']} unresolved (listed per item in the report)"
            )
        if "redirects" in s:
            r = s["redirects"]
            verb = "would write" if self.dry_run else "wrote"
            lines.append(f"  {verb} {r['count']} redirect(s) to {r['file']} ({r['format']})")
        if s["forms_removed"]:
            names = ", ".join(f"{k}×{v}" for k, v in s["forms_removed"].items())
            lines.append(f"  removed forms (a static site needs a form service in their place): {names}")
        if s["warnings"]:
            lines.append(f"  {s['warnings']} warning(s); see the report for details")
            shown = (self.items.first_warnings + self.warnings)[:5]
            lines.extend(f"    {w}" for w in shown if w not in self.notes)
        for note in self.notes:
            first, *rest = note.rstrip("\n").split("\n")
            lines.append("  " + first)
            lines.extend(f"    {line}" if line else "" for line in rest)
        return "\n".join(lines)
