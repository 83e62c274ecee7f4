"""The weekly sync workflow run week after week, as Actions runs it: each run a fresh clone
of a bare origin, then every `run:` step of generator/skeleton/sync.yml in order under
`bash -e`, against recorded responses on a local server, with a stand-in `gh` that keeps
whether the pull request is open. Last week's unmerged snapshot survives this week's run;
an ORCID-only site (no metrics) still gets its pull request; the token never lands in
.git/config; the pull request's base is the default branch as GitHub names it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from generator.scaffold import sync_workflow_text

from .sync_server import Server, addresses, serving
from .test_sync import AUTHOR, ORCID, routes

BRANCH = "scholarfolio/sync"
#: The two services the recorded answers are of, named: no other is asked.
BOTH = f"  openalex: {AUTHOR}\n  orcid: {ORCID}\n  sources: [openalex, orcid]\n"
ORCID_ONLY = f"  orcid: {ORCID}\n  sources: [orcid]\n"
GH = """\
import json, sys
from pathlib import Path
state = Path(sys.argv[0]).with_name("gh-state.json")
calls = json.loads(state.read_text()) if state.exists() else {"open": False, "calls": []}
args = sys.argv[1:]
calls["calls"].append(args)
if args[:2] == ["pr", "list"]:
    print(1 if calls["open"] else 0)
elif args[:2] == ["repo", "view"]:
    print("main")
elif args[:2] == ["pr", "create"]:
    calls["open"] = True
    calls["body"] = open(args[args.index("--body-file") + 1]).read()
elif args[:2] == ["pr", "edit"]:
    calls["body"] = open(args[args.index("--body-file") + 1]).read()
state.write_text(json.dumps(calls))
"""


def steps() -> list[dict]:
    return yaml.safe_load(sync_workflow_text())["jobs"]["sync"]["steps"]


class Repository:
    """A bare origin whose main holds a site, tools on PATH, and the runs made so far."""

    def __init__(self, tmp_path: Path, sync: str, server: Server) -> None:
        self.tmp = tmp_path
        self.origin = tmp_path / "origin.git"
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        (self.bin / "gh").write_text(f"#!{sys.executable}\n{GH}", encoding="utf-8")
        (self.bin / "scholarfolio").write_text(
            f"#!/bin/sh\nexec {sys.executable} -m generator \"$@\" --date \"$SYNC_DATE\"\n",
            encoding="utf-8")
        for tool in ("gh", "scholarfolio"):
            (self.bin / tool).chmod(0o755)
        self.env = {**os.environ, **addresses(server), "RUNNER_TEMP": str(tmp_path),
                    "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
                    "GITHUB_REPOSITORY": "someone/site",
                    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.origin)],
                       check=True)
        site = tmp_path / "start"
        (site / "content").mkdir(parents=True)
        (site / "site.yaml").write_text(f"name: Jason Priem\nsync:\n{sync}", encoding="utf-8")
        for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "site"],
                     ["push", "-q", str(self.origin), "main"]):
            self.git(site, *args)
        self.runs = 0

    def git(self, cwd: Path, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=cwd, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def run_workflow(self, date: str) -> Path:
        """One run on `date`: a fresh clone of main, then each `run:` step in order."""
        self.runs += 1
        clone = self.tmp / f"run-{self.runs}"
        self.git(self.tmp, "clone", "-q", "-b", "main", str(self.origin), str(clone))
        for step in steps():
            if "run" not in step or step["name"] == "Install scholarfolio":  # (installed)
                continue
            script = step["run"]
            env = {**self.env, "SYNC_DATE": date, "OPENALEX_API_KEY": "k",
                   **{name: "a-token" for name in step.get("env", {}) if name == "GH_TOKEN"}}
            done = subprocess.run(["bash", "-e", "-c", script], cwd=clone, env=env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, (step.get("name"), done.stdout, done.stderr)
        return clone

    def branch_files(self) -> list[str]:
        return self.git(self.origin, "ls-tree", "-r", "--name-only", BRANCH).split()

    def gh(self) -> dict:
        return json.loads((self.bin / "gh-state.json").read_text(encoding="utf-8"))


def test_a_second_run_before_the_merge_keeps_last_weeks_snapshot(tmp_path):
    with serving() as server:
        routes(server)
        repo = Repository(tmp_path, BOTH, server)
        repo.run_workflow("2026-11-30")
        assert "content/metrics/2026-11-30.json" in repo.branch_files()
        repo.run_workflow("2026-12-07")  # the pull request is still open: not merged
    files = repo.branch_files()
    assert {"content/metrics/2026-11-30.json", "content/metrics/2026-12-07.json",
            "content/synced.json"} <= set(files)
    calls = [args[:2] for args in repo.gh()["calls"]]
    assert calls.count(["pr", "create"]) == 1 and calls.count(["pr", "edit"]) == 1
    # The report compares with last week's snapshot, the one kept.
    assert "| | 2026-11-30 | 2026-12-07 | change |" in repo.gh()["body"]
    main = repo.git(repo.origin, "ls-tree", "-r", "--name-only", "main").split()
    assert not [f for f in main if f.startswith("content/metrics")]  # main never moves


def test_an_orcid_only_site_gets_its_pull_request_without_metrics(tmp_path):
    with serving() as server:
        routes(server)
        repo = Repository(tmp_path, ORCID_ONLY, server)
        repo.run_workflow("2026-12-07")
    files = repo.branch_files()
    assert "content/synced.json" in files
    assert not [f for f in files if f.startswith("content/metrics")]
    assert ["pr", "create"] in [args[:2] for args in repo.gh()["calls"]]


def test_the_pull_request_is_based_on_the_default_branch_github_names(tmp_path):
    with serving() as server:
        routes(server)
        repo = Repository(tmp_path, BOTH, server)
        repo.run_workflow("2026-12-07")
    create = next(a for a in repo.gh()["calls"] if a[:2] == ["pr", "create"])
    assert create[create.index("--base") + 1] == "main"
    assert ["repo", "view", "someone/site", "--json", "defaultBranchRef", "--jq",
            ".defaultBranchRef.name"] in repo.gh()["calls"]
    # A scheduled run's event has no repository: nothing reads it.
    assert "github.event.repository" not in sync_workflow_text()


def test_the_token_stays_out_of_git_config_and_reaches_only_the_steps_that_need_it(
        tmp_path):
    checkout = next(s for s in steps() if str(s.get("uses", "")).startswith(
        "actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
    with_token = [s["name"] for s in steps() if "GH_TOKEN" in s.get("env", {})]
    assert with_token == ["Keep the snapshots of the open pull request",
                          "Open or update the pull request"]
    assert not [s for s in steps() if "github.token" in s.get("run", "")]
    with serving() as server:
        routes(server)
        repo = Repository(tmp_path, BOTH, server)
        repo.run_workflow("2026-11-30")
        clone = repo.run_workflow("2026-12-07")  # fetches, then pushes, with the token
    config = (clone / ".git" / "config").read_text(encoding="utf-8")
    assert "extraheader" not in config and "a-token" not in config
