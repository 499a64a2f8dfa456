"""An orderly stop on SIGINT (Ctrl-C) and SIGTERM.

While :func:`orderly_stop` is active (the command line turns it on around a
run, in the main thread of the conversion's own process), the first SIGINT or
SIGTERM only asks the run to stop: :func:`requested` returns the signal, the
loops that hand out work (:mod:`wpmigrate.workers`, ``clean``) start nothing
new, the work in flight is finished and recorded, and the run raises
:class:`~wpmigrate.errors.RunInterrupted`. A second signal raises
:class:`StopNow` (a :class:`KeyboardInterrupt`) at once.

Only this process handles SIGTERM: worker processes are given the default
action back (see :mod:`wpmigrate.workers`), since a handler that raises inside
a worker blocked on the pool's queue lock would leave the pool deadlocked.
Without :func:`orderly_stop` (the library called from other code) nothing
changes: Ctrl-C raises :class:`KeyboardInterrupt` as usual.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from wpmigrate.errors import RunInterrupted

__all__ = ["StopNow", "check", "orderly_stop", "requested"]

_requested: int | None = None


def requested() -> int | None:
    """The signal that asked the run to stop, or None."""
    return _requested


def check(message: str) -> None:
    """Raise :class:`RunInterrupted` (with ``message``) when a stop was asked for."""
    if _requested is not None:
        raise RunInterrupted(message, signum=_requested)


class StopNow(KeyboardInterrupt):
    """The second signal: the run ends at once (exit 128 + the signal's number)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _handle(signum: int, frame: object) -> None:
    global _requested
    if _requested is not None:
        raise StopNow(signum)  # the second signal: stop now
    _requested = signum


@contextmanager
def orderly_stop() -> Iterator[None]:
    """Turn the first SIGINT/SIGTERM into a request to stop (main thread only; elsewhere a no-op)."""
    global _requested
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    _requested = None
    for s in saved:
        signal.signal(s, _handle)
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
        _requested = None


def reset_in_worker() -> None:
    """In a worker process: Ctrl-C is left to the parent (it reaches the whole terminal
    group), SIGTERM gets its default action (the pool ends workers with it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
