"""Shared by the tests of what machines read (metadata, feeds, citations): a profile whose
titles and names hold quotes, ampersands, `</script>`, TeX's special characters,
non-ASCII letters and a bidi control, and a parser of a page's head."""

from __future__ import annotations

import codecs
import json
import re
from html.parser import HTMLParser

import latexcodec  # noqa: F401 - registers the "ulatex" codec

from generator.text import INVISIBLE

BASE_URL = "https://example.github.io/tricky/"

NAME = "Zoë O'Brien-Łukasiewicz"
TITLE_QUOTES = ('"Quoted" & <b onclick=alert(1)>bold</b>: </script><script>window.__x=1</script> '
                "in 50% of_cases with {braces} and 'single' quotes")
TITLE_TEX = "Ørsted's 3D U-Net & the GQN: a \\backslash ~tilde ^caret $dollar #hash } {"
TITLE_BIDI = "Invoice \u202eexe.txt\u202c for Kočiský"
AUTHORS_1 = "Zoë O'Brien-Łukasiewicz, Tomáš Kočiský, Ada & Lovelace et al."
AUTHORS_2 = "Jürgen Schmidhuber, Zoë O'Brien-Łukasiewicz, Tom and Jerry"
ABSTRACT = ('An abstract with <b>tags</b> & ampersands, "quotes", </script> and a link '
            "https://example.org/a?b=1&c=2. Code: https://github.com/example/x")

PROFILE = f"""{NAME}

CV
h-index7

4 Papers

CVOct 12, 2022Code
{TITLE_QUOTES}

{AUTHORS_1} · lab & co

{ABSTRACT}

LGJan 3, 2021
{TITLE_TEX}

{AUTHORS_2}

Another abstract.

AIMar 5, 2021
{TITLE_BIDI}

{AUTHORS_2}

A third.

CVFeb 1, 2020
Plain title

{NAME}

Plain.
"""


def shown(text: str) -> str:
    """Profile text as pages (and citations, feeds, metadata) carry it."""
    return INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


class Head(HTMLParser):
    """A page's head: meta tags, links and JSON-LD blocks, and whether each was inside
    <head>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.meta: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.json_ld: list[object] = []
        self.outside_head: list[str] = []
        self._in_head = False
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "head":
            self._in_head = True
        if tag in ("meta", "link") and not self._in_head:
            self.outside_head.append(f"<{tag} {attributes}>")
        if tag == "meta":
            self.meta.append(attributes)
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "script":
            self._script = attributes
            self._script_text = []

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        if tag == "script" and self._script is not None:
            if self._script.get("type") == "application/ld+json":
                if not self._in_head:
                    self.outside_head.append("JSON-LD")
                self.json_ld.append(json.loads("".join(self._script_text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)

    def named(self, name: str) -> list[str]:
        """The contents of every `<meta name=...>` (or `property=`) tag called `name`."""
        return [m.get("content", "") for m in self.meta
                if m.get("name") == name or m.get("property") == name]

    def one(self, name: str) -> str:
        values = self.named(name)
        assert len(values) == 1, (name, values)
        return values[0]

    def link(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.links if rel in link.get("rel", "").split()]


# LaTeX back to text, for comparing parsed BibTeX with the records.
_TEXT_COMMANDS = {
    r"\textbraceleft{}": "{", r"\textbraceright{}": "}", r"\textbackslash{}": "\\",
    r"\textasciitilde{}": "~", r"\textasciicircum{}": "^", r"\textless{}": "<",
    r"\textgreater{}": ">", r"\&": "&", r"\%": "%", r"\$": "$", r"\#": "#", r"\_": "_",
}


def latex_to_text(value: str) -> str:
    """A BibTeX field's LaTeX as plain text: text commands and accents decoded, braces
    that only group dropped."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(_TEXT_COMMANDS[match.group()])
        return f"\ue000{len(kept) - 1}\ue001"

    pattern = "|".join(re.escape(c) for c in sorted(_TEXT_COMMANDS, key=len, reverse=True))
    text = re.sub(pattern, keep, value)
    text = codecs.decode(text, "ulatex")
    text = text.replace("{", "").replace("}", "")
    return re.sub("\ue000(\\d+)\ue001", lambda m: kept[int(m.group(1))], text)
