"""The Markdown stage (wpmigrate.markdown: the tree writer) on its own.

The markdown case files run straight through ``html_to_markdown`` here (all
topics also run through the whole pipeline in tests/test_cases.py, and whole
posts in tests/test_posts_golden.py); then the writer's own tests (among
them one for each html2text limit the project once worked around, which the
writer must not bring back), and property tests checked by reading the
Markdown back with markdown-it.
"""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests import corpus
from tests.casefiles import Case, load_cases
from wpmigrate.markdown import MarkdownWriter, html_to_markdown

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _expected(case: Case) -> str:
    return case.expected + "\n" if case.expected.strip() else ""


MARKDOWN_CASES = load_cases("markdown")


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in MARKDOWN_CASES])
def test_case_direct(case: Case):
    assert html_to_markdown(case.input) == _expected(case)


# --- the writer's own tests ---------------------------------------------------------------------


def test_subclass_overrides_one_tag():
    """One method per tag: a subclass of the writer changes images only."""
    from wpmigrate.document import Document

    class NoImages(MarkdownWriter):
        def convert_img(self, el):
            return self.text("[image: " + (el.get("alt") or "") + "]")

    root = Document.parse('<p>see <img src="x.png" alt="cat"></p>').root
    assert NoImages().write(root) == "see [image: cat]\n"
    assert html_to_markdown('<p>see <img src="x.png" alt="cat"></p>') == "see ![cat](x.png)\n"


def test_writer_conventions_for_static_sites():
    writer = MarkdownWriter()
    assert writer.bullet == "-" and writer.hr == "***"
    out = html_to_markdown("<h2>T</h2><ul><li>a</li></ul><p><em>e</em> <strong>s</strong> " + "w " * 100 + "</p>")
    assert out == "## T\n\n- a\n\n*e* **s** " + " ".join(["w"] * 100) + "\n"


# --- html2text's limits, which the writer must not bring back: one test each ------------------------------------------


def test_entities_are_decoded_before_escaping():
    # html2text passed decoded entities through unescaped: a literal tag became markup
    out = html_to_markdown("<p>&lt;b&gt;bold&lt;/b&gt; &amp;amp;</p>")
    assert out == "\\<b>bold\\</b> \\&amp;\n"
    assert _text_of(MD.render(out)) == "<b>bold</b> &amp;"


def test_line_start_escapes_only_where_a_line_starts():
    # html2text escaped "1." after any whitespace run; here only a real line start counts
    assert html_to_markdown("<p>in 1. the middle - of + text</p>") == "in 1. the middle - of + text\n"
    assert html_to_markdown("<p>a<br>1. b<br>* c</p>") == "a  \n1\\. b  \n\\* c\n"


def test_text_run_ends_are_escaped_by_what_follows_them():
    # a "]" or "<" that ends one run of text meets the next run only after html2text
    out = html_to_markdown("<p>[a]<span></span>(b) and &lt;<span></span>b&gt;</p>")
    rendered = MD.render(out)
    assert "<a " not in rendered and "<b>" not in rendered, out
    assert html_to_markdown("<p>[column]</p>") == "[column]\n"


def test_marked_run_ends_in_a_row_are_each_decided():
    # two text nodes ending in "<" side by side: each end is decided, no mark is left over
    assert html_to_markdown("<p>&lt;<span>&lt;</span>b</p>") == "<\\<b\n"
    out = html_to_markdown("<p>a]<span>]</span>(b) &lt;<i></i>&lt;</p>")
    assert out == "a]\\](b) <<\n" and not re.search("[\ue000-\uf8ff]", out)


def test_spaces_moved_out_of_delimiters_never_start_a_line_or_double():
    assert html_to_markdown('<p><a href="/x"> x</a></p>') == "[x](/x)\n"
    assert html_to_markdown("<p><em> a</em> <strong> b </strong> c</p>") == "*a* **b** c\n"
    assert html_to_markdown("<p><ins>a </ins> b</p>") == "a b\n"


def test_a_lone_star_next_to_emphasis_is_escaped():
    out = html_to_markdown("<p>x <em> * </em> y</p>")
    assert _text_of(MD.render(out)) == "x * y", out


def test_nested_quotes_and_lists_keep_their_markers():
    assert html_to_markdown("<blockquote><blockquote><p>x</p></blockquote></blockquote>") == "> > x\n"
    out = html_to_markdown("<blockquote><ul><li>a<br>b</li></ul><p>c</p></blockquote>")
    assert out == "> - a  \n>   b\n>\n> c\n"


def test_table_footer_last_and_loose_text_before():
    out = html_to_markdown("<table><tfoot><tr><td>sum</td></tr></tfoot>note<tbody><tr><td>a</td></tr></tbody></table>")
    assert out == "note\n\n| a |\n|---|\n| sum |\n"


def test_button_labels_and_stray_options_stay_visible():
    assert html_to_markdown("<p><button>Read more</button></p>") == "Read more\n"
    assert html_to_markdown("<p><option>One</option><option>Two</option></p>") == "One Two\n"


def test_placeholder_tokens_cannot_be_forged_from_the_input():
    # the converter's tokens are private-use characters, removed from the input first
    out = html_to_markdown("<p>\ue0000\ue001 \ue0020\ue003</p><pre>code</pre>")
    assert out == "0 0\n\n```\ncode\n```\n"


def test_comments_the_render_stage_keeps_stay_and_others_go():
    out = html_to_markdown("<p>a</p><!--more--><p>b <!-- [foo x=1] --> c <!-- note --></p>")
    assert out == "a\n\n<!--more-->\n\nb <!-- [foo x=1] --> c\n"
    # a list item holding nothing but a kept comment is not an empty list
    assert html_to_markdown("<ul><li><!-- [gallery ids=1] --></li></ul>") == "- <!-- [gallery ids=1] -->\n"
    # the marker is what wpmigrate.document.is_more says (the summary is cut at the same one)
    assert html_to_markdown("<p>a</p><!-- more --><p>b</p>") == "a\n\n<!--more-->\n\nb\n"
    assert html_to_markdown("<p>a</p><!--more Read on--><p>b</p>") == "a\n\nb\n"


def test_closing_hash_escaped_in_headings_inside_quotes_and_items():
    assert html_to_markdown("<blockquote><h2>C#</h2></blockquote>") == "> ## C\\#\n"
    assert html_to_markdown("<ul><li><h3>F#</h3></li></ul>") == "- ### F\\#\n"


def test_blank_lines_in_code_or_quotes_do_not_make_a_list_loose():
    out = html_to_markdown("<ul><li><pre>a\n\nb</pre></li><li><blockquote><p>q</p><p>r</p></blockquote></li></ul>")
    assert out == "- ```\n  a\n\n  b\n  ```\n- > q\n  >\n  > r\n"


# --- conventions, round trips and hostile input ------------------------------------------------


def _text_of(html: str) -> str:
    """Visible text of rendered HTML, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(htmllib.unescape(text).split())


# --- conventions ----------------------------------------------------------------


def test_empty_and_invisible_input_give_empty_output():
    assert html_to_markdown("") == ""
    assert html_to_markdown("   \n ") == ""
    assert html_to_markdown("<p>&nbsp;</p><script>x()</script>") == ""


def test_one_trailing_newline_and_no_wrapping():
    words = " ".join(["word"] * 200)
    out = html_to_markdown(f"<p>{words}</p>\n\n\n")
    assert out == words + "\n"


def test_deterministic():
    src = "<p>a <em>b</em></p><ul><li>x</li></ul><table><tr><td>1</td></tr></table>"
    assert html_to_markdown(src) == html_to_markdown(src)


def test_no_entities_left_as_text():
    out = html_to_markdown("<p>caf&eacute; &amp; &#8217; &nbsp;x &hellip;</p>")
    assert "&amp;" not in out and "&#8217;" not in out and "&nbsp;" not in out and "&eacute;" not in out
    assert "café & ’" in out and "…" in out


def test_lone_surrogates_do_not_cut_the_text():
    assert html_to_markdown("<p>a\ud800b</p>") == "ab\n"


def test_control_characters_and_private_use_tokens_in_input_are_harmless():
    out = html_to_markdown("<p>a\x00b\x1b c \ue002 0\ue003 d\ue010</p>")
    assert out == "ab c  0 d\n".replace("  ", " ")


def test_deep_nesting_does_not_crash():
    depth = 3000
    out = html_to_markdown("<div>" * depth + "deep text" + "</div>" * depth)
    assert "deep text" in out
    out = html_to_markdown("<ul><li>" * 400 + "x" + "</li></ul>" * 400)
    assert "x" in out


def test_hostile_attributes_are_removed_from_raw_html():
    out = html_to_markdown(
        '<table><tr><td rowspan="2" onmouseover="steal()">a</td><td><a href="javascript:x()">b</a></td></tr></table>'
    )
    assert "steal" not in out and "javascript" not in out
    assert out.startswith("<table>")


def test_javascript_image_and_link_dropped():
    out = html_to_markdown('<p><a href=" JavaScript:alert(1)">t</a><img src="javascript:x"></p>')
    assert out == "t\n"


def test_code_block_languages():
    assert html_to_markdown('<pre data-language="ruby">puts 1</pre>').startswith("```ruby\n")
    # aliases are normalised as the render stage names them (wpmigrate.document.code_language)
    assert html_to_markdown('<pre class="lang-js">x</pre>').startswith("```javascript\n")
    assert html_to_markdown('<pre><code class="language-py">x</code></pre>').startswith("```python\n")
    assert html_to_markdown('<pre lang="php">x</pre>').startswith("```php\n")
    assert html_to_markdown('<pre class="wp-block-preformatted">plain</pre>') == "```\nplain\n```\n"


def test_first_newline_after_pre_is_ignored_like_a_browser():
    assert html_to_markdown("<pre>\nx\n</pre>") == "```\nx\n```\n"
    assert html_to_markdown("<pre>\n\nx</pre>") == "```\n\nx\n```\n"


def test_br_inside_pre_is_a_newline():
    assert html_to_markdown("<pre>a<br>b<br/>c</pre>") == "```\na\nb\nc\n```\n"


def test_footnote_list_not_fully_referenced_stays_a_list():
    out = html_to_markdown('<p>a<sup><a href="#n1">1</a></sup></p><ol><li id="n1">one</li><li id="n2">two</li></ol>')
    assert "[^" not in out
    assert "1. one" in out and "2. two" in out


def test_heading_with_link_and_image():
    out = html_to_markdown('<h2><a href="/x">Go <img src="i.png" alt="i"></a></h2>')
    assert out == "## [Go ![i](i.png)](/x)\n"


def test_url_with_parentheses_and_spaces():
    out = html_to_markdown('<p><a href="https://en.wikipedia.org/wiki/Foo_(bar)">w</a> <a href="a b(">x</a></p>')
    assert out == "[w](https://en.wikipedia.org/wiki/Foo_(bar)) [x](a%20b%28)\n"


def test_table_with_header_cells_only_in_first_row_and_inline_paragraph():
    out = html_to_markdown("<table><tr><th>H</th></tr><tr><td><p>only one para</p></td></tr></table>")
    assert out == "| H |\n|---|\n| only one para |\n"


def test_ordered_list_reversed_counts_down():
    out = html_to_markdown("<ol reversed><li>c</li><li>b</li><li>a</li></ol>")
    assert out == "3. c\n2. b\n1. a\n"


# --- properties: Markdown read back gives the same text -------------------------------

_TRICKY = st.sampled_from(
    list("*_`[]()#-+>!\\<&;~|.:=") + ["1.", "2)", "&amp;", "&lt;", "<b>", " ", "  ", "word", "x_y", "a*b", "http://x.y"]
)
_LINE_STARTS = st.sampled_from(["", "# ", "- ", "+ ", "* ", "> ", "1. ", "10) ", "---", "===", "```", "~~~", "    "])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=_LINE_STARTS, parts=st.lists(_TRICKY, min_size=1, max_size=12))
def test_text_survives_round_trip(start, parts):
    text = start + "".join(parts)
    if not text.strip():
        return
    src = "<p>" + htmllib.escape(text, quote=False) + "</p>"
    out = html_to_markdown(src)
    rendered = MD.render(out)
    assert _text_of(rendered) == " ".join(text.split()), out


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.lists(st.sampled_from(list("ab <>&`~*_#\t") + ["```", "    "]), max_size=12).map("".join),
        min_size=1,
        max_size=6,
    ),
    lang=st.sampled_from(["", "python", "c++"]),
)
def test_code_survives_byte_exact(lines, lang):
    code = "\n".join(lines).rstrip("\n")
    if code.startswith("\n"):
        code = code.lstrip("\n")
    if not code.strip():
        return  # a code block of nothing but spaces shows nothing and is dropped
    cls = f' class="language-{lang}"' if lang else ""
    out = html_to_markdown(f"<pre><code{cls}>{htmllib.escape(code, quote=False)}</code></pre>")
    tokens = [t for t in MD.parse(out) if t.type == "fence"]
    assert len(tokens) == 1, out
    assert tokens[0].content.rstrip("\n") == code
    assert tokens[0].info == lang


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["alpha", "*", "_b_", "1.", "#", "c|d", "[x](y)", "<i>", "e\\"]), min_size=1, max_size=5
    ),
    tag=st.sampled_from(["em", "strong", "del", "a"]),
)
def test_inline_formatting_keeps_text(words, tag):
    inner = htmllib.escape(" ".join(words), quote=False)
    attrs = ' href="https://example.com/"' if tag == "a" else ""
    src = f"<p>pre<{tag}{attrs}>{inner}</{tag}>post and <{tag}{attrs}> {inner} </{tag}>.</p>"
    out = html_to_markdown(src)
    rendered = MD.render(out)
    plain = " ".join(words)
    expected = f"pre{plain}post and {plain} ."
    # spaces may move across the emphasis boundary; compare without them
    got = _text_of(rendered)
    assert got.replace(" ", "") == expected.replace(" ", ""), out


@settings(max_examples=40, deadline=None)
@given(
    html=st.lists(
        st.sampled_from(
            list("<>/pabuliemtrd =\"'&;#x1\n")
            + ["<p>", "</p>", "<li>", "<table>", "<td>", "<pre>", "<br>", "<!--", "-->"]
        ),
        max_size=60,
    ).map("".join)
)
def test_arbitrary_markup_never_raises(html):
    out = html_to_markdown(html)
    assert out == "" or (out.endswith("\n") and not out.endswith("\n\n"))


def test_verse_in_front_end_html_keeps_lines_and_indent():
    # core/verse as a theme serves it (the render stage turns the block into
    # <p> with <br> before this stage sees it; scraped pages still hold <pre>)
    out = html_to_markdown(
        '<pre class="wp-block-verse">The <em>woods</em> are lovely,\n  dark and deep,\n\nBut I have promises.</pre>'
    )
    assert out == "The *woods* are lovely,  \n\u00a0\u00a0dark and deep,\n\nBut I have promises.\n"


def test_code_with_line_breaks_becomes_one_span_per_line():
    # wpautop() puts <br> into <code> of classic posts; a code span cannot hold one
    out = html_to_markdown("<p>Styles:<br />\n<code>.a {<br />\n\tmargin: 0;<br />\n}</code><br />\nDone</p>")
    assert out == "Styles:  \n`.a {`  \n`margin: 0;`  \n`}`  \nDone\n"


def test_select_stays_html_and_stray_options_keep_their_text():
    out = html_to_markdown('<p>Pick: <select name="s"><option>One</option><option>Two</option></select></p>')
    assert out == 'Pick: <select name="s"><option>One</option><option>Two</option></select>\n'
    assert html_to_markdown("<p><option>Lost</option> option</p>") == "Lost option\n"


def test_autolink_only_without_percent_escapes():
    assert html_to_markdown('<a href="https://x.test/a">https://x.test/a</a>') == "<https://x.test/a>\n"
    out = html_to_markdown('<a href="https://x.test/%5Ba%5D">https://x.test/%5Ba%5D</a>')
    assert out == "[https://x.test/%5Ba%5D](https://x.test/%5Ba%5D)\n"


def test_ordered_sublist_not_starting_at_one_is_separated_from_its_paragraph():
    out = html_to_markdown('<ol><li>one<ol start="4"><li>four</li></ol></li></ol>')
    tokens = [t.type for t in MD.parse(out)]
    assert tokens.count("ordered_list_open") == 2, out


def _fidelity_module():
    import importlib.util
    import sys

    if "fidelity" in sys.modules:
        return sys.modules["fidelity"]
    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("fidelity", root / "bench" / "fidelity.py")
    fidelity = importlib.util.module_from_spec(spec)
    sys.modules["fidelity"] = fidelity  # dataclasses look their module up
    spec.loader.exec_module(fidelity)
    return fidelity


def test_fidelity_counts_breaks_as_wordpress_shows_them():
    fidelity = _fidelity_module()
    # wpautop(): single newlines in a paragraph are <br>, not next to block tags or shortcodes
    text = fidelity.implicit_breaks("one\ntwo\n<p>three</p>\n[caption]x[/caption]\nfour\n\nfive")
    assert text.count("<br>") == 1  # only one\ntwo
    assert "[sourcecode]a\nb[/sourcecode]" in fidelity.implicit_breaks("[sourcecode]a\nb[/sourcecode]")
    # counted: a single <br> between content; not: leading, trailing, runs (a paragraph break)
    assert fidelity.line_breaks(fidelity.parse_html("<p><br>a<br>b<br><br>c<br></p><p>d<span><br></span></p>")) == 1
    assert fidelity.line_breaks(fidelity.parse_html("<p>a<br><code><br>b</code></p>")) == 0
    assert fidelity.line_breaks(fidelity.parse_html("<p>a<br><em>b</em><br>c</p><pre>x<br>y</pre>")) == 2


def test_fidelity_of_the_block_test_data():
    """bench/fidelity.py on the block test data: structure survives, nothing is left over."""

    fidelity = _fidelity_module()
    tally = fidelity.measure(
        corpus.need(corpus.WXR / "64-block-test-data.xml"), clean=False, names=fidelity.shortcode_names()
    )
    assert tally.items >= 60
    assert tally.words_hit / tally.words_src >= 0.995
    for kind in fidelity.KINDS:
        if tally.src[kind]:
            assert tally.out[kind] / tally.src[kind] >= 0.98, kind
    assert not tally.leftovers and tally.bad_front_matter == 0


def test_lazy_loading_placeholders_give_way_to_the_real_image():
    # Zeen: placeholder in src or data-lazy-src, the real file in data-zeen-src
    out = html_to_markdown(
        '<img src="data:image/svg+xml,%3Csvg%3E" data-zeen-src="https://x.test/wp-content/uploads/a.jpg" '
        'data-lazy-src="https://x.test/wp-content/themes/zeen/lazy-l.png" title="lazy l" alt="A">'
    )
    assert out == "![A](https://x.test/wp-content/uploads/a.jpg)\n"
    out = html_to_markdown('<img src="/img/blank.gif" data-src="/img/real.png" alt="">')
    assert out == "![](/img/real.png)\n"
    assert html_to_markdown('<img src="/img/lazy-river.jpg" alt="r">') == "![r](/img/lazy-river.jpg)\n"


def test_link_around_blocks_links_each_paragraph_and_heading():
    out = html_to_markdown('<a href="/p"><div><img src="t.jpg" alt="T"></div><h3>Title</h3><p>Text [x]</p></a>')
    assert out == "[![T](t.jpg)](/p)\n\n### [Title](/p)\n\n[Text \\[x\\]](/p)\n"


# --- property: random nested documents keep their structure and words -----------------

_WORDS = st.sampled_from(
    [
        "alpha",
        "beta",
        "1.",
        "#",
        "-",
        "*x*",
        "a_b",
        "[y]",
        "&lt;z&gt;",
        "q&amp;amp;",
        "10)",
        "+",
        "&gt;",
        "`c`",
        "~~",
        "|",
    ]
)
_TEXT = st.lists(_WORDS, min_size=1, max_size=4).map(" ".join)
_INLINE = st.recursive(
    _TEXT,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["em", "strong", "code", "a", "del"]), inner).map(
            lambda t: "<" + t[0] + (' href="/u"' if t[0] == "a" else "") + ">" + t[1] + "</" + t[0] + ">"
        ),
        st.lists(inner, min_size=2, max_size=3).map(" ".join),
        st.tuples(inner, inner).map(lambda t: f"{t[0]}<br>{t[1]}"),
    ),
    max_leaves=4,
)
_BLOCKS = st.recursive(
    st.one_of(
        _INLINE.map(lambda x: f"<p>{x}</p>"),
        _INLINE.map(lambda x: f"<h2>{x}</h2>"),
        st.lists(st.sampled_from(list("ab <>&*\n")), min_size=1, max_size=20)
        .map("".join)
        .filter(str.strip)
        .map(lambda s: f"<pre>{htmllib.escape(s)}</pre>"),
    ),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: "<ul>" + "".join(f"<li>{x}</li>" for x in xs) + "</ul>"),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: "<ol>" + "".join(f"<li>{x}</li>" for x in xs) + "</ol>"),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: "<blockquote>" + "".join(xs) + "</blockquote>"),
        st.lists(_INLINE, min_size=1, max_size=3).map(
            lambda xs: "<table><tr>" + "".join(f"<td>{x}</td>" for x in xs) + "</tr></table>"
        ),
    ),
    max_leaves=6,
)


def _structure(html: str):
    from collections import Counter

    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    counts: Counter = Counter()
    words: Counter = Counter()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        words.update(re.findall(r"\w+", (el.text or "") + " " + (el.tail or "")))
        ancestors = {a.tag for a in el.iterancestors()}
        if el.tag == "code" and ancestors & {"pre", "code"}:
            continue  # the <code> of a fenced block, or code nested in code
        if el.tag == "a" and ("a" in ancestors or not el.text_content().strip()):
            continue  # links in links, empty links: nothing a reader sees
        counts["td" if el.tag == "th" else el.tag] += 1
    return counts, words


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(doc=st.lists(_BLOCKS, min_size=1, max_size=3).map("".join))
def test_nested_documents_keep_structure_and_words(doc):
    out = html_to_markdown(doc)
    (src, src_words), (back, back_words) = _structure(doc), _structure(MD.render(out))
    for kind in ("li", "blockquote", "pre", "h2", "td", "a", "br"):
        assert src[kind] == back[kind], (kind, doc, out)
    assert back["code"] >= src["code"], (doc, out)  # code broken by <br> or a link splits
    assert src_words == back_words, (doc, out)


def test_text_that_looks_like_a_table_delimiter_row_is_escaped():
    out = html_to_markdown("<p>a | b<br>--- | ---<br>c | d</p>")
    assert "<table>" not in MD.render(out)
    assert _text_of(MD.render(out)) == "a | b --- | --- c | d"


def test_inline_html_tag_never_starts_a_line_alone():
    out = html_to_markdown("<p>one<br><sup><br>two</sup></p>")
    assert "<p>" in MD.render(out) and "two" in _text_of(MD.render(out))
    assert not any(line.strip() == "<sup>" for line in out.split("\n"))


def _markdown_it_reads_all_of(body: str) -> bool:
    """False for constructs CommonMark + tables cannot read back (footnotes, definition lists, reversed lists)."""
    if re.search(r"\[\^\d+\]", body) or re.search(r"^: ", body, re.M):
        return False
    for m in re.finditer(r"^( *)(\d+)\. .*\n\1(\d+)\. ", body, re.M):
        if int(m.group(3)) < int(m.group(2)):
            return False
    return True


def test_markdown_read_back_converts_to_itself():
    """Every golden body, rendered by markdown-it and converted again, gives the same Markdown."""

    from wpmigrate.frontmatter import parse_document

    checked = 0
    for path in sorted((Path(__file__).parent / "golden" / "posts").glob("*/*.md")):
        _fields, body = parse_document(path.read_text(encoding="utf-8"))
        if not _markdown_it_reads_all_of(body):
            continue
        assert html_to_markdown(MD.render(body)) == body, path.name
        checked += 1
    assert checked >= 50


def test_text_before_a_block_in_an_inline_container_stays_on_its_line():
    # a browser shows "xy", then the block, then "wv": the <span> itself breaks nothing
    assert html_to_markdown("<p>x<span>y<div>z</div>w</span>v</p>") == "xy\n\nz\n\nwv\n"


def test_emphasis_around_blocks_goes_inside_each_block():
    # themes and page builders wrap whole sections in <strong>/<em>; Markdown's
    # emphasis cannot span blocks, so each paragraph, heading and item gets its own
    out = html_to_markdown("<strong><p>a</p><h2>T</h2><ul><li>i</li></ul><hr></strong>")
    assert out == "**a**\n\n## **T**\n\n- **i**\n\n***\n"


def test_lists_in_a_row_stay_apart_whatever_held_them():
    # CommonMark reads two lists of one kind in a row as one list, also when
    # each sat in a <div> of its own (a theme's related posts, then its share buttons)
    out = html_to_markdown("<div><ul><li>a</li></ul></div><div><ul><li>b</li></ul></div><ol><li>c</li></ol>")
    assert out == "- a\n\n<!-- -->\n\n- b\n\n1. c\n"
    assert [t.type for t in MD.parse(out)].count("bullet_list_open") == 2


def test_text_directly_inside_a_list_is_kept_as_items():
    out = html_to_markdown("<ul>stray<li>a</li>tail text<li>b</li><ul><li>n</li></ul></ul>")
    assert out == "- stray\n- a\n- tail text\n- b\n  - n\n"


def test_text_outside_cells_and_definitions_is_kept():
    # browsers show such text (a table's moves before it); so does the converter
    out = html_to_markdown("<table>hello<tr><td>x</td>mid</tr>after row</table>")
    assert out == "hello mid after row\n\n| x |\n|---|\n"
    out = html_to_markdown("<dl>stray<dt>T</dt><dd>D</dd>end</dl>")
    assert out == "stray\n\nT\n: D\n\nend\n"


def test_ruby_annotations_stay_html():
    out = html_to_markdown("<p>これは<ruby>漢<rt>かん</rt>字<rt>じ</rt></ruby>です</p>")
    assert out == "これは<ruby>漢<rt>かん</rt>字<rt>じ</rt></ruby>です\n"


def test_empty_elements_leave_nothing():
    src = "<p></p><h2> </h2><ul></ul><ol><li></li></ol><table></table><pre></pre><blockquote></blockquote><dl></dl>"
    assert html_to_markdown(src + '<a href="x"></a><img src="">') == ""
    assert html_to_markdown("<ul><li></li><li>a</li></ul>") == "-\n- a\n"  # an empty item among others stays


_PAGES = corpus.PAGES


@pytest.mark.parametrize(
    "name",
    [
        "readability-wptavern/expected.html",
        "zeen-silkes-weinkeller.de.html",
        "15zine-pinkstinks.de.html",
        "mc4wp-correctiv.org.html",
    ],
)
def test_real_front_end_pages_keep_their_words_and_structure(name):
    """Whole scraped WordPress pages (not used to build the converter): nothing visible is lost."""
    import lxml.html

    fidelity = _fidelity_module()
    html = corpus.read_text(_PAGES / name)
    doc = lxml.html.document_fromstring(html)
    source = doc.find("body") if doc.find("body") is not None else doc
    for bad in list(source.iter("noscript", "script", "style", "template", "svg")):
        bad.drop_tree()  # never shown (noscript holds lazy-loading fallbacks)
    out = fidelity.parse_html(MD.render(html_to_markdown(html)))
    src_words, out_words = Counter(fidelity.words_of(source)), Counter(fidelity.words_of(out))
    assert not (src_words - out_words), sorted((src_words - out_words).elements())[:20]
    src, back = fidelity.structure(source, source=True), fidelity.structure(out, source=False)
    for kind in ("headings", "list items", "table cells", "quotes", "code blocks", "line breaks"):
        assert back[kind] >= src[kind], (kind, back[kind], src[kind])


def test_column_alignment_from_cells():
    out = html_to_markdown(
        '<table><thead><tr><th class="has-text-align-center" data-align="center">A</th><th align="right">B</th>'
        '<th style="text-align: left">C</th><th>D</th></tr></thead><tbody><tr><td data-align="center">1</td>'
        '<td align="right">2</td><td>3</td><td>4</td></tr></tbody></table>'
    )
    assert out.split("\n")[1] == "|:---:|---:|---|---|"  # column C: only its header says left


def test_entity_text_in_urls_titles_and_alt_is_not_decoded_twice():
    src = (
        '<p><a href="https://x.test/?a=1&amp;amp;b=2" title="T &amp;copy;">l</a> <img src="i.png" alt="&amp;copy;"></p>'
    )
    html = MD.render(html_to_markdown(src))
    assert 'href="https://x.test/?a=1&amp;amp;b=2"' in html
    assert 'title="T &amp;copy;"' in html and 'alt="&amp;copy;"' in html


def test_bytes_none_and_wrong_types():
    from wpmigrate.errors import UsageError

    assert html_to_markdown("<p>caf\u00e9</p>".encode()) == "caf\u00e9\n"
    assert html_to_markdown(b"<p>\xff ok</p>") == "\ufffd ok\n"
    assert html_to_markdown(None) == ""
    with pytest.raises(UsageError):
        html_to_markdown(42)


def test_media_addresses_come_from_the_document_facts():
    # wpmigrate.document.embed_source: src, a lazy loader's data-src, a <source>, the fallback link
    assert html_to_markdown('<iframe data-src="https://www.youtube.com/embed/abcdefgh"></iframe>') == (
        "<https://www.youtube.com/watch?v=abcdefgh>\n"
    )
    assert html_to_markdown('<video><source src="https://x.test/v.mp4"></video>') == "<https://x.test/v.mp4>\n"
    assert (
        html_to_markdown('<audio controls><a href="/m/b%20c.mp3">Download</a></audio>') == "[b c.mp3](/m/b%20c.mp3)\n"
    )


def test_raw_html_is_defused():
    out = html_to_markdown(
        '<iframe src="https://maps.example.com/x" srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;" onload="x()"></iframe>'
        '<object data="javascript:alert(1)"></object><math><mi xlink:href="javascript:alert(2)">x</mi></math>'
    )
    for bad in ("srcdoc", "onload", "javascript", "alert"):
        assert bad not in out, out
    assert '<iframe src="https://maps.example.com/x"></iframe>' in out


# --- end: tests copied from tests/test_markdown.py


# --- the writer reads the tree it is given: no parse, no serialisation -------------------------

_RICH = (
    "<h2>Title<br>two</h2><p>Text with <em>emphasis</em>, <strong>strong</strong>, <a href='/x' title='t'>a link</a>,"
    " <code>code</code>, <img src='i.png' alt='an image'> and a note<sup><a href='#fn1' id='r1'>1</a></sup>.</p>"
    "<ul><li><p>item one</p><p>second paragraph</p><pre class='language-php'>echo 1;</pre></li>"
    "<li>item two<ol start='3'><li>nested</li></ol></li></ul>"
    "<blockquote><p>quoted</p><cite>someone</cite></blockquote>"
    "<dl><dt>Term</dt><dd><p>definition</p><p>more</p></dd></dl>"
    "<details><p>hidden <em>text</em></p></details>"
    "<table><thead><tr><th data-align='center'>A</th><th>B</th></tr></thead><tbody><tr><td>1 | 2</td>"
    "<td>x<br>y</td></tr></tbody></table>"
    "<figure><figcaption>caption</figcaption><img src='f.jpg' alt='figure'></figure>"
    "<p><code>a <a href='/api'>name</a></code> <code>b<br>c</code></p>"
    "<pre class='wp-block-verse'>a line\n  indented</pre><hr>"
    "<iframe src='https://www.youtube.com/embed/abcdefgh'></iframe><video src='https://x.test/v.mp4'></video>"
    "<ol class='footnotes'><li id='fn1'>The note. <a href='#r1'>↩</a></li></ol>"
)
_PARSE_AND_SERIALISE = [
    ("lxml.html", "fromstring"),
    ("lxml.html", "fragment_fromstring"),
    ("lxml.html", "fragments_fromstring"),
    ("lxml.html", "document_fromstring"),
    ("lxml.html", "tostring"),
    ("lxml.etree", "fromstring"),
    ("lxml.etree", "HTML"),
    ("lxml.etree", "XML"),
    ("lxml.etree", "tostring"),
    ("lxml.etree", "tostringlist"),
    ("html.parser", "HTMLParser.feed"),
]


def _forbid_parsing_and_serialising(monkeypatch):
    import importlib

    for module, name in _PARSE_AND_SERIALISE:
        owner = importlib.import_module(module)
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part)

        def refuse(*args, _name=f"{module}.{name}", **kwargs):
            raise AssertionError(f"{_name} called while writing a tree")

        monkeypatch.setattr(owner, attr, refuse)


def test_writing_a_tree_neither_parses_nor_serialises(monkeypatch):
    """Every block the html2text stage serialised and parsed again (lists holding blocks,
    <details>, <dl>, footnotes, code, tables) is written from the tree in one walk."""
    from wpmigrate.document import Document

    expected = html_to_markdown(_RICH)
    root = Document.parse(_RICH).root
    _forbid_parsing_and_serialising(monkeypatch)
    assert MarkdownWriter().write(root) == expected
    assert "[^1]: The note." in expected and "```php" in expected and "| 1 \\| 2 | x<br>y |" in expected


def test_only_raw_html_output_is_serialised(monkeypatch):
    """What Markdown cannot say is written out as HTML: that, and only that, serialises
    (which also shows the guard of the test above is live)."""
    from wpmigrate.document import Document

    merged = Document.parse('<table><tr><td colspan="2">a</td></tr></table>').root
    _forbid_parsing_and_serialising(monkeypatch)
    with pytest.raises(AssertionError, match="tostring called while writing a tree"):
        MarkdownWriter().write(merged)


_CODE_BITS = st.sampled_from(["a", "b c", "`", "``", " ", "x ", " y", "|", "\\", "*"])


@settings(max_examples=80, deadline=None)
@given(spans=st.lists(_CODE_BITS, min_size=1, max_size=5), between=st.sampled_from(["", "<span></span>", "<em></em>"]))
def test_code_spans_side_by_side_read_back_as_the_code_they_show(spans, between):
    src = "<p>see " + between.join(f"<code>{htmllib.escape(s, quote=False)}</code>" for s in spans) + " here</p>"
    out = html_to_markdown(src)
    rendered = MD.render(out)
    codes = re.findall(r"<code>(.*?)</code>", rendered, re.S)
    shown = "".join(spans)
    if not shown.strip():
        return  # (a code span of nothing but spaces: HTML shows nothing worth comparing)
    assert [htmllib.unescape(c) for c in codes] == [shown], out


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["_", "__", "a", "b c", " ", "(", ")", "*", "[", "]", "‘", "1", "\\", "`"]), max_size=10
    )
)
def test_image_alt_text_reads_back_as_written(parts):
    alt = "".join(parts)
    out = html_to_markdown(f'<p><img src="a.png" alt="{htmllib.escape(alt)}"></p>')
    m = re.search(r'alt="([^"]*)"', MD.render(out))
    assert m is not None and htmllib.unescape(m.group(1)) == " ".join(alt.split()), out


def test_underscores_in_alt_text_are_escaped_only_where_they_could_pair():
    def alt(text: str) -> str:
        return html_to_markdown(f'<p><img src="a.png" alt="{text}"></p>')[2:-9]

    assert alt("_MG_1234") == "_MG_1234" and alt("IMG_") == "IMG_" and alt("photo_(1)") == "photo_(1)"
    assert alt("a _b_ c") == "a \\_b\\_ c"
    # an opener before a closer pairs, however far apart: "MG_1 photo" would be emphasis
    assert alt("_MG_1 photo_(1)") == "\\_MG_1 photo\\_(1)"


def test_flash_player_inside_running_text_keeps_its_address_in_the_line():
    out = html_to_markdown('<p>Play <embed src="https://e.com/g.swf"> now, or <object data="/a b.swf"></object>.</p>')
    assert out == "Play <https://e.com/g.swf> now, or [/a b.swf](/a%20b.swf).\n"
