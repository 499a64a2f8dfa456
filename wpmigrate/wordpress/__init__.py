"""WordPress's own grammar, as pure functions on strings (no lxml).

What WordPress itself decides with string rules before a post is HTML:
programming language names of code plugins (:mod:`.languages`). The render
stage and the cleaner both import from here, so the grammar is read the same
way everywhere.
"""
