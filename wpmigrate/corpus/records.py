"""One record of a scraped corpus → one cleaned record; a host's pages → the host's learned rules.

A record is a mapping of fields, as a line of JSONL or a row of Parquet holds
it: the page's ``url``, its ``html`` or its ``text``, and any metadata of the
crawl. It is cleaned like a file of its kind (:func:`wpmigrate.clean.files.clean_document`):
HTML when the HTML field holds any, else the text field as scraped text. The
cleaned record keeps every field it came with and gains the cleaned Markdown
(the out field), the metadata found (:data:`METADATA_FIELDS`), its ``host``,
``needs_review``, ``warnings`` and ``decisions`` (one mapping per decision:
action, rule, profile, reason, text, line span).

A record that cannot be cleaned (not a mapping, neither field holds text, an
image's bytes in the HTML field) comes out as ``{"rejected": reason, "record":
record}``: it is never dropped without a word.

Learning per host (:class:`HostLearner`) is what ``--learn`` does for a folder
(:mod:`wpmigrate.clean.learn`), once per host: the lines outside the article on
at least half of a host's pages (and at least two) become that host's rules,
named after the host, and are applied to that host's records only.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from wpmigrate.clean.decode import decode_document, decode_string, looks_binary
from wpmigrate.clean.files import clean_document, learn_document
from wpmigrate.clean.learn import SiteLearner, profile_name, profile_toml
from wpmigrate.clean.profiles import ProfileSet, coerce_profiles, parse_profile
from wpmigrate.errors import InputError, UsageError, WpmigrateError

__all__ = [
    "METADATA_FIELDS",
    "HostLearner",
    "RecordFields",
    "clean_record",
    "clean_records",
    "host_of",
    "host_profiles",
    "is_rejected",
]

#: metadata fields a cleaned record gains (``None`` or ``[]`` when nothing was found)
METADATA_FIELDS = ("title", "date", "author", "categories", "tags")
#: the metadata fields that hold lists
LIST_FIELDS = ("categories", "tags")


@dataclass(frozen=True)
class RecordFields:
    """Which field of a record holds what (``--html-field``, ``--text-field``, ``--url-field``, ``--out-field``)."""

    html: str = "html"
    text: str = "text"
    url: str = "url"
    out: str = "markdown"

    def __post_init__(self) -> None:
        names = {"--html-field": self.html, "--text-field": self.text, "--url-field": self.url}
        names["--out-field"] = self.out
        for option, name in names.items():
            if not isinstance(name, str) or not name:
                raise UsageError(f"{option} needs a field name")
        if len(set(names.values())) != len(names):
            raise UsageError("--html-field, --text-field, --url-field and --out-field must name different fields")
        added = {*METADATA_FIELDS, "host", "needs_review", "warnings", "decisions"}
        if self.out in added:
            raise UsageError(f"--out-field {self.out!r} is a field the cleaning adds itself; choose another name")

    @property
    def added(self) -> tuple[str, ...]:
        """The fields a cleaned record gains, in the order they are written."""
        return (self.out, *METADATA_FIELDS, "host", "needs_review", "warnings", "decisions")


# --- hosts ----------------------------------------------------------------------------

# a host name as DNS writes it (IDNs in their xn-- form), with the underscores some
# intranets use; anything else is not a host a file can be named after
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")


def host_of(url: object) -> str | None:
    """The host of a page's URL, lower-case, IDNs in their ``xn--`` form; ``None`` when there is none."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # an unbalanced [ of an IPv6 literal
        return None
    if not host:
        return None
    host = host.rstrip(".")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return host if _HOST.match(host) else None


def _host_profile_name(host: str) -> str:
    return profile_name(f"{host}.toml")


@dataclass
class HostLearner:
    """Per-host :class:`~wpmigrate.clean.learn.SiteLearner`: each host's pages counted on their own.

    Learners of parts of a corpus merge (:meth:`merge`) into the learner of the
    whole, in any order, with the same result.
    """

    fields: RecordFields = field(default_factory=RecordFields)
    profiles: ProfileSet | Sequence[str | os.PathLike] | None = None
    hosts: dict[str, SiteLearner] = field(default_factory=dict)

    def add(self, record: object) -> bool:
        """Count one record's page under its host; False when it has no host or cannot be read."""
        if not isinstance(record, Mapping):
            return False
        host = host_of(record.get(self.fields.url))
        if host is None:
            return False
        try:
            kind, text, _ = record_document(record, self.fields)
            pset = coerce_profiles(self.profiles)
            doc = clean_document(text, kind, pset)
        except WpmigrateError:
            return False  # counted among the rejects by the cleaning pass
        learn_document(self.hosts.setdefault(host, SiteLearner()), kind, text, doc, pset)
        return True

    def merge(self, other: HostLearner) -> HostLearner:
        """Add the counts of *other* to these; *other* is left as it was."""
        for host, learner in other.hosts.items():
            # a copy: the learner merged in stays as it was
            self.hosts.setdefault(host, SiteLearner()).merge(learner)
        return self

    def profiles_toml(self) -> dict[str, str]:
        """host → the TOML text of its learned profile, for the hosts with at least one rule."""
        found = {}
        for host in sorted(self.hosts):
            toml = host_toml(host, self.hosts[host])
            if toml is not None:
                found[host] = toml
        return found


def host_toml(host: str, learner: SiteLearner) -> str | None:
    """One host's learned profile as TOML (named after the host), or None when nothing was learned."""
    proposals = learner.proposals()
    if not proposals:
        return None
    header = [
        f"Host profile learned by `wpmigrate clean --learn-per-host` from {learner.pages} page(s) of {host},",
        "and applied to that host's records in the same run.",
        "Every rule is a line found outside the article's prose on at least half of the host's pages.",
    ]
    return profile_toml(proposals, _host_profile_name(host), learner.pages, header=header)


def host_profiles(tomls: Mapping[str, str]) -> dict[str, ProfileSet]:
    """host → its learned profile, compiled (TOML texts as :meth:`HostLearner.profiles_toml` gives them)."""
    return {host: _compiled(host, text) for host, text in tomls.items()}


@lru_cache(maxsize=4096)
def _compiled(host: str, text: str) -> ProfileSet:
    return parse_profile(text, f"profiles/{host}.toml")


_COMBINED: OrderedDict[tuple[int, int], tuple[ProfileSet, ProfileSet, ProfileSet]] = OrderedDict()


def _with_learned(pset: ProfileSet, own: ProfileSet) -> ProfileSet:
    """The profiles plus a host's learned one; each pair is built (and its rules grouped) once."""
    key = (id(pset), id(own))
    hit = _COMBINED.get(key)
    if hit is not None and hit[0] is pset and hit[1] is own:
        _COMBINED.move_to_end(key)
        return hit[2]
    combined = ProfileSet(pset.profiles + own.profiles, pset.forced)
    _COMBINED[key] = (pset, own, combined)  # the pair is held, so its ids stay theirs
    if len(_COMBINED) > 4096:
        _COMBINED.popitem(last=False)
    return combined


def is_rejected(out: Mapping) -> bool:
    """Is this output of :func:`clean_record` a rejected record (``rejected`` and ``record`` only)?"""
    return out.keys() == {"rejected", "record"}


# --- one record -----------------------------------------------------------------------


class RecordError(InputError):
    """A record that cannot be cleaned; it goes to the rejects with this message."""


def record_document(record: Mapping, fields: RecordFields) -> tuple[str, str, tuple[str, ...]]:
    """``(kind, text, warnings)`` of a record: its HTML when it has any, else its text."""
    present = False
    for name, kind in ((fields.html, "html"), (fields.text, "text")):
        if name not in record:
            continue
        present = True
        value = record[name]
        if value is None:
            continue
        if isinstance(value, (bytes, bytearray, memoryview)):
            data = bytes(value)
            if not data.strip():
                continue
            if looks_binary(data):
                raise RecordError(f"field {name!r} holds binary data (control bytes), not text")
            decoded = decode_document(data, kind)
        elif isinstance(value, str):
            if not value.strip():
                continue
            decoded = decode_string(value)
        else:
            raise RecordError(f"field {name!r} holds {_type_name(value)}, not text")
        return kind, decoded.text, decoded.warnings
    if not present:
        raise RecordError(f"no {fields.html!r} or {fields.text!r} field")
    return "text", "", ()


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), f"a {type(value).__name__}")


def _metadata(metadata: Mapping) -> dict:
    found: dict = {}
    for key in METADATA_FIELDS:
        value = metadata.get(key)
        if key in LIST_FIELDS:
            values = value if isinstance(value, (list, tuple)) else ([value] if value else [])
            found[key] = [str(v) for v in values if v not in (None, "")]
        elif isinstance(value, (date, datetime)):
            found[key] = value.isoformat()  # a page's date is parsed; a field holds it as ISO 8601
        else:
            found[key] = str(value) if value not in (None, "", [], {}) else None
    return found


def clean_record(
    record: object,
    *,
    fields: RecordFields | None = None,
    profiles: ProfileSet | Sequence[str | os.PathLike] | None = None,
    learned: Mapping[str, ProfileSet] | None = None,
) -> dict:
    """Clean one record; see the module docstring. *learned* maps a host to its learned profile."""
    fields = fields or RecordFields()
    if not isinstance(record, Mapping):
        return {"rejected": f"a record is an object of fields, not {_type_name(record)}", "record": record}
    try:
        kind, text, warnings = record_document(record, fields)
        host = host_of(record.get(fields.url))
        pset = coerce_profiles(profiles)
        own = learned.get(host) if (learned and host is not None) else None
        if own is not None:
            pset = _with_learned(pset, own)
        doc = clean_document(text, kind, pset)
    except WpmigrateError as exc:
        return {"rejected": exc.message, "record": dict(record)}
    r = doc.result
    out = {k: v for k, v in record.items() if k not in fields.added}
    out[fields.out] = doc.markdown
    out.update(_metadata(r.metadata))
    out["host"] = host
    out["needs_review"] = r.needs_review
    out["warnings"] = list(warnings)
    out["decisions"] = [d.as_dict() for d in r.decisions]
    return out


def clean_records(
    records: Iterable[object],
    *,
    fields: RecordFields | None = None,
    profiles: ProfileSet | Sequence[str | os.PathLike] | None = None,
    learned: Mapping[str, ProfileSet] | Mapping[str, str] | None = None,
) -> Iterator[dict]:
    """Clean records one at a time (an iterator in, an iterator out; nothing is held).

    *learned* maps a host to its learned profile (a compiled ``ProfileSet`` or the
    TOML text :meth:`HostLearner.profiles_toml` gives). A record that cannot be
    cleaned comes out as ``{"rejected": reason, "record": record}``.
    """
    fields = fields or RecordFields()
    pset = coerce_profiles(profiles)  # validated and compiled once, before the first record
    compiled = None
    if learned:
        compiled = {h: (_compiled(h, p) if isinstance(p, str) else p) for h, p in learned.items()}
    for record in records:
        yield clean_record(record, fields=fields, profiles=pset, learned=compiled)
