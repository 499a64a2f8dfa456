"""The keys under which the first pass files old URLs (``Index.links``), and the resolvers look them up.

One function per kind of key, so the writer (:mod:`wpmigrate.plan`) and the
readers (:mod:`wpmigrate.links.internal`, :mod:`wpmigrate.links.redirects`)
cannot disagree on a spelling.
"""

from __future__ import annotations

from wpmigrate.layouts.base import url_path

__all__ = ["id_key", "path_key", "slug_key", "term_key"]


def id_key(post_id: int) -> str:
    """An item by its post id (``?p=``, ``?page_id=``, ``?attachment_id=``)."""
    return f"id:{post_id}"


def path_key(path: str) -> str | None:
    """An old URL path below the site's base (``/2019/06/porto/``), as :func:`url_path`
    normalises it (decoded, ``/`` at the end unless it names a file), case-folded;
    None when it is no plain path."""
    norm = url_path(path)
    return None if norm is None else "path:" + norm.casefold()


def slug_key(post_type: str, slug: str) -> str:
    """An item by its post type and WordPress slug (``?name=``, ``?pagename=``, old slugs)."""
    return f"slug:{post_type}:{slug.casefold()}"


def term_key(taxonomy: str, slug: str) -> str:
    """A term by its taxonomy and slug (``?tag=``, ``?category_name=``)."""
    return f"term:{taxonomy}:{slug.casefold()}"
