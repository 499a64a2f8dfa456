"""Byte repairs for damaged exports, applied to one piece of the file at a time.

Real WordPress exports are often not well-formed XML, yet WordPress's own
importer reads them: it tries SimpleXML, then PHP's ``xml_parser``, then a
regular-expression parser (``WXR_Parser_Regex`` in the wordpress-importer
plugin) that never checks well-formedness. We keep a real XML parser and
instead repair, without changing line numbers, the damage that is common in
the wild. The reader parses every item strictly first and repairs only an item
whose strict parse failed, so a clean export never pays for any of this:

* bytes that are not valid UTF-8 (Windows-1252 quotes in a file declared
  UTF-8 are common) are read as Windows-1252 (files in other encodings are
  transcoded to UTF-8 once, see ``source.py``);
* characters XML 1.0 forbids (control characters pasted from Word, and their
  ``&#N;`` references) are dropped and counted, so the item can say so;
* a bare ``&`` that starts no reference (``?a=1&b=2`` in ``attachment_url``)
  becomes ``&amp;``, and so does an entity XML does not define (it stays
  literal text, never expanded); HTML named entities (``&nbsp;``) become
  numeric references;
* namespace URIs with non-ASCII characters, which libxml2 refuses as invalid
  URIs, are percent-encoded;
* an unescaped ``]]>`` inside a CDATA section that itself contains
  ``<![CDATA[`` is escaped, as the importer's regex parser tolerates it;
* before the root element: stray text (PHP notices a plugin printed) and
  blank lines before ``<?xml`` are dropped, and so is a DOCTYPE (WordPress
  writes none; one can only declare entities, so none is ever expanded and no
  external file is ever read).

Undeclared namespace prefixes (WordPress.com's ``atom:link``) are declared on
the synthetic wrapper an item is parsed in (``parse.py``), not here.

None of this touches text inside CDATA sections except the forbidden
characters and undecodable bytes, so post content stays exactly as stored.
"""

from __future__ import annotations

import codecs
import html.entities
import re
from dataclasses import dataclass

CDATA_OPEN = b"<![CDATA["
CDATA_CLOSE = b"]]>"

_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_AMP = re.compile(rb"&(?:(#[0-9]{1,10};)|(#[xX][0-9a-fA-F]{1,8};)|(#)|([A-Za-z_:][A-Za-z0-9_.:-]{0,64};))?")
_XMLNS = re.compile(rb"(xmlns(?::[^\s=/>]+)?\s*=\s*)([\"'])(.*?)\2", re.S)
_XML_PREDEFINED = {b"amp;", b"lt;", b"gt;", b"quot;", b"apos;"}
_URI_UNSAFE = re.compile(rb"[^\x21-\x7e]|[\"<>\\^`{|}]")
_ROOT_START = re.compile(rb"<[^\s!?/<>]")
_DECL_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([A-Za-z0-9._-]*)\2""")
_ESCAPED = re.compile("[\udc80-\udcff]")


def _allowed_codepoint(cp: int) -> bool:
    return cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF


# --- encodings -------------------------------------------------------------------


def sniff_encoding(head: bytes) -> str:
    """The encoding of an XML document from its first bytes (BOM, then declaration)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"<\x00?\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<\x00?"):
        return "utf-16-be"
    m = _DECL_ENCODING.match(head)
    name = m.group(3).decode("ascii") if m else "utf-8"
    try:
        info = codecs.lookup(name)
    except LookupError:
        return "utf-8"
    if info.name.startswith(("utf-16", "utf-32")):  # declared, but no BOM and ASCII-looking: lying
        return "utf-8"
    return info.name


def _escape_undecodable(exc: UnicodeError) -> tuple[str, int]:
    """Like ``surrogateescape``, but never fails: bytes below 0x80 that a codec refuses
    (a UTF-16-looking file cut at an odd byte) become U+FFFD instead of raising."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(chr(0xDC00 + b) if b >= 0x80 else "\ufffd" for b in bad), exc.end


codecs.register_error("wpmigrate-escape", _escape_undecodable)


def _from_cp1252(m: re.Match[str]) -> str:
    byte = ord(m.group(0)) - 0xDC00
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([byte]).decode("latin-1")


def recode(text: str) -> tuple[str, int]:
    """Text decoded with ``wpmigrate-escape``: escaped bytes read as Windows-1252, and their count."""
    if not _ESCAPED.search(text):
        return text, 0
    return _ESCAPED.subn(_from_cp1252, text)


def decode_lenient(data: bytes, encoding: str = "utf-8") -> tuple[str, int]:
    """``data`` as text; bytes not valid in ``encoding`` read as Windows-1252 (and counted)."""
    return recode(data.decode(encoding, errors="wpmigrate-escape"))


def incremental_decoder(encoding: str) -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder(encoding)(errors="wpmigrate-escape")


_DECL_ENCODING_TEXT = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([A-Za-z0-9._-]*)\2""")


def rewrite_declared_encoding(text: str) -> str:
    """The start of a document with its declaration saying UTF-8 (what it is once transcoded)."""
    return _DECL_ENCODING_TEXT.sub(lambda m: m.group(1) + m.group(2) + "UTF-8" + m.group(2), text, count=1)


# --- one piece ---------------------------------------------------------------------


@dataclass(frozen=True)
class Mended:
    """A piece after :func:`mend`: the bytes and what was changed."""

    data: bytes
    controls: int  # forbidden characters (and references to them) dropped
    recoded: int  # bytes that were not UTF-8, read as Windows-1252


def mend(data: bytes) -> Mended:
    """Apply every repair that leaves well-formed XML unchanged.

    Undecodable bytes and forbidden characters are handled everywhere (a CDATA
    section cannot hold them either); ampersands, entities and namespace URIs
    only in markup, outside CDATA sections.
    """
    recoded = 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        text, recoded = decode_lenient(data)
        data = text.encode("utf-8")
    data, controls = _CONTROL.subn(b"", data)
    counter = [controls]
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        k = data.find(CDATA_OPEN, i)
        if k < 0:
            out += _fix_markup(data[i:], counter)
            break
        out += _fix_markup(data[i:k], counter)
        j = data.find(CDATA_CLOSE, k + len(CDATA_OPEN))
        end = n if j < 0 else j + len(CDATA_CLOSE)
        out += data[k:end]
        i = end
    return Mended(bytes(out), counter[0], recoded)


def _fix_markup(seg: bytes, counter: list[int]) -> bytes:
    if b"&" in seg:
        seg = _AMP.sub(lambda m: _amp(m, counter), seg)
    if b"xmlns" in seg:
        seg = fix_namespace_uris(seg)
    return seg


def _amp(m: re.Match[bytes], counter: list[int]) -> bytes:
    dec, hexa, broken_ref, name = m.group(1), m.group(2), m.group(3), m.group(4)
    if dec or hexa:
        cp = int(dec[1:-1]) if dec else int(hexa[2:-1], 16)
        if not _allowed_codepoint(cp):
            counter[0] += 1
            return b""
        return m.group(0)
    if broken_ref:
        # "&#" that does not finish a character reference is damage, not a bare
        # ampersand; guessing a character would be worse than reporting it.
        return m.group(0)
    if name:
        if name in _XML_PREDEFINED:
            return m.group(0)
        text = html.entities.html5.get(name.decode("ascii", "replace"))
        if text is not None:
            return b"".join(b"&#%d;" % ord(ch) for ch in text)
    return b"&amp;" + m.group(0)[1:]


def fix_namespace_uris(seg: bytes) -> bytes:
    """Percent-encode namespace URIs that libxml2 refuses (non-ASCII, spaces, quotes)."""
    return _XMLNS.sub(_xmlns, seg)


def _xmlns(m: re.Match[bytes]) -> bytes:
    value = m.group(3)
    if not _URI_UNSAFE.search(value):
        return m.group(0)
    fixed = _URI_UNSAFE.sub(lambda c: b"%%%02X" % c.group(0)[0], value)
    return m.group(1) + m.group(2) + fixed + m.group(2)


def escape_nested_cdata(data: bytes) -> bytes:
    """Escape a ``]]>`` that WordPress's regex parser would read as text.

    WXR_Parser_Regex takes a field's value up to its closing tag, so a CDATA
    section may hold ``<![CDATA[ … ]]>`` pairs, and a ``]]>`` followed (before
    the next tag) by another ``]]>``, as text. Such a ``]]>`` becomes
    ``]]]]><![CDATA[>``, the escape WordPress's exporter writes itself.
    """
    out = bytearray()
    i, n = 0, len(data)
    in_cdata = False
    depth = 0
    while i < n:
        if not in_cdata:
            k = data.find(CDATA_OPEN, i)
            if k < 0:
                out += data[i:]
                break
            out += data[i : k + len(CDATA_OPEN)]
            i = k + len(CDATA_OPEN)
            in_cdata, depth = True, 0
            continue
        j = data.find(CDATA_CLOSE, i)
        k = data.find(CDATA_OPEN, i)
        if k >= 0 and (j < 0 or k < j):
            depth += 1
            out += data[i : k + len(CDATA_OPEN)]
            i = k + len(CDATA_OPEN)
            continue
        if j < 0:
            out += data[i:]
            break
        if not data.startswith(CDATA_OPEN, j + 3):
            literal = depth > 0
            if not literal:
                p = data.find(b"<", j + 3)
                literal = CDATA_CLOSE in data[j + 3 : p if p >= 0 else n]
            if literal:
                depth = max(0, depth - 1)
                out += data[i:j] + b"]]]]><![CDATA[>"
                i = j + 3
                continue
        out += data[i : j + 3]
        i = j + 3
        in_cdata, depth = False, 0
    return bytes(out)


def declare_prefixes(start_tag: bytes, prefixes: set[str] | frozenset[str]) -> bytes:
    """``start_tag`` (``<name …>``) with a placeholder declaration for each prefix it lacks.

    WordPress.com exports use ``atom:`` without declaring it; WXR_Parser_Regex
    never notices. The placeholder URI belongs to no namespace the reader knows,
    so such elements are ignored, as elements of unknown namespaces are.
    """
    extra = b"".join(
        b' xmlns:%s="urn:wpmigrate:undeclared:%s"' % (p.encode(), p.encode())
        for p in sorted(prefixes)
        if (b"xmlns:" + p.encode()) not in start_tag
    )
    if not extra:
        return start_tag
    if start_tag.endswith(b"/>"):
        return start_tag[:-2] + extra + b"/>"
    return start_tag[:-1] + extra + b">"


# --- before the root element ---------------------------------------------------------


@dataclass(frozen=True)
class Prolog:
    """What stands before the root element, cleaned, plus the root's start tag."""

    data: bytes  # cleaned bytes, ending with the root start tag
    root_end: int  # offset just after the root start tag in the original bytes
    dropped_doctype: bool


def clean_prolog(buf, end: int) -> Prolog | None:
    """Clean the prolog of ``buf[:end]``; None when no root start tag is found there.

    Keeps line structure, so line numbers stay those of the file.
    """
    out = bytearray()
    dropped_doctype = False
    i = 0
    while i < end:
        lt = buf.find(b"<", i, end)
        if lt < 0:
            lt = end
        if lt > i:
            # Stray text before the root element (a plugin echoed whitespace or a
            # PHP notice before WordPress's export): keep only the line structure.
            out += b"\n" * buf[i:lt].count(b"\n")
            i = lt
            continue
        if buf[i : i + 2] == b"<?":
            j = buf.find(b"?>", i, end)
            if j < 0:
                return None
            pi = buf[i : j + 2]
            if pi.startswith(b"<?xml") and pi[5:6] in (b" ", b"\t", b"\r", b"\n", b"?"):
                if out:
                    # A plugin echoed blank lines before WordPress's export ("XML
                    # declaration allowed only at the start of the document"): the
                    # declaration goes; the parser reads UTF-8 without it.
                    pi = b"\n" * pi.count(b"\n")
                else:
                    # the bytes the parser gets are UTF-8, whatever the file declared
                    pi = _DECL_ENCODING.sub(lambda m: m.group(1) + m.group(2) + b"UTF-8" + m.group(2), pi)
            out += pi
            i = j + 2
        elif buf[i : i + 4] == b"<!--":
            j = buf.find(b"-->", i + 4, end)
            if j < 0:
                return None
            out += buf[i : j + 3]
            i = j + 3
        elif buf[i : i + 9].upper() == b"<!DOCTYPE":
            j = _doctype_end(buf, i, end)
            if j < 0:
                return None
            # WordPress never writes a DOCTYPE. One in an export can only declare
            # entities (an entity bomb, or an external entity that reads local
            # files): drop it whole, keeping line numbers.
            dropped_doctype = True
            out += b"\n" * buf[i:j].count(b"\n")
            i = j
        elif _ROOT_START.match(buf[i : i + 2]):
            j = tag_end(buf, i, end)
            if j < 0:
                return None
            out += fix_namespace_uris(buf[i:j])
            return Prolog(bytes(out), j, dropped_doctype)
        else:
            out += b"\n" * buf[i : i + 1].count(b"\n")
            i += 1
    return None


def _doctype_end(buf, i: int, end: int) -> int:
    depth = 0
    quote = None
    for j in range(i, end):
        c = buf[j : j + 1]
        if quote:
            if c == quote:
                quote = None
        elif c in (b'"', b"'"):
            quote = c
        elif c == b"[":
            depth += 1
        elif c == b"]":
            depth -= 1
        elif c == b">" and depth <= 0:
            return j + 1
    return -1


def tag_end(buf, i: int, end: int) -> int:
    """Offset just after the ``>`` closing the tag that starts at ``i`` (quotes respected), or -1."""
    j = i
    while True:
        gt = buf.find(b">", j, end)
        if gt < 0:
            return -1
        seg = buf[j:gt]
        quote = None
        for q in (b'"', b"'"):
            pos = seg.find(q)
            if pos >= 0 and (quote is None or pos < quote[0]):
                quote = (pos, q)
        if quote is None:
            return gt + 1
        close = buf.find(quote[1], j + quote[0] + 1, end)
        if close < 0:
            return -1
        j = close + 1
