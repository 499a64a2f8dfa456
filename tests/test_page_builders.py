"""Page builders whose page is not plain post_content: Elementor's JSON, and the rendered HTML of
Elementor, Beaver Builder and SiteOrigin (the HTML cases are in tests/cases/builders/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import wpmigrate
from tests import corpus
from tests.wxrbuild import build_wxr
from wpmigrate.frontmatter import parse_document
from wpmigrate.model import Attachment, Index, Item, Meta
from wpmigrate.render import render_content

STALE = "<p>Old text that Elementor saved as a plain copy, long ago.</p>"


def _el(el_type: str, settings: dict | None = None, elements: list | None = None, widget: str | None = None) -> dict:
    el = {"id": "a1b2c3", "elType": el_type, "settings": settings or {}, "elements": elements or []}
    if widget:
        el["widgetType"] = widget
    return el


def _widget(name: str, **settings) -> dict:
    return _el("widget", settings, widget=name)


PAGE = [
    _el(
        "section",
        {"layout": "boxed"},
        [
            _el(
                "column",
                {"_column_size": 100},
                [
                    _widget("heading", title="Our Bakery", header_size="h1", title_color="#333333"),
                    _widget("text-editor", editor="We bake every morning.\n\nCakes need two days' notice."),
                    _widget("spacer", space={"unit": "px", "size": 40}),
                    _widget("image", image={"url": "https://old.example.org/loaf-1024x768.jpg", "id": 45}),
                    _widget("divider", style="solid"),
                    _widget("button", text="Order a cake", link={"url": "https://example.org/order/"}),
                    _widget("heading", title="Where we are", title_color="#111"),
                    _widget("icon", selected_icon={"value": "fas fa-star", "library": "fa-solid"}),
                    _widget(
                        "price-table",
                        heading="Birthday cake",
                        sub_heading_color="#999",
                        price="24",
                        show_ribbon="yes",
                        features_list=[{"item_text": "Candles included"}],
                    ),
                    _widget("shortcode", shortcode='[contact-form-7 id="12" title="Order form"]'),
                ],
            )
        ],
    ),
    _el("container", {}, [_widget("video", youtube_url="https://www.youtube.com/watch?v=abc123DEF45")]),
]

ATTACHMENT = {
    "id": 45,
    "type": "attachment",
    "status": "inherit",
    "title": "loaf",
    "slug": "loaf",
    "attachment_url": "https://example.org/wp-content/uploads/2024/03/loaf.jpg",
    "meta": [("_wp_attachment_image_alt", "A loaf of rye bread")],
}


def _page(meta: list[tuple[str, str]], content: str = STALE, id_: int = 10) -> dict:
    return {"id": id_, "type": "page", "slug": f"page-{id_}", "title": f"Page {id_}", "content": content, "meta": meta}


def _convert(tmp_path: Path, items: list[dict]):
    src = tmp_path / "export.xml"
    src.write_bytes(build_wxr(items))
    report = wpmigrate.convert(src, tmp_path / "out", report=tmp_path / "report.json")
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    return report, data


def _body(tmp_path: Path, slug: str) -> str:
    path = next((tmp_path / "out").rglob(f"{slug}.md"))
    return parse_document(path.read_text(encoding="utf-8"))[1]


def test_elementor_page_renders_from_its_json(tmp_path):
    page = _page([("_elementor_edit_mode", "builder"), ("_elementor_data", json.dumps(PAGE))])
    report, data = _convert(tmp_path, [page, ATTACHMENT])
    body = _body(tmp_path, "page-10")
    assert body == (
        "# Our Bakery\n\n"
        "We bake every morning.\n\n"
        "Cakes need two days' notice.\n\n"
        # the attachment index gives the file and its alt text
        "![A loaf of rye bread](https://example.org/wp-content/uploads/2024/03/loaf.jpg)\n\n"
        "[Order a cake](https://example.org/order/)\n\n"
        "## Where we are\n\n"
        "Birthday cake\n\n"
        "24\n\n"
        "Candles included\n\n"
        "<https://www.youtube.com/watch?v=abc123DEF45>\n"
    )
    assert "Old text" not in body
    entry = next(e for e in data["items"] if e["id"] == 10)
    assert entry["builder_elements"] == {"elementor:price-table": 1}
    assert data["summary"]["builder_elements"] == {"elementor:price-table": 1}
    # the form of the shortcode widget is a form: removed and named like any other
    assert [r["reason"] for r in entry["removed"]] == ["Contact Form 7 form"]
    assert "elementor:price-table×1" in report.format_summary()
    assert entry["warnings"] == []


@pytest.mark.parametrize(
    "raw, words",
    [
        ('[{"elType": "section", "elements": [', "is not valid JSON"),
        ('{"elType": "section"}', "is not a list of elements"),
        ('["section"]', "is not a list of elements"),
    ],
)
def test_broken_elementor_data_warns_and_falls_back_to_post_content(tmp_path, raw, words):
    page = _page([("_elementor_edit_mode", "builder"), ("_elementor_data", raw)], id_=11)
    _, data = _convert(tmp_path, [page])
    entry = next(e for e in data["items"] if e["id"] == 11)
    assert entry["action"] == "written"
    assert any(w.startswith("item 11: _elementor_data") and words in w for w in entry["warnings"])
    assert _body(tmp_path, "page-11") == "Old text that Elementor saved as a plain copy, long ago.\n"


def test_elementor_data_of_a_page_no_longer_built_with_elementor_is_not_used(tmp_path):
    # switching back to the WordPress editor removes _elementor_edit_mode and leaves the data behind
    page = _page([("_elementor_data", json.dumps(PAGE))], content="<p>Written in the block editor since.</p>", id_=12)
    _, data = _convert(tmp_path, [page])
    assert _body(tmp_path, "page-12") == "Written in the block editor since.\n"
    assert "builder_elements" not in next(e for e in data["items"] if e["id"] == 12)


def test_empty_elementor_data_keeps_post_content():
    item = Item(
        id=5,
        type="page",
        status="publish",
        content=STALE,
        meta=(Meta("_elementor_edit_mode", "builder"), Meta("_elementor_data", "[]")),
    )
    assert "Old text" in render_content(STALE, item=item).html


def test_render_from_elementor_json_without_index_keeps_the_stored_url():
    data = [_widget("image", image={"url": "https://example.org/a.jpg", "id": 9}, link_to="file")]
    item = Item(
        id=5,
        type="page",
        status="publish",
        meta=(Meta("_elementor_edit_mode", "builder"), Meta("_elementor_data", json.dumps(data))),
    )
    html = render_content("", item=item).html
    assert '<a href="https://example.org/a.jpg"><img src="https://example.org/a.jpg" alt=""></a>' in html
    index = Index(attachments={9: Attachment(id=9, url="https://example.org/b.jpg", alt="B", caption="Cap")})
    data[0]["settings"]["caption_source"] = "attachment"
    item = Item(
        id=5,
        type="page",
        status="publish",
        meta=(Meta("_elementor_edit_mode", "builder"), Meta("_elementor_data", json.dumps(data))),
    )
    html = render_content("", item=item, index=index).html
    assert 'src="https://example.org/b.jpg" alt="B"' in html and "<figcaption>Cap</figcaption>" in html


def test_deeply_nested_elementor_data_is_no_traceback():
    data: list = [_widget("heading", title="Deep")]
    for _ in range(200):
        data = [_el("section", {}, data)]
    item = Item(
        id=5,
        type="page",
        status="publish",
        meta=(Meta("_elementor_edit_mode", "builder"), Meta("_elementor_data", json.dumps(data))),
    )
    r = render_content("", item=item)
    assert any("nested too deeply" in w for w in r.warnings)


def test_unknown_html_builder_elements_are_counted_in_the_report(tmp_path):
    beaver = (
        '<div class="fl-builder-content"><div class="fl-row"><div class="fl-module fl-module-pp-infobox">'
        '<div class="fl-module-content"><h3>Free delivery</h3><p>Within the city on Saturdays.</p></div></div>'
        '<div class="fl-module fl-module-pp-infobox"><div class="fl-module-content"><p>Second box.</p></div></div>'
        "</div></div>"
    )
    siteorigin = (
        '<div id="pl-3" class="panel-layout"><div class="so-panel widget widget_sow-features">'
        '<div class="so-widget-sow-features"><p>Mail: we answer within a day.</p></div></div></div>'
    )
    items = [_page([], beaver, id_=20), _page([], siteorigin, id_=21)]
    report, data = _convert(tmp_path, items)
    assert data["summary"]["builder_elements"] == {"beaver-builder:pp-infobox": 2, "siteorigin:sow-features": 1}
    assert "Free delivery" in _body(tmp_path, "page-20") and "Second box." in _body(tmp_path, "page-20")
    assert "we answer within a day" in _body(tmp_path, "page-21")


# --- a real Elementor export ---------------------------------------------------------------

POLITICAL = corpus.WXR / "en-themeix-political-elementor-woocommerce-demo.xml"


@corpus.skip_unless(POLITICAL)
def test_real_elementor_pages_render_from_their_data(tmp_path):
    report = wpmigrate.convert(POLITICAL, tmp_path / "out")
    contact = (tmp_path / "out" / "pages" / "contact-us.md").read_text(encoding="utf-8")
    # the page's heading widgets are headings, the text editor's text is there, the form is gone
    assert "## Send Us Message" in contact
    assert "Just fill up the form bellow to send your message." in contact
    assert "contact-form-7" not in contact
    entries = {e.id: e for e in report.items}
    assert [r["reason"] for r in entries[1416].removed] == ["Contact Form 7 form"]
    # the theme's own widgets keep their text and are counted
    assert entries[1308].builder_elements.get("elementor:counter") == 4
    assert not any("_elementor_data" in w for e in report.items for w in e.warnings)
    assert report.summary()["forms_removed"]["Contact Form 7 form"] >= 5


@pytest.mark.parametrize(
    "raw",
    [
        '[{"elType": "widget", "widgetType": 7, "settings": [], "elements": {}}]',
        '[{"elType": "widget", "widgetType": "heading", "settings": {"title": ["x"], "header_size": 3}}]',
        '[{"elType": "widget", "widgetType": "image", "settings": {"image": {"id": "x", "url": 5}}}]',
        '[{"elType": "widget", "widgetType": "image", "settings": {"image": {"id": [1]}, "caption_source": "attachment"}}]',
        '[{"elType": "widget", "widgetType": "icon-list", "settings": {"icon_list": [1, {"text": 2, "link": "x"}]}}]',
        '[{"elType": "widget", "widgetType": "tabs", "settings": {"tabs": {"tab_title": "x"}}}]',
        '[{"elType": "column", "elements": [null, 3, "x", {"elType": null}]}]',
        '[{"elType": "widget", "widgetType": "video", "settings": {"video_type": "hosted", "hosted_url": "x"}}]',
        '{"content": [{"elType": "widget", "widgetType": "heading", "settings": {"title": "From a template"}}]}',
    ],
)
def test_odd_elementor_data_renders_without_a_traceback(raw):
    item = Item(
        id=5,
        type="page",
        status="publish",
        meta=(Meta("_elementor_edit_mode", "builder"), Meta("_elementor_data", raw)),
    )
    index = Index(attachments={1: Attachment(id=1, url="https://example.org/1.jpg")})
    rendered = render_content(STALE, item=item, index=index)
    assert isinstance(rendered.html, str)
    assert "Old text" not in rendered.html  # the data was read: post_content is not the page


def test_post_content_that_holds_much_more_than_the_tree_is_the_page(tmp_path):
    # a theme's own widget (a list of causes it queries) is in the saved copy only
    saved = "<h2>Our causes</h2>" + "".join(
        f"<h3>Cause {i}</h3><p>Clean water for {i} villages, raised so far and still to go this year.</p>"
        for i in range(6)
    )
    tree = [_el("section", {}, [_widget("heading", title="Our causes"), _widget("themeix-causes", posts_per_page="6")])]
    page = _page([("_elementor_edit_mode", "builder"), ("_elementor_data", json.dumps(tree))], content=saved)
    _convert(tmp_path, [page])
    body = _body(tmp_path, "page-10")
    assert "Cause 5" in body and "Clean water for 3 villages" in body
