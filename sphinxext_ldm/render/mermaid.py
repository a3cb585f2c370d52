"""Mermaid text for milestone charts: pure functions of the model, no Sphinx.

Everything that comes from the data is written through :func:`label`, which turns
each character Mermaid could read as syntax into a numeric entity (``#58;``), and
always the first one, so that no name can start a keyword (``section``, ``click``,
``title``...), a comment or a date.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from sphinxext_ldm.model import Milestone
from sphinxext_ldm.query import Status, status
from sphinxext_ldm.render.text import chart_label

_SAFE = frozenset(string.ascii_letters + string.digits + " .,-_/+")
#: How each status is drawn: Mermaid task tags, and the mark added to the label so
#: that status never relies on colour alone.
STATUS_TAGS: dict[Status, tuple[str, str]] = {
    Status.COMPLETED: ("done", "\N{CHECK MARK}"),
    Status.LATE: ("crit", "\N{WARNING SIGN}"),
    Status.UPCOMING: ("active", ""),
}


def label(text: str) -> str:
    """``text`` as Mermaid shows it verbatim: entity-encoded where it could be syntax."""
    flat = " ".join(text.split())
    return "".join(ch if i and ch in _SAFE else f"#{ord(ch)};" for i, ch in enumerate(flat))


def href(url: str) -> str:
    """A URL that cannot end the quoted string it is written in."""
    return quote(url, safe="/#:?=&%.-_~!$'()*+,;@")


def schedule_date(milestone: Milestone, schedule: str) -> datetime.date | None:
    """The date a chart places ``milestone`` at: ``forecast`` (due) or ``baseline``."""
    return milestone.baseline if schedule == "baseline" else milestone.due


def code_prefix(code: str) -> str:
    """``DM-AP-1`` -> ``DM-AP``; ``LDM-503-02`` -> ``LDM-503``: the code minus its last part."""
    head, sep, _ = code.rpartition("-")
    return head if sep else code


GROUPERS: dict[str, Callable[[Milestone], str]] = {
    "none": lambda m: "",
    "level": lambda m: f"Level {m.level}" if m.level is not None else "Level not given",
    "prefix": lambda m: code_prefix(m.code),
    "wbs": lambda m: m.wbs or "No WBS",
}


@dataclass(frozen=True)
class GanttOptions:
    schedule: str = "forecast"
    title: str | None = None
    group_by: str = "none"
    today: datetime.date | None = None  # draws a line at this date when given
    # Mermaid (11.12 and older) makes DOM ids of task ids: unique per page, not per chart.
    id_prefix: str = "m"
    labels: str = "name"  # one of render.text.CHART_LABELS


#: Our Gantt layout: drawn 1,000 units wide whatever the screen (Mermaid would take the
#: width of the page's column, 308 px on a phone, and cut labels off at the left), so the
#: chart scales down on a desktop and scrolls sideways on a phone (ldm.css).
GANTT_WIDTH = 1000
GANTT_CONFIG = {"useWidth": GANTT_WIDTH, "fontSize": 12, "sectionFontSize": 12}
#: Mermaid's default side paddings, and the room an axis label (``2021-07`` at 10 px) needs.
GANTT_PADDING = 2 * 75
AXIS_LABEL_ROOM = 64
TICK_MONTHS = (1, 2, 3, 4, 6, 12, 24, 60)


def tick_interval(first: datetime.date, last: datetime.date, width: int = GANTT_WIDTH) -> str:
    """The finest month ticks whose labels do not overlap across ``width``."""
    months = max((last.year - first.year) * 12 + last.month - first.month, 1)
    room = max((width - GANTT_PADDING) // AXIS_LABEL_ROOM, 1)
    # One tick more than months/step can fall inside the range.
    step = next((n for n in TICK_MONTHS if months // n + 1 <= room), TICK_MONTHS[-1])
    return f"{step}month"


def gantt(
    milestones: Sequence[Milestone],
    options: GanttOptions,
    links: Mapping[str, str],
) -> str:
    """A Mermaid Gantt chart with one row per milestone, in the order given.

    ``milestones`` must all have a date on ``options.schedule``; ``links`` maps codes
    to the URL of their entry (milestones without one get no link).
    """
    dated = [(m, schedule_date(m, options.schedule)) for m in milestones]
    dates = [d for _, d in dated if d is not None]
    lines = ["gantt", "    dateFormat YYYY-MM-DD", "    axisFormat %Y-%m", "    todayMarker off"]
    if dates:
        lines.append(f"    tickInterval {tick_interval(min(dates), max(dates))}")
    if options.title:
        lines.append(f"    title {label(options.title)}")
    group = GROUPERS[options.group_by]
    current: str | None = None
    clicks = []
    for index, (milestone, day) in enumerate(dated, start=1):
        if day is None:
            continue
        section = group(milestone)
        if section and section != current:
            lines.append(f"    section {label(section)}")
            current = section
        state = status(milestone, options.today or datetime.date.max)
        tag, mark = STATUS_TAGS[state]
        name = chart_label(milestone, options.labels)
        text = label(f"{name} {mark}" if mark else name)
        task_id = f"{options.id_prefix}{index}"
        # No space before the colon: Mermaid would keep it in the label.
        lines.append(f"    {text}:milestone, {tag}, {task_id}, {day.isoformat()}, 0d")
        if milestone.code in links:
            clicks.append(f'    click {task_id} href "{href(links[milestone.code])}"')
    if options.today is not None and dates and min(dates) <= options.today <= max(dates):
        lines.append(f"    {label('Today')}:vert, today, {options.today.isoformat()}, 0d")
    return "\n".join(lines + clicks) + "\n"


def graph_label(milestone: Milestone, labels: str, mark: str) -> list[str]:
    """A graph node's lines: code over name for ``code-name``, else one line."""
    name = milestone.short_name or milestone.name
    lines = [milestone.code, name] if labels == "code-name" else [chart_label(milestone, labels)]
    if mark:
        lines[-1] += f" {mark}"
    return lines


#: Flowchart node styles per status: line weight and dashes, never colours, so that the
#: theme (light or dark) keeps control of colour.
FLOWCHART_CLASSES: dict[Status, str] = {
    Status.COMPLETED: "stroke-width:1px",
    Status.LATE: "stroke-width:4px",
    Status.UPCOMING: "stroke-dasharray:6 4",
}
DIRECTIONS = ("LR", "TB", "RL", "BT")


def flowchart(
    milestones: Sequence[Milestone],
    edges: Sequence[tuple[str, str]],
    links: Mapping[str, str],
    today: datetime.date,
    direction: str = "LR",
    id_prefix: str = "n",
    labels: str = "code-name",
) -> str:
    """A Mermaid flowchart: one node per milestone, an arrow from each predecessor to its
    successor (``edges`` as (predecessor, successor) code pairs); node ids start with
    ``id_prefix``, unique per page as for :func:`gantt`."""
    ids = {m.code: f"{id_prefix}{index}" for index, m in enumerate(milestones, start=1)}
    lines = [f"flowchart {direction}"]
    used: set[Status] = set()
    for milestone in milestones:
        state = status(milestone, today)
        used.add(state)
        mark = STATUS_TAGS[state][1]
        text = "<br>".join(label(part) for part in graph_label(milestone, labels, mark))
        lines.append(f'    {ids[milestone.code]}["{text}"]:::{state.value}')
    lines.extend(f"    {ids[a]} --> {ids[b]}" for a, b in edges if a in ids and b in ids)
    lines.extend(
        f"    classDef {state.value} {style}"
        for state, style in FLOWCHART_CLASSES.items()
        if state in used
    )
    lines.extend(
        f'    click {ids[code]} href "{href(url)}"' for code, url in links.items() if code in ids
    )
    return "\n".join(lines) + "\n"
