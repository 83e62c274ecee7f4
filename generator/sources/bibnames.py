"""A .bib name list (`author`, `editor`) as names in parts: split at `and` as BibTeX
splits it, each name by BibTeX's rules (bibtexparser's), or by BibLaTeX's extended
format as Better BibLaTeX writes it (`family=Linde, given=Jelmer, prefix=van der,
useprefix=false`); authorship marks written into a name (`Smith*`, `$^\\dagger$`) read
as marks, not as part of it."""

from __future__ import annotations

import re

from ..names import take_marks
from ..records import Name
from .latex import _text

#: The keys of BibLaTeX's extended name format (biblatex manual, 3.4), by our part.
_EXTENDED = {"given": "given", "family": "family", "prefix": "particle", "suffix": "suffix"}
#: A name in the extended format: it starts with one of its keys and '='.
_IS_EXTENDED = re.compile(r"\s*(?:family|given|prefix|suffix|useprefix|given-i|"
                          r"family-i|prefix-i|suffix-i)\s*=", re.I)


def split_names(value: str) -> tuple[tuple[Name, ...], bool]:
    """The names of a name list (its LaTeX as written, macros expanded), and whether it
    ends in "and others" (a truncated list)."""
    names, truncated = [], False
    for written in _top_level(value, _AND):
        bare, marks = take_marks(written)
        if not bare.strip():
            continue
        if bare.strip().lower() == "others":
            truncated = True
            continue
        name = _extended(bare) if _IS_EXTENDED.match(bare) else _classic(bare.strip())
        if name is not None:
            names.append(Name(name.text, name.given, name.family, name.particle,
                              name.suffix, marks) if marks else name)
    return tuple(names), truncated


def _classic(written: str) -> Name | None:
    """A name in BibTeX's forms (`First von Last`, `von Last, First`, `von Last, Jr,
    First`), in parts; one with no given name or particle ("{Gemini Team}") whole."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    parts = parse_single_name_into_parts(written, strict=False)
    given, particle, family, suffix = (_text(" ".join(p)) for p in
                                       (parts.first, parts.von, parts.last, parts.jr))
    text = " ".join(filter(None, (given, particle, family, suffix)))
    if not text:
        return None
    if not family or (not given and not particle):
        return Name(text)
    return Name(text, given, family, particle, suffix)


def _extended(written: str) -> Name | None:
    """`family=Linde, given=Jelmer, prefix=van der, useprefix=false` in parts: each
    `key=value` (a value may be braced), keys of other uses (`useprefix`, `given-i`)
    set aside."""
    parts = dict.fromkeys(_EXTENDED.values(), "")
    for item in _top_level(written, _COMMA):
        key, _, value = item.partition("=")
        field = _EXTENDED.get(key.strip().lower())
        if field is not None:
            value = value.strip()
            if value.startswith("{") and value.endswith("}"):
                value = value[1:-1]
            parts[field] = _text(value)
    given, family = parts["given"], parts["family"]
    text = " ".join(filter(None, (given, parts["particle"], family, parts["suffix"])))
    if not text:
        return None
    if not family or not (given or parts["particle"]):
        return Name(text)
    return Name(text, given, family, parts["particle"], parts["suffix"])


#: What separates names (`and` between spaces, any case) and the parts of an extended name.
_AND = re.compile(r"\s+and\s+", re.I)
_COMMA = re.compile(r",")


def _top_level(text: str, separator: re.Pattern[str]) -> list[str]:
    """`text` cut where `separator` matches outside braces (as BibTeX cuts a name list)."""
    items, depth, start, at = [], 0, 0, 0
    while at < len(text):
        char = text[at]
        if char == "\\":  # an escaped brace counts for nothing
            at += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth <= 0:
            found = separator.match(text, at)
            if found:
                items.append(text[start:at])
                start = at = found.end()
                continue
        at += 1
    return [*items, text[start:]]
