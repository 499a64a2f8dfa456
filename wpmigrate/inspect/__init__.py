"""What is inside an export, read in one streaming pass before converting.

:func:`inspect_export` walks the export's items once (each item is parsed on
its own and dropped after it was counted, so memory stays flat) and returns an
:class:`Inspection`: counts, authors by display name, taxonomies, the date
range, the shortcodes and blocks used and what wpmigrate does with each, the
page builders, themes and plugins it sees, the cleaning profiles that will
apply, and the problems it met (``result``). ``scan`` is the pass itself.
"""

from wpmigrate.inspect.result import SCHEMA_VERSION, Inspection, Problem, Usage
from wpmigrate.inspect.scan import inspect_export

__all__ = ["SCHEMA_VERSION", "Inspection", "Problem", "Usage", "inspect_export"]
