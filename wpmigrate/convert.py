"""The conversion: read → plan → convert every body → write → report.

Orchestration only. Two passes over the export: the first (:mod:`.plan`)
builds the small indexes and plans every output path, so collisions are
resolved in file order and files wpmigrate did not write are found before
anything is written; the second converts one item at a time
(:class:`ItemConverter`: selection, the body pipeline, front matter, the
atomic write) and keeps no body. The report lists every item in file order.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from wpmigrate import frontmatter
from wpmigrate.errors import OutputError, UsageError
from wpmigrate.fields import FieldBuilder, SiteOffsets, plain_title
from wpmigrate.model import BrokenItem, Index, Item, Site
from wpmigrate.options import ConvertOptions, default_jobs
from wpmigrate.pipeline import ContentPipeline
from wpmigrate.plan import Plan, Planner
from wpmigrate.report import ItemReport, Report
from wpmigrate.selection import check_types, is_private_reason, selection_reason
from wpmigrate.store import Store
from wpmigrate.workers import Job, convert_batch, facts_batch, run_here, run_in_pool
from wpmigrate.write import Manifest, OutputFolder, atomic_write_stream, sha256
from wpmigrate.wxr import Export, read_export

__all__ = ["ItemConverter", "convert", "failed_entry"]


def failed_entry(broken: BrokenItem) -> ItemReport:
    """The report entry of an item whose XML cannot be read."""
    reason = f"malformed XML at {broken.line}:{broken.column}: {broken.message}"
    return ItemReport(broken.post_id, None, None, None, "failed", reason)


class ItemConverter:
    """Everything needed to turn one item into its file and its report entry."""

    def __init__(
        self, options: ConvertOptions, site: Site, index: Index, offsets: SiteOffsets | None, out: Path
    ) -> None:
        self.options = options
        self.index = index
        self.folder = OutputFolder(out)
        self.pipeline = ContentPipeline(options)
        self.fields = FieldBuilder(site, index, offsets)

    def convert_entry(self, item: Item | BrokenItem, planned: tuple[str, bool] | None) -> tuple[ItemReport, str | None]:
        """``(report entry, sha256 of the file written or None)``; ``planned`` is the path from the plan."""
        if isinstance(item, BrokenItem):
            return failed_entry(item), None
        reason = selection_reason(item, self.options)
        if reason is not None or planned is None:
            reason = reason or "not planned"
            title = None if is_private_reason(reason) else plain_title(item.title)
            return ItemReport(
                item.id, item.type, item.status, title, "skipped", reason, None, list(item.warnings)
            ), None
        rel, collided = planned
        warnings = list(item.warnings)
        if collided:
            warnings.append(f"path collision: another item already uses this slug, written as {rel}")
        body = self.pipeline.run(item.content, item=item, index=self.index)
        fields, fm_warnings = self.fields.fields(item, body.summary)
        warnings.extend(fm_warnings)
        warnings.extend(body.warnings)
        text = frontmatter.render_document(fields, body.markdown)
        if not self.options.dry_run:
            self.folder.write_text(rel, text)
        entry = ItemReport(
            item.id,
            item.type,
            item.status,
            fields["title"],
            "written",
            None,
            rel,
            warnings,
            body.removed,
            body.unknown_shortcodes,
            body.builder_elements,
        )
        return entry, sha256(text.encode("utf-8"))


def convert(
    export: str | os.PathLike[str] | BinaryIO | Export,
    out_dir: str | os.PathLike[str],
    *,
    report: str | os.PathLike[str] | None = None,
    types: Iterable[str] | None = None,
    drafts: bool = False,
    private: bool = False,
    protected: bool = False,
    dry_run: bool = False,
    force: bool = False,
    clean: bool = True,
    profiles: Sequence[str | os.PathLike[str]] | None = None,
    shortcodes: str = "keep",
    more: str = "summary",
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Convert a WordPress export into Markdown files under ``out_dir``.

    Returns the :class:`~wpmigrate.report.Report` (one entry per item). When
    items of the export are malformed, every other item is written, the broken
    ones are listed as ``failed``, the report is written, and
    :class:`MalformedExportError` is raised with the report attached as ``.report``.
    """
    options = ConvertOptions(
        types=tuple(types) if types is not None else None,
        drafts=drafts,
        private=private,
        protected=protected,
        dry_run=dry_run,
        force=force,
        clean=clean,
        profiles=tuple(os.fspath(p) for p in profiles) if profiles is not None else None,
        shortcodes=shortcodes,
        more=more,
        jobs=jobs,
    ).validate()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError("the output path exists and is not a folder", path=out)
    exp = export if isinstance(export, Export) else read_export(export)
    try:
        with Store() as store:
            return _convert(exp, out, options, store, report, progress)
    finally:
        if exp is not export:
            exp.close()  # the temporary files of a compressed or piped export


def _convert(
    exp: Export,
    out: Path,
    options: ConvertOptions,
    store: Store,
    report: str | os.PathLike[str] | None,
    progress: Callable[[int, int], None] | None,
) -> Report:
    jobs = options.jobs or default_jobs()

    def run(job: Job, function, tasks, on_result) -> None:
        if jobs == 1:
            run_here(job, function, tasks, on_result)
        else:
            run_in_pool(job, function, tasks, jobs, on_result)

    # First pass: every item is read (the site is complete once it has), its facts
    # planned in file order. Broken items are reported in their place, and the
    # reader's error is raised once everything else is written.
    planner = Planner(exp.site.language, store)
    run(Job(options, exp.site, exp.loader), facts_batch, exp.refs(), planner.add)
    plan = planner.finish()
    # the export's post types are known only now; an unknown one is refused before anything is written
    type_warnings = check_types(options.types, plan.types)
    error = exp.error_for(plan.broken)

    manifest = Manifest(out, store)
    if not options.force and not options.dry_run:
        foreign = [p for p in plan.paths.paths() if manifest.foreign(p)]
        if foreign:
            listed = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise OutputError(
                f"would overwrite {len(foreign)} file(s) that wpmigrate did not write ({listed}); "
                "use --force to overwrite them",
                path=out,
            )

    rep = Report(source=exp.name, out_dir=os.fspath(out), dry_run=options.dry_run)
    written = store.written()
    in_order = _InOrder(plan, rep, progress)

    def collect(result) -> None:
        ordinal, entry, sha = result
        in_order.add(ordinal, entry)
        if sha is not None:
            written[entry.path] = sha

    # Second pass: only the items that are written are read again, from where the
    # first pass found them.
    job = Job(options, exp.site, exp.loader, store.index_path, plan.offsets, os.fspath(out))
    run(job, convert_batch, plan.paths.planned(), collect)
    in_order.finish()

    rep.warnings.extend(type_warnings)
    rep.warnings.extend(exp.warnings)
    if error is not None:
        rep.error = str(error)
    if len(written) and not options.dry_run:
        manifest.save(written)
    if report is not None:
        _write_report(report, rep)
    if error is not None:
        error.report = rep  # type: ignore[attr-defined]
        raise error
    return rep


class _InOrder:
    """The report's entries in file order: the converted items as their results
    arrive, and between them the entries the first pass made (skipped and failed
    items), read with one pass over each."""

    def __init__(self, plan: Plan, rep: Report, progress: Callable[[int, int], None] | None) -> None:
        self.plan = plan
        self.rep = rep
        self.progress = progress
        self.earlier = heapq.merge(
            plan.skipped.between(0, plan.total),
            ((b.ordinal, failed_entry(b)) for b in plan.broken),
            key=lambda pair: pair[0],
        )
        self.pending: tuple[int, ItemReport] | None = next(self.earlier, None)

    def _append(self, entry: ItemReport) -> None:
        self.rep.items.append(entry)
        if self.progress is not None:
            self.progress(len(self.rep.items), self.plan.total)

    def _until(self, ordinal: int) -> None:
        while self.pending is not None and self.pending[0] < ordinal:
            self._append(self.pending[1])
            self.pending = next(self.earlier, None)

    def add(self, ordinal: int, entry: ItemReport) -> None:
        self._until(ordinal)
        self._append(entry)

    def finish(self) -> None:
        self._until(self.plan.total)


def _write_report(path: str | os.PathLike[str], rep: Report) -> None:
    """The report, atomically; a path that cannot be written is named in the error."""
    try:
        atomic_write_stream(path, rep.write_json)
    except OSError as exc:
        raise OutputError(f"cannot write the report: {exc.strerror or exc}", path=path) from None
