"""People's names split once into the parts citations need (given, family, particle,
suffix), or kept whole for an organisation, by nameparser and a few rules of ours:
"Jeffrey De Fauw" is family "De Fauw", "Ursula von der Leyen" is "Leyen" after the
particle "von der", "Martin Luther King Jr." keeps "Jr." as a suffix, "Gemini Team" is
one literal name.

Importing nameparser costs a build ~30 ms, more than splitting a site's names, so the
parts it gave are kept in the user cache (usercache.py), one file per version of this
module and of nameparser: a run that meets only names split before never imports it."""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import importlib.util
import json
import os
import re
import tempfile

from . import usercache
from .records import Name

#: A last word that makes a name an organisation's, not a person's.
ORGANISATION_WORDS = frozenset({
    "team", "consortium", "collaboration", "group", "project", "committee", "initiative",
    "lab", "labs", "laboratory", "network", "alliance", "society", "association",
    "institute", "foundation", "council", "organization", "organisation", "contributors",
    "authors", "inc.", "ltd."})


#: Authorship marks as characters, and the LaTeX that writes each.
MARKS = "*\u2020\u2021#"
_MARK_MACROS = {"\\ast": "*", "\\star": "*", "\\dagger": "\u2020", "\\dag": "\u2020",
                "\\textdagger": "\u2020", "\\ddagger": "\u2021", "\\ddag": "\u2021",
                "\\textdaggerdbl": "\u2021", "\\#": "#", "*": "*", "#": "#",
                "\u2020": "\u2020", "\u2021": "\u2021"}
_MARK = (r"(?:\\(?:ast|star|dagger|dag|textdagger|ddagger|ddag|textdaggerdbl)(?![A-Za-z])"
         r"|\\#|[*#\u2020\u2021])")
#: A run of marks: superscript (`$^{*}$`, `$^\dagger$`, `\textsuperscript{*}`, `^{*}`) or
#: bare (`Smith*`, `\dag`), each with the spaces and commas between marks.
_MARKS_WRITTEN = re.compile(
    rf"\$\s*\^\s*(?:\{{\s*(?P<a>{_MARK}(?:[\s,]*{_MARK})*)\s*\}}|(?P<b>{_MARK}))\s*\$"
    rf"|\\textsuperscript\s*\{{\s*(?P<c>{_MARK}(?:[\s,]*{_MARK})*)\s*\}}"
    rf"|\^\s*\{{\s*(?P<d>{_MARK}(?:[\s,]*{_MARK})*)\s*\}}"
    rf"|(?P<e>{_MARK})")
_ONE_MARK = re.compile(_MARK)


def take_marks(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` (a name as written, plain or LaTeX) without the authorship marks written
    into it (`Smith*`, `John Smith$^*$`, `Smith\\textsuperscript{*}`, `{Smith}$^\\dagger$`),
    and the marks in order, each once: `("*",)`, `("\u2020",)`. Text with none is returned
    as it is, so the common case costs one search."""
    if not _MARKS_WRITTEN.search(text):
        return text, ()
    marks: list[str] = []

    def take(match: re.Match[str]) -> str:
        run = next(group for group in match.groups() if group is not None)
        for mark in _ONE_MARK.findall(run):
            char = _MARK_MACROS[mark]
            if char not in marks:
                marks.append(char)
        return ""

    bare = _MARKS_WRITTEN.sub(take, text)
    bare = re.sub(r"\{\s*\}", "", bare)  # `{}` left by `\dag{}`
    return " ".join(bare.split()), tuple(marks)


def parse_name(text: str) -> Name:
    """`text`, one author as written ("S. M. Ali Eslami"), kept as written and in parts;
    authorship marks written into it (`Smith*`) are read as marks (`Name.marks`)."""
    bare, marks = take_marks(text)
    name = _parse_name(bare)
    return dataclasses.replace(name, marks=marks) if marks else name


@functools.lru_cache(maxsize=65536)  # co-authors recur across papers
def _parse_name(text: str) -> Name:
    words = text.split()
    if len(words) < 2 or words[-1].lower() in ORGANISATION_WORDS:
        return Name(text)
    joined = " ".join(words)
    known = _known()
    parts = known.get(joined, False)
    if parts is None or (type(parts) is list and len(parts) == 4
                         and all(type(part) is str for part in parts)):
        _used.add(joined)
    else:  # not split before (or a damaged entry)
        parts = known[joined] = _split(joined)
        if len(joined) <= LONGEST:
            _learned.add(joined)
            _save_at_exit()
    return Name(text, *parts) if parts else Name(text)


def _split(text: str) -> list[str] | None:
    """[given, family, particle, suffix] of a name of two words or more, as nameparser
    and our rule for particles give them; None to keep it whole."""
    from nameparser import HumanName

    try:
        human = HumanName(text)
    except Exception:  # noqa: BLE001 - any text at all may reach it; it stays whole then
        return None
    given = " ".join(filter(None, (human.first, human.middle)))
    family = human.last
    if not family or not given:
        return None
    # Lowercase words that lead the family name are its particle ("van", "von der");
    # capitalised ones belong to it ("De Fauw", "Van Der Berg"), as in Dutch and Flemish.
    parts = family.split(" ")
    lead = 0
    while lead < len(parts) - 1 and parts[lead].islower():
        lead += 1
    return [given, " ".join(parts[lead:]), " ".join(parts[:lead]), human.suffix]


#: Names split in this process that the cache file did not hold, and those it gave.
_learned: set[str] = set()
_used: set[str] = set()
#: How many names the cache file keeps (those of a site of ~1,500 papers, read in ~3 ms):
#: past that, it keeps only the last run's, so that it stays small to read.
LIMIT = 5_000
#: Longer text is no one's name (a fuzzing run's): split each time, never kept.
LONGEST = 200


@functools.lru_cache(maxsize=1)
def _cache_file() -> str | None:
    """The file of names split before, for this module and this nameparser (read from its
    files, not imported); None when there is no user cache."""
    try:
        made_by = [usercache.file_bytes(__file__)]
        spec = importlib.util.find_spec("nameparser")
        if spec is None or spec.origin is None:
            return None
        folder = os.path.dirname(spec.origin)
        made_by += [usercache.file_bytes(os.path.join(folder, name))
                    for name in ("__init__.py", "_version.py")
                    if os.path.isfile(os.path.join(folder, name))]
    except (OSError, ImportError, ValueError):
        return None
    found = usercache.folder("names", made_by)
    return os.path.join(found, "names.json") if found else None


@functools.lru_cache(maxsize=1)
def _known() -> dict[str, list[str] | None]:
    """The names split before (text -> parts), read once."""
    found = _read(_cache_file())
    if len(found) > LIMIT:
        _save_at_exit()  # to keep only this run's names
    return found


@functools.lru_cache(maxsize=1)
def _save_at_exit() -> None:
    atexit.register(_save)


def _read(path: str | None) -> dict[str, list[str] | None]:
    if path is None:
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _save() -> None:
    """Add the names this process split to the cache file (at exit: once, not per name),
    or, past LIMIT, keep only this run's; written whole to a new file and renamed, so a
    reader never sees half of one."""
    path = _cache_file()
    if path is None:
        return
    known = _known()
    names = {**_read(path), **{text: known[text] for text in _learned}}
    if len(names) > LIMIT:
        names = {text: known[text] for text in _used | _learned}
    try:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    except OSError:
        return
    try:
        # ASCII (JSON's escapes): any text at all may be a name, even a lone surrogate.
        with os.fdopen(handle, "w", encoding="ascii") as out:
            json.dump(names, out, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        return
    _learned.clear()
