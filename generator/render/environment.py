"""The build's one Jinja environment: the loader (site templates, then the theme and its
parents), autoescape and StrictUndefined, `{% fragment %}`, a code generator that prints
escaped values as plain strings, and compiled templates kept in the user's cache folder.

`{% fragment %}` reuses a body from an earlier render through a store of fragments
(`FragmentStore`): the store reaches templates through one channel only, the
`fragments` argument of `make_environment`, which gives it to the environment's
`FragmentExtension` once, when the environment is made. The dev server passes its
`dev.incremental.Fragments` (and clears that store itself when what it holds goes
stale); a build passes none, and every fragment's body is simply rendered.

The code generator and the fragment extension rest on Jinja's CodeGenerator and node
classes, which are not a public API: pyproject.toml pins Jinja below the next minor.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import jinja2
import jinja2.bccache
import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, is_python_keyword
from jinja2.ext import Extension
from jinja2.loaders import split_template_path

from .. import usercache
from ..containment import Outside, inside
from ..errors import Problem, TemplateError, cannot_read
from ..i18n import babel_locale, locale_number, translations
from ..listing import is_folder
from ..model.marks import legend as marks_legend
from ..text import visible
from ..themes import Theme, theme_roots

#: `{% extends "theme/base.html" %}` names the theme's own file, skipping site overrides.
THEME_PREFIX = "theme"


class _ContainedLoader(jinja2.FileSystemLoader):
    """Jinja's loader of template folders, refusing a template that leads outside its
    roots (a symlink out of the site's templates/ or a theme's: containment.py). Jinja
    itself refuses `..` in a template's name and reads `/etc/passwd` as `etc/passwd`
    below each folder."""

    def __init__(self, searchpath: list[str], roots: list[Path]):
        super().__init__(searchpath)
        self.roots = roots

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        path = None
        for folder in self.searchpath:  # a folder before the file found is no override
            path = Path(folder, *split_template_path(template))
            if path.is_file():
                break
            if path.exists():
                raise TemplateError(Problem(str(path), 1, 1, f"template '{template}' cannot "
                                            "be read (a folder, expected a file)"))
        try:
            found = super().get_source(environment, template)
        except jinja2.TemplateNotFound:  # (an OSError too) reported where it is needed
            raise
        except OSError as exc:  # no permission
            raise TemplateError(cannot_read(str(path), exc)) from None
        except UnicodeDecodeError as exc:
            raise TemplateError(Problem(str(path), 1, 1, f"not UTF-8 text (byte {exc.start}); "
                                        "expected the file saved as UTF-8")) from None
        try:
            inside(Path(found[1]), self.roots)
        except Outside as exc:
            raise TemplateError(Problem(found[1], 1, 1, f"template '{template}' {exc}: "
                                        "a template must lie inside the site folder or "
                                        "its theme")) from None
        return found


class _Loader(jinja2.ChoiceLoader):
    """Site templates/ first, then the theme and its parents; `theme/NAME` looks in the
    theme chain only and `<theme name>/NAME` in that theme and its parents, so an override
    can extend the very file it replaces. Every template lies inside the site folder (the
    folder of `site_dir`) or the built-in themes."""

    def __init__(self, site_dir: Path, theme: Theme):
        roots = theme_roots(site_dir.parent)
        chain = [str(d) for d in theme.template_dirs if d.is_dir()]
        self.searched = [str(d) for d in [site_dir] if is_folder(d, str(d))] + chain
        prefixes: dict[str, jinja2.BaseLoader] = {
            THEME_PREFIX: _ContainedLoader(chain, roots)}
        for index, folder in enumerate(theme.folders):
            dirs = [str(d) for d in theme.template_dirs[index:] if d.is_dir()]
            prefixes.setdefault(folder.name, _ContainedLoader(dirs, roots))
        super().__init__([jinja2.PrefixLoader(prefixes),
                          _ContainedLoader(self.searched, roots)])


class FragmentStore(Protocol):
    """Where `{% fragment %}` keeps bodies between renders (dev.incremental.Fragments)."""

    def stored(self, keys: tuple[Any, ...]) -> str | None:
        """The body stored for these keys by an earlier render, or None."""

    def store(self, keys: tuple[Any, ...], html: str) -> None:
        """Keep `html` as the body for these keys."""


class FragmentExtension(Extension):
    """`{% fragment key, ... %}body{% endfragment %}`: the body, reused from an earlier
    render while every key is the same object (or an equal string or number), when the
    environment was made with a store of fragments (`make_environment(..., fragments)`,
    the dev server's). The keys must name everything the body shows that can change
    between renders of one site model. Without a store, as in a build, the body is
    simply rendered.

    Compiled as `{% set html = stored(keys) %}{% if html is none %}{% set html %}body{%
    endset %}{{ store(keys, html) }}{% else %}{{ html }}{% endif %}`: one call for a
    reused card, and a block assignment captures the body without the macro a call
    block would make for every card."""

    tags = {"fragment"}
    _HTML = "_fragment_html"

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        self.fragments: FragmentStore | None = None  # given by make_environment, only there

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endfragment",), drop_needle=True)
        key = nodes.Tuple(keys, "load")
        html = nodes.Name(self._HTML, "load")
        return [
            nodes.Assign(nodes.Name(self._HTML, "store"), self.call_method("_stored", [key]))
            .set_lineno(lineno),
            nodes.If(
                nodes.Test(html, "none", [], [], None, None),
                [nodes.AssignBlock(nodes.Name(self._HTML, "store"), None, body),
                 nodes.Output([self.call_method("_store", [key, html])])],
                [],
                [nodes.Output([html])],
            ).set_lineno(lineno),
        ]

    def _stored(self, keys: tuple[Any, ...]) -> str | None:
        store = self.fragments
        return None if store is None else store.stored(keys)

    def _store(self, keys: tuple[Any, ...], html: str) -> str:
        store = self.fragments
        if store is not None:
            store.store(keys, html)
        return html


def escape_text(value: Any) -> str:
    """`markupsafe.escape(value)` as a plain string: what a template prints is only
    joined, so the Markup object escape makes (a Python-level constructor) is not needed."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_inner(str(value))


_escape_inner = getattr(markupsafe, "_escape_inner", None)  # MarkupSafe 3: C, else Python
if _escape_inner is None:  # pragma: no cover - MarkupSafe 2.1
    def _escape_inner(text: str) -> str:
        return str(markupsafe.escape(text))


def xml_text(value: Any) -> str:
    """What an XML template (`.xml`, `.svg`: the feeds, the sitemap, the badges) prints:
    `escape_text(value)` with each character XML forbids (control characters but tab and
    line breaks, U+FFFE, U+FFFF, lone surrogates) and each invisible one shown as the
    pages show it, `[U+XXXX]` (text.visible): whatever a value holds, the file parses."""
    text = visible(escape_text(value))
    return text if text.isascii() else _SURROGATE.sub(_marker, text)


_SURROGATE = re.compile("[\ud800-\udfff]")  # (no UTF-8 file can hold one)


def _marker(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group()):04X}]"


#: The templates whose printed values pass through `xml_text`, by their names' ends.
XML_TEMPLATES = (".xml", ".svg")


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, printing escaped values through `escape_text` (`xml_text`
    in an XML template). (10,000 papers: Markup's constructor ran 1.3 million times, ~9%
    of a build's CPU.)"""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        xml = self.name is not None and self.name.endswith(XML_TEMPLATES)
        self.write("environment.xml_text(" if xml else "environment.escape_text(")
        if finalize.src is not None:
            self.write(finalize.src)


    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        """`_("text", name=value)` as a direct call of the environment's `plain_gettext`:
        Jinja calls every function through the context (~1.5 us a call; 30,000 calls of
        `_` in a 1,000-paper site)."""
        if (not (isinstance(node.node, nodes.Name) and node.node.name == "_")
                or forward_caller or node.dyn_args or node.dyn_kwargs
                or any(is_python_keyword(k.key) for k in node.kwargs)):
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self.write("environment.plain_gettext(")
        for index, argument in enumerate([*node.args, *node.kwargs]):
            if index:
                self.write(", ")
            self.visit(argument, frame)
        self.write(")")


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator
    plain_gettext: Callable[..., str] = staticmethod(lambda message, **values: (
        message % values if values else message))
    escape_text = staticmethod(escape_text)
    xml_text = staticmethod(xml_text)


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs in the user's cache folder
    (`$XDG_CACHE_HOME/scholarfolio/jinja-*`, else `~/.cache/...`), as Python keeps compiled
    modules in __pycache__: Jinja checks each entry against the template's source, so an
    edited template is compiled anew. Compiling the theme costs a small site's build
    ~0.1 s. A cache that cannot be read or written is simply not used."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    # Compiled code depends on this module's code generator and extension too, not only
    # on the template's source (which Jinja checks): one folder per version of this module
    # and of Jinja.
    try:
        made_by = (usercache.file_bytes(__file__), jinja2.__version__.encode())
    except OSError:
        return None
    folder = usercache.folder("jinja", made_by)
    return None if folder is None else _BytecodeCache(folder)


def _plain_gettext(gettext: Callable[[str], str]) -> Callable[..., str]:
    """`_("text", name=value)` in a template: the translation as plain text, its
    `%(name)s` filled in, escaped once where it is printed like any value. (Jinja's own
    `_` makes the translation markup through the context: ~10x slower, and 30,000 calls
    in a 1,000-paper site.) `{% trans %}` and `ngettext` stay Jinja's: a translation
    holding HTML is written in a `{% trans %}` block."""
    def translate(message: str, **values: Any) -> str:
        text = gettext(message)
        return text % values if values else text

    return translate


def make_environment(site_dir: Path, theme: Theme, fragments: FragmentStore | None = None,
                     language: str = "en") -> jinja2.Environment:
    """The build's Jinja environment: the site's `templates/` first, then the theme and its
    parents. Templates are compiled once (and kept compiled between runs: _BytecodeCache)
    and never checked again (the dev server's incremental.IncrementalRenderer clears the
    cache when a source changes). `fragments`: the store `{% fragment %}` reuses bodies
    from (the dev server's); without one every body is rendered."""
    env = _Environment(
        loader=_Loader(site_dir, theme),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=[FragmentExtension, "jinja2.ext.i18n"],
        bytecode_cache=_bytecode_cache(),
    )
    extension = env.extensions[FragmentExtension.identifier]
    assert isinstance(extension, FragmentExtension)
    extension.fragments = fragments
    catalogue = translations(language)
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = env.plain_gettext = _plain_gettext(catalogue.gettext)  # type: ignore[attr-defined]
    env.globals["marks_legend"] = marks_legend
    env.filters["number"] = (str if babel_locale(language) is None  # English: as written
                             else lambda value: locale_number(str(value), language))
    return env
