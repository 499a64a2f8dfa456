"""Cleaning a scraped corpus: records in JSONL or Parquet shards, per-host learning, any engine.

``clean_records`` cleans an iterator of record mappings (usable from any
engine: a Dask DataFrame's ``map_partitions``, a datatrove pipeline step);
``clean_shards`` is what ``wpmigrate clean SHARDS… -o OUT`` does, on this
process or on a Dask cluster. Importing this package never imports dask or pyarrow.
"""

from wpmigrate.corpus.records import (
    METADATA_FIELDS,
    HostLearner,
    RecordFields,
    clean_record,
    clean_records,
    host_of,
    host_profiles,
    is_rejected,
)
from wpmigrate.corpus.run import ENGINES, CorpusSummary, clean_shards, is_shard_request
from wpmigrate.corpus.shards import SHARD_FORMATS, Shard, ShardResult, clean_shard, find_shards, learn_shard

__all__ = [
    "ENGINES",
    "METADATA_FIELDS",
    "SHARD_FORMATS",
    "CorpusSummary",
    "HostLearner",
    "RecordFields",
    "Shard",
    "ShardResult",
    "clean_record",
    "clean_records",
    "clean_shard",
    "clean_shards",
    "find_shards",
    "host_of",
    "host_profiles",
    "is_rejected",
    "is_shard_request",
    "learn_shard",
]
