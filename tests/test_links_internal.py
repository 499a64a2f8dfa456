"""The internal-link resolver on its own: every query form, a site under a base path, the kept query."""

from __future__ import annotations

import pytest

from wpmigrate.links import SiteHosts, UrlRewriter
from wpmigrate.links.files import KeepFiles
from wpmigrate.links.internal import InternalLinks
from wpmigrate.links.keys import id_key, old_slug_paths, path_key, term_archive_paths, term_key
from wpmigrate.model import Index, LinkTarget, Site, TargetKind, Term

BASE = "https://example.org/blog"
PAGE = "https://example.org/blog/2019/06/porto/"


@pytest.fixture
def rewriter() -> UrlRewriter:
    index = Index()
    post = LinkTarget("/blog/2019/06/porto/")
    index.links[id_key(5)] = post
    index.links[path_key("/2019/06/porto/")] = post
    index.links[path_key("/ueber/team/")] = LinkTarget("/blog/ueber/team/")
    index.links[id_key(9)] = LinkTarget("https://example.org/blog/wp-content/uploads/a.jpg", TargetKind.FILE)
    index.links[term_key("genre", "jazz")] = LinkTarget("/blog/genre/Jazz/", TargetKind.TERM)
    index.links[term_key("category", "reisen")] = LinkTarget("/blog/categories/Reisen/", TargetKind.TERM)
    index.links[id_key(6)] = LinkTarget(None, TargetKind.PAGE, "not converted: draft")
    site = Site(link=BASE, base_blog_url=BASE, categories=(Term(7, "category", "reisen", "Reisen"),))
    return UrlRewriter(SiteHosts([BASE]), [InternalLinks(site, index, BASE), KeepFiles()])


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/blog/?p=5", "/blog/2019/06/porto/"),
        ("https://example.org/blog/index.php?p=5#c", "/blog/2019/06/porto/#c"),
        ("/blog/?utm_source=a&p=5&x=%20y", "/blog/2019/06/porto/?utm_source=a&x=%20y"),
        ("/blog/?preview=true&preview_id=5", "/blog/2019/06/porto/"),
        ("?p=5", "/blog/2019/06/porto/"),
        ("/blog/?page_id=5", "/blog/2019/06/porto/"),
        ("/blog/?attachment_id=9", "https://example.org/blog/wp-content/uploads/a.jpg"),
        ("/blog/?cat=7", "/blog/categories/Reisen/"),
        ("/blog/?category_name=reisen", "/blog/categories/Reisen/"),
        ("/blog/?taxonomy=genre&term=jazz", "/blog/genre/Jazz/"),
        ("/blog/?pagename=ueber/team", "/blog/ueber/team/"),
        ("/blog/2019/06/porto", "/blog/2019/06/porto/"),
        ("/blog/2019/06/PORTO/?replytocom=3", "/blog/2019/06/porto/?replytocom=3"),
        ("https://example.org/blog/", "/blog/"),
        ("/blog/wp-content/uploads/a.jpg", "/blog/wp-content/uploads/a.jpg"),
    ],
)
def test_resolved(rewriter, url, expected):
    res = rewriter.resolve(url, page=PAGE)
    assert res.resolved, res
    assert res.url == expected


@pytest.mark.parametrize(
    "url, reason",
    [
        ("/blog/?p=6", "not converted: draft"),
        ("/blog/?p=77", "no converted item"),
        ("/blog/?s=porto", "no converted item"),
        ("/blog/?cat=99", "no converted item"),
        ("/blog/category/reisen/?orderby=date", "no converted item"),
        ("/blog/feed/", "no converted item"),
        ("/blog/2019/06/portofino/", "no converted item"),
    ],
)
def test_unresolved(rewriter, url, reason):
    res = rewriter.resolve(url, page=PAGE)
    assert res.own and not res.resolved and res.url == url
    assert reason in res.reason


@pytest.mark.parametrize("url", ["https://example.org/blogroll/", "/blogroll/", "https://example.org/?p=5"])
def test_outside_the_base_path_is_not_the_blog(rewriter, url):
    assert not rewriter.resolve(url, page=PAGE).own


def test_old_slug_and_term_archive_paths():
    assert old_slug_paths("/2019/06/porto/", ["porto-reise", "porto", "%c3%bcber", "a/b", ""]) == [
        "/2019/06/porto-reise/",
        "/2019/06/über/",
    ]
    assert old_slug_paths("/x.html", ["y"]) == []
    assert term_archive_paths("category", "portugal", ["reisen"]) == [
        "/category/reisen/portugal/",
        "/category/portugal/",
    ]
    assert term_archive_paths("post_tag", "see") == ["/tag/see/"]
    assert term_archive_paths("genre", "jazz") == ["/genre/jazz/"]
    assert term_archive_paths("post_format", "post-format-aside") == []


@pytest.mark.parametrize(
    "name, path",
    # as Hugo 0.111 built these terms' pages with disablePathToLower
    [
        ("Reise Tipps", "Reise-Tipps"),
        ("Über uns", "Über-uns"),
        ("C++ & Co", "C++-Co"),
        ("Straße/Weg", "Straße/Weg"),
        ("Ähm. Punkt", "Ähm.-Punkt"),
        ("  a  - b ", "a-b"),
    ],
)
def test_hugo_term_paths(name, path):
    from wpmigrate.layouts.generators import hugo_path

    assert hugo_path(name) == path
