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
from collections.abc import Iterable

import yaml

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
    out = list(comments.header)
    if as_of is not None:
        out.append(f"as_of: {as_of.isoformat()}")
    ordered = sorted(milestones, key=file_order)
    key = "milestones:" if ordered else "milestones: []"
    out.append(f"{key}  {comments.milestones_line}" if comments.milestones_line else key)
    for milestone in ordered:
        out.append("")
        out.extend(_entry(milestone, comments))
    # The comments of milestones no longer in the file: at its end, not away.
    trailing = []
    for code in orphaned(comments, {m.code for m in ordered}):
        trailing.append(f"# Comments of {code}, which an import removed:")
        trailing.extend(comments.of_milestone[code])
    trailing += comments.trailing
    if trailing:
        out.append("")
        out.extend(_COMMENT + line for line in trailing)
    return "\n".join(out) + "\n"


def field_values(milestone: Milestone) -> dict[str, object]:
    """The fields a milestone has, in the documented order."""
    values = {name: getattr(milestone, name) for name in MILESTONE_FIELDS}
    return {name: value for name, value in values.items() if value not in (None, ())}


def _entry(milestone: Milestone, comments: Comments) -> list[str]:
    code = milestone.code
    values = field_values(milestone)
    # Comments of fields this milestone no longer has go above it, not away.
    above = list(comments.before.get(code, ()))
    for (owner, name), lines in comments.fields.items():
        if owner == code and (name not in values or name == "code"):
            above.extend(lines)
    for (owner, name), comment in comments.inline.items():
        if owner == code and name not in values:
            above.append(comment)
    lines = [_COMMENT + line for line in above]
    for name, value in values.items():
        if name != "code":
            lines.extend(_FIELD + line for line in comments.fields.get((code, name), ()))
        text = scalar_lines(name, value)
        inline = comments.inline.get((code, name))
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
