"""Spec-style case files (STYLE.md: many small input → expected examples per topic).

A case file ``tests/cases/<topic>/<name>.case`` holds sections introduced by a
line ``=== <section>``; ``input`` and ``expected`` are required, ``options``
(a JSON object) is optional, and so is ``attachments``: a JSON list of the
export's attachments the input refers to (``{"id": 347, "url": "…", "alt": "…",
"caption": "…", "title": "…"}``), given to the library as the first-pass
index and written into the export the command line reads. Text outside sections before the first one is a
free-form description. Section bodies are taken verbatim, minus the single
newline that ends the section.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_SECTION = re.compile(r"^=== (\w+)[ \t]*$", re.M)


@dataclass
class Case:
    path: Path
    description: str
    input: str
    expected: str
    options: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"

    def write_expected(self, expected: str) -> None:
        """Rewrite the file with a new expectation (the ``--update-goldens`` switch)."""
        parts = []
        if self.description:
            parts.append(self.description.rstrip("\n") + "\n")
        if self.options:
            parts.append("=== options\n" + json.dumps(self.options, ensure_ascii=False) + "\n")
        if self.attachments:
            parts.append("=== attachments\n" + json.dumps(self.attachments, ensure_ascii=False, indent=1) + "\n")
        parts.append("=== input\n" + self.input + "\n")
        parts.append("=== expected\n" + expected + "\n")
        self.path.write_text("".join(parts), encoding="utf-8")


def load_case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    matches = list(_SECTION.finditer(text))
    sections: dict[str, str] = {}
    for i, m in enumerate(matches):
        start = m.end() + 1
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[start:end]
        if body.endswith("\n"):
            body = body[:-1]
        sections[m.group(1)] = body
    if "input" not in sections or "expected" not in sections:
        raise ValueError(f"{path}: a case needs '=== input' and '=== expected' sections")
    description = text[: matches[0].start()] if matches else ""
    options = json.loads(sections["options"]) if sections.get("options", "").strip() else {}
    attachments = json.loads(sections["attachments"]) if sections.get("attachments", "").strip() else []
    return Case(path, description, sections["input"], sections["expected"], options, attachments)


def load_cases(*topics: str) -> list[Case]:
    root = Path(__file__).parent / "cases"
    cases: list[Case] = []
    for topic in topics:
        cases.extend(load_case(p) for p in sorted((root / topic).glob("*.case")))
    return cases
