"""The keys under which the first pass files old URLs (``Index.links``), and the old URLs themselves.

One function per kind of key, so the writer (:mod:`wpmigrate.plan`) and the
readers (:mod:`wpmigrate.links.internal`, the redirects) cannot disagree on a
spelling; and the old URLs WordPress answered besides an item's permalink:
its old slugs and its terms' archives.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from urllib.parse import unquote

from wpmigrate.layouts.base import url_path

__all__ = ["id_key", "old_slug_paths", "path_key", "term_archive_paths", "term_key"]


def id_key(post_id: int) -> str:
    """An item by its post id (``?p=``, ``?page_id=``, ``?attachment_id=``)."""
    return f"id:{post_id}"


def path_key(path: str) -> str | None:
    """An old URL path below the site's base (``/2019/06/porto/``), as :func:`url_path`
    normalises it (decoded, ``/`` at the end unless it names a file), case-folded;
    None when it is no plain path."""
    norm = url_path(path)
    return None if norm is None else "path:" + norm.casefold()


def term_key(taxonomy: str, slug: str) -> str:
    """A term by its taxonomy and slug (``?tag=``, ``?category_name=``, ``?cat=`` once its
    id is looked up)."""
    return f"term:{taxonomy}:{unquote(slug).casefold()}"


def old_slug_paths(path: str | None, old_slugs: Iterable[str]) -> list[str]:
    """The paths an item had under its old slugs (``_wp_old_slug``): its permalink path with
    the last segment replaced, as ``wp_old_slug_redirect()`` finds them (it looks the
    requested slug up among the old ones when a request finds nothing)."""
    if not path or not path.endswith("/"):
        return []
    parent = posixpath.dirname(path.rstrip("/"))
    out: list[str] = []
    for slug in old_slugs:
        slug = unquote(slug.strip())
        if not slug or "/" in slug:
            continue
        old = url_path(posixpath.join(parent, slug) + "/")
        if old is not None and old != path and old not in out:
            out.append(old)
    return out


#: WordPress's default bases of term archives (``category_base`` and ``tag_base`` are
#: options, not in the export; a custom taxonomy's rewrite slug defaults to its name)
TERM_BASES = {"category": "category", "post_tag": "tag"}
#: taxonomies whose archives are no pages of their own to link to
NO_ARCHIVE = frozenset(("nav_menu", "link_category", "post_format", "wp_theme", "wp_template_part_area"))


def term_archive_paths(taxonomy: str, slug: str, ancestors: Iterable[str] = ()) -> list[str]:
    """The archive paths of a term: ``/category/<parents…>/<slug>/`` (a child category is
    also found by its own slug, which WordPress redirects), ``/tag/<slug>/``,
    ``/<taxonomy>/<slug>/``."""
    if taxonomy in NO_ARCHIVE or not slug:
        return []
    base = TERM_BASES.get(taxonomy, taxonomy)
    slug = unquote(slug)
    chain = [unquote(a) for a in ancestors]
    paths = []
    for parts in ([base, *chain, slug], [base, slug]):
        p = url_path("/" + "/".join(parts) + "/")
        if p is not None and p not in paths:
            paths.append(p)
    return paths
