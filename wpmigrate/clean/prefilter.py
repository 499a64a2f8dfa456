"""Selector rules evaluated only where they can match, decided from a document's class, id and tag tokens.

Plugins and themes mark their boilerplate with their own class names
(Jetpack's ``sharedaddy``, MC4WP's ``mc4wp-form``, Zeen's ``zeen-widget``):
nearly every selector names a class or an id that a post without that plugin
never contains. Each selector is parsed once, at load (by cssselect, the
parser that also translates it to XPath), into its alternatives and the
tokens each cannot match without. A document's elements with a class or an
id are collected in one pass over its tree (:class:`DocumentTokens`); an
alternative whose tokens are not all there is never evaluated, and one that
is a single compound of classes and ids (``.sharedaddy``, ``#modal.modal-wrap``,
``div.shariff``) is answered from the collected elements without XPath. The
prefilter only leaves out what cannot match, so it never changes a decision.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cssselect
from cssselect import GenericTranslator
from cssselect import parser as css
from lxml import etree

__all__ = ["DocumentTokens", "SelectorIndex"]

# class="…" is split at XML whitespace by the translated XPath (normalize-space)
_XPATH_SPACE = re.compile("[ \t\n\r]+")
# Python's split() also splits at other spaces (as profile detection has always read
# class tokens)
_OTHER_SPACE = re.compile(r"[^\S \t\n\r]")
_MARKED = etree.XPath("descendant-or-self::*[@class or @id]")
_translator = GenericTranslator()


def _class_tokens(value: str) -> list[str]:
    return [t for t in _XPATH_SPACE.split(value) if t]


class DocumentTokens:
    """The classes, ids and elements carrying them in one document, collected in one pass.

    ``classes`` holds every class token (as XPath and as Python's ``split()``
    read the attribute); tags are looked up on demand.
    """

    __slots__ = ("top", "classes", "by_class", "by_id", "_tags")

    def __init__(self, top: etree._Element) -> None:
        self.top = top
        by_class: dict[str, list[etree._Element]] = {}
        by_id: dict[str, list[etree._Element]] = {}
        extra: set[str] = set()
        for el in _MARKED(top):
            value = el.get("class")
            if value:
                if _OTHER_SPACE.search(value):
                    extra.update(value.split())
                    tokens = _class_tokens(value)
                else:  # the two ways of splitting agree
                    tokens = value.split()
                for token in tokens:
                    by_class.setdefault(token, []).append(el)
            value = el.get("id")
            if value is not None:
                by_id.setdefault(value, []).append(el)
        self.by_class = by_class
        self.by_id = by_id
        self.classes = by_class.keys() | extra
        self._tags: dict[str, bool] = {}

    def has_tag(self, tag: str) -> bool:
        found = self._tags.get(tag)
        if found is None:
            found = self._tags[tag] = next(self.top.iter(tag), None) is not None
        return found


@dataclass(frozen=True)
class _Alternative:
    """One alternative of a selector group (``.a, #b`` has two)."""

    item: int  # the selector's index in its index
    tags: frozenset[str]
    classes: frozenset[str]
    ids: frozenset[str]
    xpath: etree.XPath
    simple: bool  # one compound of an optional tag, classes and ids: answered without XPath

    def possible(self, tokens: DocumentTokens) -> bool:
        return (
            all(c in tokens.by_class for c in self.classes)
            and all(i in tokens.by_id for i in self.ids)
            and all(tokens.has_tag(t) for t in self.tags)
        )

    def select(self, tokens: DocumentTokens, root: etree._Element) -> list[etree._Element]:
        """The elements at or under *root* this alternative matches (in no particular order)."""
        if not self.simple:
            return self.xpath(root)
        if self.ids:
            candidates = tokens.by_id[next(iter(self.ids))]
        else:
            candidates = tokens.by_class[next(iter(self.classes))]
        found = []
        for el in candidates:
            if self.tags and el.tag not in self.tags:
                continue
            if self.ids and any(el.get("id") != i for i in self.ids):
                continue
            if len(self.classes) > 1 and not self.classes <= set(_class_tokens(el.get("class") or "")):
                continue
            if root is not tokens.top and el is not root and not any(a is root for a in el.iterancestors()):
                continue
            found.append(el)
        return found


@functools.lru_cache(maxsize=4096)
def _alternatives(selector: str) -> tuple[_Alternative, ...]:
    """A selector group's alternatives, parsed and compiled once per process (several
    profile selections share their selectors)."""
    return tuple(_alternative(0, parsed) for parsed in cssselect.parse(selector))


def _alternative(item: int, selector: css.Selector) -> _Alternative:
    """The tokens an alternative cannot match without, read off its parse.

    Only the positive part of each node counts: ``:not(.x)``, ``:is(…)``,
    ``:has(…)`` and attribute tests add nothing (``[a != v]`` matches elements
    without ``a``). Walked iteratively along the chain of nodes.
    """
    tags: set[str] = set()
    classes: set[str] = set()
    ids: set[str] = set()
    simple = True
    stack = [selector.parsed_tree]
    while stack:
        node = stack.pop()
        if isinstance(node, css.Element):
            if node.namespace is None and node.element not in (None, "*"):
                tags.add(node.element)
            elif node.namespace is not None:
                simple = False
            continue
        if isinstance(node, css.Class):
            classes.add(node.class_name)
            simple = simple and not _XPATH_SPACE.search(node.class_name)
        elif isinstance(node, css.Hash):
            ids.add(node.id)
        else:
            simple = False
            if isinstance(node, css.CombinedSelector):
                stack.append(node.subselector)
        inner = getattr(node, "selector", None)
        if inner is not None:
            stack.append(inner)
    if selector.pseudo_element is not None or not (classes or ids):
        simple = False
    xpath = etree.XPath(_translator.selector_to_xpath(selector))
    return _Alternative(item, frozenset(tags), frozenset(classes), frozenset(ids), xpath, simple)


class SelectorIndex:
    """Selectors by the rarest token they need, built once per list of selectors (at load)."""

    def __init__(self, selectors: Sequence[str]) -> None:
        self._always: list[_Alternative] = []
        self._by_class: dict[str, list[_Alternative]] = {}
        self._by_id: dict[str, list[_Alternative]] = {}
        self._by_tag: dict[str, list[_Alternative]] = {}
        for item, selector in enumerate(selectors):
            for alt in (replace(a, item=item) for a in _alternatives(selector)):
                # keyed by one token it needs: an id or a class, which are rare,
                # before a tag, which most documents have
                if alt.ids:
                    self._by_id.setdefault(min(alt.ids), []).append(alt)
                elif alt.classes:
                    self._by_class.setdefault(min(alt.classes), []).append(alt)
                elif alt.tags:
                    self._by_tag.setdefault(min(alt.tags), []).append(alt)
                else:
                    self._always.append(alt)

    def possible(self, tokens: DocumentTokens) -> list[_Alternative]:
        """The alternatives whose tokens the document has."""
        found = list(self._always)
        for table, present in ((self._by_id, tokens.by_id), (self._by_class, tokens.by_class)):
            if len(present) < len(table):
                keys = [t for t in present if t in table]
            else:
                keys = [t for t in table if t in present]
            for key in keys:
                found.extend(alt for alt in table[key] if alt.possible(tokens))
        for tag, alternatives in self._by_tag.items():
            if tokens.has_tag(tag):
                found.extend(alt for alt in alternatives if alt.possible(tokens))
        return found

    def candidates(self, tokens: DocumentTokens) -> list[int]:
        """Indexes, in order, of the selectors that may match the document."""
        return sorted({alt.item for alt in self.possible(tokens)})

    def select(self, tokens: DocumentTokens, root: etree._Element) -> list[tuple[int, list[etree._Element]]]:
        """``(index, elements)`` in selector order: what each selector that may match
        matches at or under *root* (an element once per selector, in no particular order)."""
        per_item: dict[int, list[etree._Element]] = {}
        for alt in self.possible(tokens):
            found = alt.select(tokens, root)
            if found:
                per_item.setdefault(alt.item, []).extend(found)
        out = []
        for item in sorted(per_item):
            elements = per_item[item]
            out.append((item, list(dict.fromkeys(elements)) if len(elements) > 1 else elements))
        return out
