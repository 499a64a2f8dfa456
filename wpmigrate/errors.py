"""One exception tree for the whole library.

Every error raised on purpose by wpmigrate is a :class:`WpmigrateError`. It
carries the context a user needs to find the problem (file, line, column, item
id) and renders it as one sentence. ``cli.py`` maps the tree to exit codes in a
single place; library code never prints and never exits.
"""

from __future__ import annotations

import os


class WpmigrateError(Exception):
    """Base of every error wpmigrate raises on purpose."""

    #: exit code the command line uses for this kind of error
    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
        column: int | None = None,
        item_id: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.column = column
        self.item_id = item_id

    def __reduce__(self):
        # raised in a worker process and re-raised in the parent: keep the context
        return (_rebuild, (type(self), self.message, self.__dict__))

    def where(self) -> str:
        """``file:line:column`` (as much of it as is known), or ``''``."""
        parts: list[str] = []
        if self.path is not None:
            parts.append(self.path)
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.item_id is not None:
            text += f" (item {self.item_id})"
        return text


def _rebuild(cls: type, message: str, state: dict) -> WpmigrateError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class UsageError(WpmigrateError):
    """The caller asked for something that cannot be done (bad option, bad path)."""

    exit_code = 2


class UnknownTypeError(UsageError):
    """A post type asked for (``--types``) that the export does not hold.

    ``types`` are the missing names, ``counts`` the post types the export holds
    (those that can be written) with their number of items.
    """

    def __init__(
        self, message: str, *, types: tuple[str, ...] = (), counts: dict[str, int] | None = None, **kw
    ) -> None:
        super().__init__(message, **kw)
        self.types = types
        self.counts = dict(counts or {})


class NotAnExportError(WpmigrateError):
    """The input is not a WordPress export at all (RSS feed, HTML, empty file …)."""

    exit_code = 2


class MalformedExportError(WpmigrateError):
    """The export is broken part way (truncated, mismatched tags).

    Items complete before the break have already been yielded by the reader.
    """

    exit_code = 1


class InputError(WpmigrateError):
    """An input file cannot be read as text to clean (binary, undecodable, unreadable)."""

    exit_code = 1


class OutputError(WpmigrateError):
    """Writing the output failed or would overwrite a file we did not write."""

    exit_code = 1


class ProfileError(WpmigrateError):
    """A cleaning profile is invalid; the message names the file and key."""

    exit_code = 2


class RunInterrupted(WpmigrateError):
    """The run was stopped by SIGINT (Ctrl-C) or SIGTERM after finishing the items in flight.

    ``signum`` is the signal; the exit code is 128 + its number (130, 143), as a shell's.
    """

    def __init__(self, message: str, *, signum: int, **kw) -> None:
        super().__init__(message, **kw)
        self.signum = signum
        self.exit_code = 128 + signum


def write_failure(exc: OSError) -> str:
    """``no space left on device``: an OSError's reason, as the end of a sentence."""
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]
