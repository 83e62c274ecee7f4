"""The dev server reads an edited profile taking back the records of entries whose lines
did not change (`reuse`): the result must be exactly a full parse's, whatever the edit.

Each example makes a series of random edits to a profile (replacing a stretch of bytes
with pieces of profile text: header lines, blank lines, author lines, invisible
characters, CR line ends, bad UTF-8) and reads each version both with the dev server's
Reuse and from scratch: the same records (slugs and lines included) and warnings, or the
same errors.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ProfileError
from generator.profile import read_profile_with_warnings
from generator.reuse import Reuse

from .conftest import REPO

AS_OF = dt.date(2026, 11, 23)
REFERENCE = (REPO / "content" / "profile.txt").read_bytes()
# The reference with warnings: a count line that disagrees, an entry without its author
# line (a blank line keeps the line count), an abstract with a further paragraph.
WARNED = (REFERENCE.decode("utf-8").replace("33 Papers", "34 Papers")
          .replace("Nikhil Parthasarathy, S. M. Ali Eslami, João Carreira et al.", "", 1)
          .replace("Code: https://github.com/deepmind/functa",
                   "Code: https://github.com/deepmind/functa\n\nMore.", 1)
          .encode("utf-8"))
# Edits that keep the line count (most of them, so most edits are read as patches).
NEUTRAL = ["", " ", "x", "Code", "et al.", " · deepmind", "CVOct 12, 2022", "LGFeb 30, 2021",
           "CVOtc 12", "Code: https://example.org/x.", "Kočiský", "Papers", "A. B, C. D"]
PIECES = [
    "", " ", "x", "Code", "\n", "\n\n", "et al.", " · deepmind", "CVOct 12, 2022",
    "\n54.9AIMay 10Code\nA title\n\nA. Author, B. Author\n\nAn abstract.\n",
    "LGFeb 30, 2021", "CVOtc 12", "Code: https://example.org/x.", "\u202e", "\x00",
    "\r\n", "Kočiský", "\n\nA further paragraph.", "Papers", "h-index12",
]


def outcome(path: Path, cache: Reuse | None):
    """What reading the profile gives: records and warnings, or the errors."""
    try:
        profile, warnings = read_profile_with_warnings(path, AS_OF, "profile.txt", cache)
        # Records equal whatever their line (records.Paper): compare the lines too.
        return profile, warnings, [paper.line for paper in profile.papers]
    except ProfileError as error:
        return ("error", error.problems)
    except UnicodeDecodeError:  # pragma: no cover - decode reports these as ProfileError
        raise


edits = st.lists(
    st.tuples(
        st.floats(0, 1),  # where, as a fraction of the file
        st.integers(0, 12) | st.integers(0, 300),  # how many bytes to replace
        st.lists(st.sampled_from(NEUTRAL) | st.sampled_from(PIECES), max_size=3
                 ).map("".join),
        st.integers(0, 9).map(lambda n: n == 0),  # break the UTF-8 of the new text
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.sampled_from([REFERENCE, WARNED]), edits=edits)
def test_a_parse_that_reuses_entries_is_a_full_parse(tmp_path, base, edits):
    path = tmp_path / "profile.txt"
    data = base
    path.write_bytes(data)
    cache = Reuse()
    assert outcome(path, cache) == outcome(path, None)
    for where, length, text, broken in edits:
        at = int(where * len(data))
        new = text.encode("utf-8") + (b"\xff" if broken else b"")
        data = data[:at] + new + data[at + length:]
        path.write_bytes(data)
        assert outcome(path, cache) == outcome(path, None)


@pytest.mark.parametrize("old, new", [
    ("Humans learn powerful representations", "People learn strong representations"),
    ("Self-supervised video pretraining", "Video pretraining"),  # a title: a new slug
    ("\nCVOct 12, 2022\n", "\nLGOct 12, 2022Code\n"),  # a header
])
def test_an_edit_inside_an_entry_gives_back_every_other_record_itself(tmp_path, old, new):
    path = tmp_path / "profile.txt"
    path.write_bytes(REFERENCE)
    cache = Reuse()
    before, _ = read_profile_with_warnings(path, AS_OF, "profile.txt", cache)
    text = REFERENCE.decode("utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    after, warnings = read_profile_with_warnings(path, AS_OF, "profile.txt", cache)
    assert (after, warnings) == read_profile_with_warnings(path, AS_OF, "profile.txt")
    changed = [i for i, (a, b) in enumerate(zip(before.papers, after.papers, strict=True))
               if a is not b]
    assert len(changed) == 1  # every other record is the very same object


def test_a_line_added_above_moves_the_records_below_to_their_new_lines(tmp_path):
    path = tmp_path / "profile.txt"
    path.write_bytes(REFERENCE)
    cache = Reuse()
    before, _ = read_profile_with_warnings(path, AS_OF, "profile.txt", cache)
    text = REFERENCE.decode("utf-8").replace("Humans learn", "Humans\nlearn", 1)
    path.write_bytes(text.encode("utf-8"))
    after, _ = read_profile_with_warnings(path, AS_OF, "profile.txt", cache)
    fresh, _ = read_profile_with_warnings(path, AS_OF, "profile.txt")
    assert [p.line for p in after.papers] == [p.line for p in fresh.papers]
    assert [p.line for p in after.papers] != [p.line for p in before.papers]
    assert after == fresh
