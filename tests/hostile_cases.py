"""The hostile inputs of issue #24, one definition each, and the one way they are run.

Each case changes a copy of the built demo site (or, for `init`, makes a new site from a
hostile profile) and is built in a subprocess, as a user's CI job would, with a canary
file outside the site folder and a canary in the build's environment. A case holds
when: the build exits as the case expects (refused: exit 1 with a `file:line:col`
message; built: exit 0), prints no traceback, writes neither canary nor any `forbidden`
text into any file of the site folder or its output, takes under `SECONDS` and
`MEGABYTES` of memory, and, when refused, leaves the previous `_site/` byte-identical.

The dev server's case (`serve=True`) runs `scholarfolio serve` instead and probes it
(tests/hostile_serve.py). scripts/hostile runs them all and prints a table;
tests/test_hostile_sample.py runs one of each family. Many are pinned with their exact
messages by tests/test_containment.py, tests/test_bounded.py, tests/test_hostile.py and
tests/site/test_serve_hosts.py, whose inputs these repeat.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FILE_CANARY = "hostile-file-canary-4d7e0b"
ENV_CANARY = "hostile-env-canary-91c3fa"
ENV_NAME = "SCHOLARFOLIO_HOSTILE_CANARY"
SECONDS, MEGABYTES = 10.0, 500
EXTRAS = "content/papers/neural-processes.md"
POSITIONED = re.compile(r"^\S[^\n]*:\d+:\d+: ", re.M)


@dataclass(frozen=True)
class Case:
    """One hostile input: `make(site)` writes it into the site folder `site` (whose
    sibling `outside/secret.txt` holds the file canary); `outcome` is "refused" or
    "built" (a `serve` case has none: its probes are its checks); `forbidden` is text no
    file of the site may hold after the build; `pending` says why it is expected to fail
    today (a fix under way), else ""."""

    name: str
    family: str
    make: Callable[[Path], None]
    outcome: str = "refused"
    forbidden: tuple[str, ...] = ()
    pending: str = ""
    init: bool = False  # `make` writes ../profile.txt; the site is made by `init` from it
    scan: tuple[str, ...] = ()  # the output files `forbidden` is looked for in (suffixes)
    serve: bool = False  # the dev server is run and probed (tests/hostile_serve.py)


@dataclass(frozen=True)
class Result:
    case: Case
    exit: int
    seconds: float
    megabytes: float
    failures: tuple[str, ...]
    skipped: str = ""

    @property
    def verdict(self) -> str:
        if self.skipped:
            return "skipped"
        if self.failures:
            return "expected failure" if self.case.pending else "FAIL"
        return "ok (fixed: drop 'pending')" if self.case.pending else "ok"


# -- the inputs --------------------------------------------------------------------------------


def secret(site: Path) -> Path:
    return site.parent / "outside" / "secret.txt"


def append(site: Path, name: str, text: str) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(before + text, encoding="utf-8")


def write(site: Path, name: str, text: str) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def extras(line: str) -> Callable[[Path], None]:
    return lambda site: write(site, EXTRAS, f"---\n{line}\n---\n")


def setting(line: str) -> Callable[[Path], None]:
    return lambda site: append(site, "site.yaml", f"\n{line}\n")


def symlink(name: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        path = site / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target(site))
    return make


def alias_bomb(key: str = "bomb") -> str:
    """'Billion laughs' (as tests/test_bounded.py): 9**9 strings once expanded."""
    lines = [f'{key}0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{key}{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


def unreadable(name: str) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        path = site / name
        if not path.exists():
            write(site, name, "x\n")
        path.chmod(0)
    return make


def folder_in_place(name: str) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        path = site / name
        if path.exists():
            path.unlink()
        path.mkdir(parents=True)
    return make


def bib(text: str) -> Callable[[Path], None]:
    return lambda site: write(site, "content/refs.bib", text)


def entry(title: str, extra: str = "") -> str:
    return f"@article{{hostile,\n  title = {{{title}}},\n  author = {{Doe, Jane}},\n" \
           f"  journal = {{J}},\n  year = {{2020}},{extra}\n}}\n"


def long_line(offset: int, text: str) -> Callable[[Path], None]:
    """The profile with the line `offset` below the header of a paper without a
    per-paper file (1: its title, 5: its abstract) replaced by `text`."""
    def make(site: Path) -> None:
        profile = site / "content" / "profile.txt"
        lines = profile.read_text(encoding="utf-8").split("\n")
        lines[lines.index("CVOct 12, 2022") + offset] = text
        profile.write_text("\n".join(lines), encoding="utf-8")
    return make


def hostile_profile(site: Path) -> None:
    profile = (REPO / "content" / "profile.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    name = "Eve\u2028photo: /proc/self/environ\u2028base_url: //evil.example/\u2028#"
    (site.parent / "profile.txt").write_text(name + "\n" + profile, encoding="utf-8")


def svg_photo(site: Path) -> None:
    write(site, "me.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>'
          "alert('svg')</script></svg>\n")
    setting("photo: me.svg")(site)


def svg_thumbnail(site: Path) -> None:
    write(site, "content/papers/x.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>'
          "alert('svg')</script></svg>\n")
    extras("thumbnail: x.svg")(site)


def deep_list(n: int) -> str:
    return "".join("  " * i + "- a\n" for i in range(n))


def theme_settings_list(site: Path) -> None:
    theme = site / "themes" / "mine"
    write(site, "themes/mine/theme.yaml", "extends: scholar\nsettings: [1, 2]\n")
    (theme / "templates").mkdir(exist_ok=True)
    text = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(text.replace("theme: scholar", "theme: mine"),
                                    encoding="utf-8")


SCRIPT = "<script>alert('x')</script>"
CASES: list[Case] = [
    # leaks: a file outside the site folder, by path, by encoding, by symlink, by template
    Case("pdf: ../ to outside", "leaks", extras("pdf: ../../../outside/secret.txt")),
    Case("pdf: /etc/passwd by ../", "leaks", extras("pdf: ../../../../../../../../etc/passwd"),
         forbidden=("root:x:0:0",)),
    Case("pdf: /proc/self/environ", "leaks", extras("pdf: /proc/self/environ"), "built"),
    Case("pdf: ../../proc/self/environ", "leaks",
         extras("pdf: ../../../../../../../../proc/self/environ")),
    Case("slides: %2e%2e URL-encoded", "leaks",
         extras("slides: '%2e%2e/%2e%2e/%2E%2E/outside/secret.txt'")),
    Case("pdf: %2F URL-encoded absolute", "leaks",
         lambda site: extras(f"pdf: '{str(secret(site)).replace('/', '%2F')}'")(site)),
    Case("thumbnail: ../", "leaks", extras("thumbnail: ../../../outside/secret.txt")),
    Case("photo: absolute outside", "leaks", lambda site: setting(f"photo: {secret(site)}")(site)),
    Case("photo: ../outside", "leaks", setting("photo: ../outside/secret.txt")),
    Case("symlinked page in content/", "leaks",
         symlink("content/pages/leak.md", secret)),
    Case("symlinked file in static/", "leaks", symlink("static/leak.txt", secret)),
    Case("symlinked static/ folder", "leaks", symlink("static", lambda s: secret(s).parent)),
    Case("symlinked content/ folder", "leaks",
         lambda site: (shutil.copytree(site / "content", site.parent / "outside" / "content"),
                       symlink("content", lambda s: s.parent / "outside" / "content")(site))),
    Case("template includes ../ file", "leaks",
         lambda site: write(site, "templates/home.html",
                            '{% include "../../../outside/secret.txt" %}\n')),
    Case("template extends absolute file", "leaks",
         lambda site: write(site, "templates/home.html", f'{{% extends "{secret(site)}" %}}\n')),
    Case("symlinked template", "leaks", symlink("templates/home.html", secret)),
    Case("al-folio pdf = {../../etc/passwd}", "leaks",
         bib(entry("T", "\n  pdf = {../../../../../../../../etc/passwd},")), "built",
         forbidden=("root:x:0:0",)),
    Case("al-folio pdf symlinked out of assets/pdf", "leaks", lambda site: (
        symlink("static/assets/pdf/x.pdf", secret)(site),
        bib(entry("T", "\n  pdf = {x.pdf},"))(site))),
    Case("pdf: a NUL character", "leaks", extras('pdf: "x\\0.pdf"')),
    Case("pdf: a name too long", "leaks", extras("pdf: " + "a" * 5000 + ".pdf")),
    Case("pdf: %252e double-encoded", "leaks",
         extras("pdf: '%252e%252e/%252e%252e/%252e%252e/outside/secret.txt'")),
    Case("theme: ../outside", "leaks", setting("theme: ../outside")),  # (the last one wins)
    Case("template from ... import outside", "leaks",
         lambda site: write(site, "templates/home.html",
                            f'{{% from "{secret(site)}" import x %}}\n')),
    # bombs: YAML aliases expanding to gigabytes
    Case("alias bomb in site.yaml", "bombs", lambda site: append(site, "site.yaml",
                                                                 "\n" + alias_bomb())),
    Case("alias bomb in front matter", "bombs",
         lambda site: write(site, "content/news/bomb.md",
                            "---\ndate: 2024-01-01\n" + alias_bomb() + "---\nHi\n")),
    Case("alias bomb in cv.yaml", "bombs", lambda site: append(site, "content/cv.yaml",
                                                               "\n" + alias_bomb())),
    # depth: nesting that recursion would not survive
    Case("deep YAML in site.yaml", "depth",
         setting("deep: " + "[" * 100_000 + "]" * 100_000)),
    Case("deep block YAML in cv.yaml", "depth", lambda site: append(
        site, "content/cv.yaml",
        "".join("  " * d + f"level{d}:\n" for d in range(120)) + "  " * 120 + "x\n")),
    Case("deep JSON in a .json", "depth",
         lambda site: write(site, "content/refs.json", "[" * 100_000 + "]" * 100_000)),
    Case("deep braces in a .bib", "depth", bib(entry("{" * 5000 + "x" + "}" * 5000))),
    Case("\\def macros in a .bib", "depth",
         bib(entry(r"\def\a{\a\a}\a \def\b{\b\b\b}\b")), "built"),  # kept unexpanded
    Case("\\cite[ left open in a .bib", "depth", bib(entry("\\cite[" * 40 + "x"))),
    Case("list 3,000 levels deep in a page", "depth",
         lambda site: write(site, "content/pages/p.md", "---\ntitle: P\n---\n" + deep_list(3000))),
    Case("list 300 levels deep in news", "depth", lambda site: write(
        site, "content/news/2024-01-01.md", "---\ndate: 2024-01-01\n---\n" + deep_list(300)),
         "built"),
    Case("quote 50,000 levels deep in a page", "depth", lambda site: write(
        site, "content/pages/p.md", "---\ntitle: P\n---\n" + ">" * 50_000 + " x\n"), "built"),
    Case("\\frac 10,000 deep in a .bib title", "depth",
         bib(entry("$" + "\\frac{" * 10_000 + "x" + "}{y}" * 10_000 + "$"))),
    Case("@string chain of 10,000 #", "depth", lambda site: write(
        site, "content/refs.bib", '@string{a = "x"}\n@article{k, title = '
        + " # ".join(["a"] * 10_000) + ", author = {D, J}, year = {2020}}\n"), "built"),
    # permissions and folders: every read failure a message
    Case("unreadable site.yaml", "permissions", unreadable("site.yaml")),
    Case("unreadable .bib", "permissions", unreadable("content/refs.bib")),
    Case("unreadable cv.yaml", "permissions", unreadable("content/cv.yaml")),
    Case("unreadable news file", "permissions", unreadable("content/news/2024-01-01.md")),
    Case("folder named site.yaml", "permissions", folder_in_place("site.yaml")),
    Case("folder named cv.yaml", "permissions", folder_in_place("content/cv.yaml")),
    Case("folder named refs.bib", "permissions", folder_in_place("content/refs.bib")),
    Case("folder named a news file", "permissions", folder_in_place("content/news/2024-01-01.md")),
    Case("folder named templates/base.html", "permissions",
         folder_in_place("templates/base.html")),
    Case("folder named static/CNAME", "permissions", folder_in_place("static/CNAME")),
    Case("broken theme.yaml", "permissions", lambda site: (
        theme_settings_list(site), write(site, "themes/mine/theme.yaml", "extends: [scholar\n"))),
    Case("theme settings a list", "permissions", theme_settings_list),
    # scripts: nothing from input runs in the built site
    Case("cv.yaml raw HTML", "scripts",
         lambda site: append(site, "content/cv.yaml", f"    hostile:\n      - \"{SCRIPT}\"\n"),
         "built", forbidden=(SCRIPT,)),
    Case("cv.yaml javascript: link", "scripts",
         lambda site: append(site, "content/cv.yaml",
                             "    hostile:\n      - \"[me](javascript:alert(1))\"\n"),
         "built", forbidden=('href="javascript:',)),
    Case("SVG photo with a script", "scripts", svg_photo, "refused", forbidden=(SCRIPT,)),
    Case("bib text with markup", "scripts", bib(entry(SCRIPT)), "built",
         forbidden=("<script>alert",), scan=(".html", ".xml", ".svg")),
    Case("bib brace injection", "scripts",
         bib(entry("T", '\n  note = "}} @misc{injected, title={Injected}, year={2020}"')),
         "built", forbidden=("@misc{injected",), scan=(".bib",)),
    Case("link by /\\host", "scripts", extras("pdf: '/\\evil.example/x.pdf'")),
    Case("link by /<TAB>/host", "scripts", extras("slides: \"/\\t/evil.example/x\"")),
    Case("control characters in news", "scripts", lambda site: write(
        site, "content/news/2024-01-01.md", "---\ndate: 2024-01-01\n---\nHi \x1b\x07 there\n"),
         "built", forbidden=("\x1b", "\x07"), scan=(".xml",)),
    Case("base_url: /\\host", "scripts", setting('base_url: "/\\\\evil.example/"')),
    Case("SVG thumbnail with a script", "scripts", svg_thumbnail, forbidden=("alert('svg')",)),
    Case("\\href{javascript:} in a .bib title", "scripts",
         bib(entry("A \\href{javascript:alert(1)}{x} \\url{javascript:alert(2)}")), "built",
         forbidden=('href="javascript',), scan=(".html",)),
    Case("al-folio html = {javascript:}, code = {data:}", "scripts", bib(entry(
        "T", "\n  html = {javascript:alert(1)},\n  code = {data:text/html,x},"
        "\n  award_name = {<img src=x onerror=alert(1)>},")), "built",
         forbidden=('href="javascript', 'href="data:', "<img src=x"), scan=(".html",)),
    Case("page title closing </title>", "scripts", lambda site: write(
        site, "content/pages/p.md", "---\ntitle: '</title><script>alert(1)</script>'\n---\nx\n"),
         "built", forbidden=("<script>alert(1)",), scan=(".html",)),
    # long input: linear in the length of a title
    Case("1 MB title", "long", long_line(1, "A long title " + "word " * 200_000), "built"),
    Case("1 MB title of one word", "long", long_line(1, "x" * 1_000_000), "built"),
    Case("1 MB abstract", "long", long_line(5, "Text, https://x.org/a " * 45_000), "built"),
    Case("1 MB title in a .bib", "long", bib(entry("word " * 200_000)), "built"),
    # dev server: foreign Host and Origin, paths out of the site, malformed messages
    Case("serve: hosts, paths, socket", "dev server", lambda site: None, serve=True),
    # init: a hostile profile's name writes no live setting
    Case("init with a U+2028 name", "init", hostile_profile, "built", init=True,
         forbidden=('="//evil.example',), scan=(".html",)),
]
#: One case of each family: the suite's sample (tests/test_hostile_sample.py).
SAMPLE = ["serve: hosts, paths, socket", "pdf: ../ to outside", "alias bomb in cv.yaml",
          "deep JSON in a .json", "folder named cv.yaml", "link by /\\host", "1 MB title",
          "init with a U+2028 name"]


# -- running one -------------------------------------------------------------------------------


def demo(folder: Path) -> Path:
    """The demo site (content/ and site.yaml of the repository), built once in `folder`."""
    site = folder / "demo"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copyfile(REPO / "site.yaml", site / "site.yaml")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-C", str(site)],
                          capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"the demo does not build: {done.stderr}")
    return site


def files(folder: Path) -> list[tuple[str, Path]]:
    """Every file below `folder` (symlinks listed, not followed) by its relative path."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted((path.relative_to(folder).as_posix(), path)
                  for top, _dirs, names in os.walk(folder) for path in
                  (Path(top) / name for name in names))


def content(path: Path) -> bytes:
    try:
        return b"symlink" if path.is_symlink() else path.read_bytes()
    except OSError:  # a file the case made unreadable
        return b"unreadable"


def snapshot(folder: Path) -> dict[str, str]:
    """The digest of every file below `folder` by its relative path: digests, not bytes,
    so that the runner stays small (a child's peak memory counts its parent's at fork)."""
    return {name: hashlib.sha256(content(path)).hexdigest() for name, path in files(folder)}


#: Runs scholarfolio (`python -c PEAK generator ARGS...`) and writes its own peak RSS in kB
#: to the file $HOSTILE_PEAK names: the VmHWM of the process after exec, which is its own.
#: (os.wait4's ru_maxrss is not: Linux carries the high-water mark of the memory a child
#: had before exec, its parent's, into it, so a child of a 1 GB pytest reads 1 GB.)
PEAK = """import os, runpy, sys
sys.argv = ["scholarfolio", *sys.argv[2:]]
try:
    runpy.run_module("generator", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["HOSTILE_PEAK"], "w", encoding="ascii") as out:
        out.write(peak)
"""


def timed(command: list[str], cwd: Path) -> tuple[int, str, float, float]:
    """Exit code, output, wall seconds and peak RSS in MB of `command` (`python -m
    generator ...`, run through PEAK), killed at twice the time limit."""
    peak_file = cwd / ".peak"
    peak_file.unlink(missing_ok=True)
    if command[1:3] == ["-m", "generator"]:
        command = [command[0], "-c", PEAK, "generator", *command[3:]]
    env = {**os.environ, ENV_NAME: ENV_CANARY, "HOSTILE_PEAK": str(peak_file)}
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=out)
        deadline = start + 2 * SECONDS
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.kill(process.pid, signal.SIGKILL)
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        own = peak_file.read_text("ascii") if peak_file.exists() else ""
        peak = int(own) if own.isdigit() else usage.ru_maxrss  # (killed: the larger figure)
        return process.returncode, out.read().decode("utf-8", "replace"), seconds, peak / 1024


def run(case: Case, built: Path, work: Path) -> Result:
    """Run `case` on a copy of the built demo `built`, in the empty folder `work`."""
    if case.family == "permissions" and case.name.startswith("unreadable") and os.geteuid() == 0:
        return Result(case, 0, 0.0, 0.0, (), skipped="root reads any file")
    site = work / "site"
    (work / "outside").mkdir()
    secret(site).write_text(FILE_CANARY + "\n", encoding="utf-8")
    python = [sys.executable, "-m", "generator"]
    if case.serve:
        from .hostile_serve import probe

        shutil.copytree(built, site, symlinks=True)
        code, output, seconds, megabytes, found = probe(
            site, {**os.environ, ENV_NAME: ENV_CANARY}, (FILE_CANARY, ENV_CANARY))
        found += ["a traceback"] if "Traceback" in output else []
        return Result(case, code, seconds, megabytes, tuple(found))
    if case.init:
        site.mkdir()
        case.make(site)
        code, output, seconds, megabytes = timed(
            [*python, "init", str(site), "--profile", str(work / "profile.txt"),
             "--install", "scholarfolio"], work)
        if code:
            return Result(case, code, seconds, megabytes, (f"init failed: {output[-500:]}",))
        before: dict[str, str] = {}
    else:
        shutil.copytree(built, site, symlinks=True)
        before = snapshot(site / "_site")
        case.make(site)
    code, more, spent, peak = timed([*python, "build", "-q", "-C", str(site)], work)
    if case.init:
        output, seconds, megabytes = output + more, seconds + spent, max(megabytes, peak)
    else:
        output, seconds, megabytes = more, spent, peak
    failures = []
    wanted = {"refused": 1, "built": 0}[case.outcome]
    if code != wanted:
        failures.append(f"exit {code}, expected {wanted}: {output[-300:].strip()}")
    if "Traceback" in output:
        failures.append("a traceback")
    if code and not POSITIONED.search(output):
        failures.append(f"no file:line:col in the message: {output[:300].strip()}")
    for text in (FILE_CANARY, ENV_CANARY):
        if text in output:
            failures.append(f"the canary {text} in the output")
    for name, path in files(site):  # the inputs hold what is forbidden: only _site/
        data = content(path)
        scanned = name.startswith("_site/") and name.endswith(case.scan or "")
        for text in (FILE_CANARY, ENV_CANARY, *(case.forbidden if scanned else ())):
            if text.encode() in data:
                failures.append(f"{text!r} in {name}")
    if seconds > SECONDS:
        failures.append(f"{seconds:.1f} s")
    if megabytes > MEGABYTES:
        failures.append(f"{megabytes:.0f} MB")
    if code and before and snapshot(site / "_site") != before:
        failures.append("the previous _site changed")
    for path in site.rglob("*"):  # so the work folder can be removed
        if not path.is_symlink():
            path.chmod(0o700 if path.is_dir() else 0o600)
    return Result(case, code, seconds, megabytes, tuple(failures))
