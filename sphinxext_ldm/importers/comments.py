"""The comments of a milestone data file, so that rewriting it keeps them.

PyYAML drops comments, so they are found by line: the YAML is composed to learn where
each milestone and each of its fields starts and ends, and the comment lines in the gaps
are attached to what follows them. Kept: the header above ``milestones:``, comments
above a milestone, comments above one of its fields, a comment at the end of a field's
line, and comments after the last milestone. Comments inside a value (between the items
of a list written over several lines) are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from sphinxext_ldm import yaml_items


@dataclass
class Comments:
    """Comment lines (stripped, starting with ``#``) and where they belong."""

    #: Comment and blank lines above ``milestones:``, as written.
    header: list[str] = field(default_factory=list)
    #: code -> comment lines above that milestone.
    before: dict[str, list[str]] = field(default_factory=dict)
    #: (code, field) -> comment lines above that field.
    fields: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: (code, field) -> the comment at the end of that field's line.
    inline: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Comment lines after the last milestone.
    trailing: list[str] = field(default_factory=list)


def read_comments(text: str) -> Comments:
    """The comments of a data file's text; none if it is not a well-formed data file."""
    lines = text.splitlines()
    reading = _Reading(lines)
    try:
        # Item by item where libyaml is there, as the loader reads the file.
        if yaml_items.usable():
            root, streamed = yaml_items.compose_items(
                text, "milestones", reading.item, on_key=reading.start
            )
        else:
            root, streamed = yaml.compose(text, Loader=yaml.SafeLoader), None
    except yaml.YAMLError:
        return Comments()
    if not isinstance(root, yaml.MappingNode):
        return Comments()
    for key_node, value_node in root.value:
        if getattr(key_node, "value", None) != "milestones":
            continue
        if value_node is not streamed:  # composed whole: read its items now
            reading = _Reading(lines)
            reading.start(key_node)
            for item in value_node.value if isinstance(value_node, yaml.SequenceNode) else []:
                reading.item(item)
        found = reading.found
        found.header = _header(lines[: key_node.start_mark.line])
        found.trailing = reading.pending + _comments(lines, reading.cursor, len(lines))
        return found
    return Comments()


class _Reading:
    """The comments of the items of the ``milestones`` list, one item at a time."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.found = Comments()
        self.cursor = 0
        self.pending: list[str] = []  # comments above a milestone that has no code

    def start(self, key_node: yaml.Node) -> None:
        self.cursor = key_node.start_mark.line + 1

    def item(self, item: yaml.Node) -> None:
        self.pending += _comments(self.lines, self.cursor, item.start_mark.line)
        if not isinstance(item, yaml.MappingNode):
            self.cursor = _last_line(item) + 1
            return
        code = _code(item)
        if code is None:  # left out by the loader; its comments go to the next one
            self.cursor = _read_fields(self.lines, item, "", Comments())
            return
        self.found.before[code], self.pending = self.pending, []
        self.cursor = _read_fields(self.lines, item, code, self.found)


def _read_fields(lines: list[str], item: yaml.MappingNode, code: str, found: Comments) -> int:
    """Record the comments of one milestone's fields; the line after the milestone."""
    cursor = item.start_mark.line
    for key_node, value_node in item.value:
        name = str(key_node.value)
        above = _comments(lines, cursor, key_node.start_mark.line)
        if above:
            found.fields[(code, name)] = above
        last = _last_line(value_node)
        end = value_node.end_mark
        if end.line == last:
            rest = lines[last][end.column :].strip() if last < len(lines) else ""
            if rest.startswith("#"):
                found.inline[(code, name)] = rest
        cursor = max(last, key_node.start_mark.line) + 1
    return cursor


def _header(lines: list[str]) -> list[str]:
    kept = [line.rstrip() for line in lines if not line.strip() or line.lstrip().startswith("#")]
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return kept


def _comments(lines: list[str], start: int, stop: int) -> list[str]:
    """The full-line comments of ``lines[start:stop]``, stripped."""
    return [line.strip() for line in lines[start:stop] if line.lstrip().startswith("#")]


def _last_line(node: yaml.Node) -> int:
    """The last line a node's text is on (a block value ends at column 0 of the next)."""
    end = node.end_mark
    return end.line if end.column > 0 else max(end.line - 1, node.start_mark.line)


def _code(item: yaml.MappingNode) -> str | None:
    for key_node, value_node in item.value:
        if getattr(key_node, "value", None) == "code" and isinstance(value_node, yaml.ScalarNode):
            return str(value_node.value).strip() or None
    return None
