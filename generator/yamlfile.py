"""The one YAML reader that keeps positions: `site.yaml` (config/loading.py), `theme.yaml`
(themes.py) and the front matter of Markdown files (content/frontmatter.py) are read here,
so all report `file:line:col` the same way.

`read_mapping` returns a file's 'key: value' lines as values and the positions of each key
and value; every problem (not UTF-8, not valid YAML, not a mapping, a key given twice) is
appended to `problems` as a `Problem`, never raised, so a caller reports them all at once.

The reader is bounded, so that no file can exhaust the build: values nest at most
`MAX_DEPTH` levels (PyYAML composes nodes recursively: a deeper file would end in a
RecursionError), and aliases may repeat at most `MAX_REPEATED` characters in all, each
value counting one more (an alias bomb, "billion laughs", or one long text repeated,
would otherwise grow to gigabytes in whatever walks the values or shows them);
an alias inside the very node it names (a cycle) is refused too. Each is a problem at the
place it is found.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, cannot_read

#: (line, column, the text of that line): 1-based, as `Problem` shows them.
Position = tuple[int, int, str]
#: Where things are: `key` is a key's position and `key=` its value's; when the value is
#: itself a mapping, `key.sub` and `key.sub=` are the positions of its keys and values, and
#: so on at any depth, an item of a list named by its index (`sections.talks.0.date=`).
Positions = dict[str, Position]

#: What YAML counts as a line break (PyYAML's reader), so lines match its marks.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_MERGE = "tag:yaml.org,2002:merge"  # the key '<<', which merges another mapping in
#: How deep values may nest (RenderCV's cv.yaml needs 6 levels).
MAX_DEPTH = 50
#: How much aliases may repeat in one file, all aliases together: the characters of the
#: values they repeat, each value (a text, a list, a mapping) counting one more.
MAX_REPEATED = 100_000
#: The longest YAML text read (a site.yaml, cv.yaml or front matter has some kilobytes):
#: PyYAML reads ~1 MB a second, and a 10 MB news title took over 20 s to build.
MAX_TEXT = 1_000_000


def read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    """The file's text without a byte-order mark; None (and a problem) when it cannot be
    read or is not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        problems.append(cannot_read(shown, exc))
        return None
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, 1, 1, f"not UTF-8 text (byte {exc.start}); "
                                "expected the file saved as UTF-8"))
        return None


def read_mapping(text: str, shown: str, problems: list[Problem], *, first_line: int = 1,
                 invalid: str = "not valid YAML",
                 expected: str = "expected 'key: value' lines",
                 ) -> tuple[dict[str, Any], Positions] | None:
    """`text` (which starts at line `first_line` of the file `shown`) as a mapping and the
    positions of its keys and values. Nothing in `text` is `({}, {})`. None when it cannot be
    read: not YAML (`path:line:col: {invalid}: ...`) or not a mapping (`... {expected}`).
    A key given twice is a problem too (`duplicate key 'x' (first at line N)`); the values
    are still returned, the later one of such a key kept, as YAML does."""
    if len(text) > MAX_TEXT:
        problems.append(Problem(shown, first_line, 1, f"{len(text):,} characters of YAML; "
                                f"expected at most {MAX_TEXT:,}"))
        return None
    lines = _BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the break that ends the last line starts no line

    def position(line: int, col: int) -> Position:
        """A 0-based place in `text` as the file's; past the end is after the last line."""
        if line >= len(lines):
            line, col = len(lines) - 1, len(lines[-1])
        return first_line + line, col + 1, lines[line]

    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            duplicates = _duplicates(node) if node is not None else []
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as exc:
        line, col, source = position(exc.problem_mark.line, exc.problem_mark.column)
        problems.append(Problem(shown, line, col, exc.problem, source))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col, source = position(mark.line, mark.column) if mark else position(0, 0)
        message = exc.problem or exc.context or str(exc)
        problems.append(Problem(shown, line, col, f"{invalid}: {message}", source))
        return None
    except yaml.YAMLError as exc:  # a character YAML does not allow, at a place in the text
        at = getattr(exc, "position", 0)
        before = _BREAK.split(text[:at])
        line, col, source = position(len(before) - 1, len(before[-1]))
        character, reason = getattr(exc, "character", None), getattr(exc, "reason", None)
        message = (f"unacceptable character #x{character:04x}: {reason}"
                   if isinstance(character, int) and reason else str(exc))
        problems.append(Problem(shown, line, col, f"{invalid}: {message}", source))
        return None
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        line, col, source = position(node.start_mark.line, node.start_mark.column)
        problems.append(Problem(shown, line, col, expected, source))
        return None
    for key_node, first in duplicates:
        line, col, source = position(key_node.start_mark.line, key_node.start_mark.column)
        problems.append(Problem(shown, line, col, f"duplicate key '{key_node.value}' "
                                f"(first at line {first_line + first.start_mark.line})", source))
    positions: Positions = {}
    seen: set[int] = set()
    todo: list[tuple[str, yaml.Node]] = [("", node)]
    while todo:  # every depth: `key.sub`, and an item of a list by its index (`key.0.sub`)
        prefix, current = todo.pop()
        if isinstance(current, yaml.MappingNode):
            pairs = [(str(k.value), k, v) for k, v in current.value]
        elif isinstance(current, yaml.SequenceNode):
            pairs = [(str(i), v, v) for i, v in enumerate(current.value)]
        else:
            continue
        for key, key_node, value_node in pairs:
            name = prefix + key
            positions[name] = position(key_node.start_mark.line, key_node.start_mark.column)
            positions[f"{name}="] = position(value_node.start_mark.line,
                                             value_node.start_mark.column)
            if id(value_node) not in seen:
                seen.add(id(value_node))  # an alias repeats a node: walk it once
                todo.append((name + ".", value_node))
    return {str(k): v for k, v in data.items()}, positions


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that is refused at its place: a value shaped like a date that is none
    (2026-13-01, 2025-02-29), values nested too deep, aliases repeating too much."""


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, with an impossible date reported at its place rather than
    raised as a bare ValueError (a traceback), and the nesting and the aliases of a file
    bounded while its nodes are composed (`MAX_DEPTH`, `MAX_REPEATED`)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._composed = 0  # the size so far, each alias counting what it repeats
        self._repeated = 0  # of that, what aliases repeated
        self._sizes: dict[int, int] = {}  # id of each finished node: its size

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        """A node, as PyYAML composes it, counted (its size: 1, plus a text's length, plus
        its values' sizes): an alias adds the size of the node it names, and a node
        deeper than `MAX_DEPTH` or an alias past `MAX_REPEATED` (or inside the node it
        names) is refused at its place."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            named = self.anchors.get(event.anchor)
            if named is not None:  # an undefined alias is PyYAML's own error
                size = self._sizes.get(id(named))
                if size is None:
                    raise _Refused(problem=f"the alias *{event.anchor} is inside the node "
                                   "it names; expected no alias within its anchor",
                                   problem_mark=event.start_mark)
                self._repeated += size
                self._composed += size
                if self._repeated > MAX_REPEATED:
                    raise _Refused(problem=f"aliases repeat more than {MAX_REPEATED:,} "
                                   "characters of values; expected each value written "
                                   "out, or fewer aliases", problem_mark=event.start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(problem=f"values nested more than {MAX_DEPTH} levels deep; "
                           "expected a flatter layout", problem_mark=event.start_mark)
        before = self._composed
        self._composed += 1
        node = super().compose_node(parent, index)
        if isinstance(node, yaml.ScalarNode):
            self._composed += len(node.value)
        self._depth -= 1
        self._sizes[id(node)] = self._composed - before
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A node's value; a value its tag cannot read (`!!int x`, an integer of more than
        4,300 digits) is refused at its place rather than raised as a bare ValueError."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:
            tag = node.tag.rsplit(":", 1)[-1]
            raise _Refused(problem=f"a value that is no {tag} ({exc}); expected a value "
                           "of that type, or no tag", problem_mark=node.start_mark) from None

    def construct_yaml_timestamp(self, node: yaml.ScalarNode):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _Refused(problem=f"impossible date '{node.value}' ({exc}); "
                           "expected a date YYYY-MM-DD", problem_mark=node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _duplicates(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    """Each key given again in a mapping of `node`, at any depth, with its first occurrence.
    Read before the document is built: building it folds `<<` merges into the mapping."""
    found: list[tuple[yaml.Node, yaml.Node]] = []
    seen_nodes: set[int] = set()  # an alias repeats a node: look at it once
    todo = [node]
    while todo:
        current = todo.pop()
        if id(current) in seen_nodes:
            continue
        seen_nodes.add(id(current))
        if isinstance(current, yaml.MappingNode):
            first: dict[tuple[str, str], yaml.Node] = {}
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE:
                    seen = first.setdefault((key_node.tag, key_node.value), key_node)
                    if seen is not key_node:
                        found.append((key_node, seen))
                todo.extend((key_node, value_node))
        elif isinstance(current, yaml.SequenceNode):
            todo.extend(current.value)
    found.sort(key=lambda pair: (pair[0].start_mark.line, pair[0].start_mark.column))
    return found
