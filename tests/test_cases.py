"""Every case file under tests/cases/{autop,shortcodes,blocks,classic,markdown}/, twice.

A case's input is ``post_content`` as stored in an export; its expectation is
the final Markdown body. Each case runs

* through the library: ``wpmigrate.convert.convert_content`` (render → clean →
  Markdown), and
* through the command line: all cases with the same options go into one small
  WXR 1.2 export (one published post per case, built with lxml), ``wpmigrate
  convert`` runs once on it through click's CliRunner, and each case reads the
  body after the front matter of its own file (found by its title).

``pytest --update-goldens`` rewrites the expectations from the library's output
(read the diff before committing it).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.casefiles import Case, load_cases
from tests.wxrbuild import build_wxr
from wpmigrate.frontmatter import parse_document

TOPICS = ("autop", "shortcodes", "blocks", "classic", "markdown", "clean", "builders")
CASES = load_cases(*TOPICS)


def _expected(case: Case) -> str:
    return case.expected + "\n" if case.expected.strip() else ""


def _options_key(case: Case) -> str:
    return json.dumps(case.options, sort_keys=True)


# keyword names whose flag is spelled differently (a repeatable option is singular)
_FLAG_NAMES = {"profiles": "--profile", "types": "--types"}


def _cli_args(options: dict) -> list[str]:
    """Case options as command-line flags (flag names equal keyword names; False → --no-…)."""
    args: list[str] = []
    for key, value in sorted(options.items()):
        flag = _FLAG_NAMES.get(key, "--" + key.replace("_", "-"))
        if value is True:
            args.append(flag)
        elif value is False:
            args.append("--no-" + key.replace("_", "-"))
        elif value is None:
            continue
        elif isinstance(value, (list, tuple)):
            for v in value:
                args += [flag, str(v)]
        else:
            args += [flag, str(value)]
    return args


def test_every_topic_has_cases():
    for topic in TOPICS:
        assert any(c.id.startswith(topic + "/") for c in CASES), f"no case files for {topic}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_library(case: Case, update_goldens: bool):
    from wpmigrate import ConvertOptions, convert_content

    body = convert_content(case.input, options=ConvertOptions(**case.options))
    if update_goldens and body.markdown != _expected(case):
        case.write_expected(body.markdown.rstrip("\n"))
        pytest.skip("expectation rewritten")
    assert body.markdown == _expected(case)


@pytest.fixture(scope="module")
def cli_bodies(tmp_path_factory) -> dict[str, dict[str, str]]:
    """Run the CLI once per distinct option set; map options key → case id → body."""
    from wpmigrate.cli import cli

    groups: dict[str, list[Case]] = {}
    for case in CASES:
        groups.setdefault(_options_key(case), []).append(case)
    result: dict[str, dict[str, str]] = {}
    for n, (key, cases) in enumerate(sorted(groups.items())):
        work = tmp_path_factory.mktemp(f"cases{n}")
        items = [
            {
                "id": 1000 + i,
                "title": f"case {case.id}",
                "slug": f"case-{i}",
                "content": case.input,
                "date": f"2024-03-01 12:{i // 60 % 60:02d}:{i % 60:02d}",
            }
            for i, case in enumerate(cases)
            if "]]>" not in case.input  # CDATA cannot hold it; the reader tests cover that
        ]
        export = work / "export.xml"
        export.write_bytes(build_wxr(items))
        out = work / "out"
        run = CliRunner().invoke(cli, ["convert", str(export), "-o", str(out), *_cli_args(json.loads(key))])
        assert run.exit_code == 0, run.output
        bodies: dict[str, str] = {}
        for md in sorted(out.rglob("*.md")):
            fields, body = parse_document(md.read_text(encoding="utf-8"))
            title = str(fields.get("title", ""))
            if title.startswith("case "):
                bodies[title[len("case ") :]] = body
        result[key] = bodies
    return result


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_cli(case: Case, cli_bodies):
    if "]]>" in case.input:
        pytest.skip("a CDATA section cannot hold ']]>'")
    bodies = cli_bodies[_options_key(case)]
    assert case.id in bodies, f"no output file for {case.id}"
    assert bodies[case.id] == _expected(case)
