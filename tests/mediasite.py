"""A small hand-made site with media for the media tests: its export and an uploads folder.

Written for these tests (no outside content). The images are real: 1×1 PNG and
JPEG files generated here byte by byte (a PNG from its chunks, a baseline JPEG of
one grey 8×8 block), each with a text chunk or comment of its own so that files
of the same name from different months differ.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from tests.wxrbuild import build_wxr

UP = "/wp-content/uploads"


def png(label: str) -> bytes:
    """A 1×1 PNG carrying ``label`` in a tEXt chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8 bits, RGB
    pixels = zlib.compress(b"\x00\x80\x40\x20")  # filter byte, one pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + label.encode())
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def jpeg(label: str) -> bytes:
    """A 1×1 baseline JPEG (one grey block: a DC difference of 0, then end of block) with
    ``label`` as its comment."""

    def segment(marker: int, data: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    quant = segment(0xDB, b"\x00" + bytes([1] * 64))
    frame = segment(0xC0, struct.pack(">BHHB", 8, 1, 1, 1) + b"\x01\x11\x00")
    # one Huffman code of one bit ("0") in each table: DC category 0, AC end of block
    dc = segment(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
    ac = segment(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    scan = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    comment = segment(0xFE, label.encode())
    return b"\xff\xd8" + comment + quant + frame + dc + ac + scan + b"\x3f" + b"\xff\xd9"


#: the uploads folder: path below uploads → content
FILES = {
    "2019/06/foto.jpg": jpeg("June"),
    "2019/06/foto-300x200.jpg": jpeg("June 300"),
    "2019/06/foto-1024x683.jpg": jpeg("June 1024"),
    "2019/07/foto.jpg": jpeg("July"),
    "2019/07/foto-150x150.jpg": jpeg("July 150"),
    "2019/06/cover.png": png("cover"),
    "2019/05/banner.png": png("banner, no attachment"),
    "2019/05/secret.png": png("only in a draft"),
    "2019/06/song.mp3": b"ID3\x03\x00\x00\x00\x00\x00\x00not really music",
    "2019/06/guide.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
}
MISSING = "2019/08/missing.jpg"
LOOK_ALIKE = "https://example.org.evil.com/wp-content/uploads/2019/06/foto.jpg"

_META_JUNE = (
    'a:4:{s:5:"width";i:1600;s:6:"height";i:1067;s:4:"file";s:16:"2019/06/foto.jpg";s:5:"sizes";a:2:{'
    's:6:"medium";a:3:{s:4:"file";s:16:"foto-300x200.jpg";s:5:"width";i:300;s:6:"height";i:200;}'
    's:5:"large";a:3:{s:4:"file";s:17:"foto-1024x683.jpg";s:5:"width";i:1024;s:6:"height";i:683;}}}'
)


def items(base: str) -> list[dict]:
    """The export's items for a site at ``base`` (``https://example.org``)."""
    up = base + UP
    www = base.replace("://", "://www.", 1) if "127.0.0.1" not in base else base
    porto = f"""<p>Porto from the river.</p>
<a href="{up}/2019/06/foto.jpg"><img class="size-medium" src="{up}/2019/06/foto-300x200.jpg" alt="Ribeira"
 srcset="{up}/2019/06/foto-300x200.jpg 300w, {up}/2019/06/foto-1024x683.jpg 1024w, {up}/2019/06/foto.jpg 1600w"
 sizes="(max-width: 300px) 100vw, 300px" width="300" height="200"></a>

<img src="{www.replace("https://", "http://")}{UP}/2019/07/foto.jpg" alt="July">

[gallery ids="10,11"]

[audio mp3="{up}/2019/06/song.mp3"][/audio]

<a href="{UP}/2019/06/guide.pdf">The guide (PDF)</a>

<img src="{up}/{MISSING}" alt="gone">

<img src="{LOOK_ALIKE}" alt="not ours">"""
    lisbon = f"""<p>Lisbon, one month later.</p>
<img src="{up}/2019/07/foto-150x150.jpg" alt="thumb">

<img src="{up}/2019/05/banner.png" alt="banner">

<a href="{up}/2019/06/foto.jpg">the June photo again</a>"""
    return [
        {
            "id": 10,
            "type": "attachment",
            "title": "foto",
            "parent": 1,
            "attachment_url": f"{up}/2019/06/foto.jpg",
            "meta": [("_wp_attached_file", "2019/06/foto.jpg"), ("_wp_attachment_metadata", _META_JUNE)],
        },
        {
            "id": 11,
            "type": "attachment",
            "title": "foto",
            "slug": "foto-2",
            "parent": 1,
            "attachment_url": f"{up}/2019/07/foto.jpg",
            "meta": [("_wp_attached_file", "2019/07/foto.jpg")],
        },
        {"id": 12, "type": "attachment", "title": "cover", "attachment_url": f"{up}/2019/06/cover.png"},
        {"id": 13, "type": "attachment", "title": "song", "attachment_url": f"{up}/2019/06/song.mp3"},
        {"id": 14, "type": "attachment", "title": "guide", "attachment_url": f"{up}/2019/06/guide.pdf"},
        {
            "id": 1,
            "title": "Porto",
            "slug": "porto",
            "content": porto,
            "link": f"{base}/2019/06/porto/",
            "meta": [("_thumbnail_id", "12")],
        },
        {
            "id": 2,
            "title": "Lisbon",
            "slug": "lisbon",
            "content": lisbon,
            "link": f"{base}/2019/07/lisbon/",
            "date": "2019-07-01 10:00:00",
            "date_gmt": "2019-07-01 08:00:00",
        },
        {
            "id": 3,
            "title": "Secret",
            "slug": "secret",
            "status": "draft",
            "content": f'<img src="{up}/2019/05/secret.png" alt="draft only">',
        },
    ]


def write_site(folder: Path, base: str = "https://example.org") -> tuple[Path, Path]:
    """``(export, uploads folder)`` of the site, written into ``folder``."""
    export = folder / "media-site.xml"
    export.write_bytes(build_wxr(items(base), title="Media Site", base_url=base))
    uploads = folder / "uploads"
    for rel, data in FILES.items():
        path = uploads / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return export, uploads
