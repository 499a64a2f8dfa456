"""Raw post_content: remove the blocks and shortcodes that cleaning rules name.

Runs before rendering. ``parse_blocks()`` and ``do_shortcode()`` grammar come
from :mod:`wpmigrate.wordpress`; everything a rule does not name stays
byte-identical. A shortcode inside code, a comment or a tag is text, as the
renderer treats it (:func:`wpmigrate.wordpress.spans.protected_spans`): a post
that shows ``<code>[mc4wp_form]</code>`` documents the shortcode.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from wpmigrate.clean.profiles import ProfileSet, Rule, coerce_profiles
from wpmigrate.clean.result import Removal
from wpmigrate.wordpress.blocks import has_blocks, parse_blocks
from wpmigrate.wordpress.shortcodes import iter_shortcodes
from wpmigrate.wordpress.spans import inside, protected_spans

__all__ = ["SourceEdit", "apply_edits", "clean_source", "source_edits"]


@dataclass(frozen=True)
class SourceEdit:
    """One span of the stored content replaced (by ``""`` for a removal)."""

    start: int
    end: int
    replacement: str = ""


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def clean_source(
    content: str, profiles: ProfileSet | Sequence[str | os.PathLike] | None = None
) -> tuple[str, list[Removal]]:
    """Remove rule-matched blocks and shortcodes from raw ``post_content``.

    A matched block goes with its delimiters and everything inside (paired or
    self-closing); a matched shortcode goes with its content when it encloses
    some (``unwrap`` rules keep the content). Everything else is left
    byte-identical. Returns the new content and one :class:`Removal` per
    decision, with line numbers in *content*.
    """
    edits, removals = source_edits(content, profiles)
    return apply_edits(content, edits), removals


def apply_edits(content: str, edits: Sequence[SourceEdit]) -> str:
    """*content* with the (non-overlapping) edits made."""
    if not edits:
        return content
    out: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: e.start):
        out.append(content[pos : edit.start])
        out.append(edit.replacement)
        pos = edit.end
    out.append(content[pos:])
    return "".join(out)


def source_edits(
    content: str, profiles: ProfileSet | Sequence[str | os.PathLike] | None = None
) -> tuple[list[SourceEdit], list[Removal]]:
    """What :func:`clean_source` does to *content*, as edits (in content order) and decisions."""
    ps = coerce_profiles(profiles)
    block_rules = {}
    for r in ps.block_rules:
        block_rules.setdefault(r.name, r)
    shortcode_rules = {}
    for r in ps.shortcode_rules:
        shortcode_rules.setdefault(r.name, r)
    if not block_rules and not shortcode_rules:
        return [], []

    edits: list[tuple[int, int, str, Rule, str]] = []  # (start, end, replacement, rule, action)
    flags: list[tuple[int, int, Rule]] = []

    if block_rules and has_blocks(content):
        stack = list(reversed(parse_blocks(content)))
        while stack:
            block = stack.pop()
            rule = block_rules.get(block.name) if block.name else None
            if rule is not None and rule.action == "drop" and _properly_closed(content, block):
                edits.append((block.start, block.end, "", rule, "removed"))
                continue
            if rule is not None:
                flags.append((block.start, block.end, rule))
            stack.extend(reversed(block.inner))

    if shortcode_rules and "[" in content:
        shown: tuple[list[int], list[int]] | None = None
        for sc in iter_shortcodes(content, names=list(shortcode_rules)):
            if any(s <= sc.start < e for s, e, *_ in edits):
                continue  # inside a block that is already going
            if shown is None:
                shown = protected_spans(content)
            if inside(shown, sc.start):
                continue  # shown as code, or in a comment or a tag: not run, not removed
            rule = shortcode_rules[sc.name]
            if rule.action == "drop":
                edits.append((sc.start, sc.end, "", rule, "removed"))
            elif rule.action == "unwrap":
                edits.append((sc.start, sc.end, sc.content or "", rule, "unwrapped"))
            else:
                flags.append((sc.start, sc.end, rule))

    found: list[tuple[int, Removal]] = []
    for start, end, _, rule, action in edits:
        found.append(
            (start, rule.removal(content[start:end], action, _line_of(content, start), _line_of(content, end)))
        )
    for start, end, rule in flags:
        found.append(
            (start, rule.removal(content[start:end], "flagged", _line_of(content, start), _line_of(content, end)))
        )
    found.sort(key=lambda f: f[0])
    removals = [r for _, r in found]

    return [
        SourceEdit(start, end, replacement) for start, end, replacement, _, _ in sorted(edits, key=lambda e: e[0])
    ], removals


def _properly_closed(content: str, block) -> bool:
    """Is the block self-closing or ended by its own closer?

    ``parse_blocks()`` closes a block left open at the end of the document
    there, so an opener without its closer would take the rest of the post with
    it. Such a block is only flagged, never removed.
    """
    own = content[block.start : block.end]
    if own.endswith("/-->"):
        return True
    short = block.name.removeprefix("core/")
    closer = re.compile(r"<!--\s+/wp:(?:" + re.escape(block.name) + "|" + re.escape(short) + r")\s+-->$")
    return closer.search(own) is not None
