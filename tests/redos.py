"""Find regular expressions of the package that backtrack catastrophically.

Used by ``tests/test_redos.py``, which runs :func:`main` in a child process
with a time limit (a pattern that hangs cannot be interrupted in-process).

Patterns come from three places:

* every ``re.Pattern`` reachable from a module attribute of the package
  (module level constants, and the ones inside dicts, lists and tuples);
* every call ``re.compile/search/match/fullmatch/sub/subn/split/findall/finditer``
  in the package source whose pattern (and flags) are constants;
* every pattern of the bundled cleaning profiles (text and lead-in rules).

For each pattern the attack strings are built from its own syntax tree: for
every repeated sub-pattern, a string it matches is pumped (repeated many
times) after a prefix the pattern accepts, and followed by a character that
makes the match fail, which is what makes a backtracking engine try every way
of dividing the pumped text. Nested quantifiers over overlapping input blow up
exponentially at a few dozen repetitions; the long variant catches the
polynomial cases.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import sys
import time
from pathlib import Path

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

PACKAGE = "wpmigrate"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE
SHORT, LONG = 24, 20000
# 20,000 characters in more than this is quadratic at least: a 1 MB line would take minutes
LIMIT_SECONDS = 0.5
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}
_FAIL_TAILS = ("\x00", "!", "\n", "", "a", "<", ">", "]", "-->")


# --- examples of what a sub-pattern matches ------------------------------------------


def _char_of_set(items) -> str:
    negate = False
    for op, _av in items:
        if op is C.NEGATE:
            negate = True
    if negate:
        excluded = set()
        for op, av in items:
            if op is C.LITERAL:
                excluded.add(chr(av))
        for candidate in "a -<>\n!x0":
            if candidate not in excluded:
                return candidate
        return "\u00e9"
    for op, av in items:
        if op is C.LITERAL:
            return chr(av)
        if op is C.RANGE:
            return chr(av[0])
        if op is C.CATEGORY:
            return _category_char(av)
    return "a"


def _category_char(cat) -> str:
    name = str(cat)
    if "NOT_SPACE" in name:
        return "a"
    if "SPACE" in name:
        return " "
    if "NOT_DIGIT" in name:
        return "a"
    if "DIGIT" in name:
        return "1"
    if "NOT_WORD" in name:
        return " "
    if "WORD" in name:
        return "a"
    if "NOT_LINEBREAK" in name:
        return "a"
    if "LINEBREAK" in name:
        return "\n"
    return "a"


def examples(seq, limit: int = 6) -> list[str]:
    """A few strings that the parsed sub-pattern ``seq`` matches (best effort)."""
    results = [""]
    for op, av in seq:
        if op is C.LITERAL:
            options = [chr(av)]
        elif op is C.NOT_LITERAL:
            options = ["a" if chr(av) != "a" else "b"]
        elif op is C.ANY:
            options = ["a"]
        elif op is C.IN:
            options = [_char_of_set(av)]
        elif op is C.CATEGORY:
            options = [_category_char(av)]
        elif op is C.BRANCH:
            options = []
            for alt in av[1]:
                options.extend(examples(alt, limit))
            options = options[:limit] or [""]
        elif op is C.SUBPATTERN:
            options = examples(av[-1], limit)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            options = examples(av, limit)
        elif op in _REPEATS:
            low, _high, body = av
            inner = examples(body, limit)
            options = [x * max(low, 1) for x in inner]
            if low == 0:
                options.append("")
        else:  # AT, ASSERT, ASSERT_NOT, GROUPREF …: nothing to consume
            options = [""]
        results = [r + o for r in results for o in options][:limit]
    return results


def _pumps(seq, prefixes: list[str], found: list[tuple[str, str]]) -> None:
    """(prefix, pump) pairs: for each repeat in ``seq``, what comes before it and what it repeats."""
    for index, (op, av) in enumerate(seq):
        before = examples(seq[:index], 3)
        here = [p + b for p in prefixes for b in before][:6]
        if op in _REPEATS:
            _low, high, body = av
            if high is C.MAXREPEAT or high > 8:
                for pump in examples(body, 4):
                    if pump:
                        for prefix in here:
                            found.append((prefix, pump))
            _pumps(body, here, found)
        elif op is C.SUBPATTERN:
            _pumps(av[-1], here, found)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            _pumps(av, here, found)
        elif op is C.BRANCH:
            for alt in av[1]:
                _pumps(alt, here, found)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _pumps(av[1], here, found)


def attacks(pattern: re.Pattern) -> list[str]:
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:
        return []
    found: list[tuple[str, str]] = []
    _pumps(list(tree), [""], found)
    strings: list[str] = []
    seen: set[tuple[str, str]] = set()
    for prefix, pump in found:
        if (prefix, pump) in seen:
            continue
        seen.add((prefix, pump))
        # two neighbouring repeats over the same text: "a" pumped where "aa" is one unit too
        for count in (SHORT, LONG // max(1, len(pump))):
            for tail in _FAIL_TAILS:
                strings.append(prefix + pump * count + tail)
    return strings[:400]


# --- collecting the package's patterns -------------------------------------------------


_SCANNING = frozenset(("search", "sub", "subn", "split", "findall", "finditer"))
_METHOD_CALL = re.compile(r"\b(\w+)\.(search|match|fullmatch|sub|subn|split|findall|finditer)\(")


def _methods_by_name() -> dict[str, set[str]]:
    """How each pattern name is used in the package: ``_X.match(…)``, ``_X.sub(…)`` …"""
    used: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        for name, method in _METHOD_CALL.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, set()).add(method)
    return used


def _walk(value, out: dict, where: str, depth: int = 0, scanning: bool = True) -> None:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        out.setdefault((value.pattern, value.flags), (where, scanning))
    elif depth < 2 and isinstance(value, dict):
        for v in value.values():
            _walk(v, out, where, depth + 1, scanning)
    elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            _walk(v, out, where, depth + 1, scanning)


def _flags_of(node) -> int | None:
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return int(getattr(re, node.attr, 0))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _flags_of(node.left), _flags_of(node.right)
        return None if left is None or right is None else left | right
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    return None


_FLAG_POSITION = {
    "compile": 1,
    "search": 2,
    "match": 2,
    "fullmatch": 2,
    "findall": 2,
    "finditer": 2,
    "split": 3,
    "sub": 4,
    "subn": 4,
}


def _from_source(out: dict) -> None:
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            func = node.func
            if not (isinstance(func.value, ast.Name) and func.value.id == "re" and func.attr in _FLAG_POSITION):
                continue
            if not node.args or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
                continue
            flags_node = None
            position = _FLAG_POSITION[func.attr]
            if len(node.args) > position:
                flags_node = node.args[position]
            for kw in node.keywords:
                if kw.arg == "flags":
                    flags_node = kw.value
            flags = _flags_of(flags_node)
            if flags is None:
                continue
            try:
                compiled = re.compile(node.args[0].value, flags)
            except re.error:
                continue
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            out.setdefault(
                (compiled.pattern, compiled.flags), (where, func.attr != "match" and func.attr != "fullmatch")
            )


def collect() -> dict[tuple[str, int], tuple[str, bool]]:
    """Every pattern → (where it is defined, whether it is searched rather than only matched at a position)."""
    out: dict[tuple[str, int], tuple[str, bool]] = {}
    used = _methods_by_name()
    package = importlib.import_module(PACKAGE)
    for info in pkgutil.walk_packages(package.__path__, PACKAGE + "."):
        try:
            module = importlib.import_module(info.name)
        except Exception:
            continue
        for name, value in vars(module).items():
            methods = used.get(name, set())
            _walk(value, out, f"{info.name}.{name}", scanning=not methods or bool(methods & _SCANNING))
    _from_source(out)
    try:
        from wpmigrate.clean.profiles import load_profiles

        for rule in load_profiles(None).rules:  # the run rules (after = …) too
            if getattr(rule, "regex", None) is not None:
                _walk(rule.regex, out, f"profile rule {rule.id}")
    except Exception:
        pass
    return out


def slowest(compiled: re.Pattern, scanning: bool = True) -> tuple[float, int]:
    """The longest time one attack string took (stopping at the first over the limit), and its length."""
    run = compiled.search if scanning else compiled.match
    worst, length = 0.0, 0
    for text in attacks(compiled):
        t0 = time.perf_counter()
        run(text)
        took = time.perf_counter() - t0
        if took > worst:
            worst, length = took, len(text)
        if worst > LIMIT_SECONDS:
            break
    return worst, length


def main(argv: list[str]) -> int:
    patterns = collect()
    if argv:  # patterns given on the command line instead (the checker's own test)
        patterns = {(p, 0): (f"argument {i}", True) for i, p in enumerate(argv)}
    slow = []
    print(f"checking {len(patterns)} patterns", flush=True)
    for (source, flags), (where, scanning) in sorted(patterns.items(), key=lambda kv: kv[1]):
        print(f"START {where}", flush=True)
        worst, length = slowest(re.compile(source, flags), scanning)
        if worst > LIMIT_SECONDS:
            how = "search" if scanning else "match"
            slow.append(f"{where}: {source!r} ({how}) took {worst:.2f} s on a crafted input of {length} characters")
    for line in slow:
        print(f"SLOW {line}", flush=True)
    print("DONE", flush=True)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
