"""Render only what changed: each route gets a key from its template files and its
context, and a route whose key is unchanged keeps its previous HTML.

A change to one paper changes the context of its own page, its neighbours' pages
(they show its title), its category page and the home page, and nothing else; a
template change changes the key of exactly the routes whose template includes,
extends or imports it. The result is the same bytes a full render would give.
"""

from __future__ import annotations

import hashlib
import operator
import threading
from collections.abc import Container
from typing import Any

import jinja2
from jinja2 import meta

from ..model import CitationFile, FileRoute, PageRoute, SiteModel, SiteView
from ..render.pages import render_route
from ..reuse import Reuse


class IncrementalRenderer:
    """Renders a site model, reusing the HTML of routes whose inputs did not change.
    Give it an environment without auto_reload: it clears Jinja's template cache itself
    when a template's source changed (auto_reload would stat a file per include).

    A route's inputs are the site, its template files and the route itself (path,
    template, context, kind); contexts hold frozen dataclasses compared by value, which
    is exact (no hash collisions) and cheap: views of unchanged papers are the same
    objects from one build to the next (see model.build_model's `reuse`), so most
    comparisons stop at identity. Every route of the model's one list is compared: there
    is no second list of which routes show a paper.
    """

    def __init__(self, env: jinja2.Environment, fragments: Fragments,
                 defer_files: bool = False):
        self.env = env  # made with `fragments` as its store (render.make_environment)
        self.defer_files = defer_files  # files without a template become Deferred
        # path -> (inputs, bytes) of the last successful render
        self._last: dict[str, tuple[tuple[Any, ...], bytes | Deferred]] = {}
        self._references: dict[str, tuple[str | None, ...]] = {}  # source -> referenced names
        self._compiled = b""  # digest of every template when Jinja's cache was last cleared
        self._fragments_site: SiteView | None = None  # the site the fragments were made for
        self._site: SiteView | None = None  # the site of the last render
        self.fragments = fragments  # cleared here when its bodies would be stale

    def render(self, model: SiteModel) -> tuple[dict[str, bytes | Deferred], list[str]]:
        """Every route's bytes (a file route's as Deferred, see `defer_files`), and the
        paths rendered anew."""
        templates = _TemplateDigests(self.env, self._references)
        everything = templates.everything()
        last = self._last
        if model.site != self._site:  # every page shows the site: render all anew
            last = {}
        if model.site != self._fragments_site:  # (a failed render may have made some)
            self.fragments.clear()
            self._fragments_site = model.site
        if everything != self._compiled:  # what Jinja's compiled templates were made from
            if self.env.cache is not None:
                self.env.cache.clear()  # a template changed: compile it anew (no auto_reload)
            self.fragments.clear()
            self._compiled = everything
        digests = {route.template: templates.of(route.template) for route in model.routes
                   if isinstance(route, PageRoute)}
        rendered: list[str] = []
        made: dict[str, tuple[tuple[Any, ...], bytes | Deferred]] = {}
        for route in model.routes:
            # A route is a tuple compared in C: mostly by identity, views being reused.
            inputs = (digests.get(route.template) if isinstance(route, PageRoute) else None,
                      route)
            previous = last.get(route.path)
            if previous is not None and previous[0] == inputs:
                data = previous[1]
            elif isinstance(route, FileRoute) and self.defer_files:
                data = Deferred(route.make)
            else:
                self.fragments.route(route.path)
                data = render_route(self.env, model, route)
                rendered.append(route.path)
            made[route.path] = (inputs, data)
        self.fragments.retain(made)
        # Taken on only now: a failed render leaves the last good one to compare with.
        self._last, self._site = made, model.site
        return {path: data for path, (_, data) in made.items()}, rendered


class Deferred:
    """A file the model makes whole (a citation file: model.CitationFile), made when it is
    first read. The dev server defers them: papers.json of 10,000 papers is 18 MB, made
    anew on every edit of a paper, and seldom read before the next one."""

    __slots__ = ("_source", "_data")
    _making = threading.Lock()  # one at a time: two requests at once make it once

    def __init__(self, source: CitationFile) -> None:
        self._source = source  # only what the file is made of: not the whole model
        self._data: bytes | None = None

    @property
    def ready(self) -> bool:
        """Whether the bytes are made (reading them costs nothing)."""
        return self._data is not None

    def read(self) -> bytes:
        if self._data is None:
            with self._making:
                if self._data is None:
                    self._data = "".join(self._source()).encode("utf-8")
        return self._data


class Fragments:
    """The `{% fragment %}` bodies of each route's last render (see
    render.environment.FragmentExtension), by the identity of their keys: a key that is a list (a
    batch of papers) matches a list of the very same objects; strings and numbers match
    equal ones. Kept route by route, so a page that is not rendered again keeps its
    bodies for the next time it is."""

    _VALUES = (str, int, float, bool, type(None))

    def __init__(self) -> None:
        self._routes: dict[str, Reuse] = {}
        self.bodies = Reuse()  # those of the route being rendered

    def clear(self) -> None:
        """Forget every body: the site or a template changed, and each would be stale."""
        self._routes = {}
        self.bodies = Reuse()

    def route(self, path: str) -> None:
        """The route at `path` is rendered next."""
        self.bodies = self._routes.setdefault(path, Reuse())
        self.bodies.start()

    def retain(self, paths: Container[str]) -> None:
        """Forget the bodies of routes the site no longer has."""
        self._routes = {path: bodies for path, bodies in self._routes.items() if path in paths}

    def _ident(self, keys: tuple[Any, ...]) -> tuple[Any, ...]:
        values = self._VALUES
        return tuple([k if isinstance(k, values)
                      else tuple(map(id, k)) if isinstance(k, list) else id(k) for k in keys])

    def _same(self, old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
        for a, b in zip(old, new, strict=True):
            if a is b or (isinstance(a, self._VALUES) and a == b):
                continue
            if not (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
                    and all(map(operator.is_, a, b))):
                return False
        return True

    def stored(self, keys: tuple[Any, ...]) -> str | None:
        """The body the last render stored for these very keys (kept for the next)."""
        found = self.bodies.take(self._ident(keys), lambda entry: self._same(entry[0], keys))
        return None if found is None else found[1]

    def store(self, keys: tuple[Any, ...], html: str) -> None:
        self.bodies.keep(self._ident(keys), (keys, html))  # holds the keys: no id is reused


class _TemplateDigests:
    """A digest of each template together with every template it references."""

    def __init__(self, env: jinja2.Environment, references: dict[str, tuple[str | None, ...]]):
        self.env = env
        self._references = references  # parsing is the slow part: kept across rebuilds
        self._closure: dict[str, bytes] = {}
        self._all: bytes | None = None

    def of(self, name: str) -> bytes:
        if name not in self._closure:
            seen: dict[str, str] = {}
            dynamic = self._collect(name, seen)
            parts = [f"{n}\0{seen[n]}" for n in sorted(seen)]
            digest = hashlib.sha1("\0".join(parts).encode("utf-8")).digest()
            if dynamic:  # an include whose name is computed: depend on every template
                digest = hashlib.sha1(digest + self.everything()).digest()
            self._closure[name] = digest
        return self._closure[name]

    def _collect(self, name: str, seen: dict[str, str]) -> bool:
        if name in seen:
            return False
        try:
            source, _, _ = self.env.loader.get_source(self.env, name)
        except jinja2.TemplateNotFound:
            seen[name] = "\0missing"
            return False
        seen[name] = source
        dynamic = False
        references = self._references.get(source)
        if references is None:
            try:
                references = tuple(meta.find_referenced_templates(self.env.parse(source)))
            except jinja2.TemplateSyntaxError:
                return False  # rendering reports the error with its position
            self._references[source] = references
        for reference in references:
            if reference is None:
                dynamic = True
            else:
                dynamic |= self._collect(reference, seen)
        return dynamic

    def everything(self) -> bytes:
        """A digest of every template the loader can find."""
        if self._all is None:
            names = self.env.loader.list_templates()
            sources = []
            for name in names:
                try:
                    sources.append(f"{name}\0{self.env.loader.get_source(self.env, name)[0]}")
                except jinja2.TemplateNotFound:
                    continue
            self._all = hashlib.sha1("\0".join(sources).encode("utf-8")).digest()
        return self._all
