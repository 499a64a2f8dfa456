"""Options, result and the per-call state shared by the render handlers."""

from __future__ import annotations

import html as _html
from dataclasses import dataclass, field

from ..errors import UsageError
from ..model import Attachment, Index, Item

__all__ = ["RenderOptions", "Rendered", "RenderContext", "esc", "esc_attr"]

SHORTCODE_POLICIES = ("keep", "drop", "comment")
MORE_POLICIES = ("summary", "keep", "drop")


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

    shortcodes: str = "keep"
    more: str = "summary"

    def __post_init__(self) -> None:
        if self.shortcodes not in SHORTCODE_POLICIES:
            raise UsageError(
                f"unknown shortcode policy {self.shortcodes!r}; use one of {', '.join(SHORTCODE_POLICIES)}"
            )
        if self.more not in MORE_POLICIES:
            raise UsageError(f"unknown more policy {self.more!r}; use one of {', '.join(MORE_POLICIES)}")


@dataclass
class Rendered:
    html: str
    summary_html: str | None = None
    unknown_shortcodes: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


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
    warnings: list[str] = field(default_factory=list)
    unknown_shortcodes: dict[str, int] = field(default_factory=dict)
    #: ids of reusable blocks being rendered (guards against a block including itself)
    block_refs: tuple[int, ...] = ()
    #: current block nesting depth (deep nesting is flattened, never recursed)
    depth: int = 0

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def count_unknown(self, name: str) -> None:
        self.unknown_shortcodes[name] = self.unknown_shortcodes.get(name, 0) + 1

    @property
    def post_id(self) -> int | None:
        return self.item.id if self.item is not None else None

    def attachment(self, attachment_id: int) -> Attachment | None:
        if self.index is None:
            return None
        return self.index.attachments.get(attachment_id)

    def children(self, post_id: int | None) -> list[Attachment]:
        """The attachments whose parent is ``post_id``, in menu order (``get_children()``)."""
        if self.index is None or post_id is None:
            return []
        found = [self.index.attachments[i] for i in self.index.children.get(post_id, []) if i in self.index.attachments]
        return sorted(found, key=lambda a: (a.menu_order, a.id))
