"""Selecting, ordering and classifying milestones: pure functions of the model."""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sphinxext_ldm.model import Catalog, Milestone, Rejected


class Status(enum.Enum):
    """A milestone's status as of a given day."""

    COMPLETED = "completed"
    LATE = "late"  # not completed, due before today
    UPCOMING = "upcoming"  # not completed, due today or later

    @property
    def label(self) -> str:
        return self.value.capitalize()


#: Status names a filter accepts; ``incomplete`` means late or upcoming.
STATUS_CHOICES: dict[str, frozenset[Status]] = {
    "completed": frozenset({Status.COMPLETED}),
    "incomplete": frozenset({Status.LATE, Status.UPCOMING}),
    "late": frozenset({Status.LATE}),
    "upcoming": frozenset({Status.UPCOMING}),
}


def status(milestone: Milestone, today: datetime.date) -> Status:
    if milestone.completed is not None:
        return Status.COMPLETED
    return Status.LATE if milestone.due < today else Status.UPCOMING


def by_due(milestone: Milestone) -> tuple[datetime.date, str]:
    """LDM-564's order: by due date, then by code."""
    return milestone.due, milestone.code


def natural_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Order codes as people read them: DM-AP-2 before DM-AP-10."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", code)
    )


def by_code(milestone: Milestone) -> tuple[tuple[int, int | str], ...]:
    return natural_key(milestone.code)


SORT_KEYS = {"due": by_due, "code": by_code}


@dataclass(frozen=True)
class MilestoneFilter:
    """Which milestones a directive shows. Empty criteria select everything."""

    levels: frozenset[int] = frozenset()
    prefixes: tuple[str, ...] = ()
    codes: frozenset[str] = frozenset()
    statuses: frozenset[Status] = frozenset()

    @property
    def depends_on_today(self) -> bool:
        """Whether the selection can change from one day to the next."""
        return bool(self.statuses) and self.statuses != frozenset(Status)

    def matches(self, milestone: Milestone, today: datetime.date) -> bool:
        if self.codes and milestone.code not in self.codes:
            return False
        if self.levels and milestone.level not in self.levels:
            return False
        if self.prefixes and not milestone.code.startswith(self.prefixes):
            return False
        return not self.statuses or status(milestone, today) in self.statuses

    def admits_rejected(self, rejected: Rejected) -> bool:
        """Whether a milestone whose data is unusable could belong to this selection
        (what it lacks is not held against it, except for status)."""
        if self.codes and rejected.code not in self.codes:
            return False
        if self.levels and rejected.level is not None and rejected.level not in self.levels:
            return False
        if self.prefixes and not rejected.code.startswith(self.prefixes):
            return False
        return not self.statuses

    def rejected(self, catalog: Catalog) -> list[Rejected]:
        """The unusable milestones this selection would show as placeholders."""
        found = (r for r in catalog.rejected.values() if self.admits_rejected(r))
        return sorted(found, key=lambda r: natural_key(r.code))

    def select(self, catalog: Catalog, today: datetime.date, order: str = "due") -> list[Milestone]:
        if self.codes and not (self.levels or self.prefixes or self.statuses):
            found: Iterable[Milestone] = (m for c in self.codes if (m := catalog.get(c)))
        else:
            found = (m for m in catalog if self.matches(m, today))
        return sorted(found, key=SORT_KEYS[order])


def contributions(catalog: Catalog, milestone: Milestone) -> list[Milestone]:
    """The lower-level milestones that deliver into ``milestone``, by due date.

    These are its predecessors at a deeper level (level 3 under a level-2 release);
    predecessors at its own level are schedule links, not contributed functionality.
    """
    found = (catalog.milestones[code] for code in milestone.predecessors)
    if milestone.level is not None:
        found = (m for m in found if m.level is not None and m.level > milestone.level)
    return sorted(found, key=by_due)


def fed_milestones(
    catalog: Catalog, milestone: Milestone, level: int, visited: set[str] | None = None
) -> list[Milestone]:
    """Milestones at ``level`` reached by following successors from ``milestone``.

    The walk stops at the first milestone of that level on each path. Every code the
    walk passes is added to ``visited`` (what the answer depends on).
    """
    found: dict[str, Milestone] = {}
    seen = {milestone.code}
    todo = list(catalog.successors.get(milestone.code, ()))
    while todo:
        code = todo.pop()
        if code in seen:
            continue
        seen.add(code)
        successor = catalog.milestones[code]
        if successor.level == level:
            found[code] = successor
        else:
            todo.extend(catalog.successors.get(code, ()))
    if visited is not None:
        visited.update(seen)
    return sorted(found.values(), key=by_due)


def neighbourhood(catalog: Catalog, code: str, depth: int) -> list[Milestone]:
    """``code`` and the milestones up to ``depth`` predecessor or successor steps away."""
    found = {code}
    frontier = {code}
    for _ in range(depth):
        step: set[str] = set()
        for current in frontier:
            step.update(catalog.milestones[current].predecessors)
            step.update(catalog.successors.get(current, ()))
        frontier = step - found
        if not frontier:
            break  # everything reachable is found; a larger depth adds nothing
        found |= frontier
    return sorted((catalog.milestones[c] for c in found), key=by_due)


def edges_within(catalog: Catalog, milestones: Iterable[Milestone]) -> list[tuple[str, str]]:
    """(predecessor, successor) pairs whose both ends are in ``milestones``."""
    codes = {m.code for m in milestones}
    return [
        (pred, code)
        for code in sorted(codes, key=natural_key)
        for pred in catalog.milestones[code].predecessors
        if pred in codes
    ]
