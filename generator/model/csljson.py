"""Citations in CSL-JSON (what citeproc, Zotero and citation-js read): one item a paper,
laid out exactly as `json.dumps(item, ensure_ascii=False, indent=2)` writes it, its
strings escaped by JSON's own string encoder (see model/citations.py, which puts items
into files); a title in CSL's rich text (`<i>`, `<b>`, `<sub>`, `<sup>`, `<span
class="nocase">`), its formulas as written."""

from __future__ import annotations

import json
import textwrap

from .. import richtext
from ..dates import date_parts
from ..records import DETAILS, Biblio, Name, Paper
from ..worktypes import WORK_TYPES, WorkType

#: What RIS and CSL-JSON, which have no "et al.", say of a truncated author list.
TRUNCATED_NOTE = "The author list is truncated (et al.): only the first authors are named."
# Line breaks to str.splitlines, and so to textwrap.indent, besides "\\n". JSON escapes
# the control characters among them but not U+0085, U+2028 or U+2029.
_OTHER_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def indented(text: str) -> str:
    """`textwrap.indent(text, "  ")`: two spaces before each line that is not all
    whitespace. Done directly when only "\\n" breaks lines and no line is blank, as in
    what csl_item writes unless its text holds U+0085, U+2028 or U+2029 (textwrap is
    slow on 10,000 items)."""
    if not any(char in text for char in _OTHER_LINE_BREAKS):
        lines = text.split("\n")
        if "" not in lines and not any(map(str.isspace, lines)):
            return "  " + "\n  ".join(lines)
    return textwrap.indent(text, "  ")


#: A string as JSON: the very function json.dumps(..., ensure_ascii=False) encodes strings
#: with, the C one where there is one.
_json_string = json.encoder.encode_basestring


def csl_item(paper: Paper, key: str, url: str | None = None, doi: str | None = None,
             venue: str | None = None, work_type: WorkType = WORK_TYPES["other"]) -> str:
    """The paper's CSL-JSON item, exactly as `json.dumps(item, ensure_ascii=False,
    indent=2)` writes it: laid out here around the C string encoder, because with an
    indent json.dumps runs its pure-Python encoder, which is slow."""
    date = paper.date
    members = [
        f'  "id": {_json_string(key)}',
        f'  "citation-key": {_json_string(key)}',
        f'  "type": {_json_string(work_type.csl)}',
    ]
    if work_type.genre:
        members.append(f'  "genre": {_json_string(work_type.genre)}')
    members.append(f'  "title": {_json_string(richtext.csl(paper.title))}')
    written = {work_type.credit}
    if venue:
        members.append(f'  {_json_string(work_type.csl_venue)}: {_json_string(venue)}')
        written.add(work_type.csl_venue)
    if paper.authors:
        names = ",\n".join([_csl_name(name) for name in paper.authors])
        members.append(f'  {_json_string(work_type.credit)}: [\n{names}\n  ]')
    else:
        members.append(f'  {_json_string(work_type.credit)}: []')
    if paper.biblio:
        members += _csl_details(paper.biblio, written)
    if paper.status and paper.year_inferred:  # in press: CSL's status, no issued date
        members.append(f'  "status": {_json_string(paper.status)}')
    else:
        parts = ",\n".join(f"        {part}" for part in date_parts(date, paper.precision))
        members.append('  "issued": {\n    "date-parts": [\n      [\n'
                       f"{parts}\n      ]\n    ]\n  }}")
    if doi:
        members.append(f'  "DOI": {_json_string(doi)}')
    if url:
        members.append(f'  "URL": {_json_string(url)}')
    if paper.abstract:
        members.append(f'  "abstract": {_json_string(paper.abstract)}')
    if paper.authors_truncated:  # CSL has no "et al." of its own
        members.append(f'  "note": {_json_string(TRUNCATED_NOTE)}')
    return "{\n" + ",\n".join(members) + "\n}"


def _csl_details(biblio: Biblio, written: set[str]) -> list[str]:
    """The details' members (records.DETAILS: each as its CSL variable, the editors as
    names, the pages as "877-888"), but for variables `written` already."""
    members = []
    for name, detail in DETAILS.items():
        value = getattr(biblio, name)
        if not value or detail.csl in written:
            continue
        written.add(detail.csl)
        if name == "editors":
            names = ",\n".join([_csl_name(editor) for editor in value])
            members.append(f'  {_json_string(detail.csl)}: [\n{names}\n  ]')
            continue
        if name == "pages":
            first, last = biblio.page_range
            value = f"{first}-{last}" if last else value
        members.append(f'  {_json_string(detail.csl)}: {_json_string(value)}')
    return members


def _csl_name(name: Name) -> str:
    """An author as a CSL name object, laid out as an element of csl_item's `author`: a
    lowercase particle as `non-dropping-particle` ("von der Leyen, U." in APA)."""
    if name.literal:
        return f'    {{\n      "literal": {_json_string(" ".join(name.text.split()))}\n    }}'
    parts = [("family", name.family), ("given", name.given),
             ("non-dropping-particle", name.particle), ("suffix", name.suffix)]
    members = ",\n".join(f"      {_json_string(key)}: {_json_string(value)}"
                         for key, value in parts if value)
    return f"    {{\n{members}\n    }}"
