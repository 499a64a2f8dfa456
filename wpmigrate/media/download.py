"""Fetching the site's media files over HTTP: a small pool, timeouts, retries, resumable.

The standard library's ``urllib.request`` is enough for plain GETs of static
files, so no HTTP library is added. Each file is fetched into a partial file
beside its target (``.foto.jpg.part``) and moved to its real name only once
every byte the server announced is there, so a stopped or failed run never
leaves a truncated image under the real name; the next run continues a
partial file where it stopped (an HTTP ``Range`` request; a server that
ignores it sends the whole file again). Only the site's own hosts are asked,
redirects to other hosts are refused. Timeouts, connection errors and the
answers that mean "try again" (5xx, 408, 429) are retried with exponential
backoff; others (404, 403 …) fail at once. A failure costs only its file.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["DownloadSettings", "Fetch", "Fetched", "fetch", "fetch_all", "partial_path"]

_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class DownloadSettings:
    """How files are fetched."""

    workers: int = 4  # files fetched at once: a small pool, polite to the old server
    timeout: float = 30.0  # seconds per connection and per read
    retries: int = 3  # further attempts after a timeout, a connection error or a 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    user_agent: str = "wpmigrate (site migration)"


@dataclass(frozen=True)
class Fetch:
    """One file to fetch: from ``url`` to ``target`` (an absolute path)."""

    url: str
    target: Path
    key: str = ""  # the caller's name for it (its path in the output folder)


@dataclass(frozen=True)
class Fetched:
    """What became of one :class:`Fetch`."""

    fetch: Fetch
    ok: bool
    sha256: str | None = None
    size: int = 0
    status: int | None = None  # of the last answer
    reason: str = ""  # why it failed
    requests: int = 0
    cancelled: bool = False  # stopped part way (an orderly stop): the partial file is kept


class _Cancelled(Exception):
    pass


class _Retry(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


class _Fail(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


def partial_path(target: Path) -> Path:
    """Where a file being fetched is kept until it is complete."""
    return target.with_name(f".{target.name}.part")


class _OwnHostsOnly(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a host the caller allows."""

    def __init__(self, allowed: Callable[[str], bool]) -> None:
        self.allowed = allowed

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not self.allowed(newurl):
            raise _Fail(f"redirected to {newurl}, which is not one of the site's hosts", code)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    job: Fetch,
    settings: DownloadSettings = DownloadSettings(),
    allowed: Callable[[str], bool] = lambda url: True,
    cancel: threading.Event | None = None,
) -> Fetched:
    """Fetch one file, with retries; never raises for a failure of the file's own."""
    cancel = cancel or threading.Event()
    opener = urllib.request.build_opener(_OwnHostsOnly(allowed))
    requests = 0
    status: int | None = None
    reason = ""
    if urlsplit(job.url).scheme not in ("http", "https") or not allowed(job.url):
        return Fetched(job, False, reason="not one of the site's hosts")
    for attempt in range(settings.retries + 1):
        if attempt:
            if cancel.wait(settings.backoff * 2 ** (attempt - 1)):
                return Fetched(job, False, status=status, reason="stopped", requests=requests, cancelled=True)
        requests += 1
        try:
            sha, size = _attempt(opener, job, settings, cancel)
            return Fetched(job, True, sha, size, 200, "", requests)
        except _Cancelled:
            return Fetched(job, False, status=status, reason="stopped", requests=requests, cancelled=True)
        except _Fail as exc:
            return Fetched(job, False, status=exc.status, reason=str(exc), requests=requests)
        except _Retry as exc:
            status, reason = exc.status, str(exc)
        except OSError as exc:
            status, reason = None, _describe(exc)
            if _unknown_host(exc):
                return Fetched(job, False, reason=reason, requests=requests)  # asking again will not help
    return Fetched(job, False, status=status, reason=f"{reason} ({requests} attempts)", requests=requests)


def _unknown_host(exc: OSError) -> bool:
    """True when the host's name does not resolve (the old site is gone)."""
    return isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, socket.gaierror)


def _describe(exc: OSError) -> str:
    if isinstance(exc, urllib.error.URLError):
        inner = exc.reason
        if isinstance(inner, TimeoutError | socket.timeout):
            return "timed out"
        return f"cannot connect: {inner}"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    return f"connection error: {exc.strerror or exc}"


def _attempt(opener, job: Fetch, settings: DownloadSettings, cancel: threading.Event) -> tuple[str, int]:
    """One GET; the file moved into place when complete. Raises _Retry, _Fail, _Cancelled, OSError."""
    part = partial_path(job.target)
    job.target.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(job.url, headers={"User-Agent": settings.user_agent})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = opener.open(request, timeout=settings.timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416 and have:  # the partial file is no prefix of this file: start again
            part.unlink(missing_ok=True)
            raise _Retry("the partial file did not match", exc.code) from None
        text = f"HTTP {exc.code} {exc.reason}"
        if exc.code in _RETRY_STATUS:
            raise _Retry(text, exc.code) from None
        raise _Fail(text, exc.code) from None
    with response:
        resumed = response.status == 206 and have > 0
        length = response.headers.get("Content-Length")
        expected = int(length) + (have if resumed else 0) if length and length.isdigit() else None
        digest = hashlib.sha256()
        if resumed:
            with open(part, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
        size = have if resumed else 0
        try:
            with open(part, "ab" if resumed else "wb") as out:
                while True:
                    if cancel.is_set():
                        raise _Cancelled
                    chunk = response.read1(_CHUNK)  # what has come: a stop is seen between chunks
                    if not chunk:
                        break
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
        except http.client.IncompleteRead:
            raise _Retry(f"connection closed after {part.stat().st_size} of {expected} bytes") from None
        except TimeoutError:
            raise _Retry("timed out") from None
    if expected is not None and size != expected:
        raise _Retry(f"got {size} of {expected} bytes")
    os.replace(part, job.target)
    return digest.hexdigest(), size


def remote_size(
    url: str, settings: DownloadSettings = DownloadSettings(), allowed: Callable[[str], bool] = lambda url: True
) -> int | None:
    """The size a HEAD request announces (None: no answer, no Content-Length)."""
    opener = urllib.request.build_opener(_OwnHostsOnly(allowed))
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": settings.user_agent})
    try:
        with opener.open(request, timeout=settings.timeout) as response:
            length = response.headers.get("Content-Length")
    except (OSError, _Fail):
        return None
    return int(length) if length and length.isdigit() else None


def fetch_all(
    jobs: Iterable[Fetch],
    settings: DownloadSettings = DownloadSettings(),
    allowed: Callable[[str], bool] = lambda url: True,
    stop_requested: Callable[[], bool] = lambda: False,
) -> Iterator[Fetched]:
    """Fetch every job on a small pool of threads; results as they complete. When
    ``stop_requested()`` turns true no new file is started and those in flight stop at
    their next chunk (their partial files kept, to be continued)."""
    cancel = threading.Event()
    pending: set[Future] = set()
    it = iter(jobs)
    with ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="wpmigrate-fetch") as pool:
        try:
            exhausted = False
            while pending or not exhausted:
                while not exhausted and len(pending) < 2 * settings.workers and not cancel.is_set():
                    job = next(it, None)
                    if job is None:
                        exhausted = True
                        break
                    pending.add(pool.submit(fetch, job, settings, allowed, cancel))
                if not pending:
                    break
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                if stop_requested() and not cancel.is_set():
                    cancel.set()
                    exhausted = True
        finally:
            cancel.set()  # the caller stopped reading (an error, a second Ctrl-C): the threads end soon
