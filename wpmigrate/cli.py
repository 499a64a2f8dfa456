"""The ``wpmigrate`` command line: a thin layer over the library.

Each command builds options, calls one public library function, prints the
result and sets the exit code. Library errors (``WpmigrateError``) are turned
into one clean message and an exit code here, in :func:`main`, and nowhere else.
"""

from __future__ import annotations

import os
import sys

import click

from wpmigrate.errors import UsageError, WpmigrateError
from wpmigrate.options import (
    FrontMatterFormat,
    LayoutName,
    MediaPolicy,
    MorePolicy,
    RedirectsFormat,
    ShortcodePolicy,
    UrlPolicy,
    choices,
)


def _jobs_option(verb: str):
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        metavar="N",
        help=f"Worker processes (default: every core; 1 {verb} in this process). The output is the same.",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wpmigrate")
def cli() -> None:
    """Get a site out of WordPress cleanly: export → Markdown, boilerplate removed."""


# --- commands -----------------------------------------------------------------
# Each command lives in its own block below; keep bodies short (STYLE.md §1).


def _split_types(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...] | None:
    names = tuple(t.strip() for v in value for t in v.split(",") if t.strip())
    return names or None


@cli.command()
@click.argument("export", type=click.Path(dir_okay=True, path_type=str))
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="Folder to write the site's Markdown into (created if missing).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write a JSON account of every item (what was written, skipped and why) to this file.",
)
@click.option(
    "--types",
    multiple=True,
    callback=_split_types,
    metavar="TYPE[,TYPE…]",
    help="Only these post types (e.g. post,page). Default: posts, pages and custom post types.",
)
@click.option("--drafts", is_flag=True, help="Also write drafts, pending and scheduled posts (marked draft: true).")
@click.option("--private", is_flag=True, help="Also write private posts.")
@click.option("--protected", is_flag=True, help="Also write password-protected posts (the password is never written).")
@click.option(
    "--shortcodes",
    type=click.Choice(choices(ShortcodePolicy)),
    default=ShortcodePolicy.KEEP.value,
    show_default=True,
    help="What to do with shortcodes wpmigrate does not know.",
)
@click.option(
    "--more",
    type=click.Choice(choices(MorePolicy)),
    default=MorePolicy.SUMMARY.value,
    show_default=True,
    help="<!--more-->: text before it as a summary field, keep the marker, or drop it.",
)
@click.option("--no-clean", "no_clean", is_flag=True, help="Do not remove theme and plugin boilerplate.")
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="NAME|PATH.toml",
    help="Cleaning profile (repeatable): a bundled name (only the named ones are used), a TOML file "
    "(added to the bundled ones), or 'none'. Default: every bundled profile.",
)
@click.option("--dry-run", is_flag=True, help="Do everything but write Markdown files.")
@click.option("--force", is_flag=True, help="Overwrite files in the output folder that wpmigrate did not write.")
@_jobs_option("converts")
@click.option(
    "--layout",
    type=click.Choice(choices(LayoutName)),
    default=LayoutName.PLAIN.value,
    show_default=True,
    help="Lay the output out for this generator (folders, front-matter keys, drafts, URLs, starter site).",
)
@click.option(
    "--urls",
    type=click.Choice(choices(UrlPolicy)),
    default=UrlPolicy.KEEP.value,
    show_default=True,
    help="Keep every item's old URL path, or use the generator's own URLs.",
)
@click.option(
    "--front-matter",
    "front_matter",
    type=click.Choice(choices(FrontMatterFormat)),
    default=FrontMatterFormat.YAML.value,
    show_default=True,
    help="Front matter format: YAML (---), TOML (+++) or JSON.",
)
@click.option(
    "--field-map", "field_map", multiple=True, metavar="OLD=NEW[,…]", help="Rename front-matter keys (repeatable)."
)
@click.option(
    "--fields", "fields", multiple=True, metavar="KEY[,KEY…]", help="Write only these front-matter keys, in this order."
)
@click.option(
    "--comments",
    type=click.Choice(["data", "front-matter"]),
    is_flag=False,
    flag_value="data",
    default=None,
    help="Write approved comments: a data file per post (--comments, or --comments=data), "
    "or --comments=front-matter. Never e-mail addresses or IPs.",
)
@click.option("--pingbacks", is_flag=True, help="With --comments: pingbacks and trackbacks too.")
@click.option(
    "--media",
    type=click.Choice(choices(MediaPolicy)),
    default=MediaPolicy.KEEP.value,
    show_default=True,
    help="The site's media files: keep their URLs, copy them from --uploads, or download them "
    "from the site's own hosts; the Markdown points at the copies.",
)
@click.option(
    "--uploads",
    type=click.Path(file_okay=False, exists=True, path_type=str),
    help="A copy of the site's wp-content/uploads (--media copy; with download, files there are not fetched).",
)
@click.option(
    "--media-host",
    "media_host",
    multiple=True,
    metavar="HOST[,HOST…]",
    help="Another host serving the site's media, such as a CDN (repeatable).",
)
@click.option(
    "--redirects",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Write redirects from the old URLs that changed (permalinks, ?p=, ?page_id=, old slugs, "
    "attachment pages, term archives) to FILE.",
)
@click.option(
    "--redirects-format",
    "redirects_format",
    type=click.Choice(choices(RedirectsFormat)),
    default=None,
    help="Format of --redirects (default: from the file name: _redirects, *.conf, .htaccess, "
    "Caddyfile, *.csv, *.json).",
)
def convert(
    export: str,
    out_dir: str,
    report: str | None,
    types: tuple[str, ...] | None,
    drafts: bool,
    private: bool,
    protected: bool,
    shortcodes: str,
    more: str,
    no_clean: bool,
    profiles: tuple[str, ...],
    dry_run: bool,
    force: bool,
    jobs: int | None,
    layout: str,
    urls: str,
    front_matter: str,
    field_map: tuple[str, ...],
    fields: tuple[str, ...],
    comments: str | None,
    pingbacks: bool,
    media: str,
    uploads: str | None,
    media_host: tuple[str, ...],
    redirects: str | None,
    redirects_format: str | None,
) -> None:
    """Convert a WordPress export (WXR file) into Markdown files with front matter."""
    import wpmigrate
    from wpmigrate.stop import orderly_stop

    with _Progress() as progress, _Progress("Media files", 1, after=progress) as media_progress, orderly_stop():
        try:
            result = wpmigrate.convert(
                export,
                out_dir,
                report=report,
                types=types,
                drafts=drafts,
                private=private,
                protected=protected,
                shortcodes=shortcodes,
                more=more,
                clean=not no_clean,
                profiles=profiles or None,
                dry_run=dry_run,
                force=force,
                jobs=jobs,
                layout=layout,
                urls=urls,
                front_matter=front_matter,
                field_map=field_map or None,
                fields=fields or None,
                comments=comments,
                pingbacks=pingbacks,
                media=media,
                uploads=uploads,
                media_host=media_host or None,
                redirects=redirects,
                redirects_format=redirects_format,
                progress=progress,
                media_progress=media_progress,
            )
        except WpmigrateError as exc:
            partial = getattr(exc, "report", None)
            if partial is not None:
                progress.finish()
                media_progress.finish()
                click.echo(partial.format_summary(), err=True)
                unwritten = getattr(exc, "report_unwritten", None)
                if unwritten is not None:
                    # the report's own path failed too: it goes to stderr rather than nowhere
                    click.echo(f"wpmigrate: error: {unwritten}; the report follows", err=True)
                    click.echo(partial.to_json(), err=True, nl=False)
            raise
    click.echo(result.format_summary())


class _Progress:
    """A progress bar on a terminal for long runs; silent otherwise."""

    def __init__(self, label: str = "Converting", at_least: int = 200, after: _Progress | None = None) -> None:
        self._bar = None
        self._done = 0
        self._enabled = sys.stderr.isatty()
        self._label = label
        self._at_least = at_least
        self._after = after  # a bar that ends when this one starts

    def __enter__(self) -> _Progress:
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled or total < self._at_least:
            return
        if self._bar is None:
            if self._after is not None:
                self._after.finish()
            self._bar = click.progressbar(length=total, label=self._label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __exit__(self, *exc: object) -> None:
        self.finish()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str), metavar="PATH...")
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=str),
    help="Folder to mirror the inputs into, as Markdown (.txt and .html become .md); "
    "for a WordPress export, the cleaned export file.",
)
@click.option("--in-place", "in_place", is_flag=True, help="Rewrite each changed file in its own format (atomic).")
@click.option("--backup", metavar="SUFFIX", help="With --in-place: keep the original as FILE+SUFFIX (e.g. .bak).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file would change.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of what would change.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write one JSON line per decision (file, lines, action, rule, profile, reason, text).",
)
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="NAME|PATH.toml",
    help="Cleaning profile to use (repeatable). Default: every bundled profile.",
)
@click.option(
    "--learn",
    type=click.Path(dir_okay=False, path_type=str),
    metavar="OUT.toml",
    help="Propose a site profile from lines repeated outside the article on half of the pages.",
)
@click.option("--html-field", default="html", show_default=True, help="Shards: the field that holds a page's HTML.")
@click.option("--text-field", default="text", show_default=True, help="Shards: the field that holds a page's text.")
@click.option("--url-field", default="url", show_default=True, help="Shards: the field that holds a page's URL.")
@click.option("--out-field", default="markdown", show_default=True, help="Shards: the field for the cleaned Markdown.")
@click.option(
    "--learn-per-host",
    is_flag=True,
    help="Shards: learn each host's repeated chrome (as --learn does) and remove it from that host's records; "
    "the rules are written to OUT/profiles/HOST.toml.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Shards: clean in this process, or on a Dask cluster (needs the corpus extra).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: a running distributed scheduler (default: a local cluster on this machine's cores).",
)
@_jobs_option("cleans")
def clean(
    paths: tuple[str, ...],
    out: str | None,
    in_place: bool,
    backup: str | None,
    check: bool,
    diff: bool,
    report: str | None,
    profiles: tuple[str, ...],
    learn: str | None,
    html_field: str,
    text_field: str,
    url_field: str,
    out_field: str,
    learn_per_host: bool,
    engine: str,
    scheduler: str | None,
    jobs: int | None,
) -> None:
    """Strip theme and plugin boilerplate from existing .md, .html and .txt files,
    from the records of .jsonl, .jsonl.gz and .parquet shards, or from the post
    bodies of a WordPress export.

    One file without -o prints the cleaned Markdown; folders are walked
    recursively and mirrored into -o OUT, or rewritten with --in-place.
    Shards are cleaned into shards of the same format and name in -o OUT.
    An export (WXR) is written back to -o CLEANED.xml with only its bodies cleaned.
    """
    from wpmigrate.clean.export import clean_export, is_export_request
    from wpmigrate.corpus import clean_shards, is_shard_request

    document_only = {"--in-place": in_place, "--backup": backup, "--check": check, "--diff": diff}
    document_only.update({"--report": report, "--learn": learn, "--jobs": jobs})
    shard_only = {"--learn-per-host": learn_per_host, "--engine": engine != "local", "--scheduler": scheduler}
    shard_only.update({f"--{k}-field": v != k for k, v in (("html", html_field), ("text", text_field))})
    shard_only.update({"--url-field": url_field != "url", "--out-field": out_field != "markdown"})
    if is_export_request(paths):
        export_only = {"--in-place": in_place, "--backup": backup, "--diff": diff, "--learn": learn, "--jobs": jobs}
        if given := [name for name, value in {**export_only, **shard_only}.items() if value]:
            raise UsageError(
                f"{', '.join(given)}: not for a WordPress export (write the cleaned export with -o CLEANED.xml)"
            )
        from wpmigrate.stop import orderly_stop

        with orderly_stop():
            result = clean_export(paths[0], out, check=check, report=report, profiles=profiles or None)
        if check:
            for change in result.changed:
                click.echo(change.describe())
        for warning in [*result.warnings, *result.skipped]:
            click.echo(f"wpmigrate: warning: {warning}", err=True)
        if result.error is not None:
            click.echo(f"wpmigrate: error: {result.error} (copied unchanged)", err=True)
        click.echo(result.describe(), err=True)
        if result.exit_code:
            sys.exit(result.exit_code)
        return
    if is_shard_request(paths):
        if given := [name for name, value in document_only.items() if value]:
            raise UsageError(f"{', '.join(given)}: not for record shards (more cores: --engine dask)")
        corpus = clean_shards(
            paths,
            out,
            html_field=html_field,
            text_field=text_field,
            url_field=url_field,
            out_field=out_field,
            profiles=profiles or None,
            learn_per_host=learn_per_host,
            engine=engine,
            scheduler=scheduler,
        )
        click.echo(corpus.describe(), err=True)
        if corpus.exit_code:
            sys.exit(corpus.exit_code)
        return
    if given := [name for name, value in shard_only.items() if value]:
        raise UsageError(f"{', '.join(given)}: only for record shards (.jsonl, .jsonl.gz, .parquet)")

    from wpmigrate.clean.files import clean_paths
    from wpmigrate.stop import orderly_stop

    with orderly_stop():
        summary = clean_paths(
            paths,
            out=out,
            in_place=in_place,
            backup=backup,
            check=check,
            diff=diff,
            report=report,
            profiles=profiles or None,
            learn=learn,
            jobs=jobs,
            keep_files=False,  # the command prints counts, errors and warnings only
        )
    if summary.output:
        click.echo(summary.output, nl=False)
    for warning in summary.warnings:
        click.echo(f"wpmigrate: warning: {warning}", err=True)
    for error in summary.errors:
        click.echo(f"wpmigrate: error: {error}", err=True)
    if not summary.output or check or diff or summary.errors:
        click.echo(summary.describe(), err=True)
    if summary.exit_code:
        sys.exit(summary.exit_code)  # not ctx.exit(): main() runs click with standalone_mode=False


@cli.command()
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="NAME|PATH.toml",
    help="Profiles to list (repeatable): a bundled name picks it, a path adds and validates "
    "your file, 'none' leaves the bundled ones out. Default: every bundled profile.",
)
def profiles(profiles: tuple[str, ...]) -> None:
    """List cleaning profiles with their detection markers and rules."""
    from wpmigrate.clean import describe_profiles, load_profiles

    click.echo(describe_profiles(load_profiles(list(profiles) if profiles else None)), nl=False)


@cli.command()
@click.argument("export", type=click.Path(dir_okay=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the inspection as JSON (a stable shape, see the README).")
@click.option(
    "--uploads",
    type=click.Path(path_type=str),
    metavar="DIR",
    help="A copy of the site's wp-content/uploads: list attachments whose files are missing there.",
)
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="NAME|PATH.toml",
    help="Cleaning profiles to consider, as for convert (repeatable). Default: every bundled profile.",
)
def inspect(export: str, as_json: bool, uploads: str | None, profiles: tuple[str, ...]) -> None:
    """Say what is inside a WordPress export before converting it (one streaming pass)."""
    import json

    from wpmigrate.inspect import inspect_export

    result = inspect_export(export, uploads=uploads, profiles=list(profiles) if profiles else None)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.format_text(), nl=False)


# --- entry point --------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map library errors to one message and an exit code."""
    try:
        # In this mode click returns the code a command passed to ctx.exit().
        code = cli.main(args=argv, prog_name="wpmigrate", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort as exc:
        from wpmigrate.stop import StopNow

        # click turns Ctrl-C into Abort; a second SIGINT/SIGTERM of an orderly stop
        # ends the run at once with that signal's code (130, 143)
        if isinstance(exc.__cause__, StopNow):
            click.echo("Interrupted.", err=True)
            sys.exit(128 + exc.__cause__.signum)
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except WpmigrateError as exc:
        click.echo(f"wpmigrate: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt as exc:
        click.echo("Interrupted.", err=True)
        sys.exit(128 + getattr(exc, "signum", 2))
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:
        # disk full, permission denied … while reading or writing
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        click.echo(f"wpmigrate: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug in wpmigrate: one line, not a traceback
        if os.environ.get("WPMIGRATE_DEBUG"):
            raise
        click.echo(
            f"wpmigrate: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in wpmigrate; run again with WPMIGRATE_DEBUG=1 for details and please report it.",
            err=True,
        )
        sys.exit(70)
    sys.exit(0)
