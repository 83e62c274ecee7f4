"""Render routes to HTML with one Jinja environment per build.

Autoescape is on and undefined names are errors; Jinja's own errors are
reported with the template file and line. Templates never see the file
system or the clock: only the context the site model gives them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.ext import Extension

from .errors import Problem, TemplateError
from .site import Route, SiteModel, route_meta
from .themes import Theme

#: `{% extends "theme/base.html" %}` names the theme's own file, skipping site overrides.
THEME_PREFIX = "theme"


class _Loader(jinja2.ChoiceLoader):
    """Site templates/ first, then the theme and its parents; `theme/NAME` looks in the
    theme chain only and `<theme name>/NAME` in that theme and its parents, so an override
    can extend the very file it replaces."""

    def __init__(self, site_dir: Path, theme: Theme):
        chain = [str(d) for d in theme.template_dirs if d.is_dir()]
        self.searched = [str(d) for d in [site_dir] if d.is_dir()] + chain
        prefixes = {THEME_PREFIX: jinja2.FileSystemLoader(chain)}
        for index, folder in enumerate(theme.folders):
            dirs = [str(d) for d in theme.template_dirs[index:] if d.is_dir()]
            prefixes.setdefault(folder.name, jinja2.FileSystemLoader(dirs))
        super().__init__([jinja2.PrefixLoader(prefixes), jinja2.FileSystemLoader(self.searched)])


class FragmentExtension(Extension):
    """`{% fragment key, ... %}body{% endfragment %}`: the body, reused from an earlier
    render while every key is the same object (or an equal string or number), when the
    environment has a store of fragments (`environment.fragments`, set by the dev
    server's incremental.IncrementalRenderer). The keys must name everything the body
    shows that can change between renders of one site model. Without a store, as in a
    build, the body is simply rendered.

    Compiled as `{% set html = stored(keys) %}{% if html is none %}{% set html %}body{%
    endset %}{{ store(keys, html) }}{% else %}{{ html }}{% endif %}`: one call for a
    reused card, and a block assignment captures the body without the macro a call
    block would make for every card."""

    tags = {"fragment"}
    _HTML = "_fragment_html"

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(fragments=None)

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
        store = self.environment.fragments  # type: ignore[attr-defined]
        return None if store is None else store.stored(keys)

    def _store(self, keys: tuple[Any, ...], html: str) -> str:
        store = self.environment.fragments  # type: ignore[attr-defined]
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


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, printing escaped values through `escape_text`. (10,000
    papers: Markup's constructor ran 1.3 million times, ~9% of a build's CPU.)"""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escape_text(")
        if finalize.src is not None:
            self.write(finalize.src)


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator
    escape_text = staticmethod(escape_text)


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
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    # Compiled code depends on this module's extension too, not only on the template's
    # source (which Jinja checks): one folder per version of this module and of Jinja.
    try:
        with open(__file__, "rb") as handle:
            code = hashlib.blake2b(handle.read() + jinja2.__version__.encode(), digest_size=6)
    except OSError:
        return None
    folder = os.path.join(base, "scholarfolio", f"jinja-{code.hexdigest()}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(folder)


def make_environment(site_dir: Path, theme: Theme) -> jinja2.Environment:
    """The build's Jinja environment: the site's `templates/` first, then the theme and its
    parents. Templates are compiled once (and kept compiled between runs: _BytecodeCache)
    and never checked again (the dev server's incremental.IncrementalRenderer clears the
    cache when a source changes)."""
    return _Environment(
        loader=_Loader(site_dir, theme),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=[FragmentExtension],
        bytecode_cache=_bytecode_cache(),
    )


def render_routes(env: jinja2.Environment, model: SiteModel) -> dict[str, bytes]:
    """Render every route of the model: output path -> UTF-8 bytes."""
    return {route.path: render_route(env, model, route) for route in model.routes}


def render_route(env: jinja2.Environment, model: SiteModel, route: Route) -> bytes:
    """Render one route; Jinja's errors become a TemplateError naming file and line."""
    if route.template is None:  # a file the model makes whole (citations)
        return route.context["text"].text().encode("utf-8")
    with _reported(env, route):
        template = env.get_template(route.template)
        html = template.render(_context(model, route))
    return html.encode("utf-8")


def render_route_chunks(env: jinja2.Environment, model: SiteModel, route: Route,
                        size: int = 1 << 16) -> Iterator[bytes]:
    """Render one route as UTF-8 chunks of about `size` bytes, for a page too large to
    hold whole at little cost (a home page listing 10,000 papers is 22 MB, and the
    pieces Jinja joins for it take several times that)."""
    with _reported(env, route):
        if route.template is None:  # a file the model makes, in parts
            generated = route.context["text"].parts()
        else:
            generated = env.get_template(route.template).generate(_context(model, route))
        pieces: list[str] = []
        length = 0
        for piece in generated:
            pieces.append(piece)
            length += len(piece)
            if length >= size:
                yield "".join(pieces).encode("utf-8")
                pieces, length = [], 0
        yield "".join(pieces).encode("utf-8")


def _context(model: SiteModel, route: Route) -> dict[str, Any]:
    context = {"site": model.site, "nav_key": route.nav_key, **route.context}
    if route.path.endswith(".html"):
        context["meta"] = route_meta(model.site, route)
    return context


@contextlib.contextmanager
def _reported(env: jinja2.Environment, route: Route) -> Iterator[None]:
    """Jinja's errors while rendering `route`, as a TemplateError naming file and line."""
    try:
        yield
    except jinja2.TemplateNotFound as exc:
        searched = ", ".join(getattr(env.loader, "searched", []))
        raise TemplateError(
            f"template '{exc.name}' not found (needed for {route.path}); searched: {searched}"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            _problem(
                exc.filename or exc.name or route.template or route.path,
                exc.lineno,
                f"template syntax error: {exc.message}",
                exc.source,
            )
        ) from None
    except Exception as exc:  # an error raised while rendering a template
        filename, line = _template_position(exc)
        if filename is None:
            raise
        raise TemplateError(
            _problem(
                filename, line, f"while rendering {route.path}: {type(exc).__name__}: {exc}"
            )
        ) from None


def _problem(filename: str, line: int, message: str, source: str | None = None) -> Problem:
    text = source
    if text is None:
        try:
            text = Path(filename).read_text(encoding="utf-8")
        except OSError:
            text = ""
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else None
    return Problem(filename, line, 1, message, source_line)


def _template_position(exc: BaseException) -> tuple[str | None, int]:
    """The innermost template frame of a rendering error's traceback."""
    found: tuple[str | None, int] = (None, 0)
    tb = exc.__traceback__ or sys.exc_info()[2]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".svg", ".j2")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
