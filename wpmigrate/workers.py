"""Both passes of a conversion on every core: worker processes, results in file order.

A task names an item by its place in the export file (an
:class:`~wpmigrate.model.ItemRef`), so items travel as a few numbers and every
worker reads and parses the items it is given. In the first pass a worker
returns what planning needs of each item (:class:`~wpmigrate.plan.ItemFacts`);
in the second, once every path is planned and the index is committed to its
database file, it converts the item and writes its file, and returns the
report entry and the checksum. The conversion's own process only plans,
collects and reports, in file order, so the output tree, every byte of every
file, the manifest and the report are the same for any number of workers.

A worker is given what it needs once (:class:`Job`) and then batches of
tasks; at most a few batches are in flight, so memory does not grow with the
export.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from wpmigrate import stop
from wpmigrate.model import ItemRef, Site
from wpmigrate.options import ConvertOptions

__all__ = ["Job", "imap_in_pool", "imap_sharing", "run_in_pool"]

#: items per task: small enough for the progress bar and an even load, large
#: enough that sending results back costs little
BATCH = 32


@dataclass(frozen=True)
class Job:
    """What every worker needs, sent once when it starts (picklable).

    ``index_path`` is None in the first pass (nothing is planned yet)."""

    options: ConvertOptions
    site: Site
    loader: Any  # wpmigrate.wxr.ItemLoader
    index_path: str | None = None
    offsets: Any = None  # wpmigrate.fields.SiteOffsets
    out: str = ""
    guarded: Any = None  # see wpmigrate.write.OutputFolder.guarded


class _Worker:
    """The state of one worker process."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.loader = job.loader
        self.converter = None
        if job.index_path is not None:
            from wpmigrate.convert import ItemConverter
            from wpmigrate.store import open_index

            index = open_index(job.index_path)
            self.converter = ItemConverter(job.options, job.site, index, job.offsets, Path(job.out), job.guarded)


_worker: _Worker | None = None


def _start(job: Job) -> None:
    global _worker
    _worker = _Worker(job)


def _init(initializer: Callable[..., None], args: tuple) -> None:
    # Ctrl-C reaches every process of the terminal's group: the workers leave it to
    # the parent process, which lets them finish what they hold; only the parent
    # handles SIGTERM (see wpmigrate.stop)
    stop.reset_in_worker()
    try:
        # a process group of its own: a signal sent to the command's whole group
        # (kill -TERM -PGID) reaches only the parent, which stops in order; a worker
        # killed by it would take its items with it and leave the parent waiting
        os.setpgid(0, 0)
    except (AttributeError, OSError):
        pass
    initializer(*args)


def facts_batch(refs: list[ItemRef]) -> list:
    """First pass: the facts of each item."""
    from wpmigrate.plan import facts_of

    w = _worker
    assert w is not None
    language = w.job.site.language
    return [facts_of(ref, w.loader.load(ref), w.job.options, language) for ref in refs]


def convert_batch(tasks: list[tuple[ItemRef, tuple[str, bool]]]) -> list:
    """Second pass: ``(ordinal, report entry, sha256 or None, other files, media files)`` of each
    item, its files written (other files: ``(path, sha256)`` of its comments' data file; media
    files: ``(file below the uploads folder, URL)`` of the media it references)."""
    w = _worker
    assert w is not None and w.converter is not None
    results = []
    for ref, planned in tasks:
        entry, sha, extra, media = w.converter.convert_entry(w.loader.load(ref), planned)
        results.append((ref.ordinal, entry, sha, extra, media))
    return results


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds and shares the loaded modules; where
    # it is not safe (macOS, Windows) a fresh interpreter is started instead
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _batches(tasks: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    it = iter(tasks)
    while batch := list(islice(it, size)):
        yield batch


@contextmanager
def _pool(processes: int, initializer: Callable[..., None], initargs: tuple) -> Iterator[Any]:
    """A pool of ``processes`` workers that, however the work ends, lets them finish what
    they hold and leave on their own: after the last result, on a failed batch (a write
    error: the other workers are not killed part way, then the error goes on), on Ctrl-C
    (no new batch; a file is written whole or not at all) and when the results are no
    longer wanted.

    Never ``Pool.terminate()``: it holds the task queue's lock and sends SIGTERM, and a
    worker still starting has its parent's SIGTERM handler (the orderly stop), so it
    lives on, waits for that lock, and the pool waits for it for ever. A short second
    pass (an export whose items are all broken) ended that way under load."""
    pool = _context().Pool(processes, initializer=_init, initargs=(initializer, initargs))
    try:
        yield pool
    finally:
        pool.close()
        pool.join()


def run_in_pool(
    job: Job,
    function: Callable[[list[Any]], list[Any]],
    tasks: Iterable[Any],
    jobs: int,
    on_result: Callable[[Any], None],
) -> None:
    """Run ``function`` over ``tasks`` in batches on ``jobs`` workers; ``on_result``
    sees every result in task order."""
    for result in imap_in_pool(_start, (job,), function, tasks, jobs):
        on_result(result)


def imap_in_pool(
    initializer: Callable[..., None],
    initargs: tuple,
    function: Callable[[list[Any]], list[Any]],
    tasks: Iterable[Any],
    jobs: int,
    batch: int = BATCH,
    in_flight: int = 4,
) -> Iterator[Any]:
    """The results of ``function`` over ``tasks`` in batches on ``jobs`` workers, each
    started with ``initializer(*initargs)``, in task order, as they come. At most
    ``in_flight`` batches per worker are handed out and not yet taken back, so memory
    does not grow with the number of tasks."""
    in_flight *= jobs
    with _pool(jobs, initializer, initargs) as pool:
        pending: deque = deque()
        stopped = False
        chunks = _batches(tasks, batch)
        while True:
            if stop.requested() is not None:
                stopped = True
                break  # no new batch (none is even taken): the ones in flight are finished below
            chunk = next(chunks, None)
            if chunk is None:
                break
            pending.append(pool.apply_async(function, (chunk,)))
            while len(pending) >= in_flight:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
    if stopped:  # (a stop asked for once every batch was handed out lets the run finish)
        stop.check("interrupted")


def imap_sharing(
    initializer: Callable[..., None],
    initargs: tuple,
    function: Callable[[list[Any]], list[Any]],
    tasks: Iterable[Any],
    jobs: int,
    batch: int = BATCH,
    in_flight: int = 2,
) -> Iterator[Any]:
    """As :func:`imap_in_pool`, with this process as one of the ``jobs``: ``jobs - 1``
    workers are started and every ``jobs``-th batch is done here, when its results are
    due. For work whose results this process only writes out (``clean``), this
    process would otherwise sit idle beside its workers, and every process holds its
    own copy of the interpreter, lxml and the profiles: one fewer keeps the memory of
    the whole process tree lower for the same number of cores at work."""
    initializer(*initargs)
    if jobs <= 1:
        for chunk in _batches(tasks, batch):
            stop.check("interrupted")
            yield from function(chunk)
        return
    window = in_flight * jobs
    with _pool(jobs - 1, initializer, initargs) as pool:
        pending: deque = deque()  # (async result, None) from a worker, or (None, batch) for here
        stopped = False
        for n, chunk in enumerate(_batches(tasks, batch)):
            if stop.requested() is not None:
                stopped = True
                break  # no new batch: the ones in flight are finished below
            here = n % jobs == jobs - 1
            pending.append((None, chunk) if here else (pool.apply_async(function, (chunk,)), None))
            while len(pending) >= window:
                yield from _due(pending.popleft(), function)
        while pending:
            yield from _due(pending.popleft(), function)
    if stopped:
        stop.check("interrupted")


def _due(entry: tuple, function: Callable[[list[Any]], list[Any]]) -> list[Any]:
    """The results of one pending batch: a worker's, or done here now."""
    result, chunk = entry
    return result.get() if result is not None else function(chunk)


def run_here(
    job: Job, function: Callable[[list[Any]], list[Any]], tasks: Iterable[Any], on_result: Callable[[Any], None]
) -> None:
    """The same in this process (``--jobs 1``): one worker state, no pool."""
    global _worker
    saved, _worker = _worker, _Worker(job)
    try:
        for task in tasks:
            stop.check("interrupted")  # between items: the one in hand is finished
            for result in function([task]):
                on_result(result)
    finally:
        _worker = saved
