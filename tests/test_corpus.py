"""Corpus-scale cleaning: records in JSONL shards, rejects, the library and the command line."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests import corpus
from tests.shardbuild import (
    GARTEN_MENU,
    GARTEN_NAME,
    GARTEN_SIGN_OFF,
    KOCHEN_MENU,
    KOCHEN_SIGN_OFF,
    case_records,
    corpus_page_records,
    host_records,
    read_jsonl,
    reisen_page,
    write_jsonl,
)
from wpmigrate.clean.files import clean_document
from wpmigrate.cli import main
from wpmigrate.corpus import (
    HostLearner,
    RecordFields,
    clean_record,
    clean_records,
    clean_shards,
    host_of,
    is_rejected,
)
from wpmigrate.errors import UsageError


def run(args: list[str], capsys) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


# --- one record -----------------------------------------------------------------------


def test_a_record_is_cleaned_like_a_file_of_its_kind():
    for record in case_records():
        out = clean_record(record)
        kind = "html" if "html" in record else "text"
        doc = clean_document(record.get("html") or record["text"], kind)
        assert out["markdown"] == doc.markdown, record["url"]
        assert out["decisions"] == [d.as_dict() for d in doc.result.decisions]
        assert out["needs_review"] is doc.result.needs_review
        for key in ("title", "date", "author"):
            value = doc.result.metadata.get(key)
            assert out[key] == (value.isoformat() if hasattr(value, "isoformat") else value), (record["url"], key)
        assert out["tags"] == doc.result.metadata.get("tags", [])
        if "expect" in record:
            assert out["markdown"] == record["expect"] + "\n"
        # every field it came with is kept
        assert {k: out[k] for k in record} == record


def test_a_pages_metadata_becomes_fields():
    pages = [r for r in corpus_page_records() if "silkes-weinkeller" in r["url"]]
    if not pages:
        pytest.skip(corpus.missing_reason(corpus.PAGES))
    out = clean_record(pages[0])
    assert out["title"] == "Wein dekantieren: Alles Wissenswerte rund um einen besonderen Schritt"
    assert out["date"].startswith("2021-10-14")
    assert out["host"] == "silkes-weinkeller.de"


def test_html_when_there_is_html_else_text():
    html = "<p>Ein Absatz mit genug Worten, damit er als Prosa zählt, ganz bestimmt.</p>"
    both = clean_record({"html": html, "text": "anderer Text"})
    assert "Ein Absatz" in both["markdown"] and "anderer" not in both["markdown"]
    empty_html = clean_record({"html": "  ", "text": "Nur der Text zählt hier."})
    assert empty_html["markdown"].strip() == "Nur der Text zählt hier."
    # bytes (a Parquet binary column) are decoded as a browser decodes the page
    latin = clean_record({"html": "<meta charset='iso-8859-1'><p>Grüße</p>".encode("latin-1")})
    assert "Grüße" in latin["markdown"]


def test_custom_field_names():
    fields = RecordFields(html="body", text="plain", url="link", out="md")
    out = clean_record({"link": "https://a.example/x", "plain": "Hallo Welt."}, fields=fields)
    assert out["md"].strip() == "Hallo Welt." and out["host"] == "a.example"
    with pytest.raises(UsageError, match="different fields"):
        RecordFields(html="x", text="x")
    with pytest.raises(UsageError, match="adds itself"):
        RecordFields(out="title")


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ([1, 2], "not a list"),
        ("text", "not a str"),
        ({"url": "https://a.example/"}, "no 'html' or 'text' field"),
        ({"html": 42}, "field 'html' holds a number"),
        ({"text": {"a": 1}}, "field 'text' holds an object"),
        ({"html": b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 8}, "binary data"),
    ],
)
def test_a_record_that_cannot_be_cleaned_is_rejected_with_the_reason(record, reason):
    out = clean_record(record)
    assert is_rejected(out)
    assert reason in out["rejected"]
    assert out["record"] == record


def test_clean_records_streams():
    seen = []

    def records():
        for i in range(3):
            seen.append(i)
            yield {"text": f"Seite {i}."}
        raise AssertionError("read past what was asked for")

    it = clean_records(records())
    assert next(it)["markdown"].strip() == "Seite 0."
    assert seen == [0]  # one record read for one record cleaned: nothing held
    assert next(it)["markdown"].strip() == "Seite 1."
    assert seen == [0, 1]


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://WWW.Example.com/a?b", "www.example.com"),
        ("http://bücher.example/x", "xn--bcher-kva.example"),
        ("https://a.example:8443/", "a.example"),
        ("not a url", None),
        ("http://[::1/", None),
        ("https://../", None),
        (None, None),
        (12, None),
    ],
)
def test_host_of(url, host):
    assert host_of(url) == host


# --- shards ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """Hundreds of records of several hosts: the scraped cases, the corpus pages, and hosts
    with their own repeated chrome (tests/shardbuild.py)."""
    return case_records() + corpus_page_records() + host_records(pages=60)


@pytest.fixture(scope="module")
def cleaned(records) -> list[dict]:
    """Each record cleaned on its own, as JSON gives it back."""
    return [json.loads(json.dumps(clean_record(r), ensure_ascii=False)) for r in records]


def shard_inputs(folder: Path, records: list[dict]) -> Path:
    """The records in three shards: plain JSONL, gzip-compressed JSONL, and one in a subfolder."""
    third = len(records) // 3
    write_jsonl(folder / "part-0.jsonl", records[:third])
    write_jsonl(folder / "part-1.jsonl.gz", records[third : 2 * third])
    write_jsonl(folder / "more" / "part-2.jsonl", records[2 * third :])
    return folder


def test_jsonl_round_trip(tmp_path, records, cleaned):
    inp = shard_inputs(tmp_path / "in", records)
    summary = clean_shards([inp], tmp_path / "out")
    assert summary.records == summary.cleaned == len(records) and summary.rejected == 0
    assert summary.exit_code == 0
    names = ["part-0.jsonl", "part-1.jsonl.gz", "more/part-2.jsonl"]
    got = [r for name in names for r in read_jsonl(tmp_path / "out" / name)]
    assert got == cleaned
    assert not (tmp_path / "out" / "rejects").exists()


def test_the_same_shard_gives_the_same_bytes(tmp_path):
    write_jsonl(tmp_path / "in" / "s.jsonl.gz", host_records(pages=3))
    clean_shards([tmp_path / "in"], tmp_path / "a")
    clean_shards([tmp_path / "in"], tmp_path / "b")
    data = (tmp_path / "a" / "s.jsonl.gz").read_bytes()
    assert data[:2] == b"\x1f\x8b"  # still gzip, and without a time stamp:
    assert data == (tmp_path / "b" / "s.jsonl.gz").read_bytes()


def test_corrupt_records_go_to_rejects_and_the_rest_is_cleaned(tmp_path, capsys):
    good = [{"url": "https://a.example/1", "text": "Erste Seite."}, {"url": "https://a.example/2", "text": "Zweite."}]
    shard = write_jsonl(
        tmp_path / "in" / "s.jsonl",
        good,
        raw_lines=['{"url": "https://a.example/3", "text": ', "[1, 2, 3]", '{"html": 7}', '{"url": "x"}'],
    )
    with shard.open("ab") as fh:
        fh.write(b'{"text": "\xff\xfe kaputt"}\n')
    write_jsonl(shard.parent / "t.jsonl", [good[0]])
    code, _, err = run(["clean", str(shard.parent), "-o", str(tmp_path / "out")], capsys)
    assert code == 1
    assert "3 of 8 records in 2 shards cleaned" in err and "5 rejected" in err
    assert [r["text"] for r in read_jsonl(tmp_path / "out" / "s.jsonl")] == ["Erste Seite.", "Zweite."]
    rejects = read_jsonl(tmp_path / "out" / "rejects" / "s.jsonl")
    assert [r["line"] for r in rejects] == [3, 4, 5, 6, 7]
    assert all(r["shard"] == str(shard) for r in rejects)
    reasons = [r["rejected"] for r in rejects]
    assert reasons[0].startswith("not JSON") and rejects[0]["raw"].startswith('{"url": "https://a.example/3"')
    assert reasons[1:] == [
        "a record is an object of fields, not a list",
        "field 'html' holds a number, not text",
        "no 'html' or 'text' field",
        "not UTF-8 text",
    ]
    assert rejects[1]["record"] == [1, 2, 3]
    assert not (tmp_path / "out" / "rejects" / "t.jsonl").exists()
    # once the shard is mended, a new run leaves no rejects of the old one behind
    write_jsonl(shard, good)
    code, _, err = run(["clean", str(shard.parent), "-o", str(tmp_path / "out")], capsys)
    assert code == 0 and not (tmp_path / "out" / "rejects" / "s.jsonl").exists()


def test_hostile_lines_are_rejects_not_crashes(tmp_path):
    shard = write_jsonl(
        tmp_path / "in" / "s.jsonl",
        [{"text": "Vorher.", "score": float("nan")}],
        raw_lines=["[" * 100_000 + "]" * 100_000, '{"text": 1' + "0" * 5000 + "}", '{"text": "Nachher."}'],
    )
    summary = clean_shards([shard], tmp_path / "out")
    assert summary.cleaned == 2 and summary.rejected == 2
    rejects = read_jsonl(tmp_path / "out" / "rejects" / "s.jsonl")
    assert [r["line"] for r in rejects] == [2, 3]
    assert rejects[0]["rejected"] == "JSON nested too deeply to read"
    assert rejects[1]["rejected"].startswith("not JSON")
    out = (tmp_path / "out" / "s.jsonl").read_text(encoding="utf-8")
    assert '"score": NaN' in out  # written back as it came


def test_a_gzip_shard_cut_short_keeps_what_was_read(tmp_path):
    data = gzip.compress(b"".join(json.dumps({"text": f"Seite {i}."}).encode() + b"\n" for i in range(200)))
    shard = tmp_path / "in" / "cut.jsonl.gz"
    shard.parent.mkdir()
    shard.write_bytes(data[: len(data) * 2 // 3])
    summary = clean_shards([shard], tmp_path / "out")
    cleaned = read_jsonl(tmp_path / "out" / "cut.jsonl.gz")
    assert 0 < len(cleaned) < 200 and summary.cleaned == len(cleaned)
    (reject,) = read_jsonl(tmp_path / "out" / "rejects" / "cut.jsonl")
    assert reject["rejected"].startswith(f"cannot read the shard past line {len(cleaned)}")
    assert summary.rejected == 1 and summary.exit_code == 1


# --- the command line -----------------------------------------------------------------


def test_cli_cleans_shards_into_the_output_folder(tmp_path, capsys, records):
    inp = shard_inputs(tmp_path / "in", records[:20])
    code, out, err = run(["clean", str(inp / "part-0.jsonl"), str(inp / "more"), "-o", str(tmp_path / "out")], capsys)
    assert code == 0, err
    assert out == ""
    assert (tmp_path / "out" / "part-0.jsonl").exists() and (tmp_path / "out" / "more" / "part-2.jsonl").exists()
    assert "engine local" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--in-place"], "--in-place: not for record shards"),
        (["--jobs", "2"], "--jobs: not for record shards (more cores: --engine dask)"),
        (["--check", "--report", "r.jsonl"], "--check, --report: not for record shards"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler is for --engine dask"),
        (["--out-field", "tags"], "adds itself"),
    ],
)
def test_cli_refuses_what_shards_do_not_take(tmp_path, capsys, extra, message):
    shard = write_jsonl(tmp_path / "s.jsonl", [{"text": "x"}])
    code, _, err = run(["clean", str(shard), "-o", str(tmp_path / "out"), *extra], capsys)
    assert code == 2 and message in err, err


def test_cli_shard_options_are_refused_for_documents(tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_text("Text.\n", encoding="utf-8")
    code, _, err = run(["clean", str(page), "--learn-per-host", "--html-field", "body"], capsys)
    assert code == 2 and "--learn-per-host, --html-field: only for record shards" in err


def test_cli_needs_an_output_folder_and_one_kind_of_input(tmp_path, capsys):
    shard = write_jsonl(tmp_path / "in" / "s.jsonl", [{"text": "x"}])
    code, _, err = run(["clean", str(shard)], capsys)
    assert code == 2 and "give -o OUT_DIR" in err
    (tmp_path / "in" / "page.md").write_text("# x\n", encoding="utf-8")
    code, _, err = run(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")], capsys)
    assert code == 2 and "both record shards and documents" in err
    code, _, err = run(["clean", str(shard), str(tmp_path / "in" / "page.md"), "-o", str(tmp_path / "o")], capsys)
    assert code == 2 and "cannot be cleaned in one run" in err
    code, _, err = run(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "in" / "out")], capsys)
    assert code == 2


def test_same_name_from_two_places_is_refused(tmp_path):
    a = write_jsonl(tmp_path / "a" / "s.jsonl", [{"text": "x"}])
    b = write_jsonl(tmp_path / "b" / "s.jsonl", [{"text": "y"}])
    with pytest.raises(UsageError, match="would both be written as s.jsonl"):
        clean_shards([a, b], tmp_path / "out")
    # as folders, each keeps its folder's name
    summary = clean_shards([a.parent, b.parent], tmp_path / "out")
    assert summary.cleaned == 2
    assert read_jsonl(tmp_path / "out" / "b" / "s.jsonl")[0]["text"] == "y"


def test_a_shard_never_lands_where_rejects_or_profiles_go(tmp_path):
    write_jsonl(tmp_path / "in" / "rejects" / "a.jsonl", [{"text": "x"}])
    with pytest.raises(UsageError, match="where the run writes its rejects"):
        clean_shards([tmp_path / "in"], tmp_path / "out")
    assert clean_shards([tmp_path / "in" / "rejects"], tmp_path / "out").cleaned == 1


def test_importing_wpmigrate_never_imports_dask_or_pyarrow():
    code = (
        "import sys, wpmigrate, wpmigrate.corpus, wpmigrate.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'pyarrow')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_library_two_passes_give_what_the_command_gives(tmp_path):
    recs = host_records(pages=6)
    learner = HostLearner()
    for r in recs:
        learner.add(r)
    library = list(clean_records(recs, learned=learner.profiles_toml()))
    write_jsonl(tmp_path / "in" / "s.jsonl", recs)
    clean_shards([tmp_path / "in"], tmp_path / "out", learn_per_host=True)
    assert read_jsonl(tmp_path / "out" / "s.jsonl") == json.loads(json.dumps(library, ensure_ascii=False))


def test_host_learner_merges_in_any_order():
    records = host_records(pages=12)
    parts = [records[i::3] for i in range(3)]
    learners = []
    for part in parts:
        learner = HostLearner()
        for r in part:
            learner.add(r)
        learners.append(learner)
    one = HostLearner()
    for r in records:
        one.add(r)
    forward = HostLearner().merge(learners[0]).merge(learners[1]).merge(learners[2])
    backward = HostLearner().merge(learners[2]).merge(learners[1]).merge(learners[0])
    assert forward.profiles_toml() == backward.profiles_toml() == one.profiles_toml()
    assert GARTEN_SIGN_OFF in one.profiles_toml()["garten.example"]


# --- Parquet --------------------------------------------------------------------------


def need_pyarrow():
    return pytest.importorskip("pyarrow.parquet", reason="Parquet needs pyarrow: pip install 'wpmigrate[corpus]'")


def write_parquet(path: Path, records: list[dict], **column_types) -> Path:
    import pyarrow as pa

    pq = need_pyarrow()
    names = list(dict.fromkeys(k for r in records for k in r))
    types = {name: column_types.get(name, pa.string()) for name in names}
    table = pa.Table.from_pylist(records, schema=pa.schema(list(types.items())))
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=50)
    return path


def test_parquet_round_trip(tmp_path, records):
    pq = need_pyarrow()
    # a Parquet column is in every row: a field a record does not have is null there
    names = list(dict.fromkeys(k for r in records for k in r))
    full = [{n: r.get(n) for n in names} for r in case_records() + host_records(pages=10)]
    half = len(full) // 2
    write_parquet(tmp_path / "in" / "a.parquet", full[:half])
    write_parquet(tmp_path / "in" / "b.parquet", full[half:])
    summary = clean_shards([tmp_path / "in"], tmp_path / "out")
    assert summary.cleaned == len(full) and summary.rejected == 0
    got = [r for name in ("a", "b") for r in pq.read_table(tmp_path / "out" / f"{name}.parquet").to_pylist()]
    assert got == [clean_record(r) for r in full]
    schema = pq.read_schema(tmp_path / "out" / "a.parquet")
    assert str(schema.field("decisions").type).startswith("list<element: struct<action: string, rule: string")
    assert str(schema.field("tags").type) == "list<element: string>"


def test_jsonl_and_parquet_give_the_same_records(tmp_path, records):
    pq = need_pyarrow()
    names = list(dict.fromkeys(k for r in records for k in r))
    full = [{n: r.get(n) for n in names} for r in records if "id" in r][:150]
    write_parquet(tmp_path / "p" / "s.parquet", full)
    write_jsonl(tmp_path / "j" / "s.jsonl", full)
    clean_shards([tmp_path / "p"], tmp_path / "po", learn_per_host=True)
    clean_shards([tmp_path / "j"], tmp_path / "jo", learn_per_host=True)
    assert pq.read_table(tmp_path / "po" / "s.parquet").to_pylist() == read_jsonl(tmp_path / "jo" / "s.jsonl")


def test_parquet_binary_html_and_rejects(tmp_path):
    pq = need_pyarrow()
    import pyarrow as pa

    page = "<html><head><meta charset='windows-1252'><title>Grüße</title></head><body><p>Schöne Grüße aus Köln.</p></body></html>"
    image = b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 8
    rows = [
        {"url": "https://a.example/1", "html": page.encode("cp1252"), "text": None},
        {"url": "https://a.example/2", "html": image, "text": None},
        {"url": "https://a.example/3", "html": None, "text": None},
    ]
    write_parquet(tmp_path / "in" / "s.parquet", rows, html=pa.binary())
    (tmp_path / "in" / "broken.parquet").write_bytes(b"PAR1 but nothing after it")
    summary = clean_shards([tmp_path / "in"], tmp_path / "out")
    out = pq.read_table(tmp_path / "out" / "s.parquet").to_pylist()
    assert [r["url"] for r in out] == ["https://a.example/1", "https://a.example/3"]
    assert out[0]["title"] == "Grüße" and "Schöne Grüße aus Köln." in out[0]["markdown"]
    assert out[0]["html"] == page.encode("cp1252")  # the input's fields as they were
    assert out[1]["markdown"] == ""  # a page with nothing in it is empty, not an error
    (reject,) = read_jsonl(tmp_path / "out" / "rejects" / "s.jsonl")
    assert reject["row"] == 2 and "binary data" in reject["rejected"]
    assert reject["record"]["html"]["base64"]  # bytes kept, as JSON can hold them
    (broken,) = read_jsonl(tmp_path / "out" / "rejects" / "broken.jsonl")
    assert broken["rejected"].startswith("not a readable Parquet file")
    assert not (tmp_path / "out" / "broken.parquet").exists()
    assert summary.rejected == 2 and summary.cleaned == 2


def test_parquet_without_pyarrow_says_how_to_install_it(tmp_path, monkeypatch):
    shard = tmp_path / "s.parquet"
    shard.write_bytes(b"x")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(UsageError, match=r"pip install 'wpmigrate\[corpus\]'"):
        clean_shards([shard], tmp_path / "out")


# --- learning per host ----------------------------------------------------------------


def by_id(rows: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in rows if r.get("id")}


def test_per_host_learning_removes_each_hosts_chrome_on_that_host_only(tmp_path, records):
    inp = shard_inputs(tmp_path / "in", records)
    summary = clean_shards([inp], tmp_path / "out", learn_per_host=True)
    rows = by_id(
        r
        for name in ("part-0.jsonl", "part-1.jsonl.gz", "more/part-2.jsonl")
        for r in read_jsonl(tmp_path / "out" / name)
    )
    assert summary.profiles_dir == str(tmp_path / "out" / "profiles")
    assert set(summary.learned) == {"garten.example", "kochen.example"}
    garten = tomllib.loads((tmp_path / "out" / "profiles" / "garten.example.toml").read_text(encoding="utf-8"))
    assert garten["name"] == "garten-example"
    assert {r["text"]: r["zone"] for r in garten["rule"]} == {
        GARTEN_NAME: "head",
        GARTEN_MENU: "head",
        GARTEN_SIGN_OFF: "tail",  # on 45 of 60 pages: more than half
    }
    kochen = tomllib.loads((tmp_path / "out" / "profiles" / "kochen.example.toml").read_text(encoding="utf-8"))
    assert {r["text"] for r in kochen["rule"]} == {KOCHEN_MENU, KOCHEN_SIGN_OFF}
    # each host's chrome is gone from its own pages, by its own rules
    for i in range(60):
        g, k = rows[f"g{i}"], rows[f"k{i}"]
        for line in (GARTEN_NAME, GARTEN_MENU, GARTEN_SIGN_OFF):
            assert line not in g["markdown"]
        assert KOCHEN_MENU not in k["markdown"] and KOCHEN_SIGN_OFF not in k["markdown"]
        assert "1. Mal hörte ich genau zu" in g["markdown"] and "1. Mal hörte ich genau zu" in k["markdown"]
        learned = [d for d in g["decisions"] + k["decisions"] if ".learned-" in d["rule"]]
        assert learned and all(
            d["profile"] == {"g": "garten-example", "k": "kochen-example"}[d["rule"][0]] for d in learned
        )
        assert g["host"] == "garten.example" and k["host"] == "kochen.example"
    # garten's sign-off quoted under one page of another host is that page's: kept there
    assert GARTEN_SIGN_OFF in rows["r7"]["markdown"]
    assert not any(".learned-" in d["rule"] for i in range(60) for d in rows[f"r{i}"]["decisions"])
    # without learning, the same chrome stays
    plain = clean_record(next(r for r in records if r.get("id") == "g0"))
    assert GARTEN_MENU in plain["markdown"]


def test_learning_needs_half_of_a_hosts_pages_and_two(tmp_path):
    line = "Ein Gruß vom Team am Ende jeder Seite"
    recs = [
        {"url": f"https://a.example/{i}", "text": reisen_page(i) + ("\n" + line + "\n" if i < 2 else "")}
        for i in range(5)
    ]
    recs.append({"url": "https://b.example/only", "text": reisen_page(9) + "\n" + line + "\n"})
    write_jsonl(tmp_path / "in" / "s.jsonl", recs)
    summary = clean_shards([tmp_path / "in"], tmp_path / "out", learn_per_host=True)
    assert summary.learned == {}  # 2 of 5 pages on a.example, 1 page on b.example
    recs[2]["text"] += "\n" + line + "\n"  # 3 of 5
    write_jsonl(tmp_path / "in" / "s.jsonl", recs)
    summary = clean_shards([tmp_path / "in"], tmp_path / "out2", learn_per_host=True)
    assert summary.learned == {"a.example": 1}
    out = read_jsonl(tmp_path / "out2" / "s.jsonl")
    assert all(line not in r["markdown"] for r in out[:5]) and line in out[5]["markdown"]
    assert not (tmp_path / "out2" / "profiles" / "b.example.toml").exists()


def test_cli_learn_per_host(tmp_path, capsys):
    write_jsonl(tmp_path / "in" / "s.jsonl", host_records(pages=4))
    code, _, err = run(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--learn-per-host"], capsys)
    assert code == 0, err
    assert "rules learned for 2 hosts in" in err
    assert sorted(p.name for p in (tmp_path / "out" / "profiles").iterdir()) == [
        "garten.example.toml",
        "kochen.example.toml",
    ]
