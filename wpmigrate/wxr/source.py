"""What an export arrives as, turned into UTF-8 XML files the reader can map.

``read_export`` takes a path, a binary file object or ``bytes``. Compressed
exports are recognised by their magic bytes, not their names: ``.gz``,
``.bz2`` and ``.xz`` are decompressed into a temporary file; a ``.zip`` may
hold several XML files (WordPress.com splits large sites into
``site.wordpress.YYYY-MM-DD.000.xml``, ``.001.xml`` …), read as one site in
member-name order, ``__MACOSX/`` resource forks and non-XML members ignored.
A stream that is not a file on disk (a pipe, a socket) is spooled to a
temporary file. A file in an encoding other than UTF-8 (UTF-16 from Windows
tools, ISO-8859-1 from old blogs) is transcoded once into a UTF-8 temporary
file, bytes its encoding cannot read taken as Windows-1252, so the byte scan
and the parser only ever see UTF-8.

Temporary files live in one folder, removed when the export is closed or
garbage-collected.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import os
import shutil
import stat
import tempfile
import weakref
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from wpmigrate.errors import NotAnExportError, UsageError
from wpmigrate.wxr import repair

_COPY = 1 << 20
_COMPRESSED = {
    b"\x1f\x8b": ("gzip", gzip.open),
    b"BZh": ("bzip2", bz2.open),
    b"\xfd7zXZ\x00": ("xz", lzma.open),
}
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_XML_SUFFIXES = (".xml", ".wxr")
#: How far a compressed export may expand. Real exports compress 5–30×
#: (XML text and repeated markup); a decompression bomb compresses
#: hundreds or thousands of times. Below the floor nothing is refused.
MAX_RATIO = 200
MAX_FLOOR = 1 << 30
_READS_AS_UTF8 = {"utf-8", "ascii"}


@dataclass(frozen=True)
class Part:
    """One XML document of an export: a UTF-8 file on disk, or the bytes themselves."""

    name: str  # for messages: the path, or "archive.zip/member.xml"
    path: str | None = None
    data: bytes | None = None

    def size(self) -> int:
        return len(self.data) if self.data is not None else os.path.getsize(self.path)  # type: ignore[arg-type]


class Source:
    """The parts of an export and the temporary folder made for them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.parts: list[Part] = []
        self.warnings: list[str] = []
        self._folder: str | None = None
        self._cleanup: weakref.finalize | None = None

    def temp_path(self, stem: str) -> str:
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="wpmigrate-")
            self._cleanup = weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)
        return os.path.join(self._folder, f"{len(os.listdir(self._folder)):03d}-{stem}")

    def close(self) -> None:
        if self._cleanup is not None:
            self._cleanup()


def open_source(source: str | os.PathLike[str] | BinaryIO | bytes | bytearray | memoryview) -> Source:
    """The export's parts, ready to read; raises for what cannot be an export at all."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        opened = Source("<bytes>")
        raw: Part = Part(opened.name, data=bytes(source))
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        _check_path(path)
        opened = Source(path)
        raw = Part(path, path=path)
    elif hasattr(source, "read"):
        name = getattr(source, "name", None)
        opened = Source(name if isinstance(name, str) else "<stream>")
        raw = None  # type: ignore[assignment]
    else:
        raise UsageError(f"read_export() takes a path, a binary file or bytes, not {type(source).__name__}")
    try:
        if raw is None:
            raw = _from_stream(source, opened)  # type: ignore[arg-type]
        _add(opened, raw)
    except BaseException:
        opened.close()
        raise
    return opened


def _check_path(path: str) -> None:
    if not os.path.exists(path):
        raise NotAnExportError("no such file", path=path)
    if os.path.isdir(path):
        raise NotAnExportError("this is a directory, not a WordPress export file", path=path)


def _from_stream(stream: BinaryIO, opened: Source) -> Part:
    if isinstance(stream, io.BytesIO):
        return Part(opened.name, data=stream.read())
    on_disk = _file_on_disk(stream)
    if on_disk is not None:
        return Part(opened.name, path=on_disk)
    target = opened.temp_path("stream")
    with open(target, "wb") as out:
        while True:
            block = stream.read(_COPY)
            if not block:
                break
            if not isinstance(block, (bytes, bytearray)):
                raise UsageError("read_export() needs a file opened in binary mode ('rb')", path=opened.name)
            out.write(block)
    return Part(opened.name, path=target)


def _file_on_disk(stream: BinaryIO) -> str | None:
    """The path of a regular file opened at its start, so it can be mapped instead of copied."""
    name = getattr(stream, "name", None)
    try:
        if not isinstance(name, str) or not stream.seekable() or stream.tell() != 0:
            return None
        fd_stat = os.fstat(stream.fileno())
        return name if stat.S_ISREG(fd_stat.st_mode) and os.path.samestat(fd_stat, os.stat(name)) else None
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None


def _head(part: Part, size: int = 1024) -> bytes:
    if part.data is not None:
        return part.data[:size]
    with open(part.path, "rb") as f:  # type: ignore[arg-type]
        return f.read(size)


def _open(part: Part) -> BinaryIO:
    return io.BytesIO(part.data) if part.data is not None else open(part.path, "rb")  # type: ignore[arg-type]


def _add(opened: Source, raw: Part) -> None:
    head = _head(raw)
    if not head:
        raise NotAnExportError("this is not a WordPress export: the file is empty", path=raw.name)
    for magic, (kind, opener) in _COMPRESSED.items():
        if head.startswith(magic):
            _add_xml(opened, _decompress(opened, raw, kind, opener))
            return
    if head.startswith(_ZIP):
        _add_zip(opened, raw)
        return
    _add_xml(opened, raw)


def _expansion_limit(compressed_size: int) -> int:
    return max(MAX_FLOOR, compressed_size * MAX_RATIO)


def _copy_limited(stream: BinaryIO, out: BinaryIO, limit: int, what: str, name: str) -> int:
    """Copy ``stream`` to ``out``; refuse (before the disk fills) past ``limit`` bytes."""
    written = 0
    while True:
        block = stream.read(_COPY)
        if not block:
            return written
        written += len(block)
        if written > limit:
            raise NotAnExportError(
                f"the {what} expands to more than {limit:,} bytes ({MAX_RATIO}× its size at least): "
                "a decompression bomb, or an export to decompress yourself before converting it",
                path=name,
            )
        out.write(block)


def _decompress(opened: Source, raw: Part, kind: str, opener) -> Part:
    target = opened.temp_path("decompressed.xml")
    problem = None
    with _open(raw) as compressed, open(target, "wb") as out:
        try:
            with opener(compressed, "rb") as stream:
                _copy_limited(stream, out, _expansion_limit(raw.size()), f"{kind} file", raw.name)
        except EOFError:
            problem = "it ends early (an interrupted download?)"
        except (OSError, lzma.LZMAError, zlib.error, ValueError) as exc:
            problem = f"it is damaged ({exc})"
        written = out.tell()
    if problem is not None:
        if not written:
            raise NotAnExportError(
                f"this is not a WordPress export: the {kind} file cannot be decompressed, {problem}", path=raw.name
            )
        opened.warnings.append(f"the {kind} file {problem}; reading the {written} bytes it gave")
    return Part(raw.name, path=target)


def _add_zip(opened: Source, raw: Part) -> None:
    try:
        with zipfile.ZipFile(_open(raw)) as archive:
            members = sorted(
                (info for info in archive.infolist() if _is_xml_member(info)), key=lambda info: info.filename
            )
            if not members:
                raise NotAnExportError(
                    "this is not a WordPress export: the zip archive holds no XML file", path=raw.name
                )
            limit = _expansion_limit(raw.size())
            for info in members:
                target = opened.temp_path("member.xml")
                with archive.open(info) as member, open(target, "wb") as out:
                    limit -= _copy_limited(member, out, limit, "zip archive", raw.name)
                _add_xml(opened, Part(f"{raw.name}/{info.filename}", path=target))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise NotAnExportError(
            f"this is not a WordPress export: the zip archive cannot be read ({exc})", path=raw.name
        ) from None


def _is_xml_member(info: zipfile.ZipInfo) -> bool:
    name = info.filename
    if info.is_dir() or name.startswith("__MACOSX/") or "/__MACOSX/" in name:
        return False
    base = name.rsplit("/", 1)[-1]
    return not base.startswith("._") and base.lower().endswith(_XML_SUFFIXES)


def _add_xml(opened: Source, part: Part) -> None:
    head = _head(part)
    if not head:
        raise NotAnExportError("this is not a WordPress export: the file is empty", path=part.name)
    encoding = repair.sniff_encoding(head)
    if codecs.lookup(encoding).name not in _READS_AS_UTF8:
        part = _transcode(opened, part, encoding)
        if not part.size():
            raise NotAnExportError("this is not a WordPress export: the file is empty", path=part.name)
    opened.parts.append(part)


def _transcode(opened: Source, part: Part, encoding: str) -> Part:
    """``part`` rewritten as UTF-8, declaration included; lines stay where they were."""
    target = opened.temp_path("utf8.xml")
    decoder = repair.incremental_decoder(encoding)
    recoded = 0
    first = True
    with _open(part) as src, open(target, "wb") as out:
        while True:
            block = src.read(_COPY)
            text = decoder.decode(block, final=not block)
            if first and text:
                text = text.lstrip("\ufeff")
                text = repair.rewrite_declared_encoding(text)
                first = False
            text, n = repair.recode(text)
            recoded += n
            out.write(text.encode("utf-8"))
            if not block:
                break
    if recoded:
        opened.warnings.append(f"{recoded} byte(s) were not valid {encoding} and were read as Windows-1252")
    return Part(part.name, path=target)
