"""A badge of each of the site's metrics and of its papers' count (`badges/<key>.svg`),
for a README or another page to show."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ..charts import Badge, badges
from ..routes import Kind, PageRoute, Route
from .kind import Layout, PageKind


class BadgeContext(NamedTuple):
    badge: Badge


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    for item in badges(layout.site.metrics, len(layout.papers), layout.profile.as_of):
        yield PageRoute(f"badges/{item.key}.svg", "badge.svg", BadgeContext(item), Kind.BADGE)


BADGE = PageKind(Kind.BADGE, "a badge (badges/)", routes, ("badges/",))
