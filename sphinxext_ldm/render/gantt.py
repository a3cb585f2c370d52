"""A Gantt chart of milestones drawn at build time as SVG: a pure function of the model,
no Sphinx, no script.

One row per milestone: a hollow diamond at its baseline, a filled one at its forecast
(due) date and a line between them for the slip; a check mark beside a completed
milestone (and the status marks of the Mermaid charts after its label); arrows from
predecessors in the chart; a dashed line at today; years and months across the top. Row
labels stand in a column at the left that is as wide as the longest label needs, so none
is cut. Everything is drawn in ``currentColor`` with presentation attributes and classes
(no ``style`` attribute, no script: CSP-safe), so light and dark themes and print alike
set its colour; each row is a link to the milestone's entry with a ``<title>`` on every
mark.
"""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from sphinxext_ldm.model import Milestone
from sphinxext_ldm.query import Status, slip, status
from sphinxext_ldm.render.mermaid import GROUPERS, STATUS_TAGS, GanttOptions, schedule_date
from sphinxext_ldm.render.svg import linked_group
from sphinxext_ldm.render.text import chart_label, iso, signed_days

FONT_SIZE = 11
#: Month letters in the axis: smaller, but never under 10 px at the chart's natural size.
SMALL_FONT_SIZE = 10
ROW_HEIGHT = 22
PAD = 8  # around the chart, and between the label column and the plot
TITLE_HEIGHT = 22
YEAR_HEIGHT = 16
MONTH_HEIGHT = 14
TODAY_HEIGHT = 18  # the today line's label, below the rows
MARK_RADIUS = 5.5  # half the diagonal of a diamond
#: Room right of the plot for a mark (and its check mark) on the last day.
RIGHT = 24
#: The plot's width is about this, whatever the span, within the month widths below.
PLOT_TARGET = 440
MIN_MONTH = 5.0  # px per month: below this the chart grows and its box scrolls
MAX_MONTH = 48.0
#: Month labels need this much room each: a letter at 10 px, or a three-letter name.
LETTER_MONTH, NAME_MONTH = 12.0, 30.0
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Row:
    """One row: a milestone's marks, or (``milestone`` None) a group header."""

    label: str
    y: float  # the row's centre line
    milestone: Milestone | None = None
    status: Status | None = None
    #: The date the row is placed at (``:schedule:``): where arrows start and end.
    day: datetime.date | None = None
    url: str | None = None


@dataclass(frozen=True)
class Arrow:
    """From a predecessor's mark to its successor's, both rows in the chart."""

    source: str
    target: str
    start: tuple[float, float]
    end: tuple[float, float]


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in SVG units (y grows downwards); 1 unit is 1 CSS pixel
    at the chart's natural size."""

    first: datetime.date  # the first day of the first month shown
    end: datetime.date  # the first day after the last month shown
    plot_left: float
    plot_width: float
    top: float  # the first row's top edge
    rows: tuple[Row, ...] = ()
    arrows: tuple[Arrow, ...] = ()
    today: datetime.date | None = None  # inside the chart's span, or None
    title: str | None = None

    @property
    def width(self) -> float:
        return self.plot_left + self.plot_width + RIGHT

    @property
    def rows_bottom(self) -> float:
        return self.top + ROW_HEIGHT * len(self.rows)

    @property
    def height(self) -> float:
        return self.rows_bottom + (TODAY_HEIGHT if self.today else 0) + PAD

    @property
    def axis_top(self) -> float:
        return PAD + (TITLE_HEIGHT if self.title else 0)

    @property
    def month_width(self) -> float:
        return self.plot_width / months_between(self.first, self.end)

    def x(self, day: datetime.date) -> float:
        span = (self.end - self.first).days
        return self.plot_left + self.plot_width * (day - self.first).days / span

    def months(self) -> list[datetime.date]:
        """The first day of every month shown."""
        return [add_months(self.first, n) for n in range(months_between(self.first, self.end))]


def add_months(day: datetime.date, count: int) -> datetime.date:
    """The first day of the month ``count`` months after ``day``'s."""
    index = day.year * 12 + day.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, end: datetime.date) -> int:
    return (end.year - first.year) * 12 + end.month - first.month


#: Advance widths in em of DejaVu Sans, the widest of the usual sans-serif defaults
#: (Liberation Sans, Arial, Helvetica, Roboto are narrower): estimates from it err wide,
#: so the label column is never too narrow for its text in the reader's font.
_EM = {
    **dict.fromkeys("ijl", 0.28),
    **dict.fromkeys("ft", 0.40),
    "r": 0.42,
    **dict.fromkeys("sz", 0.53),
    **dict.fromkeys("cvxyk", 0.60),
    **dict.fromkeys("abdeghnopqu", 0.64),
    "w": 0.82,
    "m": 0.98,
    **dict.fromkeys("IJ", 0.30),
    **dict.fromkeys("FLPTYZ", 0.63),
    **dict.fromkeys("ABEKRSVX", 0.70),
    **dict.fromkeys("CDGHNOQU", 0.79),
    "M": 0.87,
    "W": 0.99,
    **dict.fromkeys("0123456789", 0.64),
    **dict.fromkeys(" .,:;'|!", 0.34),
    **dict.fromkeys("()[]{}/\\-", 0.40),
    **dict.fromkeys('"*^`_?', 0.53),
    **dict.fromkeys("#&<>=+~$", 0.84),
    **dict.fromkeys("%@", 1.0),
}


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """About how wide ``text`` is drawn at ``size`` px, erring wide."""
    width = 0.0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        if ch in _EM:
            em = _EM[ch]
        elif unicodedata.east_asian_width(ch) in "WF" or ord(ch) > 0xFFFF:
            em = 1.05  # ideographs, emoji
        else:
            em = 0.8  # other letters and symbols, such as the status marks
        width += em * size
    return width


def row_text(row: Row) -> str:
    """A row's label as drawn: with the status mark the legend explains."""
    if row.status is None:
        return row.label
    mark = STATUS_TAGS[row.status][1]
    return f"{row.label} {mark}" if mark else row.label


def layout(
    milestones: Sequence[Milestone],
    options: GanttOptions,
    links: Mapping[str, str],
) -> Layout | None:
    """The chart's layout, one row per milestone in the order given (a header row before
    each change of group), or None when none has a date on ``options.schedule``."""
    dated = [(m, day) for m in milestones if (day := schedule_date(m, options.schedule))]
    if not dated:
        return None
    days = [d for m, _ in dated for d in (m.baseline, m.due) if d is not None]
    first = datetime.date(min(days).year, min(days).month, 1)
    end = add_months(max(days), 1)
    months = months_between(first, end)
    month_width = min(MAX_MONTH, max(MIN_MONTH, PLOT_TARGET / months))
    today = options.today
    group = GROUPERS[options.group_by]
    labelled: list[tuple[str, Milestone | None, datetime.date | None]] = []
    current = None
    for milestone, day in dated:
        section = group(milestone)
        if section and section != current:
            labelled.append((section, None, None))
            current = section
        labelled.append((chart_label(milestone, options.labels), milestone, day))
    title = options.title or None
    top = PAD + (TITLE_HEIGHT if title else 0) + YEAR_HEIGHT + MONTH_HEIGHT
    rows = []
    for index, (text, shown, day) in enumerate(labelled):
        y = top + ROW_HEIGHT * (index + 0.5)
        if shown is None:
            rows.append(Row(text, y))
            continue
        state = status(shown, today or datetime.date.max)
        rows.append(Row(text, y, shown, state, day, links.get(shown.code)))
    # Group headers are bold: a tenth wider.
    widest = max(text_width(row_text(r)) * (1 if r.milestone else 1.1) for r in rows)
    plan = Layout(
        first,
        end,
        plot_left=PAD + widest + PAD,
        plot_width=months * month_width,
        top=top,
        rows=tuple(rows),
        today=today if today is not None and first <= today < end else None,
        title=title,
    )
    return dataclasses.replace(plan, arrows=tuple(arrows(plan)))


def arrows(plan: Layout) -> list[Arrow]:
    """An arrow from each predecessor's mark to its successor's, where both are rows."""
    placed = {r.milestone.code: r for r in plan.rows if r.milestone is not None and r.day}
    out = []
    for row in placed.values():
        assert row.milestone is not None and row.day is not None
        for code in row.milestone.predecessors:
            source = placed.get(code)
            if source is None or source.day is None:
                continue
            start = (plan.x(source.day) + MARK_RADIUS, source.y)
            end = (plan.x(row.day) - MARK_RADIUS - 1, row.y)
            out.append(Arrow(code, row.milestone.code, start, end))
    return out


# -- SVG -------------------------------------------------------------------------------------


def gantt_svg(plan: Layout, title: str) -> str:
    """The chart as an ``<svg>`` element at its natural size (``title`` names it for
    assistive technology)."""
    width, height = f"{plan.width:.0f}", f"{plan.height:.0f}"
    parts = [
        f'<svg class="ldm-gantt" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'role="group" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="{FONT_SIZE}" fill="currentColor">',
        f"<title>{escape(title)}</title>",
    ]
    if plan.title:
        parts.append(
            f'<text class="ldm-gantt-title" x="{plan.width / 2:.1f}" y="{PAD + 14}" '
            f'text-anchor="middle" font-size="{FONT_SIZE + 2}" font-weight="bold">'
            f"{escape(plan.title)}</text>"
        )
    parts += _svg_axis(plan)
    parts += _svg_arrows(plan)
    parts += [_svg_row(plan, index, row) for index, row in enumerate(plan.rows)]
    if plan.today is not None:
        parts += _svg_today(plan, plan.today)
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_axis(plan: Layout) -> list[str]:
    """Years, then months, across the top; a grid line at every year and month."""
    top, bottom = plan.axis_top, plan.rows_bottom
    month_top = top + YEAR_HEIGHT
    right = plan.plot_left + plan.plot_width
    parts = [
        '<g class="ldm-gantt-axis" fill="none" stroke="currentColor">',
        f'<path d="M{plan.plot_left:.1f} {plan.top:.1f}H{right:.1f}" stroke-width="1"/>',
    ]
    for month in plan.months():
        x = plan.x(month)
        if month.month == 1 or month == plan.first:
            parts.append(
                f'<line class="ldm-gantt-year-line" x1="{x:.1f}" y1="{top:.1f}" '
                f'x2="{x:.1f}" y2="{bottom:.1f}" stroke-width="1" stroke-opacity="0.35"/>'
            )
        else:
            # A tick under the month labels; the grid line faint, where months are wide.
            y2 = bottom if plan.month_width >= LETTER_MONTH else plan.top
            parts.append(
                f'<line class="ldm-gantt-month-line" x1="{x:.1f}" y1="{month_top:.1f}" '
                f'x2="{x:.1f}" y2="{y2:.1f}" stroke-width="0.5" stroke-opacity="0.25"/>'
            )
    end_x = plan.x(plan.end)
    parts.append(
        f'<line class="ldm-gantt-year-line" x1="{end_x:.1f}" y1="{top:.1f}" '
        f'x2="{end_x:.1f}" y2="{bottom:.1f}" stroke-width="1" stroke-opacity="0.35"/>'
    )
    parts.append("</g>")
    parts.append('<g class="ldm-gantt-ticks">')
    for year in range(plan.first.year, plan.end.year + 1):
        start = max(plan.first, datetime.date(year, 1, 1))
        stop = min(plan.end, datetime.date(year + 1, 1, 1))
        if start >= stop:
            continue
        left, span = plan.x(start), plan.x(stop) - plan.x(start)
        # Centred on the year; a year cut too short for its number keeps its grid line.
        if span < text_width(str(year)) + 4:
            continue
        x, anchor = left + span / 2, "middle"
        parts.append(
            f'<text class="ldm-gantt-year" x="{x:.1f}" y="{top + 12:.1f}" '
            f'text-anchor="{anchor}">{year}</text>'
        )
    if plan.month_width >= LETTER_MONTH:
        for month in plan.months():
            name = MONTH_NAMES[month.month - 1]
            text = name if plan.month_width >= NAME_MONTH else name[0]
            x = plan.x(month) + plan.month_width / 2
            parts.append(
                f'<text class="ldm-gantt-month" x="{x:.1f}" y="{month_top + 11:.1f}" '
                f'text-anchor="middle" font-size="{SMALL_FONT_SIZE}">'
                f"<title>{iso(month)[:7]}</title>{text}</text>"
            )
    parts.append("</g>")
    return parts


def _svg_arrows(plan: Layout) -> list[str]:
    """Curves that leave a predecessor's mark rightwards and enter the successor's from
    the left, whichever way the dates run, each ending in an arrowhead."""
    if not plan.arrows:
        return []
    parts = [
        '<g class="ldm-gantt-arrows" fill="none" stroke="currentColor" '
        'stroke-width="1" stroke-opacity="0.55">'
    ]
    for arrow in plan.arrows:
        (x1, y1), (x2, y2) = arrow.start, arrow.end
        bend = max(abs(x2 - x1) / 2, 16.0)
        head = f"M{x2:.1f} {y2:.1f}l-5 -3v6z"
        parts.append(
            f'<g class="ldm-gantt-arrow" data-from="{escape(arrow.source)}" '
            f'data-to="{escape(arrow.target)}">'
            f'<path d="M{x1:.1f} {y1:.1f}C{x1 + bend:.1f} {y1:.1f} {x2 - bend:.1f} {y2:.1f} '
            f'{x2:.1f} {y2:.1f}"/>'
            f'<path d="{head}" fill="currentColor" stroke="none" fill-opacity="0.55"/></g>'
        )
    parts.append("</g>")
    return parts


def _diamond(x: float, y: float) -> str:
    r = MARK_RADIUS
    return f"M{x:.1f} {y - r:.1f}l{r} {r}l-{r} {r}l-{r} -{r}z"


def _svg_row(plan: Layout, index: int, row: Row) -> str:
    top = row.y - ROW_HEIGHT / 2
    right = plan.plot_left + plan.plot_width
    stripe = "0.05" if index % 2 else "0"
    milestone = row.milestone
    if milestone is None:
        return (
            f'<g class="ldm-gantt-group"><rect x="0" y="{top:.1f}" width="{plan.width:.0f}" '
            f'height="{ROW_HEIGHT}" fill="currentColor" fill-opacity="0.1"/>'
            f'<text class="ldm-gantt-label" x="{PAD}" y="{row.y + 4:.1f}" '
            f'font-weight="bold">{escape(row.label)}</text></g>'
        )
    code, name = escape(milestone.code), escape(milestone.name)
    state = row.status.value if row.status else ""
    body = [
        f'<g class="ldm-gantt-row ldm-gantt-{state}" data-code="{code}">',
        f"<title>{code}: {name}</title>",
        # The whole row is the link's target, and lights up under the pointer.
        f'<rect class="ldm-gantt-band" x="0" y="{top:.1f}" width="{right:.1f}" '
        f'height="{ROW_HEIGHT}" fill="currentColor" fill-opacity="{stripe}"/>',
        f'<text class="ldm-gantt-label" x="{PAD}" y="{row.y + 4:.1f}">'
        f"{escape(row_text(row))}</text>",
    ]
    due_x = plan.x(milestone.due)
    if milestone.baseline is not None:
        base_x = plan.x(milestone.baseline)
        if abs(due_x - base_x) > 2 * MARK_RADIUS:
            left, right_end = sorted((base_x, due_x))
            body.append(
                f'<line class="ldm-gantt-slip" x1="{left + MARK_RADIUS:.1f}" y1="{row.y:.1f}" '
                f'x2="{right_end - MARK_RADIUS:.1f}" y2="{row.y:.1f}" stroke="currentColor" '
                'stroke-width="2"/>'
            )
        body.append(
            f'<path class="ldm-gantt-baseline" d="{_diamond(base_x, row.y)}" '
            'fill="none" stroke="currentColor" stroke-width="1.5">'
            f"<title>{code}: {name} \N{EM DASH} baseline {iso(milestone.baseline)}</title></path>"
        )
    body.append(
        f'<path class="ldm-gantt-forecast" d="{_diamond(due_x, row.y)}" '
        # Outlined too: it stays distinct inside a baseline mark at the same date.
        'fill="currentColor" stroke="currentColor" stroke-width="1">'
        f"<title>{escape(_forecast_title(milestone))}</title></path>"
    )
    if milestone.completed is not None:
        body.append(
            f'<path class="ldm-gantt-check" d="M{due_x + 7:.1f} {row.y:.1f}l3 3.5l6 -8" '
            'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
            f'stroke-linejoin="round"><title>completed {iso(milestone.completed)}</title></path>'
        )
    body.append("</g>")
    return linked_group(body, row.url)


def _forecast_title(milestone: Milestone) -> str:
    parts = [f"{milestone.code}: {milestone.name} \N{EM DASH} due {iso(milestone.due)}"]
    if milestone.baseline is not None:
        parts.append(f"baseline {iso(milestone.baseline)} (slip {signed_days(slip(milestone))})")
    if milestone.completed is not None:
        parts.append(f"completed {iso(milestone.completed)}")
    return "; ".join(parts)


def _svg_today(plan: Layout, today: datetime.date) -> list[str]:
    x = plan.x(today)
    right_half = x > plan.plot_left + plan.plot_width / 2
    anchor, dx = ("end", -3) if right_half else ("start", 3)
    return [
        f'<g class="ldm-gantt-today"><line x1="{x:.1f}" y1="{plan.top:.1f}" x2="{x:.1f}" '
        f'y2="{plan.rows_bottom + 4:.1f}" stroke="currentColor" stroke-width="1.5" '
        'stroke-dasharray="4 3"/>',
        f'<text x="{x + dx:.1f}" y="{plan.rows_bottom + 14:.1f}" text-anchor="{anchor}">'
        f"today {iso(today)}</text></g>",
    ]
