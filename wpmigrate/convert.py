"""The conversion: read → plan → convert every body → write → report.

Orchestration only. Two passes over the export: the first (:mod:`.plan`)
builds the small indexes and plans every output path, so collisions are
resolved in file order and files wpmigrate did not write are found before
anything is written; the second converts one item at a time
(:class:`ItemConverter`: selection, the body pipeline, front matter, the
atomic write) and keeps no body. The report lists every item in file order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from wpmigrate import frontmatter
from wpmigrate.errors import OutputError, UsageError
from wpmigrate.fields import FieldBuilder, plain_title
from wpmigrate.model import BrokenItem, Index, Item, Site
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import ContentPipeline
from wpmigrate.plan import Plan, plan_items
from wpmigrate.report import ItemReport, Report
from wpmigrate.selection import is_private_reason, selection_reason
from wpmigrate.options import default_jobs
from wpmigrate.store import Store
from wpmigrate.workers import JobSpec, convert_tasks, run_tasks
from wpmigrate.write import Manifest, atomic_write_stream, atomic_write_text, safe_join, sha256
from wpmigrate.wxr import Export, read_export

__all__ = ["ItemConverter", "convert"]


class ItemConverter:
    """Everything needed to turn one item into its file and its report entry."""

    def __init__(self, options: ConvertOptions, site: Site, index: Index, fallback_offset, out: Path) -> None:
        self.options = options
        self.index = index
        self.out = out
        self.pipeline = ContentPipeline(options)
        self.fields = FieldBuilder(site, index, fallback_offset)

    def convert_entry(self, item: Item | BrokenItem, planned: tuple[str, bool] | None) -> tuple[ItemReport, str | None]:
        """``(report entry, sha256 of the file written or None)``; ``planned`` is the path from the plan."""
        if isinstance(item, BrokenItem):
            reason = f"malformed XML at {item.line}:{item.column}: {item.message}"
            return ItemReport(item.post_id, None, None, None, "failed", reason), None
        reason = selection_reason(item, self.options)
        if reason is not None or planned is None:
            reason = reason or "not planned"
            title = None if is_private_reason(reason) else plain_title(item.title)
            return ItemReport(item.id, item.type, item.status, title, "skipped", reason, None, list(item.warnings)), None
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
            atomic_write_text(safe_join(self.out, PurePosixPath(rel)), text)
        entry = ItemReport(
            item.id, item.type, item.status, fields["title"], "written", None, rel, warnings,
            body.removed, body.unknown_shortcodes,
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
    # the first pass reads every item (the site is complete once it has); the
    # reader's error, if items were broken, is raised once everything is written
    plan = plan_items(enumerate(exp.entries()), options, exp.site.language, store)
    error = exp.error
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
    done = 0

    def collect(result) -> None:
        nonlocal done
        _ordinal, entry, sha = result
        rep.items.append(entry)
        if sha is not None:
            written[entry.path] = sha
        done += 1
        if progress is not None:
            progress(done, plan.total)

    jobs = options.jobs or default_jobs()
    if jobs == 1:
        converter = ItemConverter(options, exp.site, plan.index, plan.fallback_offset, out)
        for ordinal, entry in enumerate(exp.entries()):
            for result in convert_tasks(converter, None, [(ordinal, entry, plan.paths.get(ordinal))]):
                collect(result)
    else:
        # workers parse the items themselves: a task is an item's place in the file
        spec = JobSpec(options, exp.site, store.index_path, plan.fallback_offset, os.fspath(out), exp.loader)
        tasks = ((ref.ordinal, ref, plan.paths.get(ref.ordinal)) for ref in exp.refs())
        run_tasks(spec, tasks, jobs, collect)
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


def _write_report(path: str | os.PathLike[str], rep: Report) -> None:
    """The report, atomically; a path that cannot be written is named in the error."""
    try:
        atomic_write_stream(path, rep.write_json)
    except OSError as exc:
        raise OutputError(f"cannot write the report: {exc.strerror or exc}", path=path) from None
