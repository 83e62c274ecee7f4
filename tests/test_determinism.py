"""Deterministic output: the same input builds the same bytes, whatever the process around
it. Two `scholarfolio build` processes run a second apart, from different working
folders into differently named output folders, with a different PYTHONHASHSEED, locale
(LC_ALL, LANG) and time zone (TZ 26 hours apart, so even the local date differs), must
write byte-identical files; `export --format json` must print identical text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, make_site
from .synth_profile import synth_profile
from .test_hostile import HOSTILE


def _other_locale() -> str:
    """A locale other than C.UTF-8: a real language one if the system has one, else C."""
    try:
        names = subprocess.run(["locale", "-a"], capture_output=True, text=True,
                               check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return "C"
    for name in names:
        lower = name.lower()
        if lower.endswith(("utf-8", "utf8")) and not lower.startswith(("c.", "posix")):
            return name
    return "C"


ENVIRONMENTS = [
    {"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "Pacific/Kiritimati"},
    {"PYTHONHASHSEED": "2718281", "LC_ALL": _other_locale(), "LANG": _other_locale(),
     "TZ": "Etc/GMT+12"},
]


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                            env=environment, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The demo site, the hostile-text site and 300 synthetic papers (every collision and
    fallback of the slugs), each with a fixed as_of."""
    base = tmp_path_factory.mktemp("sites")
    demo = base / "demo"
    demo.mkdir()
    shutil.copy(REPO / "site.yaml", demo / "site.yaml")
    shutil.copytree(REPO / "content", demo / "content")
    synth = make_site(base / "synth", synth_profile(300, seed=11), "as_of: 2026-11-23\n")
    hostile = make_site(base / "hostile", HOSTILE, "as_of: 2026-11-23\n")
    return {"demo": demo, "synth": synth, "hostile": hostile}


@pytest.mark.parametrize("name", ["demo", "synth", "hostile"])
def test_two_builds_in_different_environments_write_identical_bytes(sites, tmp_path, name):
    outputs = []
    for index, env in enumerate(ENVIRONMENTS):
        cwd = tmp_path / f"cwd{index}"
        cwd.mkdir()
        output = tmp_path / f"out-{index}" / ("_site" if index == 0 else "public")
        run(["build", "-q", "-C", str(sites[name]), "-o", str(output)], cwd, env)
        outputs.append(tree(output))
        time.sleep(1.1)  # a different second on the clock for the second build
    first, second = outputs
    assert len(first) > 5
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []


@pytest.mark.parametrize("name", ["demo", "hostile"])
def test_two_exports_in_different_environments_print_identical_json(sites, tmp_path, name):
    printed = [
        run(["export", "--format", "json", str(sites[name] / "content" / "profile.txt")],
            tmp_path, env).stdout
        for env in ENVIRONMENTS
    ]
    assert printed[0] == printed[1] and len(printed[0]) > 100
