"""Names of programming languages as WordPress code plugins write them.

SyntaxHighlighter Evolved registers ``[code]``, ``[sourcecode]`` and one
enclosing shortcode per language brush (``[php]…[/php]``); the same brush
names appear as bare classes in GeSHi and WP-Syntax markup. Prism,
highlight.js and core/code write ``language-x`` classes, where a few short
aliases are common.
"""

from __future__ import annotations

__all__ = ["LANGUAGE_ALIASES", "LANGUAGE_NAMES", "language_name"]

#: SyntaxHighlighter brush names (shortcodes and bare classes) → language
LANGUAGE_NAMES = {
    "as3": "actionscript3",
    "actionscript3": "actionscript3",
    "bash": "bash",
    "shell": "bash",
    "sh": "bash",
    "c-sharp": "csharp",
    "csharp": "csharp",
    "cpp": "cpp",
    "css": "css",
    "delphi": "delphi",
    "pascal": "pascal",
    "diff": "diff",
    "patch": "diff",
    "erlang": "erlang",
    "groovy": "groovy",
    "java": "java",
    "javafx": "javafx",
    "js": "javascript",
    "jscript": "javascript",
    "javascript": "javascript",
    "perl": "perl",
    "php": "php",
    "plain": "text",
    "powershell": "powershell",
    "ps": "powershell",
    "py": "python",
    "python": "python",
    "ruby": "ruby",
    "rb": "ruby",
    "rails": "ruby",
    "scala": "scala",
    "sql": "sql",
    "vb": "vbnet",
    "vbnet": "vbnet",
    "xml": "xml",
    "xhtml": "html",
    "xslt": "xslt",
    "html": "html",
    "clojure": "clojure",
    "fsharp": "fsharp",
    "latex": "latex",
    "matlab": "matlab",
    "objc": "objectivec",
    "swift": "swift",
    "yaml": "yaml",
    "go": "go",
    "golang": "go",
    "haskell": "haskell",
    "r": "r",
    "coldfusion": "coldfusion",
    "jfx": "javafx",
}

#: short names in ``language-x``/``lang-x``/``brush: x`` classes and attributes → language
LANGUAGE_ALIASES = {
    "js": "javascript",
    "jscript": "javascript",
    "py": "python",
    "rb": "ruby",
    "sh": "bash",
    "shell": "bash",
    "c-sharp": "csharp",
    "plain": "text",
    "xhtml": "html",
}


def language_name(value: str) -> str:
    """A language as a class or attribute names it, lower case, common aliases resolved."""
    value = value.strip().lower()
    return LANGUAGE_ALIASES.get(value, value)
