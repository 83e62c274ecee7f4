"""LaTeX math (a formula of a title or an abstract) as MathML, made at build time by
latex2mathml and passed through an allow-list of MathML presentation elements and
attributes, so that no script, link or style can come out of a formula; bounded in size and
nesting, so no formula can hang the build. A formula that cannot be shown so is shown as
its source, and `problem` says why (the readers' warnings name its file and line)."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .text import INVISIBLE

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

#: The longest formula converted, in characters, and how deep its braces may nest.
MAX_SOURCE, MAX_DEPTH = 1000, 20
#: The longest MathML kept, in characters (latex2mathml's output grows about linearly).
MAX_OUTPUT = 100_000
_NS = "{http://www.w3.org/1998/Math/MathML}"
#: MathML presentation elements a formula may hold.
ELEMENTS = frozenset({
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror",
    "mmultiscripts", "mprescripts", "none",
})
#: Attributes kept (others are dropped), each value letters, digits and `.%#+- ` only.
ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "fence", "separator", "accent", "accentunder",
    "lspace", "rspace", "linethickness", "width", "height", "depth", "columnalign",
    "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines", "frame",
    "displaystyle", "scriptlevel", "minsize", "maxsize", "movablelimits", "symmetric",
    "largeop", "form", "notation", "encoding", "voffset",
})
_VALUE = re.compile(r"[\w .%#+-]*")


class Refused(ValueError):
    """A formula that is not made into MathML; the message says why."""


def mathml(source: str) -> Markup | None:
    """The formula (LaTeX without its `$` delimiters) as an inline `<math>` element, or
    None when it cannot be shown so (see `problem`)."""
    made = _convert(source)
    return made if isinstance(made, Markup) else None


def problem(source: str) -> str | None:
    """Why the formula is shown as its source, or None when it is shown as MathML."""
    made = _convert(source)
    return made if isinstance(made, str) and not isinstance(made, Markup) else None


@functools.lru_cache(maxsize=4096)
def _convert(source: str) -> Markup | str:
    """The MathML (a Markup), or the reason it cannot be made (a plain str)."""
    try:
        _check(source)
        import xml.etree.ElementTree as ET

        from latex2mathml.converter import convert  # only for a site with math (~30 ms)

        try:
            made = convert(source, display="inline")
        except Exception as exc:  # the library's own failures, RecursionError included
            raise Refused(f"latex2mathml cannot read it ({type(exc).__name__})") from None
        if len(made) > MAX_OUTPUT:
            raise Refused(f"its MathML is longer than {MAX_OUTPUT:,} characters")
        try:
            root = ET.fromstring(made)
        except ET.ParseError:
            raise Refused("latex2mathml gave no well-formed MathML") from None
        try:
            return Markup(_element(root))
        except RecursionError:
            raise Refused("its MathML nests too deep") from None
    except Refused as exc:
        return str(exc)


def _check(source: str) -> None:
    if not source.strip():
        raise Refused("the formula is empty")
    if INVISIBLE.search(source):
        raise Refused("the formula holds an invisible character")
    if len(source) > MAX_SOURCE:
        raise Refused(f"the formula is longer than {MAX_SOURCE:,} characters")
    depth = 0
    for char in re.findall(r"\\.|[{}]", source):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth > MAX_DEPTH:
            raise Refused(f"the formula's braces nest more than {MAX_DEPTH} deep")


def _element(node: ET.Element) -> str:
    """The element written again from the allow-lists: its name, the attributes kept, its
    text escaped, its children; Refused on an element not in ELEMENTS."""
    name = node.tag.removeprefix(_NS)
    if name not in ELEMENTS:
        raise Refused(f"latex2mathml made a <{name}> element, which is not shown")
    attributes = "".join(
        f' {key}="{escape(value)}"' for key, value in sorted(node.attrib.items())
        if key in ATTRIBUTES and _VALUE.fullmatch(value))
    if name == "math":
        attributes = ' xmlns="http://www.w3.org/1998/Math/MathML"' + attributes
    inner = "".join(_element(child) + str(escape(child.tail or "")) for child in node)
    return f"<{name}{attributes}>{escape(node.text or '')}{inner}</{name}>"
