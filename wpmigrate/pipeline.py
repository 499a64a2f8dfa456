"""One post body through the stages: render → clean → Markdown, on one tree.

``post_content`` (or what a page builder keeps instead, such as Elementor's
``_elementor_data``: the renderer chooses) is cleaned of the blocks and
shortcodes that profiles name (still a string: WordPress's grammar), rendered into a
:class:`~wpmigrate.document.Document`, cleaned on that tree, and written as
Markdown from it. The summary (``<!--more-->``) is the *cleaned* tree cut at
the marker, so boilerplate removed from the body is gone from the summary
too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wpmigrate.clean.engine import clean_source, clean_tree
from wpmigrate.clean.profiles import load_profiles
from wpmigrate.links.rewrite import UrlCounts, UrlRewriter
from wpmigrate.markdown import MarkdownWriter
from wpmigrate.model import Index, Item
from wpmigrate.options import ConvertOptions, MorePolicy
from wpmigrate.render import Renderer, RenderOptions
from wpmigrate.render.normalise import remove_more_marker

__all__ = ["Body", "ContentPipeline", "convert_content"]

NEEDS_REVIEW = "boilerplate cleaning needs review: the rules would remove too much, nothing removed"


@dataclass
class Body:
    """One converted body: Markdown and what happened on the way."""

    markdown: str
    summary: str | None = None
    warnings: list[str] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    unknown_shortcodes: dict[str, int] = field(default_factory=dict)
    builder_elements: dict[str, int] = field(default_factory=dict)
    #: the old site's URLs in the body, after the URL-rewrite step
    urls: UrlCounts = field(default_factory=UrlCounts)


def removal_dict(r: Any) -> dict[str, Any]:
    """A cleaning decision as the conversion report lists it."""
    return {"rule": r.rule, "profile": r.profile, "reason": r.reason, "text": r.text, "action": r.action}


class ContentPipeline:
    """render → clean → Markdown for single bodies; profiles are loaded once."""

    def __init__(
        self,
        options: ConvertOptions | None = None,
        *,
        renderer: Renderer | None = None,
        writer: MarkdownWriter | None = None,
        rewriter: UrlRewriter | None = None,
    ) -> None:
        self.options = (options or ConvertOptions()).validate()
        self.renderer = renderer or Renderer()
        self.writer = writer or MarkdownWriter()
        #: the URL-rewrite step (:mod:`wpmigrate.links`); None: URLs stay as written
        self.rewriter = rewriter
        self.render_options = RenderOptions(shortcodes=self.options.shortcodes, more=self.options.more)
        self.profiles = None
        if self.options.clean:
            self.profiles = load_profiles(list(self.options.profiles) if self.options.profiles is not None else None)

    def run(
        self,
        content: str,
        *,
        item: Item | None = None,
        index: Index | None = None,
    ) -> Body:
        removed: list[dict[str, Any]] = []
        profiles = self.profiles

        def clean_stored(text: str) -> str:
            # the content as stored (or as a page builder's data gives it), before the string steps
            text, source_removals = clean_source(text, profiles)
            removed.extend(removal_dict(r) for r in source_removals)
            return text

        rendered = self.renderer.render(
            content,
            item=item,
            index=index,
            options=self.render_options,
            source_filter=clean_stored if profiles is not None else None,
        )
        doc = rendered.document
        warnings = list(rendered.warnings)
        if self.profiles is not None:
            result = clean_tree(doc, self.profiles)
            if result.needs_review:
                warnings.append(NEEDS_REVIEW)
            removed.extend(removal_dict(r) for r in result.removed)
            removed.extend(removal_dict(r) for r in result.flagged)
        # after cleaning (no URL of removed boilerplate is counted), before the summary and
        # the Markdown (both read the rewritten tree)
        urls = UrlCounts()
        if self.rewriter is not None:
            urls = self.rewriter.rewrite_tree(doc.root, page=item.link if item is not None else "")
        summary = None
        marker = doc.more_marker()
        if marker is not None and self.options.more != MorePolicy.KEEP:
            if self.options.more == MorePolicy.SUMMARY:
                cut = doc.cut_at_more()
                summary = self.writer.write(cut.root).strip() or None
            remove_more_marker(marker, doc.root)
        return Body(
            markdown=self.writer.write(doc.root),
            summary=summary,
            warnings=warnings,
            removed=removed,
            unknown_shortcodes=dict(rendered.unknown_shortcodes),
            builder_elements=dict(rendered.builder_elements),
            urls=urls,
        )


def convert_content(
    content: str,
    *,
    item: Item | None = None,
    index: Index | None = None,
    options: ConvertOptions | None = None,
) -> Body:
    """Render, clean and convert one post body (as stored in ``post_content``) to Markdown."""
    return ContentPipeline(options).run(content, item=item, index=index)
