"""Byte-level repairs applied while an export streams into the XML parser.

Real WordPress exports are often not well-formed XML, yet WordPress's own
importer reads them: it tries SimpleXML, then PHP's ``xml_parser``, then a
regular-expression parser (``WXR_Parser_Regex`` in the wordpress-importer
plugin). We keep a real XML parser and instead repair, on the fly and without
changing line numbers, the damage that is common in the wild:

* the file is transcoded to UTF-8 whatever it declares (UTF-16 with a BOM,
  ISO-8859-1 …), and bytes that are not valid in its encoding (Windows-1252
  quotes in a file declared UTF-8 are common) are read as Windows-1252;
* characters XML 1.0 forbids (control characters pasted from Word, and their
  ``&#N;`` references) are replaced by a sentinel noncharacter that the reader
  strips and reports per item;
* a bare ``&`` that starts no entity (``?a=1&b=2`` in ``attachment_url``)
  becomes ``&amp;``; HTML named entities (``&nbsp;``) that XML does not know
  become numeric references;
* namespace URIs with non-ASCII characters, which libxml2 refuses as invalid
  URIs, are percent-encoded;
* stray text between the XML declaration and the root element is dropped,
  and so is a DOCTYPE (WordPress writes none; one can only declare entities,
  so no entity is ever expanded and no external file is ever read);
* an entity reference XML does not define stays as literal text;
* on request (see :class:`Repairs`): namespace prefixes used but never
  declared (WordPress.com's ``atom:link``) get a declaration on the root, and
  an unescaped ``]]>`` inside a CDATA section that itself contains
  ``<![CDATA[`` is escaped, as the importer's regex parser tolerates.

None of this touches text inside CDATA sections except the forbidden
characters, so post content stays exactly as stored.
"""

from __future__ import annotations

import codecs
import html.entities
import re
from dataclasses import dataclass, field
from typing import BinaryIO

#: U+FDD0, a Unicode noncharacter "for internal use": it is a legal XML
#: character, so it can stand in for a forbidden one until the reader strips it.
SENTINEL = "\ufdd0"
_SENTINEL_B = SENTINEL.encode("utf-8")
_SENTINEL_REF = b"&#xFDD0;"

_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_AMP = re.compile(rb"&(?:(#[0-9]{1,10};)|(#[xX][0-9a-fA-F]{1,8};)|([A-Za-z_:][A-Za-z0-9_.:-]{0,64};))?")
_XMLNS = re.compile(rb"(xmlns(?::[A-Za-z_][\w.-]*)?\s*=\s*)([\"'])(.*?)\2", re.S)
_XML_PREDEFINED = {b"amp;", b"lt;", b"gt;", b"quot;", b"apos;"}
_CDATA_OPEN = b"<![CDATA["
_CDATA_CLOSE = b"]]>"
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_URI_UNSAFE = re.compile(rb"[^\x21-\x7e]|[\"<>\\^`{|}]")


def _allowed_codepoint(cp: int) -> bool:
    return (
        cp in (0x9, 0xA, 0xD)
        or 0x20 <= cp <= 0xD7FF
        or 0xE000 <= cp <= 0xFFFD
        or 0x10000 <= cp <= 0x10FFFF
    )


_ESCAPED = re.compile("[\udc80-\udcff]")
_DECL_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([A-Za-z0-9._-]*)\2""")


def sniff_encoding(head: bytes) -> str:
    """The encoding of an XML document from its first bytes (BOM, then declaration)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
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
    if info.name.startswith(("utf-16", "utf-32")):  # declared but no BOM and ASCII-looking: lying
        return "utf-8"
    return info.name


def _escape_undecodable(exc: UnicodeError) -> tuple[str, int]:
    """Like ``surrogateescape``, but never fails: bytes below 0x80 that a codec refuses
    (a UTF-16 file cut at an odd byte) become U+FFFD instead of raising."""
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


@dataclass
class Repairs:
    """Repairs that are switched on only after a strict parse failed for them."""

    undeclared_prefixes: set[str] = field(default_factory=set)
    nested_cdata: bool = False


class RepairingStream:
    """A binary file-like object that repairs an export while it is read.

    ``controls`` counts forbidden characters replaced by :data:`SENTINEL`;
    ``amps`` counts bare ampersands escaped.
    """

    def __init__(self, raw: BinaryIO, repairs: Repairs | None = None, chunk_size: int = 1 << 16) -> None:
        self._raw = raw
        self._repairs = repairs or Repairs()
        self._chunk = chunk_size
        self._buf = b""  # read but not yet processed
        self._out = bytearray()  # processed, not yet handed to the parser
        self._eof = False
        self._in_prolog = True
        self._in_cdata = False
        self._cdata_depth = 0
        self.dropped_doctype = False
        self.controls = 0
        self.amps = 0
        self.recoded = 0  # bytes not valid in the file's encoding, read as Windows-1252
        self.encoding: str | None = None
        self._decoder: codecs.IncrementalDecoder | None = None

    # -- file protocol ---------------------------------------------------------

    def read(self, size: int = -1) -> bytes:
        want = self._chunk if size is None or size < 0 else max(size, 1)
        while len(self._out) < want and not self._eof:
            self._fill()
        if size is None or size < 0:
            while not self._eof:
                self._fill()
            data = bytes(self._out)
            self._out.clear()
            return data
        data = bytes(self._out[:want])
        del self._out[:want]
        return data

    # -- processing ------------------------------------------------------------

    def _decode(self, chunk: bytes) -> bytes:
        if self._decoder is None:
            self.encoding = sniff_encoding(chunk[:1024])
            self._decoder = codecs.getincrementaldecoder(self.encoding)(errors="wpmigrate-escape")
        text = self._decoder.decode(chunk, final=self._eof)
        if _ESCAPED.search(text):
            text, n = _ESCAPED.subn(_from_cp1252, text)
            self.recoded += n
        return text.encode("utf-8")

    def _fill(self) -> None:
        chunk = self._raw.read(self._chunk)
        if not chunk:
            self._eof = True
        if chunk or self._decoder is not None:
            self._buf += self._decode(chunk)
        if _CONTROL.search(self._buf):
            self._buf, n = _CONTROL.subn(_SENTINEL_B, self._buf)
            self.controls += n
        if self._in_prolog:
            if not self._prolog():
                if self._eof:  # no root element at all: let the parser say so
                    self._out += self._buf
                    self._buf = b""
                return
        self._body()

    def _prolog(self) -> bool:
        """Clean what stands before the root element; True once the root start tag is out."""
        buf = self._buf
        out = bytearray()
        i = 0
        n = len(buf)
        while i < n:
            if buf.startswith(b"<?", i):
                j = buf.find(b"?>", i)
                if j < 0:
                    return False
                pi = buf[i : j + 2]
                if pi.startswith(b"<?xml") and pi[5:6] in (b" ", b"\t", b"\r", b"\n", b"?"):
                    if out:
                        # a plugin echoed blank lines before WordPress's export: the
                        # declaration is then illegal; the stream is UTF-8 without it
                        pi = b"\n" * pi.count(b"\n")
                    else:
                        # the stream is UTF-8 now, whatever the file declared
                        pi = _DECL_ENCODING.sub(lambda m: m.group(1) + m.group(2) + b"UTF-8" + m.group(2), pi)
                out += pi
                i = j + 2
            elif buf.startswith(b"<!--", i):
                j = buf.find(b"-->", i + 4)
                if j < 0:
                    return False
                out += buf[i : j + 3]
                i = j + 3
            elif buf.startswith(b"<!DOCTYPE", i) or buf.startswith(b"<!doctype", i):
                j = self._doctype_end(buf, i)
                if j < 0:
                    return False
                # WordPress never writes a DOCTYPE. One in an export can only
                # declare entities (an entity bomb, or an external entity that
                # reads local files): drop it whole, keeping line numbers.
                self.dropped_doctype = True
                out += b"\n" * buf.count(b"\n", i, j)
                i = j
            elif _ROOT_START.match(buf, i):
                j = buf.find(b">", i)
                if j < 0:
                    return False
                tag = buf[i:j]
                if self._repairs.undeclared_prefixes:
                    extra = b"".join(
                        b' xmlns:%s="urn:wpmigrate:undeclared:%s"' % (p.encode(), p.encode())
                        for p in sorted(self._repairs.undeclared_prefixes)
                        if (b"xmlns:" + p.encode()) not in tag
                    )
                    if tag.endswith(b"/"):
                        tag = tag[:-1] + extra + b"/"
                    else:
                        tag += extra
                out += tag
                self._out += out
                self._buf = buf[j:]  # the '>' goes through the body pass
                self._in_prolog = False
                return True
            elif buf[i : i + 1] == b"<":
                if n - i < 9 and not self._eof:
                    return False
                out += buf[i : i + 1]
                i += 1
            else:
                # stray text before the root element: keep only line structure
                c = buf[i : i + 1]
                if c in (b"\n", b"\r", b" ", b"\t"):
                    out += c
                i += 1
        return False

    @staticmethod
    def _doctype_end(buf: bytes, i: int) -> int:
        depth = 0
        quote = None
        for j in range(i, len(buf)):
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

    def _body(self) -> None:
        buf = self._buf
        i = 0
        n = len(buf)
        while i < n:
            if self._in_cdata:
                j = buf.find(_CDATA_CLOSE, i)
                if self._repairs.nested_cdata:
                    k = buf.find(_CDATA_OPEN, i)
                    if k >= 0 and (j < 0 or k < j):
                        self._cdata_depth += 1
                        self._out += buf[i : k + len(_CDATA_OPEN)]
                        i = k + len(_CDATA_OPEN)
                        continue
                if j < 0:
                    keep = len(_CDATA_OPEN) if self._repairs.nested_cdata else 2
                    cut = n if self._eof else max(i, n - keep)
                    self._out += buf[i:cut]
                    i = cut
                    break
                if self._repairs.nested_cdata and not buf.startswith(_CDATA_OPEN, j + 3):
                    literal = self._cdata_depth > 0
                    if not literal:
                        # "]]>" followed, before the next tag, by another "]]>":
                        # the first one is text (the regex parser reads it so).
                        p = buf.find(b"<", j + 3)
                        if p < 0 and not self._eof:
                            self._out += buf[i:j]
                            i = j
                            break
                        literal = _CDATA_CLOSE in buf[j + 3 : p if p >= 0 else n]
                    if literal:
                        self._cdata_depth = max(0, self._cdata_depth - 1)
                        self._out += buf[i:j] + b"]]]]><![CDATA[>"
                        i = j + 3
                        continue
                self._out += buf[i : j + 3]
                i = j + 3
                self._in_cdata = False
                self._cdata_depth = 0
            else:
                k = buf.find(_CDATA_OPEN, i)
                if k >= 0:
                    self._out += self._fix_markup(buf[i:k]) + _CDATA_OPEN
                    i = k + len(_CDATA_OPEN)
                    self._in_cdata = True
                    continue
                if self._eof:
                    self._out += self._fix_markup(buf[i:])
                    i = n
                    break
                # Hold back everything after the last '>': it may hold a token
                # cut in two by the chunk boundary ("&am", "<![CD", "xmlns=…").
                j = buf.rfind(b">", i)
                if j < 0:
                    break
                self._out += self._fix_markup(buf[i : j + 1])
                i = j + 1
                break
        self._buf = buf[i:]

    def _fix_markup(self, seg: bytes) -> bytes:
        if b"&" in seg:
            seg = _AMP.sub(self._amp, seg)
        if b"xmlns" in seg:
            seg = _XMLNS.sub(self._xmlns, seg)
        return seg

    def _amp(self, m: re.Match[bytes]) -> bytes:
        dec, hexa, name = m.group(1), m.group(2), m.group(3)
        if dec or hexa:
            cp = int(dec[1:-1]) if dec else int(hexa[2:-1], 16)
            if not _allowed_codepoint(cp):
                self.controls += 1
                return _SENTINEL_REF
            return m.group(0)
        if name:
            if name in _XML_PREDEFINED:
                return m.group(0)
            text = html.entities.html5.get(name.decode("ascii", "replace"))
            if text is not None:
                return b"".join(b"&#%d;" % ord(ch) for ch in text)
        self.amps += 1
        return b"&amp;" + m.group(0)[1:]

    @staticmethod
    def _xmlns(m: re.Match[bytes]) -> bytes:
        value = m.group(3)
        if not _URI_UNSAFE.search(value):
            return m.group(0)
        fixed = _URI_UNSAFE.sub(lambda c: b"%%%02X" % c.group(0)[0], value)
        return m.group(1) + m.group(2) + fixed + m.group(2)
