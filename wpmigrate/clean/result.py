"""Types every cleaner returns: one :class:`Removal` per decision, one :class:`CleanResult` per document.

The HTML engine (``engine.py``), the Markdown and scraped-text cleaners and the
convert pipeline all speak these types, so a report line can always say which
rule of which profile removed what, and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: the closed set of things a cleaning decision can do
ACTIONS = ("removed", "unwrapped", "metadata", "flagged", "needs-review")

#: how much of a removed text a report keeps
EXCERPT_LENGTH = 120

_SPACE = re.compile(r"\s+")


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """The start of *text* with whitespace folded, at most *limit* characters."""
    folded = _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()
    if len(folded) <= limit:
        return folded
    return folded[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Removal:
    """One cleaning decision: which rule did what to which text, and why."""

    rule: str  # rule id, e.g. "zeen.promo-text"
    profile: str  # profile name, e.g. "zeen"
    reason: str
    text: str  # start of the removed text (≤ 120 chars, whitespace folded)
    action: str = "removed"  # removed | unwrapped | metadata | flagged | needs-review
    line_start: int | None = None
    line_end: int | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown cleaning action {self.action!r}")

    def as_dict(self) -> dict:
        """A JSON-ready mapping in a fixed key order (for ``--report`` lines)."""
        return {
            "action": self.action,
            "rule": self.rule,
            "profile": self.profile,
            "reason": self.reason,
            "text": self.text,
            "line_start": self.line_start,
            "line_end": self.line_end,
        }


@dataclass
class CleanResult:
    """What cleaning one document produced."""

    html: str | None = None
    markdown: str | None = None
    metadata: dict = field(default_factory=dict)  # e.g. {"title": …, "tags": [...]}
    removed: list[Removal] = field(default_factory=list)
    flagged: list[Removal] = field(default_factory=list)
    needs_review: bool = False
    changed: bool = False
    article: str | None = None  # on a whole page: which element was taken as the article, and why

    @property
    def decisions(self) -> list[Removal]:
        """Every decision, removals first, then flags, in document order within each."""
        return [*self.removed, *self.flagged]
