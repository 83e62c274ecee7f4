"""The weekly sync pull request (#26): `init --sync` writes .github/workflows/sync.yml,
which passes actionlint, has the least permissions, takes the key from a secret, and whose
steps, run here for real (a sync against recorded responses on a local server, then git
and a stand-in `gh`), push only the branch scholarfolio/sync and open a pull request whose
body is `sync --report`'s: the works' changes and the metrics' move, never the key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from generator.cli import main
from generator.scaffold import scaffold, sync_workflow_text
from generator.sync.report import escaped

from .sync_server import addresses, nothing_found, point_at, serving
from .test_sync import BOTH, DATE, KEY, routes, site
from .test_workflow import actionlint

EARLIER = "2026-11-30"
BRANCH = "scholarfolio/sync"


def workflow() -> dict:
    return yaml.safe_load(sync_workflow_text())


def steps_named(name: str) -> dict:
    return next(s for s in workflow()["jobs"]["sync"]["steps"] if s.get("name") == name)


def test_init_writes_the_sync_workflow_with_the_flag_or_a_sync_setting(tmp_path):
    plain = scaffold(tmp_path / "a", install="scholarfolio==0.1.0")
    assert ".github/workflows/sync.yml" not in plain.files
    flagged = scaffold(tmp_path / "b", install="scholarfolio==0.1.0", sync=True)
    assert ".github/workflows/sync.yml" in flagged.files
    text = (tmp_path / "b" / ".github" / "workflows" / "sync.yml").read_text("utf-8")
    assert "python -m pip install -r requirements.txt" in text and "@INSTALL" not in text
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "site.yaml").write_text("sync:\n  openalex: A5023888391\n", "utf-8")
    again = scaffold(tmp_path / "c", install="scholarfolio==0.1.0", force=True)
    assert ".github/workflows/sync.yml" in again.files


def test_the_sync_workflow_passes_actionlint(tmp_path):
    path = tmp_path / "sync.yml"
    path.write_text(sync_workflow_text(), encoding="utf-8")
    done = actionlint(path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("actionlint: 1 file(s), 0 finding(s)")


def test_the_workflow_runs_weekly_and_on_demand_with_the_least_permissions():
    data = workflow()
    triggers = data.get("on", data.get(True))
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert len(triggers["schedule"]) == 1 and triggers["schedule"][0]["cron"].endswith(" 1")
    assert data["permissions"] == {}
    assert data["jobs"]["sync"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    text = sync_workflow_text()
    # The key only reaches the sync step, from a secret, and nothing echoes a secret.
    assert text.count("secrets.") == 2
    assert steps_named("Sync works and metrics")["env"]["OPENALEX_API_KEY"] == (
        "${{ secrets.OPENALEX_API_KEY }}")
    assert not any("secrets" in step.get("run", "") for step in data["jobs"]["sync"]["steps"])


def run_step(step: dict, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    script = step["run"].replace("${{ secrets.OPENALEX_API_KEY }}", "")
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_steps_push_only_the_sync_branch_and_open_a_pull_request_with_the_report(
        tmp_path, monkeypatch):
    # The repository: a bare origin whose default branch holds the site as last synced.
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    root = site(tmp_path / "site", BOTH)
    metrics = root / "content" / "metrics"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "gh-calls.json"
    # A stand-in for GitHub's CLI: records its arguments and the body it was given.
    (bin_dir / "gh").write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        "args = sys.argv[1:]\n"
        "if args[:2] == ['pr', 'list']:\n    print(0)\n    sys.exit(0)\n"
        "if args[:2] == ['repo', 'view']:\n    print('main')\n    sys.exit(0)\n"
        "body = open(args[args.index('--body-file') + 1]).read()\n"
        f"json.dump({{'args': args, 'body': body}}, open({str(calls)!r}, 'w'))\n",
        encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    (bin_dir / "scholarfolio").write_text(
        f"#!/bin/sh\nexec {sys.executable} -m generator \"$@\" --date {DATE}\n",
        encoding="utf-8")
    (bin_dir / "scholarfolio").chmod(0o755)
    with serving() as server:
        routes(server)
        nothing_found(server)
        env = {**os.environ, **addresses(server), "RUNNER_TEMP": str(tmp_path),
               "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
        # Last week's sync, committed on main: the snapshot the report compares with.
        point_at(server, monkeypatch)
        assert main(["sync", "-C", str(root), "--date", EARLIER]) == 0
        earlier = json.loads((metrics / f"{EARLIER}.json").read_text("utf-8"))
        earlier.update(h_index=earlier["h_index"] - 2, cited_by_count=earlier["cited_by_count"]
                       - 250)
        (metrics / f"{EARLIER}.json").write_text(json.dumps(earlier), "utf-8")
        for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "site"],
                     ["remote", "add", "origin", str(origin)], ["push", "-q", "origin", "main"]):
            subprocess.run(["git", *args], cwd=root, env=env, check=True)
        main_before = subprocess.run(["git", "rev-parse", "main"], cwd=root, env=env,
                                     capture_output=True, text=True).stdout
        done = run_step(steps_named("Sync works and metrics"),
                        root, {**env, "OPENALEX_API_KEY": KEY})
        assert done.returncode == 0, done.stderr
        assert KEY not in done.stdout + done.stderr
        done = run_step(steps_named("Open or update the pull request"), root,
                        {**env, "GH_TOKEN": "x"})
        assert done.returncode == 0, done.stderr
    heads = subprocess.run(["git", "for-each-ref", "--format=%(refname:short) %(objectname)",
                            "refs/heads"], cwd=origin, capture_output=True, text=True).stdout
    branches = dict(line.split() for line in heads.splitlines())
    assert set(branches) == {"main", BRANCH}
    assert branches["main"] == main_before.strip()  # the default branch never moves
    shown = subprocess.run(["git", "show", "--stat", "--format=", BRANCH], cwd=origin,
                           capture_output=True, text=True).stdout
    assert f"content/metrics/{DATE}.json" in shown
    pr = json.loads(calls.read_text("utf-8"))
    assert pr["args"][:2] == ["pr", "create"] and pr["args"][pr["args"].index("--head") + 1] == (
        BRANCH)
    body = pr["body"]
    assert KEY not in body
    latest = json.loads((root / "content" / "metrics" / f"{DATE}.json").read_text("utf-8"))
    assert f"| h-index | {latest['h_index'] - 2} | {latest['h_index']} | +2 |" in body
    assert (f"| Citations | {latest['cited_by_count'] - 250:,} | {latest['cited_by_count']:,} "
            "| +250 |") in body
    assert f"| | {EARLIER} | {DATE} | change |" in body
    assert "**Works** in `content/synced.json`:" in body


def test_the_report_says_what_was_added_and_escapes_titles(tmp_path, capsys, monkeypatch):
    with serving() as server:
        point_at(server, monkeypatch)
        monkeypatch.setenv("OPENALEX_API_KEY", KEY)
        root = site(tmp_path / "site", BOTH)
        routes(server)
        nothing_found(server)
        report = tmp_path / "report.md"
        assert main(["sync", "-C", str(root), "--date", DATE, "--report", str(report)]) == 0
    body = report.read_text("utf-8")
    assert KEY not in body
    assert f"**Metrics** (OpenAlex, {DATE}; the first snapshot):" in body
    assert "### Added" in body and "- The state of OA: a large\\-scale analysis" not in body
    assert "- The state of OA: a large-scale analysis" in body
    assert "- Phylogeny Based Biodiversity Data Queries \\(2018\\)" in body  # from ORCID
    assert escaped("<b>Bold</b> [a](https://x.example) @octocat") == (
        "\\<b\\>Bold\\</b\\> \\[a\\]\\(https://x.example\\) \\@octocat")
