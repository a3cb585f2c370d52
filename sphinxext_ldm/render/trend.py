"""The milestone trend analysis (MTA) chart: pure functions of the history, as SVG for
HTML and TikZ for LaTeX, from one layout.

Report dates run across, forecast dates up. Each milestone is a line with a mark at every
report that listed it: a line that climbs is a milestone that keeps slipping, a flat one
holds its date. The diagonal is where forecast and report date meet: a milestone is
reached there, so a completed milestone's line ends on it (at its completion date), and a
point below it is a forecast already in the past. Labels (codes) stand in a column right
of the plot, joined to each line's last point, and spread so that they never overlap.

Everything is drawn in ``currentColor`` (light and dark themes, print); each milestone is
a link to its entry with a ``<title>`` on every mark.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from sphinxext_ldm.history import Report
from sphinxext_ldm.render.latex import escape as latex_escape
from sphinxext_ldm.render.svg import linked_group
from sphinxext_ldm.render.text import iso

#: The chart's width, and its least height: it grows where its labels need room.
WIDTH, HEIGHT = 720, 480
LEFT, RIGHT, TOP, BOTTOM = 52, 140, 16, 40
#: The least vertical distance between two labels, in SVG units: a line of 11-unit text
#: with its ascenders and descenders.
LABEL_GAP = 14
FONT_SIZE = 11
#: Dash patterns that tell neighbouring lines apart without colour.
DASHES = ("", "6 3", "2 2", "8 3 2 3")


@dataclass(frozen=True)
class TrendLine:
    """One milestone in the chart."""

    code: str
    label: str
    name: str
    reports: tuple[Report, ...]
    url: str | None = None


@dataclass(frozen=True)
class Mark:
    day: datetime.date  # report date (across)
    due: datetime.date  # forecast (up)
    title: str
    reached: bool = False  # the completion, on the diagonal


@dataclass(frozen=True)
class PlacedLine:
    line: TrendLine
    marks: tuple[Mark, ...]
    label_y: float


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in SVG units (y grows downwards)."""

    first: datetime.date
    last: datetime.date
    low: datetime.date
    high: datetime.date
    lines: tuple[PlacedLine, ...]
    #: Milestones completed before the first report: nothing to draw.
    done_before: tuple[str, ...]
    height: float = HEIGHT

    @property
    def plot_width(self) -> float:
        return WIDTH - LEFT - RIGHT

    @property
    def plot_height(self) -> float:
        return self.height - TOP - BOTTOM

    def x(self, day: datetime.date) -> float:
        span = max((self.last - self.first).days, 1)
        return LEFT + self.plot_width * (day - self.first).days / span

    def y(self, day: datetime.date) -> float:
        span = max((self.high - self.low).days, 1)
        return TOP + self.plot_height * (1 - (day - self.low).days / span)

    def diagonal(self) -> tuple[datetime.date, datetime.date] | None:
        """The span of days where forecast = report date lies inside the plot."""
        start, end = max(self.first, self.low), min(self.last, self.high)
        return (start, end) if start < end else None

    def year_ticks(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        ticks = [datetime.date(year, 1, 1) for year in range(start.year, end.year + 1)]
        ticks = [t for t in ticks if start <= t <= end]
        if len(ticks) < 2:  # a short span: half years as well
            ticks = sorted(
                {*ticks, *(datetime.date(y, 7, 1) for y in range(start.year, end.year + 1))}
            )
            ticks = [t for t in ticks if start <= t <= end]
        return ticks


def marks_of(line: TrendLine) -> tuple[Mark, ...]:
    """A mark per report until the milestone is completed, then one on the diagonal at
    its completion date."""
    marks: list[Mark] = []
    for report in line.reports:
        if report.completed is not None and report.completed <= report.as_of:
            day = report.completed
            title = f"{line.code}: {line.name} \N{EM DASH} completed {iso(day)}"
            marks.append(Mark(day, day, title, reached=True))
            break
        title = (
            f"{line.code}: {line.name} \N{EM DASH} as of {iso(report.as_of)}: due {iso(report.due)}"
        )
        marks.append(Mark(report.as_of, report.due, title))
    return tuple(marks)


def layout(lines: Sequence[TrendLine], report_dates: Sequence[datetime.date]) -> Layout | None:
    """The chart's layout, or None when there is nothing to draw."""
    if not report_dates:
        return None
    first, last = min(report_dates), max(report_dates)
    if first == last:
        first, last = first - datetime.timedelta(days=30), last + datetime.timedelta(days=30)
    drawn, done_before = [], []
    for line in lines:
        marks = tuple(m for m in marks_of(line) if m.day >= first)
        if marks:
            drawn.append((line, marks))
        else:
            done_before.append(line.code)
    if not drawn:
        return None
    dues = [m.due for _, marks in drawn for m in marks]
    low, high = min(*dues, first), max(*dues, last)
    pad = datetime.timedelta(days=max((high - low).days // 40, 15))
    # Tall enough for every label a line apart.
    height = max(HEIGHT, TOP + BOTTOM + LABEL_GAP * (len(drawn) + 1))
    frame = Layout(first, last, low - pad, high + pad, (), tuple(done_before), height)
    wanted = [frame.y(marks[-1].due) for _, marks in drawn]
    placed = spread(wanted, TOP + FONT_SIZE / 2, TOP + frame.plot_height, LABEL_GAP)
    lines_placed = tuple(
        PlacedLine(line, marks, y) for (line, marks), y in zip(drawn, placed, strict=True)
    )
    return dataclasses.replace(frame, lines=lines_placed)


def spread(wanted: Sequence[float], low: float, high: float, gap: float) -> list[float]:
    """Positions as near ``wanted`` as they can be, at least ``gap`` apart, within
    [``low``, ``high``] where they fit (the order of ``wanted`` is kept)."""
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))
    placed = [0.0] * len(wanted)
    previous = low - gap
    for i in order:
        placed[i] = max(wanted[i], previous + gap)
        previous = placed[i]
    # Pushed past the bottom: pull the tail back up, keeping the gaps.
    limit = high
    for i in reversed(order):
        if placed[i] <= limit:
            break
        placed[i] = limit
        limit -= gap
    return placed


# -- SVG -------------------------------------------------------------------------------------


def trend_svg(plan: Layout, title: str) -> str:
    parts = [
        f'<svg class="ldm-trend" viewBox="0 0 {WIDTH} {plan.height:.0f}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        *_svg_axes(plan),
    ]
    for index, placed in enumerate(plan.lines):
        parts.append(_svg_line(plan, placed, DASHES[index % len(DASHES)]))
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_axes(plan: Layout) -> list[str]:
    right, bottom = LEFT + plan.plot_width, TOP + plan.plot_height
    parts = [
        '<g class="ldm-trend-axes" fill="none" stroke="currentColor">',
        f'<path d="M{LEFT} {TOP}V{bottom}H{right}" stroke-width="1"/>',
    ]
    across, up = plan.year_ticks(plan.first, plan.last), plan.year_ticks(plan.low, plan.high)
    for tick in across:
        parts.append(
            f'<line x1="{plan.x(tick):.1f}" y1="{TOP}" x2="{plan.x(tick):.1f}" y2="{bottom}" '
            'stroke-width="0.5" stroke-opacity="0.3"/>'
        )
    for tick in up:
        parts.append(
            f'<line x1="{LEFT}" y1="{plan.y(tick):.1f}" x2="{right}" y2="{plan.y(tick):.1f}" '
            'stroke-width="0.5" stroke-opacity="0.3"/>'
        )
    if (diagonal := plan.diagonal()) is not None:
        start, end = diagonal
        parts.append(
            f'<line class="ldm-trend-diagonal" x1="{plan.x(start):.1f}" y1="{plan.y(start):.1f}" '
            f'x2="{plan.x(end):.1f}" y2="{plan.y(end):.1f}" stroke-width="1.5"/>'
        )
    parts.append("</g>")
    parts.append('<g class="ldm-trend-labels" fill="currentColor">')
    for tick in across:
        parts.append(
            f'<text x="{plan.x(tick):.1f}" y="{bottom + 15}" text-anchor="middle">'
            f"{_tick_text(tick)}</text>"
        )
    for tick in up:
        parts.append(
            f'<text x="{LEFT - 5}" y="{plan.y(tick) + 4:.1f}" text-anchor="end">'
            f"{_tick_text(tick)}</text>"
        )
    parts.append(
        f'<text x="{LEFT + plan.plot_width / 2:.1f}" y="{plan.height - 6:.0f}" '
        'text-anchor="middle">'
        "report date</text>"
    )
    parts.append(
        f'<text transform="translate(12 {TOP + plan.plot_height / 2:.1f}) rotate(-90)" '
        'text-anchor="middle">forecast date</text>'
    )
    parts.append("</g>")
    return parts


def _svg_line(plan: Layout, placed: PlacedLine, dash: str) -> str:
    line, marks = placed.line, placed.marks
    points = " ".join(f"{plan.x(m.day):.1f},{plan.y(m.due):.1f}" for m in marks)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    body = [
        f'<g class="ldm-trend-milestone" data-code="{escape(line.code)}">',
        f"<title>{escape(line.code)}: {escape(line.name)}</title>",
        f'<polyline class="ldm-trend-line" points="{points}" fill="none" '
        f'stroke="currentColor" stroke-width="1.5"{dashed}/>',
    ]
    for mark in marks:
        x, y = plan.x(mark.day), plan.y(mark.due)
        if mark.reached:  # a filled diamond on the diagonal
            tag = "path"
            shape = f'class="ldm-trend-reached" d="M{x:.1f} {y - 5:.1f}l5 5l-5 5l-5 -5z"'
        else:
            tag = "circle"
            shape = f'class="ldm-trend-mark" cx="{x:.1f}" cy="{y:.1f}" r="3"'
        body.append(
            f'<{tag} {shape} fill="currentColor"><title>{escape(mark.title)}</title></{tag}>'
        )
    end = marks[-1]
    label_x = LEFT + plan.plot_width + 8
    body.append(
        f'<line class="ldm-trend-leader" x1="{plan.x(end.day):.1f}" y1="{plan.y(end.due):.1f}" '
        f'x2="{label_x - 2}" y2="{placed.label_y:.1f}" stroke="currentColor" '
        'stroke-width="0.5" stroke-opacity="0.5"/>'
    )
    body.append(
        f'<text class="ldm-trend-label" x="{label_x}" y="{placed.label_y + 4:.1f}" '
        f'fill="currentColor">{escape(line.label)}</text>'
    )
    body.append("</g>")
    return linked_group(body, line.url)


def _tick_text(day: datetime.date) -> str:
    return str(day.year) if day.month == 1 else f"{day.year}-{day.month:02d}"


# -- TikZ ------------------------------------------------------------------------------------

#: The chart's size in the PDF; the SVG layout is scaled to it.
TIKZ_WIDTH_CM = 15.0


def trend_tikz(plan: Layout) -> str:
    """The same chart for the PDF, as a TikZ picture (no packages beyond TikZ)."""
    scale = TIKZ_WIDTH_CM / WIDTH

    def pt(x: float, y: float) -> str:
        return f"({x * scale:.2f},{(plan.height - y) * scale:.2f})"

    right, bottom = LEFT + plan.plot_width, TOP + plan.plot_height
    out = [
        "\\begin{center}",
        "\\begin{tikzpicture}[font=\\scriptsize]",
        f"\\draw {pt(LEFT, TOP)} -- {pt(LEFT, bottom)} -- {pt(right, bottom)};",
    ]
    for tick in plan.year_ticks(plan.first, plan.last):
        x = plan.x(tick)
        out.append(f"\\draw[very thin,gray!40] {pt(x, TOP)} -- {pt(x, bottom)};")
        out.append(f"\\node[below] at {pt(x, bottom)} {{{_tick_text(tick)}}};")
    for tick in plan.year_ticks(plan.low, plan.high):
        y = plan.y(tick)
        out.append(f"\\draw[very thin,gray!40] {pt(LEFT, y)} -- {pt(right, y)};")
        out.append(f"\\node[left] at {pt(LEFT, y)} {{{_tick_text(tick)}}};")
    if (diagonal := plan.diagonal()) is not None:
        start, end = diagonal
        out.append(
            f"\\draw[thick] {pt(plan.x(start), plan.y(start))} -- {pt(plan.x(end), plan.y(end))};"
        )
    styles = ("solid", "dashed", "dotted", "dash dot")
    label_x = right + 8
    for index, placed in enumerate(plan.lines):
        coords = " -- ".join(pt(plan.x(m.day), plan.y(m.due)) for m in placed.marks)
        out.append(f"\\draw[{styles[index % len(styles)]}] {coords};")
        for mark in placed.marks:
            at = pt(plan.x(mark.day), plan.y(mark.due))
            if mark.reached:  # a filled diamond on the diagonal
                out.append(f"\\fill {at} +(0,2pt) -- +(2pt,0) -- +(0,-2pt) -- +(-2pt,0) -- cycle;")
            else:
                out.append(f"\\fill {at} circle (1.2pt);")
        last = placed.marks[-1]
        out.append(
            f"\\draw[very thin,gray] {pt(plan.x(last.day), plan.y(last.due))} -- "
            f"{pt(label_x - 2, placed.label_y)};"
        )
        label = latex_escape(placed.line.label)
        out.append(f"\\node[right,inner sep=1pt] at {pt(label_x, placed.label_y)} {{{label}}};")
    out.append(f"\\node[below=12pt] at {pt(LEFT + plan.plot_width / 2, bottom)} {{report date}};")
    # Where the SVG puts it: left of the year labels.
    out.append(f"\\node[rotate=90] at {pt(12, TOP + plan.plot_height / 2)} {{forecast date}};")
    out += ["\\end{tikzpicture}", "\\end{center}"]
    return "\n".join(out)
