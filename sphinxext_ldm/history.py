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

from sphinxext_ldm.model import Catalog, Milestone


@dataclass(frozen=True, slots=True)
class Report:
    """One milestone at one report date."""

    as_of: datetime.date
    due: datetime.date
    completed: datetime.date | None = None


@dataclass(frozen=True)
class Snapshot:
    """The milestones as of one report date (only what history needs of them)."""

    as_of: datetime.date
    milestones: dict[str, Milestone]
    #: The file it was read from (None for the current data); not part of equality.
    path: str | None = field(default=None, compare=False)

    @classmethod
    def of(
        cls, as_of: datetime.date, milestones: Iterable[Milestone], path: str | None = None
    ) -> Snapshot:
        """A snapshot of ``milestones``, keeping the fields history shows: a directory of
        87 monthly snapshots of 400 milestones then costs little to keep between builds."""
        kept = {
            m.code: Milestone(
                m.code, m.name, m.due, level=m.level, baseline=m.baseline, completed=m.completed
            )
            for m in milestones
        }
        return cls(as_of, kept, path)

    def catalog(self) -> Catalog:
        return Catalog(dict(self.milestones))


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
            for code, m in snapshot.milestones.items():
                series.setdefault(code, []).append(Report(snapshot.as_of, m.due, m.completed))
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
    point = Snapshot(as_of, dict(current.milestones))
    return History.build([*kept, point]), dropped
