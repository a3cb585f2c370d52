"""The original milestone tool's hand-kept overrides (its ``data/local.yaml``).

A YAML mapping from milestone code to fields::

    LDM-503-02:
      description: This test demonstrates ...
      test_spec: LDM-534 v3.1 \\S3.1 (DRP-00)
      short_name: HSC reprocessing
      jira: DM-17121
      level: 2
      name: HSC reprocessing

The text was written for LaTeX documents, so its markup is converted: descriptions
become reStructuredText (``\\textit{x}`` -> ``*x*``), the other fields plain text
(``\\textit{x}`` -> ``x``); in both ``\\S`` -> §, ``--`` -> en dash, ``~`` -> no-break
space. Empty strings and nulls mean the field is absent. The tool's other keys (``aka``,
``comment``, ``jira_testplan``, ``summarychart``) have no place in this format and are
not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from sphinxext_ldm.load import LEVELS
from sphinxext_ldm.problems import Problem

OVERRIDE_FIELDS = ("name", "level", "short_name", "description", "test_spec", "jira")
_INT, _NULL = "tag:yaml.org,2002:int", "tag:yaml.org,2002:null"

NBSP = "\N{NO-BREAK SPACE}"
EN_DASH, EM_DASH = "\N{EN DASH}", "\N{EM DASH}"
#: LaTeX commands whose argument is emphasised, as reStructuredText marks it.
_EMPHASIS = {"textit": "*", "emph": "*", "textsl": "*", "textbf": "**"}
#: LaTeX commands that stand for one character, with or without ``{}``.
_SYMBOLS = {
    "S": "§",
    "P": "¶",
    "ldots": "\N{HORIZONTAL ELLIPSIS}",
    "dots": "\N{HORIZONTAL ELLIPSIS}",
    "textendash": EN_DASH,
    "textemdash": EM_DASH,
}
_ESCAPED = set("&%#_${}")
#: Characters that start inline markup in reStructuredText.
_RST_MARKUP = set("*`|\\")


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


def read_overrides(path: str) -> tuple[dict[str, Override] | None, list[Problem]]:
    """Read an overrides file; problems are located at its lines. None (and a problem)
    when the file cannot be read at all."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return None, [Problem("file", f"overrides file not found: {path}")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem("file", f"cannot read overrides file {path}: {exc}", path, 1)]
    return parse_overrides(text, path)


def parse_overrides(
    text: str, path: str = "<string>"
) -> tuple[dict[str, Override] | None, list[Problem]]:
    """Overrides given as YAML text. Composed, never constructed, as the loader does.
    None when the text is not YAML or not a mapping."""
    problems: list[Problem] = []

    def problem(subtype: str, message: str, node: yaml.Node) -> None:
        problems.append(Problem(subtype, message, path, node.start_mark.line + 1))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [Problem("yaml", f"YAML error in the overrides file: {exc}", path, line)]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        problem("schema", "the overrides file must be a mapping of code: fields", root)
        return None, problems
    overrides: dict[str, Override] = {}
    for key_node, value_node in root.value:
        code = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else ""
        if not code:
            problem("schema", "an overrides key is not a milestone code", key_node)
            continue
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL:
            continue
        if not isinstance(value_node, yaml.MappingNode):
            problem("schema", f"the overrides of {code} must be a mapping of fields", value_node)
            continue
        texts: dict[str, str] = {}
        level: int | None = None
        for field_node, node in value_node.value:
            name = getattr(field_node, "value", None)
            if name not in OVERRIDE_FIELDS:
                continue
            if not isinstance(node, yaml.ScalarNode):
                problem("bad-value", f"{code}: '{name}' must be a single value", node)
            elif node.tag == _NULL or not str(node.value).strip():
                continue  # empty means absent
            elif name == "level":
                if node.tag == _INT and int(node.value) in LEVELS:
                    level = int(node.value)
                else:
                    problem(
                        "bad-value", f"{code}: 'level' must be 1 to 4, not {node.value!r}", node
                    )
            elif name == "description":
                texts[name] = latex_to_rst(str(node.value).strip())
            else:
                texts[name] = latex_to_text(str(node.value).strip())
        if code in overrides:
            problem("duplicate-code", f"{code} is given twice; the first is kept", key_node)
            continue
        overrides[code] = Override(
            code,
            name=texts.get("name"),
            level=level,
            short_name=texts.get("short_name"),
            description=texts.get("description"),
            test_spec=texts.get("test_spec"),
            jira=texts.get("jira"),
        )
    return overrides, problems


def latex_to_rst(text: str) -> str:
    """LaTeX-flavoured text as reStructuredText: emphasis becomes ``*x*``/``**x**``,
    everything else is escaped so that it reads as written."""
    return _Converter(rst=True).convert(text)


def latex_to_text(text: str) -> str:
    """LaTeX-flavoured text as plain text: commands give their argument."""
    return _Converter(rst=False).convert(text)


class _Converter:
    """Walks LaTeX-flavoured text, turning commands and ligatures into characters."""

    def __init__(self, rst: bool) -> None:
        self.rst = rst
        self.out: list[str] = []
        self.run: list[str] = []  # literal text not yet escaped
        self.after_markup = False

    def convert(self, text: str) -> str:
        self.walk(text)
        self.flush()
        return "".join(self.out)

    def literal(self, chars: str) -> None:
        """Text that reads as written (escaped when the run is flushed)."""
        if self.after_markup and chars and not re.match(r"[\s.,;:!?)\]}>'\"/-]", chars):
            # reStructuredText ends markup only before a space or punctuation
            self.out.append("\\ ")
        self.after_markup = False
        self.run.append(chars)

    def flush(self) -> None:
        text = "".join(self.run)
        self.out.append(rst_escape(text) if self.rst else text)
        self.run = []

    def markup(self, mark: str, inner: str) -> None:
        """``inner`` (converted) emphasised with ``mark``, its spaces kept outside, and
        escaped spaces where the markup touches a letter (``word\\ *x*\\ word``)."""
        stripped = inner.strip()
        self.literal(inner[: len(inner) - len(inner.lstrip())])
        self.flush()
        previous = self.out[-1][-1:] if self.out else ""
        if previous and not re.match(r"[\s(\[{<'\"/-]", previous):
            self.out.append("\\ ")
        self.out.append(f"{mark}{stripped}{mark}")
        trailing = inner[len(inner.rstrip()) :]
        self.after_markup = not trailing
        if trailing:
            self.literal(trailing)

    def out_plain(self, converted: str) -> None:
        """Text converted (and escaped) by a nested walk, appended as it is."""
        self.flush()
        self.out.append(converted)

    def walk(self, text: str) -> None:
        i = 0
        while i < len(text):
            char = text[i]
            if char == "\\":
                i = self.command(text, i)
            elif text.startswith("---", i):
                self.literal(EM_DASH)
                i += 3
            elif text.startswith("--", i):
                self.literal(EN_DASH)
                i += 2
            elif char == "~":
                self.literal(NBSP)
                i += 1
            elif char in "{}":
                i += 1  # grouping braces print nothing
            else:
                self.literal(char)
                i += 1

    def command(self, text: str, i: int) -> int:
        """Convert the command at ``text[i]`` (a backslash); the index after it."""
        command = re.match(r"[A-Za-z]+", text[i + 1 :])
        if command is None:
            following = text[i + 1 : i + 2]
            if following in _ESCAPED:
                self.literal(following)
            elif following == "\\":
                self.literal(" ")  # a LaTeX line break
            else:
                self.literal("\\" + following)
            return i + 1 + len(following)
        name = command.group()
        end = i + 1 + len(name)
        argument = _braced(text, end)
        if argument is None or (name in _SYMBOLS and not argument):
            self.literal(_SYMBOLS.get(name, "\\" + name))
            return end if argument is None else end + 2
        nested = _Converter(self.rst)
        inner = nested.convert(argument)
        if name in _EMPHASIS and self.rst and inner.strip():
            self.markup(_EMPHASIS[name], inner)
        else:
            self.out_plain(inner)
        return end + len(argument) + 2


def _braced(text: str, start: int) -> str | None:
    """The text between the brace at ``start`` and its partner, or None."""
    if not text.startswith("{", start):
        return None
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{" and text[i - 1 : i] != "\\":
            depth += 1
        elif text[i] == "}" and text[i - 1 : i] != "\\":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i]
    return None  # unbalanced: left as written


def rst_escape(text: str) -> str:
    """Characters that would start markup, escaped; a word-final ``_`` (a reference
    in reStructuredText, as in ``_specific_``) too."""
    escaped = "".join("\\" + c if c in _RST_MARKUP else c for c in text)
    return re.sub(r"(?<=\w)_(?!\w)", r"\\_", escaped)
