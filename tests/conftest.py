"""Shared pytest setup: the ``--update-goldens`` switch (STYLE.md §10)."""

from __future__ import annotations

from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
GOLDEN = Path(__file__).parent / "golden"


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The versions a run really used: a fresh machine gets the newest release of every dependency."""
    from importlib.metadata import PackageNotFoundError, version

    from lxml import etree

    names = ("lxml", "cssselect", "python-slugify", "click", "PyYAML", "hypothesis")
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    libxml2 = ".".join(map(str, etree.LIBXML_VERSION))
    return ["wpmigrate dependencies: " + ", ".join(found) + f"; libxml2 {libxml2}"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite expected golden files and case expectations from the current output",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
