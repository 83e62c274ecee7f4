"""An entry header's date as a day: with its year as written, or without one, the latest
such day on or before the profile's as-of date (docs/profile-format.md)."""

from __future__ import annotations

import datetime as dt

from ..dates import MONTH_NAMES
from .grammar import Header, month_day


class ImpossibleDate(ValueError):
    """A header's date that is no day; the message says which and why."""


def entry_date(header: Header, as_of: dt.date) -> tuple[dt.date, bool]:
    """The day the header names, and whether its year was inferred from `as_of` (the
    latest such day not after it, within 9 years). Raises ImpossibleDate."""
    if header.year is not None:
        if header.year == 0:
            raise ImpossibleDate(f"impossible date '{month_day(header)}, 0000': there is no "
                                 "year 0")
        try:
            return dt.date(header.year, header.month, header.day), False
        except ValueError:
            raise ImpossibleDate(
                f"impossible date '{month_day(header)}, {header.year}': "
                f"{MONTH_NAMES[header.month - 1]} {header.year} has no day {header.day}"
            ) from None
    for year in range(as_of.year, as_of.year - 9, -1):
        try:
            candidate = dt.date(year, header.month, header.day)
        except ValueError:
            continue
        if candidate <= as_of:
            return candidate, True
    raise ImpossibleDate(f"impossible date '{month_day(header)}': "
                         f"{MONTH_NAMES[header.month - 1]} has no day {header.day}")
