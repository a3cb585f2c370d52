"""Milestones written as the project's YAML data file, the same way every time.

The output reads like a hand-written ``data/milestones.yaml`` and diffs cleanly in git:

- milestones ordered by level (unknown levels last), then by code in natural order
  (DM-AP-2 before DM-AP-10). Not by date: dates move every month, and a file ordered by
  them would reshuffle whole entries where one line changed;
- fields in the documented order, absent fields left out, one blank line between
  milestones;
- dates unquoted ``YYYY-MM-DD``, predecessors as a flow list ``[A, B]``, text quoted only
  where YAML needs it, long text folded at a fixed width;
- comments kept from the file being updated (see :mod:`.comments`); those of milestones
  the update removes at the end of the file, under a line that says whose they were.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml
from yaml.emitter import Emitter
from yaml.resolver import Resolver

from sphinxext_ldm.importers.comments import Comments, orphaned
from sphinxext_ldm.model import MILESTONE_FIELDS, Milestone
from sphinxext_ldm.query import natural_key

#: Where PyYAML folds long text, before the 4-space indent of a milestone's fields.
WIDTH = 84
_ENTRY, _FIELD, _COMMENT = "  - ", "    ", "  "


def file_order(milestone: Milestone) -> tuple[bool, int, tuple[tuple[int, int | str], ...]]:
    """Level (unknown last), then code in natural order."""
    return milestone.level is None, milestone.level or 0, natural_key(milestone.code)


def write_milestones(
    milestones: Iterable[Milestone],
    comments: Comments | None = None,
    as_of: datetime.date | None = None,
) -> str:
    """The text of a data file holding ``milestones``, with ``comments`` put back, and
    its report date (``as_of:``, a snapshot's) when given."""
    comments = comments or Comments()
    by_code = _comments_by_code(comments)
    out = io.StringIO()
    for line in comments.header:
        out.write(line + "\n")
    if as_of is not None:
        out.write(f"as_of: {as_of.isoformat()}\n")
    ordered = sorted(milestones, key=file_order)
    key = "milestones:" if ordered else "milestones: []"
    out.write((f"{key}  {comments.milestones_line}" if comments.milestones_line else key) + "\n")
    for milestone in ordered:
        out.write("\n")
        # One entry at a time: a list of every line of a big file held several copies of it.
        out.write("\n".join(_entry(milestone, comments, by_code.get(milestone.code, _NONE))))
        out.write("\n")
    # The comments of milestones no longer in the file: at its end, not away.
    trailing = []
    for code in orphaned(comments, {m.code for m in ordered}):
        trailing.append(f"# Comments of {code}, which an import removed:")
        trailing.extend(comments.of_milestone[code])
    trailing += comments.trailing
    if trailing:
        out.write("\n")
        out.write("\n".join(_COMMENT + line for line in trailing) + "\n")
    return out.getvalue()


def field_values(milestone: Milestone) -> dict[str, object]:
    """The fields a milestone has, in the documented order."""
    values = {name: getattr(milestone, name) for name in MILESTONE_FIELDS}
    return {name: value for name, value in values.items() if value not in (None, ())}


@dataclass
class _Own:
    """One milestone's field comments: field -> lines above it, field -> inline comment."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    inline: dict[str, str] = field(default_factory=dict)


_NONE = _Own()


def _comments_by_code(comments: Comments) -> dict[str, _Own]:
    """Each milestone's field comments, found once (in the order of the file's): looking
    through every comment for each milestone took time in the product of the two."""
    found: dict[str, _Own] = {}
    for (code, name), lines in comments.fields.items():
        found.setdefault(code, _Own()).fields[name] = lines
    for (code, name), comment in comments.inline.items():
        found.setdefault(code, _Own()).inline[name] = comment
    return found


def _entry(milestone: Milestone, comments: Comments, own: _Own) -> list[str]:
    code = milestone.code
    values = field_values(milestone)
    # Comments of fields this milestone no longer has go above it, not away.
    above = list(comments.before.get(code, ()))
    for name, lines in own.fields.items():
        if name not in values or name == "code":
            above.extend(lines)
    for name, comment in own.inline.items():
        if name not in values:
            above.append(comment)
    lines = [_COMMENT + line for line in above]
    for name, value in values.items():
        if name != "code":
            lines.extend(_FIELD + line for line in own.fields.get(name, ()))
        text = scalar_lines(name, value)
        inline = own.inline.get(name)
        if inline and len(text) == 1:
            text[0] += "  " + inline
        elif inline:  # after folded text a comment would be hard to see; put it above
            lines.append(_FIELD + inline)
        first = _ENTRY if name == "code" else _FIELD
        lines.append(first + text[0])
        lines.extend(_FIELD + line if line else "" for line in text[1:])
    return lines


def scalar_lines(name: str, value: object) -> list[str]:
    """``name: value`` as YAML lines, continuation lines indented by two spaces."""
    line = _one_plain_line(name, value)
    if line is not None:
        return [line]
    if isinstance(value, tuple):
        # default_flow_style=None: the list of codes in flow style inside a block mapping
        data: dict[str, object] = {name: list(value)}
        flow: bool | None = None
    else:
        data, flow = {name: value}, False
    text = yaml.safe_dump(
        data, allow_unicode=True, width=WIDTH, sort_keys=False, default_flow_style=flow
    )
    return text.splitlines()


#: PyYAML's own judges of a scalar, as safe_dump above uses them.
_EMITTER = Emitter(io.StringIO(), allow_unicode=True)
_RESOLVER = Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _one_plain_line(name: str, value: object) -> str | None:
    """What ``yaml.safe_dump`` above writes for ``name: value`` when that is one line of
    plain scalars (most fields of most milestones), without running PyYAML's emitter:
    about ten times faster. None where it would quote, fold or wrap.

    A date or an integer is written as it is; a string is plain when PyYAML's resolver
    reads it back as a string and its analysis allows it plain in that context (block,
    or a flow list for predecessors); a line that fits in ``WIDTH`` is never folded.
    """
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        text = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        if not _plain(value, flow=False):
            return None
        text = value
    elif isinstance(value, tuple) and all(isinstance(v, str) and _plain(v, True) for v in value):
        text = "[" + ", ".join(value) + "]"
    else:
        return None
    line = f"{name}: {text}"
    return line if len(line) <= WIDTH else None


#: Text that analyze_scalar always finds plain in both contexts, one line (letters,
#: digits, spaces inside, and ``_ . / ( ) + - '`` after the first character): most
#: codes, names and WBS ids, told without its character-by-character analysis.
_SIMPLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 _./()+'-]*[A-Za-z0-9_./()+'-])?")


def _plain(text: str, flow: bool) -> bool:
    """Whether PyYAML's emitter writes ``text`` as a plain scalar (see choose_scalar_style)."""
    if _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != _STR_TAG:  # type: ignore[no-untyped-call]
        return False
    if _SIMPLE.fullmatch(text):
        return True
    analysis = _EMITTER.analyze_scalar(text)
    if analysis.empty or analysis.multiline:
        return False
    return bool(analysis.allow_flow_plain if flow else analysis.allow_block_plain)
