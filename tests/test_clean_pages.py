"""Whole WordPress pages end to end: find the article, drop the chrome, keep the text.

The keep/remove strings come from trafilatura's evaluation data and the
expected article from Readability's test pages (see tests/data/README.md).
The cleaned HTML and the decisions of every page are also golden files
(``pytest --update-goldens`` rewrites them; read the diff before committing).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from markdown_it import MarkdownIt

from tests import corpus
from wpmigrate.clean import clean_html
from wpmigrate.clean.profiles import fold

PAGES = corpus.PAGES
pytestmark = corpus.skip_unless(PAGES)
GOLDEN = Path(__file__).parent / "golden" / "clean-pages"

try:  # the Markdown stage, when present, is part of what a user sees
    from wpmigrate.markdown import html_to_markdown
except ImportError:  # pragma: no cover - only while the markdown stage does not exist
    html_to_markdown = None


def visible_text(html: str) -> str:
    """The text a reader sees: through Markdown and back when the stage exists, else the HTML's text."""
    if html_to_markdown is not None:
        html = MarkdownIt("commonmark").enable("table").render(html_to_markdown(html))
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return fold(root.text_content())


def page_cases() -> list[Path]:
    return sorted(PAGES.glob("*.expected.json"))


@pytest.mark.parametrize("expected_json", page_cases(), ids=lambda p: p.name.removesuffix(".expected.json"))
def test_page_keeps_the_article_and_drops_the_chrome(expected_json: Path):
    expected = json.loads(expected_json.read_text(encoding="utf-8"))
    page = expected_json.with_name(expected_json.name.replace(".expected.json", ".html"))
    result = clean_html(page.read_text(encoding="utf-8"))
    assert not result.needs_review
    text = visible_text(result.html)
    for keep in expected["with"]:
        assert fold(keep) in text, f"lost: {keep!r}"
    for drop in expected["without"]:
        assert drop not in text, f"kept: {drop!r}"
    assert fold(result.metadata["title"]).casefold() == fold(expected["title"]).casefold()


def test_page_with_tagged_boilerplate_in_the_article_reports_the_rules():
    page = (PAGES / "zeen-silkes-weinkeller.de.html").read_text(encoding="utf-8")
    result = clean_html(page)
    assert {r.rule for r in result.removed} >= {"toc.easy-toc", "author.simple-author-box"}
    assert all(r.line_start and r.line_end >= r.line_start for r in result.removed)


def test_readability_wordpress_page_keeps_every_paragraph_of_the_expected_article():
    folder = PAGES / "readability-wptavern"
    result = clean_html((folder / "source.html").read_text(encoding="utf-8"))
    expected_root = lxml.html.fragment_fromstring(
        (folder / "expected.html").read_text(encoding="utf-8"), create_parent="div"
    )
    ours = fold(lxml.html.fragment_fromstring(result.html, create_parent="div").text_content())
    for block in expected_root.iter("p", "li", "h2", "h3", "blockquote"):
        text = fold(block.text_content())
        assert text in ours, f"lost: {text[:80]!r}"
    assert ours == fold(expected_root.text_content())
    meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    assert result.metadata["title"] == meta["title"]
    assert {r.rule for r in result.removed} == {"share.jetpack-sharedaddy", "related.jetpack"}


def test_mc4wp_form_in_a_news_page_is_removed():
    page = (PAGES / "mc4wp-correctiv.org.html").read_text(encoding="utf-8")
    result = clean_html(page)
    assert "newsletters.mc4wp-form" in {r.rule for r in result.removed}
    assert 'class="mc4wp-form' not in result.html
    assert "Wir haben bereits die Zusage" in visible_text(result.html)


def _golden_pages() -> list[Path]:
    return sorted([*PAGES.glob("*.html"), PAGES / "readability-wptavern" / "source.html"])


@pytest.mark.parametrize("page", _golden_pages(), ids=lambda p: p.parent.name if p.name == "source.html" else p.stem)
def test_page_golden(page: Path, update_goldens: bool):
    name = page.parent.name if page.name == "source.html" else page.stem
    result = clean_html(page.read_text(encoding="utf-8"))
    report = {
        "metadata": result.metadata,
        "needs_review": result.needs_review,
        "decisions": [r.as_dict() for r in result.decisions],
    }
    actual_html = result.html
    actual_report = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    html_path = GOLDEN / f"{name}.html"
    report_path = GOLDEN / f"{name}.json"
    if update_goldens:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        html_path.write_text(actual_html, encoding="utf-8")
        report_path.write_text(actual_report, encoding="utf-8")
    assert html_path.exists(), "run pytest --update-goldens to create the golden files"
    assert actual_html == html_path.read_text(encoding="utf-8")
    assert actual_report == report_path.read_text(encoding="utf-8")


def test_cleaning_a_cleaned_page_changes_nothing():
    for page in _golden_pages():
        once = clean_html(page.read_text(encoding="utf-8"))
        twice = clean_html(once.html)
        assert twice.html == once.html and not twice.removed, page.name


def test_trailing_whitespace_is_not_a_change_in_the_title():
    # the page title comes from the theme's h1 or <title>, whitespace folded
    html = "<!DOCTYPE html><html><head><title>  Ein   Titel </title></head><body><p>Ein Satz mit genug Wörtern für Prosa hier.</p></body></html>"
    result = clean_html(html)
    assert result.metadata["title"] == "Ein Titel"
    assert re.sub(r"\s+", " ", result.html).strip() == "<p>Ein Satz mit genug Wörtern für Prosa hier.</p>"


@pytest.mark.parametrize("expected_json", page_cases(), ids=lambda p: p.name.removesuffix(".expected.json"))
def test_page_through_the_command_line(expected_json: Path, capsys):
    """The same pages through ``wpmigrate clean PAGE.html`` (STYLE.md §11: API and CLI)."""
    from wpmigrate.cli import main

    expected = json.loads(expected_json.read_text(encoding="utf-8"))
    page = expected_json.with_name(expected_json.name.replace(".expected.json", ".html"))
    with pytest.raises(SystemExit) as info:
        main(["clean", str(page)])
    out, _ = capsys.readouterr()
    assert info.value.code == 0
    text = fold(lxml.html.fragment_fromstring(MarkdownIt("commonmark").render(out), create_parent="div").text_content())
    for keep in expected["with"]:
        assert fold(keep) in text
    for drop in expected["without"]:
        assert drop not in text


def test_full_page_metadata_from_wordpress_markup():
    # the_category()/the_tags() links (rel="category tag", rel="tag") inside the post's <article>
    page = (PAGES / "jetpack-thebigbone.wordpress.com.html").read_text(encoding="utf-8")
    expected = json.loads((PAGES / "jetpack-thebigbone.wordpress.com.expected.json").read_text(encoding="utf-8"))
    meta = clean_html(page).metadata
    assert meta["tags"] == expected["tags"]
    assert meta["categories"] == expected["categories"]
    assert meta["date"].startswith(expected["date"])
    # Genesis prints the category with rel="tag" under /category/
    tavern = clean_html((PAGES / "readability-wptavern" / "source.html").read_text(encoding="utf-8")).metadata
    assert tavern["categories"] == ["News"] and tavern["tags"] == ["jobs", "stack overflow"]
    assert (
        tavern["date"]
        == json.loads((PAGES / "readability-wptavern" / "expected-metadata.json").read_text())["publishedTime"]
    )


def test_taxonomy_links_outside_the_post_are_not_metadata():
    page = (
        "<!DOCTYPE html><html><body><article class='post'><div class='entry-content'>"
        "<p>Ein Satz mit genug Wörtern für Prosa hier drin.</p></div>"
        "<footer><a href='/tag/wein/' rel='tag'>Wein</a></footer></article>"
        "<aside><a href='/tag/sidebar/' rel='tag'>Sidebar</a></aside></body></html>"
    )
    assert clean_html(page).metadata["tags"] == ["Wein"]


@pytest.mark.parametrize(
    "wrapper",
    [
        '<div class="elementor-widget elementor-widget-theme-post-content"><div class="elementor-widget-container">{}</div></div>',
        '<div class="td-post-content tagdiv-type">{}</div>',
        '<article class="post"><div class="entry">{}</div></article>',
        "<main>{}</main>",
    ],
    ids=["elementor", "newspaper", "article", "main"],
)
def test_content_roots_of_common_themes(wrapper):
    article = "<p>Der erste Absatz des Beitrags hat genug Wörter, um als Prosa zu zählen.</p><p>Und der zweite auch, mit einem Punkt am Ende.</p>"
    page = (
        "<!DOCTYPE html><html><head><title>T</title></head><body>"
        "<nav><ul><li><a href='/'>Start</a></li><li><a href='/blog/'>Blog</a></li></ul></nav>"
        + wrapper.format(article)
        + "<footer><p>© 2024 Ein Blog über Wein, Reisen und das Leben dazwischen.</p></footer></body></html>"
    )
    result = clean_html(page)
    text = fold(lxml.html.fragment_fromstring(result.html, create_parent="div").text_content())
    assert text == fold(lxml.html.fragment_fromstring(article, create_parent="div").text_content())
