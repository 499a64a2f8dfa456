"""What happened to every item of the export, and why.

One :class:`ItemReport` per item, in file order, whatever happened to it; a
summary counts them. Items withheld for privacy (private, draft, protected,
trashed) are listed without their title so the report itself leaks nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ItemReport:
    id: int
    type: str
    status: str
    title: str | None
    action: str  # "written" | "skipped"
    reason: str | None = None
    path: str | None = None
    warnings: list[str] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    unknown_shortcodes: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if not d["removed"]:
            del d["removed"]
        if not d["unknown_shortcodes"]:
            del d["unknown_shortcodes"]
        return d


@dataclass
class Report:
    """The account of one conversion."""

    source: str = ""
    out_dir: str = ""
    dry_run: bool = False
    items: list[ItemReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # not tied to one item
    error: str | None = None  # set when the export broke part way

    @property
    def written(self) -> list[ItemReport]:
        return [i for i in self.items if i.action == "written"]

    @property
    def skipped(self) -> list[ItemReport]:
        return [i for i in self.items if i.action == "skipped"]

    def summary(self) -> dict[str, Any]:
        skipped = Counter(i.reason or "unknown" for i in self.items if i.action == "skipped")
        unknown: Counter[str] = Counter()
        for i in self.items:
            unknown.update(i.unknown_shortcodes)
        return {
            "items": len(self.items),
            "written": sum(1 for i in self.items if i.action == "written"),
            "skipped": sum(skipped.values()),
            "skipped_by_reason": dict(sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0]))),
            "warnings": sum(len(i.warnings) for i in self.items) + len(self.warnings),
            "renamed_on_collision": sum(
                1 for i in self.items if any(w.startswith("path collision") for w in i.warnings)
            ),
            "boilerplate_removed": sum(len(i.removed) for i in self.items),
            "unknown_shortcodes": dict(sorted(unknown.items())),
            "dry_run": self.dry_run,
            "error": self.error,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "out_dir": self.out_dir,
            "items": [i.to_dict() for i in self.items],
            "warnings": list(self.warnings),
            "summary": self.summary(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"

    def format_summary(self) -> str:
        """A few lines for the terminal."""
        s = self.summary()
        verb = "would write" if self.dry_run else "wrote"
        lines = [f"{verb} {s['written']} of {s['items']} items, skipped {s['skipped']}"]
        for reason, n in s["skipped_by_reason"].items():
            lines.append(f"  skipped {n:>6}  {reason}")
        if s["renamed_on_collision"]:
            lines.append(f"  renamed {s['renamed_on_collision']} item(s) whose paths collided")
        if s["boilerplate_removed"]:
            lines.append(f"  removed {s['boilerplate_removed']} piece(s) of boilerplate")
        if s["unknown_shortcodes"]:
            names = ", ".join(f"[{k}]×{v}" for k, v in s["unknown_shortcodes"].items())
            lines.append(f"  unknown shortcodes: {names}")
        if s["warnings"]:
            lines.append(f"  {s['warnings']} warning(s); see the report for details")
            shown = [f"item {i.id}: {w}" for i in self.items for w in i.warnings][:5] + self.warnings[:5]
            lines.extend(f"    {w}" for w in shown[:5])
        return "\n".join(lines)
