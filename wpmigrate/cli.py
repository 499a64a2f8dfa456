"""The ``wpmigrate`` command line: a thin layer over the library.

Each command builds options, calls one public library function, prints the
result and sets the exit code. Library errors (``WpmigrateError``) are turned
into one clean message and an exit code here, in :func:`main`, and nowhere else.
"""

from __future__ import annotations

import sys

import click

from wpmigrate.errors import WpmigrateError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wpmigrate")
def cli() -> None:
    """Get a site out of WordPress cleanly: export → Markdown, boilerplate removed."""


# --- commands -----------------------------------------------------------------
# Each command lives in its own block below; keep bodies short (STYLE.md §1).


# --- entry point --------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map library errors to one message and an exit code."""
    try:
        cli.main(args=argv, prog_name="wpmigrate", standalone_mode=False)
    except click.exceptions.Abort:
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
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(0)
