"""Options of a conversion, validated in one place; closed sets of choices as enums.

Configuration has one route: the defaults here, then the caller's keywords
(the CLI's flags have the same names). :meth:`ConvertOptions.validate`
collects every problem before it fails. The command line builds its
``click.Choice`` lists from these enums, so a new choice is added here once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

from wpmigrate.errors import UsageError
from wpmigrate.wordpress.post_types import INTERNAL_TYPES

__all__ = ["ConvertOptions", "MorePolicy", "ShortcodePolicy", "choices", "default_jobs"]


class ShortcodePolicy(StrEnum):
    """What becomes of a shortcode no handler knows (a plugin's)."""

    KEEP = "keep"  # exactly as written: nothing is lost
    DROP = "drop"  # the tags go, the text an enclosing one wraps stays
    COMMENT = "comment"  # the tags become HTML comments


class MorePolicy(StrEnum):
    """What becomes of ``<!--more-->``."""

    SUMMARY = "summary"  # the text before it becomes the summary field; the marker goes
    KEEP = "keep"  # the marker stays on its own line (Hugo's and Jekyll's summary divider)
    DROP = "drop"  # the marker goes


def choices(enum: type[StrEnum]) -> list[str]:
    """The values of an enum, in declaration order (for ``click.Choice`` and messages)."""
    return [member.value for member in enum]


def coerce(enum: type[StrEnum], value: object, name: str) -> StrEnum:
    """``value`` as a member of ``enum``; a :class:`UsageError` naming the option otherwise."""
    try:
        return enum(value)
    except ValueError:
        raise UsageError(f"{name} must be one of {', '.join(choices(enum))}, not {value!r}") from None


def default_jobs() -> int:
    """Worker processes when none are asked for: every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ConvertOptions:
    """Options of :func:`wpmigrate.convert`; the CLI flags have the same names."""

    types: tuple[str, ...] | None = None  # None: posts, pages and custom post types
    drafts: bool = False
    private: bool = False
    protected: bool = False
    dry_run: bool = False
    force: bool = False
    clean: bool = True
    profiles: tuple[str, ...] | None = None  # None: every bundled profile
    shortcodes: ShortcodePolicy = ShortcodePolicy.KEEP
    more: MorePolicy = MorePolicy.SUMMARY
    jobs: int | None = None  # None: every core; 1: in this process

    def validate(self) -> ConvertOptions:
        """The options with choices coerced to their enums; every problem in one :class:`UsageError`."""
        problems = []
        shortcodes, more = self.shortcodes, self.more
        try:
            shortcodes = coerce(ShortcodePolicy, self.shortcodes, "shortcodes")
        except UsageError as exc:
            problems.append(str(exc))
        try:
            more = coerce(MorePolicy, self.more, "more")
        except UsageError as exc:
            problems.append(str(exc))
        if self.types is not None:
            bad = [t for t in self.types if t in INTERNAL_TYPES]
            if bad:
                problems.append(f"types {', '.join(bad)} are internal and cannot be written")
            if not self.types:
                problems.append("types is empty")
        if self.jobs is not None and (not isinstance(self.jobs, int) or isinstance(self.jobs, bool) or self.jobs < 1):
            problems.append(f"jobs must be a whole number of at least 1, not {self.jobs!r}")
        if problems:
            raise UsageError("; ".join(problems))
        return ConvertOptions(
            self.types,
            self.drafts,
            self.private,
            self.protected,
            self.dry_run,
            self.force,
            self.clean,
            self.profiles,
            shortcodes,
            more,
            self.jobs,
        )
