"""The fields of a paper entry: the author line (names, "et al.", affiliations after
` · `)."""

from __future__ import annotations

import re

# Both searched for without a leading `\s*` or `\s+`: a regex that starts with a run of
# whitespace backtracks over every long run of spaces, quadratic on a long line.
_MIDDLE_DOT = re.compile(r"(?<=\s)·(?=\s)")  # the affiliations separator ` · `
_ET_AL = re.compile(r"\bet\s+al\.?$", re.IGNORECASE)


def looks_like_authors(text: str) -> bool:
    """Tell a lone author line from a lone abstract: names are short comma-separated items."""
    if len(text) > 2000:
        return False
    names, _ = _split_affiliations(text)
    names, _ = _split_et_al(names)
    items = [item for item in names.split(",") if item.strip()]
    return bool(items) and all(len(i.split()) <= 6 for i in items)


def _split_affiliations(text: str) -> tuple[str, str | None]:
    """`names · affiliations` at the first middle dot with whitespace on both sides."""
    dot = text.find("·")  # (the regex is tried at every position: start it at the first dot)
    match = None if dot == -1 else _MIDDLE_DOT.search(text, dot)
    if match is None:
        return text, None
    return text[: match.start()].rstrip(), text[match.end() :].lstrip()


def _split_et_al(names: str) -> tuple[str, bool]:
    """The names without a trailing `et al.` (and the comma before it), and whether it was there."""
    if names.endswith(" et al."):  # the usual case: that is where the match starts
        return names[: len(names) - 6].rstrip().removesuffix(","), True
    # A match ends the text (or its last line) with 'al' or 'al.', after whitespace and
    # 'et': search from there, not from the start (the pattern is tried at every position).
    al = len(names.rstrip("\n.")) - 2
    if al < 0 or names[al : al + 2].lower() != "al":
        return names, False
    match = _ET_AL.search(names, max(0, len(names[:al].rstrip()) - 2))
    if match is None:
        return names, False
    return names[: match.start()].rstrip().removesuffix(","), True


def _comma_list(text: str) -> tuple[str, ...]:
    """The non-empty items of a comma-separated list, stripped."""
    return tuple(filter(None, map(str.strip, text.split(","))))


def authors_line(text: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    names, after_dot = _split_affiliations(text)
    affiliations: tuple[str, ...] = ()
    if after_dot is not None:
        affiliations = _comma_list(after_dot)
    names, truncated = _split_et_al(names.strip())
    return _comma_list(names), truncated, affiliations
