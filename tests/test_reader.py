"""The streaming WXR reader: namespaces, CDATA, dates, WXR 1.0, repairs."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from tests.wxrbuild import build_wxr
from wpmigrate import MalformedExportError, NotAnExportError, read_export

HEAD = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="%(ns)sexcerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="%(ns)s">
<channel><title>T</title><wp:wxr_version>%(v)s</wp:wxr_version>
"""


def wxr(body: bytes, ns: bytes = b"http://wordpress.org/export/1.2/", v: bytes = b"1.2") -> bytes:
    return HEAD % {b"ns": ns, b"v": v} + body + b"\n</channel></rss>\n"


def items(data: bytes) -> list:
    return list(read_export(io.BytesIO(data)))


def test_basic_fields_and_types():
    data = build_wxr(
        [
            {
                "id": 7,
                "title": "Hello",
                "slug": "hello",
                "content": "Body",
                "excerpt": "Ex",
                "terms": [("category", "news", "News"), ("post_tag", "x", "X"), ("genre", "jazz", "Jazz")],
                "meta": [("a", "1"), ("b", "2"), ("a", "3")],
                "comments": [{"id": 3, "approved": "spam"}],
                "sticky": True,
            }
        ]
    )
    (item,) = items(data)
    assert item.id == 7 and item.type == "post" and item.status == "publish"
    assert item.title == "Hello" and item.slug == "hello" and item.content == "Body" and item.excerpt == "Ex"
    assert [(t.taxonomy, t.slug, t.name) for t in item.terms] == [
        ("category", "news", "News"),
        ("post_tag", "x", "X"),
        ("genre", "jazz", "Jazz"),
    ]
    assert [(m.key, m.value) for m in item.meta] == [("a", "1"), ("b", "2"), ("a", "3")]
    assert item.meta_value("a") == "1"
    assert item.comments[0].approved == "spam" and item.comments[0].author_ip == "192.0.2.7"
    assert item.sticky is True
    assert item.line is not None


def test_dates_local_naive_gmt_aware_and_zero():
    data = build_wxr(
        [
            {"date": "2024-07-01 14:00:00", "date_gmt": "0000-00-00 00:00:00"},
            {"date": "2024-07-01 14:00:00", "date_gmt": "2024-07-01 12:00:00"},
        ]
    )
    a, b = items(data)
    assert a.date == datetime(2024, 7, 1, 14, 0) and a.date.tzinfo is None
    assert a.date_gmt is None
    assert b.date_gmt == datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


def test_slug_is_percent_decoded():
    (item,) = items(build_wxr([{"slug": "%c3%bcber-uns"}]))
    assert item.slug == "über-uns"


@pytest.mark.parametrize(
    "ns",
    [b"http://wordpress.org/export/1.0/", b"http://wordpress.org/export/1.1/", b"https://wordpress.org/export/1.2/"],
)
def test_namespace_recognised_by_uri_not_prefix(ns):
    body = b"""<wp:author><wp:author_login>  alice \n</wp:author_login></wp:author>
<item><title>A</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type></item>"""
    data = wxr(body, ns=ns)
    data = (
        data.replace(b"xmlns:wp=", b"xmlns:wordpress=")
        .replace(b"<wp:", b"<wordpress:")
        .replace(b"</wp:", b"</wordpress:")
    )
    exp = read_export(io.BytesIO(data))
    assert exp.site.authors[0].login == "alice"
    assert [i.id for i in exp] == [1]


def test_foreign_namespace_elements_are_ignored():
    body = b"""<wp:author xmlns:wp="http://example.com/fake/"><wp:author_login>fake</wp:author_login></wp:author>
<wp:author><wp:author_login>real</wp:author_login></wp:author>
<item><title>A</title><wp:post_id>1</wp:post_id>
<wp:postmeta xmlns:wp="http://example.com/evil/"><wp:meta_key>k</wp:meta_key><wp:meta_value>v</wp:meta_value></wp:postmeta>
</item>"""
    exp = read_export(io.BytesIO(wxr(body)))
    assert [a.login for a in exp.site.authors] == ["real"]
    (item,) = list(exp)
    assert item.meta == ()


def test_cdata_sections_join_and_escaped_close():
    body = b"""<item><wp:post_id>1</wp:post_id>
<content:encoded><![CDATA[one ]]]]><![CDATA[> two \\" &amp; <b>]]></content:encoded></item>"""
    (item,) = items(wxr(body))
    assert item.content == 'one ]]> two \\" &amp; <b>'


def test_blank_lines_and_crlf_kept():
    body = b"<item><wp:post_id>1</wp:post_id><content:encoded><![CDATA[a\n\n\nb]]></content:encoded></item>"
    (item,) = items(wxr(body))
    assert item.content == "a\n\n\nb"


def test_a_field_written_twice_takes_its_last_value():
    # WordPress's importer assigns a field at each closing tag, so the last one stays;
    # repeatable elements (postmeta, comments, categories) all count.
    body = b"""<wp:author><wp:author_login>first</wp:author_login><wp:author_login>second</wp:author_login></wp:author>
<item><title>Old</title><title>New</title><wp:post_id>1</wp:post_id><wp:post_name>a</wp:post_name>
<wp:post_name>b</wp:post_name><wp:status>draft</wp:status><wp:status>publish</wp:status>
<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>1</wp:meta_value><wp:meta_value>2</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>3</wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_id>7</wp:comment_id><wp:comment_id>8</wp:comment_id></wp:comment></item>"""
    exp = read_export(io.BytesIO(wxr(body)))
    (item,) = list(exp)
    assert exp.site.authors[0].login == "second"
    assert (item.title, item.slug, item.status) == ("New", "b", "publish")
    assert [(m.key, m.value) for m in item.meta] == [("k", "2"), ("k", "3")]
    assert [c.id for c in item.comments] == [8]


def test_wxr_10_categories_only_with_nicename_and_tag_domain():
    body = b"""<item><wp:post_id>1</wp:post_id>
<category><![CDATA[Uncategorized]]></category>
<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>
<category domain="tag"><![CDATA[Foo]]></category>
<category domain="tag" nicename="foo"><![CDATA[Foo]]></category></item>"""
    (item,) = items(wxr(body, ns=b"http://wordpress.org/export/1.0/", v=b"1.0"))
    assert [(t.taxonomy, t.slug, t.name) for t in item.terms] == [
        ("category", "uncategorized", "Uncategorized"),
        ("post_tag", "foo", "Foo"),
    ]


def test_non_standard_wp_author_element():
    body = b"<wp:wp_author><wp:author_login>bob</wp:author_login><wp:author_email>b@x</wp:author_email></wp:wp_author>"
    assert read_export(io.BytesIO(wxr(body))).site.authors[0].login == "bob"


def test_control_characters_dropped_with_one_warning_per_item():
    body = (
        b"<item><wp:post_id>5</wp:post_id><title>A\x0bB</title><content:encoded><![CDATA[x\x01y&#x2;]]></content:encoded></item>"
        b"<item><wp:post_id>6</wp:post_id><title>C&#x1F;D</title></item>"
    )
    a, b = items(wxr(body))
    assert a.title == "AB" and a.content == "xy&#x2;"  # a reference inside CDATA is literal text
    assert len(a.warnings) == 1 and "5" in a.warnings[0]
    assert b.title == "CD" and len(b.warnings) == 1


def test_bare_ampersand_and_html_entities_repaired():
    body = (
        b"<item><wp:post_id>1</wp:post_id><title>Caf&eacute; &nbsp;x</title>"
        b"<wp:attachment_url>https://e.org/a.jpg?a=1&b=2</wp:attachment_url></item>"
    )
    (item,) = items(wxr(body))
    assert item.attachment_url == "https://e.org/a.jpg?a=1&b=2"
    assert item.title == "Caf\u00e9 \u00a0x"


def test_stray_text_before_root_and_undeclared_prefix():
    data = wxr(b"<item><wp:post_id>1</wp:post_id><atom:link href='x'/></item>")
    data = data.replace(b"<rss", b"junk text<!-- c -->\n<rss", 1)
    (item,) = items(data)
    assert item.id == 1


def test_line_numbers_survive_repairs(tmp_path):
    data = wxr(b"<item><wp:post_id>1</wp:post_id></item>\n<item><wp:post_id>2</wp:post_id>\n<title>x</wrong></item>")
    path = tmp_path / "broken.xml"
    path.write_bytes(data)
    got = []
    with pytest.raises(MalformedExportError) as info:
        for item in read_export(path):
            got.append(item.id)
    assert got == [1]
    expected_line = data[: data.index(b"</wrong>")].count(b"\n") + 1
    assert info.value.line == expected_line
    assert str(info.value).startswith(f"{path}:{expected_line}:")


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"<html><body>hi</body></html>", "not a WordPress export"),
        (
            b"<?xml version='1.0'?><rss version='2.0'><channel><title>feed</title><item><title>x</title></item></channel></rss>",
            "WXR version",
        ),
        (b"just some text", "not a WordPress export"),
        (b"\x00\x01\x02binary", "not a WordPress export"),
        # looks like UTF-16 without a BOM, then ends on an odd byte
        (b'\x00<\x00? version="1.0"?>\n<rss/>\n', "not a WordPress export"),
    ],
)
def test_not_an_export(tmp_path, data, words):
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    with pytest.raises(NotAnExportError) as info:
        exp = read_export(path)
        list(exp)
    assert words in str(info.value)


def test_missing_path_and_directory(tmp_path):
    with pytest.raises(NotAnExportError, match="no such file"):
        read_export(tmp_path / "nope.xml")
    with pytest.raises(NotAnExportError, match="directory"):
        read_export(tmp_path)


def test_invalid_version_refused():
    with pytest.raises(NotAnExportError, match="invalid WXR version"):
        list(read_export(io.BytesIO(wxr(b"<item><wp:post_id>1</wp:post_id></item>", v=b"abc"))))


def test_entity_bomb_does_not_expand(tmp_path):
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&f;</title><wp:post_id>1</wp:post_id></item></channel></rss>"""
    (item,) = items(bomb)
    assert len(item.title) < 1000


def test_external_entity_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://%s">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&x;</title><wp:post_id>1</wp:post_id></item></channel></rss>""" % str(secret).encode()
    (item,) = items(data)
    assert "TOPSECRET" not in item.title


def test_iterating_twice_from_path(tmp_path):
    path = tmp_path / "e.xml"
    path.write_bytes(build_wxr([{"id": 1}, {"id": 2}]))
    exp = read_export(path)
    assert exp.site.title == "Test Site"
    assert [i.id for i in exp] == [1, 2]
    assert [i.id for i in exp] == [1, 2]


def test_each_item_is_parsed_on_its_own(tmp_path, monkeypatch):
    """Item isolation: the parser only ever holds one item's bytes (or a header piece), never the file."""
    path = tmp_path / "e.xml"
    path.write_bytes(build_wxr([{"id": i, "content": "x" * 100} for i in range(1, 300)]))
    from wpmigrate.wxr import parse

    seen = []
    original = parse.PieceParser.parse

    def spy(self, data, *args, **kwargs):
        seen.append(data)
        return original(self, data, *args, **kwargs)

    monkeypatch.setattr(parse.PieceParser, "parse", spy)
    assert len(list(read_export(path))) == 299
    items = [d for d in seen if d.startswith(b"<item")]
    assert len(items) == 299
    assert all(d.count(b"<item>") == 1 and d.endswith(b"</item>") for d in items)
    assert max(map(len, seen)) < path.stat().st_size / 50
