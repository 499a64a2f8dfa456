"""The Dask engine of ``wpmigrate clean SHARDS…``: the same tasks as the local engine, on a ``distributed`` cluster.

Imported only for ``--engine dask``; dask and distributed come with the
``corpus`` extra. Without ``--scheduler``, a ``LocalCluster`` of one worker
process per core of this machine is started (and stopped at the end); with it,
the tasks go to that running scheduler, whose workers must see the input and
output folders at the same paths (a shared file system).

* Cleaning: one task per shard (:func:`~wpmigrate.corpus.shards.clean_shard`),
  which writes its own output shard and returns its counts.
* Learning per host: one task per shard counts its pages per host
  (:func:`~wpmigrate.corpus.shards.learn_shard`); the partial counts are
  grouped by host (a Dask bag ``foldby``: a group-by with a tree reduction, so no
  one worker holds every host's counts before the end), each host's profile is
  made on the workers, and only the profiles come back. Counts are sums, so the
  grouping order never changes a profile: the output is the local engine's, record for record.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence

from wpmigrate.clean.learn import SiteLearner
from wpmigrate.corpus.records import RecordFields, host_toml
from wpmigrate.corpus.shards import INSTALL_HINT, Shard, ShardResult, clean_shard, learn_shard
from wpmigrate.errors import UsageError

__all__ = ["DaskEngine"]


def _import():
    try:
        import dask.bag
        import distributed
    except ImportError:
        raise UsageError(f"--engine dask needs dask and distributed: {INSTALL_HINT}") from None
    return dask.bag, distributed


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# the steps of the group-by on host, as module functions so that workers can unpickle them


def _host_counts(shard: Shard, fields: RecordFields, profiles) -> list[tuple[str, SiteLearner]]:
    return sorted(learn_shard(shard, fields, profiles).hosts.items(), key=lambda kv: kv[0])


def _host(pair: tuple[str, SiteLearner]) -> str:
    return pair[0]


def _add(total: SiteLearner, pair: tuple[str, SiteLearner]) -> SiteLearner:
    return SiteLearner().merge(total).merge(pair[1])


def _combine(a: SiteLearner, b: SiteLearner) -> SiteLearner:
    return SiteLearner().merge(a).merge(b)


def _profile(pair: tuple[str, SiteLearner]) -> tuple[str, str | None]:
    return pair[0], host_toml(pair[0], pair[1])


def _learned(pair: tuple[str, str | None]) -> bool:
    return pair[1] is not None


class DaskEngine:
    """Shards as tasks on a Dask cluster; a context manager that closes what it started."""

    name = "dask"

    def __init__(self, scheduler: str | None = None) -> None:
        self.bag, self.distributed = _import()
        self.scheduler = scheduler
        self.cluster = None
        self.client = None

    def __enter__(self) -> DaskEngine:
        distributed = self.distributed
        if self.scheduler is None:
            self.cluster = distributed.LocalCluster(
                n_workers=_cores(),
                threads_per_worker=1,  # the cleaning holds the GIL: one process per core
                processes=True,
                dashboard_address=":0",  # a free port: never one a running cluster holds
                silence_logs=logging.ERROR,
            )
            self.client = distributed.Client(self.cluster)
        else:
            try:
                self.client = distributed.Client(self.scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise UsageError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def learn(self, shards: Sequence[Shard], fields: RecordFields, profiles) -> dict[str, str]:
        pairs = (
            self.bag.from_sequence(shards, npartitions=len(shards))
            .map(_host_counts, fields, profiles)
            .flatten()
            .foldby(_host, _add, SiteLearner(), _combine, SiteLearner())
            .map(_profile)
            .filter(_learned)
        )
        return dict(sorted(self.client.compute(pairs, sync=True)))

    def clean(
        self, shards: Sequence[Shard], out_dir: str, fields: RecordFields, profiles, learned: Mapping[str, str]
    ) -> list[ShardResult]:
        # the learned profiles go to every worker once, not with every task
        shared = self.client.scatter([dict(learned)], broadcast=True)[0] if learned else None
        futures = self.client.map(
            clean_shard, shards, out_dir=out_dir, fields=fields, profiles=profiles, learned=shared, pure=False
        )
        return self.client.gather(futures)
