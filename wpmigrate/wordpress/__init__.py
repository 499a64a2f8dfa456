"""WordPress's own grammar, as pure functions on strings (no lxml).

What WordPress itself decides with string rules before a post is HTML, ported
from its PHP: block delimiters and ``parse_blocks()`` (:mod:`.blocks`), the
shortcode grammar of ``get_shortcode_regex()`` (:mod:`.shortcodes`),
``wpautop()`` and ``shortcode_unautop()`` (:mod:`.autop`), where shortcodes are
not run (:mod:`.spans`), programming language names of code plugins
(:mod:`.languages`) and the post types that are not content
(:mod:`.post_types`). The render stage and the cleaner both import from here,
so the grammar is read the same way everywhere.
"""
