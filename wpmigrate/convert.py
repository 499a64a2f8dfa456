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
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from wpmigrate import frontmatter
from wpmigrate.comments import comment_records, comments_json, render_with, select_comments
from wpmigrate.errors import OutputError, RunInterrupted, UsageError, WpmigrateError, write_failure
from wpmigrate.fields import FieldBuilder, SiteOffsets, plain_title
from wpmigrate.layouts import SiteFacts, get_layout, site_base, time_zone, url_path
from wpmigrate.layouts.site import write_starter
from wpmigrate.links.chain import build_rewriter, site_hosts
from wpmigrate.links.keys import id_key, old_slug_paths, path_key
from wpmigrate.links.redirects import write_redirects
from wpmigrate.links.rewrite import UrlCounts
from wpmigrate.media.place import MediaPlacer
from wpmigrate.media.resolve import MediaResolver
from wpmigrate.model import BrokenItem, Index, Item, Placement, Site
from wpmigrate.options import CommentsPolicy, ConvertOptions, MediaPolicy, UrlPolicy, default_jobs, parse_field_map
from wpmigrate.pipeline import ContentPipeline
from wpmigrate.plan import Plan, Planner
from wpmigrate.report import ItemReport, MediaReport, Report
from wpmigrate.selection import check_types, is_private_reason, selection_reason
from wpmigrate.store import Store
from wpmigrate.workers import Job, convert_batch, facts_batch, run_here, run_in_pool
from wpmigrate.write import MANIFEST, Manifest, OutputFolder, atomic_write_stream, remove_stale_temporaries, sha256
from wpmigrate.wxr import Export, read_export

__all__ = ["ItemConverter", "convert", "failed_entry"]


def failed_entry(broken: BrokenItem) -> ItemReport:
    """The report entry of an item whose XML cannot be read."""
    reason = f"malformed XML at {broken.line}:{broken.column}: {broken.message}"
    return ItemReport(broken.post_id, None, None, None, "failed", reason)


class ItemConverter:
    """Everything needed to turn one item into its file and its report entry."""

    def __init__(
        self,
        options: ConvertOptions,
        site: Site,
        index: Index,
        offsets: SiteOffsets | None,
        out: Path,
        guarded: Mapping[str, str | None] | None = None,
    ) -> None:
        self.options = options
        self.index = index
        self.folder = OutputFolder(out, guarded)
        self.layout = get_layout(options.layout)
        self.media = (
            MediaResolver(options, site, index.media, self.layout, site_hosts(site, options))
            if options.media != MediaPolicy.KEEP
            else None
        )
        self.rewriter = build_rewriter(options, site, index, self.media)
        self.pipeline = ContentPipeline(options, rewriter=self.rewriter)
        self.fields = FieldBuilder(site, index, offsets)
        self.base_url = site_base(site)
        self.offsets = offsets
        self.render_comment = render_with(self.pipeline, index)

    def comments(self, item: Item) -> tuple[list[dict], int]:
        """``(records of the comments written, comments withheld)`` with ``--comments``."""
        if self.options.comments == CommentsPolicy.NONE:
            return [], 0
        selection = select_comments(item, pingbacks=self.options.pingbacks)
        return comment_records(item, selection, self.render_comment, self.offsets), selection.withheld

    def front_matter(
        self,
        item: Item,
        summary: str | None,
        place: Placement,
        comments: list[dict] | None = None,
        urls: UrlCounts | None = None,
    ) -> tuple[dict, list[str]]:
        """The item's front matter as its layout writes it, renamed and picked as asked.

        ``--field-map`` renames a key of wpmigrate's own (``cover_image``) before the layout
        names the keys, so the layout leaves it alone, and a key the layout named
        (``lastmod``) after; ``--fields`` picks among the final names, but never drops
        what keeps a draft out of the build."""
        fields, warnings = self.fields.fields(item, summary, place.slug)
        # the old site's URLs among the fields (cover_image …), as the body's are
        counted = self.rewriter.rewrite_fields(fields, page=item.link)
        if urls is not None:
            urls.update(counted)
        if comments:
            fields["comments"] = comments
        mapping = dict(self.options.field_map)
        if mapping:
            fields = {(mapping.pop(k) if k in mapping and k != "draft" else k): v for k, v in fields.items()}
        old = url_path(item.link, self.base_url) if self.options.urls == UrlPolicy.GENERATOR else None
        fields = self.layout.front_matter(fields, PurePosixPath(place.path), place.url, old, self._old_paths(item))
        if mapping:
            fields = {mapping.get(k, k): v for k, v in fields.items()}
        if self.options.fields is not None:
            draft = item.status in ("draft", "pending", "future")
            keep = [mapping.get(k, k) for k in self.layout.draft_keys] if draft else []
            fields = {k: fields[k] for k in dict.fromkeys((*self.options.fields, *keep)) if k in fields}
        if place.note:
            warnings.append(place.note)
        return fields, warnings

    def _old_paths(self, item: Item) -> list[str]:
        """The item's paths under its old slugs that still lead to it (no other item took them)."""
        slugs = [m.value for m in item.meta if m.key == "_wp_old_slug" and m.value.strip()]
        if not slugs:
            return []
        mine = self.index.links.get(id_key(item.id))
        paths = []
        for path in old_slug_paths(url_path(item.link, self.base_url), slugs):
            key = path_key(path)
            if mine is not None and key is not None and self.index.links.get(key) == mine:
                paths.append(path)
        return paths

    def _built_at(self, item: Item, place: Placement) -> str | None:
        """The URL path the generator builds the item at (None: a draft, or the plain layout)."""
        if not self.layout.keeps_urls or item.status in ("draft", "pending", "future"):
            return None
        return place.url or self.layout.default_url(PurePosixPath(place.path))

    def convert_entry(
        self, item: Item | BrokenItem, planned: Placement | None
    ) -> tuple[ItemReport, str | None, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """``(report entry, sha256 of the file written or None, (path, sha256) of other files
        written, (media file, URL) of the media files it references)``; ``planned`` is the
        item's place in the plan."""
        if isinstance(item, BrokenItem):
            return failed_entry(item), None, (), ()
        reason = selection_reason(item, self.options)
        if reason is not None or planned is None:
            reason = reason or "not planned"
            title = None if is_private_reason(reason) else plain_title(item.title)
            return (
                ItemReport(item.id, item.type, item.status, title, "skipped", reason, None, list(item.warnings)),
                None,
                (),
                (),
            )
        rel, collided = planned.path, planned.collided
        warnings = list(item.warnings)
        if collided:
            warnings.append(f"path collision: another item already uses this slug, written as {rel}")
        # the media resolver collects this item's media files as its URLs are rewritten
        media = self.media.begin(rel) if self.media is not None else None
        body = self.pipeline.run(item.content, item=item, index=self.index)
        comments, withheld = self.comments(item)
        in_front = self.options.comments == CommentsPolicy.FRONT_MATTER
        urls = body.urls
        fields, fm_warnings = self.front_matter(item, body.summary, planned, comments if in_front else None, urls)
        warnings.extend(fm_warnings)
        warnings.extend(body.warnings)
        text = frontmatter.render_document(fields, body.markdown, self.options.front_matter, self.layout.json_fence)
        if not self.options.dry_run:
            self.folder.write_text(rel, text)
        extra: tuple[tuple[str, str], ...] = ()
        if comments and not in_front:
            data_rel = self.layout.comments_file(item.id)
            data = comments_json(item, comments)
            if not self.options.dry_run:
                self.folder.write_text(data_rel, data)
            extra = ((data_rel, sha256(data.encode("utf-8"))),)
        entry = ItemReport(
            item.id,
            item.type,
            item.status,
            plain_title(item.title),
            "written",
            None,
            rel,
            warnings,
            body.removed,
            body.unknown_shortcodes,
            body.builder_elements,
            self._built_at(item, planned),
            len(comments),
            withheld,
            media.local if media is not None else 0,
            list(media.missing) if media is not None else [],
            _urls_entry(urls),
        )
        needed = tuple(media.needed.items()) if media is not None else ()
        return entry, sha256(text.encode("utf-8")), extra, needed


def _urls_entry(urls: UrlCounts) -> dict:
    """The ``urls`` of an item's report entry (empty when it has no URL of the old site)."""
    if not (urls.rewritten or urls.kept or urls.unresolved):
        return {}
    return {
        "rewritten": urls.rewritten,
        "kept": urls.kept,
        "unresolved": urls.unresolved,
        "unresolved_urls": list(urls.unresolved_urls),
    }


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
    layout: str = "plain",
    urls: str = "keep",
    front_matter: str = "yaml",
    field_map: str | Iterable[str] | dict[str, str] | None = None,
    fields: str | Iterable[str] | None = None,
    comments: str | bool | None = None,
    pingbacks: bool = False,
    media: str = "keep",
    uploads: str | os.PathLike[str] | None = None,
    media_host: str | Iterable[str] | None = None,
    redirects: str | os.PathLike[str] | None = None,
    redirects_format: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    media_progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Convert a WordPress export into Markdown files under ``out_dir``.

    Returns the :class:`~wpmigrate.report.Report` (one entry per item). When
    items of the export are malformed, every other item is written, the broken
    ones are listed as ``failed``, the report is written, and
    :class:`MalformedExportError` is raised with the report attached as ``.report``.

    ``progress(done, total)`` is called as items are reported, ``media_progress(done,
    total)`` as media files are placed (``media="copy"`` or ``"download"``).
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
        layout=layout,
        urls=urls,
        front_matter=front_matter,
        field_map=tuple(
            parse_field_map(field_map if isinstance(field_map, str | dict | None) else tuple(field_map)).items()
        ),
        fields=_names(fields),
        comments=_comments_policy(comments),
        pingbacks=pingbacks,
        media=media,
        uploads=os.fspath(uploads) if uploads is not None else None,
        media_host=_names(media_host) or (),
        redirects=os.fspath(redirects) if redirects is not None else None,
        redirects_format=redirects_format,
    ).validate()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError("the output path exists and is not a folder", path=out)
    exp = export if isinstance(export, Export) else read_export(export)
    try:
        with Store() as store:
            return _convert(exp, out, options, store, report, progress, media_progress)
    finally:
        if exp is not export:
            exp.close()  # the temporary files of a compressed or piped export


def _comments_policy(value: str | bool | None) -> str:
    """``comments=True`` is ``"data"``; False and None are ``"none"``."""
    if value is True:
        return CommentsPolicy.DATA.value
    if value is None or value is False:
        return CommentsPolicy.NONE.value
    return value


def _names(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """``title,date`` or ``["title", "date"]`` as a tuple of names (None: all)."""
    if value is None:
        return None
    parts = [value] if isinstance(value, str) else list(value)
    return tuple(n.strip() for p in parts for n in p.split(",") if n.strip())


def _convert(
    exp: Export,
    out: Path,
    options: ConvertOptions,
    store: Store,
    report: str | os.PathLike[str] | None,
    progress: Callable[[int, int], None] | None,
    media_progress: Callable[[int, int], None] | None = None,
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
    planner = Planner(exp.site.language, store, options, site_base(exp.site))
    try:
        run(Job(options, exp.site, exp.loader), facts_batch, exp.refs(), planner.add)
    except RunInterrupted as exc:
        stopped = RunInterrupted("interrupted while reading the export; nothing was written", signum=exc.signum)
        _stopped_report(stopped, Report(source=exp.name, out_dir=os.fspath(out), dry_run=options.dry_run), report)
        raise stopped from None
    plan = planner.finish((*exp.site.categories, *exp.site.tags, *exp.site.terms))
    # the export's post types are known only now; an unknown one is refused before anything is written
    type_warnings = check_types(options.types, plan.type_counts)
    error = exp.error_for(plan.broken)

    manifest = Manifest(out, store)
    layout = get_layout(options.layout)
    redirects_rel = _inside(out, options.redirects)
    if not options.force and not options.dry_run:
        media_folder = layout.media_folder if options.media != MediaPolicy.KEEP else None
        _check_foreign(manifest, plan, out, redirects_rel, media_folder)

    if not options.dry_run and manifest.started:
        # the files a killed run had in hand may have left their temporary files
        remove_stale_temporaries([out / MANIFEST, *(out / p for p in manifest.started)])

    rep = Report(source=exp.name, out_dir=os.fspath(out), dry_run=options.dry_run)
    written = store.written()
    in_order = _InOrder(plan, rep, progress)
    journal = None if options.dry_run else manifest.journal
    needed = store.media_needed()
    if options.media != MediaPolicy.KEEP:
        rep.media = MediaReport(options.media.value)

    def collect(result) -> None:
        ordinal, entry, sha, extra, media = result
        in_order.add(ordinal, entry)
        for file, url in media:
            needed.add(file, url, ordinal, entry.id)
        if rep.media is not None:
            rep.media.missing += len(entry.media_missing)
        if sha is not None:
            written[entry.path] = sha
            if journal is not None:
                journal.wrote(entry.path, sha, entry.id)
        for rel, extra_sha in extra:
            written[rel] = extra_sha
            if journal is not None:
                journal.wrote(rel, extra_sha, entry.id)

    def handed_out(tasks):
        # each path is journaled before its item goes to a worker, so that a run
        # killed before it hears back still knows the file as its own (the comment
        # data files, all known from the plan, first)
        for rel in plan.comment_files:
            journal.start(rel)
        if redirects_rel is not None:
            journal.start(redirects_rel)
        for task in tasks:
            journal.start(task[1].path)
            yield task

    # Second pass: only the items that are written are read again, from where the
    # first pass found them.
    guarded = {} if options.force else {rel: manifest.files.get(rel) for rel in manifest.started}
    job = Job(options, exp.site, exp.loader, store.index_path, plan.offsets, os.fspath(out), guarded)
    tasks = plan.paths.planned()
    placer: MediaPlacer | None = None
    try:
        try:
            run(job, convert_batch, tasks if journal is None else handed_out(tasks), collect)
            in_order.finish()
            if rep.media is not None:
                placer = MediaPlacer(
                    options,
                    layout,
                    MediaResolver(options, exp.site, plan.index.media, layout, site_hosts(exp.site, options)),
                    out,
                    manifest,
                    journal,
                    written,
                    media_progress,
                )
                placer.place(needed, rep.media)
        except RunInterrupted as exc:
            done = len(rep.items)
            where = f"after {done} of {plan.total} items"
            if placer is not None:
                where = f"after all {plan.total} items, with {placer.done} of {placer.total} media files placed"
            stopped: WpmigrateError = RunInterrupted(
                f"interrupted {where}; run the same command again to continue "
                f"(the {len(written)} file(s) written are kept and not written again, the rest are written)",
                signum=exc.signum,
            )
            raise stopped from None
        except OutputError as exc:
            stopped = OutputError(
                f"{exc}; {len(written)} file(s) were written, each one whole; once the cause is fixed, "
                "run the same command again to continue"
            )
            raise stopped from None
    except (RunInterrupted, OutputError) as exc:
        if journal is not None:
            journal.close()  # kept for the next run
        _stopped_report(exc, rep, report)
        raise
    if options.redirects is not None:
        try:
            media = placer.resolver if placer is not None else None
            rep.redirects = write_redirects(exp.site, options, store, out, redirects_rel, written, journal, media)
        except OutputError as exc:
            if journal is not None:
                journal.close()
            _stopped_report(exc, rep, report)
            raise

    rep.warnings.extend(type_warnings)
    rep.warnings.extend(exp.warnings)
    try:
        if not options.dry_run and error is None:
            facts = _site_facts(exp.site, plan, media=options.media != MediaPolicy.KEEP)
            starter, notes = write_starter(out, layout, facts, manifest)
            for rel, sha in starter.items():
                written[rel] = sha
            rep.warnings.extend(notes)
            rep.notes.extend(notes)
        if error is not None:
            rep.error = str(error)
        if len(written) and not options.dry_run:
            manifest.save(written)
    except OSError as exc:
        failed = OutputError(
            f"{write_failure(exc)}; the Markdown files are written, run the same command again to finish",
            path=exc.filename or out,
        )
        _stopped_report(failed, rep, report)
        raise failed from None
    finally:
        manifest.journal.close()
    if report is not None:
        _write_report(report, rep)
    if error is not None:
        error.report = rep  # type: ignore[attr-defined]
        raise error
    return rep


def _stopped_report(exc: WpmigrateError, rep: Report, report: str | os.PathLike[str] | None) -> None:
    """The report of a run that stopped part way, written and attached to ``exc`` (when its
    own path fails too, the command line prints it on standard error)."""
    rep.error = str(exc)
    if report is not None:
        try:
            _write_report(report, rep)
        except OutputError as unwritten:
            exc.report_unwritten = str(unwritten)  # type: ignore[attr-defined]
    exc.report = rep  # type: ignore[attr-defined]


def _inside(out: Path, path: str | None) -> str | None:
    """``path`` relative to the output folder when it lies inside it (``/``-separated), else None."""
    if path is None:
        return None
    try:
        rel = Path(path).resolve().relative_to(out.resolve())
    except ValueError:
        return None
    return rel.as_posix() if rel.parts else None


def _check_foreign(
    manifest: Manifest,
    plan: Plan,
    out: Path,
    redirects: str | None = None,
    media_folder: PurePosixPath | None = None,
) -> None:
    """Refuse before anything is written when a planned path holds a file wpmigrate
    did not write, or one it wrote that was changed since (a media file it placed too:
    a replaced image is the user's as much as an edited post)."""
    edited: list[str] = []
    foreign: list[str] = []
    for p in (*plan.paths.paths(), *plan.comment_files, *([redirects] if redirects else [])):
        if manifest.foreign(p):
            (edited if manifest.edited(p) else foreign).append(p)
    if media_folder is not None:
        prefix = f"{media_folder}/"
        edited.extend(p for p in manifest.files if p.startswith(prefix) and manifest.edited(p))

    def listed(paths: list[str]) -> str:
        return ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")

    if edited:
        raise OutputError(
            f"{listed(edited)}: changed since wpmigrate wrote it ({len(edited)} file(s)); "
            "move your changes elsewhere, or use --force to overwrite them",
            path=out,
        )
    if foreign:
        raise OutputError(
            f"would overwrite {len(foreign)} file(s) that wpmigrate did not write ({listed(foreign)}); "
            "use --force to overwrite them",
            path=out,
        )


def _site_facts(site: Site, plan: Plan, media: bool = False) -> SiteFacts:
    usual = plan.offsets.usual()
    return SiteFacts(
        title=plain_title(site.title),
        base_url=site_base(site),
        language=site.language,
        time_zone=time_zone(int(usual.total_seconds() // 60) if usual is not None else None),
        types=tuple(plan.types.items()),
        taxonomies=tuple(plan.taxonomies),
        media=media,
    )


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
