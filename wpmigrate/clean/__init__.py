"""The boilerplate engine: rule profiles as data, and the cleaners that apply them.

``load_profiles`` reads and validates rule profiles (bundled TOML files or the
user's own); ``clean_tree`` cleans a parsed :class:`~wpmigrate.document.Document`
in place and ``clean_html`` does the same for HTML text (a post body or a whole page);
``clean_source`` removes plugin blocks and shortcodes from raw post_content.
Every decision comes back as a :class:`Removal` naming its rule and reason.
"""

from wpmigrate.clean.engine import clean_html, clean_source, clean_tree
from wpmigrate.clean.profiles import (
    BREAKER_RATIO,
    BlockRule,
    Profile,
    ProfileSet,
    SelectorRule,
    ShortcodeRule,
    TextRule,
    breaker_trips,
    bundled_profile_names,
    describe_profiles,
    is_prose,
    load_profiles,
)
from wpmigrate.clean.result import CleanResult, Removal

__all__ = [
    "BREAKER_RATIO",
    "BlockRule",
    "CleanResult",
    "Profile",
    "ProfileSet",
    "Removal",
    "SelectorRule",
    "ShortcodeRule",
    "TextRule",
    "breaker_trips",
    "bundled_profile_names",
    "clean_html",
    "clean_source",
    "clean_tree",
    "describe_profiles",
    "is_prose",
    "load_profiles",
]
