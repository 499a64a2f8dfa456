"""The README stays true: its test command is what CI runs, every command and option is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click

from wpmigrate.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```sh\n(python3 -m venv [^\n]*)\n```", README)
    assert len(commands) == 2, commands
    install_and_convert, install_and_test = commands
    assert "samples/" in install_and_convert and "wpmigrate convert" in install_and_convert
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_and_option_is_documented():
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert f"wpmigrate {name}" in README, f"command {name} is not in the README"
        for param in command.params:
            if isinstance(param, click.Option):
                longest = max(param.opts, key=len)
                assert longest in README, f"option {longest} of {name} is not in the README"


def test_the_markdown_writer_extension_example_works():
    """The README's one-method-per-tag example runs and gives what its comment says."""
    import ast

    section = README[README.index("### From HTML to Markdown") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    *body, last = code.strip().split("\n")
    expression, _, expected = last.partition("#")
    namespace: dict = {}
    exec("\n".join(body), namespace)
    assert eval(expression, namespace) == ast.literal_eval(expected.strip())
