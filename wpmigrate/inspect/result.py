"""What an inspection found: :class:`Inspection`, its stable JSON shape and its text.

``Inspection.to_dict()`` is what ``wpmigrate inspect --json`` prints (its
``version`` changes when a key changes meaning or goes); ``format_text()`` is
the human-readable account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["SCHEMA_VERSION", "Inspection", "Problem", "Usage"]

#: the version of the shape ``to_dict()`` returns; raised when a key changes meaning or goes
SCHEMA_VERSION = 1


@dataclass
class Usage:
    """How often a shortcode or block is used, and what wpmigrate does with it."""

    name: str
    count: int = 0  # occurrences
    items: int = 0  # items it occurs in
    #: rendered (a handler of wpmigrate's renderer), cleaned (a cleaning profile removes it),
    #: kept (a shortcode no handler knows: left as text, see --shortcodes), html (a block
    #: without a handler: its saved HTML is converted, as WordPress shows a static block)
    handling: str = "kept"
    builder: str | None = None  # the page builder it belongs to

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "count": self.count,
            "items": self.items,
            "handling": self.handling,
            "builder": self.builder,
        }


@dataclass(frozen=True)
class Problem:
    """Something in the export a user should know of before converting."""

    kind: str  # broken-item | control-characters | duplicate-slug | password-protected | missing-file | export
    message: str
    item: int | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "message": self.message,
            "item": self.item,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }

    def where(self) -> str:
        if self.file is None:
            return f"item {self.item}" if self.item is not None else ""
        place = self.file
        if self.line is not None:
            place += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return place


@dataclass
class Inspection:
    """What :func:`inspect_export` found; ``to_dict()`` is the ``inspect --json`` shape."""

    export: str
    site: dict[str, str] = field(default_factory=dict)
    items: int = 0
    broken: int = 0
    #: post type → status → items
    types: dict[str, dict[str, int]] = field(default_factory=dict)
    #: display name → items
    authors: dict[str, int] = field(default_factory=dict)
    #: taxonomy → {"terms": declared in the channel, "used": distinct terms on items, "assignments": n}
    taxonomies: dict[str, dict[str, int]] = field(default_factory=dict)
    first_date: datetime | None = None
    last_date: datetime | None = None
    shortcodes: dict[str, Usage] = field(default_factory=dict)
    blocks: dict[str, Usage] = field(default_factory=dict)
    #: builder → items built with it
    page_builders: dict[str, int] = field(default_factory=dict)
    #: plugin or theme → items that show it
    plugins: dict[str, int] = field(default_factory=dict)
    #: page template (``_wp_page_template``) → items
    page_templates: dict[str, int] = field(default_factory=dict)
    #: cleaning profile → items it applies to
    profiles: dict[str, int] = field(default_factory=dict)
    comments: int = 0
    attachments: int = 0
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict:
        def usages(table: dict[str, Usage]) -> list[dict]:
            return [u.to_dict() for u in sorted(table.values(), key=lambda u: (-u.count, u.name))]

        return {
            "version": SCHEMA_VERSION,
            "export": self.export,
            "site": dict(self.site),
            "items": self.items,
            "broken": self.broken,
            "types": {t: dict(sorted(s.items())) for t, s in sorted(self.types.items())},
            "authors": _by_count(self.authors),
            "taxonomies": {t: dict(v) for t, v in sorted(self.taxonomies.items())},
            "dates": {
                "first": self.first_date.isoformat(sep=" ") if self.first_date else None,
                "last": self.last_date.isoformat(sep=" ") if self.last_date else None,
            },
            "shortcodes": usages(self.shortcodes),
            "blocks": usages(self.blocks),
            "page_builders": _by_count(self.page_builders),
            "plugins": _by_count(self.plugins),
            "page_templates": _by_count(self.page_templates),
            "profiles": _by_count(self.profiles),
            "comments": self.comments,
            "attachments": self.attachments,
            "problems": [p.to_dict() for p in self.problems],
        }

    def format_text(self) -> str:
        """The human-readable account ``wpmigrate inspect`` prints."""
        d = self.to_dict()
        out: list[str] = []
        title = self.site.get("title") or "(untitled)"
        out.append(f"{self.export}: {title} {self.site.get('link', '')}".rstrip())
        if self.site.get("generator") or self.site.get("wxr_version"):
            out.append(f"  WXR {self.site.get('wxr_version', '?')}, {self.site.get('generator') or 'no generator'}")
        out.append(f"  {self.items} item(s), {self.broken} broken; {self.comments} comment(s)")
        if self.first_date:
            out.append(f"  dates: {d['dates']['first']} … {d['dates']['last']}")
        out.append("Post types:")
        for t, statuses in d["types"].items():
            total = sum(statuses.values())
            detail = ", ".join(f"{s} {n}" for s, n in statuses.items())
            out.append(f"  {t:<20} {total:>6}  ({detail})")
        _section(out, "Authors", d["authors"])
        if d["taxonomies"]:
            out.append("Taxonomies:")
            for t, v in d["taxonomies"].items():
                out.append(f"  {t:<20} {v['terms']:>6} term(s), {v['used']} used on items ({v['assignments']} times)")
        for label, rows in (("Shortcodes", d["shortcodes"]), ("Blocks", d["blocks"])):
            if rows:
                out.append(f"{label}:")
                for u in rows:
                    builder = f"  [{u['builder']}]" if u["builder"] else ""
                    out.append(
                        f"  {u['name']:<32} {u['count']:>6} in {u['items']:>5} item(s)  {u['handling']}{builder}"
                    )
        _section(out, "Page builders", d["page_builders"])
        _section(out, "Plugins and themes", d["plugins"])
        _section(out, "Page templates", d["page_templates"])
        _section(out, "Cleaning profiles that apply", d["profiles"])
        if self.problems:
            out.append(f"Problems ({len(self.problems)}):")
            for p in self.problems:
                where = p.where()
                out.append(f"  {p.kind}: {where + ': ' if where else ''}{p.message}")
        else:
            out.append("Problems: none")
        return "\n".join(out) + "\n"


def _by_count(table: dict[str, int]) -> dict[str, int]:
    return dict(sorted(table.items(), key=lambda kv: (-kv[1], kv[0])))


def _section(out: list[str], label: str, rows: dict[str, int]) -> None:
    if rows:
        out.append(f"{label}:")
        out.extend(f"  {name:<32} {n:>6}" for name, n in rows.items())
