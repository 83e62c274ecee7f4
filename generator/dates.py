"""Month names and the display date: the one table of months every reader and page uses."""

from __future__ import annotations

import datetime as dt

from .i18n import LocaleDate, locale_date

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
#: A month's number (1-12) by its three-letter name.
MONTH_NUMBER = {name: index + 1 for index, name in enumerate(MONTHS)}


def format_date(date: dt.date, fmt: str | LocaleDate | None) -> str:
    """A date as `fmt` (strftime, English month names; `%-d` is the day without a zero)
    says, or as a locale writes it (i18n.LocaleDate); without one, `Jan 28, 2022`."""
    if isinstance(fmt, LocaleDate):
        return locale_date(date, fmt)
    if not fmt:
        return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"
    fmt = (fmt.replace("%-d", str(date.day)).replace("%b", MONTHS[date.month - 1])
           .replace("%B", MONTH_NAMES[date.month - 1]))
    return date.strftime(fmt)


def date_parts(date: dt.date, precision: str = "day") -> tuple[int, ...]:
    """(year,), (year, month) or (year, month, day): as much of `date` as is known."""
    return (date.year, date.month, date.day)[: ("year", "month", "day").index(precision) + 1]


def iso_date(date: dt.date, precision: str = "day") -> str:
    """`2017`, `2017-03` or `2017-03-08`: ISO 8601 with as much of `date` as is known
    (as HTML's datetime, schema.org and Open Graph take it)."""
    if precision == "day":
        return date.isoformat()
    return "-".join(f"{part:02d}" for part in date_parts(date, precision))
