"""The site model: records laid out as views (layout.py) and the one list of routes that
each kind of page makes (pages/), with what machines read (citations.py, metadata.py)
and what pages draw (charts.py)."""

from .inputs import SiteContent
from .layout import SiteModel, build_model
from .routes import CitationFile, FileRoute, Kind, PageRoute, Route
from .views import PaperView, SiteView

__all__ = ["CitationFile", "FileRoute", "Kind", "PageRoute", "PaperView", "Route", "SiteContent",
           "SiteModel", "SiteView", "build_model"]
