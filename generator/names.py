"""People's names split once into the parts citations need (given, family, particle,
suffix), or kept whole for an organisation, by nameparser and a few rules of ours:
"Jeffrey De Fauw" is family "De Fauw", "Ursula von der Leyen" is "Leyen" after the
particle "von der", "Martin Luther King Jr." keeps "Jr." as a suffix, "Gemini Team" is
one literal name."""

from __future__ import annotations

import functools

from nameparser import HumanName

from .records import Name

#: A last word that makes a name an organisation's, not a person's.
ORGANISATION_WORDS = frozenset({
    "team", "consortium", "collaboration", "group", "project", "committee", "initiative",
    "lab", "labs", "laboratory", "network", "alliance", "society", "association",
    "institute", "foundation", "council", "organization", "organisation", "contributors",
    "authors", "inc.", "ltd."})


@functools.lru_cache(maxsize=65536)  # co-authors recur across papers
def parse_name(text: str) -> Name:
    """`text`, one author as written ("S. M. Ali Eslami"), kept as written and in parts."""
    words = text.split()
    if len(words) < 2 or words[-1].lower() in ORGANISATION_WORDS:
        return Name(text)
    try:
        human = HumanName(" ".join(words))
    except Exception:  # noqa: BLE001 - any text at all may reach it; it stays whole then
        return Name(text)
    given = " ".join(filter(None, (human.first, human.middle)))
    family = human.last
    if not family or not given:
        return Name(text)
    # Lowercase words that lead the family name are its particle ("van", "von der");
    # capitalised ones belong to it ("De Fauw", "Van Der Berg"), as in Dutch and Flemish.
    parts = family.split(" ")
    lead = 0
    while lead < len(parts) - 1 and parts[lead].islower():
        lead += 1
    particle, family = " ".join(parts[:lead]), " ".join(parts[lead:])
    return Name(text, given, family, particle, human.suffix)
