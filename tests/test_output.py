"""Writing the site (generator/output.py): staged and swapped in whole, never outside the
output folder, never through a symlink, and never losing the previous site: not on an
error, not on Ctrl-C, not when the process is killed mid-write."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.errors import OutputError, ProfileError
from generator.output import (
    COMPLETE,
    MARKER,
    check_output_folder,
    clean_leftovers,
    write_site,
)
from generator.output import folders as output_folders
from generator.output import staging as output_staging

from .conftest import REPO, make_site
from .synth_profile import write_synth_profile
from .test_build import MINI_PROFILE


@pytest.fixture(autouse=True)
def python_s_own_ctrl_c():
    """Ctrl-C as a command-line run has it: Python's default handler (KeyboardInterrupt),
    whatever a test run before left installed."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)

FILES = {
    "index.html": b"<h1>home</h1>\n",
    "papers/a/index.html": b"<h1>a</h1>\n",
    "papers/b/index.html": b"<h1>b</h1>\n",
    "assets/style.css": b"body{}\n",
}
PAST = 1_000_000_000_000_000_000  # 2001-09-09, in nanoseconds


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` (symlinks not followed): relative path -> (bytes, mtime)."""
    result = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            result[path.relative_to(folder).as_posix()] = (path.read_bytes(), info.st_mtime_ns)
    return result


def siblings(output: Path) -> list[str]:
    """What lies beside the output folder: leftovers of a build show up here."""
    return sorted(p.name for p in output.parent.iterdir() if p.name != output.name)


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def written(tmp_path: Path) -> Path:
    """An output folder holding FILES, written as an earlier build would have."""
    out = tmp_path / "work" / "_site"
    write_site(FILES, out)
    return out


# -- swapping in whole -------------------------------------------------------------------------


def test_write_site_swaps_in_exactly_the_new_files_and_leaves_nothing_beside_them(tmp_path):
    out = written(tmp_path)
    new = {"index.html": b"new\n", "papers/c/index.html": b"c\n"}
    assert write_site(new, out) == 2
    assert {k: v for k, (v, _) in snapshot(out).items()} == {
        **new, MARKER: output_folders.MARKER_TEXT}
    assert siblings(out) == []


def test_unchanged_files_keep_their_modification_time_changed_ones_do_not(tmp_path):
    out = written(tmp_path)
    for path in out.rglob("*"):
        os.utime(path, ns=(PAST, PAST))
    changed = write_site({**FILES, "papers/b/index.html": b"<h1>B</h1>\n"}, out)
    assert changed == 1
    times = {path: mtime for path, (_, mtime) in snapshot(out).items()}
    assert times["index.html"] == times["papers/a/index.html"] == PAST
    assert times["assets/style.css"] == times[MARKER] == PAST
    assert times["papers/b/index.html"] > PAST


def test_output_folder_gets_the_usual_permissions_not_a_private_temporary_folders(tmp_path):
    previous = os.umask(0o022)
    try:
        out = written(tmp_path)
        write_site(FILES, out)  # the swapped-in folder, too
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "papers").stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "index.html").stat().st_mode) == 0o644


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux only")
def test_on_linux_the_swap_is_one_atomic_exchange_so_the_output_is_never_missing(
    tmp_path, monkeypatch
):
    out = written(tmp_path)
    calls = []
    real_exchange = output_folders._exchange

    def exchange(first, second):
        calls.append(real_exchange(first, second))
        return calls[-1]

    def no_rename(source, target):  # the two-rename fallback must not be needed
        raise AssertionError(f"rename {source} -> {target}")

    monkeypatch.setattr(output_folders, "_exchange", exchange)
    monkeypatch.setattr(output_folders.os, "rename", no_rename)
    write_site({"index.html": b"swapped\n"}, out)
    assert calls == [True]
    assert (out / "index.html").read_bytes() == b"swapped\n"
    assert siblings(out) == []


def test_without_an_atomic_exchange_two_renames_swap_the_site_in_whole(tmp_path, monkeypatch):
    out = written(tmp_path)
    monkeypatch.setattr(output_folders, "_exchange", lambda first, second: False)
    write_site({"index.html": b"renamed\n"}, out)
    assert sorted(snapshot(out)) == [MARKER, "index.html"]
    assert (out / "index.html").read_bytes() == b"renamed\n"
    assert siblings(out) == []


# -- failures and interruptions ----------------------------------------------------------------


def test_a_failed_write_removes_its_staging_folder_and_keeps_the_previous_site(tmp_path):
    out = written(tmp_path)
    before = snapshot(out)
    with pytest.raises(OutputError):
        write_site({"index.html": b"x", "index.html/oops": b"a file cannot be a folder"}, out)
    assert snapshot(out) == before
    assert siblings(out) == []


def test_an_unwritable_place_is_an_output_error_naming_the_folder(tmp_path):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "a-file" / "_site"
    with pytest.raises(OutputError) as error:
        write_site(FILES, out)
    assert str(error.value).startswith(f"could not write the site into {out}: ")
    assert str(error.value).endswith(
        f"; expected a writable folder with free space at {out.parent}; the previous site "
        "is left as it was")


def test_ctrl_c_while_writing_removes_the_staging_folder_and_keeps_the_previous_site(
    tmp_path, monkeypatch
):
    out = written(tmp_path)
    before = snapshot(out)
    real = output_staging._unchanged
    seen = []

    def interrupt_on_the_second_file(*args):
        seen.append(args[1])
        if len(seen) == 2:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C, delivered here
        return real(*args)

    monkeypatch.setattr(output_staging, "_unchanged", interrupt_on_the_second_file)
    with pytest.raises(KeyboardInterrupt) as interrupted:
        write_site({**FILES, "index.html": b"new"}, out)
    assert str(interrupted.value) == ""  # the CLI then says the previous site is left
    assert snapshot(out) == before
    assert siblings(out) == []


def test_ctrl_c_during_the_swap_is_held_until_the_new_site_is_in_place(tmp_path, monkeypatch):
    out = written(tmp_path)
    real = output_folders.swap

    def swap_with_ctrl_c(staging, output):
        signal.raise_signal(signal.SIGINT)
        return real(staging, output)

    monkeypatch.setattr(output_folders, "swap", swap_with_ctrl_c)
    with pytest.raises(KeyboardInterrupt) as interrupted:
        write_site({"index.html": b"new\n"}, out)
    assert str(interrupted.value) == COMPLETE
    assert sorted(snapshot(out)) == [MARKER, "index.html"]
    assert siblings(out) == []


def test_cli_says_whether_an_interrupted_build_changed_the_site(monkeypatch, capsys):
    import generator.build

    for raised, message in [
        (KeyboardInterrupt(), "interrupted; the previous site is left as it was\n"),
        (KeyboardInterrupt(COMPLETE), "interrupted; the new site is complete and in place\n"),
    ]:
        def interrupted(*args, raised=raised, **kwargs):
            raise raised

        monkeypatch.setattr(generator.build, "build", interrupted)
        assert main(["build", "-C", str(REPO)]) == 130
        assert capsys.readouterr().err == message


# -- leftovers of killed builds ----------------------------------------------------------------


def test_leftovers_of_dead_builds_are_removed_and_those_of_running_ones_kept(tmp_path):
    out = written(tmp_path)
    parent = out.parent
    dead, alive = dead_pid(), os.getppid()
    for name in [f"._site.staging-{dead}-0a1b2c3d", f"._site.old-{dead}-0a1b2c3d",
                 "._site.staging-k2j3h4g5",  # an earlier version's name: no process id
                 f"._site.staging-{alive}-00000000", f".other.staging-{dead}-00000000"]:
        (parent / name / "papers").mkdir(parents=True)
        (parent / name / "papers" / "x.html").write_bytes(b"partial")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    (parent / f"._site.staging-{dead}-11111111").symlink_to(outside, target_is_directory=True)
    write_site(FILES, out)
    assert siblings(out) == sorted([f"._site.staging-{alive}-00000000",
                                    f"._site.staging-{dead}-11111111",
                                    f".other.staging-{dead}-00000000"])
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_a_site_taken_away_by_a_swap_killed_halfway_is_put_back_even_by_a_failed_build(
    tmp_path,
):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")
    build(site)
    out = site / "_site"
    before = snapshot(out)
    # The two-rename swap killed between its renames: the old site aside, no output.
    aside = site / f"._site.old-{dead_pid()}-0a1b2c3d"
    out.rename(aside)
    (site / "content" / "profile.txt").write_text(
        MINI_PROFILE.replace("CVOct 12, 2022", "CVFeb 30, 2022"), encoding="utf-8")
    with pytest.raises(ProfileError):
        build(site)
    assert snapshot(out) == before
    assert sorted(p.name for p in site.iterdir()) == ["_site", "content", "site.yaml"]


def test_clean_leftovers_puts_back_the_newest_of_several_old_sites(tmp_path):
    out = tmp_path / "_site"
    for token, text, when in [("aaaaaaaa", b"older", PAST), ("bbbbbbbb", b"newer", 2 * PAST)]:
        folder = tmp_path / f"._site.old-{dead_pid()}-{token}"
        folder.mkdir()
        (folder / MARKER).write_bytes(b"")
        (folder / "index.html").write_bytes(text)
        os.utime(folder, ns=(when, when))
    clean_leftovers(out)
    assert (out / "index.html").read_bytes() == b"newer"
    assert siblings(out) == []


# -- never outside the output folder, never through a symlink ---------------------------------


@pytest.mark.parametrize(
    "relative", ["../escape.html", "/tmp/absolute.html", "a/../../escape.html", "", "a//b",
                 "./a", "a\\..\\b", "nul\x00byte", MARKER, "papers/.."])
def test_paths_that_would_leave_the_output_folder_are_refused(tmp_path, relative):
    out = written(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match="refusing to write"):
        write_site({"index.html": b"ok", relative: b"escaped"}, out)
    assert snapshot(tmp_path) == before
    assert not Path("/tmp/absolute.html").exists()


def test_symlinks_inside_the_old_output_pointing_outside_are_never_followed(tmp_path):
    out = written(tmp_path)
    outside = tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "file.html").write_bytes(b"<h1>home</h1>\n")  # the same bytes as the new file
    os.utime(outside / "file.html", ns=(PAST, PAST))
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(outside / "file.html")
    for child in (out / "papers").iterdir():
        for path in child.iterdir():
            path.unlink()
        child.rmdir()
    (out / "papers").rmdir()
    (out / "papers").symlink_to(outside / "dir", target_is_directory=True)
    before = snapshot(outside)
    assert write_site(FILES, out) == 3  # index.html and both papers count as new
    assert snapshot(outside) == before and list((outside / "dir").iterdir()) == []
    for path in out.rglob("*"):
        assert not path.is_symlink(), path
        assert path.resolve().is_relative_to(out.resolve()), path
    assert (out / "index.html").stat().st_mtime_ns != PAST


# -- which folders build refuses ---------------------------------------------------------------


def refusal(output: Path, site: Path) -> str:
    with pytest.raises(OutputError) as error:
        check_output_folder(output, site, [site / "content"])
    return str(error.value)


HOW = "set 'output:' in site.yaml (or --output) to a folder of its own, such as _site"


def test_build_refuses_the_home_folder_and_the_file_system_root(tmp_path, monkeypatch):
    site = make_site(tmp_path / "home" / "site", MINI_PROFILE)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert refusal(tmp_path / "home", site) == (
        f"will not write the site into {tmp_path / 'home'}: it is your home folder; {HOW}")
    assert refusal(Path("/"), site) == (
        f"will not write the site into /: it is the file system root; {HOW}")


def test_build_refuses_the_site_folder_and_says_how_to_proceed(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE)
    assert refusal(site, site) == (
        f"will not write the site into {site}: it is the site folder; {HOW}")
    assert refusal(tmp_path, site) == (
        f"will not write the site into {tmp_path}: it holds the site folder; {HOW}")
    assert refusal(site / "content", site) == (
        f"will not write the site into {site / 'content'}: it overlaps {site / 'content'}, "
        f"which the build reads; {HOW}")


def test_build_refuses_a_file_as_output(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE)
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    assert refusal(site / "notes.txt", site) == (
        f"will not write the site into {site / 'notes.txt'}: it is a file, not a folder; "
        "remove it or choose another output folder")


def test_a_marker_that_is_a_symlink_does_not_make_a_folder_replaceable(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE)
    docs = site / "docs"
    docs.mkdir()
    (docs / "thesis.tex").write_text("precious", encoding="utf-8")
    (tmp_path / "elsewhere").write_bytes(b"")
    (docs / MARKER).symlink_to(tmp_path / "elsewhere")
    assert refusal(docs, site).startswith(f"will not replace {docs}: it holds files that "
                                          "scholarfolio did not write")


def test_build_accepts_an_empty_folder_and_its_own_earlier_output(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\noutput: public\n")
    (site / "public").mkdir()
    build(site)
    assert (site / "public" / MARKER).is_file()
    build(site)  # its own output, with the marker
    assert (site / "public" / "index.html").is_file()


# -- a real process, killed or interrupted while it writes --------------------------------------


@pytest.fixture(scope="module")
def big_profile(tmp_path_factory) -> Path:
    """3,000 synthetic papers: a build that takes a second or two to write its files."""
    return write_synth_profile(tmp_path_factory.mktemp("big") / "profile.txt", 3000)


def interrupted_build(site: Path, profile: Path, signum: int) -> tuple[subprocess.Popen, str]:
    """Start `scholarfolio build` on `profile` and send `signum` once it is writing files
    into its staging folder; returns the process (finished) and its stderr."""
    (site / "content" / "profile.txt").write_bytes(profile.read_bytes())
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "-C", str(site)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        papers = [p / "papers" for p in site.glob("._site.staging-*")]
        if papers and papers[0].is_dir() and len(os.listdir(papers[0])) >= 200:
            process.send_signal(signum)
            break
        time.sleep(0.002)
    _, stderr = process.communicate(timeout=60)
    return process, stderr


def test_a_build_killed_while_writing_leaves_the_previous_site_byte_for_byte(
    tmp_path, big_profile
):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")
    build(site)
    before = snapshot(site / "_site")
    process, stderr = interrupted_build(site, big_profile, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL, ("not killed mid-write", stderr)
    assert snapshot(site / "_site") == before
    leftovers = [p.name for p in site.iterdir() if p.name.startswith("._site.")]
    assert len(leftovers) == 1 and leftovers[0].startswith("._site.staging-")
    # The next build removes the dead build's staging folder and writes its site.
    (site / "content" / "profile.txt").write_text(
        MINI_PROFILE.replace("First paper", "First paper, revised"), encoding="utf-8")
    result = build(site)
    assert sorted(p.name for p in site.iterdir()) == ["_site", "content", "site.yaml"]
    assert snapshot(site / "_site")["index.html"][0] == result.files["index.html"]
    assert b"First paper, revised" in result.files["publications/index.html"]


def test_ctrl_c_while_writing_exits_130_and_leaves_the_previous_site_and_no_staging(
    tmp_path, big_profile
):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")
    build(site)
    before = snapshot(site / "_site")
    process, stderr = interrupted_build(site, big_profile, signal.SIGINT)
    assert process.returncode == 130, stderr
    assert stderr == "interrupted; the previous site is left as it was\n"
    assert snapshot(site / "_site") == before
    assert sorted(p.name for p in site.iterdir()) == ["_site", "content", "site.yaml"]
