"""Front-matter values: dates with the site's UTC offset at their date, WooCommerce products."""

from __future__ import annotations

from datetime import datetime, timedelta

import wpmigrate
from tests.wxrbuild import build_wxr
from wpmigrate.fields import SiteOffsets
from wpmigrate.frontmatter import parse_document


def _convert(tmp_path, items, **kw):
    src = tmp_path / "export.xml"
    src.write_bytes(build_wxr(items))
    out = tmp_path / "out"
    report = wpmigrate.convert(src, out, **kw)
    docs = {}
    for entry in report.written:
        fields, body = parse_document((out / entry.path).read_text(encoding="utf-8"))
        docs[entry.id] = fields
    return docs, report


def test_a_draft_gets_the_offset_of_its_date_not_the_most_common_one(tmp_path):
    # a site in Berlin: summer time (+02:00) from the end of March to the end of October
    summer = [
        {"id": i, "slug": f"s{i}", "date": f"2024-0{m}-10 12:00:00", "date_gmt": f"2024-0{m}-10 10:00:00"}
        for i, m in ((1, 6), (2, 7), (3, 8), (4, 9))
    ]
    winter = [{"id": 5, "slug": "w", "date": "2024-11-20 12:00:00", "date_gmt": "2024-11-20 11:00:00"}]
    draft = {
        "id": 9,
        "slug": "d",
        "status": "draft",
        "date": "2024-10-01 09:30:00",
        "date_gmt": "0000-00-00 00:00:00",
        "modified": "2024-10-02 08:00:00",
        "modified_gmt": "2024-10-02 06:00:00",
    }
    late = {"id": 10, "slug": "l", "status": "draft", "date": "2024-12-24 18:00:00", "date_gmt": "0000-00-00 00:00:00"}
    docs, _ = _convert(tmp_path, [*summer, *winter, draft, late], drafts=True)
    assert docs[9]["date"].utcoffset() == timedelta(hours=2)  # the nearest posts (September) were in summer time
    assert docs[9]["updated"].utcoffset() == timedelta(hours=2)
    assert docs[10]["date"].utcoffset() == timedelta(hours=1)  # the nearest post (November) in winter time


def test_site_offsets_nearest_day_and_pickling():
    import pickle

    offsets = SiteOffsets()
    assert offsets.near(datetime(2024, 1, 1)) is None
    offsets.add(datetime(2024, 3, 1, 12), datetime(2024, 3, 1, 11))
    offsets.add(datetime(2024, 4, 1, 12), datetime(2024, 4, 1, 10))
    again = pickle.loads(pickle.dumps(offsets))
    for o in (offsets, again):
        assert o.near(datetime(2024, 3, 10)) == timedelta(hours=1)
        assert o.near(datetime(2024, 3, 25)) == timedelta(hours=2)
        assert o.near(datetime(2030, 1, 1)) == timedelta(hours=2)


def test_woocommerce_product_facts(tmp_path):
    items = [
        {
            "id": 1,
            "type": "attachment",
            "status": "inherit",
            "slug": "a",
            "attachment_url": "https://example.org/a.jpg",
        },
        {
            "id": 2,
            "type": "attachment",
            "status": "inherit",
            "slug": "b",
            "attachment_url": "https://example.org/b.jpg",
        },
        {
            "id": 10,
            "type": "product",
            "slug": "mug",
            "title": "Mug",
            "content": "<p>A mug.</p>",
            "meta": [
                ("_price", "7.5"),
                ("_regular_price", "9.90"),
                ("_sale_price", "7.5"),
                ("_sku", "MUG-1"),
                ("_stock_status", "instock"),
                ("_product_image_gallery", "1,2,99"),
            ],
        },
        {
            "id": 20,
            "type": "product",
            "slug": "hoodie",
            "title": "Hoodie",
            "meta": [("_price", "42"), ("_price", "45"), ("_sku", "HOOD"), ("_stock_status", "outofstock")],
        },
        {
            "id": 21,
            "type": "product_variation",
            "status": "publish",
            "parent": 20,
            "slug": "h-red",
            "meta": [("_price", "45")],
        },
        {
            "id": 22,
            "type": "product_variation",
            "status": "publish",
            "parent": 20,
            "slug": "h-blue",
            "meta": [("_price", "42")],
        },
        {
            "id": 23,
            "type": "product_variation",
            "status": "publish",
            "parent": 20,
            "slug": "h-x",
            "meta": [("_price", "")],
        },
    ]
    docs, report = _convert(tmp_path, items)
    mug = docs[10]
    assert (mug["price"], mug["regular_price"], mug["sale_price"]) == (7.5, 9.9, 7.5)
    assert (mug["sku"], mug["stock_status"]) == ("MUG-1", "instock")
    assert mug["gallery"] == ["https://example.org/a.jpg", "https://example.org/b.jpg"]
    assert "gallery image 99 is not in the export" in next(e for e in report.items if e.id == 10).warnings
    hoodie = docs[20]
    assert hoodie["variations"] == 3 and hoodie["price_range"] == {"min": 42, "max": 45}
    assert "price" not in hoodie  # a variable product's price is its range
    assert sorted(docs) == [10, 20]  # variations are part of their product, never files
