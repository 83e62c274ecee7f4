"""scholarfolio: turn a researcher's profile into a static portfolio website."""

__version__ = "0.1.0"
