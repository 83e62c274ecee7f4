"""The test lock (requirements/test.txt) against pyproject.toml: every runtime dependency,
test tool and the build backend pinned, with hashes, at a version the range admits. A
dependency added to pyproject.toml without updating the lock fails here, by name, rather
than as an import error somewhere in the suite."""

from __future__ import annotations

import re

import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import REPO

LOCK = REPO / "requirements" / "test.txt"


def pins() -> dict[str, tuple[str, int]]:
    """name -> (version, how many hashes) of each package the lock installs."""
    text = LOCK.read_text(encoding="utf-8")
    found = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if match:
            found[canonicalize_name(match.group(1))] = (match.group(2),
                                                        block.count("--hash=sha256:"))
    return found


def test_the_lock_pins_every_declared_dependency_within_its_range_with_hashes():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    declared = [*project["project"]["dependencies"],
                *project["project"]["optional-dependencies"]["test"],
                *project["build-system"]["requires"]]
    locked = pins()
    for line in declared:
        wanted = Requirement(line)
        name = canonicalize_name(wanted.name)
        assert name in locked, f"{name} is in pyproject.toml but not in {LOCK.name}: update it"
        version, hashes = locked[name]
        assert wanted.specifier.contains(version, prereleases=True), (line, version)
        assert hashes > 0, f"{name}=={version} has no hash"
    assert all(hashes for _, hashes in locked.values())
