"""The files of a ``clean`` run cleaned on every core: workers, this process among them,
results in file order, and only what the main process uses sent back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from wpmigrate import heap, stop
from wpmigrate.clean.decode import Decoded
from wpmigrate.clean.documents import SUFFIXES, CleanedDocument, clean_document, read_text
from wpmigrate.clean.profiles import ProfileSet
from wpmigrate.errors import InputError

__all__ = ["Cleaned", "Forms", "clean_file", "cleaned_files"]


#: files per task sent to a worker
_FILES_PER_TASK = 8

Cleaned = tuple[Decoded, CleanedDocument] | InputError


def clean_file(path: Path, profiles: ProfileSet, blocks: bool = False) -> Cleaned:
    """One file read and cleaned as its suffix says (the error, when it cannot be read);
    *blocks* as for :func:`clean_document`."""
    kind = SUFFIXES[path.suffix.lower()]
    try:
        decoded = read_text(path, kind)
        return decoded, clean_document(decoded.text, kind, profiles, blocks=blocks)
    except InputError as exc:
        return exc
    finally:
        # the page's tree is gone: its memory goes back too, so that a process stays
        # near its idle size after the largest page of the folder
        heap.trim()


@dataclass(frozen=True)
class Forms:
    """What the main process uses of a cleaned file: only that travels back from a worker."""

    source: bool = True  # the file's text (for --diff and --learn)
    markdown: bool = True  # the Markdown document (-o, a file printed, learning from HTML)
    in_place: bool = True  # the file in its own format (--in-place, --diff)
    blocks: bool = False  # a page's candidate blocks (--learn)

    def slim(self, cleaned: Cleaned) -> Cleaned:
        if isinstance(cleaned, InputError):
            return cleaned
        decoded, doc = cleaned
        if not self.source:
            decoded = replace(decoded, text="")
        # the decisions stay; the result's own copies of the text are the two forms below
        result = replace(doc.result, html=None, markdown=None)
        in_place = doc.in_place if self.in_place else ""
        return decoded, CleanedDocument(
            result, in_place, doc.markdown if self.markdown else "", doc.changed, doc.blocks
        )


_worker_profiles: ProfileSet | None = None
_worker_forms = Forms()


def _start_worker(profiles: ProfileSet, forms: Forms) -> None:
    global _worker_profiles, _worker_forms
    _worker_profiles, _worker_forms = profiles, forms


def _clean_batch(paths: list[str]) -> list:
    assert _worker_profiles is not None
    # an error travels as its message and path (exceptions with keyword context do
    # not survive pickling as they are)
    out = []
    for p in paths:
        cleaned = clean_file(Path(p), _worker_profiles, _worker_forms.blocks)
        out.append(("error", cleaned.message, p) if isinstance(cleaned, InputError) else _worker_forms.slim(cleaned))
    return out


def cleaned_files(
    files: Iterable[str], count: int, pset: ProfileSet, jobs: int | None, forms: Forms = Forms()
) -> Iterator[Cleaned]:
    """Each of the *count* files cleaned, in order: on ``jobs`` workers when there is more
    than a little to do (what travels back from them is what *forms* names)."""
    from wpmigrate.options import default_jobs

    jobs = min(jobs or default_jobs(), max(1, count // _FILES_PER_TASK))
    if jobs <= 1:
        for f in files:
            stop.check("interrupted")  # between files: the one in hand is finished and written
            yield clean_file(Path(f), pset, forms.blocks)
        return
    from wpmigrate.workers import imap_sharing

    # this process cleans a share of the batches itself (it only writes otherwise): jobs
    # processes at work, one fewer copy of everything in memory; two batches per process
    # in flight keep each busy, more would only be cleaned pages waiting here
    results = imap_sharing(_start_worker, (pset, forms), _clean_batch, files, jobs, _FILES_PER_TASK, in_flight=2)
    for r in results:
        yield InputError(r[1], path=r[2]) if isinstance(r, tuple) and r[0] == "error" else r
