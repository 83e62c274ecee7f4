"""Rendering: the Jinja environment (environment.py), one route to bytes (pages.py), and
every route of a build over one or more processes (parallel.py)."""
