"""Cleaning profiles: TOML rule files, validated and compiled once, at load.

A profile describes the boilerplate of one theme or one family of plugins. It
is data (STYLE.md §5): a TOML file with an optional ``[detect]`` table, a list
of ``content_roots`` (CSS selectors that locate the article on a full page) and
``[[rule]]`` entries. Every rule has an ``id``, a ``reason`` and exactly one
matcher:

``selector``   a CSS selector (lxml + cssselect) for rendered HTML
``block``      a block name as stored in post_content (``<!-- wp:NAME … -->``)
``shortcode``  a shortcode tag (``[NAME …]``)
``text``       an exact line (after whitespace folding)
``pattern``    a regular expression that must match a whole line
``lead_in``    a regular expression for the start of a block that introduces links
               ("Lesen Sie auch:"): the block goes when the rest of it is links, or,
               when it is the lead-in alone, with the list or paragraph of links
               that follows it
``shape``      the shape of a block a site repeats, as ``--learn`` writes it (text with
               ``⟨links⟩`` for its links and ``#`` for numbers), with an optional
               ``path`` and ``links_after`` (see :mod:`wpmigrate.clean.blocks`)

Text rules (``text``/``pattern``) also need a ``zone``: ``head`` (before the
document's first prose block), ``tail`` (after its last prose block) or
``anywhere``. The schema is documented in README ("Profile schema").

:func:`load_profiles` validates every file completely and raises one
:class:`~wpmigrate.errors.ProfileError` that lists every problem, each naming
the file and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
import warnings
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from cssselect import GenericTranslator, SelectorError
from lxml import etree

# the compiled rule types live in rules.py; they are re-exported here because
# callers reach them through the profile loader
from wpmigrate.clean.rules import (  # noqa: F401
    BREAKER_RATIO,
    PROSE_MIN_WORDS,
    BlockRule,
    Detect,
    LeadInRule,
    Profile,
    ProfileSet,
    Rule,
    SelectorRule,
    ShapeRule,
    ShortcodeRule,
    TextRule,
    breaker_trips,
    class_tokens_of,
    fold,
    is_prose,
)
from wpmigrate.errors import ProfileError

SCHEMA_VERSION = 1

#: matcher keys: a rule has exactly one of them
MATCHERS = ("selector", "block", "shortcode", "text", "pattern", "lead_in", "shape")
ZONES = ("head", "tail", "anywhere")
APPLY = ("always", "detected")
#: actions a rule may ask for, by matcher kind
RULE_ACTIONS = {
    "selector": ("drop", "unwrap", "metadata", "flag"),
    "block": ("drop", "flag"),
    "shortcode": ("drop", "unwrap", "flag"),
    "text": ("drop", "metadata", "flag"),
    "pattern": ("drop", "metadata", "flag"),
    "lead_in": ("drop", "flag"),
    "shape": ("drop", "flag"),
}
_TOP_KEYS = {"schema", "name", "description", "apply", "content_roots", "detect", "rule"}
_DETECT_KEYS = {"class_prefixes", "strings", "patterns"}
_RULE_KEYS = {"id", "reason", *MATCHERS, "zone", "action", "key", "max_length", "after", "not_links"}
_RULE_KEYS |= {"path", "links_after"}  # shape rules

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
# register_block_type(): "namespace/name", lower case; core blocks are stored without "core/"
_BLOCK_NAME = re.compile(r"^[a-z][a-z0-9_-]*(/[a-z][a-z0-9_-]*)?$")
# add_shortcode() refuses a tag that matches @[<>&/\[\]\x00-\x20=]@ (shortcodes.php)
_SHORTCODE_NAME = re.compile(r"^[^<>&/\[\]\x00-\x20=]+$")

_translator = GenericTranslator()


# --- loading and validation ---------------------------------------------------


class _Problems:
    """Collects every validation problem before failing (mkdocs-style)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []  # (file, key, message)

    def add(self, file: str, key: str, message: str) -> None:
        self.items.append((file, key, message))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        lines = [f"{f}: {k}: {m}" if k else f"{f}: {m}" for f, k, m in self.items]
        first_file = self.items[0][0]
        if len(lines) == 1:
            file, key, message = self.items[0]
            text = f"{key}: {message}" if key else message
        else:
            text = f"{len(lines)} problems in cleaning profiles:\n  " + "\n  ".join(lines)
        err = ProfileError(text, path=first_file if len(lines) == 1 else None)
        err.problems = list(self.items)  # type: ignore[attr-defined]
        raise err


def bundled_profile_paths() -> dict[str, Path]:
    """Bundled profile files by name (the file stem), in name order."""
    root = resources.files("wpmigrate.clean") / "profiles"
    found: dict[str, Path] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml") and entry.is_file():
            found[entry.name[: -len(".toml")]] = Path(str(entry))
    return found


def bundled_profile_names() -> list[str]:
    return list(bundled_profile_paths())


def _is_path(item: str | os.PathLike) -> bool:
    if isinstance(item, os.PathLike):
        return True
    return item.endswith(".toml") or "/" in item or os.sep in item


def load_profiles(selection: Sequence[str | os.PathLike] | None = None) -> ProfileSet:
    """Load, validate and compile cleaning profiles.

    ``None`` loads every bundled profile. Otherwise each entry is either the name
    of a bundled profile or the path of a TOML file (anything ending in ``.toml``
    or containing a path separator). Names choose which bundled profiles are
    used; paths add user profiles. When only paths are given, all bundled
    profiles are loaded as well; the name ``none`` turns the bundled profiles
    off. The order is: bundled (in name order), then files in the order given.

    Raises :class:`ProfileError` listing every problem in every file.
    """
    if isinstance(selection, (str, os.PathLike)):
        selection = [selection]
    bundled = bundled_profile_paths()
    problems = _Problems()
    names: list[str] = []
    paths: list[Path] = []
    for item in selection or ():
        if _is_path(item):
            paths.append(Path(item))
        else:
            names.append(str(item))
    if selection is None or (not names and paths):
        chosen = list(bundled)
    else:
        chosen = []
        for name in names:
            if name == "none":
                continue
            if name == "all":
                chosen.extend(n for n in bundled if n not in chosen)
            elif name not in bundled:
                problems.add(
                    "--profile",
                    name,
                    f"no bundled profile of that name (bundled: {', '.join(bundled)}, or a path to a .toml file)",
                )
            elif name not in chosen:
                chosen.append(name)
        chosen.sort(key=list(bundled).index)

    profiles: list[Profile] = []
    for name in chosen:
        prof = _load_file(bundled[name], problems, bundled=True)
        if prof is not None:
            profiles.append(prof)
    for path in paths:
        prof = _load_file(path, problems, bundled=False)
        if prof is not None:
            profiles.append(prof)

    seen_names: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for prof in profiles:
        if prof.name in seen_names:
            problems.add(prof.path, "name", f"profile {prof.name!r} is already loaded from {seen_names[prof.name]}")
        seen_names.setdefault(prof.name, prof.path)
        for rule in prof.rules:
            if rule.id in seen_ids and seen_ids[rule.id] != prof.path:
                problems.add(prof.path, f"rule id {rule.id!r}", f"already defined in {seen_ids[rule.id]}")
            seen_ids.setdefault(rule.id, prof.path)
    _check_after(profiles, problems)
    problems.raise_if_any()
    # a theme profile the user names applies even where its markers are not found
    return ProfileSet(tuple(profiles), frozenset(n for n in names if n in bundled))


def coerce_profiles(profiles: ProfileSet | Sequence[str | os.PathLike] | None) -> ProfileSet:
    """Accept a ProfileSet, a selection for :func:`load_profiles`, or ``None`` (all bundled)."""
    if isinstance(profiles, ProfileSet):
        return profiles
    if profiles is None:
        return _default_profiles()
    if isinstance(profiles, (str, os.PathLike)):
        profiles = [profiles]
    if all(isinstance(p, str) and not _is_path(p) for p in profiles):
        # bundled files do not change while the process runs: compile each selection once
        key = tuple(profiles)
        if key not in _BY_NAMES:
            _BY_NAMES[key] = load_profiles(list(key))
        return _BY_NAMES[key]
    return load_profiles(profiles)


_DEFAULT: ProfileSet | None = None
_BY_NAMES: dict[tuple[str, ...], ProfileSet] = {}


def _default_profiles() -> ProfileSet:
    # bundled files do not change while the process runs: compile them once
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_profiles(None)
    return _DEFAULT


def _load_file(path: Path, problems: _Problems, *, bundled: bool) -> Profile | None:
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(file, "", f"cannot read profile: {exc.strerror or exc}")
        return None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        problems.add(file, "", "profile is not UTF-8 text")
        return None
    except tomllib.TOMLDecodeError as exc:
        problems.add(file, "", f"invalid TOML: {exc}")
        return None
    return _build_profile(data, file, path.stem, problems, bundled=bundled)


def parse_profile(text: str, path: str = "<profile>") -> ProfileSet:
    """Validate and compile one profile given as TOML text (for tests and tools)."""
    problems = _Problems()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.add(path, "", f"invalid TOML: {exc}")
        problems.raise_if_any()
    prof = _build_profile(data, path, Path(path).stem, problems, bundled=False)
    if prof is not None:
        _check_after([prof], problems)
    problems.raise_if_any()
    return ProfileSet((prof,)) if prof else ProfileSet()


def _check_after(profiles: Sequence[Profile], problems: _Problems) -> None:
    """Every id a rule's ``after`` names is a text or pattern rule of the loaded profiles
    (a run that follows no rule would never apply)."""
    text_ids = {r.id for p in profiles for r in p.rules if isinstance(r, TextRule)}
    all_ids = {r.id: r.kind for p in profiles for r in p.rules}
    for prof in profiles:
        for rule in prof.rules:
            for name in getattr(rule, "after", ()):
                if name in text_ids:
                    continue
                if name in all_ids:
                    problems.add(
                        prof.path,
                        f"rule {rule.id!r}.after",
                        f"{name!r} is a {all_ids[name]} rule; after names text and pattern rules",
                    )
                else:
                    problems.add(prof.path, f"rule {rule.id!r}.after", f"no loaded profile has a rule {name!r}")


def _str_list(value, file: str, key: str, problems: _Problems) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.add(file, key, "must be a list of non-empty strings")
        return []
    return list(value)


def _compile_selector(selector: str, file: str, key: str, problems: _Problems) -> str | None:
    try:
        xpath = _translator.css_to_xpath(selector)
        etree.XPath(xpath)
    except (SelectorError, etree.XPathError) as exc:
        problems.add(file, key, f"invalid CSS selector {selector!r}: {exc}")
        return None
    except Exception as exc:  # cssselect raises ExpressionError/other on odd input
        problems.add(file, key, f"invalid CSS selector {selector!r}: {exc}")
        return None
    return xpath


def _compile_regex(pattern: str, file: str, key: str, problems: _Problems) -> re.Pattern | None:
    try:
        with warnings.catch_warnings():
            # Python warns of syntax it may read differently one day ("[[" as a
            # nested set); a profile's pattern means what it means today
            warnings.simplefilter("ignore", FutureWarning)
            return re.compile(pattern)
    except re.error as exc:
        problems.add(file, key, f"invalid regular expression {pattern!r}: {exc}")
        return None


def _build_profile(data: dict, file: str, stem: str, problems: _Problems, *, bundled: bool) -> Profile | None:
    before = len(problems.items)
    for key in sorted(set(data) - _TOP_KEYS):
        problems.add(file, key, f"unknown key (allowed: {', '.join(sorted(_TOP_KEYS))})")
    schema = data.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        problems.add(file, "schema", f"unsupported schema version {schema!r} (this wpmigrate reads {SCHEMA_VERSION})")
    name = data.get("name", stem)
    if not isinstance(name, str) or not _NAME.match(name):
        problems.add(file, "name", "must be lower-case letters, digits, '-' or '_'")
        name = stem
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.add(file, "description", "must be a string")
        description = ""
    apply = data.get("apply", "always")
    if apply not in APPLY:
        problems.add(file, "apply", f"must be one of {', '.join(APPLY)}")
        apply = "always"

    roots: list[str] = []
    for i, sel in enumerate(_str_list(data.get("content_roots", []), file, "content_roots", problems)):
        if _compile_selector(sel, file, f"content_roots[{i}]", problems) is not None:
            roots.append(sel)

    detect = Detect()
    raw_detect = data.get("detect", {})
    if not isinstance(raw_detect, dict):
        problems.add(file, "detect", "must be a table")
    else:
        for key in sorted(set(raw_detect) - _DETECT_KEYS):
            problems.add(file, f"detect.{key}", f"unknown key (allowed: {', '.join(sorted(_DETECT_KEYS))})")
        prefixes = _str_list(raw_detect.get("class_prefixes", []), file, "detect.class_prefixes", problems)
        strings = _str_list(raw_detect.get("strings", []), file, "detect.strings", problems)
        pats = []
        for i, p in enumerate(_str_list(raw_detect.get("patterns", []), file, "detect.patterns", problems)):
            rx = _compile_regex(p, file, f"detect.patterns[{i}]", problems)
            if rx is not None:
                pats.append(rx)
        detect = Detect(tuple(prefixes), tuple(strings), tuple(pats))
    if apply == "detected" and not detect:
        problems.add(file, "apply", "'detected' needs a [detect] table with at least one marker")

    raw_rules = data.get("rule", [])
    rules: list[Rule] = []
    if not isinstance(raw_rules, list):
        problems.add(file, "rule", "must be an array of tables ([[rule]])")
        raw_rules = []
    ids: set[str] = set()
    for i, raw in enumerate(raw_rules):
        rule = _build_rule(raw, i, name, file, problems)
        if rule is None:
            continue
        if rule.id in ids:
            problems.add(file, f"rule[{i}].id", f"duplicate rule id {rule.id!r}")
            continue
        ids.add(rule.id)
        rules.append(rule)
    if len(problems.items) > before:
        return None
    return Profile(
        name=name,
        description=description,
        path=file,
        bundled=bundled,
        apply=apply,
        detect=detect,
        content_roots=tuple(roots),
        rules=tuple(rules),
    )


def _build_rule(raw, i: int, profile: str, file: str, problems: _Problems) -> Rule | None:
    where = f"rule[{i}]"
    if not isinstance(raw, dict):
        problems.add(file, where, "must be a table")
        return None
    before = len(problems.items)
    rid = raw.get("id")
    if rid is None:
        problems.add(file, f"{where}.id", "missing (every rule needs an id)")
    elif not isinstance(rid, str) or not _RULE_ID.match(rid):
        problems.add(file, f"{where}.id", "must be a string of letters, digits, '.', '-', '_' or ':'")
        rid = None
    if rid:
        where = f"rule[{i}] ({rid})"
    for key in sorted(set(raw) - _RULE_KEYS):
        problems.add(file, f"{where}.{key}", f"unknown key (allowed: {', '.join(sorted(_RULE_KEYS))})")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        problems.add(file, f"{where}.reason", "missing (every rule needs a reason)")
    kinds = [k for k in MATCHERS if k in raw]
    if len(kinds) != 1:
        found = ", ".join(kinds) if kinds else "none"
        problems.add(file, where, f"needs exactly one matcher of {', '.join(MATCHERS)} (found: {found})")
        return None
    kind = kinds[0]
    value = raw[kind]
    if not isinstance(value, str) or not value.strip():
        problems.add(file, f"{where}.{kind}", "must be a non-empty string")
        return None
    action = raw.get("action", "drop")
    if action not in RULE_ACTIONS[kind]:
        problems.add(file, f"{where}.action", f"must be one of {', '.join(RULE_ACTIONS[kind])} for a {kind} rule")
    key = raw.get("key")
    if action == "metadata" and not (isinstance(key, str) and key):
        problems.add(file, f"{where}.key", "a metadata rule needs the metadata key to fill")
    elif key is not None and action != "metadata":
        problems.add(file, f"{where}.key", "only metadata rules take a key")
    zone = raw.get("zone")
    max_length = raw.get("max_length")
    after = raw.get("after")
    if after is not None:
        if kind not in ("text", "pattern"):
            problems.add(file, f"{where}.after", "only text and pattern rules take after")
        elif (
            not isinstance(after, list) or not after or not all(isinstance(a, str) and _RULE_ID.match(a) for a in after)
        ):
            problems.add(file, f"{where}.after", "must be a non-empty list of rule ids")
        elif action != "drop":
            problems.add(file, f"{where}.after", "a rule with after only drops")
        elif rid is not None and rid in after:
            problems.add(file, f"{where}.after", "a rule cannot follow itself")
    if kind == "shape":
        if zone is not None and zone not in ZONES:
            problems.add(file, f"{where}.zone", f"must be one of {', '.join(ZONES)}")
        if max_length is not None:
            problems.add(file, f"{where}.max_length", "only text and pattern rules take max_length")
    elif kind in ("text", "pattern"):
        if zone not in ZONES:
            problems.add(file, f"{where}.zone", f"text rules need a zone: one of {', '.join(ZONES)}")
        if max_length is not None and (
            not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
        ):
            problems.add(file, f"{where}.max_length", "must be a positive integer")
    else:
        if zone is not None:
            problems.add(file, f"{where}.zone", "only text, pattern and shape rules take a zone")
        if max_length is not None:
            problems.add(file, f"{where}.max_length", "only text and pattern rules take max_length")

    not_links = raw.get("not_links", False)
    if not isinstance(not_links, bool):
        problems.add(file, f"{where}.not_links", "must be true or false")
    elif not_links and kind not in ("text", "pattern"):
        problems.add(file, f"{where}.not_links", "only text and pattern rules take not_links")
    path = raw.get("path", "")
    links_after = raw.get("links_after", False)
    if kind != "shape":
        for k in ("path", "links_after"):
            if k in raw:
                problems.add(file, f"{where}.{k}", "only shape rules take " + k)
    elif not isinstance(path, str):
        problems.add(file, f"{where}.path", "must be a string")
    elif not isinstance(links_after, bool):
        problems.add(file, f"{where}.links_after", "must be true or false")
    runs = tuple(after) if isinstance(after, list) else ()
    common = {"id": rid or "", "profile": profile, "reason": reason or "", "action": action}
    rule: Rule | None = None
    if kind == "selector":
        xpath = _compile_selector(value, file, f"{where}.selector", problems)
        if xpath is not None:
            rule = SelectorRule(**common, selector=value, xpath=xpath, key=key)
    elif kind == "block":
        if not _BLOCK_NAME.match(value):
            problems.add(file, f"{where}.block", f"invalid block name {value!r} (expected namespace/name)")
        else:
            # parse_blocks() names blocks stored without a namespace "core/…"
            rule = BlockRule(**common, name=value if "/" in value else f"core/{value}")
    elif kind == "shortcode":
        if not _SHORTCODE_NAME.match(value):
            problems.add(file, f"{where}.shortcode", f"invalid shortcode name {value!r}")
        else:
            rule = ShortcodeRule(**common, name=value)
    elif kind == "text":
        rule = TextRule(
            **common,
            zone=zone or "anywhere",
            exact=fold(value),
            key=key,
            max_length=max_length,
            after=runs,
            not_links=not_links is True,
        )
    elif kind == "shape":
        rule = ShapeRule(**common, shape=fold(value), path=path, zone=zone or "anywhere", links_after=links_after)
    elif kind == "lead_in":
        rx = _compile_regex(value, file, f"{where}.lead_in", problems)
        if rx is not None:
            rule = LeadInRule(**common, regex=rx)
    else:
        rx = _compile_regex(value, file, f"{where}.pattern", problems)
        if rx is not None:
            rule = TextRule(
                **common,
                zone=zone or "anywhere",
                regex=rx,
                key=key,
                max_length=max_length,
                after=runs,
                not_links=not_links is True,
            )
    if len(problems.items) > before:
        return None
    return rule


# --- listing ------------------------------------------------------------------


def describe_profiles(profiles: ProfileSet) -> str:
    """A plain-text listing of profiles and their rules (``wpmigrate profiles``)."""
    out: list[str] = []
    for prof in profiles:
        origin = "bundled" if prof.bundled else prof.path
        when = "always applies" if prof.apply == "always" else "applies when detected"
        count = f"{len(prof.rules)} rule" + ("" if len(prof.rules) == 1 else "s")
        out.append(f"{prof.name} ({origin}; {when}; {count})")
        if prof.description:
            out.append(f"  {prof.description}")
        d = prof.detect
        markers = [
            *(f"class {p}*" for p in d.class_prefixes),
            *(repr(s) for s in d.strings),
            *(f"/{p.pattern}/" for p in d.patterns),
        ]
        if markers:
            out.append(f"  detect: {', '.join(markers)}")
        if prof.content_roots:
            out.append(f"  content roots: {', '.join(prof.content_roots)}")
        width = max((len(r.id) for r in prof.rules), default=0)
        for rule in prof.rules:
            kind = rule.kind if not (isinstance(rule, TextRule) and rule.exact is None) else "pattern"
            out.append(f"  {rule.id:<{width}}  {rule.action:<8}  {kind:<9}  {rule.describe()}  — {rule.reason}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n" if out else ""
