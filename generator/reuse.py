"""What one build made, offered to the next: the dev server rebuilds on every save, and
most of what a rebuild makes (parsed papers, paper views, cards) is what the last one
made. The parser, the site model and the incremental renderer each keep one `Reuse`."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()


class Reuse:
    """Values by key, one build's worth: what a build takes or keeps, the next build may
    take, and what it leaves is dropped, so nothing piles up across rebuilds."""

    def __init__(self) -> None:
        self._last: dict[Hashable, Any] = {}
        self._next: dict[Hashable, Any] = {}

    def start(self) -> None:
        """Begin a build (a build that kept nothing leaves the last one's values)."""
        if self._next:
            self._last, self._next = self._next, {}

    def take(self, key: Hashable, fits: Callable[[Any], bool] | None = None) -> Any:
        """The last build's value for `key`, kept for the next build too; None when there
        is none or `fits` rejects it (for keys made of object ids: does it hold the very
        objects asked about?)."""
        value = self._last.get(key, _MISSING)
        if value is _MISSING or (fits is not None and not fits(value)):
            return None
        self._next[key] = value
        return value

    def keep(self, key: Hashable, value: Any) -> None:
        self._next[key] = value

    def get(self, key: Hashable, make: Callable[[], Any],
            fits: Callable[[Any], bool] | None = None) -> Any:
        """The last build's value for `key`, or `make()`'s, kept for the next build."""
        value = self.take(key, fits)
        if value is None:
            value = make()
            self.keep(key, value)
        return value
