"""The pipeline: read → render → clean → convert → write → report.

Two passes over the export. The first, light pass builds small indexes
(attachments for featured images and galleries, reusable blocks, the page
tree) and plans every output path, so collisions are resolved in file order
and files wpmigrate did not write are found before anything is written. The
second pass renders and writes one item at a time; no body is kept.
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from lxml import html as lxml_html

from wpmigrate import frontmatter
from wpmigrate.clean.engine import clean_html, clean_source
from wpmigrate.clean.profiles import load_profiles
from wpmigrate.errors import MalformedExportError, OutputError, UsageError
from wpmigrate.markdown import html_to_markdown
from wpmigrate.model import Attachment, BrokenItem, Index, Item, Site
from wpmigrate.render import RenderOptions, render_content
from wpmigrate.report import ItemReport, Report
from wpmigrate.store import PlanTable, Store, WrittenTable
from wpmigrate.write import (
    Manifest,
    PathPlanner,
    atomic_write_stream,
    atomic_write_text,
    item_slug,
    make_slug,
    safe_join,
    sha256,
)
from wpmigrate.wxr import Export, read_export

#: Post types WordPress and common plugins use for their own bookkeeping; never
#: written as content. Value: the reason given in the report.
INTERNAL_TYPES: dict[str, str] = {
    "attachment": "attachment (media file; used for featured images and galleries)",
    "revision": "revision",
    "nav_menu_item": "navigation menu item",
    "wp_block": "reusable block (inlined where it is used)",
    "wp_template": "block theme template",
    "wp_template_part": "block theme template part",
    "wp_global_styles": "block theme global styles",
    "wp_navigation": "navigation menu",
    "wp_font_family": "font family",
    "wp_font_face": "font face",
    "customize_changeset": "customizer changeset",
    "custom_css": "custom CSS",
    "oembed_cache": "oEmbed cache",
    "user_request": "privacy request",
    "wp_pattern": "block pattern",
    "acf-field": "Advanced Custom Fields field definition",
    "acf-field-group": "Advanced Custom Fields field group",
    "acf-post-type": "Advanced Custom Fields post type definition",
    "acf-taxonomy": "Advanced Custom Fields taxonomy definition",
    "wpcf7_contact_form": "Contact Form 7 form definition",
    "elementor_library": "Elementor template",
    "shop_order": "WooCommerce order (private customer data)",
    "shop_order_refund": "WooCommerce refund (private customer data)",
    "shop_coupon": "WooCommerce coupon",
    "shop_webhook": "WooCommerce webhook",
    "product_variation": "WooCommerce product variation (part of its product)",
    "scheduled-action": "scheduled action (Action Scheduler)",
    "mc4wp-form": "Mailchimp for WordPress form definition",
    "tablepress_table": "TablePress table data",
    "jp_pay_order": "Jetpack payment order",
    "jp_pay_product": "Jetpack payment product",
    "feedback": "contact form submission (private)",
    "amn_wpforms-lite": "WPForms notification",
    "wpforms": "WPForms form definition",
    "wpforms_log": "WPForms log",
    "et_pb_layout": "Divi layout",
    "fl-builder-template": "Beaver Builder template",
    "ct_template": "Oxygen template",
}

TYPE_FOLDERS = {"post": "posts", "page": "pages"}

SHORTCODE_POLICIES = ("keep", "drop", "comment")
MORE_POLICIES = ("summary", "keep", "drop")


@dataclass(frozen=True)
class ConvertOptions:
    """Options of :func:`convert`; the CLI flags have the same names."""

    types: tuple[str, ...] | None = None  # None: posts, pages and custom post types
    drafts: bool = False
    private: bool = False
    protected: bool = False
    dry_run: bool = False
    force: bool = False
    clean: bool = True
    profiles: tuple[str, ...] | None = None  # None: every bundled profile
    shortcodes: str = "keep"
    more: str = "summary"

    def validate(self) -> None:
        problems = []
        if self.shortcodes not in SHORTCODE_POLICIES:
            problems.append(f"shortcodes must be one of {', '.join(SHORTCODE_POLICIES)}, not {self.shortcodes!r}")
        if self.more not in MORE_POLICIES:
            problems.append(f"more must be one of {', '.join(MORE_POLICIES)}, not {self.more!r}")
        if self.types is not None:
            bad = [t for t in self.types if t in INTERNAL_TYPES]
            if bad:
                problems.append(f"types {', '.join(bad)} are internal and cannot be written")
            if not self.types:
                problems.append("types is empty")
        if problems:
            raise UsageError("; ".join(problems))


@dataclass
class Body:
    """One converted body: Markdown and what happened on the way."""

    markdown: str
    summary: str | None = None
    warnings: list[str] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    unknown_shortcodes: dict[str, int] = field(default_factory=dict)


# --- one body -------------------------------------------------------------------


class ContentPipeline:
    """render → clean → Markdown for single bodies, with profiles loaded once."""

    def __init__(self, options: ConvertOptions | None = None) -> None:
        self.options = options or ConvertOptions()
        self.render_options = RenderOptions(shortcodes=self.options.shortcodes, more=self.options.more)
        self.profiles = None
        if self.options.clean:
            self.profiles = load_profiles(list(self.options.profiles) if self.options.profiles is not None else None)

    def run(self, content: str, *, item: Item | None = None, index: Index | None = None) -> Body:
        removed: list[dict[str, Any]] = []
        if self.profiles is not None:
            content, source_removals = clean_source(content, self.profiles)
            removed.extend(_removal_dict(r) for r in source_removals)
        rendered = render_content(content, item=item, index=index, options=self.render_options)
        body_html = rendered.html
        warnings = list(rendered.warnings)
        if self.profiles is not None:
            result = clean_html(body_html, self.profiles)
            if result.needs_review:
                warnings.append("boilerplate cleaning needs review: the rules would remove too much, nothing removed")
            elif result.html is not None:
                body_html = result.html
            removed.extend(_removal_dict(r) for r in result.removed)
            removed.extend(_removal_dict(r) for r in result.flagged)
        markdown = html_to_markdown(body_html)
        summary = html_to_markdown(rendered.summary_html).strip() if rendered.summary_html else None
        return Body(
            markdown=markdown,
            summary=summary or None,
            warnings=warnings,
            removed=removed,
            unknown_shortcodes=dict(rendered.unknown_shortcodes),
        )


def _removal_dict(r: Any) -> dict[str, Any]:
    return {"rule": r.rule, "profile": r.profile, "reason": r.reason, "text": r.text, "action": r.action}


def convert_content(
    content: str,
    *,
    item: Item | None = None,
    index: Index | None = None,
    options: ConvertOptions | None = None,
) -> Body:
    """Render, clean and convert one post body (as stored in ``post_content``) to Markdown."""
    return ContentPipeline(options).run(content, item=item, index=index)


# --- selection ------------------------------------------------------------------


def selection_reason(item: Item, options: ConvertOptions) -> str | None:
    """Why ``item`` is not written, or None when it is."""
    if item.type in INTERNAL_TYPES:
        return INTERNAL_TYPES[item.type]
    if options.types is not None and item.type not in options.types:
        return f"type {item.type!r} not selected"
    status = item.status
    if status == "trash":
        return "trashed"
    if status == "auto-draft":
        return "auto-draft"
    if status == "inherit":
        return "revision or attachment (status inherit)"
    if status in ("draft", "pending", "future") and not options.drafts:
        return f"{status} (use --drafts to include)"
    if status == "private" and not options.private:
        return "private (use --private to include)"
    if status not in ("publish", "draft", "pending", "future", "private"):
        return f"unknown status {status!r}"
    if item.password and not options.protected:
        return "password-protected (use --protected to include)"
    return None


#: Reasons whose items are withheld for privacy: their titles stay out of the report.
def _private_reason(reason: str) -> bool:
    return reason.startswith(("private", "draft", "pending", "future", "password", "trashed", "auto-draft"))


# --- first pass ---------------------------------------------------------------------


@dataclass
class _Plan:
    index: Index
    paths: PlanTable  # item ordinal -> (relative path, renamed on collision)
    total: int
    offsets: Counter
    error: MalformedExportError | None = None


def add_to_index(index: Index, item: Item) -> None:
    """Record what other items may need of ``item``: an attachment's URL, alt text and
    caption (featured images, ``[caption]``, galleries), a reusable block's content."""
    if item.type == "attachment":
        index.attachments[item.id] = Attachment(
            id=item.id,
            url=item.attachment_url or item.guid,
            title=item.title,
            alt=item.meta_value("_wp_attachment_image_alt", "") or "",
            caption=item.excerpt,
            parent=item.parent,
            menu_order=item.menu_order,
        )
        if item.parent and not getattr(index.children, "derived", False):
            index.children.setdefault(item.parent, []).append(item.id)
    elif item.type == "wp_block":
        index.reusable_blocks[item.id] = item.content


def _first_pass(export: Export, options: ConvertOptions, language: str, store: Store) -> _Plan:
    """Index attachments, reusable blocks and pages; plan every output path.

    Paths are claimed in file order. Posts and custom types are claimed as they
    come; pages once the whole page tree is known (a child page may come before
    its parent), which cannot reorder anything since pages live in their own
    folder.
    """
    index = store.index()
    planner = PathPlanner(store.taken())
    paths = store.plan()
    pages: list[tuple[int, int, str, str, int]] = []  # ordinal, id, slug, title, parent
    offsets: Counter = Counter()
    total = 0
    error = None
    try:
        for ordinal, item in enumerate(export.entries()):
            total += 1
            if isinstance(item, BrokenItem):
                continue
            add_to_index(index, item)
            if item.type == "page":
                index.pages[item.id] = (item_slug(item.slug, _plain_title(item.title), item.id, language), item.parent)
            off = _utc_offset(item.date, item.date_gmt)
            if off is not None:
                offsets[off] += 1
            if selection_reason(item, options) is not None:
                continue
            if item.type == "page":
                pages.append((ordinal, item.id, item.slug, item.title, item.parent))
            else:
                slug = item_slug(item.slug, _plain_title(item.title), item.id, language)
                path, collided = planner.claim(_folder(item.type, item.id, item.parent, index, language), slug)
                paths[ordinal] = (str(path), collided)
    except MalformedExportError as exc:
        error = exc
    error = error or export.error
    for ordinal, item_id, slug, title, parent in pages:
        folder = _folder("page", item_id, parent, index, language)
        path, collided = planner.claim(folder, item_slug(slug, _plain_title(title), item_id, language))
        paths[ordinal] = (str(path), collided)
    return _Plan(index, paths, total, offsets, error)


def _folder(post_type: str, item_id: int, parent: int, index: Index, language: str) -> PurePosixPath:
    if post_type == "page":
        chain: list[str] = []
        seen = {item_id}
        while parent and parent in index.pages and parent not in seen:
            seen.add(parent)
            slug, parent_next = index.pages[parent]
            chain.append(slug)
            parent = parent_next
        return PurePosixPath("pages", *reversed(chain))
    if post_type in TYPE_FOLDERS:
        return PurePosixPath(TYPE_FOLDERS[post_type])
    name = make_slug(post_type, language) or "other"
    if name in TYPE_FOLDERS.values():
        name = f"type-{name}"
    return PurePosixPath(name)


# --- front matter -------------------------------------------------------------------


def _utc_offset(local: datetime | None, gmt: datetime | None) -> timedelta | None:
    if local is None or gmt is None:
        return None
    diff = local - gmt.replace(tzinfo=None)
    minutes = round(diff.total_seconds() / 900) * 15
    if abs(minutes) > 14 * 60:
        return None
    return timedelta(minutes=minutes)


def _aware(local: datetime | None, gmt: datetime | None, fallback: timedelta | None) -> datetime | None:
    if local is None:
        return gmt
    off = _utc_offset(local, gmt)
    if off is None:
        off = fallback
    if off is None:
        return local
    return local.replace(tzinfo=timezone(off))


_TAG_START = re.compile(r"<[A-Za-z/!]")


def _plain_title(title: str) -> str:
    """The title as visitors saw it: tags dropped, entities decoded once."""
    if "<" in title and _TAG_START.match(title, title.index("<")):
        try:
            fragment = lxml_html.fragment_fromstring(title, create_parent="span")
            return fragment.text_content()
        except Exception:  # lxml raises several types on odd input; fall back to the text
            return html.unescape(title)
    return html.unescape(title) if "&" in title else title


def _plain_text(fragment: str) -> str:
    if not fragment.strip():
        return ""
    try:
        text = lxml_html.fragment_fromstring(fragment, create_parent="div").text_content()
    except Exception:
        text = html.unescape(fragment)
    return " ".join(text.split())


class _Meta:
    """Front matter builder for one site."""

    def __init__(self, site: Site, index: Index, fallback_offset: timedelta | None) -> None:
        self.site = site
        self.index = index
        self.fallback = fallback_offset
        self.authors = {a.login: (a.display_name or a.login) for a in site.authors}
        self.tax_order: list[str] = []

    def fields(self, item: Item, body: Body) -> tuple[dict[str, Any], list[str]]:
        f: dict[str, Any] = {"title": _plain_title(item.title)}
        date = _aware(item.date, item.date_gmt, self.fallback)
        if date is not None:
            f["date"] = date
        updated = _aware(item.modified, item.modified_gmt, self.fallback)
        if updated is not None and updated != date:
            f["updated"] = updated
        if item.slug:
            f["slug"] = item.slug
        if item.author:
            f["author"] = self.authors.get(item.author, item.author)
        taxonomies: list[str] = []
        groups: dict[str, list[str]] = {}
        for term in item.terms:
            key = {"category": "categories", "post_tag": "tags"}.get(term.taxonomy, term.taxonomy)
            if key in frontmatter.FIELDS and key not in ("categories", "tags"):
                key = f"taxonomy_{key}"
            name = _plain_title(term.name).strip() or term.slug
            names = groups.setdefault(key, [])
            if name not in names:
                names.append(name)
            if key not in ("categories", "tags") and key not in taxonomies:
                taxonomies.append(key)
        f.update(groups)
        excerpt = _plain_text(item.excerpt)
        if excerpt:
            f["excerpt"] = excerpt
        if body.summary:
            f["summary"] = body.summary
        thumb = item.meta_value("_thumbnail_id")
        warnings = []
        if thumb and thumb.strip().isdigit() and int(thumb) > 0:
            att = self.index.attachments.get(int(thumb))
            if att is not None and att.url:
                f["cover_image"] = att.url
            else:
                warnings.append(f"featured image {thumb.strip()} is not in the export")
        if item.status in ("draft", "pending", "future"):
            f["draft"] = True
        f["id"] = item.id
        if item.type != "post":
            f["type"] = item.type
        if item.link:
            f["original_url"] = item.link
        return frontmatter.order_fields(f, taxonomies), warnings


# --- convert ------------------------------------------------------------------------


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
    )
    options.validate()
    exp = export if isinstance(export, Export) else read_export(export)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError("the output path exists and is not a folder", path=out)

    try:
        site = exp.site
        pipeline = ContentPipeline(options)
        with Store() as store:
            return _convert(exp, site, out, pipeline, options, store, report, progress)
    finally:
        if exp is not export:
            exp.close()


def _convert(
    exp: Export,
    site: Site,
    out: Path,
    pipeline: ContentPipeline,
    options: ConvertOptions,
    store: Store,
    report: str | os.PathLike[str] | None,
    progress: Callable[[int, int], None] | None,
) -> Report:
    dry_run, force = options.dry_run, options.force
    plan = _first_pass(exp, options, site.language, store)
    fallback = plan.offsets.most_common(1)[0][0] if plan.offsets else None

    manifest = Manifest(out, store)
    if not force and not dry_run:
        foreign = [p for p in plan.paths.paths() if manifest.foreign(p)]
        if foreign:
            listed = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise OutputError(
                f"would overwrite {len(foreign)} file(s) that wpmigrate did not write ({listed}); "
                "use --force to overwrite them",
                path=out,
            )

    rep = Report(source=exp.name, out_dir=os.fspath(out), dry_run=dry_run)
    meta = _Meta(site, plan.index, fallback)
    written = store.written()
    done = 0
    error: MalformedExportError | None = None
    try:
        for ordinal, item in enumerate(exp.entries()):
            if plan.error is not None and ordinal >= plan.total:
                break
            if isinstance(item, BrokenItem):
                rep.items.append(_failed(item))
            else:
                rep.items.append(_one(item, ordinal, plan, pipeline, meta, out, options, written))
            done += 1
            if progress is not None:
                progress(done, plan.total)
    except MalformedExportError as exc:
        error = exc
    error = error or plan.error
    rep.warnings.extend(exp.warnings)
    if error is not None:
        rep.error = str(error)
    if len(written) and not dry_run:
        manifest.save(written)
    if report is not None:
        atomic_write_stream(report, rep.write_json)
    if error is not None:
        error.report = rep  # type: ignore[attr-defined]
        raise error
    return rep


def _failed(broken: BrokenItem) -> ItemReport:
    reason = f"malformed XML at {broken.line}:{broken.column}: {broken.message}"
    return ItemReport(broken.post_id, None, None, None, "failed", reason)


def _one(
    item: Item,
    ordinal: int,
    plan: _Plan,
    pipeline: ContentPipeline,
    meta: _Meta,
    out: Path,
    options: ConvertOptions,
    written: WrittenTable,
) -> ItemReport:
    reason = selection_reason(item, options)
    if reason is not None:
        title = None if _private_reason(reason) else _plain_title(item.title)
        return ItemReport(item.id, item.type, item.status, title, "skipped", reason, None, list(item.warnings))
    rel, collided = plan.paths[ordinal]
    warnings = list(item.warnings)
    if collided:
        warnings.append(f"path collision: another item already uses this slug, written as {rel}")
    body = pipeline.run(item.content, item=item, index=plan.index)
    fields, fm_warnings = meta.fields(item, body)
    warnings.extend(fm_warnings)
    warnings.extend(body.warnings)
    text = frontmatter.render_document(fields, body.markdown)
    if not options.dry_run:
        target = safe_join(out, PurePosixPath(rel))
        atomic_write_text(target, text)
    written[rel] = sha256(text.encode("utf-8"))
    return ItemReport(
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
    )
