"""Front matter: fields in a declared order → YAML text, written by PyYAML.

The order of keys is fixed (``FIELDS``) so output is deterministic and diffs
stay small. Custom taxonomies come after tags, in the order they were first
seen on the item. Dates are YAML timestamps in ISO 8601 with the site's UTC
offset (``2024-03-01T12:00:00+01:00``), which Hugo, Jekyll, Eleventy and Astro
read as dates.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import tomli_w
import yaml

#: Declared order of the standard fields. Custom taxonomy keys are placed
#: right after ``tags``.
FIELDS: tuple[str, ...] = (
    "title",
    "date",
    "updated",
    "slug",
    "wp_slug",
    "author",
    "categories",
    "tags",
    # custom taxonomies go here
    "excerpt",
    "summary",
    # what the SEO plugins stored (wpmigrate.seo)
    "description",
    "seo_title",
    "canonical",
    "noindex",
    "cover_image",
    # WooCommerce products
    "price",
    "regular_price",
    "sale_price",
    "price_range",
    "variations",
    "sku",
    "stock_status",
    "gallery",
    "draft",
    "id",
    "type",
    "original_url",
    # with --comments front-matter (wpmigrate.comments)
    "comments",
)


_Base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when PyYAML has it: 10× faster


class _Dumper(_Base):  # type: ignore[misc,valid-type]
    """SafeDumper that writes datetimes with a ``T`` (ISO 8601) and never wraps lines."""


def _represent_datetime(dumper: yaml.SafeDumper, data: datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", data.isoformat(timespec="seconds"))


_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # PyYAML folds multi-line strings over several lines, and a line that
    # reads "---" there ends the front matter for every static site generator:
    # keep such strings on one line, double-quoted with escapes.
    data = str(data)  # a str subclass (lxml's) as a plain str: libyaml's emitter takes no other
    if any(b in data for b in _LINE_BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_str(data)


_Dumper.add_representer(datetime, _represent_datetime)
_Dumper.add_representer(str, _represent_str)
# str subclasses too: lxml hands out its own (text_content() on lxml 5.0, XPath
# string results), which the safe dumper would refuse as "an object"
_Dumper.add_multi_representer(str, _represent_str)


def order_fields(fields: Mapping[str, Any], taxonomies: list[str] | None = None) -> dict[str, Any]:
    """Return ``fields`` in the declared order (custom taxonomies after ``tags``)."""
    taxonomies = taxonomies or []
    ordered: dict[str, Any] = {}
    for key in FIELDS:
        if key in fields:
            ordered[key] = fields[key]
        if key == "tags":
            for tax in taxonomies:
                if tax in fields:
                    ordered[tax] = fields[tax]
    for key, value in fields.items():  # anything else, in insertion order
        if key not in ordered:
            ordered[key] = value
    return ordered


def dump_yaml(fields: Mapping[str, Any]) -> str:
    """Serialise a mapping as YAML (no sorting, Unicode kept, no line wrapping)."""
    return yaml.dump(
        dict(fields),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=2**31 - 1,
    )


def dump_toml(fields: Mapping[str, Any]) -> str:
    """Serialise a mapping as TOML (tomli-w; tables after the plain keys, as TOML needs)."""
    return tomli_w.dumps({k: _plain(v) for k, v in fields.items()})


def dump_json(fields: Mapping[str, Any]) -> str:
    """Serialise a mapping as a JSON object (dates as ISO 8601 strings)."""
    return json.dumps(dict(fields), ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _plain(value: Any) -> Any:
    """lxml's str subclasses as plain strings (tomli-w takes no other), in lists and tables too."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def render_document(fields: Mapping[str, Any], body: str, fmt: str = "yaml", json_fence: str = "") -> str:
    """A complete Markdown file: the front matter then the body, one trailing newline.

    ``fmt`` is ``yaml`` (``---`` fences), ``toml`` (``+++`` fences, as Hugo and Zola
    read it) or ``json``: a JSON object at the top, as Hugo reads it, or between
    ``json_fence`` and ``---`` (Eleventy's ``---json``)."""
    body = body.strip("\n")
    if fmt == "toml":
        text = "+++\n" + dump_toml(fields) + "+++\n"
    elif fmt == "json":
        text = f"{json_fence}\n{dump_json(fields)}---\n" if json_fence else dump_json(fields)
    else:
        text = "---\n" + dump_yaml(fields) + "---\n"
    if body:
        text += "\n" + body + "\n"
    return text


def parse_document(text: str) -> tuple[dict[str, Any], str]:
    """Split a Markdown file written by :func:`render_document` back into (fields, body)."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        return {}, text
    fields = yaml.safe_load(text[4 : end + 1]) or {}
    body = text[end + 5 :]
    if body.startswith("\n"):
        body = body[1:]
    return fields, body
