"""URL slugs for papers: ASCII, bounded, unique, and stable when papers are added
or reordered (a slug depends on the paper itself, never on its position)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence

from .richtext import has_markup, plain

MAX_LENGTH = 60
# Names Windows refuses as file names; a slug must never be one of them.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
_TRANSLIT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "ð": "d",
        "ı": "i",
    }
)


_WORD = re.compile(r"[a-z0-9]+")


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary; may be empty.
    A title's markup is left out (`richtext.plain`: `<i>E. coli</i>` is `e-coli`)."""
    if has_markup(text):
        text = plain(text)
    if not text.isascii():  # (transliteration and NFKD leave ASCII text as it is)
        text = (
            unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
            .encode("ascii", "ignore")
            .decode("ascii")
        )
    slug = "-".join(_WORD.findall(text.lower()))
    if len(slug) <= max_length or slug[max_length] == "-":
        return slug[:max_length]
    # As many words as fit: up to the last hyphen that does; the first word, cut, if none.
    cut = slug.rfind("-", 0, max_length)
    return slug[:cut] if cut > 0 else slug[:max_length]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]


def _suffixed(slug: str, suffix: str) -> str:
    """`slug-suffix` within MAX_LENGTH, the slug cut at a hyphen (mid-word only if it must)."""
    room = MAX_LENGTH - len(suffix) - 1
    if len(slug) > room:
        cut = slug[: room + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:room]
    return f"{slug}-{suffix}"


def base_slug(title: str) -> str:
    """The slug a title asks for, before making it unique."""
    slug = slugify(title)
    if not slug:
        return f"paper-{_digest(title)}"
    if slug in _RESERVED:
        return f"{slug}-paper"
    return slug


def assign_slugs(keys: Sequence[tuple[str, str, str]]) -> list[str]:
    """Unique slugs for papers given as (title, iso date, authors) keys, in input order.

    A title's slug is used as is when no other paper asks for it. Of papers that share
    one, the earliest keeps it; each other year's earliest gets the year added, and the
    rest a short hash of date and authors besides. So a result depends only on the papers
    that collide, never on file order, and adding a newer paper with a title already
    there changes no existing paper's URL.
    """
    wanted = [base_slug(title) for title, _, _ in keys]
    asked = Counter(wanted)
    groups: dict[str, list[int]] = defaultdict(list)  # papers asking for the same slug
    for index, slug in enumerate(wanted):
        if asked[slug] > 1:
            groups[slug].append(index)
    result = list(wanted)
    for slug, members in groups.items():
        first, *rest = sorted(members, key=lambda i: (keys[i][1], keys[i][2], keys[i][0]))
        by_year: dict[str, list[int]] = defaultdict(list)
        for index in rest:  # (sorted: each year's earliest comes first)
            by_year[_suffixed(slug, keys[index][1][:4])].append(index)
        for with_year, same_year in by_year.items():
            earliest, *later = same_year
            result[earliest] = with_year
            for index in later:
                result[index] = _suffixed(with_year, _digest(*keys[index]))
    # Identical entries (same title, date and authors), or a suffixed slug that equals
    # another title's own slug, still need distinct slugs: a title keeping its own slug
    # comes first, the others are numbered in a stable order, skipping slugs taken.
    # A slug only one paper has is left as it is: only the others need ordering.
    taken = set(result)
    seen: set[str] = set()
    counts = Counter(result)
    shared = [index for index, slug in enumerate(result) if counts[slug] > 1]
    order = sorted(shared, key=lambda i: (result[i], result[i] != wanted[i], keys[i]))
    for index in order:
        slug = result[index]
        if slug not in seen:
            seen.add(slug)
            continue
        number = 2
        while _suffixed(slug, str(number)) in taken:
            number += 1
        result[index] = _suffixed(slug, str(number))
        taken.add(result[index])
    return result
