"""The comments of a milestone data file, so that rewriting it keeps every one of them.

PyYAML drops comments, so they are found in the text: a ``#`` at the start of a line or
after a space or a tab, outside every scalar the YAML scanner reads, starts a comment
that runs to the end of its line. The YAML is composed to learn where each milestone and
each of its fields starts and ends, and each comment is attached to a place the writer
puts it back:

- above ``milestones:``: the header, as written (blank lines too);
- at the end of the ``milestones:`` line: at the end of that line;
- on lines of their own above a milestone (or between milestones): above it;
- between the fields of a milestone: above the field that follows;
- inside a field's value (between the items of a list written over several lines,
  between a key and its value): above that field, in their order, since the writer
  writes the value in its own form;
- at the end of a field's last line: at the end of that field's line;
- after a flow-style entry (``- {code: A, name: X, due: 2021-01-01}  # why``): at the end
  of its ``code`` line, the first line of the entry as the writer writes it;
- after the last milestone: at the end of the file.

A milestone without a code gives its comments to the next milestone. A milestone that an
import removes leaves its comments at the end of the file (:func:`orphaned`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import yaml

from sphinxext_ldm import yaml_items
from sphinxext_ldm.yaml_items import NestedTooDeeply

#: The C parser where PyYAML has it, as the loader uses: the same marks, much faster.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The line breaks of YAML 1.1, as PyYAML and libyaml count lines (not str.splitlines').
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


@dataclass
class Comments:
    """Comment lines (stripped, starting with ``#``) and where they belong."""

    #: Comment and blank lines above ``milestones:``, as written.
    header: list[str] = field(default_factory=list)
    #: The comment at the end of the ``milestones:`` line.
    milestones_line: str | None = None
    #: code -> comment lines above that milestone.
    before: dict[str, list[str]] = field(default_factory=dict)
    #: (code, field) -> comment lines above that field.
    fields: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: (code, field) -> the comment at the end of that field's line.
    inline: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Comment lines after the last milestone.
    trailing: list[str] = field(default_factory=list)
    #: code -> every comment of that milestone, in the file's order: what is kept when
    #: the milestone is removed.
    of_milestone: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Comment:
    line: int
    column: int
    text: str
    #: On a line of its own (else at the end of a line holding YAML).
    alone: bool


def read_comments(text: str) -> Comments:
    """The comments of a data file's text; none if it is not a well-formed data file.

    The milestones are read one at a time as they are composed (with libyaml, as the
    loader reads them), so a big file is never a tree of all its nodes."""
    lines = _LINE_BREAK.split(text)
    try:
        reader = _Reader(lines, _find_comments(lines, _scalar_spans(text)))
        if yaml_items.usable():
            root, streamed = yaml_items.compose_items(
                text, "milestones", reader.item, on_key=reader.start
            )
        else:
            root, streamed = yaml.compose(text, Loader=_Loader), None
    except (yaml.YAMLError, NestedTooDeeply):
        return Comments()
    if not isinstance(root, yaml.MappingNode):
        return Comments()
    for key_node, value_node in root.value:
        if getattr(key_node, "value", None) == "milestones":
            if value_node is not streamed:
                reader.start(key_node)
                items = value_node.value if isinstance(value_node, yaml.SequenceNode) else []
                for item in items:
                    reader.item(item)
            return reader.finish()
    return Comments()


def orphaned(comments: Comments, codes: Collection[str]) -> list[str]:
    """The milestones that have comments but are not among ``codes``, in file order."""
    return [code for code, found in comments.of_milestone.items() if found and code not in codes]


class _Reader:
    """Attaches each comment of the file to its place, in the file's order."""

    def __init__(self, lines: list[str], comments: list[_Comment]) -> None:
        self.lines = lines
        self.comments = comments
        self.found = Comments()
        self.pending: list[str] = []  # comments above a milestone yet to come
        self.cursor = 0  # the first line not yet looked at

    def start(self, key_node: yaml.Node) -> None:
        """The ``milestones:`` key: the header above it, the comment at its end."""
        found, key_line = self.found, key_node.start_mark.line
        found.header = _header(self.lines[:key_line], self.taken(0, key_line))
        on_key_line = self.taken(key_line, key_line + 1)
        if on_key_line:
            found.milestones_line = on_key_line[0].text
        self.cursor = key_line + 1

    def item(self, item: yaml.Node) -> None:
        """One milestone of the list, in order: the comments above and within it."""
        self.pending += [c.text for c in self.taken(self.cursor, item.start_mark.line)]
        self.cursor = _last_line(item, self.lines) + 1
        within = self.taken(item.start_mark.line, self.cursor)
        code = _code(item) if isinstance(item, yaml.MappingNode) else None
        if code is None or not isinstance(item, yaml.MappingNode):
            # Left out by the loader: its comments go to the next one.
            self.pending += [c.text for c in within]
            return
        found = self.found
        found.before[code], self.pending = self.pending, []
        found.of_milestone[code] = list(found.before[code])
        for comment in within:
            self.attach(code, item, comment)

    def finish(self) -> Comments:
        """After the last milestone: the comments that follow it."""
        rest = [c.text for c in self.taken(self.cursor, len(self.lines))]
        self.found.trailing = self.pending + rest
        return self.found

    def taken(self, start: int, stop: int) -> list[_Comment]:
        """The comments on lines ``start`` to ``stop`` (excluded), taken off the list."""
        count = 0
        while count < len(self.comments) and self.comments[count].line < stop:
            count += 1
        taken, self.comments = self.comments[:count], self.comments[count:]
        return [c for c in taken if c.line >= start]

    def attach(self, code: str, item: yaml.MappingNode, comment: _Comment) -> None:
        """Put a comment found within a milestone's lines where it belongs."""
        self.found.of_milestone[code].append(comment.text)
        end = item.end_mark
        if item.flow_style and (comment.line, comment.column) >= (end.line, end.column):
            self.at_end(code, "code", comment.text)  # after the whole entry
            return
        fields = [(str(k.value), k.start_mark, _last_line(v, self.lines)) for k, v in item.value]
        name = _field_of(fields, comment)
        if name is None:  # on a line of its own, before the next field
            following = [n for n, start, _ in fields if start.line > comment.line]
            name = following[0] if following else fields[-1][0]
            self.found.fields.setdefault((code, name), []).append(comment.text)
            return
        last = next(last for n, _, last in fields if n == name)
        if comment.alone or comment.line != last:  # inside the value: above the field
            self.found.fields.setdefault((code, name), []).append(comment.text)
        else:
            self.at_end(code, name, comment.text)

    def at_end(self, code: str, name: str, text: str) -> None:
        if (code, name) in self.found.inline:  # one comment per line's end: above it
            self.found.fields.setdefault((code, name), []).append(text)
        else:
            self.found.inline[(code, name)] = text


def _field_of(fields: list[tuple[str, yaml.Mark, int]], comment: _Comment) -> str | None:
    """The field whose lines hold ``comment``: of several fields on its line (a flow
    entry), the last one that starts before it."""
    place = (comment.line, comment.column)
    holding = [
        name
        for name, start, last in fields
        if start.line <= comment.line <= last and (start.line, start.column) < place
    ]
    return holding[-1] if holding else None


def _scalar_spans(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where each scalar that holds a ``#`` is, as (line, column) from and to (excluded),
    in order: a ``#`` in there is text, not a comment. (Only those: one span a scalar
    of a big file would be a list of millions.)"""
    spans = []
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.ScalarToken):
            start, end = token.start_mark, token.end_mark
            if "#" not in text[start.index : end.index]:
                continue
            begin = (start.line, start.column)
            if token.style in ("|", ">"):  # the header line's comment is a comment
                begin = (start.line + 1, 0)
            spans.append((begin, (end.line, end.column)))
    return spans


def _find_comments(
    lines: list[str], spans: list[tuple[tuple[int, int], tuple[int, int]]]
) -> list[_Comment]:
    starts = [start for start, _ in spans]
    found = []
    for number, line in enumerate(lines):
        column = line.find("#")
        while column >= 0:
            preceded = column == 0 or line[column - 1] in " \t"
            inside = bisect.bisect_right(starts, (number, column)) - 1
            in_scalar = inside >= 0 and (number, column) < spans[inside][1]
            if preceded and not in_scalar:
                alone = not line[:column].strip()
                found.append(_Comment(number, column, line[column:].rstrip(), alone))
                break
            column = line.find("#", column + 1)
    return found


def _header(lines: list[str], comments: list[_Comment]) -> list[str]:
    """The lines above ``milestones:``: comments as written, blank lines, and the comment
    of a line holding something else (``--- # ...``), without that something."""
    at = {c.line: c for c in comments}
    kept = []
    for number, line in enumerate(lines):
        if number in at:
            kept.append(line.rstrip() if at[number].alone else at[number].text)
        elif not line.strip():
            kept.append("")
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return kept


def _last_line(node: yaml.Node, lines: list[str]) -> int:
    """The last line a node's text is on. Not where its end mark is: a block mapping or
    list ends where the next thing starts, after the comments in between, and a block
    scalar (``|``) after the blank lines that follow it."""
    if isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_line(last[1] if isinstance(node, yaml.MappingNode) else last, lines)
    end, start = node.end_mark, node.start_mark.line
    line = end.line
    if line >= len(lines) or not lines[line][: end.column].strip():
        line -= 1  # the end is before anything on its line
    while line > start and not lines[line].strip():
        line -= 1
    return max(line, start)


def _code(item: yaml.MappingNode) -> str | None:
    for key_node, value_node in item.value:
        if getattr(key_node, "value", None) == "code" and isinstance(value_node, yaml.ScalarNode):
            return str(value_node.value).strip() or None
    return None
