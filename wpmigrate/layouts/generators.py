"""The layouts of Hugo, Jekyll, Eleventy and Astro, each after its generator's own conventions.

Every layout writes each item where its generator looks for it, under the keys
its generator (and the generator's own templates) read, marks drafts so the
default build leaves them out, and writes the old URL path the way the
generator takes it. The starter files (templates) are package data in
``starters/<layout>/``; the configs are built here from the export.
"""

from __future__ import annotations

import json
import string
import unicodedata
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

import tomli_w
import yaml

from wpmigrate.layouts.base import Layout, PlaceRequest, SiteFacts, Starter, folder_url, renamed, starter_file

__all__ = ["Astro", "Eleventy", "Hugo", "Jekyll", "hugo_path"]


def _base_url(site: SiteFacts) -> str:
    return site.base_url.rstrip("/") + "/" if site.base_url else "/"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _allowed_in_hugo_path(s: str, i: int, ch: str) -> bool:
    if ch.isalnum() or unicodedata.category(ch).startswith(("L", "N", "M")):
        return True
    if ch in "./\\_#+~-@":
        return True
    return ch == "%" and i + 2 < len(s) and all(c in string.hexdigits for c in s[i + 1 : i + 3])


def hugo_path(name: str) -> str:
    """The path segment Hugo makes of a term's name with ``disablePathToLower``, as its
    ``paths.Sanitize`` does: letters, digits, marks and ``._/\\#+~-@`` are kept, a run of
    white space becomes one ``-`` (none at the start, none after a ``-``), anything else
    goes (``C++ & Co`` → ``C++-Co``)."""
    out: list[str] = []
    hyphen = was_hyphen = False
    for i, ch in enumerate(name):
        if ch != " " and _allowed_in_hugo_path(name, i, ch):
            was_hyphen = ch == "-"
            if hyphen:
                if not was_hyphen:
                    out.append("-")
                hyphen = False
            out.append(ch)
        elif out and not was_hyphen and ch.isspace():
            hyphen = True
    return "".join(out)


class Hugo(Layout):
    """``content/posts/``, pages nested right under ``content/`` (a page with children is
    its section's ``_index.md``), custom types as sections; keys as Hugo's internal
    templates read them; ``url`` keeps the old URL (``--urls generator``: ``aliases``)."""

    name = "hugo"
    draft_keys = ("draft",)
    root = PurePosixPath("content")
    page_root = ""
    reserved_names = frozenset({"index", "_index"})  # Hugo's bundle and section files
    keeps_urls = True
    # static/ rather than page bundles: a file referenced by several posts is one file, and
    # a post need not become a folder (content/posts/x/index.md) to hold its images
    media_folder = PurePosixPath("static/uploads")
    media_url_root = "/uploads/"
    _keys = {"updated": "lastmod", "excerpt": "description", "type": "wp_type"}

    def page_folder(self, chain: list[str]) -> PurePosixPath:
        return self.root.joinpath(*chain)

    def file_path(self, key: PurePosixPath, req: PlaceRequest) -> PurePosixPath:
        if req.type == "page" and req.has_children:
            return key.with_suffix("") / "_index.md"
        return key

    def folder_keys(self, folder: PurePosixPath) -> list[str]:
        # a top-level folder is a section with its own list page: no page may share its name
        return [str(folder.with_suffix(".md"))] if folder.parent == self.root else []

    def default_url(self, path: PurePosixPath) -> str | None:
        if path.name == "_index.md":
            path = path.parent.with_suffix(".md")
        return folder_url(path, self.root)

    def term_url(self, key: str, name: str) -> str | None:
        # the starter declares every taxonomy written (categories, tags, custom ones);
        # Hugo builds a page for each term that published content carries
        path = hugo_path(name)
        return f"/{key}/{path}/" if path else None

    def reserved_urls(self, folder: PurePosixPath | None = None, taxonomy: str | None = None) -> list[str]:
        if folder is not None:
            return [folder_url(folder.with_suffix(".md"), self.root)] if folder.parent == self.root else []
        if taxonomy is not None:
            return [f"/{taxonomy}/"]
        return ["/"]

    def front_matter(
        self,
        fields: dict[str, Any],
        path: PurePosixPath,
        url: str | None,
        old_url: str | None,
        old_paths: Sequence[str] = (),
    ) -> dict[str, Any]:
        out = renamed(fields, self._keys)
        if "cover_image" in out:
            out = renamed(out, {"cover_image": "images"})
            out["images"] = _list(out["images"])
        built = url if url is not None else self.default_url(path)
        if url is not None:
            out["url"] = url
        # Hugo writes a redirecting page at each alias (a path, below the base URL)
        aliases = [p for p in dict.fromkeys((old_url, *old_paths)) if p is not None and p != built]
        if aliases:
            out["aliases"] = aliases
        if out.get("noindex"):
            # out of the sitemap: Hugo 0.125 and later read sitemap.disable; before, a page only
            # in its section's lists (not the site's) is left out of sitemap.xml
            out["sitemap"] = {"disable": True}
            out["_build"] = {"list": "local"}
        return out

    def starter(self, site: SiteFacts) -> Starter:
        taxonomies = {"category": "categories", "tag": "tags"}
        taxonomies.update((t, t) for t in site.taxonomies)
        config: dict[str, Any] = {"baseURL": _base_url(site), "title": site.title or "Site"}
        if site.language:
            config["languageCode"] = site.language
        if site.time_zone:
            config["timeZone"] = site.time_zone
        config["disablePathToLower"] = True  # old URLs keep their case
        config["taxonomies"] = taxonomies
        config["markup"] = {"goldmark": {"renderer": {"unsafe": True}}}  # raw HTML pieces of posts stay
        hint = tomli_w.dumps({"disablePathToLower": True, "taxonomies": taxonomies, "markup": config["markup"]})
        files = {"hugo.toml": tomli_w.dumps(config)}
        for name in ("baseof", "single", "list"):
            rel = f"layouts/_default/{name}.html"
            files[rel] = starter_file(self.name, rel)
        return Starter("hugo.toml", ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml"), files, hint)


#: folder names Jekyll gives a meaning of its own; a collection may not take them
_JEKYLL_FOLDERS = {"posts", "drafts", "data", "layouts", "includes", "sass", "site", "plugins", "pages", "config"}


class Jekyll(Layout):
    """``_posts/YYYY-MM-DD-slug.md``, pages as files with ``permalink`` under ``pages/``,
    custom types as collections (``_rezept/``, declared in ``_config.yml``); drafts
    ``published: false``; Liquid off in the items (their text is no template)."""

    name = "jekyll"
    starter_home = True
    data_folder = "_data"
    media_folder = PurePosixPath("assets/uploads")  # copied to _site/ as it is
    media_url_root = "/assets/uploads/"
    draft_keys = ("published",)
    front_matter_formats = ("yaml",)
    keeps_urls = True
    # Jekyll gives every document an "id" of its own (its URL), which hides a front-matter "id"
    _keys = {"updated": "last_modified_at", "cover_image": "image", "type": "wp_type", "id": "wp_id"}

    def type_folder(self, folder: str) -> PurePosixPath:
        if folder == "posts":
            return PurePosixPath("_posts")
        return PurePosixPath("_" + (f"type-{folder}" if folder in _JEKYLL_FOLDERS else folder))

    def file_path(self, key: PurePosixPath, req: PlaceRequest) -> PurePosixPath:
        if key.parent == PurePosixPath("_posts"):
            day = req.date.strftime("%Y-%m-%d") if req.date is not None else "1970-01-01"
            return key.parent / f"{day}-{key.name}"
        return key

    def default_url(self, path: PurePosixPath) -> str | None:
        if path.parts[0] == "_posts":
            day, name = path.stem[:10], path.stem[11:]
            return "/" + day.replace("-", "/") + f"/{name}/"
        if path.parts[0] == self.page_root:
            return folder_url(path, PurePosixPath(), drop=self.page_root)
        return "/" + path.parts[0][1:] + folder_url(PurePosixPath(*path.parts[1:]), PurePosixPath())

    def front_matter(
        self,
        fields: dict[str, Any],
        path: PurePosixPath,
        url: str | None,
        old_url: str | None,
        old_paths: Sequence[str] = (),
    ) -> dict[str, Any]:
        out = renamed(fields, self._keys)
        if out.pop("draft", False):
            out["published"] = False
        out["permalink"] = url or self.default_url(path)  # explicit: no category paths, no .html
        out["render_with_liquid"] = False
        if out.get("noindex"):
            out["sitemap"] = False  # jekyll-sitemap leaves the page out
        return out

    def starter(self, site: SiteFacts) -> Starter:
        collections = {
            self.type_folder(folder).name[1:]: {"output": True, "permalink": f"/{folder}/:name/"}
            for post_type, folder in site.types
            if post_type not in ("post", "page")
        }
        config: dict[str, Any] = {"title": site.title or "Site", "url": _base_url(site).rstrip("/")}
        if site.language:
            config["lang"] = site.language
        if site.time_zone:
            config["timezone"] = site.time_zone
        config["markdown"] = "kramdown"
        config["permalink"] = "/:year/:month/:day/:title/"  # no category paths in post URLs
        if collections:
            config["collections"] = collections
        config["defaults"] = [
            {"scope": {"path": ""}, "values": {"layout": "page"}},
            {"scope": {"path": "", "type": "posts"}, "values": {"layout": "post"}},
        ] + [{"scope": {"path": "", "type": name}, "values": {"layout": "post"}} for name in collections]
        hint_keys = {k: config[k] for k in ("permalink", "collections") if k in config}
        files = {"_config.yml": yaml.safe_dump(config, sort_keys=False, allow_unicode=True)}
        for rel in (
            "_layouts/default.html",
            "_layouts/post.html",
            "_layouts/page.html",
            "_includes/comments.html",
            "index.html",
        ):
            files[rel] = starter_file(self.name, rel)
        hint = yaml.safe_dump(hint_keys, sort_keys=False, allow_unicode=True)
        return Starter("_config.yml", ("_config.yml", "_config.yaml", "_config.toml"), files, hint)


class Eleventy(Layout):
    """One folder per type (``posts/``, ``pages/…``, ``rezept/``), ``permalink`` keeps the old
    URL, ``tags`` make Eleventy's collections; drafts get ``permalink: false`` and
    ``eleventyExcludeFromCollections: true`` (never built, never listed)."""

    name = "eleventy"
    starter_home = True
    data_folder = "_data"
    draft_keys = ("permalink", "eleventyExcludeFromCollections")
    front_matter_formats = ("yaml", "json")
    json_fence = "---json"
    media_folder = PurePosixPath("uploads")  # copied as it is (addPassthroughCopy in the starter)
    media_url_root = "/uploads/"
    reserved_names = frozenset({"index"})  # posts/index.md would be /posts/, the folder's own URL
    keeps_urls = True
    _keys = {"excerpt": "description", "cover_image": "image", "type": "wp_type"}

    def default_url(self, path: PurePosixPath) -> str | None:
        return folder_url(path, PurePosixPath())

    def front_matter(
        self,
        fields: dict[str, Any],
        path: PurePosixPath,
        url: str | None,
        old_url: str | None,
        old_paths: Sequence[str] = (),
    ) -> dict[str, Any]:
        out = renamed(fields, self._keys)
        if out.pop("draft", False):
            out["permalink"] = False
            out["eleventyExcludeFromCollections"] = True
        elif url is not None:
            out["permalink"] = url
        return out

    def starter(self, site: SiteFacts) -> Starter:
        data = {"title": site.title or "Site", "url": _base_url(site), "language": site.language or "en"}
        config = starter_file(self.name, "eleventy.config.js").replace(
            "SITE_DATA", json.dumps(data, ensure_ascii=False)
        )
        passthrough = f'  eleventyConfig.addPassthroughCopy("{self.media_folder}");\n' if site.media else ""
        config = config.replace("  // MEDIA\n", passthrough)
        files = {
            "eleventy.config.js": config,
            "_includes/base.njk": starter_file(self.name, "_includes/base.njk"),
            "index.njk": starter_file(self.name, "index.njk"),
        }
        hint = (
            'eleventyConfig.addGlobalData("layout", "base.njk");\n'
            + (f'eleventyConfig.addPassthroughCopy("{self.media_folder}");\n' if site.media else "")
            + "// and in the returned options: markdownTemplateEngine: false\n"
        )
        return Starter(
            "eleventy.config.js",
            ("eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", ".eleventy.js"),
            files,
            hint,
        )


#: the front-matter keys of ``src/content.config.ts``'s schema, and the types it accepts
ASTRO_SCHEMA: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "pubDate": (str, object),
    "updatedDate": (str, object),
    "description": (str,),
    "heroImage": (str,),
    "tags": (list,),
    "draft": (bool,),
    "permalink": (str,),
    "seo_title": (str,),
    "canonical": (str,),
    "noindex": (bool,),
}


class Astro(Layout):
    """A content collection per type under ``src/content/``; front matter as the schema of
    ``src/content.config.ts`` (written when missing) reads it; ``permalink`` is the route
    the starter's catch-all page builds, so the old URL stays."""

    name = "astro"
    starter_home = True
    data_folder = "src/data"
    draft_keys = ("draft",)
    front_matter_formats = ("yaml",)
    root = PurePosixPath("src/content")
    keeps_urls = True
    # public/ rather than src/assets/: Markdown images in src/assets would have to be
    # relative imports, and heroImage is a string in the starter's schema
    media_folder = PurePosixPath("public/uploads")
    media_url_root = "/uploads/"
    _keys = {
        "date": "pubDate",
        "updated": "updatedDate",
        "excerpt": "description",
        "cover_image": "heroImage",
        "type": "wp_type",
        "slug": "wp_file_slug",
    }

    def default_url(self, path: PurePosixPath) -> str | None:
        return folder_url(path, self.root)

    def front_matter(
        self,
        fields: dict[str, Any],
        path: PurePosixPath,
        url: str | None,
        old_url: str | None,
        old_paths: Sequence[str] = (),
    ) -> dict[str, Any]:
        # Astro's glob loader takes a front-matter "slug" as the entry's id; the id is the
        # file's path, unique by construction, so the slug is kept under another name
        out = renamed(fields, self._keys)
        out.pop("wp_file_slug", None)
        out["draft"] = bool(out.get("draft", False))
        if url is not None:
            out["permalink"] = url
        return out

    def starter(self, site: SiteFacts) -> Starter:
        names = [folder for _, folder in site.types]
        collections = "\n".join(
            f'  {json.dumps(n)}: defineCollection({{ loader: glob({{ pattern: "**/*.md", '
            f"base: {json.dumps('./src/content/' + n)} }}), schema }}),"
            for n in names
        )
        schema = starter_file(self.name, "src/content.config.ts").replace("COLLECTIONS", collections)
        page = starter_file(self.name, "src/pages/[...path].astro").replace("NAMES", json.dumps(names))
        config = starter_file(self.name, "astro.config.mjs").replace("SITE_URL", json.dumps(_base_url(site)))
        files = {
            "astro.config.mjs": config,
            "src/content.config.ts": schema,
            "src/pages/[...path].astro": page,
            "src/pages/index.astro": starter_file(self.name, "src/pages/index.astro")
            .replace("NAMES", json.dumps(names))
            .replace("TITLE", json.dumps(site.title or "Site", ensure_ascii=False)),
            "src/layouts/Base.astro": starter_file(self.name, "src/layouts/Base.astro"),
            "src/layouts/Comments.astro": starter_file(self.name, "src/layouts/Comments.astro"),
        }
        return Starter("astro.config.mjs", ("astro.config.mjs", "astro.config.ts", "astro.config.js"), files, schema)
