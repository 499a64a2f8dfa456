"""The one tree per post and the HTML vocabulary (wpmigrate.document)."""

from __future__ import annotations

import lxml.html
import pytest

from tests import corpus
from wpmigrate.document import (
    Document,
    cell_alignment,
    code_language,
    emoji_text,
    image_source,
    looks_like_page,
    media_source,
    text_of,
)


def el(html: str):
    return lxml.html.fragment_fromstring(html)


def test_fragment_and_page():
    frag = Document.parse("<p>a</p><p>b</p>")
    assert not frag.is_page and frag.root.tag == "div" and [c.tag for c in frag.root] == ["p", "p"]
    page = Document.parse("<!DOCTYPE html><html><head><title>T</title></head><body><p>x</p></body></html>")
    assert page.is_page and page.root.tag == "body" and page.page.findtext(".//title") == "T"
    assert Document.parse("").html() == "" and Document.parse("  \n").root.tag == "div"


def test_control_characters_and_lone_surrogates_do_not_stop_the_parser():
    doc = Document.parse("<p>a\x00b\x0bc\ud800d</p>")
    assert doc.text() == "abc\ufffdd"


def test_deep_nesting_keeps_the_text_with_a_warning():
    depth = 6000
    doc = Document.parse("<div>" * depth + "tief unten" + "</div>" * depth + "<p>danach</p>")
    assert "tief unten" in doc.text() and "danach" in doc.text()
    if corpus.parser_drops_deep_nesting():
        assert doc.warnings and "nested too deeply" in doc.warnings[0]
    else:  # this libxml2 holds the whole tree: nothing to give up
        assert doc.warnings == []


@pytest.mark.parametrize(
    "html, summary, body",
    [
        # a marker inside a table keeps the rows before it and the start of its own row
        (
            "<table><tr><td>A<!--more-->B</td><td>C</td></tr><tr><td>D</td></tr></table>",
            "<table><tr><td>A</td></tr></table>",
            "AB C D",
        ),
        (
            "<blockquote><p>eins</p><!--more--><p>zwei</p></blockquote><p>drei</p>",
            "<blockquote><p>eins</p></blockquote>",
            "eins zwei drei",
        ),
        ("<p><strong>fett <!--more-->weiter</strong> Ende</p>", "<p><strong>fett </strong></p>", "fett weiter Ende"),
        ("<div><p>a</p><!--more--><p>b</p></div>", "<div><p>a</p></div>", "a b"),
    ],
)
def test_summary_is_the_tree_cut_at_the_marker_and_the_body_stays_whole(html, summary, body):
    doc = Document.parse(html)
    cut = doc.cut_at_more()
    assert cut.html() == summary
    assert doc.text() == body  # the body itself is untouched
    assert doc.more_marker() is not None


def test_no_marker_no_summary():
    assert Document.parse("<p>a</p><!-- other --><p>b</p>").cut_at_more() is None


@pytest.mark.parametrize(
    "html, language",
    [
        ('<pre class="brush: php; gutter: false">x</pre>', "php"),
        ('<pre class="lang:js decode:true">x</pre>', "javascript"),
        ('<pre class="language-js">x</pre>', "javascript"),
        ('<pre data-language="Python">x</pre>', "python"),
        ('<pre class="wp-block-code"><code class="lang-sh">x</code></pre>', "bash"),
        ('<pre class="php geshi">x</pre>', "php"),
        ("<pre>x</pre>", ""),
    ],
)
def test_code_language(html, language):
    pre = el(html)
    code = pre.find("code")
    assert code_language(code, pre) == language


def test_cell_alignment():
    assert cell_alignment(el('<td data-align="Center">x</td>')) == "center"
    assert cell_alignment(el('<td class="has-text-align-right">x</td>')) == "right"
    assert cell_alignment(el('<td style="color:red; text-align: left">x</td>')) == "left"
    assert cell_alignment(el("<td>x</td>")) == ""


def test_emoji_and_lazy_images_and_media():
    assert emoji_text(el('<img class="wp-smiley" alt="😀" src="x.png">')) == "😀"
    assert emoji_text(el('<img alt="🙂" src="https://s.w.org/images/core/emoji/14.0.0/72x72/1f642.png">')) == "🙂"
    assert emoji_text(el('<img alt="Ein Foto" src="foto.jpg">')) is None
    src, placeholders = image_source(
        el('<img src="data:image/gif;base64,R0l" data-lazy-src="https://x.example/foto.jpg">')
    )
    assert src == "https://x.example/foto.jpg" and placeholders == ["data:image/gif;base64,R0l"]
    assert media_source(el('<video><source src="a.mp4"></video>')) == "a.mp4"
    assert media_source(el('<audio><a href="b.mp3">b</a></audio>')) == "b.mp3"


def test_text_of_skips_scripts_and_spaces_blocks():
    assert text_of(el("<div><p>a</p><script>x</script>b<br>c\u00a0 d</div>")) == "a b c d"


def test_looks_like_page_is_linear_on_leading_comments():
    assert looks_like_page("<!-- c -->" * 5000 + "<html>")
    assert not looks_like_page("<!-- c -->" * 5000 + "<p>")
