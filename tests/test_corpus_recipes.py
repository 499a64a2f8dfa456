"""The README's recipes for cleaning records from other engines run and do what they say."""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.casefiles import load_case
from tests.shardbuild import GARTEN_NAME, HTML_CASES, host_records

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def recipe(marker: str) -> str:
    (code,) = [block for block in re.findall(r"```python\n(.*?)```", README, re.S) if marker in block]
    return code


def test_dask_dataframe_recipe(tmp_path, monkeypatch):
    pytest.importorskip("pandas", reason="the Dask DataFrame recipe needs pandas (dask[dataframe])")
    pytest.importorskip("dask.dataframe", reason="the Dask DataFrame recipe needs dask[dataframe]")
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = ["url", "html", "text", "id"]
    rows = [{n: r.get(n) for n in names} for r in host_records(pages=3)]
    rows.append({"url": "https://x.example/", "html": None, "text": None, "id": "empty"})
    (tmp_path / "shards").mkdir()
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "shards" / "part-0.parquet")
    monkeypatch.chdir(tmp_path)
    exec(compile(recipe("map_partitions"), "README.md", "exec"), {"__name__": "recipe"})
    out = pq.read_table(tmp_path / "cleaned").to_pylist()
    assert [r["id"] for r in out] == [r["id"] for r in rows]
    assert out[0]["title"] == GARTEN_NAME and out[0]["host"] == "garten.example"
    assert out[0]["decisions"][0]["rule"] == "structure.title"
    assert all(r["rejected"] is None for r in out)


@dataclass
class _Document:
    text: str
    id: str
    metadata: dict = field(default_factory=dict)


def _datatrove_stand_in(monkeypatch) -> None:
    """datatrove's PipelineStep as its base.py defines the shape (run over a generator of
    Documents; stat_update counts), for machines without datatrove."""

    class PipelineStep:
        def __init__(self) -> None:
            self.stats: dict[str, int] = {}

        def stat_update(self, *labels: str, value: int = 1) -> None:
            for label in labels:
                self.stats[label] = self.stats.get(label, 0) + value

        def __call__(self, data=None, rank: int = 0, world_size: int = 1):
            return self.run(data, rank, world_size)

    base = types.ModuleType("datatrove.pipeline.base")
    base.PipelineStep = PipelineStep
    for name in ("datatrove", "datatrove.pipeline"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "datatrove.pipeline.base", base)


def test_datatrove_step_recipe(monkeypatch):
    try:
        from datatrove.data import Document
    except ImportError:
        _datatrove_stand_in(monkeypatch)
        Document = _Document
    namespace: dict = {"__name__": "recipe"}
    exec(compile(recipe("PipelineStep"), "README.md", "exec"), namespace)
    step = namespace["CleanWordPress"]()
    pages = [r for r in host_records(pages=2) if "html" in r]
    docs = [Document(text=r["html"], id=r["id"], metadata={"url": r["url"]}) for r in pages]
    shared = load_case(HTML_CASES[0].parent / "pasted-sharedaddy.case")
    docs.append(Document(text=shared.input, id="share", metadata={"url": "https://bike.example/"}))
    docs.append(Document(text="", id="empty", metadata={}))
    out = list(step(iter(docs)))
    assert [d.id for d in out] == [r["id"] for r in pages] + ["share", "empty"]
    assert out[0].text.startswith("---\ntitle: Rezept 1") and "<p>" not in out[0].text
    assert out[0].metadata["host"] == "kochen.example"
    assert out[-2].text == shared.expected + "\n"
    assert {d["profile"] for d in out[-2].metadata["decisions"]} == {"share-buttons"}
    if Document is _Document:  # the stand-in's counts (datatrove's own are Stats objects)
        assert step.stats == {"cleaned": 4}
