"""The parser: profile text to records, every problem collected with its line and
column so one run reports all of them. A line is an index into the text's lines; the
grammar of one line is in grammar.py, the author line in fields.py, an entry's date in
entry_date.py, and how problems are placed (and the invisible-character warning) in
problems.py."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import Problem, ProfileError
from ..names import parse_name
from ..records import ExtraMetric, Metrics, Number, Paper, Profile
from ..reuse import Reuse
from ..slugs import assign_slugs
from ..text import abstract_links
from .entry_date import ImpossibleDate, entry_date
from .fields import authors_line, looks_like_authors
from .grammar import (
    CATEGORY_LINE,
    COUNT_LINE,
    HEADER_EXAMPLE,
    KNOWN_METRICS,
    LABEL_FIRST,
    MAX_DIGITS,
    VALUE_FIRST,
    Header,
    HeaderMismatch,
    headerish,
    looks_mistyped,
    number,
    parse_header,
    read_header,
)
from .problems import count_warning, invisible_characters, problem_at


@dataclass(slots=True)
class _Entry:
    """An entry's lines, as indices into the parser's line lists (see `_Parser`)."""

    header: int | None
    parsed: Header | None
    title: int | None
    fields: list[range] = field(default_factory=list)  # runs of lines
    discard: bool = False  # the header was bad: absorb its lines, build no paper




#: What `_Parser._made` gives for an entry: its paper's fields (a new entry) or record (one
#: kept from an earlier parse), and with `reuse` the key and problems to keep it under.
_Made = tuple[dict[str, Any] | Paper | None, tuple[Any, tuple[Any, ...]] | None]


class _Parser:
    """One parse of one text.

    A line is referred to by its 0-based index into `raws` (the lines as written, without
    line ends) and `texts` (the same lines stripped of surrounding whitespace), not by an
    object of its own: a 10,000-paper profile has 70,000 lines. A run of lines is a
    `range` of indices. Line numbers, columns and source lines are worked out only for
    the lines a problem is reported on.
    """

    def __init__(self, text: str, path: str, as_of: dt.date, reuse: Reuse | None = None):
        self.path = path
        self.as_of = as_of
        self.reuse = reuse
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        text = text.removeprefix("\ufeff")
        if "\r" in text:  # the same lines as splitting at each \r\n, \r or \n
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.raws = text.split("\n")
        self.texts = [raw.strip() for raw in self.raws]

    # -- reporting -------------------------------------------------------------

    def _problem(self, index: int, offset: int, message: str, warning: bool) -> Problem:
        """A problem at `offset` in line `index`'s stripped text: the column counts the
        leading whitespace, the source line shown drops the trailing whitespace."""
        return problem_at(self.path, index, self.raws[index], offset, message, warning)

    def error(self, index: int, offset: int, message: str) -> None:
        self.errors.append(self._problem(index, offset, message, False))

    def warn(self, index: int, offset: int, message: str) -> None:
        self.warnings.append(self._problem(index, offset, message, True))

    # -- top level -------------------------------------------------------------

    def run(self) -> tuple[Profile, list[Problem]]:
        invisible = invisible_characters(self.path, self.raws)
        if invisible is not None:
            self.warnings.append(invisible)
        groups = self._groups()
        if not groups:
            raise ProfileError(
                Problem(
                    self.path,
                    1,
                    1,
                    "the profile is empty: expected the researcher's name on the first line",
                )
            )
        name, category, metrics, count_line, body = self._header(groups)
        entries = self._entries(body)
        if self.reuse is not None:
            self.reuse.start()
        made = [m for m in map(self._made, entries) if m[0] is not None]
        declared = None
        if count_line is not None:
            declared = number(COUNT_LINE.fullmatch(self.texts[count_line]).group(1))
            if declared is None:
                self.error(
                    count_line,
                    0,
                    f"a count of more than {MAX_DIGITS} digits; expected the number of "
                    "papers, such as '33 Papers'",
                )
            elif declared != len(entries):
                self.warnings.append(count_warning(self.path, count_line,
                                                   self.raws[count_line], declared,
                                                   len(entries)))
        if self.errors:
            problems = sorted(self.errors + self.warnings, key=lambda p: (p.line, p.col))
            raise ProfileError(problems)
        profile = Profile(
            name=name,
            category=category,
            metrics=metrics,
            papers=tuple(self._slugged(made)),
            declared_count=declared,
            as_of=self.as_of,
        )
        return profile, self.warnings

    def _slugged(self, made: list[_Made]) -> list[Paper]:
        """Each entry's paper with its slug. A slug depends on every paper's title, date
        and authors (slugs.assign_slugs), so entries are read first and the records made
        after; a record kept from an earlier parse is taken as it is while its slug holds."""
        named = [(f["title"], f["date"].isoformat(), ", ".join(map(str, f["authors"])))
                 if isinstance(f, dict)
                 else (f.title, f.date.isoformat(), ", ".join(map(str, f.authors)))
                 for f, _ in made]
        slugs = (assign_slugs(named) if self.reuse is None
                 else self.reuse.get("slugs", lambda: (named, assign_slugs(named)),
                                     fits=lambda found: found[0] == named)[1])
        papers = []
        for (found, kept), slug in zip(made, slugs, strict=True):
            if isinstance(found, dict):
                found["slug"] = slug
                paper = Paper(**found)
            else:
                paper = found if found.slug == slug else replace(found, slug=slug)
            if kept is not None and self.reuse is not None:
                key, problems = kept
                self.reuse.keep(key, (paper, *problems))
            papers.append(paper)
        return papers

    def _groups(self, first: int = 0, stop: int | None = None) -> list[range]:
        """Runs of non-blank lines (of lines `first` to `stop`); a valid entry header
        always starts a new run."""
        groups: list[range] = []
        start = -1  # the current run's first line, -1 between runs
        stop = len(self.texts) if stop is None else stop
        for index, text in enumerate(self.texts[first:stop], first):
            if not text:
                if start >= 0:
                    groups.append(range(start, index))
                    start = -1
            elif start < 0:
                start = index
            elif read_header(text) is not None:
                groups.append(range(start, index))
                start = index
        if start >= 0:
            groups.append(range(start, stop))
        return groups

    # -- header ----------------------------------------------------------------

    def _header(self, groups: list[range]):
        texts = self.texts
        first = groups[0].start
        if read_header(texts[first]) is not None:
            self.error(
                first,
                0,
                "expected the researcher's name on the first line, found a paper entry header",
            )
            return "", "", Metrics(), None, groups
        name = texts[first]
        # The entries start at the first entry header, valid or mistyped (so a bad first
        # header is reported like any other, with what was expected).
        body_start = next(
            (
                i
                for i, group in enumerate(groups)
                if i > 0
                and (
                    read_header(texts[group.start]) is not None
                    or looks_mistyped(texts[group.start])
                )
            ),
            len(groups),
        )
        body = groups[body_start:]
        # Header lines after the name, each with the index of its blank-separated run.
        rest = [
            (gi, index) for gi, group in enumerate(groups[:body_start]) for index in group
        ][1:]
        category = ""
        metric_lines: list[int] = []
        metric_group: int | None = None
        count_line: int | None = None
        leftovers: list[int] = []
        for position, (group_index, index) in enumerate(rest):
            text = texts[index]
            if position == 0 and CATEGORY_LINE.fullmatch(text):
                category = text
            elif count_line is None and COUNT_LINE.fullmatch(text):
                count_line = index
            elif count_line is None and metric_group in (None, group_index):
                # Metrics are one run of lines; a later run is not a metric.
                metric_group = group_index
                metric_lines.append(index)
            else:
                leftovers.append(index)
        if not category:
            where = rest[0][1] if rest else first
            offset = 0 if rest else len(name)
            self.error(
                where,
                offset,
                "expected the primary category code on the line after "
                "the name (two or more capital letters, such as CV)",
            )
        if leftovers:
            # Text between the count line and the first entry: report what was expected.
            self._unexpected(leftovers[0])
        return name, category, self._metrics(metric_lines), count_line, body

    def _metrics(self, lines: list[int]) -> Metrics:
        known: dict[str, Number] = {}
        extra: list[ExtraMetric] = []
        for index in lines:
            line = self.texts[index]
            match = LABEL_FIRST.fullmatch(line) or VALUE_FIRST.fullmatch(line)
            if match is None:
                extra.append(ExtraMetric(line, None, "", index + 1))
                continue
            label = match.group("label").strip()
            value = number(match.group("value"))
            if value is None:
                self.error(
                    index,
                    match.start("value"),
                    f"a number of more than {MAX_DIGITS} digits; expected a metric value "
                    "such as 13,433",
                )
                continue
            key = KNOWN_METRICS.get(re.sub(r"[^a-z]", "", label.lower()))
            if key and key not in known:
                known[key] = value
            else:
                text = match.group("value") + match.group("pct")
                extra.append(ExtraMetric(label, value, text, index + 1))
        return Metrics(**known, extra=tuple(extra))

    # -- entries ---------------------------------------------------------------

    def _entries(self, groups: list[range]) -> list[_Entry]:
        entries: list[_Entry] = []
        current: _Entry | None = None
        texts = self.texts
        for group in groups:
            start = group.start
            text = texts[start]
            parsed = read_header(text)
            if parsed is not None:
                current = _Entry(start, parsed, start + 1 if len(group) > 1 else None)
                entries.append(current)
                if len(group) > 2:
                    current.fields.append(group[2:])
                continue
            expecting = current is not None and (current.discard or len(current.fields) < 2)
            if expecting and not looks_mistyped(text):
                current.fields.append(group)
                continue
            if headerish(text):
                mismatch = parse_header(text)  # not a valid header: where and what expected
                self.error(start, mismatch.offset, f"{mismatch.expected}; {HEADER_EXAMPLE}")
                # Counted as an entry (for the count line) but builds no paper.
                current = _Entry(None, None, None, discard=True)
                entries.append(current)
                continue
            if current is None:
                self._unexpected(start)
                current = _Entry(None, None, None, discard=True)
                continue
            self.warn(
                start,
                0,
                "a further paragraph after the abstract; kept as part of the "
                "abstract (expected an entry header or a blank line)",
            )
            current.fields.append(group)
        return entries

    def _unexpected(self, index: int) -> None:
        text = self.texts[index]
        parsed = parse_header(text)
        offset, detail = 0, "unexpected text"
        if isinstance(parsed, HeaderMismatch) and headerish(text):
            # Looks like a mistyped header: say where and what was expected.
            offset, detail = parsed.offset, parsed.expected
        self.error(index, offset, f"{detail}; {HEADER_EXAMPLE}")

    def _made(self, entry: _Entry) -> _Made:
        """The entry's paper fields (see `_paper`), or its record from `reuse` when the
        entry's lines, where they start, the file's name and the as-of date are those of
        an entry parsed before (nothing else goes into a paper or its problems); its
        problems are reported again. With `reuse`, also what to keep for the next parse."""
        reuse = self.reuse
        if reuse is None or entry.header is None or entry.parsed is None or entry.discard:
            return self._paper(entry), None
        header = entry.header
        end = max([run.stop for run in entry.fields]
                  + [(entry.title if entry.title is not None else header) + 1])
        # Where the lines are relative to the header: an entry that only moved (a line
        # added above it) is found too, and moved to its new line.
        key = (self.path, self.as_of, None if entry.title is None else entry.title - header,
               tuple((run.start - header, run.stop - header) for run in entry.fields),
               tuple(self.raws[header:end]))
        found = reuse.take(key)
        if found is None:
            warnings, errors = len(self.warnings), len(self.errors)
            fields = self._paper(entry)
            return fields, (key, (self.warnings[warnings:], self.errors[errors:], header))
        paper, warnings, errors, was = found
        if was != header:
            shift = header - was
            paper = replace(paper, line=header + 1)
            warnings = [replace(p, line=p.line + shift) for p in warnings]
            errors = [replace(p, line=p.line + shift) for p in errors]
        self.warnings += warnings
        self.errors += errors
        return paper, (key, (warnings, errors, header))

    def _paper(self, entry: _Entry) -> dict[str, Any] | None:
        """The fields of the entry's paper, its slug still empty (see `_slugged`), or None
        if it builds none."""
        if entry.discard or entry.header is None or entry.parsed is None:
            return None
        header, parsed, texts = entry.header, entry.parsed, self.texts
        if entry.title is None:
            self.error(
                header,
                len(texts[header]),
                "entry has no title: expected the paper's title on the line after its header",
            )
            return None
        try:
            date_value, inferred = entry_date(parsed, self.as_of)
        except ImpossibleDate as exc:
            self.error(header, parsed.day_col, str(exc))
            return None
        fields = [
            texts[run.start] if len(run) == 1 else " ".join(texts[run.start : run.stop])
            for run in entry.fields
        ]
        authors_text, abstract_parts = "", fields
        if fields and (len(fields) > 1 or looks_like_authors(fields[0])):
            authors_text, abstract_parts = fields[0], fields[1:]
        if not authors_text:
            self.warn(header, 0, "entry has no author line")
        authors, truncated, affiliations = authors_line(authors_text)
        abstract = "\n\n".join(abstract_parts)
        links, code_url = abstract_links(abstract)
        return {
            "slug": "",
            "title": texts[entry.title],
            "authors": tuple(map(parse_name, authors)),
            "authors_truncated": truncated,
            "affiliations": affiliations,
            "category": parsed.category,
            "date": date_value,
            "year_inferred": inferred,
            "score": parsed.score,
            "has_code": parsed.has_code,
            "code_url": code_url,
            "links": links,
            "abstract": abstract,
            "line": header + 1,
        }
