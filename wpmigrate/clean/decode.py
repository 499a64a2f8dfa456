"""Bytes of a scraped page or a converted file → text, as a browser decodes a page.

The order follows the HTML standard's encoding sniffing, simplified for files
on disk: a byte order mark first; then, for HTML, the ``<meta charset>`` or
``<meta http-equiv="Content-Type" content="…; charset=…">`` declaration near
the top; then UTF-8. Labels are read as browsers read them (``iso-8859-1``,
``latin1`` and ``us-ascii`` mean Windows-1252, the WHATWG Encoding Standard's
mapping).

A page is never refused for its bytes: a byte that is not valid in the chosen
encoding becomes U+FFFD, as in a browser, and the result says how many there
were. A file with no declaration whose bytes are not UTF-8 at all (no valid
multi-byte sequence anywhere) is read as Windows-1252, the legacy default of
browsers for Western pages, and the result says so.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "decode_document", "decode_string", "looks_binary"]

# WHATWG Encoding Standard: labels that mean windows-1252
_WINDOWS_1252_LABELS = frozenset(
    "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 "
    "iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252".split()
)
_UTF8_LABELS = frozenset("unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8 utf8mb4".split())
# <meta charset="…"> or <meta http-equiv="content-type" content="text/html; charset=…">,
# each attribute run bounded so the scan stays linear
_META = re.compile(rb"<meta\b([^<>]{0,1024})>", re.I)
_CHARSET = re.compile(rb"""charset\s{0,16}=\s{0,16}["']?\s{0,16}([A-Za-z0-9._:-]{1,40})""", re.I)
# how far into a page the declaration is looked for (browsers look at the first
# 1024 bytes; scraped pages often carry scripts or PHP warnings before it)
_PRESCAN = 16384
_HEAD_END = re.compile(rb"</head\s{0,16}>|<body\b", re.I)


@dataclass(frozen=True)
class Decoded:
    """The text of a file and what decoding it took."""

    text: str
    encoding: str  # the Python codec name used
    replaced: int = 0  # bytes not valid in that encoding, shown as U+FFFD
    guessed: bool = False  # no declaration and not UTF-8: read as Windows-1252
    controls: int = 0  # control characters (NUL …) removed: no text format can carry them

    @property
    def warnings(self) -> tuple[str, ...]:
        found = []
        if self.guessed:
            found.append("not UTF-8 and no encoding declared: read as Windows-1252")
        if self.replaced:
            s = "" if self.replaced == 1 else "s"
            found.append(f"{self.replaced} byte{s} not valid {_display(self.encoding)} replaced by U+FFFD")
        if self.controls:
            s = "" if self.controls == 1 else "s"
            found.append(f"{self.controls} control character{s} removed")
        return tuple(found)


def _display(codec: str) -> str:
    return {"utf-8": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}.get(codec, codec)


def looks_binary(data: bytes) -> bool:
    """An image or archive given a text suffix: control bytes make up a tenth of its start."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        return False
    controls = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D))
    return controls * 10 > len(head)


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` for text whose every other byte is NUL (ASCII in UTF-16)."""
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) * 10 >= len(odd) * 9 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) * 10 >= len(even) * 9 and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _codec(label: bytes | str) -> str | None:
    """The Python codec for an encoding label, read the way browsers read labels."""
    name = (label.decode("ascii", "replace") if isinstance(label, bytes) else label).strip().lower()
    if name in _WINDOWS_1252_LABELS:
        return "cp1252"
    if name in _UTF8_LABELS:
        return "utf-8"
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if info.name.startswith(("utf-16", "utf-32")):
        # a page that reached us as bytes of an ASCII-compatible encoding cannot
        # really be UTF-16 (browsers also ignore this declaration)
        return "utf-8"
    return info.name


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page's ``<meta>`` declares near its top, as a codec name."""
    head = data[:_PRESCAN]
    end = _HEAD_END.search(head)
    if end is not None:
        head = head[: end.start()]
    for meta in _META.finditer(head):
        m = _CHARSET.search(meta.group(1))
        if m:
            codec = _codec(m.group(1))
            if codec is not None:
                return codec
    return None


def _count_replaced(data: bytes, codec: str) -> tuple[str, int]:
    text = data.decode(codec, errors="replace")
    if "\ufffd" not in text:
        return text, 0
    # U+FFFD that the file itself carried are not replacements
    return text, text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether some valid multi-byte UTF-8 sequence occurs (then stray bytes are mistakes)."""
    return re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", data) is not None


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_document(data: bytes, kind: str = "text") -> Decoded:
    """Decode a file's bytes; ``kind`` is ``html`` (its ``<meta>`` counts), ``markdown`` or ``text``."""
    decoded = _decode(data, kind)
    text, controls = _CONTROLS.subn("", decoded.text)
    if controls:
        return Decoded(text, decoded.encoding, decoded.replaced, decoded.guessed, controls)
    return decoded


_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_string(text: str) -> Decoded:
    """Text that arrives decoded (a field of a JSON or Parquet record), held to what a
    decoded file gives: control characters removed, and a lone surrogate (JSON's
    ``"\\ud800"``, which no encoding can write) replaced by U+FFFD and counted."""
    text, replaced = _SURROGATE.subn("\ufffd", text)
    text, controls = _CONTROLS.subn("", text)
    return Decoded(text, "utf-8", replaced, False, controls)


def _decode(data: bytes, kind: str) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        text, replaced = _count_replaced(data[3:], "utf-8")
        return Decoded(text, "utf-8", replaced)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, replaced = _count_replaced(data, "utf-16")
        return Decoded(text.lstrip("\ufeff"), "utf-16", replaced)
    bomless = _utf16_without_bom(data[:8192])
    if bomless is not None:
        text, replaced = _count_replaced(data, bomless)
        return Decoded(text, bomless, replaced)
    declared = declared_encoding(data) if kind == "html" else None
    if declared is not None and declared != "utf-8":
        text, replaced = _count_replaced(data, declared)
        return Decoded(text, declared, replaced)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if declared is None and not _has_utf8_sequences(data):
        text, replaced = _count_replaced(data, "cp1252")
        return Decoded(text, "cp1252", replaced, guessed=True)
    text, replaced = _count_replaced(data, "utf-8")
    return Decoded(text, "utf-8", replaced)
