"""One file's document cleaned as its kind says: Markdown, a page or fragment of HTML, scraped text.

:func:`clean_document` gives the cleaned document in its two forms (its own
format and Markdown with front matter); :func:`learn_document` counts it for
``--learn``. Files are decoded as a browser decodes a page
(:mod:`wpmigrate.clean.decode`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wpmigrate.clean.blocks import PageBlocks, page_blocks
from wpmigrate.clean.decode import Decoded, decode_document, looks_binary
from wpmigrate.clean.learn import SiteLearner
from wpmigrate.clean.markdown import clean_markdown, split_front_matter
from wpmigrate.clean.profiles import ProfileSet
from wpmigrate.clean.result import CleanResult
from wpmigrate.clean.structure import STRUCTURE
from wpmigrate.clean.text import clean_text
from wpmigrate.errors import InputError, UsageError

__all__ = ["SUFFIXES", "CleanedDocument", "clean_document", "learn_document", "read_text"]

#: the decision that takes a page's title into the front matter
TITLE_RULE = f"{STRUCTURE}.title"

#: file name suffix → what the file holds
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "text"}


# --- reading ------------------------------------------------------------------------


def read_text(path: Path, kind: str = "text") -> Decoded:
    """The file as text, decoded as a browser decodes a page (see :mod:`wpmigrate.clean.decode`).

    Only a file that is not text at all (an image with a page's suffix) is refused.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if looks_binary(data):
        raise InputError("binary file (control bytes), not text; not cleaned", path=path)
    return decode_document(data, kind)


# --- one document ---------------------------------------------------------------------


@dataclass(frozen=True)
class CleanedDocument:
    """A cleaned file in its two forms."""

    result: CleanResult
    in_place: str  # the file's own format (HTML stays HTML)
    markdown: str  # the Markdown document (front matter + body)
    changed: bool
    #: a page of HTML's candidate blocks, for learning (``blocks=True``)
    blocks: PageBlocks | None = None


def _front_matter_document(metadata: dict, body: str) -> str:
    from wpmigrate.frontmatter import order_fields, render_document

    fields = {k: v for k, v in metadata.items() if v not in (None, "", [], {})}
    if not fields:
        return body
    return render_document(order_fields(fields), body)


def _merge_front_matter(front: str, metadata: dict, body: str) -> str:
    import yaml

    try:
        fields = yaml.safe_load(front.strip().strip("-").strip("+")) if front.startswith("---") else None
    except yaml.YAMLError:
        fields = None
    missing = {k: v for k, v in metadata.items() if v not in (None, "", [], {})}
    if isinstance(fields, dict):
        missing = {k: v for k, v in missing.items() if k not in fields}
        if missing:
            return _front_matter_document({**fields, **missing}, body)
    return front + ("\n" + body if body else "")


def clean_document(
    text: str, kind: str, profiles: ProfileSet | None = None, *, blocks: bool = False
) -> CleanedDocument:
    """Clean one document of the given kind (``markdown``, ``html`` or ``text``); with
    *blocks*, a page of HTML also gives its article's candidate blocks for learning."""
    if kind == "markdown":
        r = clean_markdown(text, profiles)
        return CleanedDocument(r, r.markdown or "", r.markdown or "", (r.markdown or "") != text)
    if kind == "text":
        # a .txt that already has front matter (our own output, cleaned in place) keeps
        # it; what the page yields on top only fills keys it does not have
        front, body = split_front_matter(text)
        r = clean_text(body if front else text, profiles)
        if front:
            doc = _merge_front_matter(front, r.metadata, r.markdown or "")
        else:
            doc = _front_matter_document(r.metadata, r.markdown or "")
        # every page of text comes out as Markdown with its title in the front matter;
        # the page changes when cleaning takes a line out of it (removed, or moved into
        # the metadata as a date or tags), not because it is written as Markdown
        changed = any(x.action in ("removed", "metadata") and x.rule != TITLE_RULE for x in r.removed)
        return CleanedDocument(r, doc, doc, changed)
    if kind == "html":
        from wpmigrate.clean.engine import clean_html_document
        from wpmigrate.markdown import MarkdownWriter, html_to_markdown

        r, tree = clean_html_document(text, profiles)
        decided = any(x.action in ("removed", "unwrapped", "metadata") for x in r.removed)
        in_place = r.html if (decided and r.html is not None) else text
        # the Markdown from the cleaned tree itself; HTML left as it is is parsed as it is
        body = (
            MarkdownWriter().write(tree.root)
            if tree is not None
            else html_to_markdown(r.html if r.html is not None else text)
        )
        doc = _front_matter_document(r.metadata, body)
        seen = page_blocks(tree.root, tree.page) if (blocks and tree is not None) else None
        return CleanedDocument(r, in_place, doc, in_place != text, seen)
    raise UsageError(f"unknown document kind {kind!r} (expected markdown, html or text)")


def learn_document(learner: SiteLearner, kind: str, text: str, doc: CleanedDocument, profiles: ProfileSet) -> None:
    """Count one document's lines outside its article for learning (``--learn``, per-host learning).

    A page of HTML is counted by the Markdown of its cleaned article: its chrome
    outside the article is gone already, and what is left reads as lines.
    """
    if kind == "html":
        learner.add_text(doc.markdown, profiles, markdown=True)
        if doc.blocks is not None:
            learner.add_blocks(doc.blocks)
    else:
        learner.add_text(text, profiles, markdown=(kind == "markdown"))
