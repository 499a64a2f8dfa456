"""The starter site: a generator config and the few templates it needs, written when missing.

A folder that has a config of the generator already keeps it as it is: the
lines it needs are handed back to be printed instead. A template that is
already there is never replaced either, unless wpmigrate wrote it (the
manifest says so), so a re-run refreshes its own starter files only.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from wpmigrate.layouts.base import Layout, SiteFacts
from wpmigrate.write import Manifest, OutputFolder, sha256

__all__ = ["write_starter"]


def write_starter(out: Path, layout: Layout, site: SiteFacts, manifest: Manifest) -> tuple[dict[str, str], list[str]]:
    """Write the layout's starter files into ``out``: ``(path -> sha256 written, notes)``."""
    starter = layout.starter(site)
    written: dict[str, str] = {}
    notes: list[str] = []
    if not starter.files:
        return written, notes
    folder = OutputFolder(out)
    present = [name for name in starter.config_names if (out / name).exists()]
    own_config = present == [starter.config] and not manifest.foreign(starter.config)
    for rel, text in starter.files.items():
        if rel == starter.config and present and not own_config:
            notes.append(
                f"{present[0]} is there already and was left as it is; for this layout it needs:\n" + starter.hint
            )
            continue
        if rel != starter.config and manifest.foreign(rel):
            continue  # the user's own template
        folder.write_text(str(PurePosixPath(rel)), text)
        written[rel] = sha256(text.encode("utf-8"))
    return written, notes
