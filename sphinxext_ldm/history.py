"""Schedule history: the milestones as each monthly report saw them. Pure, no Sphinx.

A *snapshot* is the milestone data as of one report date (a data file with a top-level
``as_of:``, written each month by ``sphinxext-ldm import --snapshot``); the current data
file is the newest point. From the snapshots, each milestone's *series*: its forecast
(due) and completion at every report that lists it. That is what a milestone trend
analysis (MTA) chart draws and what the slip figures are made of:

- *first seen*: the first report that lists the milestone, and its forecast then;
- *slip since first seen*: today's forecast minus the first one, in days (positive:
  later);
- *slip in the last period*: the forecast now minus the forecast at the previous report
  that listed it;
- *moves*: how many times the forecast changed from one report to the next.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sphinxext_ldm.model import Catalog, Milestone

# Named tuples, not dataclasses: the build keeps every snapshot in its environment, and
# pickling 35,000 tuples costs a fraction of pickling as many dataclasses.


class Report(NamedTuple):
    """One milestone at one report date."""

    as_of: datetime.date
    due: datetime.date
    completed: datetime.date | None = None


class Entry(NamedTuple):
    """What history keeps of a milestone in a snapshot."""

    name: str
    level: int | None
    due: datetime.date
    baseline: datetime.date | None
    completed: datetime.date | None

    @classmethod
    def of(cls, m: Milestone) -> Entry:
        return cls(m.name, m.level, m.due, m.baseline, m.completed)

    def milestone(self, code: str) -> Milestone:
        return Milestone(
            code, self.name, self.due, level=self.level, baseline=self.baseline,
            completed=self.completed,
        )  # fmt: skip


@dataclass(frozen=True)
class Snapshot:
    """The milestones as of one report date (only what history needs of them)."""

    as_of: datetime.date
    entries: dict[str, Entry]
    #: The file it was read from (None for the current data); not part of equality.
    path: str | None = field(default=None, compare=False)

    @classmethod
    def of(
        cls, as_of: datetime.date, milestones: Iterable[Milestone], path: str | None = None
    ) -> Snapshot:
        return cls(as_of, {m.code: Entry.of(m) for m in milestones}, path)

    def milestones(self) -> list[Milestone]:
        """The snapshot's milestones (what history keeps of them)."""
        return [entry.milestone(code) for code, entry in self.entries.items()]

    def catalog(self) -> Catalog:
        return Catalog({m.code: m for m in self.milestones()})


@dataclass(frozen=True)
class History:
    """The snapshots in report order, the current data last, and each milestone's series."""

    snapshots: tuple[Snapshot, ...] = ()
    series: dict[str, tuple[Report, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def build(cls, snapshots: Sequence[Snapshot]) -> History:
        ordered = tuple(sorted(snapshots, key=lambda s: s.as_of))
        series: dict[str, list[Report]] = {}
        for snapshot in ordered:
            for code, entry in snapshot.entries.items():
                series.setdefault(code, []).append(
                    Report(snapshot.as_of, entry.due, entry.completed)
                )
        return cls(ordered, {code: tuple(reports) for code, reports in series.items()})

    def __bool__(self) -> bool:
        return bool(self.snapshots)

    @property
    def report_dates(self) -> list[datetime.date]:
        return [s.as_of for s in self.snapshots]

    def of(self, code: str) -> tuple[Report, ...]:
        return self.series.get(code, ())

    def first_seen(self, code: str) -> Report | None:
        reports = self.of(code)
        return reports[0] if reports else None

    def slip_since_first(self, code: str) -> int | None:
        reports = self.of(code)
        return (reports[-1].due - reports[0].due).days if reports else None

    def slip_last(self, code: str) -> int | None:
        """The slip from the previous report that listed the milestone to the last."""
        reports = self.of(code)
        return (reports[-1].due - reports[-2].due).days if len(reports) > 1 else None

    def moves(self, code: str) -> int:
        reports = self.of(code)
        return sum(1 for a, b in itertools.pairwise(reports) if a.due != b.due)

    def changed_forecasts(self, code: str) -> list[Report]:
        """The reports where the forecast was new: the first, and each that moved it."""
        reports = self.of(code)
        return [r for i, r in enumerate(reports) if i == 0 or r.due != reports[i - 1].due]

    def snapshot(self, as_of: datetime.date) -> Snapshot | None:
        return next((s for s in self.snapshots if s.as_of == as_of), None)


def with_current(
    snapshots: Sequence[Snapshot], current: Catalog, as_of: datetime.date
) -> tuple[History, list[Snapshot]]:
    """The history of ``snapshots`` with the current data as its newest point, and the
    snapshots left out: those of the same date (the current data replaces them) and those
    after it (a history cannot run past its newest point)."""
    kept = [s for s in snapshots if s.as_of < as_of]
    dropped = [s for s in snapshots if s.as_of > as_of]
    point = Snapshot.of(as_of, current)
    return History.build([*kept, point]), dropped
