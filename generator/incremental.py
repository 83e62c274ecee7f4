"""Render only what changed: each route gets a key from its template files and its
context, and a route whose key is unchanged keeps its previous HTML.

A change to one paper changes the context of its own page, its neighbours' pages
(they show its title), its category page and the home page, and nothing else; a
template change changes the key of exactly the routes whose template includes,
extends or imports it. The result is the same bytes a full render would give.
"""

from __future__ import annotations

import hashlib
from typing import Any

import jinja2
from jinja2 import meta

from .render import render_route
from .site import SiteModel


class IncrementalRenderer:
    """Renders a site model, reusing the HTML of routes whose inputs did not change.

    A route's inputs are its template files and its context; contexts are frozen
    dataclasses compared by value, which is exact (no hash collisions) and cheap,
    since equal strings compare in C.
    """

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self._cache: dict[str, tuple[tuple[Any, ...], bytes]] = {}  # path -> (inputs, html)
        self._references: dict[str, tuple[str | None, ...]] = {}  # source -> referenced names

    def render(self, model: SiteModel) -> tuple[dict[str, bytes], list[str]]:
        """Every route's HTML, and the paths that were rendered anew."""
        templates = _TemplateDigests(self.env, self._references)
        pages: dict[str, bytes] = {}
        cache: dict[str, tuple[tuple[Any, ...], bytes]] = {}
        rendered: list[str] = []
        for route in model.routes:
            digest = templates.of(route.template) if route.template else b""
            inputs = (digest, model.site, route.nav_key, route.context)
            previous = self._cache.get(route.path)
            if previous is not None and previous[0] == inputs:
                html = previous[1]
            else:
                html = render_route(self.env, model, route)
                rendered.append(route.path)
            pages[route.path] = html
            cache[route.path] = (inputs, html)
        self._cache = cache
        return pages, rendered


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
                digest = hashlib.sha1(digest + self._everything()).digest()
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

    def _everything(self) -> bytes:
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
