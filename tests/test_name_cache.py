"""Names split by nameparser are kept in the user cache (names.py), so that a build meeting
only names it split before never imports nameparser (~30 ms): the parts read back are
the very parts nameparser gave, and a damaged cache is split again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

NAMES = ["S. M. Ali Eslami", "Ursula von der Leyen", "Martin Luther King Jr.",
         "Jeffrey De Fauw", "Gemini Team", "Dr. Jane Smith", "Ada", "  Danilo   J. Rezende ",
         "José Miguel Hernández-Lobato", "Vincent van Gogh III", "Lovelace, Ada",
         "Jane \udfffDoe Smith"]  # a lone surrogate: any text at all may reach the cache
SCRIPT = f"""
import dataclasses, json, sys
from generator.names import parse_name
parts = [dataclasses.astuple(parse_name(text)) for text in {NAMES!r}]
print(json.dumps({{"parts": parts, "imported": "nameparser" in sys.modules}}))
"""


def split(cache: Path) -> dict:
    """The names split in a new process whose user cache is `cache`."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_names_split_once_are_read_back_without_importing_nameparser(tmp_path):
    first, second = split(tmp_path), split(tmp_path)
    assert first["imported"] and not second["imported"]
    assert second["parts"] == first["parts"]
    assert ["S. M. Ali Eslami", "S. M. Ali", "Eslami", "", "", []] in first["parts"]
    assert ["Ursula von der Leyen", "Ursula", "Leyen", "von der", "", []] in first["parts"]


def test_a_damaged_cache_is_split_again(tmp_path):
    reference = split(tmp_path)
    (cached,) = tmp_path.glob("scholarfolio/names-*/names.json")
    names = json.loads(cached.read_text(encoding="utf-8"))
    names["Ursula von der Leyen"] = ["only", "three", "parts"]
    cached.write_text(json.dumps(names), encoding="utf-8")
    again = split(tmp_path)
    assert again["imported"] and again["parts"] == reference["parts"]
    cached.write_text("{not json", encoding="utf-8")
    assert split(tmp_path)["parts"] == reference["parts"]


def test_the_cache_keeps_no_overlong_text_and_past_its_limit_only_the_last_run(tmp_path):
    from generator import names

    reference = split(tmp_path)
    (cached,) = tmp_path.glob("scholarfolio/names-*/names.json")
    kept = json.loads(cached.read_text(encoding="utf-8"))
    assert len(kept) == len(NAMES) - 2  # "Ada" is one word, "Gemini Team" an organisation
    others = {f"Someone Else{index}": ["Someone", f"Else{index}", "", ""]
              for index in range(names.LIMIT)}
    cached.write_text(json.dumps({**kept, **others}), encoding="utf-8")
    assert split(tmp_path)["parts"] == reference["parts"]
    assert json.loads(cached.read_text(encoding="utf-8")) == kept
    long_name = "Jane " + "x" * names.LONGEST
    script = f"from generator.names import parse_name; parse_name({long_name!r})"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    assert json.loads(cached.read_text(encoding="utf-8")) == kept
