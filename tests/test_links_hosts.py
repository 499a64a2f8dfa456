"""Own-host matching and the URL-rewrite step's walk (wpmigrate.links.hosts, .rewrite)."""

from __future__ import annotations

import pytest

from wpmigrate.document import Document, srcset_candidates, url_attributes
from wpmigrate.links import Follow, SiteHosts, Unresolved, UrlKind, UrlRef, UrlRewriter

HOSTS = SiteHosts(["http://example.org/blog", "https://www.example.org/blog/", "http://example.org/"])
BLOG = SiteHosts(["https://example.org/blog/"])
PAGE = "https://example.org/blog/2019/06/porto/"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/blog/2019/06/porto/",
        "https://example.org/blog/2019/06/porto/",
        "//example.org/blog/2019/06/porto/",
        "https://www.example.org/blog/2019/06/porto/",
        "https://EXAMPLE.org./blog/2019/06/porto/",
        "https://example.org:443/blog/2019/06/porto/",
        "http://example.org:80/blog/2019/06/porto/",
        "/blog/2019/06/porto/",
        "../porto/",
        "./",
    ],
)
def test_same_page_in_every_spelling(url: str) -> None:
    local = BLOG.local(url, PAGE)
    assert local is not None and local.path == "/blog/2019/06/porto/" and local.below == "/2019/06/porto/"


@pytest.mark.parametrize(
    "url",
    [
        "https://blog.example.org.evil.com/blog/x/",
        "https://example.org.evil.com/blog/x/",
        "https://example.org@evil.com/blog/x/",
        "https://user:pw@example.org/blog/x/",
        "https://evil.com/?u=example.org",
        "https://evil.com/blog/x/#example.org",
        "https://notexample.org/blog/x/",
        "https://example.org:8080/blog/x/",
        "https://example.org/blogroll/",
        "/blogroll/",
        "https://example.org/",
        "mailto:me@example.org",
        "javascript:location='https://example.org/blog/'",
        "data:text/html,https://example.org/blog/",
        "ftp://example.org/blog/x",
        "#essen",
        "",
    ],
)
def test_other_sites_and_look_alikes_never_match(url: str) -> None:
    assert BLOG.local(url, PAGE) is None


def test_query_fragment_and_decoding() -> None:
    local = BLOG.local("/blog/2019/06/%C3%BCber/?utm_source=x#essen", PAGE)
    assert local is not None
    assert (local.path, local.query, local.fragment, local.below) == (
        "/blog/2019/06/über/",
        "utm_source=x",
        "essen",
        "/2019/06/über/",
    )
    q = BLOG.local("https://example.org/blog/?p=402", PAGE)
    assert q is not None and q.below == "/" and q.query == "p=402"


def test_idn_hosts_match_in_either_form() -> None:
    hosts = SiteHosts(["https://bücher.example/"])
    assert hosts.local("https://xn--bcher-kva.example/x/") is not None
    assert hosts.local("https://BÜCHER.example/x/") is not None
    assert hosts.local("https://bucher.example/x/") is None


def test_relative_urls_without_a_page_resolve_against_the_home() -> None:
    local = BLOG.local("2019/06/porto/")
    assert local is not None and local.path == "/blog/2019/06/porto/"


def test_longest_base_wins_and_extra_hosts_serve_their_root() -> None:
    local = HOSTS.local("http://example.org/blog/x/")
    assert local is not None and local.base == "/blog" and local.below == "/x/"
    root = HOSTS.local("http://example.org/blogroll/")
    assert root is not None and root.base == "" and root.below == "/blogroll/"
    cdn = SiteHosts(["https://example.org/blog/"], ["cdn.example.net", "https://i0.wp.com"])
    assert cdn.local("https://cdn.example.net/wp-content/uploads/a.jpg") is not None
    assert cdn.local("//i0.wp.com/a.jpg") is not None
    assert cdn.local("https://cdn.example.net.evil.com/a.jpg") is None


def test_srcset_candidates() -> None:
    assert srcset_candidates("a.jpg 300w, b,c.jpg 2x,d.jpg") == [("a.jpg", "300w"), ("b,c.jpg", "2x"), ("d.jpg", "")]
    assert srcset_candidates(" a.jpg,  b.jpg 1.5x ") == [("a.jpg", ""), ("b.jpg", "1.5x")]
    assert srcset_candidates("") == []


def test_url_attributes_are_decided_in_one_place() -> None:
    doc = Document.parse(
        '<p><img src="p.gif" data-lazy-src="a.jpg" srcset="a.jpg 1x" data-srcset="b.jpg 2x" alt="x">'
        '<a href="x" title="t">x</a><video src="v.mp4" poster="p.jpg"></video><span data-src="no"></span></p>'
    )
    found = {el.tag: url_attributes(el) for el in doc.root.iter() if url_attributes(el)}
    assert found == {
        "img": [("src", False), ("srcset", True), ("data-lazy-src", False), ("data-srcset", True)],
        "a": [("href", False)],
        "video": [("src", False), ("poster", False)],
    }


class _Record:
    """Answers from a table, recording what it was asked."""

    def __init__(self, answers: dict) -> None:
        self.answers = answers
        self.asked: list[UrlRef] = []

    def resolve(self, ref: UrlRef):
        self.asked.append(ref)
        return self.answers.get(ref.local.below)


def test_chain_first_answer_wins_and_counts() -> None:
    first = _Record({"/wp-content/uploads/a.jpg": "/img/a.jpg"})
    second = _Record(
        {
            "/wp-content/uploads/a.jpg": "never",
            "/2019/06/porto/": "/porto/",
            "/draft/": Unresolved("a draft"),
            "/?attachment_id=5": None,
            "/foto/": Follow("https://example.org/blog/wp-content/uploads/a.jpg"),
        }
    )
    rw = UrlRewriter(BLOG, [second])
    rw.register(first, first=True)
    doc = Document.parse(
        '<p><a href="https://example.org/blog/2019/06/porto/">a</a>'
        '<a href="/blog/draft/">b</a> <a href="https://other.org/blog/2019/06/porto/">c</a>'
        '<a href="/blog/nothing/">d</a><a href="/blog/nothing/">d2</a>'
        '<a href="/blog/foto/">e</a>'
        '<img src="/blog/wp-content/uploads/a.jpg" srcset="/blog/wp-content/uploads/a.jpg 1x, https://cdn.x/b.jpg 2x"></p>'
    )
    counts = rw.rewrite_tree(doc.root, page=PAGE)
    hrefs = [a.get("href") for a in doc.root.iter("a")]
    assert hrefs == [
        "/porto/",
        "/blog/draft/",
        "https://other.org/blog/2019/06/porto/",
        "/blog/nothing/",
        "/blog/nothing/",
        "/img/a.jpg",
    ]
    img = doc.root.find(".//img")
    assert img.get("src") == "/img/a.jpg"
    assert img.get("srcset") == "/img/a.jpg 1x, https://cdn.x/b.jpg 2x"
    assert (counts.rewritten, counts.kept, counts.unresolved) == (4, 0, 3)
    assert [u["url"] for u in counts.unresolved_urls] == ["/blog/draft/", "/blog/nothing/"]
    assert counts.unresolved_urls[0]["reason"] == "a draft"
    kinds = {(r.tag, r.attribute, r.kind) for r in first.asked}
    assert ("img", "srcset", UrlKind.IMAGE) in kinds and ("a", "href", UrlKind.LINK) in kinds


def test_front_matter_fields_resolve_through_the_same_chain() -> None:
    rw = UrlRewriter(BLOG, [_Record({"/wp-content/uploads/a.jpg": "/img/a.jpg"})])
    fields = {
        "title": "https://example.org/blog/wp-content/uploads/a.jpg",
        "cover_image": "https://example.org/blog/wp-content/uploads/a.jpg",
        "gallery": ["https://example.org/blog/wp-content/uploads/a.jpg", "https://elsewhere.org/b.jpg"],
    }
    counts = rw.rewrite_fields(fields, page=PAGE)
    assert fields == {
        "title": "https://example.org/blog/wp-content/uploads/a.jpg",
        "cover_image": "/img/a.jpg",
        "gallery": ["/img/a.jpg", "https://elsewhere.org/b.jpg"],
    }
    assert counts.rewritten == 2
