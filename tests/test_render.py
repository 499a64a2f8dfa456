"""The render stage, asserted on the HTML it produces (the Markdown is tested by the case files)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import corpus
from wpmigrate.document import Document
from wpmigrate.errors import UsageError, WpmigrateError
from wpmigrate.model import Attachment, Index, Item, Meta
from wpmigrate.render import Rendered, Renderer, RenderOptions, render_content
from wpmigrate.render.context import RenderContext
from wpmigrate.render.renderer import serialise
from wpmigrate.wordpress.autop import shortcode_unautop, wpautop

# --- wpautop: WordPress's own expectations ---------------------------------------


def test_autop_paragraphs_and_breaks():
    assert wpautop("a\n\nb") == "<p>a</p>\n<p>b</p>\n"
    assert wpautop("a\nb") == "<p>a<br />\nb</p>\n"
    assert wpautop("a\nb", br=False) == "<p>a\nb</p>\n"


def test_autop_empty():
    assert wpautop("") == ""
    assert wpautop(" \n\t\n") == ""


@pytest.mark.parametrize("tag", ["div", "h2", "section", "figure", "details", "table", "ul", "nav"])
def test_autop_block_elements_are_blocks(tag):
    content = "\n\n".join([f"<{tag}>foo</{tag}>"] * 2)
    assert wpautop(content).strip() == "\n".join([f"<{tag}>foo</{tag}>"] * 2)


def test_autop_inline_elements_are_wrapped():
    assert wpautop("<span>foo</span>").strip() == "<p><span>foo</span></p>"


def test_autop_pre_untouched():
    text = "<pre>a\n\nb\n  c</pre>"
    assert wpautop(text) == text + "\n"
    assert wpautop("x\n" + text + "\ny") == "<p>x</p>\n" + text + "\n<p>y</p>\n"


def test_autop_script_style_svg_math_keep_newlines():
    for tag in ("script", "style", "svg", "math"):
        out = wpautop(f"<{tag}>a\nb</{tag}>")
        assert f"<{tag}>a\nb</{tag}>" in out
        assert "<br" not in out


def test_autop_textarea_keeps_newlines():
    out = wpautop("Form\n<textarea>a\n\nb</textarea>")
    assert "<textarea>a\n\nb</textarea>" in out


def test_autop_newlines_in_tags_and_comments():
    out = wpautop('<a href="x"\ntitle="y">link</a> and <!-- c\n\nd --> end')
    assert '<a href="x"\ntitle="y">link</a>' in out
    assert "<!-- c\n\nd -->" in out
    assert out.count("<p>") == 1


def test_autop_br_pair_makes_paragraphs():
    assert wpautop("a<br /><br />b") == "<p>a</p>\n<p>b</p>\n"


def test_autop_no_br_after_block_tags():
    out = wpautop("<ul>\n<li>a</li>\n<li>b</li>\n</ul>")
    assert out == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"


def test_autop_blockquote_moves_paragraph_inside():
    assert wpautop("<blockquote>q</blockquote>").strip() == "<blockquote><p>q</p></blockquote>"


def test_autop_option_and_figcaption():
    assert "<br" not in wpautop("<select>\n<option>a</option>\n<option>b</option>\n</select>")
    assert "<br" not in wpautop("<figure><img src=a>\n<figcaption>c</figcaption>\n</figure>")


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "b c", "\n", "\n\n", "<em>e</em>", "<pre>p\nq</pre>", "<div>d</div>", " "]), max_size=12
    )
)
def test_autop_crlf_same_as_lf(parts):
    text = "".join(parts)
    assert wpautop(text.replace("\n", "\r\n")) == wpautop(text)
    assert wpautop(text.replace("\n", "\r")) == wpautop(text)


def test_shortcode_unautop():
    assert shortcode_unautop('<p>[gallery ids="1"]</p>\n', ["gallery"]) == '[gallery ids="1"]\n'
    assert shortcode_unautop("<p>&nbsp;[caption]x[/caption] </p>", ["caption"]) == "[caption]x[/caption]"
    assert shortcode_unautop("<p>text [gallery]</p>", ["gallery"]) == "<p>text [gallery]</p>"
    assert shortcode_unautop("<p>[other]</p>", ["gallery"]) == "<p>[other]</p>"


# --- render_content: options and result --------------------------------------------


def test_defaults_and_result_type():
    r = render_content("Hello")
    assert isinstance(r, Rendered)
    assert r.html == "<p>Hello</p>\n"
    assert r.summary_html is None
    assert r.unknown_shortcodes == {}
    assert r.warnings == []


@pytest.mark.parametrize("kwargs", [{"shortcodes": "delete"}, {"more": "split"}])
def test_bad_options_raise_library_errors(kwargs):
    with pytest.raises(UsageError) as exc:
        RenderOptions(**kwargs)
    assert isinstance(exc.value, WpmigrateError)


def test_empty_content():
    assert render_content("").html == ""


def test_crlf_post_same_as_lf():
    text = 'One\ntwo\n\n[caption width="1"]<img src="a.jpg" alt="" /> c[/caption]\n\n<pre>x\n\ny</pre>'
    assert render_content(text.replace("\n", "\r\n")).html == render_content(text).html


# --- more / nextpage -------------------------------------------------------------


def test_more_summary_default():
    r = render_content("Teaser.\n<!--more-->\nRest.")
    assert r.summary_html == "<p>Teaser.</p>\n"
    assert r.html == "<p>Teaser.</p>\n<p>Rest.</p>\n"
    assert "more" not in r.html


def test_more_keep_and_drop():
    keep = render_content("Teaser.\n<!--more Read on-->\nRest.", options=RenderOptions(more="keep"))
    assert keep.html == "<p>Teaser.</p>\n<!--more-->\n<p>Rest.</p>\n"
    assert keep.summary_html is None
    drop = render_content("Teaser.<!--more-->Rest.", options=RenderOptions(more="drop"))
    assert drop.html == "<p>Teaser.</p>\n<p>Rest.</p>\n"
    assert drop.summary_html is None


def test_more_block_split_at_block():
    text = (
        "<!-- wp:paragraph --><p>A</p><!-- /wp:paragraph -->\n"
        "<!-- wp:more --><!--more--><!-- /wp:more -->\n"
        "<!-- wp:paragraph --><p>B</p><!-- /wp:paragraph -->"
    )
    r = render_content(text)
    assert r.summary_html == "<p>A</p>\n"
    assert "<p>A</p>" in r.html and "<p>B</p>" in r.html


def test_more_inside_another_block_splits_nothing():
    # the group stays whole; the summary is the post cut at the marker, as
    # get_the_content() shows it on an archive page
    text = "<!-- wp:group --><div><p>A</p><!--more--><p>B</p></div><!-- /wp:group -->"
    r = render_content(text)
    assert r.summary_html == "<div><p>A</p></div>\n"
    assert "<div><p>A</p><p>B</p></div>" in r.html


def test_only_first_more_splits():
    r = render_content("a<!--more-->b<!--more-->c")
    assert r.summary_html == "<p>a</p>\n"
    assert "<!--" not in r.html


def test_nextpage_joins_pages():
    r = render_content("one<!--nextpage-->two")
    assert r.html == "<p>one</p>\n<p>two</p>\n"


# --- shortcodes with the index -----------------------------------------------------


def _index() -> Index:
    atts = {
        10: Attachment(
            10,
            "https://ex.com/a.jpg",
            title="A",
            alt="Alt A",
            caption="Cap <em>A</em>",
            parent=5,
            mime_type="image/jpeg",
            menu_order=2,
        ),
        11: Attachment(11, "https://ex.com/b.jpg", title="B", alt="", parent=5, mime_type="image/jpeg", menu_order=1),
        12: Attachment(12, "https://ex.com/s.mp3", title="Song", parent=5, mime_type="audio/mpeg"),
        13: Attachment(13, "https://ex.com/v.mp4", title="", parent=6, mime_type="video/mp4"),
    }
    return Index(
        attachments=atts,
        children={5: [10, 11, 12], 6: [13]},
        reusable_blocks={
            40: "<!-- wp:paragraph --><p>Reused</p><!-- /wp:paragraph -->",
            41: '<!-- wp:block {"ref":41} /-->',
            42: "Classic\nreused",
        },
    )


def _figures(html: str) -> list[str]:
    return re.findall(r'<figure class="wp-block-image">.*?</figure>', html)


def test_gallery_ids_in_given_order():
    r = render_content('[gallery ids="11,10"]', index=_index())
    assert r.html.startswith('<figure class="wp-block-gallery">')
    figs = _figures(r.html)
    assert len(figs) == 2
    assert 'src="https://ex.com/b.jpg"' in figs[0]
    assert 'alt="Alt A"' in figs[1] and "<figcaption>Cap <em>A</em></figcaption>" in figs[1]
    assert r.warnings == []


def test_gallery_attached_images_by_menu_order():
    item = Item(id=5, type="post", status="publish")
    r = render_content("[gallery]", item=item, index=_index())
    srcs = re.findall(r'src="([^"]+)"', r.html)
    assert srcs == ["https://ex.com/b.jpg", "https://ex.com/a.jpg"]  # audio 12 is not an image


def test_gallery_include_exclude_link_file():
    r = render_content('[gallery include="10,11" exclude="11" link="file"]', index=_index())
    assert re.findall(r'src="([^"]+)"', r.html) == ["https://ex.com/a.jpg"]
    assert '<a href="https://ex.com/a.jpg"><img' in r.html


def test_gallery_missing_attachment_and_no_index():
    r = render_content('[gallery ids="10,99"]', index=_index())
    assert len(_figures(r.html)) == 1
    assert "[gallery]: attachment 99 not found" in r.warnings
    bare = render_content('Before [gallery ids="1,2"] after')
    assert "[gallery" not in bare.html
    assert any("no attachment index" in w for w in bare.warnings)


def test_audio_without_source_uses_attached_media():
    item = Item(id=5, type="post", status="publish")
    r = render_content("[audio]", item=item, index=_index())
    assert r.html == '<p><a href="https://ex.com/s.mp3">https://ex.com/s.mp3</a></p>\n'
    r2 = render_content("[video]", item=Item(id=6, type="post", status="publish"), index=_index())
    assert "https://ex.com/v.mp4" in r2.html


def test_playlist_links():
    r = render_content('[playlist ids="12,13"]', index=_index())
    assert '<a href="https://ex.com/s.mp3">Song</a>' in r.html
    assert '<a href="https://ex.com/v.mp4">v.mp4</a>' in r.html


def test_caption_without_image_keeps_content():
    r = render_content('[caption width="100"]Just text[/caption]')
    assert "Just text" in r.html and "[caption" not in r.html


def test_handled_shortcode_inside_pre_stays_text():
    r = render_content('<pre>[gallery ids="1"]</pre>')
    assert '[gallery ids="1"]' in r.html


# --- unknown shortcodes -------------------------------------------------------------


def test_unknown_shortcodes_counted_per_name():
    text = '[foo a="1"] [foo] [bar]x [baz-qux k=v][/baz-qux][/bar] [[esc]] <code>[incode]</code> [some words]'
    r = render_content(text)
    assert r.unknown_shortcodes == {"bar": 1, "baz-qux": 1, "foo": 2}
    assert '[foo a="1"]' in r.html  # keep: exactly as written


def test_unknown_drop_and_comment():
    text = '[foo a="1"] [wrap]kept text[/wrap]'
    drop = render_content(text, options=RenderOptions(shortcodes="drop"))
    assert "[" not in drop.html and "kept text" in drop.html
    comment = render_content(text, options=RenderOptions(shortcodes="comment"))
    assert '<!-- [foo a="1"] -->' in comment.html
    assert "<!-- [wrap] -->kept text<!-- [/wrap] -->" in comment.html


def test_comment_policy_cannot_break_out_of_the_comment():
    r = render_content('[foo x="a-->b"]', options=RenderOptions(shortcodes="comment"))
    assert r.html.count("-->") == 1


# --- blocks with the index and item --------------------------------------------------


def test_reusable_block():
    r = render_content('<!-- wp:block {"ref":40} /-->', index=_index())
    assert r.html == "<p>Reused</p>\n"
    classic = render_content('<!-- wp:block {"ref":42} /-->', index=_index())
    assert classic.html == "<p>Classic<br>\nreused</p>\n"


def test_reusable_block_missing_or_recursive():
    missing = render_content('<!-- wp:block {"ref":7} /-->', index=_index())
    assert missing.html == "" and "reusable block 7 not found" in missing.warnings
    loop = render_content('<!-- wp:block {"ref":41} /-->', index=_index())
    assert any("includes itself" in w for w in loop.warnings)
    no_index = render_content('<!-- wp:block {"ref":40} /-->')
    assert "reusable block 40 not found" in no_index.warnings


def test_footnotes_from_meta():
    item = Item(
        id=1,
        type="post",
        status="publish",
        meta=(Meta("footnotes", '[{"id":"n1","content":"First <em>note</em>"},{"id":"n2","content":"Second"}]'),),
    )
    text = (
        '<!-- wp:paragraph --><p>Text<sup data-fn="n1" class="fn"><a href="#n1" id="n1-link">1</a></sup>'
        ' more<sup data-fn="n2" class="fn"><a href="#n2" id="n2-link">2</a></sup></p><!-- /wp:paragraph -->'
        "<!-- wp:footnotes /-->"
    )
    r = render_content(text, item=item)
    assert '<sup data-fn="n1" class="fn"><a href="#n1" id="n1-link">1</a></sup>' in r.html
    assert '<ol class="wp-block-footnotes"><li id="n1">First <em>note</em> <a href="#n1-link"' in r.html
    assert '<li id="n2">Second' in r.html


def test_footnotes_without_meta_warns():
    r = render_content("<!-- wp:footnotes /-->")
    assert r.html == ""
    assert any("footnotes" in w for w in r.warnings)


def test_dynamic_blocks_warn_and_render_nothing():
    r = render_content('<!-- wp:latest-posts {"postsToShow":3} /--><!-- wp:archives /-->')
    assert r.html == ""
    assert any("core/latest-posts" in w for w in r.warnings)


def test_flash_players_warn_only_where_no_video_page_is_known():
    r = render_content(
        '<object><param name="movie" value="http://www.youtube.com/v/dQw4w9WgXcQ"></object>\n\n'
        '<object classid="clsid:D27CDB6E-AE6D-11cf-96B8-444553540000"><param name="movie" value="intro.swf?x=1"></object>'
        '<embed src="clip.mov">'
    )
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in r.html
    assert '<a href="intro.swf?x=1">' in r.html and '<a href="clip.mov">' in r.html
    assert r.warnings == ["Flash movie kept as a link (no browser plays Flash): intro.swf?x=1"]
    assert "<object" not in r.html and "<embed" not in r.html


def test_block_post_is_not_autopd_but_classic_chunks_are():
    text = "<!-- wp:paragraph --><p>a\nb</p><!-- /wp:paragraph -->\n\nclassic\ntext"
    r = render_content(text)
    assert "<p>a\nb</p>" in r.html
    assert "<p>classic<br>\ntext</p>" in r.html


def test_code_block_language_normalised():
    r = render_content(
        '<!-- wp:code --><pre class="wp-block-code"><code lang="go">x := 1</code></pre><!-- /wp:code -->'
    )
    assert r.html == '<pre><code class="language-go">x := 1</code></pre>\n'


def test_syntaxhighlighter_block():
    text = '<!-- wp:syntaxhighlighter/code {"language":"php"} --><pre class="wp-block-syntaxhighlighter-code">&lt;?php echo 1;</pre><!-- /wp:syntaxhighlighter/code -->'
    r = render_content(text)
    assert r.html == '<pre><code class="language-php">&lt;?php echo 1;</code></pre>\n'


def test_table_attributes_stripped_spans_kept():
    text = '<table class="x" style="width:1px" border="1"><tr><td colspan="2" style="a">a</td><td rowspan="1">b</td></tr></table>'
    html = render_content(text).html.replace("\n", "")
    assert '<table><tr><td colspan="2">a</td><td>b</td></tr></table>' in html


def test_script_reported():
    r = render_content("a <script>x()</script> b <style>p{}</style>")
    assert "script" not in r.html and "style" not in r.html
    assert r.warnings == ["removed <script>", "removed <style>"]


def test_bare_url_line_in_code_untouched():
    r = render_content("<pre>\nhttps://example.com/x\n</pre>")
    assert "<a " not in r.html


# --- the normalise pass on the tree is idempotent --------------------------------------

_SAMPLES = [
    '<p class="MsoNormal"><span style="x">Word</span><o:p></o:p></p><p>&nbsp;</p>',
    '<pre class="brush: php">a &lt; b<br>c</pre>',
    "<blockquote><p>q</p><cite>who</cite></blockquote>",
    '<figure class="wp-block-gallery"><ul class="blocks-gallery-grid"><li><figure><img src="a"><figcaption class="x">c</figcaption></figure></li></ul></figure>',
    '<div class="wp-block-file"><a href="f">F</a><a class="wp-block-file__button" href="f">Download</a></div>',
    '<p><img class="wp-smiley" alt=":)" src="s.png"> hi</p><audio src="a.mp3"></audio>',
    '<table border="1"><tr><td colspan="2">x</td></tr></table>',
    "text only &amp; more",
]


def _normalise(doc: Document) -> str:
    renderer = Renderer()
    ctx = RenderContext(None, None, RenderOptions(), renderer)
    for step in renderer.steps:
        step(doc.root, ctx)
    return serialise(doc)


@pytest.mark.parametrize("html", _SAMPLES)
def test_normalise_idempotent(html):
    doc = Document.parse(html)
    once = _normalise(doc)
    assert _normalise(doc) == once  # again on the same tree
    assert _normalise(Document.parse(once)) == once  # and on its text


def test_autop_nbsp_is_not_whitespace():
    # PCRE's \s without /u and PHP's trim() do not match U+00A0
    assert wpautop("a\xa0\nb") == "<p>a\xa0<br />\nb</p>\n"
    assert wpautop("\xa0") == "<p>\xa0</p>\n"


def test_styled_spans_keep_bold_and_italic():
    html = render_content(
        '<span style="font-weight:bold">B</span> <span style="font-style: italic">I</span> <span style="color:red">R</span>'
    ).html
    assert html == "<p><strong>B</strong> <em>I</em> R</p>\n"


def test_placeholders_are_not_unknown_shortcodes():
    r = render_content("[NAME] [Test] [toc] [sic]")
    assert r.unknown_shortcodes == {"sic": 1, "toc": 1}


# --- hostile input: never a traceback, never quadratic -------------------------------

N = 20000
_HOSTILE = {
    "open brackets": "[a " * N,
    "unclosed pre": "[x] " + "<pre>" * N,
    "unclosed comments": "[x] http://a.b\n" + "<!-- " * N,
    "unclosed script": "<script>" * N,
    "whitespace run": "a" + " " * (N * 10) + "b",
    "whitespace after br": "a<br />" + " " * (N * 10) + "b\n",
    "option": "<option" + " " * (N * 5) + "x <option>",
    "p li": "<p><li" * N,
    "tags without end": "<div" * N + "[x]",
    "deep blocks": "<!-- wp:group -->" * N,
    "deep html": "<div>" * 3000 + "x" + "</div>" * 3000,
    "enclosing unclosed": "[foo]" * N + "[/foo]" * N,
    "nextpage spaces": " " * (N * 5) + "x",
}


@pytest.mark.parametrize("name", sorted(_HOSTILE))
def test_hostile_input_is_safe(name):
    # bench/hostile.py times these inputs (speed is measured there, not in tests)
    r = render_content(_HOSTILE[name])
    assert isinstance(r.html, str)


def test_deep_html_keeps_its_text():
    r = render_content("<div>" * 3000 + "deep text" + "</div>" * 3000)
    assert "deep text" in r.html
    assert any("too deeply" in w for w in r.warnings) == corpus.parser_drops_deep_nesting()


def test_deep_blocks_keep_their_text():
    r = render_content("<!-- wp:group --><div>" * 300 + "<p>deep</p>" + "</div><!-- /wp:group -->" * 300)
    assert "deep" in r.html


def test_code_and_embed_shortcodes_inside_paragraph_blocks():
    r = render_content(
        '<!-- wp:paragraph --><p>[code lang="c"]if (a &lt; b)<br>  x();[/code]</p><!-- /wp:paragraph -->'
    )
    assert '<pre><code class="language-c">if (a &lt; b)\n  x();</code></pre>' in r.html
    r = render_content("<!-- wp:paragraph --><p>[embed]https://youtu.be/x[/embed]</p><!-- /wp:paragraph -->")
    assert '<a href="https://youtu.be/x">https://youtu.be/x</a>' in r.html


def test_block_gallery_normalised_to_contract():
    text = (
        '<!-- wp:gallery --><figure class="wp-block-gallery has-nested-images columns-2">'
        '<!-- wp:image {"id":1} --><figure class="wp-block-image size-large"><img src="a.jpg" alt="A"/>'
        '<figcaption class="wp-element-caption">Cap</figcaption></figure><!-- /wp:image -->'
        "</figure><!-- /wp:gallery -->"
    )
    html = render_content(text).html
    assert (
        html
        == '<figure class="wp-block-gallery"><figure class="wp-block-image"><img src="a.jpg" alt="A"><figcaption>Cap</figcaption></figure></figure>\n'
    )


# --- wpautop: the expectations of WordPress's own test suite (tests/formatting/wpautop) --

_WP_BLOCKS = (
    "table thead tfoot caption col colgroup tbody tr td th div dl dd dt ul ol li pre form map area "
    "address math style p h1 h2 h3 h4 h5 h6 fieldset legend section article aside hgroup header "
    "footer nav figure details menu summary"
).split()
_WP_INLINES = "a em strong small s cite q dfn abbr data time code var samp kbd sub sup i b u mark span del ins noscript select".split()


def test_wp_block_level_elements_all_at_once():
    content = [f"<{b}>foo</{b}>" for b in _WP_BLOCKS]
    assert wpautop("\n\n".join(content)).strip() == "\n".join(content)


def test_wp_inline_elements_all_at_once():
    content = "\n\n".join(f"<{i}>foo</{i}>" for i in _WP_INLINES)
    expected = "\n".join(f"<p><{i}>foo</{i}></p>" for i in _WP_INLINES)
    assert wpautop(content).strip() == expected


def test_wp_pre_keeps_manual_breaks():
    text = "Look at this code\n\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\nActual Line 3</pre>\n\nCool, huh?"
    expected = "<p>Look at this code</p>\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\nActual Line 3</pre>\n<p>Cool, huh?</p>"
    assert wpautop(text).strip() == expected


def test_wp_input_and_select_not_broken():
    s = 'Username: <input type="text" id="username" name="username" /><br />Password: <input type="password" id="password1" name="password1" />'
    assert wpautop(s).strip() == f"<p>{s}</p>"
    s = 'Country: <select id="state" name="state"><option value="1">Alabama</option><option value="2">Alaska</option></select>'
    assert wpautop(s).strip() == f"<p>{s}</p>"


def test_wp_source_and_track_collapsed():
    video = (
        '<video class="v" controls="controls">\n\t\t\t<source type="video/mp4" src="a.mp4" />\n'
        '\t\t\t<!-- WebM -->\n\t\t\t<source type="video/webm" src="a.webm" />\n\n'
        '\t\t\t<track kind="subtitles" src="s.srt" srclang="en" />\n'
        '\t\t\t<a href="a.mp4">a.mp4</a>\n\t\t</video>'
    )
    expected = (
        "<p>Paragraph one.</p>\n"
        '<p><video class="v" controls="controls"><source type="video/mp4" src="a.mp4" />'
        '<!-- WebM --><source type="video/webm" src="a.webm" />'
        '<track kind="subtitles" src="s.srt" srclang="en" />'
        '<a href="a.mp4">a.mp4</a></video></p>\n'
        "<p>Paragraph two.</p>"
    )
    assert wpautop("Paragraph one.\n\n" + video + "\n\nParagraph two.").strip() == expected


def test_wp_object_param_embed_collapsed():
    content = (
        '\nParagraph one.\n\n<object width="400" height="224">\n\t<param name="src" value="x.swf" />\n'
        '\t<param name="allowfullscreen" value="true" />\n\n\t<embed width="400" src="x.swf" />\n</object>\n\nParagraph two.'
    )
    expected = (
        "<p>Paragraph one.</p>\n"
        '<p><object width="400" height="224"><param name="src" value="x.swf" />'
        '<param name="allowfullscreen" value="true" /><embed width="400" src="x.swf" /></object></p>\n'
        "<p>Paragraph two.</p>"
    )
    assert wpautop(content).strip() == expected


def test_control_characters_and_surrogates_removed():
    r = render_content("a\x00b\x0bc \ud800 d\x1b")
    assert r.html == "<p>abc \ufffd d</p>\n"
    assert r.html.encode("utf-8")
    assert "removed control characters" in r.warnings


def test_content_must_be_text():
    with pytest.raises(UsageError):
        render_content(b"bytes")  # type: ignore[arg-type]


def test_word_styles_go_but_bold_stays():
    html = render_content(
        '<p class="MsoNormal" style="mso-x:1"><span style="mso-bidi:1;font-weight:bold">B</span></p>'
    ).html
    assert html == "<p><strong>B</strong></p>\n"


def test_table_cells_keep_links_and_images():
    html = render_content(
        '<table border="1"><tr><td class="c"><a href="https://e.com/">l</a> <img src="i.png" alt="I"></td></tr></table>'
    ).html
    assert '<td><a href="https://e.com/">l</a> <img src="i.png" alt="I"></td>' in html


def test_gist_script_becomes_a_link():
    r = render_content('Code:\n\n<script src="https://gist.github.com/octo/0123abc.js?file=a.py"></script>\n\nend')
    assert '<p><a href="https://gist.github.com/octo/0123abc">https://gist.github.com/octo/0123abc</a></p>' in r.html
    assert r.warnings == []


@pytest.mark.parametrize(
    "html,lang",
    [
        ('<pre class="brush: php; gutter: true">x</pre>', "php"),
        ('<pre class="lang:js decode:true">x</pre>', "javascript"),
        ('<pre lang="ruby">x</pre>', "ruby"),
        ('<pre class="prettyprint lang-py">x</pre>', "python"),
        ('<pre><code class="language-sql">x</code></pre>', "sql"),
        ('<pre><code class="hljs python">x</code></pre>', "python"),
        ('<pre class="php">x</pre>', "php"),
        ('<pre class="wp-block-preformatted">x</pre>', ""),
    ],
)
def test_code_languages_from_highlighter_markup(html, lang):
    out = render_content(html).html
    expected = f' class="language-{lang}"' if lang else ""
    assert out == f"<pre><code{expected}>x</code></pre>\n"


# --- registries live on renderers ---------------------------------------------------------


def test_registries_belong_to_one_renderer():
    from wpmigrate import ContentPipeline
    from wpmigrate.render import inner

    mine = Renderer()
    mine.shortcodes.register("note", lambda sc, ctx: f"<aside><p>{sc.content}</p></aside>")
    mine.blocks.register("acme/box", lambda block, ctx: "<p>box: " + inner(block, ctx) + "</p>")
    assert ContentPipeline(renderer=mine).run("[note]Look here[/note]").markdown == "Look here\n"
    assert mine.render("<!-- wp:acme/box -->inside<!-- /wp:acme/box -->").html == "<p>box: inside</p>\n"
    other = Renderer()
    assert other.render("[note]Look here[/note]").unknown_shortcodes == {"note": 1}
    assert "box:" not in other.render("<!-- wp:acme/box -->inside<!-- /wp:acme/box -->").html
    # registering a name again moves it between the early and late passes
    mine.shortcodes.register("note", lambda sc, ctx: "<p>early</p>", early=True)
    assert "note" in mine.shortcodes.early and "note" not in mine.shortcodes.late


def test_shortcode_addresses_are_decoded_once_per_level_of_encoding():
    from wpmigrate.wordpress.shortcodes import attr_url

    assert attr_url(" https://e.com/?a=1&amp;b=2 ") == "https://e.com/?a=1&b=2"
    assert attr_url("https://e.com/?a=1&amp;amp;b=2&#038;c=3") == "https://e.com/?a=1&b=2&c=3"
    assert attr_url("https://e.com/?q=%26amp%3B") == "https://e.com/?q=%26amp%3B"  # percent-encoded stays
    r = render_content("[googlemaps https://maps.google.com/maps?q=x&amp;amp;z=3]")
    assert '<a href="https://maps.google.com/maps?q=x&amp;z=3">' in r.html


def test_plugin_players_with_script_addresses_leave_nothing():
    from wpmigrate import convert_content

    body = convert_content(
        '<p>a <object data="java\nscript:alert(1)"></object><embed src=" data:application/x-shockwave-flash,x"> b</p>'
    )
    assert body.markdown == "a b\n" and body.warnings == []
