"""Options of a conversion, validated in one place; closed sets of choices as enums.

Configuration has one route: the defaults here, then the caller's keywords
(the CLI's flags have the same names). :meth:`ConvertOptions.validate`
collects every problem before it fails. The command line builds its
``click.Choice`` lists from these enums, so a new choice is added here once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from wpmigrate.errors import UsageError
from wpmigrate.layouts import LAYOUTS
from wpmigrate.wordpress.post_types import INTERNAL_TYPES

__all__ = [
    "CommentsPolicy",
    "ConvertOptions",
    "FrontMatterFormat",
    "LayoutName",
    "MediaPolicy",
    "MorePolicy",
    "ShortcodePolicy",
    "UrlPolicy",
    "choices",
    "default_jobs",
    "parse_field_map",
    "RedirectsFormat",
]


class ShortcodePolicy(StrEnum):
    """What becomes of a shortcode no handler knows (a plugin's)."""

    KEEP = "keep"  # exactly as written: nothing is lost
    DROP = "drop"  # the tags go, the text an enclosing one wraps stays
    COMMENT = "comment"  # the tags become HTML comments


class MorePolicy(StrEnum):
    """What becomes of ``<!--more-->``."""

    SUMMARY = "summary"  # the text before it becomes the summary field; the marker goes
    KEEP = "keep"  # the marker stays on its own line (Hugo's and Jekyll's summary divider)
    DROP = "drop"  # the marker goes


class LayoutName(StrEnum):
    """Which static site generator's conventions the output follows (:mod:`wpmigrate.layouts`)."""

    PLAIN = "plain"  # posts/, pages/, <type>/: wpmigrate's own
    HUGO = "hugo"
    JEKYLL = "jekyll"
    ELEVENTY = "eleventy"
    ASTRO = "astro"


class UrlPolicy(StrEnum):
    """Which URL a written item gets from its generator."""

    KEEP = "keep"  # its old URL path, as the generator expresses it
    GENERATOR = "generator"  # the generator's own (Hugo adds the old one as an alias)


class CommentsPolicy(StrEnum):
    """Where an item's approved comments are written (:mod:`wpmigrate.comments`)."""

    NONE = "none"  # nowhere
    DATA = "data"  # a data file per item in the layout's data folder
    FRONT_MATTER = "front-matter"  # a ``comments`` list in the item's front matter


class MediaPolicy(StrEnum):
    """What becomes of the site's media files (:mod:`wpmigrate.media`)."""

    KEEP = "keep"  # every reference keeps its old URL
    COPY = "copy"  # copied from --uploads into the output, references point at the copies
    DOWNLOAD = "download"  # fetched from the site's own hosts (or copied from --uploads when there)


class RedirectsFormat(StrEnum):
    """The formats ``--redirects`` writes (:mod:`wpmigrate.links.redirects`)."""

    NETLIFY = "netlify"  # _redirects (Netlify, Cloudflare Pages)
    NGINX = "nginx"  # a map to include in the http block
    APACHE = "apache"  # mod_rewrite rules (.htaccess)
    CADDY = "caddy"  # redir directives to import in a site block
    CSV = "csv"
    JSON = "json"


class FrontMatterFormat(StrEnum):
    """How the front matter is written."""

    YAML = "yaml"  # --- … ---
    TOML = "toml"  # +++ … +++
    JSON = "json"  # { … }


def parse_field_map(text: str | tuple[str, ...] | dict[str, str] | None) -> dict[str, str]:
    """``cover_image=featured_image,excerpt=description`` as a dict; a :class:`UsageError` when malformed."""
    if text is None:
        return {}
    if isinstance(text, dict):
        pairs = list(text.items())
    else:
        parts = [text] if isinstance(text, str) else list(text)
        pairs = []
        for part in (p.strip() for chunk in parts for p in chunk.split(",")):
            if not part:
                continue
            old, sep, new = part.partition("=")
            if not sep or not old.strip() or not new.strip():
                raise UsageError(f"field-map: {part!r} is not OLD=NEW")
            pairs.append((old.strip(), new.strip()))
    mapping: dict[str, str] = {}
    for old, new in pairs:
        if old in mapping:
            raise UsageError(f"field-map: {old!r} is renamed twice")
        mapping[old] = new
    return mapping


def choices(enum: type[StrEnum]) -> list[str]:
    """The values of an enum, in declaration order (for ``click.Choice`` and messages)."""
    return [member.value for member in enum]


def coerce(enum: type[StrEnum], value: object, name: str) -> StrEnum:
    """``value`` as a member of ``enum``; a :class:`UsageError` naming the option otherwise."""
    try:
        return enum(value)
    except ValueError:
        raise UsageError(f"{name} must be one of {', '.join(choices(enum))}, not {value!r}") from None


def default_jobs() -> int:
    """Worker processes when none are asked for: every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ConvertOptions:
    """Options of :func:`wpmigrate.convert`; the CLI flags have the same names."""

    types: tuple[str, ...] | None = None  # None: posts, pages and custom post types
    drafts: bool = False
    private: bool = False
    protected: bool = False
    dry_run: bool = False
    force: bool = False
    clean: bool = True
    profiles: tuple[str, ...] | None = None  # None: every bundled profile
    shortcodes: ShortcodePolicy = ShortcodePolicy.KEEP
    more: MorePolicy = MorePolicy.SUMMARY
    jobs: int | None = None  # None: every core; 1: in this process
    layout: LayoutName = LayoutName.PLAIN
    urls: UrlPolicy = UrlPolicy.KEEP
    front_matter: FrontMatterFormat = FrontMatterFormat.YAML
    field_map: tuple[tuple[str, str], ...] = ()  # (key as written by the layout, key to write)
    fields: tuple[str, ...] | None = None  # None: every key; else only these, in this order
    comments: CommentsPolicy = CommentsPolicy.NONE
    pingbacks: bool = False  # with comments: pingbacks and trackbacks too
    media: MediaPolicy = MediaPolicy.KEEP
    uploads: str | None = None  # a copy of the site's wp-content/uploads
    media_host: tuple[str, ...] = ()  # hosts serving the site's media besides its own (a CDN)
    redirects: str | None = None  # the redirects file to write (None: none)
    redirects_format: RedirectsFormat | None = None  # None: from the file's name

    def validate(self) -> ConvertOptions:
        """The options with choices coerced to their enums; every problem in one :class:`UsageError`."""
        problems = []
        shortcodes, more = self.shortcodes, self.more
        try:
            shortcodes = coerce(ShortcodePolicy, self.shortcodes, "shortcodes")
        except UsageError as exc:
            problems.append(str(exc))
        try:
            more = coerce(MorePolicy, self.more, "more")
        except UsageError as exc:
            problems.append(str(exc))
        coerced = {}
        try:
            comments = coerce(CommentsPolicy, self.comments, "comments")
        except UsageError as exc:
            problems.append(str(exc))
            comments = CommentsPolicy.NONE
        if self.pingbacks and comments == CommentsPolicy.NONE:
            problems.append("pingbacks: only with comments")
        try:
            media = coerce(MediaPolicy, self.media, "media")
        except UsageError as exc:
            problems.append(str(exc))
            media = MediaPolicy.KEEP
        if media == MediaPolicy.COPY and self.uploads is None:
            problems.append("media copy needs --uploads DIR (a copy of the site's wp-content/uploads)")
        if self.uploads is not None and media == MediaPolicy.KEEP:
            problems.append("uploads: only with --media copy or --media download")
        if self.uploads is not None and not os.path.isdir(self.uploads):
            problems.append(f"uploads: {self.uploads} is not a folder")
        if self.media_host and media == MediaPolicy.KEEP:
            problems.append("media-host: only with --media copy or --media download")
        hosts = []
        for host in self.media_host:
            name = media_host_name(host)
            if name is None:
                problems.append(f"media-host: {host!r} is not a host name")
            else:
                hosts.append(name)
        for name, enum in (("layout", LayoutName), ("urls", UrlPolicy), ("front_matter", FrontMatterFormat)):
            try:
                coerced[name] = coerce(enum, getattr(self, name), name.replace("_", "-"))
            except UsageError as exc:
                problems.append(str(exc))
        if len(coerced) == 3:
            layout, fmt = coerced["layout"], coerced["front_matter"]
            readable = LAYOUTS[layout].front_matter_formats
            if fmt not in readable:
                problems.append(f"front-matter {fmt} is not read by {layout}: use {', '.join(readable)}")
        targets = [new for _, new in self.field_map]
        twice = sorted({t for t in targets if targets.count(t) > 1})
        if twice:
            problems.append(f"field-map: {', '.join(twice)} would be written twice")
        if self.fields is not None and not self.fields:
            problems.append("fields is empty")
        redirects_format = None
        if self.redirects is not None:
            from wpmigrate.links.redirects import format_for

            try:
                redirects_format = format_for(self.redirects, self.redirects_format)
            except UsageError as exc:
                problems.append(str(exc))
        elif self.redirects_format is not None:
            problems.append("redirects-format: only with redirects")
        if self.types is not None:
            bad = [t for t in self.types if t in INTERNAL_TYPES]
            if bad:
                problems.append(f"types {', '.join(bad)} are internal and cannot be written")
            if not self.types:
                problems.append("types is empty")
        if self.jobs is not None and (not isinstance(self.jobs, int) or isinstance(self.jobs, bool) or self.jobs < 1):
            problems.append(f"jobs must be a whole number of at least 1, not {self.jobs!r}")
        if problems:
            raise UsageError("; ".join(problems))
        return ConvertOptions(
            self.types,
            self.drafts,
            self.private,
            self.protected,
            self.dry_run,
            self.force,
            self.clean,
            self.profiles,
            shortcodes,
            more,
            self.jobs,
            coerced.get("layout", LayoutName.PLAIN),
            coerced.get("urls", UrlPolicy.KEEP),
            coerced.get("front_matter", FrontMatterFormat.YAML),
            self.field_map,
            self.fields,
            comments,
            self.pingbacks,
            media,
            self.uploads,
            tuple(dict.fromkeys(hosts)),
            self.redirects,
            redirects_format,
        )


def media_host_name(text: str) -> str | None:
    """``cdn.example.org`` from ``cdn.example.org``, ``https://cdn.example.org/`` or
    ``//cdn.example.org`` (lower case, IDN as ASCII); None when it is no host name."""
    value = text.strip()
    parts = urlsplit(value if "//" in value else "//" + value)
    try:
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not host or parts.path.strip("/") or parts.query or parts.username is not None:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if not _HOST.fullmatch(host):
        return None
    return f"{host}:{port}" if port is not None else host


_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|[0-9a-f:.]+")
