"""Burndown numbers: how many milestones are still open at each month start, by plan
(baseline), forecast (due) and actual (completed). A pure function of the data."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from sphinxext_ldm.model import Milestone


@dataclass(frozen=True, slots=True)
class BurndownPoint:
    month: datetime.date  # the first day of the month
    plan: int  # open by baseline: baseline on or after this day (milestones with one)
    forecast: int  # open by forecast: due on or after this day
    actual: int | None  # not completed before this day; None after today (unknown)


def month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month start from ``first``'s month to the month after ``last``."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    months.append(day)  # the month after the last date, where every line reaches 0
    return months


def burndown(milestones: Sequence[Milestone], today: datetime.date) -> list[BurndownPoint]:
    """One point per month start over the span of the milestones' dates."""
    dates = [d for m in milestones for d in (m.baseline, m.due, m.completed) if d is not None]
    if not dates:
        return []
    points = []
    for month in month_starts(min(dates), max(dates)):
        plan = sum(1 for m in milestones if m.baseline is not None and m.baseline >= month)
        forecast = sum(1 for m in milestones if m.due >= month)
        actual = None
        if month <= today:
            actual = sum(1 for m in milestones if m.completed is None or m.completed >= month)
        points.append(BurndownPoint(month, plan, forecast, actual))
    return points


#: The three lines of a burndown, as (attribute of BurndownPoint, label), in drawing order.
SERIES = (
    ("plan", "Plan (baseline)"),
    ("forecast", "Forecast (due)"),
    ("actual", "Actual (completed)"),
)


def month_position(points: Sequence[BurndownPoint], day: datetime.date) -> float:
    """Where ``day`` falls on the chart's month axis: 0 at the first point, 1 a month on."""
    first = points[0].month
    return (day.year - first.year) * 12 + day.month - first.month + (day.day - 1) / 30


def year_label_indices(points: Sequence[BurndownPoint]) -> list[int]:
    """The points that carry a year label: each January, and the first point when its
    January is off the chart and the label does not crowd the next one."""
    return [
        i for i, p in enumerate(points) if p.month.month == 1 or (i == 0 and p.month.month <= 9)
    ]
