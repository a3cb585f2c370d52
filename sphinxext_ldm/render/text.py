"""Plain-text phrases about milestones, as LDM-564 words them.

One place for every date format and sentence, so HTML, LaTeX and text output agree.
"""

from __future__ import annotations

import datetime

from sphinxext_ldm.model import Milestone
from sphinxext_ldm.query import shown_date

#: What a chart labels each milestone with (``:labels:``).
CHART_LABELS = ("name", "code", "code-name")


def chart_label(milestone: Milestone, style: str = "name") -> str:
    """A milestone's label in a chart: its short name (or name), its code, or both."""
    name = milestone.short_name or milestone.name
    if style == "code":
        return milestone.code
    if style == "code-name":
        return f"{milestone.code} {name}"
    return name


def iso(day: datetime.date | None) -> str:
    """Dates are always ISO 8601, as in LDM-564."""
    return day.isoformat() if day is not None else ""


def due_phrase(milestone: Milestone, dates: str = "forecast") -> str:
    """``Due: 2017-12-01; completed 2017-12-01`` or ``Due: ...; currently incomplete``,
    with the date ``dates`` chooses (:func:`~sphinxext_ldm.query.shown_date`)."""
    due = iso(shown_date(milestone, dates))
    if milestone.completed is None:
        return f"Due: {due}; currently incomplete"
    return f"Due: {due}; completed {iso(milestone.completed)}"


def signed_days(count: int | None) -> str:
    """A slip: ``+30 days`` (later), ``-7 days`` (earlier), ``0 days``, or an em dash
    where there is no figure."""
    if count is None:
        return "\N{EM DASH}"
    return f"{count:+d} days" if count else "0 days"


def section_title(milestone: Milestone) -> str:
    """A release section's title: ``HSC reprocessing: LDM-503-02``."""
    return f"{milestone.name}: {milestone.code}"


def reference_text(milestone: Milestone, template: str) -> str:
    """The text of a milestone reference, from ``ldm_reference_format``."""
    return template.format(code=milestone.code, name=milestone.name)


def link_title(milestone: Milestone) -> str:
    """The tooltip of a link to a milestone: its code and name."""
    return f"{milestone.code}: {milestone.name}"
