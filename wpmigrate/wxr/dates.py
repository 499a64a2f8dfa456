"""Dates as WordPress writes them in an export.

``wp:post_date`` and friends come from MySQL ``DATETIME`` columns, written as
``YYYY-MM-DD HH:MM:SS`` in the site's time zone (``*_gmt`` in UTC), and
``0000-00-00 00:00:00`` for "never" (drafts have no GMT date until published).
``pubDate`` is RFC 822, from ``mysql2date( 'D, d M Y H:i:s +0000', … )``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_FALLBACK_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def parse_local_date(value: str) -> datetime | None:
    """``2024-03-01 12:00:00`` → naive datetime; ``0000-00-00 00:00:00`` or junk → None."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is not None and parsed.tzinfo is None:
        return parsed
    for fmt in _FALLBACK_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def parse_gmt_date(value: str) -> datetime | None:
    """A ``*_gmt`` field as an aware UTC datetime (None for the zero date)."""
    d = parse_local_date(value)
    return d.replace(tzinfo=UTC) if d else None


def parse_rfc822(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
