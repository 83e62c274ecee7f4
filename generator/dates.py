"""Month names and the display date: the one table of months every reader and page uses."""

from __future__ import annotations

import datetime as dt
import re

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


#: Publication states written where a year would be (`year = {in press}`, BibLaTeX's
#: `pubstate = {inpress}`), each as the site shows it.
STATUSES = {"in press": "in press", "inpress": "in press", "forthcoming": "forthcoming",
            "to appear": "to appear", "accepted": "accepted", "submitted": "submitted",
            "in preparation": "in preparation", "in prep": "in preparation",
            "inpreparation": "in preparation", "under review": "under review",
            "in review": "under review", "underreview": "under review",
            "prepublished": "prepublished", "preprint": "preprint", "n d": "n.d.",
            "nd": "n.d.", "no date": "n.d.", "nodate": "n.d.", "undated": "n.d."}
#: The status of a work whose source gives no date at all, as APA writes it.
UNDATED = "n.d."
#: An ISO 8601 date as BibLaTeX and exports write it: `2018`, `2018-07`, `2018-07-10`, with
#: a time (`2025-04-09T10:53:48Z`) or the end of a range (`2018-07/2018-08`) after it.
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2}|[uX]{2})(?:-(\d{1,2}|[uX]{2}))?)?[?~%]?"
                  r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
                  r"(?:/(?:\d{4}[-\d]*)?|/\.\.)?")


def status_of(text: str) -> str | None:
    """The publication status `text` names ("In Press", "{forthcoming}", "to appear."),
    or None."""
    words = " ".join(re.sub(r"[{}().,;:]", " ", text).lower().split())
    return STATUSES.get(words)


def iso_parts(text: str) -> tuple[int, ...] | None:
    """(year,), (year, month) or (year, month, day) of an ISO 8601 date, its time and the
    end of a range set aside; what it leaves open (EDTF's `1999-uu`, a season `2017-21`)
    is not claimed. None when `text` is no such date."""
    match = _ISO.fullmatch(text.strip())
    if match is None:
        return None
    parts = []
    for part in match.groups():
        if not part or not part.isdigit() or (len(parts) == 1 and int(part) > 12):
            break
        parts.append(int(part))
    return tuple(parts)


def year_of(text: str) -> int | None:
    """A year as bibliographies write it: `2023`, `2023a` (a letter telling apart one
    author's works of a year), or the first of a range (`1973--1974`, `2019/20`); else the
    one number a value holds when it is a year (Zotero's `2018/ed`, `Mar/Apr 2007`) or a
    date written YYYYMMDD (`20210128`); None otherwise (`26`)."""
    match = re.fullmatch(r"\{?(\d{4})(?:[a-z]|\s*(?:--?|\u2013|/)\s*\d{2,4})?\}?",
                         text.strip())
    if match:
        return int(match.group(1))
    numbers = re.findall(r"\d+", text)
    if len(numbers) == 1 and re.fullmatch(r"[12]\d{3}(?:(?:0[1-9]|1[0-2])[0-3]\d)?",
                                          numbers[0]):
        return int(numbers[0][:4])
    return None
