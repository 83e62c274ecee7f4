"""A title as the author wrote it: plain text with a small, well-defined markup, parsed
into runs (`parse`) that each output writes in its own way. Nothing in a title is trusted
markup; the markup is:

- CSL's rich text (what Zotero writes into CSL-JSON, and the BibTeX reader makes of
  `\\textit`, `\\emph`, `\\textbf`, `\\textsubscript`, `\\textsuperscript`): `<i>`, `<b>`,
  `<sub>`, `<sup>`, `<span class="nocase">`, and `<em>`, `<strong>` read as `<i>`, `<b>`.
  A tag is markup only when it is exactly one of these (no other attribute) and closed
  in order (`<i>a</i>`, `<i><b>a</b></i>`); anything else, `<i onclick=...>`, `<script>`,
  an unclosed `<i>`, is text, shown as written.
- LaTeX math: `$...$`, `$$...$$` and `\\(...\\)`. A `$` opens a formula only when a
  non-space character follows it, and closes one only when a non-space character comes
  before it and no digit after it (pandoc's rule), so "$5 and $10" is text; `\\$` is a
  dollar.

Each output: pages, the runs as HTML (`html`: escaped text and the allow-listed elements,
a formula as MathML); slugs, `<title>`, meta tags, JSON-LD, RIS, the search and the
citation key, the plain text (`plain`: tags dropped, a formula as written with its
delimiters, as arXiv's own `citation_title` does); CSL-JSON, CSL's rich text (`csl`);
BibTeX, LaTeX (`bibtex`: `\\textit{...}`, a formula as written)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from markupsafe import Markup, escape

from .mathml import mathml, problem

#: The styles, by tag as written.
_STYLE_OF = {"i": "i", "em": "i", "b": "b", "strong": "b", "sub": "sub", "sup": "sup",
             "span": "nocase"}
_TAG = re.compile(r"<(/?)(i|em|b|strong|sub|sup|span)"
                  r"""(\s+class\s*=\s*(?:"nocase"|'nocase'))?\s*>""", re.IGNORECASE)
#: How deep styles nest; a deeper tag is text.
MAX_NESTING = 8
#: How each output writes a style: (opening, closing).
_HTML = {"i": ("<i>", "</i>"), "b": ("<b>", "</b>"), "sub": ("<sub>", "</sub>"),
         "sup": ("<sup>", "</sup>"), "nocase": ("", "")}
_CSL = {**_HTML, "nocase": ('<span class="nocase">', "</span>")}
_BIBTEX = {"i": ("\\textit{", "}"), "b": ("\\textbf{", "}"),
           "sub": ("\\textsubscript{", "}"), "sup": ("\\textsuperscript{", "}"),
           "nocase": ("{", "}")}
_CLOSING = {"$": "$", "$$": "$$", "\\(": "\\)"}


class Run(NamedTuple):
    """A stretch of a title in one style: its text, or a formula's LaTeX (without its
    delimiters) when `math` names the opening delimiter (`$`, `$$`, `\\(`)."""

    text: str
    styles: tuple[str, ...] = ()  # outermost first: i, b, sub, sup, nocase
    math: str = ""

    @property
    def written(self) -> str:
        """The run's text as the title writes it: a formula with its delimiters."""
        return f"{self.math}{self.text}{_CLOSING[self.math]}" if self.math else self.text


def has_markup(text: str) -> bool:
    """Whether text may hold a tag or a formula (else every output writes it as text)."""
    return "<" in text or "$" in text or "\\(" in text


def math_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, opening delimiter) of each formula in text, by the module's rule;
    linear in the text's length."""
    spans: list[tuple[int, int, str]] = []
    at, size = 0, len(text)
    dollar = paren = -2  # the next of each at or after `at` (-1: none left), -2: not looked
    while at < size:
        if dollar != -1 and dollar < at:  # each looked for again only once passed, so that
            dollar = text.find("$", at)  # 80,000 formulas and no `\(` are not quadratic
        if paren != -1 and paren < at:
            paren = text.find("\\(", at)
        if dollar == -1 and paren == -1:
            break
        if paren != -1 and (dollar == -1 or paren < dollar):
            close = text.find("\\)", paren + 2)
            if close == -1:
                at = paren + 2
                continue
            if text[paren + 2:close].strip():
                spans.append((paren, close + 2, "\\("))
            at = close + 2
            continue
        if _escaped(text, dollar):
            at = dollar + 1
        elif text.startswith("$$", dollar):
            close = text.find("$$", dollar + 2)
            if close == -1:
                break
            if text[dollar + 2:close].strip():
                spans.append((dollar, close + 2, "$$"))
            at = close + 2
        elif dollar + 1 >= size or text[dollar + 1].isspace():
            at = dollar + 1
        else:
            close = dollar + 1
            while (close := text.find("$", close)) != -1 and _escaped(text, close):
                close += 1
            if close == -1:
                break
            if text[close - 1].isspace() or text[close + 1:close + 2].isdigit():
                at = close  # no formula: the closing `$` may open the next
            else:
                spans.append((dollar, close + 1, "$"))
                at = close + 1
    return spans


def formulas(text: str) -> list[tuple[int, int, str]]:
    """(start, end, LaTeX source without its delimiters) of each formula in text."""
    if "$" not in text and "\\(" not in text:
        return []
    return [(start, end, text[start + len(opening):end - len(_CLOSING[opening])])
            for start, end, opening in math_spans(text)]


def _escaped(text: str, at: int) -> bool:
    """Whether an odd number of backslashes comes right before `at`."""
    start = at
    while start and text[start - 1] == "\\":
        start -= 1
    return (at - start) % 2 == 1


@lru_cache(maxsize=8192)
def parse(title: str) -> tuple[Run, ...]:
    """The title as runs (see the module's description); adjacent text of one style is one
    run."""
    if not has_markup(title):
        return (Run(title),) if title else ()
    # (kind: text, open, close or a formula's opening delimiter; value; as written)
    tokens: list[tuple[str, str, str]] = []
    at = 0
    for start, end, opening in math_spans(title):
        _tags(title[at:start], tokens)
        tokens.append((opening, title[start + len(opening):end - len(_CLOSING[opening])], ""))
        at = end
    _tags(title[at:], tokens)
    # Which tags pair up: an opening with the closing of the same style next at its level.
    paired: set[int] = set()
    stack: list[int] = []
    for index, (kind, value, _) in enumerate(tokens):
        if kind == "open" and len(stack) < MAX_NESTING:
            stack.append(index)
        elif kind == "close" and stack and tokens[stack[-1]][1] == value:
            paired.update((stack.pop(), index))
        elif kind == "close":
            stack.clear()  # a closing out of order: no tag open before it pairs after it
    runs: list[Run] = []
    styles: tuple[str, ...] = ()
    for index, (kind, value, written) in enumerate(tokens):
        if index in paired:
            styles = (*styles, value) if kind == "open" else styles[:-1]
        elif kind in _CLOSING:
            runs.append(Run(value, styles, kind))
        elif runs and runs[-1].styles == styles and not runs[-1].math:
            runs[-1] = Run(runs[-1].text + written, styles)
        elif written:
            runs.append(Run(written, styles))
    return tuple(runs)


def _tags(text: str, tokens: list[tuple[str, str, str]]) -> None:
    """Text's tags (their style as value) and the text between them, added to tokens."""
    at = 0
    for match in _TAG.finditer(text):
        closing, name, nocase = match.groups()
        name = name.lower()
        if closing and nocase or not closing and (name == "span") != bool(nocase):
            continue  # `<span>` without nocase, `<i class="nocase">`: text
        if match.start() > at:
            tokens.append(("text", "", _dollars(text[at:match.start()])))
        tokens.append(("close" if closing else "open", _STYLE_OF[name], match.group()))
        at = match.end()
    if at < len(text):
        tokens.append(("text", "", _dollars(text[at:])))


def _dollars(text: str) -> str:
    """Text with each escaped dollar (`\\$`) a dollar."""
    return text.replace("\\$", "$") if "\\$" in text else text


def plain(title: str) -> str:
    """The title as plain text: tags dropped, a formula as written (`$O(n^2)$`)."""
    if not has_markup(title):
        return title
    return "".join(run.written for run in parse(title))


def html(title: str, math: Callable[[str], Markup | None] = mathml) -> Markup:
    """The title as HTML: its text escaped, its styles as `<i>`, `<b>`, `<sub>`, `<sup>`,
    each formula as MathML (or its source, escaped, when it cannot be made)."""
    if not has_markup(title):
        return escape(title)

    def text(run: Run) -> str:
        if run.math:
            made = math(run.text)
            if made is not None:
                return made
        return escape(run.written)

    return Markup(_write(parse(title), _HTML, text))


def csl(title: str) -> str:
    """The title in CSL's rich text: `<i>`, `<b>`, `<sub>`, `<sup>`, `<span
    class="nocase">`; text and formulas as written."""
    if not has_markup(title):
        return title
    return _write(parse(title), _CSL, lambda run: run.written)


def bibtex(title: str, escape_text: Callable[[str], str]) -> str:
    """The title in LaTeX: text by `escape_text` (each run's inner whitespace made one
    space, the space at its ends kept), styles as `\\textit{...}`..., formulas as written."""

    def text(run: Run) -> str:
        if run.math:
            return run.written
        words = " ".join(run.text.split())
        lead = " " if run.text[:1].isspace() and words else ""
        trail = " " if run.text[-1:].isspace() and words else ""
        return lead + escape_text(words) + trail if words else (" " if run.text else "")

    if not has_markup(title):
        return escape_text(title)
    return _write(parse(title), _BIBTEX, text).strip()


def _write(runs: tuple[Run, ...], styles: dict[str, tuple[str, str]],
           text: Callable[[Run], str]) -> str:
    """The runs with their styles opened and closed as `styles` writes them: between two
    runs only the styles that change are closed and opened."""
    out: list[str] = []
    open_: tuple[str, ...] = ()
    for run in runs:
        keep = 0
        while keep < min(len(open_), len(run.styles)) and open_[keep] == run.styles[keep]:
            keep += 1
        out += [styles[style][1] for style in reversed(open_[keep:])]
        out += [styles[style][0] for style in run.styles[keep:]]
        out.append(text(run))
        open_ = run.styles
    out += [styles[style][1] for style in reversed(open_)]
    return "".join(out)


def problems(text: str) -> list[str]:
    """Why each formula of text that cannot be shown as MathML is shown as its source:
    "'$...$': why", for the readers' warnings."""
    found = []
    for start, end, source in formulas(text):
        why = problem(source)
        if why:
            source = text[start:end]
            shown = source if len(source) <= 60 else source[:57] + "..."
            found.append(f"the formula '{shown}' is shown as its source: {why}")
    return found
