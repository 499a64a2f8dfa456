"""The media step on a post's tree: every URL-bearing attribute, resolved once.

Runs after cleaning and before the Markdown is written, so whatever the
renderer made of ``[gallery]``, ``[audio]``, ``[video]``, ``[caption]``, blocks
and page builders' elements (their media URLs are attributes by then) is
covered: ``img``'s ``src`` and its lazy loaders' ``data-…src``, ``srcset``
(each candidate), the link around an image, ``audio``/``video``/``source``
``src`` and ``poster``, ``object``'s ``data``, file links.

A ``srcset`` whose candidates all resolve to one file (the sizes WordPress
made of one image, now its original) is dropped: the image's ``src`` says the
same, and a list of one file at several widths would mislead a browser. One
whose candidates stay different files is kept, each URL rewritten.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["rewrite_tree", "url_attribute"]

Resolve = Callable[[str], str | None]


def url_attribute(name: str) -> str | None:
    """``"url"`` for an attribute holding one URL, ``"srcset"`` for a list of candidates."""
    name = name.lower()
    if name.endswith("srcset"):
        return "srcset"
    if name in ("href", "src", "poster", "data") or (name.startswith("data-") and name.endswith(("src", "href"))):
        return "url"
    return None


def rewrite_tree(root, resolve: Resolve) -> None:
    """Give every URL attribute under ``root`` what ``resolve`` answers (None: unchanged)."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue  # comments, processing instructions
        for name, value in list(el.attrib.items()):
            kind = url_attribute(name)
            if kind == "url":
                new = resolve(value.strip())
                if new is not None:
                    el.set(name, new)
            elif kind == "srcset":
                _srcset(el, name, value, resolve)


def _srcset(el, name: str, value: str, resolve: Resolve) -> None:
    if "data:" in value:
        return  # inline images hold commas of their own: left as they are
    candidates = []
    changed = False
    for part in value.split(","):
        words = part.split()
        if not words:
            continue
        new = resolve(words[0])
        if new is not None:
            changed = True
            words[0] = new
        candidates.append(words)
    if not changed:
        return
    if len({words[0] for words in candidates}) == 1:
        del el.attrib[name]
        if name.lower() == "srcset" and "sizes" in el.attrib:
            del el.attrib["sizes"]
        return
    el.set(name, ", ".join(" ".join(words) for words in candidates))
