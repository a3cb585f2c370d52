"""A burndown chart as inline SVG: a pure function of the numbers, no Sphinx, no script.

Lines are told apart by dash pattern and marker as well as by name in the legend, and
drawn in ``currentColor``, so the chart reads in print, for colour-blind readers, and in
light and dark themes alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from html import escape

from sphinxext_ldm.burndown import BurndownPoint, month_position, year_label_indices

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 72
#: (attribute, legend label, SVG stroke style)
LINES = (
    ("plan", "Plan (baseline)", 'stroke-dasharray="6 4" stroke-width="2"'),
    ("forecast", "Forecast (due)", 'stroke-width="2"'),
    (
        "actual",
        "Actual (completed)",
        'stroke-width="3.5" stroke-dasharray="1 3" stroke-linecap="round"',
    ),
)


def linked_group(body: Sequence[str], url: str | None) -> str:
    """An SVG group's lines, the whole group a link to ``url`` when there is one."""
    group = "\n".join(body)
    if url is None:
        return group
    return f'<a href="{escape(url)}">\n{group}\n</a>'


def burndown_svg(points: Sequence[BurndownPoint], today: datetime.date, title: str) -> str:
    if not points:
        return ""
    top = max(max(p.plan, p.forecast, p.actual or 0) for p in points) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(len(points) - 1, 1)

    def x(index: float) -> float:
        return LEFT + plot_w * index / span

    def y(count: int) -> float:
        return TOP + plot_h * (1 - count / top)

    parts = [
        f'<svg class="ldm-burndown" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<g fill="none" stroke="currentColor">',
        f'<path d="M{LEFT} {TOP}V{TOP + plot_h}H{LEFT + plot_w}" stroke-width="1"/>',
    ]
    for attribute, _, style in LINES:
        coords = [
            f"{x(i):.1f},{y(value):.1f}"
            for i, p in enumerate(points)
            if (value := getattr(p, attribute)) is not None
        ]
        if coords:
            parts.append(f'<polyline class="ldm-{attribute}" points="{" ".join(coords)}" {style}/>')
    today_index = month_position(points, today)
    if 0 <= today_index <= span:
        parts.append(
            f'<line class="ldm-today" x1="{x(today_index):.1f}" y1="{TOP}" '
            f'x2="{x(today_index):.1f}" y2="{TOP + plot_h}" '
            'stroke-width="1" stroke-dasharray="2 2"/>'
        )
    parts.append("</g>")
    parts.append('<g fill="currentColor" font-size="11" font-family="sans-serif">')
    for count in sorted({0, top // 2, top}):
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(count) + 4:.1f}" text-anchor="end">{count}</text>'
        )
    for i in year_label_indices(points):
        parts.append(
            f'<text x="{x(i):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
            f"{points[i].month.year}</text>"
        )
    if 0 <= today_index <= span:
        parts.append(
            f'<text x="{x(today_index):.1f}" y="{TOP + 10}" text-anchor="start" dx="3">'
            f"today {today.isoformat()}</text>"
        )
    legend_y = HEIGHT - 20
    for n, (_, label, style) in enumerate(LINES):
        lx = LEFT + n * 200
        parts.append(
            f'<line x1="{lx}" y1="{legend_y}" x2="{lx + 28}" y2="{legend_y}" '
            f'stroke="currentColor" {style}/>'
        )
        parts.append(f'<text x="{lx + 34}" y="{legend_y + 4}">{escape(label)}</text>')
    parts.append("</g></svg>")
    return "\n".join(parts)
