"""The Dask engine: the same output as the local engine, record for record, on a 2-worker LocalCluster."""

from __future__ import annotations

import sys

import pytest

from tests.shardbuild import case_records, corpus_page_records, host_records, read_jsonl, write_jsonl
from wpmigrate.cli import main
from wpmigrate.corpus import clean_shards
from wpmigrate.errors import UsageError

EXTRA = "the Dask engine needs the corpus extra: pip install 'wpmigrate[corpus]'"


@pytest.fixture(scope="module")
def cluster():
    """One cluster for the module: two worker processes (tasks and results cross process boundaries,
    as on a real cluster), one thread each."""
    pytest.importorskip("distributed", reason=EXTRA)
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
    ) as c:
        yield c


def shards(folder, with_parquet: bool):
    # the corpus pages under half a megabyte: the largest ones only make the test slower
    pages = [r for r in corpus_page_records() if len(r["html"]) < 500_000]
    records = case_records() + pages + host_records(pages=30)
    write_jsonl(folder / "a.jsonl", records[0::4], raw_lines=['{"url": "https://x.example/", "text"', "[]"])
    write_jsonl(folder / "b.jsonl.gz", records[1::4])
    write_jsonl(folder / "sub" / "c.jsonl", records[2::4])
    rest = records[3::4]
    if with_parquet:
        import pyarrow as pa
        import pyarrow.parquet as pq

        names = list(dict.fromkeys(k for r in records for k in r))
        table = pa.Table.from_pylist([{n: r.get(n) for n in names} for r in rest])
        pq.write_table(table, folder / "d.parquet", row_group_size=20)
    else:
        write_jsonl(folder / "d.jsonl", rest)
    return len(records) + 2


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_dask_gives_the_local_output_record_for_record(tmp_path, cluster):
    parquet = True
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        parquet = False
    total = shards(tmp_path / "in", parquet)
    local = clean_shards([tmp_path / "in"], tmp_path / "local", learn_per_host=True)
    dask = clean_shards(
        [tmp_path / "in"], tmp_path / "dask", learn_per_host=True, engine="dask", scheduler=cluster.scheduler_address
    )
    assert local.records == dask.records == total
    assert local.rejected == dask.rejected == 2
    assert local.learned == dask.learned == {"garten.example": 3, "kochen.example": 2}
    assert [s.source for s in dask.shards] == [s.source for s in local.shards]
    assert [(s.cleaned, s.changed, s.rejected) for s in dask.shards] == [
        (s.cleaned, s.changed, s.rejected) for s in local.shards
    ]
    # byte for byte: every shard, every reject, every learned profile
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")
    assert len(read_jsonl(tmp_path / "dask" / "rejects" / "a.jsonl")) == 2


def test_cli_engine_dask_with_a_scheduler(tmp_path, cluster, capsys):
    write_jsonl(tmp_path / "in" / "s.jsonl", host_records(pages=4))
    args = ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--learn-per-host"]
    with pytest.raises(SystemExit) as exit:
        main([*args, "--engine", "dask", "--scheduler", cluster.scheduler_address])
    assert exit.value.code == 0
    assert "12 of 12 records in 1 shard cleaned" in capsys.readouterr().err
    assert (tmp_path / "out" / "profiles" / "garten.example.toml").exists()


def test_engine_dask_starts_and_stops_a_local_cluster(tmp_path):
    pytest.importorskip("distributed", reason=EXTRA)
    write_jsonl(tmp_path / "in" / "s.jsonl", host_records(pages=2))
    summary = clean_shards([tmp_path / "in"], tmp_path / "out", engine="dask")
    assert summary.cleaned == 6 and summary.engine == "dask"


def test_without_the_extra_dask_says_how_to_install_it(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "in" / "s.jsonl", [{"text": "x"}])
    for name in ("dask", "dask.bag", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(
        UsageError, match=r"--engine dask needs dask and distributed: pip install 'wpmigrate\[corpus\]'"
    ):
        clean_shards([tmp_path / "in"], tmp_path / "out", engine="dask")
    assert not (tmp_path / "out").exists()


def test_a_scheduler_address_that_is_not_one_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed", reason=EXTRA)
    write_jsonl(tmp_path / "in" / "s.jsonl", [{"text": "x"}])
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler at nonsense::::"):
        clean_shards([tmp_path / "in"], tmp_path / "out", engine="dask", scheduler="nonsense::::")
