"""Loading one item by its :class:`~wpmigrate.model.ItemRef`, in any process.

An :class:`ItemLoader` holds only plain data (the files' paths or bytes and
their namespace declarations), so it pickles into a worker process; each
process opens the files lazily and reads an item's byte range with
``os.pread``, which keeps the memory a worker holds to the item it parses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from wpmigrate.model import BrokenItem, Item, ItemRef
from wpmigrate.wxr import fields
from wpmigrate.wxr.parse import PieceParser, Wrapper


@dataclass(frozen=True)
class PartSpec:
    """What a process needs to read items of one file of an export."""

    name: str
    path: str | None
    data: bytes | None
    wrapper: Wrapper
    size: int


_PREAD = getattr(os, "pread", None)


class ItemLoader:
    """Parses items of an export from their byte ranges: ``loader.load(ref)``."""

    def __init__(self, parts: tuple[PartSpec, ...], parsers: dict[int, PieceParser] | None = None) -> None:
        self.parts = parts
        self._fds: dict[int, int] = {}
        self._parsers: dict[int, PieceParser] = dict(parsers or {})

    def __getstate__(self) -> dict:
        return {"parts": self.parts}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["parts"])

    def __del__(self) -> None:
        self.close()

    def close(self) -> None:
        """Close the files this process opened (they reopen on the next load)."""
        fds, self._fds = self._fds, {}
        for fd in fds.values():
            try:
                os.close(fd)
            except OSError:
                pass

    def read(self, part: int, offset: int, length: int) -> bytes:
        spec = self.parts[part]
        if spec.data is not None:
            return spec.data[offset : offset + length]
        fd = self._fds.get(part)
        if fd is None:
            fd = self._fds[part] = os.open(spec.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))  # type: ignore[arg-type]
        if _PREAD is not None:
            return _PREAD(fd, length, offset)
        os.lseek(fd, offset, os.SEEK_SET)  # Windows has no pread; a loader is used by one thread
        return os.read(fd, length)

    def parser(self, part: int) -> PieceParser:
        found = self._parsers.get(part)
        if found is None:
            found = self._parsers[part] = PieceParser(self.parts[part].wrapper)
        return found

    def load(self, ref: ItemRef) -> Item | BrokenItem:
        """The item ``ref`` points at, or a :class:`BrokenItem` saying where its XML breaks."""
        data = self.read(ref.part, ref.offset, ref.length)
        outcome = self.parser(ref.part).parse(data, ref.line, ref.column, closed=ref.closed, salvage=True)
        broken = outcome.broken
        if broken is not None:
            message = broken.message
            if not ref.closed:
                message += (
                    " (the file ends inside this item)"
                    if ref.offset + ref.length >= self.parts[ref.part].size
                    else " (its </item> is missing: the next <item> starts)"
                )
            return BrokenItem(ref.ordinal, broken.line, broken.column, message, fields.post_id(outcome.channel))
        assert outcome.channel is not None  # a piece that starts with "<item" and parsed holds it
        warnings: list[str] = []
        item = fields.item(next(el for el in outcome.channel if isinstance(el.tag, str)), ref.line, warnings)
        if outcome.controls or outcome.recoded:
            extra = []
            if outcome.controls:
                extra.append(
                    f"dropped {outcome.controls} character(s) that XML does not allow (control characters) "
                    f"from item {item.id}"
                )
            if outcome.recoded:
                extra.append(
                    f"{outcome.recoded} byte(s) of item {item.id} were not valid UTF-8 and were read as Windows-1252"
                )
            item = _with_warnings(item, extra)
        return item


def _with_warnings(item: Item, extra: list[str]) -> Item:
    return replace(item, warnings=item.warnings + tuple(extra))
