"""Selecting, ordering and classifying milestones: pure functions of the model."""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sphinxext_ldm.history import History
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


#: Which date a release section shows: ``forecast`` (due), or ``baseline``, the baseline
#: where a milestone has one and the forecast otherwise, as the 2019 editions did (the
#: original tool read ``base_end_date``, then ``end_date``).
DATE_CHOICES = ("forecast", "baseline")


def shown_date(milestone: Milestone, dates: str = "forecast") -> datetime.date:
    """The date a release section shows for ``milestone`` (see :data:`DATE_CHOICES`)."""
    if dates == "baseline" and milestone.baseline is not None:
        return milestone.baseline
    return milestone.due


def by_shown_date(dates: str) -> Callable[[Milestone], tuple[datetime.date, str]]:
    """The original tool's order of sections and features: the shown date, then code."""
    return lambda milestone: (shown_date(milestone, dates), milestone.code)


@dataclass(frozen=True)
class SectionStyle:
    """How release sections choose their features and date them.

    Features are a section's predecessors at a deeper level, or, with
    ``feature_prefixes``, its predecessors whose codes start with one of them, at any
    level (the original tool: ``DM-``).
    """

    feature_prefixes: tuple[str, ...] = ()
    dates: str = "forecast"


def natural_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Order codes as people read them: DM-AP-2 before DM-AP-10."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", code)
    )


def by_code(milestone: Milestone) -> tuple[tuple[int, int | str], ...]:
    return natural_key(milestone.code)


def by_slip(milestone: Milestone) -> tuple[int, datetime.date, str]:
    """Largest slip first; milestones without a baseline last."""
    days = slip(milestone)
    return (-days if days is not None else 1 << 30), milestone.due, milestone.code


def by_completed(milestone: Milestone) -> tuple[int, str]:
    """Most recently completed first; incomplete ones last."""
    day = milestone.completed or datetime.date.min
    return -day.toordinal(), milestone.code


SORT_KEYS = {"due": by_due, "code": by_code, "slip": by_slip, "completed": by_completed}
#: Orders by the schedule's history: largest first, milestones without history last.
HISTORY_SORTS = ("slip-first", "slip-last", "moves")


def history_order(history: History, order: str) -> Callable[[Milestone], tuple[int, ...]]:
    """The key of a :data:`HISTORY_SORTS` order (then due date, then code)."""
    figure: Callable[[str], int | None] = {
        "slip-first": history.slip_since_first,
        "slip-last": history.slip_last,
        "moves": history.moves,
    }[order]

    def key(milestone: Milestone) -> tuple[int, ...]:
        value = figure(milestone.code) if history.of(milestone.code) else None
        missing = value is None
        return missing, -(value or 0), milestone.due.toordinal()

    return key


_WINDOW = re.compile(r"(next|last)\s+(\d+)\s+(day|week|month)s?", re.IGNORECASE)
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})?\s*\.\.\s*(\d{4}-\d{2}-\d{2})?")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}


@dataclass(frozen=True)
class DateWindow:
    """A span of days: fixed (``2021-01-01..2021-06-30``, either end open) or relative to
    today (``next 90 days``, ``last 6 months``, a month counting 30 days)."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    relative: tuple[str, int] | None = None  # ("next" | "last", days)

    @classmethod
    def parse(cls, text: str) -> DateWindow:
        """The window ``text`` describes; ValueError when it describes none."""
        text = text.strip()
        if match := _WINDOW.fullmatch(text):
            days = int(match[2]) * _UNIT_DAYS[match[3].lower()]
            return cls(relative=(match[1].lower(), days))
        if (match := _RANGE.fullmatch(text)) and (match[1] or match[2]):
            start = datetime.date.fromisoformat(match[1]) if match[1] else None
            end = datetime.date.fromisoformat(match[2]) if match[2] else None
            return cls(start, end)
        raise ValueError(
            f"not a window: {text!r} (write 'next 90 days', 'last 6 months' or "
            "'2021-01-01..2021-06-30')"
        )

    def bounds(self, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
        if self.relative is None:
            return self.start, self.end
        direction, days = self.relative
        if direction == "next":
            return today, _shift(today, days)
        return _shift(today, -days), today

    def contains(self, day: datetime.date | None, today: datetime.date) -> bool:
        if day is None:
            return False
        start, end = self.bounds(today)
        return (start is None or day >= start) and (end is None or day <= end)


def _shift(day: datetime.date, days: int) -> datetime.date:
    """``day`` moved by ``days``, at most to the first or last date there is (a window
    of 99,999,999 days is every date, not a crash)."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def slip(milestone: Milestone) -> int | None:
    """Days the forecast (due) lies after the baseline; None without a baseline."""
    if milestone.baseline is None:
        return None
    return (milestone.due - milestone.baseline).days


@dataclass(frozen=True)
class MilestoneFilter:
    """Which milestones a directive shows. Empty criteria select everything."""

    levels: frozenset[int] = frozenset()
    prefixes: tuple[str, ...] = ()
    codes: frozenset[str] = frozenset()
    statuses: frozenset[Status] = frozenset()
    due: DateWindow | None = None
    completed: DateWindow | None = None
    slipped: bool = False  # only milestones now due after their baseline

    @property
    def depends_on_today(self) -> bool:
        """Whether the selection can change from one day to the next."""
        relative = any(w is not None and w.relative for w in (self.due, self.completed))
        return relative or (bool(self.statuses) and self.statuses != frozenset(Status))

    def matches(self, milestone: Milestone, today: datetime.date) -> bool:
        if self.codes and milestone.code not in self.codes:
            return False
        if self.levels and milestone.level not in self.levels:
            return False
        if self.prefixes and not milestone.code.startswith(self.prefixes):
            return False
        if self.due is not None and not self.due.contains(milestone.due, today):
            return False
        if self.completed is not None and not self.completed.contains(milestone.completed, today):
            return False
        if self.slipped and not (slip(milestone) or 0) > 0:
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
        return not (self.statuses or self.due or self.completed or self.slipped)

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


def contributions(
    catalog: Catalog, milestone: Milestone, style: SectionStyle | None = None
) -> list[Milestone]:
    """The milestones that deliver into ``milestone``: its features, by shown date.

    By default these are its predecessors at a deeper level (level 3 under a level-2
    release): predecessors at its own level are schedule links, not contributed
    functionality. ``style`` can choose them by code prefix instead.
    """
    style = style or SectionStyle()
    found = (catalog.milestones[code] for code in milestone.predecessors)
    if style.feature_prefixes:
        found = (m for m in found if m.code.startswith(style.feature_prefixes))
    elif milestone.level is not None:
        found = (m for m in found if m.level is not None and m.level > milestone.level)
    return sorted(found, key=by_shown_date(style.dates))


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
