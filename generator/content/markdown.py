"""The owner's Markdown as HTML: pages, per-paper notes, news and the CV's fields. This
text is the owner's, so it may hold raw HTML; the profile's text never becomes markup
(see model/views.py). Converted text is kept in the user's cache folder between runs."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import re
import threading
from functools import lru_cache

from markupsafe import Markup

from .. import usercache

#: Python-Markdown's own extensions; codehilite writes Pygments' CSS classes (no CDN).
MARKDOWN_EXTENSIONS = ["tables", "footnotes", "fenced_code", "toc", "codehilite"]
_MARKDOWN_CONFIG = {"codehilite": {"guess_lang": False, "css_class": "codehilite"}}


def render_markdown(text: str) -> tuple[Markup, Markup]:
    """Markdown to HTML and its table of contents, kept between runs in the user's cache
    folder by the text's digest (see `_markdown_cache`)."""
    folder = _markdown_cache()
    if folder is None:
        return _convert(text)
    path = os.path.join(folder, hashlib.blake2b(text.encode("utf-8"), digest_size=16)
                        .hexdigest() + ".json")
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
        return Markup(found["html"]), Markup(found["toc"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not converted before, or an entry that cannot be read: convert it
    html, toc = _convert(text)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"html": str(html), "toc": str(toc)}, handle)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return html, toc


def inline_markdown(text: str) -> Markup:
    """One line of the owner's Markdown (`**bold**`, `*italic*`, `[a link](https://...)`)
    as HTML without the paragraph around it: a CV's fields, as RenderCV reads them."""
    if not _MARKDOWN_SIGNS.search(text):
        return Markup.escape(text)
    html = str(render_markdown(text)[0]).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


_MARKDOWN_SIGNS = re.compile(r"[*_\[\]`<&\\]")


def _convert(text: str) -> tuple[Markup, Markup]:
    """The HTML and table of contents of `text`; text nested deeper than Python-Markdown
    can recurse (emphasis thousands of levels deep) is kept as it is written, escaped."""
    md = _converter()
    with _CONVERTING:  # a converter holds the state of one conversion
        try:
            html = md.reset().convert(text)
        except RecursionError:
            md.reset()
            return Markup("<p>{}</p>").format(text.strip()), Markup("")
        toc = getattr(md, "toc", "")
    return Markup(html), Markup(toc)


@lru_cache(maxsize=1)
def _markdown_cache() -> str | None:
    """The user-cache folder of converted Markdown (usercache.py), as compiled templates
    are kept: importing markdown and Pygments and highlighting a first code block cost a
    small site's build ~0.1 s. One folder per version of this module (its extensions and
    settings), of markdown and of Pygments (read from their files, not imported)."""
    made_by = []
    try:
        made_by.append(usercache.file_bytes(__file__))
        for package, files in (("markdown", ("__init__.py", "__meta__.py")),
                               ("pygments", ("__init__.py",))):
            spec = importlib.util.find_spec(package)
            if spec is None or spec.origin is None:
                made_by.append(f"no {package}".encode())
                continue
            made_by += [usercache.file_bytes(os.path.join(os.path.dirname(spec.origin), name))
                        for name in files]
    except (OSError, ImportError, ValueError):
        return None
    return usercache.folder("markdown", made_by)


_CONVERTING = threading.Lock()


@lru_cache(maxsize=1)
def _converter():
    """One Markdown converter for every file (reset before each): making one loads its
    extensions, ~15 ms each time. Only a site with Markdown files imports markdown."""
    import markdown

    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS,
                             extension_configs=_MARKDOWN_CONFIG)
