"""Render one route to bytes: a page through its template (with `site`, `nav_key`, the
route's context and, for an HTML page, its head metadata), a file through its maker;
Jinja's errors re-raised as TemplateError naming file and line."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2

from ..containment import LEADS_OUT
from ..errors import Problem, TemplateError
from ..model import FileRoute, PageRoute, Route, SiteModel
from ..model.pages import KIND_OF


def render_routes(env: jinja2.Environment, model: SiteModel) -> dict[str, bytes]:
    """Render every route of the model: output path -> UTF-8 bytes."""
    return {route.path: render_route(env, model, route) for route in model.routes}


def render_route(env: jinja2.Environment, model: SiteModel, route: Route) -> bytes:
    """Render one route; Jinja's errors become a TemplateError naming file and line."""
    if isinstance(route, FileRoute):  # a file the model makes whole (citations)
        return "".join(route.make()).encode("utf-8")
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
        if isinstance(route, FileRoute):  # a file the model makes, in parts
            generated = route.make()
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


def _context(model: SiteModel, route: PageRoute) -> dict[str, Any]:
    """What the template gets: `site`, `nav_key`, the route's context and, for an HTML
    page, `meta` (its head, made by its kind when the page is rendered: it follows from
    the site and the route, so it is not kept in the model)."""
    context = {"site": model.site, "nav_key": route.nav_key, **route.context._asdict()}
    meta = KIND_OF[route.kind].meta
    if meta is not None:
        context["meta"] = meta(model.site, route)
    return context


@contextlib.contextmanager
def _reported(env: jinja2.Environment, route: Route) -> Iterator[None]:
    """Jinja's errors while rendering `route`, as a TemplateError naming file and line."""
    try:
        yield
    except TemplateError:  # already placed (a template leading outside the site)
        raise
    except jinja2.TemplateNotFound as exc:
        searched = ", ".join(getattr(env.loader, "searched", []))
        message = (f"template '{exc.name}' {LEADS_OUT}: a template is named by its path "
                   "below templates/" if ".." in str(exc.name).split("/") else
                   f"template '{exc.name}' not found (needed for {route.path}); "
                   f"searched: {searched}")
        filename, line = _template_position(exc)  # the template that includes or extends
        raise TemplateError(message if filename is None else _problem(filename, line, message)
                            ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            _problem(
                exc.filename or exc.name or route.path,
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
            _problem(filename, line,
                     f"while rendering {_described(route)}: {type(exc).__name__}: {exc}")
        ) from None


def _described(route: Route) -> str:
    """The route as an error names it: as its kind says (a Markdown page by its file and
    template), else by its path."""
    described = KIND_OF[route.kind].described
    return described(route) if described is not None and isinstance(route, PageRoute) \
        else route.path


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
