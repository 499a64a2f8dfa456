"""Where the tests find data written by others: ``../shared`` beside the checkout.

Real exports, theme and plugin markup and scraped pages are not ours to
commit; they stay in the shared folder (CI has it beside the checkout) and
tests that read them skip, with the reason, where it is missing. Set
``WPMIGRATE_SHARED`` to read them from somewhere else. Provenance of every
file: ``tests/data/README.md`` and ``../shared/corpus/README.md``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WPMIGRATE_SHARED") or REPO.parent / "shared")
CORPUS = SHARED / "corpus"
WXR = CORPUS / "wxr"
IMPORTER = WXR / "importer"
BOILERPLATE = CORPUS / "boilerplate"
PAGES = BOILERPLATE / "pages"
SEED = SHARED / "samples" / "scraped-zeen-de.txt"


def missing_reason(path: Path) -> str:
    return f"{path} is missing: data written by others is read from the shared folder beside the checkout"


def need(path: Path) -> Path:
    """``path`` when it exists; otherwise skip the calling test, saying what is missing."""
    if not path.exists():
        pytest.skip(missing_reason(path))
    return path


def read_text(path: Path) -> str:
    return need(path).read_text(encoding="utf-8")


def skip_unless(path: Path):
    """A mark for a whole module or test that reads ``path``."""
    return pytest.mark.skipif(not path.exists(), reason=missing_reason(path))


def files_or_skip(folder: Path, pattern: str) -> list:
    """Sorted files of ``folder`` matching ``pattern`` for ``parametrize``; one skipped
    parameter saying what is missing when the folder is not there."""
    if not folder.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=missing_reason(folder)))]
    return sorted(folder.glob(pattern))


def parser_drops_deep_nesting() -> bool:
    """Does this libxml2 drop what is nested past its depth limit (2.13 and later),
    or hold it all (2.12 with huge trees)? Deep-nesting tests expect what it does."""
    import lxml.html

    from wpmigrate.document import PARSER

    root = lxml.html.fragment_fromstring("<div>" * 3000 + "x" + "</div>" * 3000, create_parent="div", parser=PARSER)
    return "x" not in root.text_content()
