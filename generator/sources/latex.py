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
#: How much of a field pylatexenc may be given (its text that is not plain): it reads
#: ~20 µs a character, and is super-linear in a piece it cannot cut (one group, formula,
#: or text with a `%` comment: a 320 kB formula took 7.5 s).
MAX_LATEX = 100_000
#: The longest field: a title or abstract is written into every page that lists its paper,
#: in time linear in its length (1 MB: 2 s; 10 MB: over 10 s), as the profile's MAX_LINE.
MAX_FIELD = 2_000_000
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
    converter = _converter(markup)
    walker = {"latex_context": _markup_contexts()[1]}  # (\\href's: see _markup_contexts)
    try:
        if len(latex) > MAX_FIELD:
            raise LatexRefused(f"a field of {len(latex):,} characters; expected at most "
                               f"{MAX_FIELD:,}")
        pieces = _pieces(latex)
        if (size := sum(len(p) for p in pieces if not _PLAIN.fullmatch(p))) > MAX_LATEX:
            raise LatexRefused(f"{size:,} characters of LaTeX to convert in one field; "
                               f"expected at most {MAX_LATEX:,} (plain text may be longer)")
        return " ".join(word for piece in pieces for word in (
            piece if _PLAIN.fullmatch(piece)
            else converter.latex_to_text(piece, **walker)).split())
    except LatexRefused:
        raise
    except Exception as exc:  # pylatexenc's own failures (an IndexError on `\\href[`)
        raise LatexRefused(f"LaTeX that cannot be turned into text ({type(exc).__name__});"
                           " expected plain text or simple LaTeX") from None


@functools.cache
def _converter(markup: bool) -> Any:
    """pylatexenc's converter, made once: each makes its table of macros anew (0.7 ms, so
    that 50,000 authors, each converted, took 35 s)."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim",
                           latex_context=_markup_contexts()[0] if markup else None)


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
        macrospec.MacroSpec("textsubscript", "{"), macrospec.MacroSpec("textsuperscript", "{"),
        # pylatexenc turns \\href into "text <url>" but parses it with no argument (an
        # IndexError, so that `\\href{https://...}{text}` in a title refused the build).
        macrospec.MacroSpec("href", "{{")])
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
