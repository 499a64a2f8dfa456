"""PHP's ``serialize()`` format, read: what WordPress stores in postmeta such as
``_wp_attachment_metadata`` (``a:5:{s:5:"width";i:800;…}``).

Only reading, and only the value types ``serialize()`` writes for plain data
(strings, integers, floats, booleans, null, arrays); an object (``O:``) or a
malformed value raises :class:`ValueError`. String lengths are bytes of UTF-8,
as PHP counts them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["unserialize"]


def unserialize(text: str) -> Any:
    """The value ``text`` serializes (arrays as dicts with int or str keys)."""
    data = text.encode("utf-8")
    value, end = _value(data, 0)
    if data[end:].strip():
        raise ValueError(f"trailing data at byte {end}")
    return value


def _until(data: bytes, pos: int, stop: bytes) -> tuple[bytes, int]:
    end = data.find(stop, pos)
    if end < 0:
        raise ValueError(f"expected {stop!r} after byte {pos}")
    return data[pos:end], end + 1


def _value(data: bytes, pos: int) -> tuple[Any, int]:
    kind = data[pos : pos + 2]
    pos += 2
    if kind == b"N;":
        return None, pos
    if kind == b"b:":
        raw, pos = _until(data, pos, b";")
        return raw == b"1", pos
    if kind == b"i:":
        raw, pos = _until(data, pos, b";")
        return int(raw), pos
    if kind == b"d:":
        raw, pos = _until(data, pos, b";")
        return float(raw), pos
    if kind == b"s:":
        raw, pos = _until(data, pos, b":")
        length = int(raw)
        if data[pos : pos + 1] != b'"' or data[pos + 1 + length : pos + 3 + length] != b'";':
            raise ValueError(f"string of {length} bytes does not end at byte {pos + 1 + length}")
        return data[pos + 1 : pos + 1 + length].decode("utf-8", "replace"), pos + 3 + length
    if kind == b"a:":
        raw, pos = _until(data, pos, b":")
        count = int(raw)
        if data[pos : pos + 1] != b"{":
            raise ValueError(f"expected '{{' at byte {pos}")
        pos += 1
        out: dict[Any, Any] = {}
        for _ in range(count):
            key, pos = _value(data, pos)
            if not isinstance(key, int | str):
                raise ValueError(f"array key of type {type(key).__name__}")
            out[key], pos = _value(data, pos)
        if data[pos : pos + 1] != b"}":
            raise ValueError(f"expected '}}' at byte {pos}")
        return out, pos + 1
    raise ValueError(f"unsupported value {kind!r} at byte {pos - 2}")
