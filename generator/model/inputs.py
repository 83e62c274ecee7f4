"""What the site model is made of beside the settings and the papers: the owner's writing
(content/) and the names of the pictures the build copies, as one typed input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..content import NewsItem, Page
from ..content.items import Item
from ..content.synced import Synced
from ..paperfields import PaperFields

if TYPE_CHECKING:
    from ..cv import Cv


@dataclass(frozen=True)
class SiteContent:
    """content/ as read (content/), for build_model: `extras` holds each paper's fields by
    slug, as content/papers/<slug>.md gives them (paperfields.PaperFields, the body as
    `notes`); links such as `pdf` are http(s) URLs or paths under the site root.
    `photo` and `card` are file names under assets/."""

    pages: tuple[Page, ...] = ()  # the Markdown pages, in menu order, then by name
    news: tuple[NewsItem, ...] = ()  # newest first
    cv: Cv | None = None
    extras: Mapping[str, PaperFields] = field(default_factory=dict)
    photo: str | None = None
    card: str | None = None
    items: tuple[Item, ...] = ()  # talks, teaching, projects (content/items.py), newest first
    synced: Synced = Synced()  # what `scholarfolio sync` left: snapshots, works' counts
