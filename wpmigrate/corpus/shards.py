"""Shards of records on disk: JSONL, gzip-compressed JSONL and Parquet, read and written a record at a time.

A shard is cleaned on its own (:func:`clean_shard`), which is what makes it a
task for any engine: it reads its records as a stream, cleans each
(:func:`wpmigrate.corpus.records.clean_records`) and writes the cleaned records
to a shard of the same format and name in the output folder (a temporary file
moved into place at the end). Memory stays flat in the number of records: a
JSONL shard is read a line at a time, a Parquet shard a batch of rows at a time.

What cannot be read — a line that is not JSON, a record that is not an object
or has no text, a gzip stream that ends early, a file that is not Parquet —
goes to ``rejects/<shard name>.jsonl`` in the output folder, one JSON line per
reject with the shard, the line (or row) and the reason.

Parquet needs ``pyarrow`` (the ``corpus`` extra); it is imported only when a
Parquet shard is read.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import tempfile
import zlib
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from wpmigrate.corpus.records import (
    LIST_FIELDS,
    METADATA_FIELDS,
    HostLearner,
    RecordFields,
    clean_records,
    is_rejected,
)
from wpmigrate.errors import OutputError, UsageError

__all__ = ["SHARD_FORMATS", "Shard", "ShardResult", "clean_shard", "find_shards", "learn_shard", "shard_format"]

#: name suffix → shard format (longest first: ``.jsonl.gz`` before ``.jsonl``)
SHARD_FORMATS = {".jsonl.gz": "jsonl.gz", ".jsonl": "jsonl", ".parquet": "parquet"}
#: rows of a Parquet shard read (and written) at a time
PARQUET_BATCH = 512
INSTALL_HINT = "pip install 'wpmigrate[corpus]'"


def shard_format(path: str | os.PathLike) -> str | None:
    name = os.fspath(path).lower()
    return next((fmt for suffix, fmt in SHARD_FORMATS.items() if name.endswith(suffix)), None)


@dataclass(frozen=True)
class Shard:
    """One input shard and the name its cleaned copy gets in the output folder."""

    source: str
    name: str  # relative to the output folder, ``/``-separated
    format: str  # jsonl | jsonl.gz | parquet


@dataclass(frozen=True)
class ShardResult:
    """What cleaning one shard did."""

    source: str
    target: str | None = None
    records: int = 0  # records read (cleaned and rejected)
    cleaned: int = 0
    changed: int = 0  # cleaned records with at least one decision applied
    needs_review: int = 0
    warnings: int = 0  # cleaned records with a warning (bytes replaced, …)
    rejected: int = 0
    rejects: str | None = None  # the rejects shard, when there are any


def find_shards(paths: Sequence[str | os.PathLike]) -> list[Shard]:
    """The shards named and found in the named folders, in a stable order, with their output names.

    A folder is walked recursively (hidden entries skipped) and mirrored; with
    several inputs each folder's name is kept as the first part of its shards' names.
    """
    found: list[Shard] = []
    several = len(paths) > 1
    for item in paths:
        p = Path(item)
        if not p.exists():
            raise UsageError("no such file or folder", path=p)
        if p.is_dir():
            inside = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                inside += [Path(dirpath) / n for n in filenames if not n.startswith(".") and shard_format(n)]
            for f in sorted(inside, key=lambda f: f.relative_to(p).as_posix()):
                rel = f.relative_to(p).as_posix()
                found.append(Shard(str(f), f"{p.resolve().name}/{rel}" if several else rel, shard_format(f)))
        elif shard_format(p):
            found.append(Shard(str(p), p.name, shard_format(p)))
        else:
            raise UsageError(f"not a shard (expected {', '.join(SHARD_FORMATS)})", path=p)
    names: dict[str, str] = {}
    for s in found:
        other = names.setdefault(s.name.lower(), s.source)
        if other != s.source:
            raise UsageError(f"{other} and {s.source} would both be written as {s.name}; give their folders instead")
    return found


# --- reading --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reject:
    """A record that could not be read, at its place in the shard."""

    where: dict  # {"line": n} or {"row": n}
    reason: str
    raw: Any = None


def _jsonl_records(shard: Shard) -> Iterator[tuple[dict, object]]:
    """``(place, record or _Reject)`` for every non-blank line."""
    opener = gzip.open if shard.format == "jsonl.gz" else open
    n = 0
    try:
        with opener(shard.source, "rb") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    yield {"line": n}, json.loads(line)
                except UnicodeDecodeError:
                    yield {"line": n}, _Reject({"line": n}, "not UTF-8 text", line.decode("utf-8", "replace"))
                except ValueError as exc:
                    raw = line.decode("utf-8", "replace").rstrip("\r\n")
                    yield {"line": n}, _Reject({"line": n}, f"not JSON: {exc}", raw)
                except RecursionError:
                    yield {"line": n}, _Reject({"line": n}, "JSON nested too deeply to read")
    except (EOFError, OSError, zlib.error) as exc:
        # a gzip stream cut short or damaged: what was read is kept, the rest is one reject
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield {"line": n + 1}, _Reject({"line": n + 1}, f"cannot read the shard past line {n}: {reason}")


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UsageError(f"Parquet shards need pyarrow: {INSTALL_HINT}") from None
    return pyarrow


def _parquet_file(shard: Shard):
    pa = _pyarrow()
    try:
        return pa.parquet.ParquetFile(shard.source)
    except (pa.ArrowException, OSError) as exc:
        return _Reject({}, f"not a readable Parquet file: {exc}")


def _parquet_records(pf) -> Iterator[tuple[dict, object]]:
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH):
            for record in batch.to_pylist():
                row += 1
                yield {"row": row}, record
    except Exception as exc:  # pyarrow's errors for a damaged row group have no common base
        yield {"row": row + 1}, _Reject({"row": row + 1}, f"cannot read the shard past row {row}: {exc}")


# --- writing --------------------------------------------------------------------------


class _AtomicFile:
    """A binary file written beside its target and moved into place when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None
        self.fh: IO[bytes] = os.fdopen(fd, "wb")

    def commit(self) -> None:
        self.fh.close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.fh.close()
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


def _json_ready(value: object) -> object:
    """A record's value as JSON holds it (Parquet gives bytes, dates …)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _json_line(record: object) -> bytes:
    # NaN and Infinity are written back as the input had them (Python's JSON reads them)
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")


class _Rejects:
    """``rejects/<shard name>.jsonl``, opened at the first reject."""

    def __init__(self, out_dir: Path, shard: Shard) -> None:
        name = shard.name
        for suffix in SHARD_FORMATS:
            if name.lower().endswith(suffix):
                name = name[: -len(suffix)]
                break
        self.path = out_dir / "rejects" / f"{name}.jsonl"
        self.shard = shard
        self.count = 0
        self._file: _AtomicFile | None = None

    def add(self, where: dict, reason: str, **rest: object) -> None:
        if self._file is None:
            self._file = _AtomicFile(self.path)
        self.count += 1
        line = {"shard": self.shard.source, **where, "rejected": reason}
        line.update({k: _json_ready(v) for k, v in rest.items() if v is not None})
        self._file.fh.write(_json_line(line))

    def finish(self, ok: bool) -> str | None:
        if self._file is None:
            if ok and self.path.exists():
                # the rejects of an earlier run over this shard: this run has none
                self.path.unlink()
            return None
        if ok:
            self._file.commit()
        else:
            self._file.discard()
        return str(self.path)


class _JsonlWriter:
    def __init__(self, path: Path, compressed: bool) -> None:
        self.file = _AtomicFile(path)
        self.stream: gzip.GzipFile | None = None
        if compressed:
            # mtime 0 and no name: the same records give the same bytes
            self.stream = gzip.GzipFile(fileobj=self.file.fh, mode="wb", mtime=0, filename="", compresslevel=6)
        self.out: IO[bytes] = self.stream if self.stream is not None else self.file.fh

    def write(self, record: dict) -> None:
        self.out.write(_json_line(record))

    def close(self, ok: bool) -> None:
        if self.stream is not None:
            self.stream.close()
        if ok:
            self.file.commit()
        else:
            self.file.discard()


def _parquet_schema(input_schema, fields: RecordFields):
    pa = _pyarrow()
    decision = pa.struct(
        [
            ("action", pa.string()),
            ("rule", pa.string()),
            ("profile", pa.string()),
            ("reason", pa.string()),
            ("text", pa.string()),
            ("line_start", pa.int64()),
            ("line_end", pa.int64()),
        ]
    )
    added = [(fields.out, pa.string())]
    added += [(k, pa.list_(pa.string()) if k in LIST_FIELDS else pa.string()) for k in METADATA_FIELDS]
    added += [
        ("host", pa.string()),
        ("needs_review", pa.bool_()),
        ("warnings", pa.list_(pa.string())),
        ("decisions", pa.list_(decision)),
    ]
    kept = [f for f in input_schema if f.name not in fields.added]
    return pa.schema([*kept, *(pa.field(name, t) for name, t in added)])


class _ParquetWriter:
    def __init__(self, path: Path, schema) -> None:
        pa = _pyarrow()
        self.pa = pa
        self.file = _AtomicFile(path)
        self.schema = schema
        self.writer = pa.parquet.ParquetWriter(self.file.fh, schema)
        self.rows: list[dict] = []

    def write(self, record: dict) -> None:
        self.rows.append(record)
        if len(self.rows) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.writer.write_table(self.pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self, ok: bool) -> None:
        if ok:
            self._flush()
        self.writer.close()
        if ok:
            self.file.commit()
        else:
            self.file.discard()


# --- the tasks ------------------------------------------------------------------------


def learn_shard(
    shard: Shard, fields: RecordFields | None = None, profiles: Sequence[str | os.PathLike] | None = None
) -> HostLearner:
    """Count one shard's pages per host (the first pass of per-host learning)."""
    learner = HostLearner(fields or RecordFields(), profiles)
    if shard.format == "parquet":
        pf = _parquet_file(shard)
        records = iter(()) if isinstance(pf, _Reject) else _parquet_records(pf)
    else:
        records = _jsonl_records(shard)
    for _, record in records:
        if not isinstance(record, _Reject):
            learner.add(record)
    return learner


def clean_shard(
    shard: Shard,
    out_dir: str | os.PathLike,
    fields: RecordFields | None = None,
    profiles: Sequence[str | os.PathLike] | None = None,
    learned: Mapping[str, str] | None = None,
) -> ShardResult:
    """Clean one shard into ``out_dir/<shard name>``; rejects into ``out_dir/rejects/``.

    *learned* maps hosts to the TOML text of their learned profiles.
    """
    fields = fields or RecordFields()
    out = Path(out_dir)
    target = out.joinpath(*shard.name.split("/"))
    rejects = _Rejects(out, shard)
    if shard.format == "parquet":
        pf = _parquet_file(shard)
        if isinstance(pf, _Reject):  # nothing of it can be read: no output shard, one reject
            rejects.add(pf.where, pf.reason)
            return ShardResult(shard.source, None, rejected=1, rejects=rejects.finish(True))
        records = _parquet_records(pf)
        writer: _ParquetWriter | _JsonlWriter = _ParquetWriter(target, _parquet_schema(pf.schema_arrow, fields))
    else:
        records = _jsonl_records(shard)
        writer = _JsonlWriter(target, shard.format == "jsonl.gz")
    counts = {"records": 0, "cleaned": 0, "changed": 0, "needs_review": 0, "warnings": 0}
    # the record in hand: its place, and what reading it found wrong; the cleaner pulls
    # one record and gives back one, so this never holds more than one
    in_hand: deque[tuple[dict, _Reject | None]] = deque()

    def readable() -> Iterator[object]:
        for where, record in records:
            bad = record if isinstance(record, _Reject) else None
            in_hand.append((where, bad))
            yield None if bad is not None else record

    ok = False
    try:
        for cleaned in clean_records(readable(), fields=fields, profiles=profiles, learned=learned):
            where, bad = in_hand.popleft()
            counts["records"] += 1
            if bad is not None:
                rejects.add(bad.where, bad.reason, raw=bad.raw)
            elif is_rejected(cleaned):
                rejects.add(where, cleaned["rejected"], record=cleaned["record"])
            else:
                writer.write(cleaned)
                counts["cleaned"] += 1
                counts["changed"] += any(d["action"] in ("removed", "unwrapped") for d in cleaned["decisions"])
                counts["needs_review"] += bool(cleaned["needs_review"])
                counts["warnings"] += bool(cleaned["warnings"])
        ok = True
    finally:
        try:
            writer.close(ok)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=target) from None
        rejects_path = rejects.finish(ok)
    return ShardResult(shard.source, str(target), rejected=rejects.count, rejects=rejects_path, **counts)
