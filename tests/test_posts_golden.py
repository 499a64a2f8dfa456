"""Whole-post goldens: real posts of the WordPress theme test data, converted end to end.

Both exports in tests/data are converted with the library's defaults into a
temporary folder; each selected post's written file (front matter and body) is
compared with tests/golden/posts/<export>/<id>-<slug>.md. The goldens were
read and corrected by hand, not just snapshotted: when one differs, read the
diff. ``pytest --update-goldens`` rewrites them from the current output.

Selected: from the Theme Unit Test data the posts that exercise markup,
alignment, captions, galleries, special characters and blocks; from the block
test data every post (one per core block).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import corpus
from wpmigrate.frontmatter import parse_document

DATA = corpus.WXR
pytestmark = corpus.skip_unless(DATA)
GOLDEN = Path(__file__).parent / "golden" / "posts"

THEME_UNIT_TITLES = (
    "Markup: HTML Tags and Formatting",
    "Markup: Image Alignment",
    "Markup: Text Alignment",
    "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>",
    "Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>",
    "Post Format: Gallery",
    "Post Format: Quote",
    "Post Format: Video (YouTube)",
    "Post Format: Image (Caption)",
    "Post Format: Chat",
    "Edge Case: Nested And Mixed Lists",
    "Block: Quote",
    "Block: Image",
    "Block: Gallery",
    "Block: Columns",
    "Block: Cover",
    "Block: Button",
    "Block category: Common",
    "Block category: Formatting",
    "Block category: Layout Elements",
    "Block category: Embeds",
    "Template: More Tag",
)

EXPORTS = {
    "themeunittestdata": ("themeunittestdata.wordpress.xml", THEME_UNIT_TITLES),
    "64-block-test-data": ("64-block-test-data.xml", None),  # None: every published post
}


def _slug(path: Path) -> str:
    return path.stem


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, dict[int, tuple[str, str]]]:
    """export key → post id → (file name stem, written text)."""
    from wpmigrate.convert import convert

    result: dict[str, dict[int, tuple[str, str]]] = {}
    for key, (name, _titles) in EXPORTS.items():
        out = tmp_path_factory.mktemp(key)
        convert(str(DATA / name), str(out))
        files: dict[int, tuple[str, str]] = {}
        for md in sorted(out.rglob("*.md")):
            text = md.read_text(encoding="utf-8")
            fields, _body = parse_document(text)
            if "id" in fields:
                files[int(fields["id"])] = (_slug(md), text)
        result[key] = files
    return result


def _selected() -> list[tuple[str, int, str]]:
    """(export key, post id, title) for every golden post, read from the exports."""
    from wpmigrate.wxr import read_export

    chosen = []
    if not DATA.exists():
        return chosen
    for key, (name, titles) in EXPORTS.items():
        for item in read_export(str(DATA / name)):
            if item.type != "post" or item.status != "publish":
                continue
            if titles is None or item.title in titles:
                chosen.append((key, item.id, item.title))
    return chosen


SELECTED = _selected()


def test_every_named_post_is_selected():
    found = {title for key, _id, title in SELECTED if key == "themeunittestdata"}
    assert set(THEME_UNIT_TITLES) <= found


@pytest.mark.parametrize("key,post_id,title", SELECTED, ids=[f"{k}/{i}" for k, i, _t in SELECTED])
def test_post_golden(key, post_id, title, converted, update_goldens):
    assert post_id in converted[key], f"post {post_id} ({title}) was not written"
    stem, text = converted[key][post_id]
    golden = GOLDEN / key / f"{post_id}-{stem}.md"
    if update_goldens and (not golden.exists() or golden.read_text(encoding="utf-8") != text):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        pytest.skip("golden rewritten")
    assert golden.exists(), f"missing golden {golden.relative_to(GOLDEN.parent.parent)} (run --update-goldens)"
    assert text == golden.read_text(encoding="utf-8")


def test_no_stale_goldens():
    expected = {f"{k}/{i}" for k, i, _t in SELECTED}
    for path in GOLDEN.glob("*/*.md"):
        post_id = path.name.split("-", 1)[0]
        assert f"{path.parent.name}/{post_id}" in expected, f"golden without a post: {path}"
