"""Shared fixtures: the repository (which is itself the demo site) and its builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import BuildResult, build

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The demo site (the repo's site.yaml and content/) built into a temporary folder."""
    output = tmp_path_factory.mktemp("demo") / "_site"
    return build(REPO, {"output": str(output)})


def make_site(folder: Path, profile: str | Path, site_yaml: str | None = None) -> Path:
    """A site folder holding content/profile.txt (copied or written) and optional site.yaml."""
    (folder / "content").mkdir(parents=True, exist_ok=True)
    target = folder / "content" / "profile.txt"
    if isinstance(profile, Path):
        shutil.copyfile(profile, target)
    else:
        target.write_text(profile, encoding="utf-8")
    if site_yaml is not None:
        (folder / "site.yaml").write_text(site_yaml, encoding="utf-8")
    return folder
