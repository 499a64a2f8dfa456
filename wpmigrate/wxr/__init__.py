"""Reading WordPress exports (WXR): an export file → :class:`Site` + one :class:`Item` per ``<item>``.

Every item is found by a byte scan and parsed on its own, so a broken item
costs only itself. ``source`` opens what an export arrives as (paths, streams,
compressed files, zips of several files), ``scan`` finds the items, ``parse``
parses one piece with the repairs of ``repair`` when a strict parse fails,
``fields`` maps elements to the model, ``loader`` parses an item by its
reference in any process, and ``export`` ties them together.
"""

from wpmigrate.model import BrokenItem, ItemRef
from wpmigrate.wxr.dates import parse_local_date
from wpmigrate.wxr.export import Export, read_export
from wpmigrate.wxr.fields import CONTENT_NS, DC_NS
from wpmigrate.wxr.loader import ItemLoader

__all__ = [
    "BrokenItem",
    "CONTENT_NS",
    "DC_NS",
    "Export",
    "ItemLoader",
    "ItemRef",
    "parse_local_date",
    "read_export",
]
