"""The `scholarfolio` command: parses arguments and calls library functions.

Imports of the heavy modules happen inside each command, so `--help` and
`--version` stay instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scholarfolio",
        description="Turn a researcher's profile into a static portfolio website.",
    )
    parser.add_argument("--version", action="version", version=f"scholarfolio {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser(
        "init",
        help="create a new site, ready to publish on GitHub Pages",
        description="Create a new site in DIR: site.yaml (every setting shown with its "
        "default), content/profile.txt, content/pages/about.md, templates/README.md, "
        ".gitignore, requirements.txt (the scholarfolio that made the site), "
        ".github/dependabot.yml and the GitHub Pages workflow .github/workflows/pages.yml. "
        "Existing files are never replaced without --force.",
    )
    init.add_argument("directory", nargs="?", type=Path, default=Path("."), metavar="DIR",
                      help="the folder of the new site, made if missing (default: .)")
    init.add_argument("--papers", "--profile", dest="profile", type=Path, metavar="FILE",
                      help="your papers: a BibTeX file (.bib: Google Scholar's export, "
                      "DBLP's, your reference manager's), a CSL-JSON file (.json: Zotero's), "
                      "or a plain-text profile, copied into content/ (default: an example "
                      "profile to replace)")
    init.add_argument("--name", metavar="NAME",
                      help="your name, as the site's header shows it (default: the "
                      "profile's, or a bibliography's most frequent author)")
    init.add_argument("--force", action="store_true", help="replace files that already exist")
    init.add_argument("--sync", action="store_true",
                      help="also write .github/workflows/sync.yml: a weekly `scholarfolio "
                      "sync` that opens a pull request (written anyway when site.yaml has "
                      "sync:)")
    init.add_argument("--install", metavar="SPEC",
                      help="what the site's workflow installs, as a line of requirements.txt: "
                      "'scholarfolio==0.2.0' or 'scholarfolio @ git+https://...@COMMIT' "
                      "(default: this scholarfolio, as it was installed)")

    build = commands.add_parser(
        "build",
        help="build the site into its output folder",
        description="Build the site in the current folder (or -C DIR) "
        "into its output folder (default _site/).",
    )
    build.add_argument(
        "-C",
        "--directory",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the site folder, holding site.yaml and content/ (default: .)",
    )
    build.add_argument(
        "-o", "--output", metavar="DIR", help="the output folder, overriding site.yaml's 'output'"
    )
    build.add_argument(
        "--base-url",
        metavar="URL",
        help="where the site is served, overriding site.yaml's 'base_url'",
    )
    build.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="read dates without a year against this date"
    )
    build.add_argument(
        "-j", "--jobs", type=_jobs, metavar="N",
        help="processes that render a large site (default: one per core; 1 uses the "
        "least memory)",
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    serve = commands.add_parser(
        "serve",
        help="preview the site, rebuilding on every save",
        description="Build the site, serve it at http://127.0.0.1:8000/ and rebuild and "
        "reload open pages on every save.",
    )
    serve.add_argument("-C", "--directory", type=Path, default=Path("."), metavar="DIR",
                       help="the site folder, holding site.yaml and content/ (default: .)")
    serve.add_argument("-p", "--port", type=int, default=8000, help="the port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="also answer requests for this host name (a tunnel's, a proxy's, "
                       "another name of this machine); repeatable. The server answers only "
                       "for the address it listens on (and localhost), so that no other site "
                       "can read the preview")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--poll", action="store_true",
                       help="poll for changes (for network and container mounts)")
    serve.add_argument("--base-url", metavar="URL",
                       help="where the site is served, overriding site.yaml's 'base_url'")
    serve.add_argument("--as-of", metavar="YYYY-MM-DD",
                       help="read dates without a year against this date")

    sync = commands.add_parser(
        "sync",
        help="fetch the researcher's works and metrics from OpenAlex and ORCID, filled in "
        "from Crossref and arXiv",
        description="Fetch the works and metrics of the researcher that site.yaml's sync: "
        "names, from OpenAlex and ORCID (what they leave blank filled in from Crossref by "
        "DOI and arXiv by arXiv id), into content/synced.json (read by the build as one "
        "more source) and content/metrics/<date>.json, and say what changed. A work gone "
        "upstream is kept and reported; a failing service changes no file.",
    )
    sync.add_argument("-C", "--directory", type=Path, default=Path("."), metavar="DIR",
                      help="the site folder, holding site.yaml and content/ (default: .)")
    sync.add_argument("--offline", action="store_true",
                      help="read the responses of the last sync from .scholarfolio-cache/sync/ "
                      "instead of the network")
    sync.add_argument("--dry-run", action="store_true",
                      help="print what would change, and write nothing")
    sync.add_argument("--date", metavar="YYYY-MM-DD",
                      help="the day of the metrics snapshot (default: today)")
    sync.add_argument("--report", type=Path, metavar="FILE",
                      help="also write what changed and how the metrics moved as Markdown "
                      "to FILE (the weekly pull request's body)")

    export = commands.add_parser(
        "export",
        help="print the site's papers: citations or records",
        description="Print the papers of the site in the current folder (or -C DIR) as the "
        "build reads them: every source and per-paper file. bibtex, ris and csljson print "
        "byte for byte the site's papers.bib, papers.ris and papers.json. Given a profile "
        "file instead, print the site it is the profile of, or, outside a site, that file "
        "alone.",
    )
    export.add_argument("profile", type=Path, nargs="?", metavar="PROFILE",
                        help="a profile file, e.g. content/profile.txt (default: the site's)")
    export.add_argument("-C", "--directory", type=Path, metavar="DIR",
                        help="the site folder, holding site.yaml and content/ (default: .)")
    export.add_argument(
        "--format",
        choices=["json", "bibtex", "ris", "csljson"],
        default="json",
        help="json: the records; bibtex, ris, csljson: the citations, as the site's "
        "papers.bib, papers.ris and papers.json hold them (default: json)",
    )
    export.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="read dates without a year against this date (default: the site's as_of, "
        "else today)",
    )
    export.add_argument("--base-url", metavar="URL",
                        help="where the site is served, overriding site.yaml's 'base_url'")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (1 for any problem the user can fix)."""
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    from .errors import SiteError

    try:
        if args.command == "init":
            return _init(args)
        if args.command == "build":
            return _build(args)
        if args.command == "export":
            return _export(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "sync":
            from .sync.cli import run

            return run(args)
    except SiteError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        # output.Staging says so once the new site is in place; before that, nothing changed.
        detail = str(exc) or "the previous site is left as it was"
        print(f"interrupted; {detail}", file=sys.stderr)
        return 130
    return 2


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more, "
                                         f"found '{text}'")
    return int(text)


def _as_of(text: str | None):
    import datetime as dt

    from .errors import SiteError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SiteError(f"--as-of: expected a date YYYY-MM-DD, found '{text}'") from None


def _init(args: argparse.Namespace) -> int:
    from .build import display_path
    from .scaffold import scaffold

    done = scaffold(args.directory, args.profile, force=args.force, install=args.install,
                    name=args.name, sync=args.sync)
    for warning in done.warnings:
        print(warning.format(), file=sys.stderr)
    folder = display_path(done.root)
    print(f"Created a site for {done.profile_name} in {folder}/:")
    for name in done.files:
        print(f"  {name}")
    if done.example_profile:
        print("content/profile.txt is an example: replace it with your own profile.")
    if done.name_guessed:
        print(f"Chose '{done.profile_name}' as the researcher ({done.name_reason}); pass "
              "--name to choose another, or set name: in site.yaml.")
        if done.aliases:
            spellings = ", ".join(f"'{alias}'" for alias in done.aliases)
            print(f"The bibliography also writes the name {spellings}: list them under "
                  "aliases: in site.yaml so author lists show them in bold.")
    from .localinstall import site_wheel

    shown = site_wheel(done.requirement) or done.requirement
    print(f"The site's workflow installs {shown} (requirements.txt).")
    for note in done.notes:
        print(f"note: {note}", file=sys.stderr)
    from .installation import pinned

    if not pinned(done.requirement):
        print(f"note: {done.requirement} names no one build (== a version, or a URL at a "
              "commit): a later run may build the site with another scholarfolio",
              file=sys.stderr)
    print("Next:")
    if folder != ".":
        print(f"  cd {folder}")
    print(
        "  scholarfolio serve                                    # preview at "
        "http://127.0.0.1:8000/\n"
        "  git init -b main && git add . && git commit -m site\n"
        "On GitHub: create the repository, then, before the first push, choose Settings →\n"
        "Pages → Source: GitHub Actions. Push (git remote add origin URL && git push -u "
        "origin main):\nevery push to the default branch publishes the site. (Pushed "
        "first? Run the workflow again\nfrom the Actions tab.)"
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import build, display_path

    root = _site_folder(args.directory)
    overrides = {"base_url": args.base_url, "as_of": _as_of(args.as_of)}
    if args.output is not None:
        overrides["output"] = str(Path(args.output).resolve())
    result = build(root, overrides, keep_files=False, jobs=args.jobs)
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    if not args.quiet:
        for note in result.notes:
            print(note, file=sys.stderr)
        if result.sources:
            print(f"Read {result.sources}")
        print(
            f"Built {result.pages} pages ({len(result.files)} files, {result.changed} "
            f"changed) in {result.seconds * 1000:.0f} ms → "
            f"{display_path(result.config.output)}/"
        )
    return 0


def _site_folder(root: Path) -> Path:
    """`-C DIR` (or the working folder) as a site folder, or the error that names it."""
    from .errors import SiteError

    if not root.is_dir():
        raise SiteError(f"{root}: no such folder; expected a site folder holding site.yaml "
                        "and content/profile.txt")
    return root


def _serve(args: argparse.Namespace) -> int:
    from .dev.server import serve

    root = _site_folder(args.directory)
    overrides = {"base_url": args.base_url, "as_of": _as_of(args.as_of)}
    return serve(root, overrides, host=args.host, port=args.port, open_browser=args.open,
                 poll=args.poll, log=lambda line: print(line, flush=True),
                 allow_hosts=args.allow_host)


def _export(args: argparse.Namespace) -> int:
    from .config import load_config
    from .errors import SiteError
    from .export import export_site

    overrides = {"base_url": args.base_url, "as_of": _as_of(args.as_of)}
    if args.profile is not None:
        if args.directory is not None:
            raise SiteError("export: give a site folder (-C DIR) or a profile file, not both")
        root = _site_of(args.profile)
        if root is None:
            return _export_profile(args)
    else:
        root = _site_folder(args.directory or Path("."))
        if not (root / "site.yaml").is_file():
            raise SiteError(
                f"{root.resolve()}: no site.yaml; expected a site folder holding site.yaml and "
                "content/ (run export in it, or with -C DIR), or a profile file "
                "(export content/profile.txt)")
    data, warnings = export_site(load_config(root, overrides), args.format)
    for warning in warnings:
        print(warning.format(), file=sys.stderr)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    return 0


def _site_of(profile: Path) -> Path | None:
    """The site whose profile `profile` is, as site.yaml beside its content/ folder names
    it (the default content/profile.txt); None for any other file."""
    from .config import load_config

    folder = profile.resolve().parent
    if folder.name != "content" or not (folder.parent / "site.yaml").is_file():
        return None
    return folder.parent if load_config(folder.parent).profile == profile.resolve() else None


def _export_profile(args: argparse.Namespace) -> int:
    """Export a profile file alone, as parsed: the file is no site's profile."""
    import datetime as dt

    from .build import display_path
    from .config import load_config
    from .errors import ConfigError
    from .export import export
    from .profile import read_profile_with_warnings

    # A profile inside a site's content/ folder is read with that site's settings: its
    # as_of, and its base_url for the page URLs of citations.
    config = None
    folder = args.profile.resolve().parent
    site_root = folder.parent
    if folder.name == "content" and (site_root / "site.yaml").is_file():
        try:
            config = load_config(site_root, {"base_url": args.base_url})
        except ConfigError:
            config = None
    as_of = _as_of(args.as_of) or (config.as_of if config else None)
    profile, warnings = read_profile_with_warnings(
        args.profile, as_of or dt.date.today(), display_path(args.profile)
    )
    for warning in warnings:
        print(warning.format(), file=sys.stderr)
    sys.stdout.flush()
    sys.stdout.buffer.write(export(profile, args.format, config).encode("utf-8"))
    return 0
