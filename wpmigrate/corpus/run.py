"""What ``wpmigrate clean SHARDS… -o OUT`` does: clean record shards, on this process or on a Dask cluster.

:func:`clean_shards` finds the shards (:func:`~wpmigrate.corpus.shards.find_shards`),
learns each host's chrome first when asked (``learn_per_host``: one pass over the
shards counting each host's pages, the counts grouped by host, each host's
profile written to ``OUT/profiles/<host>.toml``), then cleans every shard as one
task (:func:`~wpmigrate.corpus.shards.clean_shard`) with the learned profiles.

The engine only decides where the tasks run: ``local`` runs them one after the
other in this process; ``dask`` hands them to a ``distributed`` cluster
(:mod:`wpmigrate.corpus.cluster`). Both run the same task functions on the same
inputs, and learning is a sum of counts, so the output is the same record for record.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wpmigrate.clean.files import SUFFIXES
from wpmigrate.clean.profiles import ProfileSet, _is_path, coerce_profiles
from wpmigrate.corpus.records import HostLearner, RecordFields
from wpmigrate.corpus.shards import Shard, ShardResult, clean_shard, find_shards, learn_shard, shard_format
from wpmigrate.errors import UsageError
from wpmigrate.write import atomic_write_text

__all__ = ["ENGINES", "CorpusSummary", "LocalEngine", "clean_shards", "is_shard_request"]

ENGINES = ("local", "dask")


@dataclass
class CorpusSummary:
    """The outcome of :func:`clean_shards`."""

    shards: list[ShardResult] = field(default_factory=list)
    engine: str = "local"
    #: host → number of rules learned for it (``learn_per_host``)
    learned: dict[str, int] = field(default_factory=dict)
    profiles_dir: str | None = None

    def _sum(self, name: str) -> int:
        return sum(getattr(s, name) for s in self.shards)

    @property
    def records(self) -> int:
        return self._sum("records")

    @property
    def cleaned(self) -> int:
        return self._sum("cleaned")

    @property
    def changed(self) -> int:
        return self._sum("changed")

    @property
    def needs_review(self) -> int:
        return self._sum("needs_review")

    @property
    def rejected(self) -> int:
        return self._sum("rejected")

    @property
    def exit_code(self) -> int:
        """1 when a record was rejected (as ``wpmigrate clean`` does for a file it cannot read), else 0."""
        return 1 if self.rejected else 0

    def describe(self) -> str:
        n = len(self.shards)
        parts = [f"{self.cleaned} of {self.records} records in {n} shard{'s' if n != 1 else ''} cleaned"]
        parts.append(f"{self.changed} changed")
        if self.needs_review:
            s = "s" if self.needs_review == 1 else ""
            parts.append(f"{self.needs_review} need{s} review (over-removal breaker)")
        if self.rejected:
            parts.append(f"{self.rejected} rejected (reasons in rejects/)")
        if self.profiles_dir is not None:
            hosts = len(self.learned)
            parts.append(f"rules learned for {hosts} host{'s' if hosts != 1 else ''} in {self.profiles_dir}")
        parts.append(f"engine {self.engine}")
        return ", ".join(parts)


def _walk_kinds(folder: Path) -> tuple[bool, bool]:
    """(holds shards, holds documents) for a folder, hidden entries skipped."""
    shards = documents = False
    for _dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            if shard_format(name):
                shards = True
            elif Path(name).suffix.lower() in SUFFIXES:
                documents = True
        if shards and documents:
            break
    return shards, documents


def is_shard_request(paths: Sequence[str | os.PathLike]) -> bool:
    """Do these inputs name record shards (``.jsonl``, ``.jsonl.gz``, ``.parquet``, or folders of them)?

    Shards and documents (``.md``, ``.html``, ``.txt``) are cleaned by different
    commands' worth of options, so one run takes one or the other.
    """
    shards = documents = False
    for item in paths:
        p = Path(item)
        if p.is_dir():
            s, d = _walk_kinds(p)
            if s and d:
                raise UsageError("the folder holds both record shards and documents; clean them separately", path=p)
            shards, documents = shards or s, documents or d
        elif shard_format(p):
            shards = True
        else:
            documents = True
    if shards and documents:
        raise UsageError("record shards and documents cannot be cleaned in one run; clean them separately")
    return shards


def _selection(profiles: ProfileSet | Sequence[str | os.PathLike] | None) -> tuple[str, ...] | ProfileSet | None:
    """The profile selection as the tasks get it: names, and paths made absolute (a worker's
    working folder may differ); validated here, once, so that a bad profile fails before any task."""
    coerce_profiles(profiles)
    if profiles is None or isinstance(profiles, ProfileSet):
        return profiles
    if isinstance(profiles, (str, os.PathLike)):
        profiles = [profiles]
    return tuple(os.path.abspath(p) if _is_path(p) else os.fspath(p) for p in profiles)


class LocalEngine:
    """Every task in this process, one after the other."""

    name = "local"

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def learn(self, shards: Sequence[Shard], fields: RecordFields, profiles) -> dict[str, str]:
        total = HostLearner(fields, profiles)
        for shard in shards:
            total.merge(learn_shard(shard, fields, profiles))
        return total.profiles_toml()

    def clean(
        self, shards: Sequence[Shard], out_dir: str, fields: RecordFields, profiles, learned: Mapping[str, str]
    ) -> list[ShardResult]:
        return [clean_shard(shard, out_dir, fields, profiles, learned) for shard in shards]


def _engine(engine: str, scheduler: str | None):
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r} (expected {' or '.join(ENGINES)})")
    if engine == "local":
        if scheduler is not None:
            raise UsageError("--scheduler is for --engine dask")
        return LocalEngine()
    from wpmigrate.corpus.cluster import DaskEngine

    return DaskEngine(scheduler)


def clean_shards(
    paths: Sequence[str | os.PathLike],
    out: str | os.PathLike,
    *,
    html_field: str = "html",
    text_field: str = "text",
    url_field: str = "url",
    out_field: str = "markdown",
    profiles: ProfileSet | Sequence[str | os.PathLike] | None = None,
    learn_per_host: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
) -> CorpusSummary:
    """Clean record shards into the folder *out*; see the module docstring.

    Raises :class:`~wpmigrate.errors.UsageError` for an impossible request and
    :class:`~wpmigrate.errors.ProfileError` for a bad profile, before any shard is read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if not paths:
        raise UsageError("nothing to clean: give at least one shard or folder of shards")
    if out is None:
        raise UsageError("record shards are cleaned into a folder: give -o OUT_DIR")
    fields = RecordFields(html_field, text_field, url_field, out_field)
    out_path = Path(out)
    if out_path.exists() and not out_path.is_dir():
        raise UsageError("the output must be a folder", path=out_path)
    resolved = out_path.resolve()
    for p in paths:
        if Path(p).is_dir() and (resolved == Path(p).resolve() or Path(p).resolve() in resolved.parents):
            raise UsageError(f"the output folder is inside the input folder {p}; choose a folder outside it")
    shards = find_shards(paths)
    if not shards:
        raise UsageError(f"no shards (.jsonl, .jsonl.gz, .parquet) found in {', '.join(map(str, paths))}")
    for s in shards:
        top = s.name.split("/", 1)[0]
        if "/" in s.name and top.lower() in ("rejects", "profiles"):
            raise UsageError(
                f"{s.source} would be written as {s.name}, where the run writes its {top}; "
                "give the folder that holds it instead"
            )
    inputs = {Path(s.source).resolve() for s in shards}
    for s in shards:
        if out_path.joinpath(*s.name.split("/")).resolve() in inputs:
            raise UsageError(f"-o would overwrite the input {s.source} with its cleaned copy", path=out_path)
    selection = _selection(profiles)
    if engine == "dask" and isinstance(selection, ProfileSet):
        # compiled rules stay in this process; workers load the profiles themselves
        raise UsageError("with engine='dask', give the profiles by name or path, not as a loaded ProfileSet")

    summary = CorpusSummary(engine=engine)
    with _engine(engine, scheduler) as runner:
        learned: dict[str, str] = {}
        if learn_per_host:
            learned = runner.learn(shards, fields, selection)
            folder = out_path / "profiles"
            for host, toml in learned.items():
                atomic_write_text(folder / f"{host}.toml", toml)
            summary.profiles_dir = str(folder)
            summary.learned = {host: toml.count("[[rule]]") for host, toml in learned.items()}
        summary.shards = runner.clean(shards, str(out_path), fields, selection, learned)
    return summary
