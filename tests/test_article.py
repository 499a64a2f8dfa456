"""Finding the article of a whole page by evidence (wpmigrate.clean.article), with our own snippets."""

from __future__ import annotations

import lxml.html
import pytest

from wpmigrate import clean_html
from wpmigrate.clean.article import chrome_kind

PROSE = (
    "Der Herbst kam früh in diesem Jahr, und mit ihm die ersten kalten Nächte über dem Tal. "
    "Wir haben die Reben gelesen, die Fässer gereinigt und den neuen Wein in den Keller gebracht. "
)


def paragraphs(label: str, n: int) -> str:
    return "".join(f"<p>{label} {i}: {PROSE}</p>" for i in range(n))


def page(body: str, body_class: str = "single single-post") -> str:
    return (
        "<!DOCTYPE html><html><head><title>Weinlese – Silkes Blog</title></head>"
        f'<body class="{body_class}">{body}</body></html>'
    )


def text(result) -> str:
    return lxml.html.fragment_fromstring(result.html, create_parent="div").text_content()


def test_a_teaser_article_before_the_post_is_not_taken():
    html = page(
        '<header class="site-header"><nav><a href="/">Start</a></nav></header>'
        '<div class="teasers"><article class="card"><h3>Anderswo</h3><p>Ein Teaser mit kurzem Text, der neugierig macht.</p></article></div>'
        f'<div class="post-body"><h1>Weinlese</h1>{paragraphs("Absatz", 6)}</div>'
        '<footer class="site-footer"><p>© 2024 Silkes Blog, alle Rechte vorbehalten, bis bald und danke fürs Lesen.</p></footer>'
    )
    result = clean_html(html)
    assert "Absatz 0" in text(result) and "Absatz 5" in text(result)
    assert "Teaser" not in text(result)
    assert "most prose" in result.article


def test_a_page_no_profile_knows_gets_its_prose_not_the_whole_body():
    html = page(
        '<div id="top"><ul><li><a href="/a">Reisen</a></li><li><a href="/b">Essen</a></li><li><a href="/c">Wein</a></li></ul></div>'
        f'<div id="col-left"><div id="story">{paragraphs("Absatz", 5)}</div></div>'
        '<div id="col-right"><h4>Beliebt</h4><ul>'
        + "".join(f'<li><a href="/p{i}">Ein anderer beliebter Beitrag Nummer {i}</a></li>' for i in range(12))
        + "</ul></div>"
    )
    result = clean_html(html)
    assert "Absatz 4" in text(result)
    assert "Beliebt" not in text(result) and "Reisen" not in text(result)


def test_comments_under_an_unusual_id_are_pruned_from_the_article():
    comments = "".join(
        f'<div class="reader-note"><p>Leserin {i} schreibt: Ich habe das auch ausprobiert und es hat bei mir sehr gut geklappt, danke!</p></div>'
        for i in range(6)
    )
    html = page(
        f'<article class="post"><div class="entry-content">{paragraphs("Absatz", 3)}</div>'
        f'<div id="article_comments">{comments}</div></article>'
    )
    result = clean_html(html)
    kept = text(result)
    assert "Absatz 2" in kept
    assert "Leserin" not in kept
    assert not result.needs_review


def test_chrome_inside_the_chosen_root_goes_with_its_reason():
    html = page(
        f'<main><div class="inhalt">{paragraphs("Absatz", 4)}</div>'
        '<aside class="info"><h4>Mehr</h4><ul><li><a href="/x">Mehr aus dem Keller und andere Themen</a></li></ul></aside>'
        '<ol class="comment-list"><li><p>Eine Leserin schreibt: Das ist ein wirklich schöner Bericht über die Lese, danke.</p></li></ol>'
        "</main>"
    )
    result = clean_html(html)
    kept = text(result)
    assert "Absatz 3" in kept and "Mehr aus dem Keller" not in kept and "Leserin" not in kept
    reasons = [r.reason for r in result.removed if r.rule == "structure.chrome"]
    assert any("<aside>" in r for r in reasons) and any("comment-list" in r for r in reasons)


def test_a_short_post_whose_widgets_outweigh_it_is_still_cleaned():
    # the comments (chrome) are not article prose: the breaker does not count them,
    # so the share box a rule removes is not held back by them
    comments = "".join(f"<li><p>Kommentar {i}: {PROSE}</p></li>" for i in range(8))
    html = page(
        '<article class="post"><div class="entry-content"><p>' + PROSE + "</p>"
        '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Teilen mit:</h3>'
        '<ul><li><a href="https://twitter.com/share">Twitter</a></li></ul></div></div>'
        f'<div id="comments" class="comments-area"><ol class="commentlist">{comments}</ol></div></article>'
    )
    result = clean_html(html)
    assert not result.needs_review
    assert "Teilen mit" not in text(result) and "Kommentar" not in text(result)
    assert "Herbst" in text(result)


def test_the_post_of_a_single_post_page_is_found_by_its_id():
    teaser = f'<article class="post-7 post"><div class="entry-content">{paragraphs("Anderer", 8)}</div></article>'
    mine = f'<article id="post-42" class="post-42 post"><div class="entry-content">{paragraphs("Meiner", 3)}</div></article>'
    result = clean_html(page(teaser + mine, "single single-post postid-42"))
    assert "Meiner 2" in text(result) and "Anderer" not in text(result)


def test_a_page_listing_whole_posts_keeps_the_first_one():
    posts = "".join(
        f'<article class="item"><h2>Beitrag {n}</h2>{paragraphs(f"Beitrag {n} Absatz", 3)}</article>' for n in range(5)
    )
    result = clean_html(page(f"<main>{posts}</main>"))
    assert "Beitrag 0 Absatz 2" in text(result) and "Beitrag 1 Absatz" not in text(result)


@pytest.mark.parametrize(
    ("markup", "chrome"),
    [
        ("<nav></nav>", True),
        ('<div class="sidebar-primary"></div>', True),
        ('<div class="has-sidebar"><h1>T</h1></div>', False),  # a layout flag on the post's wrapper
        ('<div class="elementor-widget elementor-widget-text-editor"></div>', False),
        ('<div class="widget widget_text"></div>', True),
        ('<div id="article_comments"></div>', True),
        ('<div class="comment-content"></div>', False),  # one comment's part: goes with its list
        ('<div role="navigation"></div>', True),
        ('<div class="entry-content"></div>', False),
        ('<div class="footer"><div class="breaking-news"></div></div>', True),  # a div named footer
        ('<div class="entry-header"><h1>Titel</h1></div>', False),  # the post's own header holds its heading
        ("<blockquote><p>Q</p><footer>Quelle</footer></blockquote>", False),
    ],
)
def test_what_counts_as_chrome(markup, chrome):
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    el = root.find(".//footer") if "blockquote" in markup else root[0]
    assert (chrome_kind(el) is not None) is chrome


@pytest.mark.parametrize(
    "before",
    [
        '<br />\n<b>Warning</b>:  Undefined array key "x" in <b>/var/www/wp-content/plugins/a/a.php</b> on line <b>12</b><br />\n',
        "<script>window.dataLayer = [];</script>\n",
        "Deprecated: Function create_function() is deprecated in /var/www/x.php on line 3\n",
    ],
    ids=["php-warning", "script", "php-plain"],
)
def test_a_page_with_something_printed_before_the_doctype_is_a_page(before):
    html = before + page(
        f'<nav><a href="/">Start</a></nav><article class="post"><div class="entry-content">{paragraphs("Absatz", 3)}</div></article>'
    )
    result = clean_html(html)
    kept = text(result)
    assert "Absatz 2" in kept
    assert "Warning" not in kept and "Deprecated" not in kept and "dataLayer" not in kept
    assert result.metadata["title"].startswith("Weinlese")


def test_a_fragment_stays_a_fragment():
    result = clean_html("<p>Ein Beitrag über <code>&lt;html&gt;</code> und <code>&lt;body&gt;</code>.</p>")
    assert result.article is None and not result.changed


def test_metadata_of_a_page_comes_from_its_own_markup():
    ld = (
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Silkes Blog"},'
        ' {"@type": "BlogPosting", "headline": "Weinlese", "datePublished": "2024-10-01T08:00:00+02:00",'
        ' "dateModified": "2024-10-03T09:30:00+02:00", "author": [{"@type": "Person", "name": "Silke Berg"}]}]}'
    )
    html = (
        '<!DOCTYPE html><html lang="de-DE"><head><title>Weinlese im Herbst | Silkes Blog</title>'
        '<meta property="og:site_name" content="Silkes Blog">'
        '<link rel="canonical" href="https://silke.example/weinlese/">'
        '<meta property="article:tag" content="Herbst"><meta property="article:tag" content="Wein">'
        f'<script type="application/ld+json">{ld}</script></head><body>'
        f'<div class="wrap"><div class="text">{paragraphs("Absatz", 3)}</div></div></body></html>'
    )
    meta = clean_html(html).metadata
    assert meta["title"] == "Weinlese im Herbst"  # the site's name taken off
    assert meta["date"] == "2024-10-01T08:00:00+02:00"
    assert meta["updated"] == "2024-10-03T09:30:00+02:00"
    assert meta["author"] == "Silke Berg"
    assert meta["tags"] == ["Herbst", "Wein"]
    assert meta["url"] == "https://silke.example/weinlese/"
    assert meta["lang"] == "de-DE"


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Weinlese – Silkes Blog", "Silkes Blog", "Weinlese"),
        ("Silkes Blog » Weinlese", "Silkes Blog", "Weinlese"),
        ("Weinlese – Silkes Blog", None, "Weinlese – Silkes Blog"),  # nothing says which part is the site
        ("Rock | Pop | Jazz", "Musik", "Rock | Pop | Jazz"),
    ],
)
def test_the_site_name_comes_off_only_where_the_page_names_it(title, site, expected):
    head = f"<title>{title}</title>" + (f'<meta property="og:site_name" content="{site}">' if site else "")
    html = f"<!DOCTYPE html><html><head>{head}</head><body><div>{paragraphs('Absatz', 2)}</div></body></html>"
    assert clean_html(html).metadata["title"] == expected


def test_the_post_heading_names_the_site_in_the_title():
    html = (
        "<!DOCTYPE html><html><head><title>Weinlese · Silkes Blog</title></head><body>"
        f'<article><h1>Weinlese</h1><div class="entry-content">{paragraphs("Absatz", 2)}</div></article></body></html>'
    )
    assert clean_html(html).metadata["title"] == "Weinlese"


# --- boilerplate inside the post body -------------------------------------------------

LEAD = "<p>Der Herbst kam früh in diesem Jahr, und mit ihm die ersten kalten Nächte über dem Tal.</p>"


@pytest.mark.parametrize(
    "snippet",
    [
        '<p><strong>Lesen Sie auch:</strong></p><ul><li><a href="/a">Weinlese 2023</a></li><li><a href="/b">Der neue Keller</a></li></ul>',
        '<p>Mehr zum Thema: <a href="/a">Weinlese 2023 im Rheingau</a></p>',
        '<h3>Related</h3><p><a href="/a">Weinlese 2023</a> · <a href="/b">Keller</a></p>',
        '<p>Zobacz także: <a href="/a">Winobranie 2023</a>, <a href="/b">Nowa piwnica</a></p>',
        '<div class="kk-star-ratings"><div class="kksr-stars"></div><div class="kksr-legend">4.5/5 - (12 votes)</div></div>',
        '<div class="post-ratings" id="post-ratings-7"><img src="/star.gif" alt="1 Star">(No Ratings Yet)</div>',
        '<blockquote class="wp-embedded-content"><a href="https://other.example/p/">Another post</a></blockquote>'
        '<iframe class="wp-embedded-content" src="https://other.example/p/embed/"></iframe>',
        "<p>* Affiliate-Links: Wir erhalten eine kleine Provision, für euch ändert sich nichts.</p>",
        "<p>As an Amazon Associate I earn from qualifying purchases.</p>",
    ],
    ids=[
        "lead-in-list",
        "lead-in-inline",
        "related-heading",
        "polish",
        "kk-star",
        "wp-postratings",
        "embed-card",
        "affiliate-de",
        "affiliate-en",
    ],
)
def test_in_body_boilerplate_goes(snippet):
    result = clean_html(LEAD + snippet + LEAD)
    assert result.html == LEAD + LEAD, [r.rule for r in result.removed]


@pytest.mark.parametrize(
    "snippet",
    [
        "<p>Lesen Sie auch den Bericht über die Weinlese, den wir letztes Jahr geschrieben haben.</p>",
        "<p>Siehe auch:</p><ul><li>Ein Punkt ohne Link, der wichtig ist</li></ul>",
        '<p>Related: the <a href="/a">harvest</a> was late because of the long rain in the valley this year.</p>',
        "<p>Affiliate-Links sind eine Einnahmequelle vieler Blogs, und das ist auch gut so.</p>",
    ],
    ids=["prose-starting-with-lead-in", "lead-in-without-links", "mostly-prose", "affiliate-discussed"],
)
def test_in_body_prose_that_looks_similar_stays(snippet):
    result = clean_html(LEAD + snippet + LEAD)
    assert not result.removed


def test_the_lead_and_featured_image_above_the_content_are_kept_not_the_meta_line():
    html = page(
        '<article class="post-9 post hentry"><header class="entry-header"><h1 class="entry-title">Weinlese</h1>'
        '<div class="entry-meta">Veröffentlicht am <time datetime="2024-10-01">1. Oktober 2024</time> von <a rel="author" href="/a">Silke</a></div>'
        '<p class="entry-subtitle">Warum wir dieses Jahr zwei Wochen früher gelesen haben als sonst.</p>'
        '<figure class="post-thumbnail"><img src="/reben.jpg" alt="Reben"><figcaption>Die Reben am Südhang im September.</figcaption></figure>'
        f'</header><div class="entry-content">{paragraphs("Absatz", 3)}</div></article>',
        "single single-post postid-9",
    )
    result = clean_html(html)
    kept = text(result)
    assert kept.index("zwei Wochen früher") < kept.index("Südhang") < kept.index("Absatz 0")
    assert "Veröffentlicht" not in kept and "Weinlese" not in kept  # meta line and title stay out
    assert "lead" in result.article
    assert result.metadata["title"] == "Weinlese"


def test_prose_without_spaces_between_words_is_prose():
    ja = "今回はデスクトップアプリに関する話です。パスワード管理ソフトの起動ショートカットキーと同じなのです。"
    html = page(
        '<div id="menu"><ul><li><a href="/">ホーム</a></li><li><a href="/a">記事一覧</a></li></ul></div>'
        f'<div id="story">{"".join(f"<p>{ja}{i}</p>" for i in range(4))}</div>'
        '<div id="links"><ul>'
        + "".join(f'<li><a href="/p{i}">他の記事 {i}</a></li>' for i in range(10))
        + "</ul></div>"
    )
    result = clean_html(html)
    assert "the most prose" in result.article
    assert "記事一覧" not in text(result) and "他の記事" not in text(result)


def test_link_lists_around_the_article_go_its_sources_stay():
    related = "".join(f'<h3><a href="/p{i}">Ein anderer Beitrag über den Herbst Nummer {i}</a></h3>' for i in range(3))
    html = page(
        '<article class="post"><div class="byline">Von <a href="/autor/silke">Silke Berg</a></div>'
        f'<div class="entry-content">{paragraphs("Absatz", 3)}'
        '<h4>Quellen</h4><ul><li><a href="https://dwd.example/herbst">Deutscher Wetterdienst: Herbst 2024</a></li></ul>'
        f'<div class="more-stories"><h2>Mehr lesen</h2>{related}</div></div></article>'
    )
    result = clean_html(html)
    kept = text(result)
    assert "Absatz 2" in kept and "Deutscher Wetterdienst" in kept
    assert "anderer Beitrag" not in kept and "Mehr lesen" not in kept
    assert any(r.rule == "structure.links" for r in result.removed)
