"""The one streaming pass of an inspection: each item is counted, then dropped.

Nothing personal is collected: authors by display name only (never their
login or e-mail address), no comment authors, no passwords.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from wpmigrate.clean import load_profiles
from wpmigrate.errors import UsageError
from wpmigrate.inspect.result import Inspection, Problem, Usage
from wpmigrate.media.paths import relative_path, uploads_file, uploads_path
from wpmigrate.model import BrokenItem, Item
from wpmigrate.render import Renderer
from wpmigrate.render.builders import BUILDERS as SHORTCODE_BUILDERS
from wpmigrate.render.builders.profiles import CORNERSTONE, DIVI, ENFOLD, FUSION, THRIVE, WPBAKERY
from wpmigrate.render.pagebuilders import BUILDERS as HTML_BUILDERS
from wpmigrate.wordpress.post_types import INTERNAL_TYPES
from wpmigrate.wordpress.shortcodes import iter_shortcodes
from wpmigrate.wordpress.spans import CODE_ELEMENTS, sub_elements
from wpmigrate.wxr import read_export

__all__ = ["inspect_export"]

#: the opening delimiter of a block (``<!-- wp:name`` or ``<!-- wp:ns/name``)
_BLOCK = re.compile(r"<!--\s+wp:([a-z][a-z0-9_-]*/)?([a-z][a-z0-9_-]*)")
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)

#: postmeta key prefixes (or whole keys) → the plugin or theme that writes them
_META_SOURCES: tuple[tuple[str, str], ...] = (
    ("_yoast_wpseo_", "Yoast SEO"),
    ("rank_math_", "Rank Math SEO"),
    ("_aioseo_", "All in One SEO"),
    ("_aioseop_", "All in One SEO"),
    ("_seopress_", "SEOPress"),
    ("_elementor_", "Elementor"),
    ("_fl_builder_", "Beaver Builder"),
    ("panels_data", "SiteOrigin Page Builder"),
    ("_et_pb_", "Divi Builder"),
    ("_wpb_", "WPBakery Page Builder"),
    ("_vc_post_settings", "WPBakery Page Builder"),
    ("fusion_builder_", "Avada (Fusion Builder)"),
    ("_fusion", "Avada (Fusion Builder)"),
    ("_avia_", "Enfold (Avia Layout Builder)"),
    ("_cornerstone_", "Cornerstone"),
    ("tcb_", "Thrive Architect"),
    ("tve_", "Thrive Architect"),
    ("_genesis_", "Genesis Framework"),
    ("_wpml_", "WPML"),
    ("_jetpack_", "Jetpack"),
    ("jetpack_", "Jetpack"),
    ("_wpcom_", "Jetpack"),
    ("_price", "WooCommerce"),
    ("_sku", "WooCommerce"),
    ("_wc_", "WooCommerce"),
    ("_product_", "WooCommerce"),
)

#: postmeta keys that mark a page built with a page builder (the key → the builder)
_BUILDER_META = {
    "_elementor_data": "Elementor",
    "_fl_builder_data": "Beaver Builder",
    "panels_data": "SiteOrigin Page Builder",
    "_et_pb_use_builder": DIVI.name,
    "_wpb_vc_js_status": WPBAKERY.name,
    "fusion_builder_status": FUSION.name,
    "_aviaLayoutBuilder_active": ENFOLD.name,
    "_cornerstone_data": CORNERSTONE.name,
    "tcb_editor_enabled": THRIVE.name,
}

_HTML_BUILDER_NAMES = {
    "elementor": "Elementor",
    "beaver-builder": "Beaver Builder",
    "siteorigin": "SiteOrigin Page Builder",
}


class _Inspector:
    def __init__(self, name: str, uploads: str | None, profiles, authors) -> None:
        self._authors = authors
        self.result = Inspection(export=name)
        self.uploads = uploads
        self.profile_set = load_profiles(profiles)
        renderer = Renderer()
        self.shortcode_registry = renderer.shortcodes
        self.block_registry = renderer.blocks
        self.cleaned_shortcodes = {r.name for r in self.profile_set.shortcode_rules}
        self.cleaned_blocks = {_block_name(r.name) for r in self.profile_set.block_rules}
        self.slugs: dict[tuple[str, str], int] = {}
        self.terms_seen: set[tuple[str, str]] = set()
        self.logins: dict[str, str] = {}

    def add(self, item: Item) -> None:
        r = self.result
        r.items += 1
        statuses = r.types.setdefault(item.type, {})
        statuses[item.status] = statuses.get(item.status, 0) + 1
        r.comments += len(item.comments)
        for warning in item.warnings:
            r.problems.append(Problem(_warning_kind(warning), warning, item=item.id, line=item.line, file=r.export))
        if item.type == "attachment":
            r.attachments += 1
            self._check_file(item)
            return
        if item.type in INTERNAL_TYPES:
            # bookkeeping, never written; a reusable block is inlined where it is used
            self._meta(item)
            if item.type == "wp_block":
                self._content(item)
            return
        if item.author:
            name = self.logins.get(item.author)
            if name is None:
                name = self.logins[item.author] = self._display_name(item.author)
            r.authors[name] = r.authors.get(name, 0) + 1
        if item.date is not None:
            r.first_date = item.date if r.first_date is None else min(r.first_date, item.date)
            r.last_date = item.date if r.last_date is None else max(r.last_date, item.date)
        for term in item.terms:
            tax = r.taxonomies.setdefault(term.taxonomy, {"terms": 0, "used": 0, "assignments": 0})
            tax["assignments"] += 1
        self._used_terms(item)
        if item.password:
            self._problem("password-protected", f"{item.type} {item.id} is password-protected", item)
        if item.slug:
            key = (item.type, item.slug)
            first = self.slugs.setdefault(key, item.id)
            if first != item.id:
                message = f"{item.type} {item.id} has the slug {item.slug!r} of {item.type} {first}"
                self._problem("duplicate-slug", message, item)
        builders = self._content(item) | self._meta(item)
        for builder in builders:
            self._count(r.page_builders, builder)

    # -- per item ----------------------------------------------------------------

    def _used_terms(self, item: Item) -> None:
        seen = self.terms_seen
        for term in item.terms:
            key = (term.taxonomy, term.slug)
            if key not in seen:
                seen.add(key)
                self.result.taxonomies[term.taxonomy]["used"] += 1

    def _content(self, item: Item) -> set[str]:
        """Count the item's shortcodes, blocks and profiles; the page builders its markup shows."""
        text = item.content
        if not text:
            return set()
        shortcodes: Counter[str] = Counter()
        if "[" in text:
            # inside <pre>, <code> … "[name]" is text that documents a shortcode
            stack = [sub_elements(text, CODE_ELEMENTS, lambda piece: "") if "<" in text else text]
            while stack:
                for sc in iter_shortcodes(stack.pop()):
                    if not (sc.plausible or self._known_shortcode(sc.name)):
                        continue  # bracketed prose, as the renderer sees it
                    shortcodes[sc.name] += 1
                    if sc.content:
                        stack.append(sc.content)
        for name, n in shortcodes.items():
            self._use(self.result.shortcodes, name, n, self._shortcode_usage)
        if "<!--" in text:
            blocks = Counter(_block_name((m.group(1) or "") + m.group(2)) for m in _BLOCK.finditer(text))
            for name, n in blocks.items():
                self._use(self.result.blocks, name, n, self._block_usage)
                namespace = name.partition("/")[0]
                if namespace != "core":
                    self._count(self.result.plugins, f"blocks: {namespace}")
        builders: set[str] = set()
        for name in shortcodes:
            usage = self.result.shortcodes[name]
            if usage.builder:
                builders.add(usage.builder)
        if "class" in text:
            tokens = {t for m in _CLASS.finditer(text) for t in (m.group(1) or m.group(2) or "").split()}
            for builder in HTML_BUILDERS:
                if any(builder.marker.match(t) for t in tokens):
                    builders.add(_HTML_BUILDER_NAMES.get(builder.name, builder.name))
        for name in self.profile_set.for_content(text).names:
            self._count(self.result.profiles, name)
        return builders

    def _meta(self, item: Item) -> set[str]:
        """Count the plugins the item's postmeta shows; the page builders it names."""
        sources: set[str] = set()
        builders: set[str] = set()
        for m in item.meta:
            if m.key in _BUILDER_META and m.value not in ("", "[]", "off", "false"):
                builders.add(_BUILDER_META[m.key])
            if m.key == "_wp_page_template" and m.value and m.value != "default":
                self._count(self.result.page_templates, m.value)
            for prefix, source in _META_SOURCES:
                if m.key.startswith(prefix):
                    sources.add(source)
                    break
        for source in sources:
            self._count(self.result.plugins, source)
        return builders

    def _check_file(self, item: Item) -> None:
        if self.uploads is None or not (item.attachment_url or item.meta_value("_wp_attached_file")):
            return
        # WordPress's own record of the file below uploads/, else the file's URL
        attached = (item.meta_value("_wp_attached_file") or "").strip()
        if attached.startswith("/") or ":" in attached:  # an absolute path of the old server
            attached = ""
        relative = (relative_path(attached) if attached else None) or uploads_path(item.attachment_url)
        if relative is not None and uploads_file(self.uploads, relative) is not None:
            return
        where = relative if relative is not None else item.attachment_url
        self._problem("missing-file", f"attachment {item.id}: {where} is not in the uploads folder", item)

    def _problem(self, kind: str, message: str, item: Item) -> None:
        self.result.problems.append(Problem(kind, message, item=item.id, file=self.result.export, line=item.line))

    # -- helpers -----------------------------------------------------------------

    def _display_name(self, login: str) -> str:
        for a in self._authors:
            if a.login == login:
                full = f"{a.first_name} {a.last_name}".strip()
                return a.display_name or full or (f"author {a.id}" if a.id is not None else "(an author)")
        return "(an author not in the export's author list)"

    def _use(self, table: dict[str, Usage], name: str, n: int, describe) -> None:
        usage = table.get(name)
        if usage is None:
            usage = table[name] = describe(name)
        usage.count += n
        usage.items += 1

    def _known_shortcode(self, name: str) -> bool:
        return name in self.cleaned_shortcodes or self.shortcode_registry.knows(name)

    def _shortcode_usage(self, name: str) -> Usage:
        builder = next((b.name for b in SHORTCODE_BUILDERS if name.startswith(b.prefixes)), None)
        if name in self.cleaned_shortcodes:
            handling = "cleaned"
        elif self._known_shortcode(name):
            handling = "rendered"
        else:
            handling = "kept"
        return Usage(name, handling=handling, builder=builder)

    def _block_usage(self, name: str) -> Usage:
        if name in self.cleaned_blocks:
            handling = "cleaned"
        elif name in self.block_registry:
            handling = "rendered"
        else:
            handling = "html"
        return Usage(name, handling=handling)

    @staticmethod
    def _count(table: dict[str, int], key: str) -> None:
        table[key] = table.get(key, 0) + 1


def _block_name(name: str) -> str:
    return name if "/" in name else f"core/{name}"


def _warning_kind(warning: str) -> str:
    if "control characters" in warning:
        return "control-characters"
    if "Windows-1252" in warning:
        return "encoding"
    return "item"


def inspect_export(path, uploads: str | os.PathLike[str] | None = None, *, profiles=None) -> Inspection:
    """Read ``path`` once and say what is inside: see :class:`Inspection`.

    ``uploads`` is a copy of the site's ``wp-content/uploads``: attachments
    whose files are missing there are listed among the problems. ``profiles``
    selects the cleaning profiles as ``convert(profiles=…)`` does. Raises
    :class:`~wpmigrate.errors.NotAnExportError` for what is no export; broken
    items are problems of the inspection, not errors.
    """
    if uploads is not None:
        uploads = os.fspath(uploads)
        if not os.path.isdir(uploads):
            raise UsageError(f"--uploads: {uploads} is not a folder")
    with read_export(path) as export:
        inspector = _Inspector(export.name, uploads, profiles, export.site.authors)
        result = inspector.result
        for entry in export.entries():
            if isinstance(entry, BrokenItem):
                result.broken += 1
                result.problems.append(
                    Problem(
                        "broken-item",
                        entry.message,
                        item=entry.post_id,
                        file=export.name,
                        line=entry.line,
                        column=entry.column,
                    )
                )
                continue
            inspector.add(entry)
        site = export.site
        for warning in export.warnings:
            result.problems.append(Problem("export", warning, file=export.name))
        if export.error is not None and not result.broken:
            result.problems.append(
                Problem(
                    "export",
                    export.error.message,
                    file=export.error.path or export.name,
                    line=export.error.line,
                    column=export.error.column,
                )
            )
        for term in (*site.categories, *site.tags, *site.terms):
            tax = result.taxonomies.setdefault(term.taxonomy, {"terms": 0, "used": 0, "assignments": 0})
            tax["terms"] += 1
        result.site = {
            "title": site.title,
            "link": site.link,
            "language": site.language,
            "base_site_url": site.base_site_url,
            "wxr_version": site.wxr_version,
            "generator": site.generator,
        }
    order = {"broken-item": 0, "export": 1, "control-characters": 2, "encoding": 2, "item": 3}
    result.problems.sort(key=lambda p: order.get(p.kind, 4))
    return result
