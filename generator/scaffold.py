"""`init`: a new site folder, ready to build and to publish on GitHub Pages.

The files come from `skeleton/` in the package: `site.yaml` with every setting shown
commented with its default or an example (made from the settings table in config/table.py by
`python -m generator.settings`; the title and the day filled in here), the profile
(the user's, checked first, or an example), `content/pages/about.md`,
`templates/README.md` on overriding the theme, `.gitignore` for the output,
`requirements.txt` naming the scholarfolio that made the site (installation.py decides
the line; for one installed from this computer, localinstall.py: a clone's commit, or a
wheel put into `wheels/`), `.github/dependabot.yml` to keep it and the actions current, and
`.github/workflows/pages.yml`, GitHub's Pages flow that installs from requirements.txt and
builds with the address `actions/configure-pages` gives.

Nothing is written when any of these files exists already, unless `force`; nothing
is written either when the given profile cannot be read, or when no line can be made
that installs this scholarfolio on CI (an SSH clone's, say) and no `install` is given.
This module writes only the files it lists, into the folder it is given.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import installation
from .config import SETTINGS
from .errors import Problem, SiteError
from .localinstall import pin, site_wheel
from .profile import read_profile_with_warnings
from .records import Name
from .sources import SUFFIXES, read_bibliography
from .sources.entry import Entry
from .text import INVISIBLE

SKELETON = Path(__file__).resolve().parent / "skeleton"
WORKFLOW = ".github/workflows/pages.yml"
SYNC_WORKFLOW = ".github/workflows/sync.yml"
REQUIREMENTS = "requirements.txt"
#: How the scaffolded workflow installs scholarfolio, and what it says of it.
INSTALL = f"python -m pip install -r {REQUIREMENTS}"
INSTALL_NOTE = (f"scholarfolio is installed from {REQUIREMENTS}, which names the one that "
                "made the site;\n# Dependabot (.github/dependabot.yml) proposes updates.")


@dataclass(frozen=True)
class Scaffold:
    root: Path
    files: tuple[str, ...]  # relative POSIX paths, in the order written
    profile_name: str
    example_profile: bool  # no profile was given: content/profile.txt is the example
    warnings: tuple[Problem, ...]
    requirement: str  # the line of requirements.txt: what the site's CI installs
    # Why the name was chosen, when a bibliography's authors gave it: "author of 41 of
    # 52 entries"; "" when the profile or --name gave it.
    name_reason: str = ""
    aliases: tuple[str, ...] = ()  # other spellings of that name in the bibliography
    notes: tuple[str, ...] = ()  # on the requirement: a commit not pushed, a wheel to commit

    @property
    def name_guessed(self) -> bool:
        """The name is a bibliography's most frequent author, not one given."""
        return bool(self.name_reason)


def workflow_text(install: str = INSTALL, note: str = INSTALL_NOTE) -> str:
    """The GitHub Pages workflow, installing scholarfolio with the command `install`."""
    text = (SKELETON / "pages.yml").read_text(encoding="utf-8")
    return text.replace("@INSTALL_NOTE@", note).replace("@INSTALL@", install)


def sync_workflow_text(install: str = INSTALL, note: str = INSTALL_NOTE) -> str:
    """The weekly sync workflow (`init --sync`): `scholarfolio sync`, then a pull request
    of branch scholarfolio/sync whose body is `sync --report`'s."""
    text = (SKELETON / "sync.yml").read_text(encoding="utf-8")
    return text.replace("@INSTALL_NOTE@", note).replace("@INSTALL@", install)


def requirements_text(line: str) -> str:
    """`requirements.txt`: the one requirement the workflow installs."""
    if site_wheel(line):  # a wheel in the site (localinstall.py)
        return ("# What the GitHub Pages workflow installs to build this site: the scholarfolio\n"
                f"# that made it, {site_wheel(line)}, checked by its sha256 (GITHUB_WORKSPACE\n"
                "# is the site's folder on the runner). Write scholarfolio==VERSION instead\n"
                "# (and delete wheels/) to move to a release.\n"
                f"{line}\n")
    updates = ("Dependabot (.github/dependabot.yml) proposes\n# new releases as pull "
               "requests." if "==" in line else "Dependabot proposes\n# updates only "
               "of a version pinned with ==.")
    return ("# What the GitHub Pages workflow installs to build this site: the scholarfolio\n"
            f"# that made it. Change the line to move to another version; {updates}\n"
            f"{line}\n")


#: What the name is written with as an escape in site.yaml: the invisible characters and
#: U+2028/U+2029, which YAML reads as line breaks (JSON's own escapes cover \n and \r),
#: so that a name can neither end its (commented) line nor start a setting.
_ESCAPED = re.compile(f"{INVISIBLE.pattern[:-1]}\u2028\u2029]")


def site_yaml_text(name: str, today: dt.date, with_name: bool = False) -> str:
    """`site.yaml` with every setting commented out at its default but `as_of`, set to
    `today`: the day the profile was exported, so that its dates without a year keep
    their year (and their papers' BibTeX keys) however long after the site is built.
    `with_name`: `name:` set too, for a site with no profile to give it."""
    title = _ESCAPED.sub(
        lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) <= 0xFFFF
        else f"\\U{ord(m.group()):08x}",
        json.dumps(name, ensure_ascii=False),
    )
    text = (SKELETON / "site.yaml").read_text(encoding="utf-8")
    text = text.replace("# as_of: @TODAY@", f"as_of: {today.isoformat()}")
    if with_name:
        text = text.replace(f"# name: {SETTINGS['name'].example}", f"name: {title}")
    return text.replace("@TITLE@", title)


def scaffold(root: Path | str, profile: Path | str | None = None, force: bool = False,
             today: dt.date | None = None, install: str | None = None,
             name: str | None = None, sync: bool = False) -> Scaffold:
    """Create a new site in `root` (made if missing). `profile` may be a plain-text
    profile or a bibliography (.bib, .json), copied into content/; `name` is the
    researcher's (default: the profile's, or a bibliography's most frequent author).
    `install` is the requirements.txt line (default: this scholarfolio, as it was
    installed). Raises SiteError, writing nothing, when a file exists (without
    `force`), the profile cannot be read, or this scholarfolio cannot be installed on
    CI and `install` is not given. With `sync` (or a site.yaml already there with a
    `sync:` block), also the weekly sync workflow, .github/workflows/sync.yml."""
    root = Path(root)
    sync = sync or _has_sync(root / "site.yaml")
    today = today or dt.date.today()
    line, wheels, notes = _requirement(install, root)
    source = Path(profile).expanduser() if profile is not None else None
    if source is not None and not source.is_file():
        raise SiteError(f"{source}: no such file; expected the profile, a plain-text export")
    profile_path = source or SKELETON / "content" / "profile.txt"
    shown = str(source) if source is not None else "the example profile"
    # The profile's own day: when it was saved (exported), else today for the example.
    exported = (dt.date.fromtimestamp(source.stat().st_mtime) if source is not None
                else today)
    reason, aliases = "", ()
    if source is not None and source.suffix.lower() in SUFFIXES:  # a bibliography
        entries, warnings = _bibliography(source, shown)
        if name is None:
            owner, reason, aliases = bibliography_owner(entries, shown)
        else:
            owner = name
        content = {f"content/{source.stem}{source.suffix.lower()}": source.read_bytes()}
        site_yaml = site_yaml_text(owner, exported, with_name=True)
    else:
        records, warnings = read_profile_with_warnings(profile_path, exported, shown)
        owner = name or records.name
        content = {"content/profile.txt": profile_path.read_bytes()}
        site_yaml = site_yaml_text(owner, exported, with_name=name is not None)
    files: dict[str, bytes] = {
        "site.yaml": site_yaml.encode("utf-8"),
        **content,
        "content/pages/about.md": (SKELETON / "content" / "pages" / "about.md").read_bytes(),
        "templates/README.md": (SKELETON / "templates" / "README.md").read_bytes(),
        ".gitignore": (SKELETON / "gitignore").read_bytes(),
        REQUIREMENTS: requirements_text(line).encode("utf-8"),
        **wheels,
        ".github/dependabot.yml": (SKELETON / "dependabot.yml").read_bytes(),
        WORKFLOW: workflow_text().encode("utf-8"),
    }
    if sync:
        files[SYNC_WORKFLOW] = sync_workflow_text().encode("utf-8")
    if root.exists() and not root.is_dir():
        raise SiteError(f"{root}: is a file; expected a folder for the new site")
    existing = [name for name in files if (root / name).exists() or (root / name).is_symlink()]
    if existing and not force:
        raise SiteError(
            f"{root}: will not overwrite {', '.join(existing)}; "
            "run init with --force to replace them, or choose an empty folder"
        )
    for name in existing:
        if (root / name).is_dir() and not (root / name).is_symlink():
            raise SiteError(f"{root / name}: is a folder; expected a file there")
    for relative, data in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()  # replace the link itself, never the file it points to
        target.write_bytes(data)
    return Scaffold(root, tuple(files), owner, source is None, tuple(warnings), line,
                    name_reason=reason, aliases=tuple(aliases), notes=notes)


def _has_sync(site_yaml: Path) -> bool:
    """Whether an existing site.yaml has a `sync:` block (its top-level key)."""
    try:
        return re.search(r"^sync:", site_yaml.read_text(encoding="utf-8"), re.M) is not None
    except (OSError, UnicodeDecodeError):
        return False


def _requirement(install: str | None, root: Path) -> tuple[str, dict[str, bytes],
                                                           tuple[str, ...]]:
    """The line of requirements.txt (`install`, checked, else this scholarfolio as it was
    installed), the files it needs in the site (a wheel), and notes on it."""
    if install is not None:
        return installation.requirement(install), {}, ()
    found = installation.source()
    if found.line is not None:
        return found.line, {}, ()
    if found.local is None:
        raise SiteError(installation.unreachable(found.origin, str(root)))
    return pin(found.local, found.commit)


def _bibliography(source: Path, shown: str) -> tuple[list[Entry], list[Problem]]:
    """A bibliography's entries and warnings; its errors raised, as a build would."""
    entries, problems = read_bibliography(source, shown)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise SiteError(errors)
    if not entries:
        raise SiteError(f"{shown}: no entry with a title and a year; expected the "
                        "researcher's publications")
    return entries, [p for p in problems if p.warning]


def bibliography_owner(entries: list[Entry], shown: str
                       ) -> tuple[str, str, tuple[str, ...]]:
    """Whose bibliography this is: the author of the most entries (each spelling of a
    name counted as one person: family name and first initial), when they wrote at least
    half of them and more than anyone else; as (the name as most often written, why,
    the other spellings). Else a SiteError asking for --name: a group's or a reading
    list's bibliography has no clear owner."""
    people: dict[str, Counter[str]] = {}  # person -> spellings, each counted once an entry
    for entry in entries:
        for key, text in {_person(author): author.text for author in entry.authors}.items():
            people.setdefault(key, Counter())[text] += 1
    ranked = sorted(people.values(), key=lambda spellings: -spellings.total())
    if not ranked:
        raise SiteError(f"{shown}: no entry names an author; give the researcher's "
                        "name with --name")
    first = ranked[0]
    count, total = first.total(), len(entries)
    name = first.most_common(1)[0][0]
    if count * 2 < total or (len(ranked) > 1 and ranked[1].total() == count):
        others = ", ".join(f"'{people.most_common(1)[0][0]}' ({people.total()})"
                           for people in ranked[:3])
        raise SiteError(f"{shown}: no author wrote most of its {total} entries (the most "
                        f"frequent: {others}), so whose site this is is not clear; give "
                        "the researcher's name with --name")
    return name, f"author of {count} of {total} entries", tuple(
        sorted(text for text in first if text != name))


def _person(name: Name) -> str:
    """One person however the name is spelt: family name and first initial ("Smith a"),
    an organisation by its whole name."""
    if not name.family:
        return name.text.casefold()
    return f"{name.family_full.casefold()} {name.given[:1].casefold()}"
