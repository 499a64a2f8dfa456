"""Which items of an export are written, and why the others are not.

Every item appears in the report; these rules decide what becomes a file.
Items withheld for privacy (private, draft, pending, scheduled, protected,
trashed) are listed without their title, so the report itself leaks nothing.
"""

from __future__ import annotations

from wpmigrate.errors import UnknownTypeError
from wpmigrate.model import Item
from wpmigrate.options import ConvertOptions
from wpmigrate.wordpress.post_types import INTERNAL_TYPES

__all__ = ["CORE_TYPES", "check_types", "is_private_reason", "selection_reason"]

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


#: the content types every WordPress site has (register_post_type() in wp-includes/post.php):
#: asking for one of them is never a typo, even when this export holds none
CORE_TYPES = ("post", "page")


def check_types(requested: tuple[str, ...] | None, counts: dict[str, int]) -> list[str]:
    """Check ``--types`` against the post types of the export (``counts``: type -> items).

    Only known after the first pass over the export. A core type the export has no
    item of is a warning (returned); any other type it does not hold is most likely
    a typo and raises :class:`UnknownTypeError`, naming the types the export has.
    """
    if requested is None:
        return []
    missing = [t for t in dict.fromkeys(requested) if not counts.get(t)]
    if not missing:
        return []
    writable = {t: n for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if t not in INTERNAL_TYPES}
    listed = ", ".join(f"{t} ({n})" for t, n in writable.items()) or "none that can be written"
    unknown = tuple(t for t in missing if t not in CORE_TYPES)
    if unknown:
        names = ", ".join(repr(t) for t in unknown)
        raise UnknownTypeError(
            f"--types: no post type {names} in this export; its post types: {listed}",
            types=unknown,
            counts=writable,
        )
    return [f"--types: the export has no item of type {t!r}; its post types: {listed}" for t in missing]
