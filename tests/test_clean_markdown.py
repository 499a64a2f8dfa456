"""Cleaning Markdown that was already converted (wpmigrate.clean.markdown.clean_markdown)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.casefiles import load_case
from wpmigrate.clean.markdown import clean_markdown, markdown_plain, split_front_matter
from wpmigrate.clean.profiles import parse_profile

GOLDEN = Path(__file__).parent / "golden" / "clean"

ARTICLE = (
    "Ein Absatz mit echtem Inhalt, der lang genug ist, um als Prosa zu gelten, und noch mehr Worte.\n"
    "\n"
    "Noch ein Absatz, in dem es um den Garten geht, um Kompost, Regen und die Nachbarin von gegenüber.\n"
)

JETPACK_TAIL = """
### Teilen mit:

  * [Twitter](https://example.wordpress.com/2017/04/13/post/?share=twitter "Klick, um über Twitter zu teilen")
  * [Facebook](https://example.wordpress.com/2017/04/13/post/?share=facebook "Klick, um auf Facebook zu teilen")
  *

### Gefällt mir:

Gefällt mir Wird geladen …

### _Ähnliche Beiträge_
"""


def test_front_matter_kept_byte_for_byte():
    front = '---\ntitle:   "Odd  spacing"   \ntags: [a,  b]\n# a comment\n---\n'
    r = clean_markdown(front + "\n" + ARTICLE + JETPACK_TAIL)
    assert r.markdown.startswith(front)
    assert r.markdown == front + "\n" + ARTICLE


def test_toml_front_matter_and_crlf():
    front = '+++\r\ntitle = "x"\r\n+++\r\n'
    doc = front + "\r\n" + ARTICLE.replace("\n", "\r\n") + "\r\nShare this:\r\n"
    r = clean_markdown(doc)
    assert r.markdown == front + "\r\n" + ARTICLE.replace("\n", "\r\n")


def test_split_front_matter():
    assert split_front_matter("---\n---\nbody\n") == ("---\n---\n", "body\n")
    assert split_front_matter("no front matter\n---\n") == ("", "no front matter\n---\n")
    assert split_front_matter("---\na: 1\n...\nbody") == ("---\na: 1\n...\n", "body")


def test_share_like_related_tail_removed_with_link_list():
    r = clean_markdown(ARTICLE + JETPACK_TAIL)
    assert r.markdown == ARTICLE
    rules = [x.rule for x in r.removed]
    assert rules == [
        "share.label",
        "structure.widget-links",
        "structure.widget-links",
        "structure.widget-links",
        "share.like-label",
        "share.like-loading",
        "related.heading",
    ]
    assert r.removed[0].line_start == 5  # "### Teilen mit:" (line 1 of the tail follows the article)


def test_document_without_boilerplate_is_byte_identical():
    doc = "---\ntitle: x\n---\n\n# Heading\n\n" + ARTICLE + "\n- a list\n- [a link](http://example.com)\n\n> a quote\n"
    r = clean_markdown(doc)
    assert r.markdown == doc and not r.changed and not r.removed


@pytest.mark.parametrize(
    "paragraph",
    [
        "Ich habe heute den Newsletter von Anna gelesen und möchte euch erzählen, warum er so gut ist.",
        "Share prices fell sharply after the announcement, and the newsletter industry took note.",
        "Teilen mit: so hieß der Kurs, den ich im Frühjahr besuchte, und er war sehr gut besucht.",
    ],
)
def test_running_text_is_kept(paragraph):
    doc = ARTICLE + "\n" + paragraph + "\n"
    assert clean_markdown(doc).markdown == doc


def test_code_is_never_touched():
    code = '```\nShare this:\n[mc4wp_form id="1"]\n<div class="sharedaddy">x</div>\n```\n'
    indented = "    Share this:\n    [mc4wp_form]\n"
    doc = ARTICLE + "\n" + code + "\n" + indented
    assert clean_markdown(doc).markdown == doc


def test_shortcodes_and_block_comments_go():
    doc = (
        'Vorher steht hier ein Absatz [mc4wp_form id="12"] mit genug Worten, damit er als Prosa zählt.\n\n'
        "[mc4wp_form]\n\n"
        "<!-- wp:jetpack/subscriptions /-->\n\n" + ARTICLE
    )
    r = clean_markdown(doc)
    assert r.markdown == ("Vorher steht hier ein Absatz mit genug Worten, damit er als Prosa zählt.\n\n" + ARTICLE)
    assert {x.rule for x in r.removed} >= {"newsletters.mc4wp-shortcode", "newsletters.jetpack-block"}


def test_html_block_with_boilerplate_goes_html_with_content_stays():
    share = (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">'
        '<h3 class="sd-title">Teilen mit:</h3><ul><li class="share-twitter"><a href="?share=twitter">Twitter</a></li></ul></div></div>'
    )
    figure = '<figure class="wp-block-image"><img src="a.jpg" alt="Ein Bild"></figure>'
    doc = ARTICLE + "\n" + figure + "\n\n" + share + "\n"
    r = clean_markdown(doc)
    assert r.markdown == ARTICLE + "\n" + figure + "\n"
    assert r.removed[0].rule == "share.jetpack-sharedaddy"
    assert r.removed[0].line_start == 7


def test_widget_heading_above_removed_block():
    doc = ARTICLE + "\n## Bleib auf dem Laufenden\n\nTrag dich in unseren Newsletter ein!\n"
    r = clean_markdown(doc)
    assert r.markdown == ARTICLE
    assert [x.rule for x in r.removed] == ["structure.block-heading", "newsletters.join-call"]


def test_teaser_before_article_dropped():
    teaser = "Ein Absatz mit echtem Inhalt, der lang genug ist, um als Prosa zu gelten […]\n\n"
    r = clean_markdown(teaser + ARTICLE)
    assert r.markdown == ARTICLE


def test_breaker():
    greedy = parse_profile(
        'schema = 1\nname = "greedy"\n[[rule]]\nid = "greedy.all"\nreason = "careless"\n'
        "pattern = '.*Absatz.*'\nzone = \"anywhere\"\n",
        "greedy.toml",
    )
    r = clean_markdown(ARTICLE, greedy)
    assert r.markdown == ARTICLE and r.needs_review
    assert any(x.action == "needs-review" for x in r.flagged)


def test_markdown_plain():
    assert markdown_plain("### _Ähnliche Beiträge_") == ("### Ähnliche Beiträge", False)
    assert markdown_plain("**Share this:**") == ("Share this:", False)
    assert markdown_plain('[Twitter](https://x?share=twitter "t") · [Facebook](https://y)') == (
        "Twitter · Facebook",
        True,
    )
    assert markdown_plain("![](img.png)")[1] is True
    assert markdown_plain("Text with [a link](http://x) inside.") == ("Text with a link inside.", False)


@pytest.mark.parametrize("doc", ["", "\n", "---\ntitle: x\n---\n", "---\ntitle: x\n---\n\n\n", "\ufeff# x\n"])
def test_empty_and_front_matter_only(doc):
    r = clean_markdown(doc)
    assert r.markdown == doc and not r.removed


CASES = sorted((GOLDEN / "markdown").glob("*.case"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_markdown_cases(path, update_goldens):
    case = load_case(path)
    out = clean_markdown(case.input + "\n").markdown
    if update_goldens:
        case.write_expected(out.rstrip("\n"))
        return
    assert out == case.expected + "\n"


# --- idempotency -----------------------------------------------------------------------

_LINES = [
    "Ein Absatz mit echtem Inhalt, der lang genug ist, um als Prosa zu gelten, und mehr.",
    "### Teilen mit:",
    "Share this:",
    "  * [Twitter](http://x/?share=twitter)",
    "*",
    "- [a](b)",
    "Gefällt mir:",
    "Like Loading...",
    "Related",
    "## Bleib dran",
    "Trag dich in den Newsletter ein!",
    "[mc4wp_form]",
    'Text [mc4wp_form id="1"] mitten drin.',
    '<div class="sharedaddy">x</div>',
    "<p>html</p>",
    "```",
    "    code",
    "",
    "",
    "",
    "> Zitat",
    "---",
    "Kurz.",
    "1. eins",
    "Wir senden keinen Spam!",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_LINES), max_size=30), st.booleans())
@example(["[mc4wp_form]", "---", "<p>html</p>", "---", _LINES[0], _LINES[0]], False)  # removal uncovers "---" pair
def test_idempotent(lines, front):
    doc = ("---\ntitle: t\n---\n" if front else "") + "\n".join(lines) + "\n"
    once = clean_markdown(doc).markdown
    assert clean_markdown(once).markdown == once


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_idempotent_any_text(text):
    once = clean_markdown(text).markdown
    assert clean_markdown(once).markdown == once


@pytest.mark.parametrize("line", ["[mc4wp_form " * 5000, "[x](" * 20000, "<a " * 20000, "# " + "a " * 50000])
def test_pathological_lines(line):
    # Quadratic patterns would take minutes here; bench/hostile.py times them.
    result = clean_markdown(line + "\n")
    assert isinstance(result.markdown, str) and result.markdown.strip()


def test_share_button_names_as_plain_lines_go_only_under_the_label():
    # html2text of a share row whose links were lost: plain names under the label go;
    # the same name as a line of the article (no label above it) stays
    body = (
        ARTICLE + "\nPinterest\n\nDort landen die Rezepte, die ich nachkochen will, und die Bilder vom Garten im Mai.\n"
    )
    r = clean_markdown(body + "\n### Teilen mit:\n\nFacebook\nPinterest\nDrucken\n")
    assert r.markdown == body
    assert [x.rule for x in r.removed] == ["share.label", *["share.button-name"] * 3]
    assert clean_markdown(body + "\nPinterest\n").markdown == body + "\nPinterest\n"
