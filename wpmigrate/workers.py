"""Converting bodies on every core: a pool of worker processes, results in file order.

The first pass has planned every path and committed the index to a database
file, so each item's output depends on the item alone: a worker can convert
it and write its file, and the conversion's own process only collects the
report entries and checksums, in file order. The output tree, every byte of
every file, the manifest and the report are the same for any number of
workers.

A worker is given what it needs once (:class:`JobSpec`: options, the site,
where the index is, how to load items) and then batches of small tasks. A
task names its item by position and where it stands in the export file, so
items travel as a few numbers; the worker reads and parses the item itself.
At most a few batches are in flight at a time, so memory does not grow with
the export.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from wpmigrate.model import Site
from wpmigrate.options import ConvertOptions
from wpmigrate.report import ItemReport

__all__ = ["JobSpec", "Task", "run_tasks"]

#: items per task: small enough for the progress bar and an even load, large
#: enough that sending results back costs little
BATCH = 32

#: (ordinal, what to convert: an Item, or a reference the worker loads, planned path or None)
Task = tuple[int, Any, "tuple[str, bool] | None"]
#: (ordinal, report entry, sha256 of the file written or None)
Result = tuple[int, ItemReport, "str | None"]


@dataclass(frozen=True)
class JobSpec:
    """What every worker needs, sent once when it starts (picklable)."""

    options: ConvertOptions
    site: Site
    index_path: str
    fallback_offset: timedelta | None
    out: str
    loader: Any = None  # loads an item from its reference; None when tasks carry items


_worker: tuple[Any, Any] | None = None  # (ItemConverter, loader) of this worker process


def _start(spec: JobSpec) -> None:
    """Set a worker up: its own read-only view of the index, its own pipeline."""
    global _worker
    from wpmigrate.convert import ItemConverter
    from wpmigrate.store import open_index

    index = open_index(spec.index_path)
    _worker = (ItemConverter(spec.options, spec.site, index, spec.fallback_offset, Path(spec.out)), spec.loader)


def convert_tasks(converter, loader, tasks: Iterable[Task]) -> list[Result]:
    """Convert tasks with one converter (in a worker, or in this process)."""
    results: list[Result] = []
    for ordinal, payload, planned in tasks:
        item = payload if loader is None else loader.load(payload)
        entry, sha = converter.convert_entry(item, planned)
        results.append((ordinal, entry, sha))
    return results


def _batch(tasks: list[Task]) -> list[Result]:
    converter, loader = _worker  # type: ignore[misc]
    return convert_tasks(converter, loader, tasks)


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds and shares the loaded modules; where
    # it is not safe (macOS, Windows) a fresh interpreter is started instead
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    it = iter(tasks)
    while batch := list(islice(it, BATCH)):
        yield batch


def run_tasks(spec: JobSpec, tasks: Iterable[Task], jobs: int, on_result: Callable[[Result], None]) -> None:
    """Convert ``tasks`` on ``jobs`` worker processes; ``on_result`` sees every result in task order."""
    in_flight = 4 * jobs
    with _context().Pool(jobs, initializer=_start, initargs=(spec,)) as pool:
        pending: deque = deque()
        for batch in _batches(tasks):
            pending.append(pool.apply_async(_batch, (batch,)))
            while len(pending) >= in_flight:
                for result in pending.popleft().get():
                    on_result(result)
        while pending:
            for result in pending.popleft().get():
                on_result(result)
