"""The original milestone tool's hand-kept overrides: ``data/local.yaml``, and before it
``data/local.json``.

A mapping from milestone code to fields, in YAML::

    LDM-503-02:
      description: This test demonstrates ...
      test_spec: LDM-534 v3.1 \\S3.1 (DRP-00)
      short_name: HSC reprocessing
      jira: DM-17121

or in JSON, as the files of 2018 and 2019 were (tab-indented, which YAML does not allow):
a file is read as JSON when its name ends ``.json`` or its text is a JSON object.

Every key the original tool's overrides used is applied or reported, never dropped:

- applied: ``name``, ``level``, ``due``, ``completed`` (an empty value: not completed),
  ``wbs``, ``predecessors`` (they win over the export, as in the original tool), and the
  hand-kept ``short_name``, ``description``, ``test_spec``, ``jira``;
- counted in the import's summary as not imported, because this project's data format has
  no field for them: ``aka``, ``comment``, ``jira_testplan``, ``summarychart``,
  ``successors`` (write the link as the successor's ``predecessors``);
- any other key is a located ``unknown-field`` problem (a typo would otherwise be lost).

The text was written for LaTeX documents, so its markup is converted
(:mod:`.latex_text`). Empty strings and nulls mean the field is absent.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass, field

import yaml

from sphinxext_ldm.importers.exports import split_wbs
from sphinxext_ldm.importers.latex_text import latex_to_rst, latex_to_text
from sphinxext_ldm.inputs import DATA_LIMIT, read_text
from sphinxext_ldm.load import LEVELS, compose
from sphinxext_ldm.problems import Problem
from sphinxext_ldm.yaml_items import MAX_DEPTH, NestedTooDeeply

TEXT_FIELDS = ("name", "short_name", "test_spec", "jira")
APPLIED_FIELDS = (*TEXT_FIELDS, "description", "level", "due", "completed", "wbs", "predecessors")
#: Keys of the original tool's overrides that this data format has no field for.
NOT_IMPORTED = {
    "aka": "other codes of the milestone",
    "comment": "internal comments",
    "jira_testplan": "the test plan's Jira issue",
    "summarychart": "the summary chart flag",
    "successors": "write the link as the successor's predecessors",
}
KNOWN_FIELDS = (*APPLIED_FIELDS, *NOT_IMPORTED)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

#: A value as read from either format: scalars, lists, or (a problem) a mapping.
Value = str | int | float | bool | None | list["Value"] | dict[str, "Value"]


@dataclass(frozen=True, slots=True)
class Override:
    """The hand-kept fields of one milestone, already converted from LaTeX."""

    code: str
    name: str | None = None
    level: int | None = None
    short_name: str | None = None
    description: str | None = None
    test_spec: str | None = None
    jira: str | None = None
    due: datetime.date | None = None
    completed: datetime.date | None = None
    #: ``completed: ""``: the milestone is not completed, whatever the export says.
    not_completed: bool = False
    wbs: str | None = None
    #: The milestone's predecessors, instead of the export's links; None: the export's.
    predecessors: tuple[str, ...] | None = None
    path: str | None = None
    line: int | None = None


@dataclass
class Overrides:
    """What an overrides file holds: the overrides by code, and what was not taken."""

    by_code: dict[str, Override] = field(default_factory=dict)
    #: Keys in :data:`NOT_IMPORTED` -> on how many milestones they were given.
    not_imported: Counter[str] = field(default_factory=Counter)

    def get(self, code: str) -> Override | None:
        return self.by_code.get(code)


@dataclass
class _Entry:
    """One code's fields as read from either format, each with its line."""

    code: str
    line: int
    fields: list[tuple[str, int, Value]] | None  # None: the value is not a mapping


def read_overrides(path: str) -> tuple[Overrides | None, list[Problem]]:
    """Read an overrides file; problems are located at its lines. None (and a problem)
    when the file cannot be read at all."""
    text = read_text(path, "overrides file", DATA_LIMIT)
    if isinstance(text, Problem):
        return None, [text]
    return parse_overrides(text, path)


def parse_overrides(text: str, path: str = "<string>") -> tuple[Overrides | None, list[Problem]]:
    """Overrides given as text, JSON or YAML. None when the text is neither, or is not a
    mapping of code: fields."""
    too_deep = _json_too_deep(text) if text.lstrip().startswith("{") else None
    if too_deep is not None:
        # Refused before json.loads, which would recurse once a level and overflow.
        message = "JSON error in the overrides file: nested too deeply"
        return None, [Problem("json", message, path, too_deep)]
    if path.lower().endswith(".json") or _looks_like_json(text):
        entries = _json_entries(text, path)
    else:
        entries = _yaml_entries(text, path)
    if isinstance(entries, Problem):
        return None, [entries]
    reader = _Interpreter(path)
    return reader.read(entries), reader.problems


def _looks_like_json(text: str) -> bool:
    if not text.lstrip().startswith("{"):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False  # a YAML flow mapping, or broken: the YAML reader says which
    return True


# -- JSON -----------------------------------------------------------------------------------


class _Pairs(list[tuple[str, Value]]):
    """A JSON object as its pairs in order, duplicates kept (to report them)."""


def _json_entries(text: str, path: str) -> list[_Entry] | Problem:
    try:
        root = json.loads(text, object_pairs_hook=_Pairs)
    except json.JSONDecodeError as exc:
        return Problem("json", f"JSON error in the overrides file: {exc.msg}", path, exc.lineno)
    if not isinstance(root, _Pairs):
        return Problem("schema", "the overrides file must be a mapping of code: fields", path, 1)
    keys = _json_key_lines(text)
    top = [line for depth, line, _ in keys if depth == 1]
    starts = [at for depth, _, at in keys if depth == 1]
    entries = []
    for index, (code, value) in enumerate(root):
        begin = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        lines = [line for depth, line, at in keys if depth == 2 and begin < at < end]
        fields = None
        if isinstance(value, _Pairs):
            fields = [(name, lines[i], _plain(v)) for i, (name, v) in enumerate(value)]
        entries.append(_Entry(code, top[index], fields if value is not None else []))
    return entries


#: What a JSON nesting scan looks at: strings (skipped whole), brackets, line breaks.
_JSON_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}\n]')


def _json_too_deep(text: str) -> int | None:
    """The line where ``text`` nests deeper than :data:`MAX_DEPTH` brackets, if it does
    (brackets in strings do not count)."""
    depth, line = 0, 1
    for match in _JSON_TOKENS.finditer(text):
        token = match[0]
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif token in "]}":
            depth -= 1
        elif token == "\n":
            line += 1
    return None


def _plain(value: Value) -> Value:
    if isinstance(value, _Pairs):
        return dict(value)
    return value


def _json_key_lines(text: str) -> list[tuple[int, int, int]]:
    """(nesting depth, line, offset) of every key of valid JSON ``text``, in order: the
    json module gives values, not where they were written."""
    found = []
    depth, line, i = 0, 1, 0
    while i < len(text):
        char = text[i]
        if char == '"':
            end = i + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            after = end + 1
            while after < len(text) and text[after] in " \t\r\n":
                after += 1
            if after < len(text) and text[after] == ":":
                found.append((depth, line, i))
            i = end + 1
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif char == "\n":
            line += 1
        i += 1
    return found


# -- YAML -----------------------------------------------------------------------------------

_YAML = "tag:yaml.org,2002:"


def _yaml_entries(text: str, path: str) -> list[_Entry] | Problem:
    """Composed, never constructed, as the loader does."""
    try:
        root = compose(text)
        if root is None:
            return []
        if not isinstance(root, yaml.MappingNode):
            line = root.start_mark.line + 1
            message = "the overrides file must be a mapping of code: fields"
            return Problem("schema", message, path, line)
        return _yaml_mapping(root)
    except NestedTooDeeply as exc:
        message = "YAML error in the overrides file: nested too deeply"
        return Problem("yaml", message, path, exc.line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        hint = ""
        if "\t" in text and text.lstrip().startswith("{"):
            hint = " (if the file is JSON, name it .json)"
        return Problem("yaml", f"YAML error in the overrides file: {exc}{hint}", path, line)


def _yaml_mapping(root: yaml.MappingNode) -> list[_Entry]:
    entries = []
    for key_node, value_node in root.value:
        code = _yaml_value(key_node, depth=2)
        fields = None
        if isinstance(value_node, yaml.MappingNode):
            fields = [
                (str(_yaml_value(k, depth=3)), k.start_mark.line + 1, _yaml_value(v, depth=3))
                for k, v in value_node.value
            ]
        elif isinstance(value_node, yaml.ScalarNode) and value_node.tag == _YAML + "null":
            fields = []
        key = "<<" if key_node.tag == _YAML + "merge" else str(code or "")
        entries.append(_Entry(key, key_node.start_mark.line + 1, fields))
    return entries


def _yaml_value(node: yaml.Node, depth: int = 1) -> Value:
    """A node's value by its tag: whole numbers as int, null as None, the rest as text.
    NestedTooDeeply past :data:`MAX_DEPTH` (libyaml composes up to 1,000 levels, more
    than this recursion could take)."""
    if depth > MAX_DEPTH:
        raise NestedTooDeeply(node.start_mark.line + 1)
    if isinstance(node, yaml.SequenceNode):
        return [_yaml_value(item, depth + 1) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(_yaml_value(k, depth + 1)): _yaml_value(v, depth + 1) for k, v in node.value}
    if node.tag == _YAML + "merge":
        return "<<"
    if node.tag == _YAML + "null":
        return None
    if node.tag == _YAML + "int" and re.fullmatch(r"[+-]?[0-9]+", str(node.value)):
        return int(node.value)
    return str(node.value)


# -- what the fields mean --------------------------------------------------------------------


class _Interpreter:
    """Entries of either format as overrides, reporting what cannot be used."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, subtype: str, message: str, line: int) -> None:
        self.problems.append(Problem(subtype, message, self.path, line))

    def read(self, entries: list[_Entry]) -> Overrides:
        result = Overrides()
        for entry in entries:
            code = entry.code.strip()
            if code == "<<":
                self.problem(
                    "schema",
                    "merge keys (<<) are not supported in the overrides file; "
                    "write each milestone's fields out",
                    entry.line,
                )
                continue
            if not code:
                self.problem("schema", "an overrides key is not a milestone code", entry.line)
                continue
            if entry.fields is None:
                self.problem(
                    "schema", f"the overrides of {code} must be a mapping of fields", entry.line
                )
                continue
            first = result.by_code.get(code)
            if first is not None:
                self.problem(
                    "duplicate-code",
                    f"{code} is given twice (first on line {first.line}); the first is kept",
                    entry.line,
                )
                continue
            result.by_code[code] = self.override(code, entry, result.not_imported)
        return result

    def override(self, code: str, entry: _Entry, not_imported: Counter[str]) -> Override:
        values: dict[str, object] = {}
        seen: dict[str, int] = {}
        for name, line, value in entry.fields or ():
            if name in seen:
                self.problem(
                    "duplicate-key",
                    f"{code}: '{name}' is given twice (first on line {seen[name]}); "
                    "the first is kept",
                    line,
                )
                continue
            seen[name] = line
            if name == "<<":
                self.problem(
                    "schema",
                    f"{code}: merge keys (<<) are not supported in the overrides file; "
                    "write the fields out",
                    line,
                )
                continue
            if name in NOT_IMPORTED:
                if value not in (None, "", []):
                    not_imported[name] += 1
                continue
            if name not in APPLIED_FIELDS:
                near = difflib.get_close_matches(name, KNOWN_FIELDS, n=1)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                self.problem(
                    "unknown-field", f"{code}: unknown field '{name}' in the overrides{hint}", line
                )
                continue
            values.update(self.field(code, name, line, value))
        return Override(code, path=self.path, line=entry.line, **values)  # type: ignore[arg-type]

    def field(self, code: str, name: str, line: int, value: Value) -> dict[str, object]:
        """The Override attributes one field sets (none when empty or unusable)."""
        if name == "predecessors":
            return self.predecessors(code, line, value)
        if isinstance(value, list | dict):
            self.problem("bad-value", f"{code}: '{name}' must be a single value", line)
            return {}
        if value is None or not str(value).strip():
            return {"not_completed": True} if name == "completed" and value == "" else {}
        text = str(value).strip()
        if name == "level":
            if isinstance(value, int) and not isinstance(value, bool) and value in LEVELS:
                return {"level": value}
            self.problem("bad-value", f"{code}: 'level' must be 1 to 4, not {value!r}", line)
            return {}
        if name in ("due", "completed"):
            day = _date(text)
            if day is None:
                self.problem(
                    "bad-date", f"{code}: '{name}' is not a date YYYY-MM-DD: {text!r}", line
                )
                return {}
            return {name: day}
        if name == "wbs":
            return {"wbs": split_wbs(text)[1]}
        if name == "description":
            return {"description": latex_to_rst(text)}
        return {name: latex_to_text(text)}

    def predecessors(self, code: str, line: int, value: Value) -> dict[str, object]:
        if value is None:
            return {}
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem("bad-value", f"{code}: 'predecessors' must be a list of codes", line)
            return {}
        codes = [str(v).strip() for v in value if str(v).strip()]
        return {"predecessors": tuple(dict.fromkeys(codes))}


def _date(text: str) -> datetime.date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None
