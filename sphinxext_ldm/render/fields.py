"""What a catalogue entry's field list says, as data: one place for the fields, read by
the docutils renderer (every builder) and the HTML renderer (the fast path for HTML).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sphinxext_ldm.history import History
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.query import fed_milestones, status
from sphinxext_ldm.render.text import iso, signed_days


@dataclass(frozen=True)
class MilestoneLink:
    """A link to a milestone's canonical entry, showing its code."""

    code: str


@dataclass(frozen=True)
class ExternalLink:
    text: str
    url: str
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Styled:
    """Text with classes (the status, whose class gives it a colour next to its words)."""

    text: str
    classes: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """Text marking data that could not be used, shown as docutils shows problems."""

    text: str


#: A field value is a run of these; plain ``str`` is text.
Part = str | MilestoneLink | ExternalLink | Styled | Problem


@dataclass(frozen=True)
class Field:
    label: str
    parts: tuple[Part, ...]


def milestone_links(codes: Iterable[str]) -> list[Part]:
    """Comma-separated links, or an em dash when there are none."""
    parts: list[Part] = []
    for code in codes:
        if parts:
            parts.append(", ")
        parts.append(MilestoneLink(code))
    return parts or ["\N{EM DASH}"]


def jira_part(key: str, url_template: str | None) -> Part:
    """A Jira key, linked when ``ldm_jira_url`` gives a URL template."""
    return ExternalLink(key, url_template.format(key=key)) if url_template else key


def catalogue_fields(
    catalog: Catalog,
    milestone: Milestone,
    today: datetime.date,
    jira_url: str | None,
    edit_url: str | None = None,
    history: History | None = None,
    sections: Sequence[tuple[str, str]] = (),
) -> list[Field]:
    """Every field of a milestone, with its links to related milestones, the release
    sections that show it (``sections``: link text and URL), and its history where there
    is one.

    What it shows depends on the milestones in :func:`catalogue_dependencies`.
    """
    fields: list[Field] = []

    def add(label: str, *parts: Part) -> None:
        fields.append(Field(label, parts))

    if milestone.short_name:
        add("Short name", milestone.short_name)
    add("Level", str(milestone.level) if milestone.level is not None else "not given")
    add("Due", iso(milestone.due))
    if milestone.baseline is not None:
        add("Baseline", iso(milestone.baseline))
    add("Completed", iso(milestone.completed) if milestone.completed else "not completed")
    state = status(milestone, today)
    label = f"{state.label} (as of {iso(today)})"
    add("Status", Styled(label, ("ldm-status", f"ldm-status-{state.value}")))
    if milestone.wbs:
        add("WBS", milestone.wbs)
    if milestone.jira:
        add("Jira", jira_part(milestone.jira, jira_url))
    if milestone.test_spec:
        add("Test specification", milestone.test_spec)
    predecessors = milestone_links(milestone.predecessors)
    for code in catalog.rejected_links.get(milestone.code, ()):
        predecessors.append(Problem(f" [{code}: invalid data]"))
    add("Predecessors", *predecessors)
    add("Successors", *milestone_links(catalog.successors.get(milestone.code, ())))
    if milestone.level != 2:
        fed = [m.code for m in fed_milestones(catalog, milestone, level=2)]
        add("Feeds level 2", *milestone_links(fed))
    if sections:
        links: list[Part] = []
        for text, url in sections:
            links.extend([", "] if links else [])
            links.append(ExternalLink(text, url, ("ldm-section-link",)))
        add("Release section" if len(sections) == 1 else "Release sections", *links)
    if history:
        fields.extend(history_fields(history, milestone.code))
    if edit_url and milestone.line:
        where = f"{os.path.basename(milestone.path or '')} line {milestone.line}"
        add("Data", ExternalLink(where, edit_url.format(line=milestone.line), ("ldm-edit",)))
    return fields


def history_fields(history: History, code: str) -> list[Field]:
    """First seen, the forecasts (where they changed), slips and moves of ``code``."""
    reports = history.of(code)
    if not reports:
        return []
    first = reports[0]
    changes = history.changed_forecasts(code)
    forecasts = "; ".join(f"{iso(r.as_of)}: {iso(r.due)}" for r in changes)
    unchanged = len(reports) - len(changes)
    if unchanged:
        forecasts += f" (unchanged at the other {unchanged} of {len(reports)} reports)"
    slips = [f"{signed_days(history.slip_since_first(code))} since first seen"]
    if len(reports) > 1:
        previous = reports[-2].as_of
        slips.append(
            f"{signed_days(history.slip_last(code))} since the previous report ({iso(previous)})"
        )
    moves = history.moves(code)
    slips.append(f"moved {moves} time{'s' if moves != 1 else ''}")
    return [
        Field("First seen", (f"{iso(first.as_of)}, due {iso(first.due)}",)),
        Field("Forecasts", (forecasts,)),
        Field("Slip", ("; ".join(slips),)),
    ]


def catalogue_dependencies(catalog: Catalog, milestone: Milestone) -> set[str]:
    """The codes whose data :func:`catalogue_fields` shows or walks through."""
    codes = set(milestone.predecessors)
    codes.update(catalog.successors.get(milestone.code, ()))
    if milestone.level != 2:
        fed_milestones(catalog, milestone, level=2, visited=codes)
    return codes


def catalogue_free_text(milestone: Milestone) -> list[str]:
    """The fields :func:`catalogue_fields` shows as the data wrote them (the others are
    dates, codes, links and words of its own), for finding acronyms in them."""
    return [text for text in (milestone.short_name, milestone.wbs, milestone.test_spec) if text]
