"""The site model: records laid out as views and the one list of routes (layout.py), with
what machines read (citations.py, metadata.py) and what pages draw (charts.py)."""

from .layout import SiteModel, build_model
from .routes import CitationFile, FileRoute, Kind, PageRoute, Route
from .views import PaperView, SiteView

__all__ = ["CitationFile", "FileRoute", "Kind", "PageRoute", "PaperView", "Route", "SiteModel",
           "SiteView", "build_model"]
