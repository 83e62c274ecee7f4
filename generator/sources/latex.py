"""LaTeX in a .bib field as plain text (pylatexenc), bounded: nesting and optional
arguments are counted before converting, and long text is converted in pieces (pylatexenc
is quadratic in a run of plain text)."""

from __future__ import annotations

import functools
import re
from typing import Any

#: How deep LaTeX may nest braces and environments, and macros' optional arguments
#: (pylatexenc recurses into each, and tries an optional argument both ways: time doubles
#: with each level of `\\cite[` left open).
MAX_DEPTH, MAX_OPTIONAL_DEPTH = 32, 6
#: pylatexenc gathers plain text by adding to a string, which takes time as the square of
#: its length: longer text is converted in pieces of about this many characters.
CHUNK = 2000
#: LaTeX's pieces as nesting sees them: a macro (and the '[' of its optional argument),
#: a brace or bracket, a dollar, a run of spaces.
#: A piece of none of the characters pylatexenc turns into others (specials, dashes,
#: quotes, comments, math) is its own text: taken as it is, since pylatexenc reads plain
#: text at ~20 µs a character (a 1 MB title took 17 s).
_PLAIN = re.compile(r"[^\\{}$%&#~^_`'\"!?\-]*")
_TOKEN = re.compile(r"(\\(?:[A-Za-z@]+|.))(\s*\[)?|[{}\]$]|\s+", re.DOTALL)


class LatexRefused(ValueError):
    """LaTeX that is not turned into text: nested too deep, or what pylatexenc fails on."""


@functools.lru_cache(maxsize=8192)
def _text(latex: str, markup: bool = False) -> str:
    """LaTeX as plain text: `{\\"U}ber` is Über, braces and commands gone, spaces one;
    formulas (`$O(n^2)$`) kept as written. With `markup` (a title), `\\textit`, `\\emph`,
    `\\textbf`, `\\textsubscript`, `\\textsuperscript` become a title's markup (`<i>`,
    `<b>`, `<sub>`, `<sup>`: generator/richtext.py). Raises LatexRefused when it nests
    deeper than `MAX_DEPTH` (or `MAX_OPTIONAL_DEPTH`) or pylatexenc cannot read it."""
    if not latex:
        return ""
    from pylatexenc.latex2text import LatexNodes2Text

    contexts = _markup_contexts() if markup else (None, None)
    converter = LatexNodes2Text(math_mode="verbatim", latex_context=contexts[0])
    walker = {"latex_context": contexts[1]} if markup else {}
    try:
        return " ".join(word for piece in _pieces(latex) for word in (
            piece if _PLAIN.fullmatch(piece)
            else converter.latex_to_text(piece, **walker)).split())
    except LatexRefused:
        raise
    except Exception as exc:  # pylatexenc's own failures (an IndexError on `\\href[`)
        raise LatexRefused(f"LaTeX that cannot be turned into text ({type(exc).__name__});"
                           " expected plain text or simple LaTeX") from None


@functools.cache
def _markup_contexts() -> tuple[Any, Any]:
    """pylatexenc's text and parsing contexts with the macros a title's markup comes from."""
    from pylatexenc import latexwalker, macrospec
    from pylatexenc.latex2text import MacroTextSpec, get_default_latex_context_db

    text = get_default_latex_context_db()
    text.add_context_category("title-markup", prepend=True, macros=[
        MacroTextSpec(name, simplify_repl=f"<{tag}>%s</{tag}>") for name, tag in (
            ("textit", "i"), ("emph", "i"), ("textbf", "b"), ("textsubscript", "sub"),
            ("textsuperscript", "sup"))] + [
        # What model/citations.py writes for them (pylatexenc drops these commands), and
        # a dollar kept escaped, so that it opens no formula (richtext.py).
        MacroTextSpec(name, simplify_repl=char) for name, char in (
            ("textless", "<"), ("textgreater", ">"), ("textbraceleft", "{"),
            ("textbraceright", "}"), ("$", "\\$"))])
    parsing = latexwalker.get_default_latex_context_db()
    parsing.add_context_category("title-markup", prepend=True, macros=[
        macrospec.MacroSpec("textsubscript", "{"), macrospec.MacroSpec("textsuperscript", "{")])
    return text, parsing


def _pieces(latex: str) -> list[str]:
    """`latex` cut at spaces outside any group or formula into pieces of about `CHUNK`
    characters, each converted alone as the whole would be (not after a macro, whose
    argument may follow a space; not in text with a comment, which runs to its line's
    end); LatexRefused when it nests too deep."""
    can_cut = len(latex) > CHUNK and not re.search(r"(?<!\\)%", latex)
    pieces, start, depth, optional, math, after_macro = [], 0, 0, 0, False, False
    for match in _TOKEN.finditer(latex):
        token, macro, bracket = match.group(), match.group(1), match.group(2)
        if macro is not None:
            depth += {"\\begin": 1, "\\end": -1}.get(macro, 0)
            optional += 1 if bracket else 0
        elif token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif token == "]":
            optional = max(optional - 1, 0)
        elif token == "$":
            math = not math
        elif (can_cut and not after_macro and depth <= 0 and not optional and not math
              and match.start() - start >= CHUNK):
            pieces.append(latex[start:match.start()])
            start = match.end()
        if depth > MAX_DEPTH or optional > MAX_OPTIONAL_DEPTH:
            raise LatexRefused(f"LaTeX nested more than {MAX_DEPTH} levels deep (braces, "
                               f"environments) or {MAX_OPTIONAL_DEPTH} optional arguments "
                               "'[...]' deep; expected plain text or simple LaTeX")
        after_macro = macro is not None and not bracket
    return [*pieces, latex[start:]]
