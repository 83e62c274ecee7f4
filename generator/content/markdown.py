"""The owner's Markdown as HTML: pages, per-paper notes, news and the CV's fields.

Pages and news are the owner's own documents: their raw HTML is kept (researchers embed
videos) unless site.yaml's `raw_html: false` says otherwise. Per-paper notes and the CV's
fields are text: their raw HTML (`<script>`, `<img onerror=...>`) is shown as text. In
every kind, a link or image that Markdown makes (`[x](...)`, `![x](...)`, `<https://...>`,
a reference) keeps its target only when the one link rule (`links.is_href`) allows it;
else it is shown as its text. A path from the site's root (`/about/`) is put under the
site's base path (`links.under_base`), as front matter's links are. The profile's
text never becomes markup (model/views.py). Converted text is kept in the user's cache
folder between runs."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import re
import threading
from functools import lru_cache
from typing import NamedTuple

from markupsafe import Markup

from .. import usercache
from ..links import is_href, under_base

#: Python-Markdown's own extensions; codehilite writes Pygments' CSS classes (no CDN).
MARKDOWN_EXTENSIONS = ["tables", "footnotes", "fenced_code", "toc", "codehilite"]
_MARKDOWN_CONFIG = {"codehilite": {"guess_lang": False, "css_class": "codehilite"}}


class SiteMarkdown(NamedTuple):
    """How a site's Markdown files become HTML, given once to every reader: whether pages,
    news and items keep raw HTML (site.yaml's `raw_html`), and the base path under which
    links from the site's root go (`links.under_base`)."""

    raw_html: bool = True
    base_path: str = "/"

    def page(self, text: str) -> tuple[Markup, Markup]:
        """A page's, news item's or item's Markdown as HTML, and its table of contents."""
        return render_markdown(text, self.raw_html, self.base_path)

    def text(self, text: str) -> Markup:
        """A per-paper note's Markdown as HTML: HTML written in it is shown as text."""
        return render_markdown(text, False, self.base_path)[0]


#: A site at its domain's root that keeps raw HTML (site.yaml's defaults).
AT_ROOT = SiteMarkdown()


def render_markdown(text: str, raw_html: bool = True, base_path: str = "/"
                    ) -> tuple[Markup, Markup]:
    """Markdown to HTML and its table of contents, kept between runs in the user's cache
    folder by the digest of the text, the mode and `base_path` (see `_markdown_cache`).
    With `raw_html` False, HTML in the text is shown as text (a CV's fields, per-paper
    notes, `raw_html: false`); links from the site's root go under `base_path`."""
    folder = _markdown_cache()
    if folder is None:
        return _convert(text, raw_html, base_path)
    mode = (b"raw\n" if raw_html else b"text\n") + base_path.encode("utf-8") + b"\n"
    path = os.path.join(folder, hashlib.blake2b(mode + text.encode("utf-8"), digest_size=16)
                        .hexdigest() + ".json")
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
        return Markup(found["html"]), Markup(found["toc"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not converted before, or an entry that cannot be read: convert it
    html, toc = _convert(text, raw_html, base_path)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"html": str(html), "toc": str(toc)}, handle)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return html, toc


def inline_markdown(text: str, base_path: str = "/") -> Markup:
    """One line of the owner's Markdown (`**bold**`, `*italic*`, `[a link](https://...)`)
    as HTML without the paragraph around it: a CV's fields, as RenderCV reads them. Raw
    HTML is shown as text, and links follow the one link rule (`links.is_href`), those
    from the site's root under `base_path`."""
    if not _MARKDOWN_SIGNS.search(text):
        return Markup.escape(text)
    html = str(render_markdown(text, raw_html=False, base_path=base_path)[0]).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


_MARKDOWN_SIGNS = re.compile(r"[*_\[\]`<&\\]")


#: The longest Markdown text converted: Python-Markdown converts ~100 kB a second (a
#: 1 MB list took 14 s), and a researcher's longest page is some 50 kB.
MAX_TEXT = 256 * 1024
#: How deep Markdown's lists and quotes may nest: Python-Markdown parses each level's
#: lines again, so that a list 1,600 levels deep (2.5 MB) took 29 s and 1 GB.
_DEEPEST = 32
_NESTED = re.compile(rf"^(?:[ ]{{{4 * _DEEPEST}}}|(?:[ \t]*>){{{_DEEPEST}}})", re.M)


def _too_deep(text: str) -> bool:
    """Whether a line of `text` is indented by more than `_DEEPEST` levels (4 columns
    each) or quoted by more than `_DEEPEST` `>`s."""
    return bool(_NESTED.search(text.expandtabs(4)))


def _convert(text: str, raw_html: bool = True, base_path: str = "/"
             ) -> tuple[Markup, Markup]:
    """The HTML and table of contents of `text`; text nested deeper than Python-Markdown
    can recurse (emphasis thousands of levels deep) or parse in linear time (lists or
    quotes more than `_DEEPEST` levels deep), or longer than `MAX_TEXT` (a CV's field: a
    page's is an error first, frontmatter.py), is kept as it is written, escaped."""
    if len(text) > MAX_TEXT or _too_deep(text):
        return Markup("<p>{}</p>").format(text.strip()), Markup("")
    md = _converter(raw_html)
    with _CONVERTING:  # a converter holds the state of one conversion
        md.base_path = base_path  # read by the links processor
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
    settings), of links.py (the link rule), of markdown and of Pygments (read from their
    files, not imported)."""
    made_by = []
    try:
        made_by.append(usercache.file_bytes(__file__))
        # The link rule decides what converted text links to: a new rule, new HTML.
        made_by.append(usercache.file_bytes(os.path.join(os.path.dirname(
            os.path.dirname(__file__)), "links.py")))
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


@lru_cache(maxsize=2)
def _converter(raw_html: bool):
    """One Markdown converter for every file (reset before each) of each kind, with raw
    HTML or without: making one loads its extensions, ~15 ms each time. Only a site with
    Markdown files imports markdown."""
    import markdown

    md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS,
                           extension_configs=_MARKDOWN_CONFIG)
    md.base_path = "/"  # each conversion's (_convert)
    if not raw_html:  # no HTML blocks, no inline tags: `<` is text, escaped
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    # After "unescape" (priority 0), so targets are read as the page will have them.
    md.treeprocessors.register(_links_processor(md), "links", -10)
    return md


def _links_processor(md):
    """A Treeprocessor that keeps a link's `href` or an image's `src` only when the one
    link rule allows it (`links.is_href`), one from the site's root put under the base
    path (`links.under_base`): a refused link becomes its text, a refused image its alt
    text. Raw HTML is no element of the tree, so it is not touched here."""
    from markdown.treeprocessors import Treeprocessor
    from markdown.util import AMP_SUBSTITUTE

    class Links(Treeprocessor):
        def run(self, root):
            for parent in reversed(list(root.iter())):  # inner elements first
                for index, child in reversed(list(enumerate(parent))):
                    attribute = {"a": "href", "img": "src"}.get(child.tag)
                    if attribute is None:
                        continue
                    target = (child.get(attribute) or "").replace(AMP_SUBSTITUTE, "&")
                    if not is_href(target):
                        _unwrap(parent, index, child)
                    else:
                        child.set(attribute, under_base(child.get(attribute) or "",
                                                        self.md.base_path))

    return Links(md)


def _unwrap(parent, index: int, child) -> None:
    """Put `child`'s text (an image's: its alt text) and children in its place."""
    if child.tag == "img":
        text, inner = child.get("alt") or "", []
    else:
        text, inner = child.text or "", list(child)
    tail = child.tail or ""
    parent.remove(child)
    for offset, element in enumerate(inner):
        parent.insert(index + offset, element)
    if inner:
        inner[-1].tail = (inner[-1].tail or "") + tail
    else:
        text += tail
    if index:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
