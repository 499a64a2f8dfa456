"""Redirects from the old site's URLs to the new ones, in the format of a server or host.

The first pass filed every old URL that now leads somewhere else
(:mod:`wpmigrate.links.plan`): permalinks that changed, ``?p=ID`` and
``?page_id=ID``, old slugs (``_wp_old_slug``), attachment pages (to the file),
term archives that moved. They are written in source order, one format each:

* ``netlify``: a ``_redirects`` file (Netlify; Cloudflare Pages reads its path lines
  and ignores the query lines, which it cannot match);
* ``nginx``: a ``map`` over ``$uri?$args`` to include in the ``http`` block, with the
  one ``if``/``return`` line its header gives for the ``server`` block;
* ``apache``: ``mod_rewrite`` rules for ``.htaccess`` or a ``<VirtualHost>``;
* ``caddy``: ``redir`` directives (named matchers for the query ones) to ``import``
  in a site block;
* ``csv`` and ``json``: the list itself (``from``, ``to``, ``status``, ``kind``).

Sources are paths below the host as the old site spelled them (decoded, with the
site's base path); each format escapes what it must: percent-encoding where the
format matches the raw request, regular-expression metacharacters for nginx and
Apache, quotes and placeholders (``:name``, ``*``, ``$1``, ``%1``, ``{…}``) where
the format gives them a meaning.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from wpmigrate.errors import OutputError, UsageError, write_failure
from wpmigrate.links.chain import build_rewriter
from wpmigrate.links.rewrite import UrlKind
from wpmigrate.media.resolve import MediaResolver
from wpmigrate.model import Site, TargetKind
from wpmigrate.options import ConvertOptions, RedirectsFormat
from wpmigrate.store import Store
from wpmigrate.write import Journal, OutputFolder, atomic_write_stream, sha256

__all__ = ["Redirect", "RedirectsFormat", "format_for", "render_redirects", "write_redirects"]

STATUS = 301
HEADER = "Redirects from the old WordPress site to the new one, written by wpmigrate."


@dataclass(frozen=True, slots=True)
class Redirect:
    """One old URL and where it leads: ``path`` decoded (``/2019/06/porto-reise/``),
    ``query`` the one argument WordPress routed by (``("p", "12")``) or None,
    ``target`` the new URL (a path from the new site's root, or a file's URL)."""

    path: str
    query: tuple[str, str] | None
    target: str
    kind: TargetKind = TargetKind.PAGE

    @classmethod
    def of(cls, source: str, target: str, kind: TargetKind = TargetKind.PAGE) -> Redirect:
        path, sep, query = source.partition("?")
        arg = None
        if sep:
            key, _, value = query.partition("=")
            arg = (key, value)
        return cls(path or "/", arg, target, kind)

    @property
    def source(self) -> str:
        return self.path + (f"?{self.query[0]}={self.query[1]}" if self.query else "")


def format_for(path: str | os.PathLike[str], given: str | None) -> RedirectsFormat:
    """The format asked for, else the one the file's name says; a :class:`UsageError` when neither."""
    if given:
        try:
            return RedirectsFormat(given)
        except ValueError:
            names = ", ".join(f.value for f in RedirectsFormat)
            raise UsageError(f"redirects-format must be one of {names}, not {given!r}") from None
    name = Path(path).name.lower()
    for test, fmt in (
        (lambda n: n == "_redirects", RedirectsFormat.NETLIFY),
        (lambda n: n == ".htaccess" or n.endswith((".htaccess", ".apache")), RedirectsFormat.APACHE),
        (lambda n: n.endswith((".conf", ".nginx")) or "nginx" in n, RedirectsFormat.NGINX),
        (lambda n: n == "caddyfile" or n.endswith((".caddy", ".caddyfile")), RedirectsFormat.CADDY),
        (lambda n: n.endswith(".csv"), RedirectsFormat.CSV),
        (lambda n: n.endswith(".json"), RedirectsFormat.JSON),
    ):
        if test(name):
            return fmt
    raise UsageError(
        f"redirects: cannot tell the format from the name {Path(path).name!r}; "
        "use --redirects-format netlify|nginx|apache|caddy|csv|json",
        path=path,
    )


# --- escaping ---------------------------------------------------------------------------

# what a path keeps as it is when percent-encoded: RFC 3986 pchar without ":" (a Netlify
# placeholder), "*" (a splat or wildcard), "$" (an nginx variable) and "%" itself
_PATH_SAFE = "/-._~!&'()+,;=@"


def encoded_path(path: str) -> str:
    """A decoded path, percent-encoded (``/über uns/`` → ``/%C3%BCber%20uns/``)."""
    return quote(path, safe=_PATH_SAFE)


def encoded_url(url: str) -> str:
    """A target URL with its path percent-encoded (scheme, host, query and fragment kept)."""
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme, parts.netloc, encoded_path(parts.path), quote(parts.query, safe="=&+%"), parts.fragment)
    )


_PCRE_SPECIAL = re.compile(r"([\\^$.|?*+()\[\]{} #])")


def pcre_literal(text: str) -> str:
    """``text`` matched literally by PCRE (nginx, Apache)."""
    return _PCRE_SPECIAL.sub(r"\\\1", text)


def _nginx_string(value: str) -> str:
    # nginx's configuration parser turns \\ into \ and \" into " in a quoted string
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _apache_string(value: str) -> str:
    # Apache's ap_getword_conf() unescapes only the quote character inside quotes
    return '"' + value.replace('"', '\\"') + '"'


def _caddy_token(value: str) -> str:
    if re.search(r'[\s"{}]', value) or not value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


# --- the formats ------------------------------------------------------------------------


def _netlify(redirects: list[Redirect]) -> str:
    lines = [f"# {HEADER}", "# Netlify reads the query lines (`/ p=12`); Cloudflare Pages ignores them."]
    for r in redirects:
        src = encoded_path(r.path)
        if r.query:
            src += f"  {quote(r.query[0], safe='')}={quote(r.query[1], safe='')}"
        lines.append(f"{src}  {encoded_url(r.target)}  {STATUS}")
    return "\n".join(lines) + "\n"


def _query_regex(key: str, value: str) -> str:
    return r"(?:^|&)" + pcre_literal(key) + "=" + pcre_literal(value) + r"(?:&|$)"


def _nginx(redirects: list[Redirect]) -> str:
    lines = [
        f"# {HEADER}",
        "# Include this file in the http {} block; in the site's server {} block add:",
        "#     if ($wpmigrate_redirect) { return 301 $wpmigrate_redirect; }",
        "# $uri is the decoded, normalised path; $args the query string as sent.",
        'map "$uri?$args" $wpmigrate_redirect {',
        '    default "";',
    ]
    for r in redirects:
        if r.query:
            key, value = (pcre_literal(part) for part in r.query)
            regex = "~^" + pcre_literal(r.path) + r"(?:index\.php)?\?(?:.*&)?" + key + "=" + value + "(?:&|$)"
        else:
            regex = "~^" + pcre_literal(r.path) + r"\?"
        # "$" in a value would be read as a variable: the target is percent-encoded
        lines.append(f"    {_nginx_string(regex)} {_nginx_string(encoded_url(r.target))};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _apache_target(url: str) -> str:
    # in a substitution $N and %N are back-references; [NE] keeps the percent-encoding
    return encoded_url(url).replace("\\", "\\\\").replace("$", "\\$").replace("%", "\\%")


def _apache(redirects: list[Redirect]) -> str:
    lines = [
        f"# {HEADER}",
        "# mod_rewrite rules for the site's .htaccess or its <VirtualHost>; the patterns match",
        "# the decoded path with or without its leading slash, so they work in both.",
        "RewriteEngine On",
    ]
    for r in redirects:
        path = pcre_literal(r.path.lstrip("/"))
        if r.query:
            lines.append(f"RewriteCond %{{QUERY_STRING}} {_apache_string(_query_regex(*r.query))}")
            pattern = "^/?" + path + r"(?:index\.php)?$"
            flags = f"[R={STATUS},L,NE,QSD]"
        else:
            pattern = "^/?" + path + "$"
            flags = f"[R={STATUS},L,NE]"
        lines.append(f"RewriteRule {_apache_string(pattern)} {_apache_string(_apache_target(r.target))} {flags}")
    return "\n".join(lines) + "\n"


def _caddy_path(path: str) -> str:
    # a path matcher reads "*" as a wildcard and matches the escaped form of the request
    # when the pattern holds %xx: such paths are written percent-encoded
    if any(c in path for c in "*%{}") or re.search(r"\s", path):
        return encoded_path(path)
    return path


def _caddy(redirects: list[Redirect]) -> str:
    lines = [f"# {HEADER}", "# Import this file inside the site's block: import <this file>"]
    n = 0
    for r in redirects:
        target = _caddy_token(encoded_url(r.target))
        if r.query:
            n += 1
            name = f"@wpmigrate_{n}"
            lines.append(f"{name} {{")
            lines.append(
                f"\tpath {_caddy_token(_caddy_path(r.path))} {_caddy_token(_caddy_path(r.path) + 'index.php')}"
            )
            lines.append(f"\tquery {_caddy_token(r.query[0] + '=' + r.query[1])}")
            lines.append("}")
            lines.append(f"redir {name} {target} permanent")
        else:
            lines.append(f"redir {_caddy_token(_caddy_path(r.path))} {target} permanent")
    return "\n".join(lines) + "\n"


def _csv(redirects: list[Redirect]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["from", "to", "status", "kind"])
    for r in redirects:
        writer.writerow([r.source, r.target, STATUS, r.kind.value])
    return out.getvalue()


def _json(redirects: list[Redirect]) -> str:
    rows = [{"from": r.source, "to": r.target, "status": STATUS, "kind": r.kind.value} for r in redirects]
    return json.dumps(rows, indent=1, ensure_ascii=False) + "\n"


_WRITERS: dict[RedirectsFormat, Callable[[list[Redirect]], str]] = {
    RedirectsFormat.NETLIFY: _netlify,
    RedirectsFormat.NGINX: _nginx,
    RedirectsFormat.APACHE: _apache,
    RedirectsFormat.CADDY: _caddy,
    RedirectsFormat.CSV: _csv,
    RedirectsFormat.JSON: _json,
}


def render_redirects(redirects: Iterable[Redirect], fmt: RedirectsFormat | str) -> str:
    """The text of a redirects file (in the order given)."""
    return _WRITERS[RedirectsFormat(fmt)](list(redirects))


def write_redirects(
    site: Site,
    options: ConvertOptions,
    store: Store,
    out: Path,
    rel: str | None,
    written: MutableMapping[str, str],
    journal: Journal | None,
    media: MediaResolver | None = None,
) -> dict[str, object]:
    """Write the redirects file of a conversion (``--redirects``) from the first pass's
    table; returns what the report says of it (``file``, ``format``, ``count``).

    Inside the output folder (``rel``, its relative path) it is one of the run's files:
    written atomically, recorded in ``written`` (the manifest) and the journal.
    Elsewhere it is written atomically, like the report. A file's target goes through
    the resolver chain, so media moved by a resolver are redirected to their new place;
    a file ``--media`` placed (``media``, the conversion's media resolver) leads to its
    local copy."""
    rewriter = build_rewriter(options, site, store.index())
    entries = []
    for source, target, kind in store.redirects():
        if kind == TargetKind.FILE:
            local = media.placed_url(target, written) if media is not None else None
            res = rewriter.resolve(target, kind=UrlKind.FIELD)
            target = local or (res.url if res.resolved else target)
        entries.append(Redirect.of(source, target, kind))
    assert options.redirects is not None
    fmt = options.redirects_format or format_for(options.redirects, None)
    text = render_redirects(entries, fmt)
    summary: dict[str, object] = {"file": options.redirects, "format": fmt.value, "count": len(entries)}
    if options.dry_run:
        return summary
    if rel is not None:
        OutputFolder(out).write_text(rel, text)
        sha = sha256(text.encode("utf-8"))
        written[rel] = sha
        if journal is not None:
            journal.wrote(rel, sha, None)
        return summary
    try:
        atomic_write_stream(options.redirects, lambda fh: fh.write(text))
    except OSError as exc:
        raise OutputError(f"cannot write the redirects: {write_failure(exc)}", path=options.redirects) from None
    return summary
