"""wpmigrate: get a site out of WordPress cleanly.

The public API. Everything a script needs is importable from here::

    import wpmigrate
    report = wpmigrate.convert("export.xml", "site/")
    export = wpmigrate.read_export("export.xml")
    result = wpmigrate.clean_text(open("page.txt").read())
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from wpmigrate.clean import CleanResult, ProfileSet, Removal, clean_html, clean_source, load_profiles
from wpmigrate.clean.export import ExportCleanSummary, ItemChange, clean_export
from wpmigrate.clean.files import CleanSummary, FileResult, clean_paths
from wpmigrate.clean.learn import learn_site_profile
from wpmigrate.clean.markdown import clean_markdown
from wpmigrate.clean.text import clean_text
from wpmigrate.convert import convert
from wpmigrate.document import Document
from wpmigrate.errors import (
    InputError,
    MalformedExportError,
    NotAnExportError,
    OutputError,
    ProfileError,
    RunInterrupted,
    UnknownTypeError,
    UsageError,
    WpmigrateError,
)
from wpmigrate.inspect import Inspection, inspect_export
from wpmigrate.layouts import LAYOUTS, Layout
from wpmigrate.markdown import MarkdownWriter, html_to_markdown
from wpmigrate.model import (
    Attachment,
    Author,
    BrokenItem,
    Comment,
    Index,
    Item,
    ItemRef,
    ItemTerm,
    Meta,
    Placement,
    Site,
    Term,
)
from wpmigrate.options import (
    CommentsPolicy,
    ConvertOptions,
    FrontMatterFormat,
    LayoutName,
    MorePolicy,
    ShortcodePolicy,
    UrlPolicy,
)
from wpmigrate.pipeline import Body, ContentPipeline, convert_content
from wpmigrate.render import Rendered, Renderer, RenderOptions, render_content
from wpmigrate.report import ItemReport, Report
from wpmigrate.wxr import Export, ItemLoader, read_export

try:
    __version__ = _version("wpmigrate")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Attachment",
    "Author",
    "Body",
    "BrokenItem",
    "CleanResult",
    "CleanSummary",
    "Comment",
    "CommentsPolicy",
    "ContentPipeline",
    "ConvertOptions",
    "Document",
    "Export",
    "ExportCleanSummary",
    "FileResult",
    "FrontMatterFormat",
    "Index",
    "InputError",
    "Item",
    "ItemChange",
    "Inspection",
    "ItemLoader",
    "ItemRef",
    "ItemReport",
    "ItemTerm",
    "LAYOUTS",
    "Layout",
    "LayoutName",
    "MalformedExportError",
    "MarkdownWriter",
    "Meta",
    "MorePolicy",
    "NotAnExportError",
    "OutputError",
    "Placement",
    "ProfileError",
    "RunInterrupted",
    "ProfileSet",
    "Removal",
    "RenderOptions",
    "Rendered",
    "Renderer",
    "Report",
    "ShortcodePolicy",
    "Site",
    "Term",
    "UnknownTypeError",
    "UrlPolicy",
    "UsageError",
    "WpmigrateError",
    "__version__",
    "clean_html",
    "clean_markdown",
    "clean_export",
    "clean_paths",
    "clean_source",
    "clean_text",
    "convert",
    "convert_content",
    "html_to_markdown",
    "inspect_export",
    "learn_site_profile",
    "load_profiles",
    "read_export",
    "render_content",
]
