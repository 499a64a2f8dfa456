"""Every item of the WordPress theme test data through the render stage.

The exports are WordPress's own test data (tests/data/README.md). Asserted on
the HTML: no block delimiters or handled shortcodes left outside code, and the
structure of the posts the issue names survives.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from tests import corpus
from wpmigrate.model import Index, Item
from wpmigrate.plan import add_to_index
from wpmigrate.render import render_content
from wpmigrate.wxr import read_export

DATA = corpus.WXR
pytestmark = corpus.skip_unless(DATA)
EXPORTS = ["themeunittestdata.wordpress.xml", "64-block-test-data.xml"]
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
_LEFTOVER = re.compile(r"<!-- /?wp:|\[/?(?:caption|gallery|embed|audio|video|playlist|code|sourcecode)\b")


@cache
def _load(name: str) -> tuple[list[Item], Index]:
    items = list(read_export(DATA / name))
    index = Index()
    for item in items:
        add_to_index(index, item)
    return items, index


def _bodies(name: str) -> list[Item]:
    items, _ = _load(name)
    return [i for i in items if i.type in ("post", "page", "wp_block") and i.content.strip()]


def _render(name: str, title: str):
    items, index = _load(name)
    [item] = [i for i in items if i.title == title and i.type in ("post", "page")]
    return render_content(item.content, item=item, index=index)


@pytest.mark.parametrize("name", EXPORTS)
def test_every_item_renders_without_leftovers(name):
    _, index = _load(name)
    bodies = _bodies(name)
    assert len(bodies) > 40
    for item in bodies:
        r = render_content(item.content, item=item, index=index)
        outside_code = _CODE.sub("", r.html)
        left = _LEFTOVER.findall(outside_code)
        assert not left, (item.id, item.title, left)
        assert "<script" not in r.html and "&amp;amp;" not in r.html, (item.id, item.title)


def test_html_tags_and_formatting():
    r = _render("themeunittestdata.wordpress.xml", "Markup: HTML Tags and Formatting")
    html = r.html
    for tag in (
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "table",
        "dl",
        "ul",
        "ol",
        "pre",
        "code",
        "abbr",
        "cite",
        "del",
        "em",
        "strong",
    ):
        assert f"<{tag}" in html, tag
    assert "<p>Headings</p>" not in html  # headings are not wrapped
    assert "<br>" in html


def test_image_alignment_captions():
    r = _render("themeunittestdata.wordpress.xml", "Markup: Image Alignment")
    figures = re.findall(r'<figure class="wp-caption[^"]*">.*?</figure>', r.html, re.S)
    assert len(figures) >= 4
    assert all('<figcaption class="wp-caption-text">' in f for f in figures)
    assert "[caption" not in r.html


def test_post_format_gallery_uses_attached_images():
    r = _render("themeunittestdata.wordpress.xml", "Post Format: Gallery")
    # one [gallery], a page break, then one [gallery columns="N"] per heading
    galleries = re.findall(r'<figure class="wp-block-gallery">(.*?)</figure>\n', r.html, re.S)
    assert len(galleries) == 10
    assert all(g.count("<img") >= 5 for g in galleries)
    assert r.html.count("<h2>") == 9
    assert r.warnings == []


def test_block_quote_citations():
    r = _render("themeunittestdata.wordpress.xml", "Block: Quote")
    assert r.html.count("<blockquote") >= 3
    assert "<cite>" in r.html
    assert "<!-- wp:" not in r.html


def test_block_image_captions_and_links():
    r = _render("themeunittestdata.wordpress.xml", "Block: Image")
    assert r.html.count("<img") >= 3
    assert "<figcaption" in r.html


def test_title_with_special_characters_body():
    r = _render(
        "themeunittestdata.wordpress.xml", "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
    )
    assert r.html.strip()


@pytest.mark.parametrize(
    "title,needle",
    [
        ("Footnotes", '<ol class="wp-block-footnotes">'),
        (
            "Audio",
            '<a href="https://wpthemetestdata.files.wordpress.com/2008/06/originaldixielandjazzbandwithalbernard-stlouisblues.mp3">',
        ),
        ("Code", "<pre><code>"),
        ("Verse", "<br>"),
        ("Table", "<td"),
        ("Gallery", '<figure class="wp-block-gallery">'),
        ("File", '<p><a id="wp-block-file'),
        ("Buttons", '<p><a class="wp-block-button__link'),
        ("Cover", "<img"),
        ("Media &amp; Text", "<img"),
        ("Separator", "<hr"),
        ("Pullquote", "<cite>"),
        ("Social Icons", '<ul class="wp-block-social-links"><li><a href="'),
        ("Details", "<details"),
        ("Preformatted", "<pre><code>"),
        ("Video", "<a href="),
    ],
)
def test_core_blocks_render_sensibly(title, needle):
    r = _render("64-block-test-data.xml", title)
    assert needle in r.html


def test_all_block_posts_keep_their_words():
    """Every word of the visible source text outside dynamic blocks reaches the HTML."""
    from html import unescape

    _, index = _load("64-block-test-data.xml")

    def words(html: str) -> set[str]:
        html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
        text = unescape(re.sub(r"<[^>]+>", " ", html))
        return set(re.findall(r"\w{3,}", text))

    for item in _bodies("64-block-test-data.xml"):
        r = render_content(item.content, item=item, index=index)
        source = re.sub(r"\[/?[a-z][^\]]*\]", " ", item.content)  # shortcode tags are not text
        missing = words(source) - words(r.html)
        assert not missing, (item.title, sorted(missing)[:10])
