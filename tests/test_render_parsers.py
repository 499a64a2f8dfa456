"""The block parser (parse_blocks grammar) and the shortcode parser (get_shortcode_regex grammar)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.wordpress.blocks import has_blocks, parse_blocks
from wpmigrate.wordpress.shortcodes import iter_shortcodes, parse_atts, unescape_shortcodes

# --- blocks -------------------------------------------------------------------


def test_core_namespace_added_and_attrs_decoded():
    text = '<!-- wp:paragraph {"align":"center","n":1} -->\n<p>Hi</p>\n<!-- /wp:paragraph -->'
    [b] = parse_blocks(text)
    assert b.name == "core/paragraph"
    assert b.attrs == {"align": "center", "n": 1}
    assert b.inner_html == "\n<p>Hi</p>\n"
    assert (b.start, b.end) == (0, len(text))


def test_plugin_namespace_kept_and_void_block():
    text = 'a<!-- wp:mailpoet/subscription-form-block {"formId":2} /-->b'
    blocks = parse_blocks(text)
    assert [b.name for b in blocks] == [None, "mailpoet/subscription-form-block", None]
    assert blocks[1].attrs == {"formId": 2}
    assert text[blocks[1].start : blocks[1].end] == '<!-- wp:mailpoet/subscription-form-block {"formId":2} /-->'


def test_nested_blocks_and_inner_content():
    text = (
        "<!-- wp:columns --><div><!-- wp:column --><div>"
        "<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->"
        "</div><!-- /wp:column --></div><!-- /wp:columns -->"
    )
    [cols] = parse_blocks(text)
    assert cols.name == "core/columns"
    [col] = cols.inner
    assert col.name == "core/column"
    assert [c.name for c in col.inner] == ["core/paragraph"]
    assert cols.inner_content == ["<div>", None, "</div>"]
    assert cols.inner_html == "<div></div>"
    assert [b.name for b in cols.walk()] == ["core/columns", "core/column", "core/paragraph"]
    p = col.inner[0]
    assert text[p.start : p.end] == "<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->"


def test_invalid_json_gives_empty_attrs():
    [b] = parse_blocks('<!-- wp:paragraph {"a": } -->x<!-- /wp:paragraph -->')
    assert b.name == "core/paragraph"
    assert b.attrs == {}


def test_attrs_with_braces_and_escapes():
    text = '<!-- wp:x/y {"a":{"b":"}"},"c":"\\u003c!\\u002d\\u002d"} /-->'
    [b] = parse_blocks(text)
    assert b.attrs == {"a": {"b": "}"}, "c": "<!--"}


def test_unclosed_block_closes_at_end():
    text = "<!-- wp:group --><div><!-- wp:paragraph --><p>x</p>"
    [g] = parse_blocks(text)
    assert g.name == "core/group"
    assert g.end == len(text)
    assert g.inner[0].name == "core/paragraph"
    assert g.inner[0].inner_html == "<p>x</p>"


def test_stray_closer_makes_the_rest_freeform():
    text = "<p>a</p><!-- /wp:paragraph --><!-- wp:paragraph --><p>b</p><!-- /wp:paragraph -->"
    blocks = parse_blocks(text)
    assert [b.name for b in blocks] == [None]
    assert blocks[0].inner_html == text


def test_not_a_delimiter():
    # no space after the name, upper case, and a plain comment are not block delimiters
    text = "<!-- wp:Para --><!--wp:paragraph --><!-- just a comment -->"
    assert not has_blocks(text)
    assert [b.name for b in parse_blocks(text)] == [None]


def test_empty_text():
    assert parse_blocks("") == []


_fragments = st.sampled_from(
    [
        "<!-- wp:paragraph -->",
        "<!-- /wp:paragraph -->",
        '<!-- wp:group {"a":1} -->',
        "<!-- /wp:group -->",
        "<!-- wp:separator /-->",
        '<!-- wp:acme/box {"x":"}"} /-->',
        "<p>text</p>",
        "\n\n",
        "plain",
        "<!-- comment -->",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_fragments, max_size=14))
def test_top_level_blocks_cover_the_text(parts):
    text = "".join(parts)
    blocks = parse_blocks(text)
    assert "".join(text[b.start : b.end] for b in blocks) == text
    for b in blocks:
        for d in b.walk():
            assert b.start <= d.start <= d.end <= b.end


# --- shortcodes ---------------------------------------------------------------


def test_parse_atts_forms():
    atts = parse_atts(' id="1" Align=\'left\' width=300 "pos one" two ')
    assert atts == {"id": "1", "align": "left", "width": "300", 0: "pos one", 1: "two"}


def test_parse_atts_rejects_unbalanced_html():
    assert parse_atts('a="<b" c="<i>ok</i>"') == {"a": "", "c": "<i>ok</i>"}


def test_self_closing_and_enclosing():
    text = 'x [gallery ids="1,2" /] y [caption width="3"]<img src="a"> cap[/caption] z'
    found = list(iter_shortcodes(text))
    assert [s.name for s in found] == ["gallery", "caption"]
    g, c = found
    assert g.content is None and g.attrs == {"ids": "1,2"}
    assert text[g.start : g.end] == '[gallery ids="1,2" /]'
    assert c.content == '<img src="a"> cap'
    assert c.opening_tag == '[caption width="3"]'
    assert text[c.start : c.end].endswith("[/caption]")


def test_escaped_skipped_by_default():
    text = "[[gallery]] and [gallery]"
    assert [(s.start, s.escaped) for s in iter_shortcodes(text)] == [(16, False)]
    assert [s.escaped for s in iter_shortcodes(text, escaped=True)] == [True, False]
    assert unescape_shortcodes(text) == "[gallery] and [gallery]"


def test_half_escaped_keeps_the_extra_bracket_outside():
    [s] = iter_shortcodes("[[gallery]")
    assert (s.start, s.end) == (1, 10)


def test_names_restrict_and_hyphen_boundary():
    text = "[gallery-x] [gallery] [galleryfoo]"
    assert [s.text for s in iter_shortcodes(text, ["gallery"])] == ["[gallery]"]


def test_same_name_does_not_nest():
    # get_shortcode_regex() closes at the first [/name]
    text = "[box]a [box]b[/box] c[/box]"
    [first] = list(iter_shortcodes(text, ["box"]))
    assert first.content == "a [box]b"


def test_nested_other_names_found_in_content():
    text = "[column][caption]<img src=x> c[/caption][/column]"
    [col] = iter_shortcodes(text)
    assert col.name == "column"
    [cap] = iter_shortcodes(col.content)
    assert cap.name == "caption"


def test_slash_inside_attribute_value():
    [s] = iter_shortcodes('[embed src="https://a/b/c"]')
    assert s.attrs == {"src": "https://a/b/c"}
    assert s.content is None


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="[]/ab =\"'x", max_size=40))
def test_shortcode_offsets_are_in_order_and_inside(text):
    last = 0
    for s in iter_shortcodes(text, escaped=True):
        assert last <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        last = s.end


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='[]/ab ="x\n', max_size=30))
def test_linear_scanner_matches_wordpress_regex(text):
    """iter_shortcodes() finds what get_shortcode_regex() finds (attribute text without "[")."""
    from wpmigrate.wordpress.shortcodes import shortcode_regex

    wp = list(shortcode_regex(["a", "ab"]).finditer(text))
    if any("[" in (m.group(3) or "") for m in wp):
        return  # the documented difference
    ours = list(iter_shortcodes(text, ["a", "ab"], escaped=True))
    expected = []
    for m in wp:
        esc = m.group(1) == "[" and m.group(6) == "]"
        start, end = m.start(), m.end()
        if not esc:
            start += len(m.group(1))
            end -= len(m.group(6))
        expected.append((m.group(2), m.group(5), start, end, esc))
    assert [(s.name, s.content, s.start, s.end, s.escaped) for s in ours] == expected


def test_unclosed_brackets():
    # bench/hostile.py times this input; here only the result is checked
    text = "[a " * 20000 + "[foo]" * 20000
    found = list(iter_shortcodes(text))
    assert len(found) == 20000 and {s.name for s in found} == {"foo"}


def test_wordpress_shortcode_suite_examples():
    """Expectations of WordPress's tests/shortcode.php, reproduced."""
    [s] = iter_shortcodes('[test-shortcode-tag 123 https://wordpress.org/ 0 "foo" bar]')
    assert s.attrs == {0: "123", 1: "https://wordpress.org/", 2: "0", 3: "foo", 4: "bar"}
    [s] = iter_shortcodes("[footag foo=\"bar\" baz='bing' tinytag=1]")
    assert s.attrs == {"foo": "bar", "baz": "bing", "tinytag": "1"}
    # a hyphenated name is its own shortcode, not "hyphen" with an attribute
    assert [x.name for x in iter_shortcodes("[hyphen-foo] [hyphen]", ["hyphen"])] == ["hyphen"]
    [s] = iter_shortcodes("[baztag]content[/baztag]")
    assert s.content == "content"
    # self-closing forms never take content
    for text in ("[footag/]after[/footag]", "[footag /]after[/footag]"):
        [s] = iter_shortcodes(text, ["footag"])
        assert s.content is None and s.text in ("[footag/]", "[footag /]")
    assert [x.escaped for x in iter_shortcodes('[[footag foo="bar"]]', escaped=True)] == [True]
    assert unescape_shortcodes('[[footag foo="bar"]] [[baztag]x[/baztag]]') == '[footag foo="bar"] [baztag]x[/baztag]'
