"""wpmigrate: get a site out of WordPress cleanly.

The public API. Everything a script needs is importable from here::

    import wpmigrate
    report = wpmigrate.convert("export.xml", "site/")
    export = wpmigrate.read_export("export.xml")
    result = wpmigrate.clean_text(open("page.txt").read())
"""

from wpmigrate.clean import CleanResult, ProfileSet, Removal, clean_html, clean_source, load_profiles
from wpmigrate.clean.files import CleanSummary, FileResult, clean_paths
from wpmigrate.clean.learn import learn_site_profile
from wpmigrate.clean.markdown import clean_markdown
from wpmigrate.clean.text import clean_text
from wpmigrate.convert import ConvertOptions, convert, convert_content
from wpmigrate.errors import (
    InputError,
    MalformedExportError,
    NotAnExportError,
    OutputError,
    ProfileError,
    UsageError,
    WpmigrateError,
)
from wpmigrate.markdown import html_to_markdown
from wpmigrate.model import Attachment, Author, BrokenItem, Comment, Index, Item, ItemRef, ItemTerm, Meta, Site, Term
from wpmigrate.render import Rendered, RenderOptions, render_content
from wpmigrate.report import ItemReport, Report
from wpmigrate.wxr import Export, ItemLoader, read_export

__version__ = "0.1.0"

__all__ = [
    "Attachment",
    "CleanResult",
    "ProfileSet",
    "Removal",
    "CleanSummary",
    "FileResult",
    "InputError",
    "clean_paths",
    "learn_site_profile",
    "html_to_markdown",
    "clean_html",
    "clean_markdown",
    "clean_source",
    "clean_text",
    "load_profiles",
    "RenderOptions",
    "Rendered",
    "render_content",
    "Author",
    "BrokenItem",
    "Comment",
    "ConvertOptions",
    "Export",
    "Index",
    "Item",
    "ItemLoader",
    "ItemRef",
    "ItemReport",
    "ItemTerm",
    "MalformedExportError",
    "Meta",
    "NotAnExportError",
    "OutputError",
    "ProfileError",
    "Report",
    "Site",
    "Term",
    "UsageError",
    "WpmigrateError",
    "convert",
    "convert_content",
    "read_export",
]
