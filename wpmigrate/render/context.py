"""Options and the per-call state shared by the render handlers."""

from __future__ import annotations

import html as _html
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Attachment, Index, Item
from ..options import MorePolicy, ShortcodePolicy, coerce

if TYPE_CHECKING:
    from .renderer import Renderer

__all__ = ["RenderContext", "RenderOptions", "esc", "esc_attr"]


@dataclass(frozen=True)
class RenderOptions:
    """How to render what WordPress itself cannot tell us.

    ``shortcodes`` is the policy for shortcodes no handler knows (a plugin's):
    ``keep`` leaves them exactly as written (default; nothing is lost),
    ``drop`` removes the shortcode tags and keeps the text an enclosing one
    wraps, ``comment`` turns the tags into HTML comments.

    ``more`` decides what ``<!--more-->`` becomes: ``summary`` (default) removes
    the marker from the body and returns the HTML before it as
    ``Rendered.summary_html`` (for an excerpt/summary field), ``keep`` leaves a
    bare ``<!--more-->`` line in the body (Hugo's and Jekyll's summary
    divider), ``drop`` removes it.
    """

    shortcodes: ShortcodePolicy = ShortcodePolicy.KEEP
    more: MorePolicy = MorePolicy.SUMMARY

    def __post_init__(self) -> None:
        # plain strings are accepted (the library's keywords); a bad one is a UsageError
        object.__setattr__(self, "shortcodes", coerce(ShortcodePolicy, self.shortcodes, "shortcodes"))
        object.__setattr__(self, "more", coerce(MorePolicy, self.more, "more"))


def esc(text: str) -> str:
    return _html.escape(text, quote=False)


def esc_attr(text: str) -> str:
    return _html.escape(text, quote=True)


@dataclass
class RenderContext:
    """What one ``render_content()`` call knows and collects."""

    item: Item | None
    index: Index | None
    options: RenderOptions
    renderer: Renderer
    warnings: list[str] = field(default_factory=list)
    unknown_shortcodes: dict[str, int] = field(default_factory=dict)
    #: page-builder elements no renderer rule knows (their text is kept), by name
    builder_elements: dict[str, int] = field(default_factory=dict)
    #: ids of reusable blocks being rendered (guards against a block including itself)
    block_refs: tuple[int, ...] = ()
    #: current block nesting depth (deep nesting is flattened, never recursed)
    depth: int = 0

    @contextmanager
    def deeper(self) -> Iterator[None]:
        """One level more of nesting while the block runs (see ``depth``)."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def count_unknown(self, name: str) -> None:
        self.unknown_shortcodes[name] = self.unknown_shortcodes.get(name, 0) + 1

    def count_builder_element(self, name: str) -> None:
        self.builder_elements[name] = self.builder_elements.get(name, 0) + 1

    @property
    def post_id(self) -> int | None:
        return self.item.id if self.item is not None else None

    def attachment(self, attachment_id: int) -> Attachment | None:
        if self.index is None:
            return None
        return self.index.attachments.get(attachment_id)

    def attachments(self, ids: list[int], source: str) -> list[Attachment]:
        """The attachments with these ids, in order; each one the export lacks is a warning
        naming ``source`` (``"[gallery]"``)."""
        found = []
        for i in ids:
            att = self.attachment(i)
            if att is None:
                self.warn(f"{source}: attachment {i} not found")
            else:
                found.append(att)
        return found

    def children(self, post_id: int | None) -> list[Attachment]:
        """The attachments whose parent is ``post_id``, in menu order (``get_children()``)."""
        if self.index is None or post_id is None:
            return []
        found = [self.index.attachments[i] for i in self.index.children.get(post_id, []) if i in self.index.attachments]
        return sorted(found, key=lambda a: (a.menu_order, a.id))
