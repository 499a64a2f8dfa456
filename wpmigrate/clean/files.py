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
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from wpmigrate import heap
from wpmigrate.clean.documents import SUFFIXES, CleanedDocument, clean_document, learn_document, read_text
from wpmigrate.clean.export import looks_like_export
from wpmigrate.clean.learn import SiteLearner, profile_name, profile_toml
from wpmigrate.clean.parallel import Cleaned, Forms, clean_file, cleaned_files
from wpmigrate.clean.profiles import ProfileSet, coerce_profiles
from wpmigrate.clean.summary import CleanSummary, FileResult, ReportLines
from wpmigrate.errors import InputError, OutputError, RunInterrupted, UsageError
from wpmigrate.write import atomic_write_bytes, atomic_write_text, remove_stale_temporaries

__all__ = [
    "SUFFIXES",
    "CleanSummary",
    "CleanedDocument",
    "FileResult",
    "clean_document",
    "clean_file",
    "clean_paths",
    "learn_document",
    "read_text",
]


# --- walking --------------------------------------------------------------------------


def _is_inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _collect(
    paths: Sequence[str | os.PathLike], backup: str | None, others: list[tuple[Path, Path, str]] | None = None
) -> list[tuple[str, Path | None, str]]:
    """``(file, root it was found under or None, its path relative to that root)`` in a stable order.

    Files in the folders that are not ours to clean (images of a page bundle …)
    go to *others* when it is given. A file is named by its path as a string: a
    folder of many thousand files is held as that many strings, not as path objects.
    """
    found: list[tuple[str, Path | None, str]] = []
    seen: set[str] = set()

    def add(f: Path, root: Path | None, rel: str) -> None:
        key = os.fspath(f.resolve())
        if key not in seen:  # a file named twice (itself and inside its folder) is cleaned once
            seen.add(key)
            found.append((os.fspath(f), root, rel))

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


def _output_names(found: list[tuple[str, Path | None, str]], several_roots: bool) -> dict[str, tuple[str, str]]:
    """Mirrored Markdown name of each input, collisions resolved in input order; name → note."""
    names: dict[str, tuple[str, str]] = {}
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


def _check_not_overwriting(found: list[tuple[str, Path | None, str]], names: dict[str, tuple[str, str]], out: Path):
    """A UsageError when a cleaned copy in *out* would replace one of the inputs."""
    inputs = {Path(f).resolve() for f, _, _ in found}
    for f, (name, _) in names.items():
        if out.joinpath(*name.split("/")).resolve() in inputs:
            raise UsageError(
                f"-o would overwrite the input {f} with its cleaned copy; use --in-place for that", path=out
            )


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
    keep_files: bool = True,
) -> CleanSummary:
    """Clean files and folders of existing content; see the module docstring.

    ``jobs`` worker processes read and clean the files (default: every core; 1
    cleans in this process); writing, the report and learning stay in this
    process, in file order, so the output is the same for any number.

    The report's lines are written as the files are done (to a temporary file,
    moved into place at the end); ``keep_files=False`` keeps no
    :class:`FileResult` in ``summary.files`` (only the counts, errors and
    warnings), so memory stays flat over a folder of any size.

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
        _check_not_overwriting(found, names, Path(out))
    summary = CleanSummary(check=check, dry_run=not writes)
    summary.empty_folders = [
        os.fspath(r) for r in folders if not any(root is not None and root == r for _, root, _ in found)
    ]
    forms = Forms(
        source=diff or learner is not None,
        markdown=(writes and out is not None) or single or learner is not None,
        in_place=in_place or diff,
        blocks=learner is not None,
    )
    diffs: list[str] = []
    lines = ReportLines() if report is not None else None
    printed = ""

    def _one(f: Path, cleaned: Cleaned) -> None:
        nonlocal printed
        kind = SUFFIXES[f.suffix.lower()]
        if isinstance(cleaned, InputError):
            summary.add(FileResult(str(f), kind, error=cleaned), keep_files)
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
            name, note = names[os.fspath(f)]
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
        if lines is not None:
            for warning in decoded.warnings:
                lines.add({"file": str(f), "action": "warning", "reason": warning})
            if r.article:
                # which element of a whole page was taken as the article, and why
                lines.add({"file": str(f), "action": "article", "reason": r.article})
            for d in [*r.removed, *r.flagged]:
                lines.add({"file": str(f), **d.as_dict()})
        summary.add(
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
            ),
            keep_files,
        )

    if writes and in_place:
        # a run killed part way (kill -9, a power cut) may have left the temporary file
        # of the one it was writing (every other file is either old or new)
        remove_stale_temporaries([g for f, _, _ in found for g in (Path(f), *([Path(f + backup)] if backup else []))])
    try:
        try:
            cleaning = cleaned_files((f for f, _, _ in found), len(found), pset, jobs, forms)
            for (f, _root, _rel), cleaned in zip(found, cleaning):
                _one(Path(f), cleaned)
                del cleaned
                heap.trim()  # what held the document (a worker's answer, unpickled) goes back
        except RunInterrupted as exc:
            # every file is as it was or cleaned whole; the report tells what was done
            if lines is not None:
                lines.write(Path(report))
            again = "the files cleaned are found unchanged" if in_place else "the files are cleaned again"
            raise RunInterrupted(
                f"interrupted after {summary.done} of {len(found)} files, each one either as it was or "
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
                    summary.add(
                        FileResult(str(f), "other", error=InputError(f"cannot read: {exc.strerror or exc}", path=f)),
                        keep_files,
                    )
                    continue
                _write(Path(out).joinpath(*name.split("/")), data)
                summary.copied += 1
        summary.output = "".join(d if d.endswith("\n") else d + "\n" for d in diffs) if diff else printed
        if lines is not None:
            lines.write(Path(report))
            summary.report = os.fspath(report)
        if learner is not None:
            proposals = learner.proposals()
            blocks = learner.block_proposals(proposals)
            toml = profile_toml(proposals, profile_name(learn), learner.pages, blocks=blocks, counter=learner.blocks)
            _write(Path(learn), toml)
            summary.learned = os.fspath(learn)
            summary.learned_rules = len(proposals) + len(blocks)
        return summary
    finally:
        if lines is not None:
            lines.close()
