"""``wpmigrate clean`` and the library function behind it (wpmigrate.clean.files.clean_paths)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import corpus
from wpmigrate.clean.files import clean_paths
from wpmigrate.cli import main
from wpmigrate.errors import UsageError

GOLDEN = Path(__file__).parent / "golden" / "clean"
SEED = corpus.SEED

ARTICLE = (
    "Ein Absatz mit echtem Inhalt, der lang genug ist, um als Prosa zu gelten, und noch mehr Worte.\n\n"
    "Noch ein Absatz, in dem es um den Garten geht, um Kompost, Regen und die Nachbarin von gegenüber.\n"
)
MD_WITH_TAIL = "---\ntitle: Garten\n---\n\n" + ARTICLE + "\nShare this:\n\n- [Twitter](https://x/?share=twitter)\n"
MD_CLEAN = "---\ntitle: Garten\n---\n\n" + ARTICLE
HTML_FRAGMENT = (
    "<p>Ein Absatz mit echtem Inhalt, der lang genug ist, um als Prosa zu gelten, und noch mehr Worte.</p>\n"
    '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">'
    '<h3 class="sd-title">Teilen mit:</h3><ul><li class="share-twitter"><a href="?share=twitter">Twitter</a></li></ul></div></div>\n'
)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run the real entry point (with its error mapping); return (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_info:
        main(["clean", *argv])
    out, err = capsys.readouterr()
    return exit_info.value.code or 0, out, err


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "blog" / "2020").mkdir(parents=True)
    shutil.copy(corpus.need(SEED), root / "blog" / "2020" / "kunde-droht.txt")
    (root / "blog" / "garten.md").write_text(MD_WITH_TAIL, encoding="utf-8")
    (root / "blog" / "clean.md").write_text(MD_CLEAN, encoding="utf-8")
    (root / "page.html").write_text(HTML_FRAGMENT, encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")  # not ours: skipped in folders
    (root / ".git").mkdir()
    (root / ".git" / "x.md").write_text("Share this:\n", encoding="utf-8")
    return root


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()
    }


# --- one file: stdout ------------------------------------------------------------------


def test_seed_through_cli_equals_golden(capsys):
    code, out, err = run([str(corpus.need(SEED))], capsys)
    assert code == 0
    assert out == (GOLDEN / "scraped-zeen-de.md").read_text(encoding="utf-8")


def test_seed_through_library_equals_golden():
    summary = clean_paths([corpus.need(SEED)])
    assert summary.output == (GOLDEN / "scraped-zeen-de.md").read_text(encoding="utf-8")
    assert summary.exit_code == 0 and summary.files[0].changed


def test_seed_through_subprocess(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "wpmigrate", "clean", str(corpus.need(SEED))],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (GOLDEN / "scraped-zeen-de.md").read_text(encoding="utf-8")


def test_html_file_prints_markdown(tmp_path, capsys):
    f = tmp_path / "page.html"
    f.write_text(HTML_FRAGMENT, encoding="utf-8")
    code, out, _ = run([str(f)], capsys)
    assert code == 0
    assert "Ein Absatz mit echtem Inhalt" in out and "Teilen mit" not in out and "<" not in out


# --- folders: -o mirror ------------------------------------------------------------------


def test_folder_mirrored_into_out(site, tmp_path, capsys):
    out_dir = tmp_path / "out"
    code, out, err = run([str(site), "-o", str(out_dir)], capsys)
    assert code == 0, err
    assert (out_dir / "notes.pdf").read_bytes() == b"%PDF-1.4"  # the rest of the tree is copied
    (out_dir / "notes.pdf").unlink()
    files = tree(out_dir)
    assert sorted(files) == ["blog/2020/kunde-droht.md", "blog/clean.md", "blog/garten.md", "page.md"]
    assert files["blog/2020/kunde-droht.md"] == (GOLDEN / "scraped-zeen-de.md").read_text(encoding="utf-8")
    assert files["blog/garten.md"] == MD_CLEAN
    assert files["blog/clean.md"] == MD_CLEAN
    assert "Teilen mit" not in files["page.md"]
    assert "3 of 4 files cleaned" in err and "1 other file copied" in err
    # the inputs are untouched
    assert (site / "blog" / "garten.md").read_text(encoding="utf-8") == MD_WITH_TAIL
    # the output is clean: checking it changes nothing (idempotent at file level)
    code, _, err = run([str(out_dir), "--check"], capsys)
    assert code == 0, err


def test_output_name_collision_is_resolved_and_reported(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(MD_CLEAN, encoding="utf-8")
    (src / "a.txt").write_text(
        "Ein Absatz, lang genug um als Prosa zu gelten, mit Punkt am Ende, ja wirklich.\n", encoding="utf-8"
    )
    summary = clean_paths([src], out=tmp_path / "out")
    assert sorted(tree(tmp_path / "out")) == ["a.md", "a.txt.md"]
    assert [f.note for f in summary.files if f.note] == ["written as a.txt.md: a.md is taken by another input"]


# --- --check, --diff, --in-place, --backup, --report ---------------------------------------


def test_check_exits_1_and_writes_nothing(site, capsys):
    before = tree(site)
    code, out, err = run([str(site), "--check"], capsys)
    assert code == 1
    assert out == "" and "3 of 4 files would be cleaned" in err
    assert tree(site) == before


def test_check_on_clean_file_exits_0(site, capsys):
    code, _, _ = run([str(site / "blog" / "clean.md"), "--check"], capsys)
    assert code == 0


PLAIN_TXT = (
    "Wie ich lernte, den Garten zu lieben\n\n"
    "Es begann im Frühjahr, als die ersten Tulpen durch den nassen Boden brachen und ich endlich Zeit hatte.\n"
)


def test_check_on_clean_text_page_says_nothing_changes(tmp_path, capsys):
    # a .txt page always comes out as Markdown with its title as front matter; that
    # alone is not a change: nothing is removed, so --check passes and --in-place leaves it
    f = tmp_path / "garten.txt"
    f.write_text(PLAIN_TXT, encoding="utf-8")
    code, out, err = run([str(f), "--check"], capsys)
    assert code == 0 and out == ""
    assert "nothing would change (1 file checked)" in err and "would be cleaned" not in err
    code, out, _ = run([str(f), "--diff"], capsys)
    assert code == 0 and out == ""
    code, _, err = run([str(f), "--in-place"], capsys)
    assert code == 0 and f.read_text(encoding="utf-8") == PLAIN_TXT and "0 of 1 file cleaned" in err
    # a page with something to remove still fails the check
    f.write_text(PLAIN_TXT + "\nTeilen mit:\n\nFacebook\n", encoding="utf-8")
    code, _, err = run([str(f), "--check"], capsys)
    assert code == 1 and "1 of 1 file would be cleaned" in err


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_folder_needs_an_output_folder_whatever_it_holds(tmp_path, capsys, count):
    src = tmp_path / "pages"
    src.mkdir()
    for n in range(count):
        (src / f"p{n}.txt").write_text(PLAIN_TXT, encoding="utf-8")
    code, out, err = run([str(src)], capsys)
    assert code == 2 and out == ""
    assert f"{src}: is a folder: clean it into a folder with -o OUT, or rewrite its files with --in-place" in err
    assert "several" not in err
    code, _, err = run([str(src), "-o", str(tmp_path / "out")], capsys)
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").glob("*")) == [f"p{n}.md" for n in range(count)]
    empty_warning = f"warning: {src}: no file to clean in this folder (looked for .md, .markdown, .html, .htm, .txt)"
    assert (empty_warning in err) == (count == 0)


def test_several_files_need_an_output_folder(tmp_path, capsys):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(PLAIN_TXT, encoding="utf-8")
    code, out, err = run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], capsys)
    assert code == 2 and out == "" and "2 files: clean them into a folder with -o OUT" in err
    # the same file named twice is one file, printed
    code, out, _ = run([str(tmp_path / "a.txt"), str(tmp_path / "a.txt")], capsys)
    assert code == 0 and out.startswith("---\ntitle: Wie ich lernte")


def test_diff_prints_unified_diff_and_writes_nothing(site, capsys):
    before = tree(site)
    code, out, _ = run([str(site / "blog" / "garten.md"), "--diff"], capsys)
    assert code == 0
    assert out.startswith(f"--- {site / 'blog' / 'garten.md'}\n+++ ")
    assert "-Share this:\n" in out and "-- [Twitter](https://x/?share=twitter)\n" in out
    assert tree(site) == before


def test_in_place_with_backup(site, capsys):
    code, _, err = run([str(site), "--in-place", "--backup", ".orig"], capsys)
    assert code == 0, err
    files = tree(site)
    assert files["blog/garten.md"] == MD_CLEAN
    assert files["blog/garten.md.orig"] == MD_WITH_TAIL
    assert "blog/clean.md.orig" not in files  # unchanged files are not rewritten
    assert files["page.html"].startswith("<p>Ein Absatz") and "sharedaddy" not in files["page.html"]
    assert files["page.html.orig"] == HTML_FRAGMENT
    assert files["blog/2020/kunde-droht.txt"] == (GOLDEN / "scraped-zeen-de.md").read_text(encoding="utf-8")
    # a second run finds nothing to do, and ignores the backups
    code, _, err = run([str(site), "--check", "--backup", ".orig", "--in-place"], capsys)
    assert code == 0, err


def test_report_one_json_line_per_decision(site, tmp_path, capsys):
    report = tmp_path / "report.jsonl"
    code, _, _ = run([str(site), "--check", "--report", str(report)], capsys)
    assert code == 1
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert {tuple(sorted(d)) for d in lines} == {
        ("action", "file", "line_end", "line_start", "profile", "reason", "rule", "text")
    }
    garten = [d for d in lines if d["file"].endswith("garten.md")]
    assert [(d["action"], d["rule"], d["line_start"]) for d in garten] == [
        ("removed", "share.label", 9),
        ("removed", "structure.widget-links", 11),
    ]
    seed = [d for d in lines if d["file"].endswith("kunde-droht.txt")]
    assert ("metadata", "structure.title", 4) in [(d["action"], d["rule"], d["line_start"]) for d in seed]
    assert ("removed", "zeen.promo-text", 40) in [(d["action"], d["rule"], d["line_start"]) for d in seed]


def test_profile_option_selects_profiles(tmp_path, capsys):
    f = tmp_path / "a.md"
    f.write_text(MD_WITH_TAIL, encoding="utf-8")
    code, out, _ = run([str(f), "--profile", "newsletters"], capsys)
    assert code == 0 and "Share this:" in out
    code, out, _ = run([str(f), "--profile", "share-buttons"], capsys)
    assert out == MD_CLEAN


def test_learn_writes_a_loadable_site_profile(tmp_path, capsys):
    src = tmp_path / "pages"
    src.mkdir()
    for i in range(4):
        (src / f"p{i}.txt").write_text(
            f"Titel {i}\n\nEin Absatz für Seite {i}, lang genug, um als Prosa zu gelten, mit Punkt am Ende.\n\n"
            "Folge uns auf Instagram\n",
            encoding="utf-8",
        )
    learned = tmp_path / "site.toml"
    code, _, err = run([str(src), "--learn", str(learned)], capsys)
    assert code == 0, err
    assert "1 rule proposed" in err
    code, out, _ = run([str(src / "p1.txt"), "--profile", str(learned)], capsys)
    assert "Folge uns auf Instagram" not in out
    code, out, _ = run([str(src / "p1.txt")], capsys)
    assert "Folge uns auf Instagram" in out  # applied only when passed in


# --- errors: never a traceback, always the file ------------------------------------------


def test_missing_path(tmp_path, capsys):
    code, _, err = run([str(tmp_path / "nope.md")], capsys)
    assert code == 2
    assert err.startswith("wpmigrate: error: ") and "nope.md: no such file or folder" in err
    assert "Traceback" not in err


def test_out_inside_input(site, capsys):
    code, _, err = run([str(site), "-o", str(site / "out")], capsys)
    assert code == 2 and "inside the input folder" in err
    assert not (site / "out").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["-o", "OUT", "--in-place"], "exclude each other"),
        (["--backup", ".bak"], "--backup only makes sense with --in-place"),
        (["--in-place", "--backup", "a/b"], "file name suffix"),
    ],
)
def test_bad_option_combinations(site, tmp_path, capsys, argv, message):
    argv = [a if a != "OUT" else str(tmp_path / "out") for a in argv]
    code, _, err = run([str(site / "blog" / "garten.md"), *argv], capsys)
    assert code == 2 and message in err


def test_folder_without_destination(site, capsys):
    code, _, err = run([str(site)], capsys)
    assert code == 2 and "is a folder: clean it into a folder with -o OUT, or rewrite its files with --in-place" in err


def test_unsupported_file(site, capsys):
    code, _, err = run([str(site / "notes.pdf")], capsys)
    assert code == 2 and "notes.pdf" in err and "cannot clean a .pdf file" in err


def test_legacy_encoding_binary_and_empty_files(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "latin1.txt").write_bytes("Café au lait, ein Absatz.\n".encode("latin-1"))
    (src / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (src / "empty.md").write_bytes(b"")
    (src / "empty.txt").write_bytes(b"")
    (src / "bom.md").write_bytes("\ufeff".encode() + MD_CLEAN.encode())
    (src / "ok.md").write_text(MD_WITH_TAIL, encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = run([str(src), "-o", str(out_dir)], capsys)
    assert code == 1  # the binary file
    # a page is never refused for its bytes: Latin-1 text without a declaration is read
    # as Windows-1252 (as browsers do), with a warning naming the file
    assert f"warning: {src / 'latin1.txt'}: not UTF-8 and no encoding declared: read as Windows-1252" in err
    assert f"{src / 'binary.md'}: binary file" in err
    assert "Traceback" not in err
    files = tree(out_dir)
    assert files["ok.md"] == MD_CLEAN  # the other files are still cleaned
    assert files["empty.md"] == "" and files["empty.txt.md"] == ""
    assert files["bom.md"] == MD_CLEAN
    assert "Café au lait, ein Absatz." in files["latin1.md"]
    assert "binary.md" not in files


def test_huge_line(tmp_path, capsys):
    f = tmp_path / "huge.txt"
    line = ("wort " * 200_000).strip() + "."
    f.write_text(f"Titel\n\n{line}\n", encoding="utf-8")
    code, out, _ = run([str(f)], capsys)
    assert code == 0 and out.endswith(line + "\n")


def test_library_raises_usage_errors():
    with pytest.raises(UsageError):
        clean_paths([])
    with pytest.raises(UsageError):
        clean_paths([SEED], out="x", in_place=True)


def test_writes_are_atomic(site, tmp_path, monkeypatch):
    # the library writes through write.atomic_write_text (temp file + os.replace)
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append(Path(dst).name)
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    clean_paths([site], out=tmp_path / "out")
    assert sorted(calls) == ["clean.md", "garten.md", "kunde-droht.md", "notes.pdf", "page.md"]


# --- every spec case through the command line too ----------------------------------------

from tests.casefiles import load_case  # noqa: E402

CASES = sorted((GOLDEN / "text").glob("*.case")) + sorted((GOLDEN / "markdown").glob("*.case"))


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_cases_through_cli(path, tmp_path, capsys):
    case = load_case(path)
    f = tmp_path / ("page.txt" if path.parent.name == "text" else "page.md")
    f.write_text(case.input + "\n", encoding="utf-8")
    code, out, err = run([str(f)], capsys)
    assert code == 0, err
    assert out == case.expected + "\n"


def test_a_file_named_twice_is_cleaned_once(site, tmp_path):
    summary = clean_paths([site, site / "blog" / "garten.md"], check=True)
    assert [f.source for f in summary.files].count(str(site / "blog" / "garten.md")) == 1


def test_bad_profile_names_file_and_key(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[[rule]]\nid = "a"\ntext = "Folge uns"\n', encoding="utf-8")
    code, _, err = run([str(corpus.need(SEED)), "--profile", str(bad)], capsys)
    assert code == 2
    assert f"{bad}" in err and "reason" in err and "zone" in err
    code, _, err = run([str(SEED), "--profile", "no-such-profile"], capsys)
    assert code == 2 and "no bundled profile of that name" in err


def test_out_that_would_overwrite_an_input(tmp_path, capsys):
    f = tmp_path / "a.md"
    f.write_text(MD_WITH_TAIL, encoding="utf-8")
    code, _, err = run([str(f), "-o", str(tmp_path)], capsys)
    assert code == 2 and "would overwrite the input" in err
    assert f.read_text(encoding="utf-8") == MD_WITH_TAIL


def test_unwritable_output_is_an_error_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "out"
    blocker.mkdir()
    (blocker / "a.md").mkdir()  # a folder where the file should go
    f = tmp_path / "src" / "a.md"
    f.parent.mkdir()
    f.write_text(MD_WITH_TAIL, encoding="utf-8")
    code, _, err = run([str(f.parent), "-o", str(blocker)], capsys)
    assert code == 1 and "wpmigrate: error:" in err and "a.md" in err and "Traceback" not in err


@corpus.skip_unless(corpus.PAGES)
def test_a_folder_cleans_the_same_on_one_and_on_two_workers(tmp_path):
    src = tmp_path / "pages"
    src.mkdir()
    pages = sorted(corpus.PAGES.glob("*.html"))
    # more files than one task holds, and one that cannot be read among them
    for copy in range(4):
        for page in pages:
            shutil.copy(page, src / f"{copy}-{page.name}")
    (src / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    results = []
    for jobs in (1, 2):
        out, report = tmp_path / f"out{jobs}", tmp_path / f"report{jobs}.jsonl"
        summary = clean_paths([src], out=out, report=report, jobs=jobs)
        tree = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        files = [(f.source, f.changed, f.needs_review, f.error and str(f.error)) for f in summary.files]
        results.append((tree, report.read_text(encoding="utf-8"), files, summary.exit_code))
    assert results[0] == results[1]
    assert any(f[3] and "broken.html" in f[3] for f in results[0][2])
    assert len(results[0][0]) == 4 * len(pages)


def test_a_run_that_keeps_no_file_results_says_and_reports_the_same(tmp_path):
    # what the command runs (keep_files=False): counts, errors and warnings only, the
    # report written line by line as the files are done, the same on any number of workers
    src = tmp_path / "pages"
    src.mkdir()
    for copy in range(3):
        for page in sorted(corpus.PAGES.glob("*.html")):
            shutil.copy(page, src / f"{copy}-{page.name}")
    (src / "stray.html").write_bytes(b"<p>Ein Absatz mit einem kaputten Byte \xff darin, lang genug.</p>")
    (src / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    kept = clean_paths([src], out=tmp_path / "kept", report=tmp_path / "kept.jsonl", jobs=1)
    expected = kept.files
    for jobs in (1, 2, 3):
        report = tmp_path / f"lean{jobs}.jsonl"
        lean = clean_paths([src], out=tmp_path / f"lean{jobs}", report=report, jobs=jobs, keep_files=False)
        assert lean.files == []
        assert lean.describe().replace(str(report), "R") == kept.describe().replace(str(tmp_path / "kept.jsonl"), "R")
        assert lean.changed_files == sum(f.changed for f in expected) > 0
        assert lean.flagged_decisions == sum(len(f.flagged) for f in expected)
        assert [str(e) for e in lean.errors] == [str(f.error) for f in expected if f.error is not None] != []
        assert lean.warnings == kept.warnings != []
        assert lean.exit_code == kept.exit_code == 1
        assert report.read_text(encoding="utf-8") == (tmp_path / "kept.jsonl").read_text(encoding="utf-8")


def test_this_process_cleans_a_share_and_results_come_in_order():
    from wpmigrate.workers import imap_sharing

    results = list(imap_sharing(_note_start, ("x",), _pids, range(40), 3, batch=4))
    assert [n for n, _, _ in results] == list(range(40))
    assert {state for _, _, state in results} == {"x"}
    pids = {pid for _, pid, _ in results}
    # every third batch here, the others on the two workers
    assert os.getpid() in pids and len(pids) >= 2
    assert sum(pid == os.getpid() for _, pid, _ in results) == 12


_state = None


def _note_start(value):
    global _state
    _state = value


def _pids(batch):
    return [(n, os.getpid(), _state) for n in batch]


def test_jobs_must_be_a_positive_whole_number(tmp_path):
    (tmp_path / "a.txt").write_text("Hallo\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--jobs"):
        clean_paths([tmp_path / "a.txt"], check=True, jobs=0)
