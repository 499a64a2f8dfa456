"""Which items of an export are written, and why the others are not.

Every item appears in the report; these rules decide what becomes a file.
Items withheld for privacy (private, draft, pending, scheduled, protected,
trashed) are listed without their title, so the report itself leaks nothing.
"""

from __future__ import annotations

from wpmigrate.model import Item
from wpmigrate.options import ConvertOptions
from wpmigrate.wordpress.post_types import INTERNAL_TYPES

__all__ = ["is_private_reason", "selection_reason"]

_PUBLISHED_OR_SELECTABLE = ("publish", "draft", "pending", "future", "private")


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
    if status not in _PUBLISHED_OR_SELECTABLE:
        return f"unknown status {status!r}"
    if item.password and not options.protected:
        return "password-protected (use --protected to include)"
    return None


def is_private_reason(reason: str) -> bool:
    """Is an item skipped for this reason withheld for privacy (its title stays out of the report)?"""
    return reason.startswith(("private", "draft", "pending", "future", "password", "trashed", "auto-draft"))
