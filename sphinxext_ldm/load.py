"""Load milestone and acronym YAML into the model, with located problems.

The file is *composed* (parsed into YAML nodes that carry line numbers) and never
*constructed*, so YAML tags such as ``!!python/object`` cannot run code, and every
value we accept is checked against the schema by hand. Every problem is reported
with its file and line, all of them at once; nothing is dropped without a problem
that says so.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from sphinxext_ldm import inputs, yaml_items
from sphinxext_ldm.acronyms import Acronym
from sphinxext_ldm.glossary_csv import read_glossarydefs
from sphinxext_ldm.model import (
    MILESTONE_FIELDS,
    REQUIRED_FIELDS,
    Catalog,
    Milestone,
    Rejected,
)
from sphinxext_ldm.problems import Problem
from sphinxext_ldm.yaml_items import MAX_DEPTH, NestedTooDeeply

#: The C parser where PyYAML has it: several times faster, with the same marks.
YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_YAML = "tag:yaml.org,2002:"
_STR, _INT, _NULL, _TIMESTAMP = (_YAML + t for t in ("str", "int", "null", "timestamp"))
_MAP, _SEQ, _MERGE = _YAML + "map", _YAML + "seq", _YAML + "merge"
_DECIMAL = re.compile(r"[+-]?[0-9]+")
_PLAIN_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_FIELDS = ("due", "baseline", "completed")
_TEXT_FIELDS = ("code", "name", "short_name", "wbs", "description", "test_spec", "jira")
LEVELS = range(1, 5)
#: The dates every output can show; a date outside is a ``bad-date`` problem, as an
#: impossible date is. The last: the calendar feed ends an all-day event the next day
#: (DTEND) and the burndown counts to the month after the last date, and 9999-12-31 has
#: neither (Python's dates end there), so a whole year is left for such arithmetic. The
#: first: spreadsheets' dates (Excel's 1900 date system) begin on 1900-01-01, so the
#: CSV's earlier dates would not read as dates; further down things break outright:
#: strftime writes years before 1000 with fewer than four digits (an invalid ICS date on
#: glibc) and JavaScript's Date (Mermaid's charts) takes years 0-99 as 1900-1999.
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(9998, 12, 31)
ACRONYM_FIELDS = ("term", "definition", "tags", "alternatives")
T = TypeVar("T")


@dataclass
class LoadResult:
    """What loading produced: the usable catalog and every problem found."""

    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)
    #: The file's report date (``as_of:``), if it gives one.
    as_of: datetime.date | None = None


@dataclass
class AcronymResult:
    """The definitions read from one file, and every problem found."""

    acronyms: list[Acronym]
    problems: list[Problem] = field(default_factory=list)


def load_milestones(path: str | Path) -> LoadResult:
    """Read and validate one milestone data file."""
    reader = _MilestoneReader(str(path))
    catalog, problems = reader.read()
    return LoadResult(catalog, problems, reader.as_of)


def load_milestones_text(text: str, path: str = "<string>") -> LoadResult:
    """Validate milestone data given as text (``path`` is only used in problems)."""
    reader = _MilestoneReader(path)
    catalog, problems = reader.read_text(text)
    return LoadResult(catalog, problems, reader.as_of)


def load_acronyms(path: str | Path) -> AcronymResult:
    """Read acronym definitions: lsst-texmf's ``glossarydefs.csv`` layout for ``.csv``
    files, else this project's YAML format."""
    if str(path).lower().endswith(".csv"):
        return AcronymResult(*read_glossarydefs(str(path)))
    acronyms, problems = _AcronymReader(str(path)).read()
    return AcronymResult(acronyms, problems)


def load_acronyms_text(text: str, path: str = "<string>") -> AcronymResult:
    acronyms, problems = _AcronymReader(path).read_text(text)
    return AcronymResult(acronyms, problems)


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree of ``text``, never constructed (see the module docstring);
    :class:`NestedTooDeeply` for text nested too deeply, yaml errors for the rest."""
    loader = _depth_bounded(YamlLoader)(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


@functools.cache
def _depth_bounded(loader: type[Any]) -> type[Any]:
    """``loader`` counting how deep it composes: the pure-Python composer calls
    ``compose_node`` once a level (libyaml's cannot be overridden, and has its limit)."""

    class Bounded(loader):  # type: ignore[misc]
        _depth = 0

        def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
            if self._depth >= MAX_DEPTH:
                raise NestedTooDeeply(self.peek_event().start_mark.line + 1)
            self._depth += 1
            try:
                node: yaml.Node = super().compose_node(parent, index)
                return node
            finally:
                self._depth -= 1

    return Bounded


class _YamlFile(Generic[T]):
    """Reading one YAML data file: file and syntax problems, shapes and values.

    Subclasses name the top-level list (``key``) and turn its items into ``T``.
    """

    key = ""
    what = "data"
    #: Other top-level fields the file may have, each a single value.
    top_fields: tuple[str, ...] = ()

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def empty(self) -> T:
        raise NotImplementedError

    def read_item(self, node: yaml.Node) -> Any:
        """One item of the top-level list: what ``finish`` is given for it."""
        raise NotImplementedError

    def finish(self, read: list[Any]) -> T:
        """The result, from what ``read_item`` gave for each item, in order."""
        raise NotImplementedError

    def problem(self, subtype: str, message: str, node: yaml.Node | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(subtype, message, self.path, line))

    # -- file level -----------------------------------------------------------------------

    def read(self) -> tuple[T, list[Problem]]:
        text = inputs.read_text(self.path, f"{self.what} file", inputs.DATA_LIMIT)
        if isinstance(text, Problem):
            self.problems.append(text)
            return self.empty(), self.problems
        return self.read_text(text)

    def read_text(self, text: str) -> tuple[T, list[Problem]]:
        # With libyaml the list's items are read as they are composed, and dropped: a big
        # file is never a tree of all its nodes. Their problems come after the file's own.
        read: list[Any] = []
        item_problems: list[Problem] = []

        def read_one(node: yaml.Node) -> None:
            own, self.problems = self.problems, item_problems
            try:
                read.append(self.read_item(node))
            finally:
                self.problems = own

        streaming = YamlLoader is getattr(yaml, "CSafeLoader", None) and yaml_items.usable()
        streamed: yaml.SequenceNode | None = None
        try:
            if streaming:
                root, streamed = yaml_items.compose_items(text, self.key, read_one)
            else:
                root = compose(text)
        except NestedTooDeeply as exc:
            message = "YAML error: the data is nested too deeply"
            self.problems.append(Problem("yaml", message, self.path, exc.line))
            return self.empty(), self.problems
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
            self.problems.append(Problem("yaml", f"YAML syntax error: {detail}", self.path, line))
            return self.empty(), self.problems
        except yaml.reader.ReaderError as exc:
            # A character YAML does not allow: it has a position, not a mark.
            line = text[: exc.position].count("\n") + 1
            self.problems.append(
                Problem(
                    "yaml",
                    f"YAML error: {exc.reason} (character {exc.character!r})",
                    self.path,
                    line,
                )
            )
            return self.empty(), self.problems
        except yaml.YAMLError as exc:
            self.problems.append(Problem("yaml", f"YAML error: {exc}", self.path, 1))
            return self.empty(), self.problems
        if root is None:
            self.problems.append(Problem("schema", "the file holds no data", self.path, 1))
            return self.empty(), self.problems
        items = self.top_list(root)
        if items is None:
            return self.finish([]), self.problems
        if items is streamed:
            self.problems += item_problems
        else:  # not the list composed item by item (there is none without libyaml)
            read = [self.read_item(node) for node in items.value]
        return self.finish(read), self.problems

    def top_list(self, root: yaml.Node) -> yaml.SequenceNode | None:
        """The file's one top-level list, ``key:``; None where there is none to read."""
        top = self.mapping(root, "the file")
        if top is None:
            return None
        for key, (key_node, value_node) in top.items():
            if key in self.top_fields:
                self.top_field(key, value_node)
            elif key != self.key:
                known = (self.key, *self.top_fields)
                self.unknown_field(key, key_node, known, "at the top level")
        if self.key not in top:
            self.problem("missing-field", f"the file has no '{self.key}' list", root)
            return None
        seq_node = top[self.key][1]
        if not isinstance(seq_node, yaml.SequenceNode):
            if not (isinstance(seq_node, yaml.ScalarNode) and seq_node.tag == _NULL):
                self.problem("schema", f"'{self.key}' must be a list", seq_node)
            return None
        if seq_node.tag != _SEQ:
            self.problem(
                "bad-value", f"'{self.key}' has the YAML tag {seq_node.tag}, not allowed", seq_node
            )
            return None
        return seq_node

    def top_field(self, name: str, node: yaml.Node) -> None:
        """Read one of :attr:`top_fields`."""
        raise NotImplementedError

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """The keys of a mapping node, reporting non-mappings and duplicate keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem("schema", f"{what} must be a mapping of field: value", node)
            return None
        if node.tag != _MAP:
            self.problem("bad-value", f"{what} has the YAML tag {node.tag}, not allowed", node)
            return None
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                # Merging would make a milestone's fields come from elsewhere in the file,
                # unseen by its reader and by an import that rewrites it: refused.
                self.problem(
                    "schema",
                    f"{what} has a merge key (<<), which the data format does not support; "
                    "write the fields out",
                    key_node,
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem("schema", f"{what} has a key that is not a plain name", key_node)
                continue
            key = key_node.value
            if key in result:
                first = result[key][0].start_mark.line + 1
                self.problem(
                    "duplicate-key",
                    f"'{key}' is given twice in {what} (first on line {first}); "
                    "the first value is kept",
                    key_node,
                )
                continue
            result[key] = (key_node, value_node)
        return result

    def unknown_field(self, key: str, node: yaml.Node, known: tuple[str, ...], where: str) -> None:
        near = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean '{near[0]}'?" if near else f"; known fields: {', '.join(known)}"
        self.problem("unknown-field", f"unknown field '{key}' {where}{hint}", node)

    # -- values ----------------------------------------------------------------------------

    def scalar(self, node: yaml.Node, name: str) -> yaml.ScalarNode | None:
        if not isinstance(node, yaml.ScalarNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            self.problem("bad-value", f"'{name}' must be a single value, not {kind}", node)
            return None
        if node.tag not in _PLAIN_SCALAR_TAGS:
            self.problem("bad-value", f"'{name}' has the YAML tag {node.tag}, not allowed", node)
            return None
        if node.tag == _NULL:
            return None
        return node

    def text(self, node: yaml.Node, name: str) -> str | None:
        scalar = self.scalar(node, name)
        if scalar is None:
            return None
        # The text as written: `name: yes` is the word "yes", not a boolean.
        value = str(scalar.value).strip()
        if not value:
            self.problem("bad-value", f"'{name}' is empty", node)
            return None
        return value

    def date(self, node: yaml.Node, name: str) -> datetime.date | None:
        scalar = self.scalar(node, name)
        if scalar is None:
            return None
        written = str(scalar.value).strip()
        if scalar.tag in (_TIMESTAMP, _STR) and _ISO_DATE.fullmatch(written):
            try:
                day = datetime.date.fromisoformat(written)
            except ValueError as exc:
                self.problem("bad-date", f"'{name}' is not a real date: {written} ({exc})", node)
                return None
            if not FIRST_DATE <= day <= LAST_DATE:
                self.problem(
                    "bad-date",
                    f"'{name}' is {written}, outside the dates every output can show "
                    f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})",
                    node,
                )
                return None
            return day
        if scalar.tag == _TIMESTAMP:
            hint = "a date and time; write the date alone as YYYY-MM-DD"
        else:
            hint = "not a date in the form YYYY-MM-DD"
        self.problem("bad-date", f"'{name}' is {hint}: {written!r}", node)
        return None

    def level(self, node: yaml.Node) -> int | None:
        scalar = self.scalar(node, "level")
        if scalar is None:
            return None
        written = str(scalar.value).strip()
        # YAML 1.1 also reads 0x2 and 2:00 as integers; a level is written in decimal.
        if scalar.tag != _INT or not _DECIMAL.fullmatch(written) or int(written) not in LEVELS:
            self.problem(
                "bad-value", f"'level' must be a whole number 1 to 4, not {scalar.value!r}", node
            )
            return None
        return int(scalar.value)

    def codes(self, node: yaml.Node, name: str = "predecessors") -> list[tuple[str, int]]:
        """The strings of a list field, each with the line it is written on."""
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem("bad-value", f"'{name}' must be a list", node)
            return []
        if node.tag != _SEQ:
            self.problem("bad-value", f"'{name}' has the YAML tag {node.tag}, not allowed", node)
            return []
        codes: list[tuple[str, int]] = []
        seen: set[str] = set()
        for item in node.value:
            code = self.text(item, name)
            if code is None:
                continue
            if code in seen:
                self.problem("duplicate-code", f"{code} is listed twice in '{name}'", item)
                continue
            seen.add(code)
            codes.append((code, item.start_mark.line + 1))
        return codes


class _MilestoneReader(_YamlFile[Catalog]):
    key = "milestones"
    what = "milestone data"
    # The report date of the data: a snapshot's, or the current file's where it says.
    top_fields = ("as_of",)

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.as_of: datetime.date | None = None
        # Where each predecessor code is written, for precise problems: milestone line ->
        # the line of its first code, and (milestone line, code) -> the line of a code
        # written elsewhere (one entry a milestone, not one a link, for big files).
        self.predecessor_line: dict[int, int] = {}
        self.predecessor_lines: dict[tuple[int, str], int] = {}
        self.rejected: dict[str, Rejected] = {}

    def empty(self) -> Catalog:
        return Catalog()

    def top_field(self, name: str, node: yaml.Node) -> None:
        self.as_of = self.date(node, name)

    def read_item(self, node: yaml.Node) -> Milestone | None:
        return self.read_milestone(node)

    def finish(self, read: list[Milestone | None]) -> Catalog:
        return self.link([m for m in read if m is not None])

    def note_lines(self, line: int, located: list[tuple[str, int]]) -> None:
        if not located:
            return
        again = line in self.predecessor_line  # another milestone starts on this line
        common = self.predecessor_line.setdefault(line, located[0][1])
        for code, at in located:
            if at != common:
                self.predecessor_lines[line, code] = at
            elif again:
                self.predecessor_lines.pop((line, code), None)  # the last one noted counts

    def line_of(self, line: int, code: str) -> int:
        """The line ``code`` is written on among the predecessors of the milestone on
        ``line``."""
        at = self.predecessor_lines.get((line, code))
        return at if at is not None else self.predecessor_line.get(line, line)

    # -- one milestone ---------------------------------------------------------------------

    def read_milestone(self, node: yaml.Node) -> Milestone | None:
        fields = self.mapping(node, "a milestone")
        if fields is None:
            return None
        for key, (key_node, _) in fields.items():
            if key not in MILESTONE_FIELDS:
                self.unknown_field(key, key_node, MILESTONE_FIELDS, "in a milestone")
        values: dict[str, Any] = {}
        for name in _TEXT_FIELDS:
            if name in fields:
                values[name] = self.text(fields[name][1], name)
        for name in _DATE_FIELDS:
            if name in fields:
                values[name] = self.date(fields[name][1], name)
        if "level" in fields:
            values["level"] = self.level(fields["level"][1])
        if "predecessors" in fields:
            located = self.codes(fields["predecessors"][1])
            values["predecessors"] = tuple(code for code, _ in located)
            self.note_lines(node.start_mark.line + 1, located)
        label = f"milestone {values['code']}" if values.get("code") else "a milestone"
        missing = [name for name in REQUIRED_FIELDS if values.get(name) is None]
        for name in missing:
            where = fields[name][1] if name in fields else node
            self.problem(
                "missing-field",
                f"{label} has no valid '{name}'; the milestone is left out",
                where,
            )
        if missing:
            code = values.get("code")
            if code is not None and code not in self.rejected:
                reason = ", ".join(f"no valid '{name}'" for name in missing)
                line = node.start_mark.line + 1
                self.rejected[code] = Rejected(code, reason, values.get("level"), self.path, line)
            return None
        values = {k: v for k, v in values.items() if v is not None}
        if "description" in values:
            values["description_line"] = _text_line(fields["description"][1])
        return Milestone(**values, path=self.path, line=node.start_mark.line + 1)

    # -- across milestones -----------------------------------------------------------------

    def link(self, milestones: list[Milestone]) -> Catalog:
        """Drop duplicate codes and unknown predecessors (reporting each), check cycles."""
        unique: dict[str, Milestone] = {}
        for m in milestones:
            if m.code in unique:
                first = unique[m.code].line
                self.problems.append(
                    Problem(
                        "duplicate-code",
                        f"milestone {m.code} is defined twice (first on line {first}); "
                        "this definition is left out",
                        self.path,
                        m.line,
                    )
                )
                continue
            unique[m.code] = m
        rejected = {code: r for code, r in self.rejected.items() if code not in unique}
        rejected_links = {
            m.code: links
            for m in unique.values()
            if (links := tuple(code for code in m.predecessors if code in rejected))
        }
        linked = [self.known_predecessors(m, unique, rejected) for m in unique.values()]
        catalog = Catalog.from_milestones(linked, rejected, rejected_links)
        for cycle in find_cycles(catalog):
            path = " -> ".join([*cycle, cycle[0]])
            line = catalog.milestones[cycle[0]].line
            self.problems.append(Problem("cycle", f"predecessor cycle: {path}", self.path, line))
        return catalog

    def known_predecessors(
        self, m: Milestone, known: dict[str, Milestone], rejected: dict[str, Rejected]
    ) -> Milestone:
        """``m`` with links to milestones that cannot be used left out; links to unknown
        codes are reported here, links to rejected ones were reported with them."""
        if all(code in known for code in m.predecessors):
            return m
        unknown = [code for code in m.predecessors if code not in known and code not in rejected]
        for code in unknown:
            self.problems.append(
                Problem(
                    "unknown-predecessor",
                    f"milestone {m.code} names unknown predecessor {code}; the link is left out",
                    self.path,
                    self.line_of(m.line, code) if m.line is not None else None,
                )
            )
        kept = tuple(code for code in m.predecessors if code in known)
        return dataclasses.replace(m, predecessors=kept)


class _AcronymReader(_YamlFile[list[Acronym]]):
    key = "acronyms"
    what = "acronym"

    def empty(self) -> list[Acronym]:
        return []

    def finish(self, read: list[Acronym | None]) -> list[Acronym]:
        return [acronym for acronym in read if acronym is not None]

    def read_item(self, node: yaml.Node) -> Acronym | None:
        fields = self.mapping(node, "an acronym")
        if fields is None:
            return None
        for key, (key_node, _) in fields.items():
            if key not in ACRONYM_FIELDS:
                self.unknown_field(key, key_node, ACRONYM_FIELDS, "in an acronym")
        term = self.text(fields["term"][1], "term") if "term" in fields else None
        definition = (
            self.text(fields["definition"][1], "definition") if "definition" in fields else None
        )
        if term is None or definition is None:
            missing = "term" if term is None else "definition"
            self.problem(
                "missing-field", f"an acronym has no valid '{missing}'; it is left out", node
            )
            return None
        lists = {
            name: tuple(code for code, _ in self.codes(fields[name][1], name))
            for name in ("tags", "alternatives")
            if name in fields
        }
        return Acronym(term, definition, path=self.path, line=node.start_mark.line + 1, **lists)


def _text_line(node: yaml.Node) -> int:
    """The line a scalar's text starts on: a block scalar's (``|``, ``>``) on the line
    after its indicator."""
    block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
    return node.start_mark.line + (2 if block else 1)


def find_cycles(catalog: Catalog) -> Iterator[list[str]]:
    """Each predecessor cycle once, as the list of codes on it (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    counter = 0
    for start in catalog.milestones:
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = []
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        work.append((start, iter(catalog.milestones[start].predecessors)))
        while work:
            code, preds = work[-1]
            for pred in preds:
                if pred not in index:
                    index[pred] = low[pred] = counter
                    counter += 1
                    stack.append(pred)
                    on_stack.add(pred)
                    work.append((pred, iter(catalog.milestones[pred].predecessors)))
                    break
                if pred in on_stack:
                    low[code] = min(low[code], index[pred])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[code])
                if low[code] == index[code]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == code:
                            break
                    self_loop = code in catalog.milestones[code].predecessors
                    if len(component) > 1 or self_loop:
                        yield sorted(component)
