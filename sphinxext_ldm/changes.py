"""What an update of the milestone data changed: a pure function of two catalogs, and
the report of it as an outline that every format renders the same way.

Reported: milestones added and removed, newly completed, completions withdrawn, due
dates moved (with the slip in days: ``+30`` is later, ``-7`` earlier), and renamed.
Each list is in natural code order, so the same update always reads the same.

The outline (:func:`report`) is a list of blocks made of parts: codes, data text (names,
which may hold anything an export's task name holds) and the report's own words. The
text formats (:mod:`sphinxext_ldm.render.changes`: reStructuredText, Markdown, the
terminal) escape each part for their format; the build's ``ldm-changes`` makes docutils
nodes of it, codes as links. One outline, so they all say the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.query import natural_key
from sphinxext_ldm.render.text import iso


@dataclass(frozen=True, slots=True)
class DueMove:
    code: str
    name: str
    old: datetime.date
    new: datetime.date

    @property
    def days(self) -> int:
        """The slip: positive when the milestone is now due later."""
        return (self.new - self.old).days


@dataclass(frozen=True, slots=True)
class Rename:
    code: str
    old: str
    new: str


@dataclass(frozen=True)
class Changes:
    added: tuple[Milestone, ...] = ()
    removed: tuple[Milestone, ...] = ()
    completed: tuple[Milestone, ...] = ()
    #: Completed before, not any more (the new data has no completion date).
    reopened: tuple[Milestone, ...] = ()
    moved: tuple[DueMove, ...] = ()
    renamed: tuple[Rename, ...] = ()

    def __bool__(self) -> bool:
        return any(
            (self.added, self.removed, self.completed, self.reopened, self.moved, self.renamed)
        )

    def counts(self) -> str:
        """``3 added, 1 removed, ...``, or ``no changes``."""
        parts = [
            (len(self.added), "added"),
            (len(self.removed), "removed"),
            (len(self.completed), "newly completed"),
            (len(self.reopened), "no longer completed"),
            (len(self.moved), "due date(s) moved"),
            (len(self.renamed), "renamed"),
        ]
        said = [f"{n} {what}" for n, what in parts if n]
        return ", ".join(said) if said else "no changes"


def compare(old: Catalog, new: Catalog) -> Changes:
    """The changes from ``old`` to ``new``."""

    def ordered(codes: set[str], catalog: Catalog) -> tuple[Milestone, ...]:
        return tuple(catalog.milestones[c] for c in sorted(codes, key=natural_key))

    both = sorted(set(old.milestones) & set(new.milestones), key=natural_key)
    pairs = [(old.milestones[code], new.milestones[code]) for code in both]
    return Changes(
        added=ordered(set(new.milestones) - set(old.milestones), new),
        removed=ordered(set(old.milestones) - set(new.milestones), old),
        completed=tuple(b for a, b in pairs if a.completed is None and b.completed is not None),
        reopened=tuple(b for a, b in pairs if a.completed is not None and b.completed is None),
        moved=tuple(DueMove(b.code, b.name, a.due, b.due) for a, b in pairs if a.due != b.due),
        renamed=tuple(Rename(b.code, a.name, b.name) for a, b in pairs if a.name != b.name),
    )


# -- the report, as an outline -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Code:
    """A milestone code."""

    text: str


@dataclass(frozen=True, slots=True)
class Data:
    """Text from the data (a name): shown as written, never as markup."""

    text: str


#: A run of text: the report's own words are plain ``str``.
Part = str | Code | Data
Line = tuple[Part, ...]


@dataclass(frozen=True)
class Lead:
    """The first sentence: ``<intro>: <counts>.``"""

    parts: Line


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Items:
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Line, ...]  # one part per cell


Block = Lead | Heading | Items | Table


def report(changes: Changes, intro: str = "") -> list[Block]:
    """The report of ``changes``, after a first sentence ``<intro>: <counts>.`` (``intro``
    names files or dates; it is data text)."""
    counts = changes.counts()
    lead: Line = (Data(intro), f": {counts}.") if intro else (counts.capitalize() + ".",)
    blocks: list[Block] = [Lead(lead)]
    lists = [
        ("Added", [_described(m, "due") for m in changes.added]),
        ("Removed", [_described(m, "was due") for m in changes.removed]),
        ("Newly completed", [_completed(m) for m in changes.completed]),
        ("No longer completed", [_described(m, "due") for m in changes.reopened]),
    ]
    for heading, lines in lists:
        if lines:
            blocks += [Heading(f"{heading} ({len(lines)})"), Items(tuple(lines))]
    if changes.moved:
        rows = tuple(
            (Code(m.code), iso(m.old), iso(m.new), f"{m.days:+d}", Data(m.name))
            for m in changes.moved
        )
        header = ("Code", "Was due", "Now due", "Slip (days)", "Name")
        blocks += [Heading(f"Due dates moved ({len(rows)})"), Table(header, rows)]
    if changes.renamed:
        renames = tuple((Code(r.code), Data(r.old), Data(r.new)) for r in changes.renamed)
        blocks += [Heading(f"Renamed ({len(renames)})"), Table(("Code", "Was", "Now"), renames)]
    return blocks


def _described(m: Milestone, due: str) -> Line:
    level = f"level {m.level}, " if m.level is not None else ""
    return (Code(m.code), " ", Data(m.name), f" ({level}{due} {iso(m.due)})")


def _completed(m: Milestone) -> Line:
    done = iso(m.completed) if m.completed else ""
    return (Code(m.code), " ", Data(m.name), f": completed {done} (due {iso(m.due)})")
