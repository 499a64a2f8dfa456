"""Giving the memory freed after a document back to the operating system.

A page of scraped HTML is parsed into a tree many times its size, cleaned and
dropped. glibc's allocator keeps what was freed in its arenas for the next
request, so a process that has cleaned one large page stays at that page's
peak for the rest of the run, and every worker of a pool does. ``malloc_trim``
returns the free pages at the top of each arena and the free whole pages
inside it; calling it between documents keeps each process near its idle
size. Elsewhere (macOS, musl) it is a no-op.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["trim"]


def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    function.argtypes = [ctypes.c_size_t]
    function.restype = ctypes.c_int
    return function


_TRIM = _malloc_trim()


def trim() -> None:
    """Return the allocator's free memory to the operating system (glibc), else nothing."""
    if _TRIM is not None:
        _TRIM(0)
