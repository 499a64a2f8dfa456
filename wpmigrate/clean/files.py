"""Batch cleaning of existing content: what ``wpmigrate clean PATH…`` does.

:func:`clean_paths` walks the given files and folders, cleans every ``.md``/
``.markdown`` (front matter kept, body cleaned), ``.html``/``.htm`` (a full
page or a fragment, through the HTML engine) and ``.txt`` (scraped page text)
file, and then, depending on the options:

* one file and no ``out``: the cleaned Markdown is returned for printing;
* ``out``: the inputs are mirrored into that folder as Markdown (``.txt`` and
  ``.html`` become ``.md``);
* ``in_place``: each file is rewritten in its own format (HTML stays HTML),
  only when something changed, atomically, after copying the original to
  ``<file><backup>`` when ``backup`` is given;
* ``check``/``diff``: nothing is written; the summary says which files would
  change (and the unified diffs of their in-place form);
* ``report``: one JSON line per decision (file, line span, action, rule,
  profile, reason, text);
* ``learn``: lines outside the article on at least half of the pages are
  written as a proposed site profile (:mod:`wpmigrate.clean.learn`).

Files are decoded as a browser decodes a page (:mod:`wpmigrate.clean.decode`):
what that took (bytes replaced, an encoding guessed) is a warning of the file.
Problems with one file (unreadable, binary) are recorded in the summary and the
other files are still cleaned; problems with the request itself (a missing
path, ``out`` inside an input folder) raise :class:`~wpmigrate.errors.UsageError`
before anything is read.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wpmigrate import stop
from wpmigrate.clean.decode import Decoded, decode_document, looks_binary
from wpmigrate.clean.export import looks_like_export
from wpmigrate.clean.learn import SiteLearner, profile_name, profile_toml
from wpmigrate.clean.markdown import clean_markdown, split_front_matter
from wpmigrate.clean.profiles import ProfileSet, coerce_profiles
from wpmigrate.clean.result import CleanResult, Removal
from wpmigrate.clean.structure import STRUCTURE
from wpmigrate.clean.text import clean_text
from wpmigrate.errors import InputError, OutputError, RunInterrupted, UsageError, WpmigrateError
from wpmigrate.write import atomic_write_bytes, atomic_write_text, remove_stale_temporaries

__all__ = ["CleanSummary", "FileResult", "SUFFIXES", "clean_document", "clean_paths", "learn_document"]

#: the decision that takes a page's title into the front matter
TITLE_RULE = f"{STRUCTURE}.title"

#: file name suffix → what the file holds
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "text"}


@dataclass(frozen=True)
class FileResult:
    """What happened to one input file."""

    source: str
    kind: str  # markdown | html | text (| other: a file only copied into the mirror)
    target: str | None = None  # where the cleaned file was (or would be) written
    changed: bool = False
    written: bool = False
    needs_review: bool = False
    removed: tuple[Removal, ...] = ()
    flagged: tuple[Removal, ...] = ()
    error: WpmigrateError | None = None
    note: str = ""  # e.g. an output name changed to avoid a collision
    warnings: tuple[str, ...] = ()  # e.g. bytes that were not valid in the file's encoding


@dataclass
class CleanSummary:
    """The outcome of :func:`clean_paths`, for the command line and for callers."""

    files: list[FileResult] = field(default_factory=list)
    #: what the command prints on standard output: the cleaned document (one
    #: file, no ``out``), or the unified diffs (``diff``)
    output: str = ""
    check: bool = False
    dry_run: bool = False  # --check or --diff: nothing was written
    report: str | None = None
    learned: str | None = None  # path of the proposed site profile
    learned_rules: int = 0
    copied: int = 0  # other files copied unchanged into the mirrored tree
    empty_folders: list[str] = field(default_factory=list)  # folders given that hold nothing to clean

    @property
    def changed(self) -> list[FileResult]:
        return [f for f in self.files if f.changed]

    @property
    def errors(self) -> list[WpmigrateError]:
        return [f.error for f in self.files if f.error is not None]

    @property
    def warnings(self) -> list[str]:
        """``FILE: warning`` lines, in input order."""
        found = [f"{f.source}: {w}" for f in self.files for w in f.warnings]
        kinds = ", ".join(SUFFIXES)
        return [f"{d}: no file to clean in this folder (looked for {kinds})" for d in self.empty_folders] + found

    @property
    def exit_code(self) -> int:
        """1 on a file error, or with ``check`` when a file would change; else 0."""
        if self.errors:
            return 1
        return 1 if self.check and self.changed else 0

    def describe(self) -> str:
        """One line for the user, black-style."""
        n = len(self.files) - len(self.errors)
        verb = "would be cleaned" if self.dry_run else "cleaned"
        if self.dry_run and not self.changed:
            parts = [f"nothing would change ({n} file{'s' if n != 1 else ''} checked)"]
        else:
            parts = [f"{len(self.changed)} of {n} file{'s' if n != 1 else ''} {verb}"]
        review = sum(1 for f in self.files if f.needs_review)
        if review:
            parts.append(f"{review} need{'s' if review == 1 else ''} review (over-removal breaker)")
        flagged = sum(len(f.flagged) for f in self.files)
        if flagged:
            parts.append(f"{flagged} flagged decision{'s' if flagged != 1 else ''}")
        if self.errors:
            parts.append(f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}")
        warned = sum(1 for f in self.files if f.warnings)
        if warned:
            parts.append(f"{warned} file{'s' if warned != 1 else ''} with warnings")
        if self.copied:
            parts.append(f"{self.copied} other file{'s' if self.copied != 1 else ''} copied")
        if self.learned:
            parts.append(
                f"{self.learned_rules} rule{'s' if self.learned_rules != 1 else ''} proposed in {self.learned}"
            )
        if self.report:
            parts.append(f"report in {self.report}")
        return ", ".join(parts)


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


def clean_document(text: str, kind: str, profiles: ProfileSet | None = None) -> CleanedDocument:
    """Clean one document of the given kind (``markdown``, ``html`` or ``text``)."""
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
        return CleanedDocument(r, in_place, doc, in_place != text)
    raise UsageError(f"unknown document kind {kind!r} (expected markdown, html or text)")


def learn_document(learner: SiteLearner, kind: str, text: str, doc: CleanedDocument, profiles: ProfileSet) -> None:
    """Count one document's lines outside its article for learning (``--learn``, per-host learning).

    A page of HTML is counted by the Markdown of its cleaned article: its chrome
    outside the article is gone already, and what is left reads as lines.
    """
    if kind == "html":
        learner.add_text(doc.markdown, profiles, markdown=True)
    else:
        learner.add_text(text, profiles, markdown=(kind == "markdown"))


# --- on every core ----------------------------------------------------------------------

#: files per task sent to a worker
_FILES_PER_TASK = 8

Cleaned = tuple[Decoded, CleanedDocument] | InputError


def clean_file(path: Path, profiles: ProfileSet) -> Cleaned:
    """One file read and cleaned as its suffix says (the error, when it cannot be read)."""
    kind = SUFFIXES[path.suffix.lower()]
    try:
        decoded = read_text(path, kind)
        return decoded, clean_document(decoded.text, kind, profiles)
    except InputError as exc:
        return exc


_worker_profiles: ProfileSet | None = None


def _start_worker(profiles: ProfileSet) -> None:
    global _worker_profiles
    _worker_profiles = profiles


def _clean_batch(paths: list[str]) -> list:
    assert _worker_profiles is not None
    # an error travels as its message and path (exceptions with keyword context do
    # not survive pickling as they are)
    out = []
    for p in paths:
        cleaned = clean_file(Path(p), _worker_profiles)
        out.append(("error", cleaned.message, p) if isinstance(cleaned, InputError) else cleaned)
    return out


def _cleaned(files: list[Path], pset: ProfileSet, jobs: int | None) -> Iterator[Cleaned]:
    """Each file cleaned, in order: on ``jobs`` workers when there is more than a little to do."""
    from wpmigrate.options import default_jobs

    jobs = min(jobs or default_jobs(), max(1, len(files) // _FILES_PER_TASK))
    if jobs <= 1:
        for f in files:
            stop.check("interrupted")  # between files: the one in hand is finished and written
            yield clean_file(f, pset)
        return
    from wpmigrate.workers import imap_in_pool

    for r in imap_in_pool(_start_worker, (pset,), _clean_batch, [str(f) for f in files], jobs, _FILES_PER_TASK):
        yield InputError(r[1], path=r[2]) if isinstance(r, tuple) and r[0] == "error" else r


# --- walking --------------------------------------------------------------------------


def _is_inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _collect(
    paths: Sequence[str | os.PathLike], backup: str | None, others: list[tuple[Path, Path, str]] | None = None
) -> list[tuple[Path, Path | None, str]]:
    """``(file, root it was found under or None, its path relative to that root)`` in a stable order.

    Files in the folders that are not ours to clean (images of a page bundle …)
    go to *others* when it is given.
    """
    found: list[tuple[Path, Path | None, str]] = []
    seen: set[Path] = set()

    def add(f: Path, root: Path | None, rel: str) -> None:
        key = f.resolve()
        if key not in seen:  # a file named twice (itself and inside its folder) is cleaned once
            seen.add(key)
            found.append((f, root, rel))

    for item in paths:
        p = Path(item)
        if not p.exists():
            raise UsageError("no such file or folder", path=p)
        if p.is_dir():
            files = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in filenames:
                    if name.startswith(".") or (backup and name.endswith(backup)):
                        continue
                    if Path(name).suffix.lower() in SUFFIXES:
                        files.append(Path(dirpath) / name)
                    elif others is not None:
                        f = Path(dirpath) / name
                        others.append((f, p, f.relative_to(p).as_posix()))
            for f in sorted(files, key=lambda f: f.relative_to(p).as_posix()):
                add(f, p, f.relative_to(p).as_posix())
        elif p.suffix.lower() in SUFFIXES:
            add(p, None, p.name)
        elif looks_like_export(p):
            raise UsageError("a WordPress export: clean it on its own into a new export with clean_export()", path=p)
        else:
            raise UsageError(
                f"cannot clean a {p.suffix or 'suffix-less'} file (expected {', '.join(SUFFIXES)})", path=p
            )
    return found


def _output_names(found: list[tuple[Path, Path | None, str]], several_roots: bool) -> dict[Path, tuple[str, str]]:
    """Mirrored Markdown name of each input, collisions resolved in input order; name → note."""
    names: dict[Path, tuple[str, str]] = {}
    taken: set[str] = set()
    wanted = []
    for f, root, rel in found:
        prefix = f"{root.name}/" if (several_roots and root is not None) else ""
        base = prefix + rel
        stem, suffix = os.path.splitext(base)
        wanted.append((f, base, stem + ".md" if SUFFIXES[suffix.lower()] != "markdown" else base))
    # Markdown inputs keep their own names first, so a converted page never displaces one
    order = sorted(range(len(wanted)), key=lambda i: (0 if wanted[i][1] == wanted[i][2] else 1, i))
    for i in order:
        f, base, target = wanted[i]
        note = ""
        if target.lower() in taken:
            candidate = base + ".md"  # page.html → page.html.md when page.md exists
            stem = os.path.splitext(target)[0]
            n = 2
            while candidate.lower() in taken:
                candidate = f"{stem}-{n}.md"
                n += 1
            note = f"written as {candidate}: {target} is taken by another input"
            target = candidate
        taken.add(target.lower())
        names[f] = (target, note)
    return names


# --- the batch ------------------------------------------------------------------------


def _write(path: Path, content: str | bytes) -> None:
    """Atomic write (temp file + os.replace); a failure is an OutputError naming the file."""
    try:
        if isinstance(content, bytes):
            atomic_write_bytes(path, content)
        else:
            atomic_write_text(path, content)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None


def _back_up(original: Path, copy: Path) -> None:
    """Copy ``original`` to ``copy`` whole (atomic, its times and mode kept), unless there
    is a copy already: the one a run stopped part way made holds the original, which a
    second run must not replace with a half-cleaned file."""
    if copy.exists():
        return
    try:
        atomic_write_bytes(copy, original.read_bytes())
        shutil.copystat(original, copy)
    except OSError as exc:
        raise OutputError(f"cannot write the backup copy: {exc.strerror or exc}", path=original) from None


def clean_paths(
    paths: Sequence[str | os.PathLike],
    *,
    out: str | os.PathLike | None = None,
    in_place: bool = False,
    backup: str | None = None,
    check: bool = False,
    diff: bool = False,
    report: str | os.PathLike | None = None,
    profiles: ProfileSet | Sequence[str | os.PathLike] | None = None,
    learn: str | os.PathLike | None = None,
    jobs: int | None = None,
) -> CleanSummary:
    """Clean files and folders of existing content; see the module docstring.

    ``jobs`` worker processes read and clean the files (default: every core; 1
    cleans in this process); writing, the report and learning stay in this
    process, in file order, so the output is the same for any number.

    Returns a :class:`CleanSummary`; ``summary.output`` is what the command
    prints on standard output and ``summary.exit_code`` its exit code.
    Raises :class:`~wpmigrate.errors.UsageError` for an impossible request and
    :class:`~wpmigrate.errors.ProfileError` for a bad profile.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one path given as such, not a sequence of characters
    if not paths:
        raise UsageError("nothing to clean: give at least one file or folder")
    if out is not None and in_place:
        raise UsageError("-o/--out and --in-place exclude each other")
    if backup is not None and not in_place:
        raise UsageError("--backup only makes sense with --in-place")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise UsageError(f"--jobs takes a whole number of at least 1, not {jobs!r}")
    if backup is not None and (not backup or "/" in backup or os.sep in backup):
        raise UsageError(f"--backup takes a file name suffix such as .bak, not {backup!r}")
    writes = not (check or diff)
    others: list[tuple[Path, Path, str]] = []
    found = _collect(paths, backup, others)
    roots = [Path(p) for p in paths]
    if out is not None:
        out_path = Path(out)
        if out_path.exists() and not out_path.is_dir():
            raise UsageError("the output must be a folder", path=out_path)
        resolved = out_path.resolve()
        for r in roots:
            if r.is_dir() and _is_inside(resolved, r.resolve()):
                raise UsageError(
                    f"the output folder is inside the input folder {r}; choose a folder outside it", path=out_path
                )
    folders = [r for r in roots if r.is_dir()]
    single = len(found) == 1 and not folders
    if writes and out is None and not in_place and learn is None:
        # only a single file named as such is printed; a folder is a folder, however many
        # files it holds (its output is a folder too, or its files in place)
        if folders:
            raise UsageError(
                "is a folder: clean it into a folder with -o OUT, or rewrite its files with --in-place "
                "(or only look with --check, --diff, --learn)",
                path=folders[0],
            )
        if len(found) > 1:
            raise UsageError(
                f"{len(found)} files: clean them into a folder with -o OUT, or rewrite them with --in-place "
                "(or only look with --check, --diff, --learn); a single file is printed"
            )

    pset = coerce_profiles(profiles)
    learner = SiteLearner() if learn is not None else None
    several_roots = len(roots) > 1
    names = _output_names(found, several_roots) if out is not None else {}
    if out is not None:
        inputs = {f.resolve() for f, _, _ in found}
        for f, (name, _) in names.items():
            if Path(out).joinpath(*name.split("/")).resolve() in inputs:
                raise UsageError(
                    f"-o would overwrite the input {f} with its cleaned copy; use --in-place for that", path=out
                )
    summary = CleanSummary(check=check, dry_run=not writes)
    summary.empty_folders = [
        os.fspath(r) for r in folders if not any(root is not None and root == r for _, root, _ in found)
    ]
    diffs: list[str] = []
    report_lines: list[str] = []
    printed = ""

    def _one(f: Path, cleaned: Cleaned) -> None:
        nonlocal printed
        kind = SUFFIXES[f.suffix.lower()]
        if isinstance(cleaned, InputError):
            summary.files.append(FileResult(str(f), kind, error=cleaned))
            return
        decoded, doc = cleaned
        text = decoded.text
        if learner is not None:
            learn_document(learner, kind, text, doc, pset)
        r = doc.result
        target: Path | None = None
        note = ""
        written = False
        if out is not None:
            name, note = names[f]
            target = Path(out).joinpath(*name.split("/"))
        elif in_place:
            target = f
        if diff and doc.changed:
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        text.splitlines(keepends=True),
                        doc.in_place.splitlines(keepends=True),
                        fromfile=f"{f}",
                        tofile=f"{f} (cleaned)",
                    )
                )
            )
        if writes:
            if out is not None and target is not None:
                _write(target, doc.markdown)
                written = True
            elif in_place and doc.changed:
                if backup:
                    _back_up(f, f.with_name(f.name + backup))
                _write(f, doc.in_place)
                written = True
            elif single and out is None and not in_place:
                printed = doc.markdown
        for warning in decoded.warnings:
            report_lines.append(
                json.dumps({"file": str(f), "action": "warning", "reason": warning}, ensure_ascii=False)
            )
        if r.article:
            # which element of a whole page was taken as the article, and why
            report_lines.append(
                json.dumps({"file": str(f), "action": "article", "reason": r.article}, ensure_ascii=False)
            )
        for d in [*r.removed, *r.flagged]:
            report_lines.append(json.dumps({"file": str(f), **d.as_dict()}, ensure_ascii=False))
        summary.files.append(
            FileResult(
                str(f),
                kind,
                str(target) if target is not None else None,
                doc.changed,
                written,
                r.needs_review,
                tuple(r.removed),
                tuple(r.flagged),
                None,
                note,
                decoded.warnings,
            )
        )

    if writes and in_place:
        # a run killed part way (kill -9, a power cut) may have left the temporary file
        # of the one it was writing (every other file is either old or new)
        remove_stale_temporaries(
            [g for f, _, _ in found for g in (f, *([f.with_name(f.name + backup)] if backup else []))]
        )
    try:
        for (f, _root, _rel), cleaned in zip(found, _cleaned([f for f, _, _ in found], pset, jobs)):
            _one(f, cleaned)
    except RunInterrupted as exc:
        # every file is as it was or cleaned whole; the report tells what was done
        if report is not None:
            _write(Path(report), "".join(line + "\n" for line in report_lines))
        again = "the files cleaned are found unchanged" if in_place else "the files are cleaned again"
        raise RunInterrupted(
            f"interrupted after {len(summary.files)} of {len(found)} files, each one either as it was or "
            f"{'cleaned' if in_place else 'written'} whole; run the same command again to continue ({again})",
            signum=exc.signum,
        ) from None

    if writes and out is not None:
        # a mirrored tree keeps what it does not clean (a page bundle's images), byte for byte
        taken = {name.lower() for name, _ in names.values()}
        for f, root, rel in sorted(others, key=lambda o: (str(o[1]), o[2])):
            name = f"{root.name}/{rel}" if several_roots else rel
            if name.lower() in taken:
                continue
            taken.add(name.lower())
            try:
                data = f.read_bytes()
            except OSError as exc:
                summary.files.append(
                    FileResult(str(f), "other", error=InputError(f"cannot read: {exc.strerror or exc}", path=f))
                )
                continue
            _write(Path(out).joinpath(*name.split("/")), data)
            summary.copied += 1
    summary.output = "".join(d if d.endswith("\n") else d + "\n" for d in diffs) if diff else printed
    if report is not None:
        _write(Path(report), "".join(line + "\n" for line in report_lines))
        summary.report = os.fspath(report)
    if learner is not None:
        proposals = learner.proposals()
        _write(Path(learn), profile_toml(proposals, profile_name(learn), learner.pages))
        summary.learned = os.fspath(learn)
        summary.learned_rules = len(proposals)
    return summary
