"""The last resolver of the chain: the site's own files stay where they are.

An own-site URL of a file (``/wp-content/uploads/2019/06/foto.jpg``, a PDF)
that no resolver before it answered (the media resolver, when media are copied
or downloaded, comes first) is kept as it is: it still works as long as the old
site serves it, and is counted as kept rather than unresolved. A page path, a
feed, ``/wp-admin/`` or a search is no file and is left to be reported.
"""

from __future__ import annotations

import posixpath

from wpmigrate.links.rewrite import Follow, Unresolved, UrlRef

__all__ = ["KeepFiles"]

#: extensions of what WordPress serves as pages, never as files
_PAGE_EXTENSIONS = frozenset(("", ".html", ".htm", ".php", ".asp", ".aspx", ".shtml"))


class KeepFiles:
    """Answers a URL naming a file (a path whose last segment has an extension) with itself."""

    def resolve(self, ref: UrlRef) -> str | Follow | Unresolved | None:
        name = posixpath.basename(ref.local.path)
        ext = posixpath.splitext(name)[1].lower()
        if ext in _PAGE_EXTENSIONS or (ref.local.query and "/wp-content/" not in ref.local.path):
            return None
        return ref.url
