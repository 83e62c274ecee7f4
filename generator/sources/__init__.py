"""Readers of a researcher's own bibliographies, besides the profile: each takes a path and
gives entries (the fields of a paper, its extras, the fields kept as they were) and the
problems found, each at its line. Not yet part of a build: see bibtex.py."""
