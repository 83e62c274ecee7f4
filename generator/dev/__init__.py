"""The dev server: HTTP from memory (server.py), watching (watch.py), rebuilds that keep
what the last one made (preview.py, incremental.py)."""
