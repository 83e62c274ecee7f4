"""A small site's build is mostly Python's start and imports: what a build does not use is
imported only by a site that uses it (the CV's reader and views, the BibTeX and CSL-JSON
readers), and the package metadata is read without importlib.metadata (and its email
parser)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO, copy_demo

SCRIPT = """
import json, sys
from generator.cli import main
code = main(["build", "-q", "-C", sys.argv[1]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""
OPTIONAL = ["generator.cv", "generator.model.cv", "generator.sources.bibtex",
            "generator.sources.csljson", "generator.sources.entry"]


def imported(site: Path) -> set[str]:
    """The modules a clean build of `site` imported, in a new process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(site)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=True)
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["code"] == 0, done.stderr
    return set(found["modules"])


def test_a_site_without_cv_or_bibliography_imports_neither_reader(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / "content" / "cv.yaml").unlink()
    modules = imported(site)
    assert not modules & {*OPTIONAL, "importlib.metadata", "email.parser"}
    assert not {m for m in modules if m.split(".")[0] == "babel"}  # English: no catalogue
    assert "generator.render.environment" in modules  # the build did run


def test_a_site_with_cv_and_bibliographies_imports_their_readers(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / "content" / "more.bib").write_text(
        "@article{doe2020, title = {A Study}, author = {Doe, Jane}, year = {2020},\n"
        "  journal = {Journal}}\n", encoding="utf-8")
    (site / "content" / "more.json").write_text(json.dumps([{
        "id": "roe2021", "type": "article-journal", "title": "Another Study",
        "author": [{"family": "Roe", "given": "Ann"}], "issued": {"date-parts": [[2021]]}}]),
        encoding="utf-8")
    modules = imported(site)
    assert set(OPTIONAL) <= modules
    assert "importlib.metadata" not in modules
