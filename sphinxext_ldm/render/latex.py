"""LaTeX written by the extension itself: escaping, pgfgantt timelines and the TikZ
burndown. Pure functions of the model, no Sphinx.

Text that goes through docutils nodes is escaped by Sphinx's LaTeX writer instead.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence

from sphinxext_ldm.burndown import SERIES, BurndownPoint, month_position, year_label_indices
from sphinxext_ldm.model import Milestone
from sphinxext_ldm.query import Status, status
from sphinxext_ldm.render.text import chart_label

#: Each character that TeX could read as syntax, as a command that prints it.
LATEX_SPECIALS: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
    # Break ligatures that would change the text: -- and --- become dashes.
    "-": "-{}",
}


def escape(text: str) -> str:
    """``text`` as LaTeX that prints it verbatim (white space folded to single spaces)."""
    flat = " ".join(text.split())
    # Control characters cannot be printed; everything else is kept.
    return "".join(LATEX_SPECIALS.get(ch, ch) for ch in flat if unicodedata.category(ch) != "Cc")


#: How each status is drawn in print, without colour: filled, hollow, bold hollow.
PGF_STATUS_STYLE: dict[Status, str] = {
    Status.COMPLETED: "fill=black",
    Status.UPCOMING: "fill=white",
    Status.LATE: "fill=white, very thick",
}
#: The same marks as the HTML charts and the figure legend (pdflatex gets definitions
#: for these characters from the extension, see ``latex_setup``).
PGF_STATUS_MARK: dict[Status, str] = {
    Status.COMPLETED: " \N{CHECK MARK}",
    Status.LATE: " \N{WARNING SIGN}",
    Status.UPCOMING: "",
}
LABEL_LIMIT = 60
CHART_WIDTH_CM = 9.0


def fitted_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """A row label that fits beside the chart: whole words up to ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] or flat[: limit - 1]
    return cut + "\N{HORIZONTAL ELLIPSIS}"


def pgfgantt(
    rows: Sequence[tuple[Milestone, datetime.date]],
    links: Sequence[tuple[str, str]],
    today: datetime.date,
    labels: str = "name",
) -> str:
    """A pgfgantt chart: one milestone row per (milestone, date) in the order given,
    year headers over month slots, arrows for ``links`` (predecessor, successor) between
    rows, status drawn as fill, and a dashed line at ``today``.

    Scaled down to the text width and page height by adjustbox, so nothing runs off
    the page."""
    if not rows:
        return ""
    first = min(day for _, day in rows)
    last = max(day for _, day in rows)
    months = (last.year - first.year + 1) * 12
    ids = {m.code: f"ldm{index}" for index, (m, _) in enumerate(rows, start=1)}
    lines = [
        r"\begin{adjustbox}{max width=\linewidth, max totalheight=0.8\textheight}",
        r"\begin{ganttchart}[",
        r"  time slot format=isodate-yearmonth, time slot unit=month,",
        f"  x unit={CHART_WIDTH_CM / months:.4f}cm, y unit chart=0.42cm, y unit title=0.5cm,",
        # One light line a month; years get rules below (a two-style vgrid list makes
        # pgfgantt typeset a stray comma).
        r"  vgrid={*1{black!12}}, canvas/.append style={draw=none},",
        r"  title label font=\footnotesize, milestone label font=\footnotesize,",
        r"  milestone label node/.append style={align=right},",
        r"  link/.style={->, >=stealth, semithick, black!55},",
        r"  milestone left shift=-0.15, milestone right shift=0.15,",
        f"]{{{first.year}-01}}{{{last.year}-12}}",
        r"\gantttitlecalendar{year} \\",
    ]
    for index, (milestone, day) in enumerate(rows):
        state = status(milestone, today)
        label = escape(fitted_label(chart_label(milestone, labels)))
        end = r" \\" if index < len(rows) - 1 else ""
        lines.append(
            rf"\ganttmilestone[name={ids[milestone.code]}, "
            rf"milestone/.append style={{{PGF_STATUS_STYLE[state]}}}]"
            rf"{{{label}{PGF_STATUS_MARK[state]}}}{{{day:%Y-%m}}}{end}"
        )
    lines.extend(
        rf"\ganttvrule[vrule/.append style={{black!45}}]{{}}{{{year}-01}}"
        for year in range(first.year + 1, last.year + 1)
    )
    lines.extend(
        rf"\ganttlink{{{ids[pred]}}}{{{ids[succ]}}}"
        for pred, succ in links
        if pred in ids and succ in ids
    )
    if first <= today <= last:
        lines.append(
            r"\ganttvrule[vrule/.append style={very thick, dashed}, vrule label font=\scriptsize]"
            rf"{{today {today.isoformat()}}}{{{today:%Y-%m}}}"
        )
    lines += [r"\end{ganttchart}", r"\end{adjustbox}"]
    return "\n".join(lines) + "\n"


#: The burndown's plot in the PDF (the legend and labels come on top); the same shape as
#: the SVG of the HTML pages.
BURNDOWN_WIDTH_CM, BURNDOWN_HEIGHT_CM = 14.0, 6.5
#: Each line's TikZ style: told apart by dash pattern and weight, as in the SVG.
BURNDOWN_STYLE: dict[str, str] = {
    "plan": "dashed, thick",
    "forecast": "thick",
    "actual": "line width=1.6pt, dotted, line cap=round",
}


def burndown_tikz(points: Sequence[BurndownPoint], today: datetime.date) -> str:
    """The burndown as a TikZ picture: one point per month across, open milestones up,
    a dashed line at ``today``, a legend below. A picture of fixed size, so that a
    burndown of any length fits on a page beside its caption (a table of the months
    ran off the page)."""
    if not points:
        return ""
    top = max(max(p.plan, p.forecast, p.actual or 0) for p in points) or 1
    span = max(len(points) - 1, 1)
    x_unit, y_unit = BURNDOWN_WIDTH_CM / span, BURNDOWN_HEIGHT_CM / top
    out = [
        r"\begin{center}",
        r"\begin{adjustbox}{max width=\linewidth}",
        rf"\begin{{tikzpicture}}[x={x_unit:.4f}cm, y={y_unit:.4f}cm, font=\scriptsize]",
    ]
    for count in sorted({0, top // 2, top}):
        out.append(rf"\draw[very thin, black!20] (0,{count}) -- ({span},{count});")
        out.append(rf"\node[left] at (0,{count}) {{{count}}};")
    out.append(rf"\draw (0,{top}) -- (0,0) -- ({span},0);")
    for i in year_label_indices(points):
        out.append(rf"\draw ({i},0) -- +(0,-2pt) node[below] {{{points[i].month.year}}};")
    for attribute, _ in SERIES:
        coords = " -- ".join(
            f"({i},{value})"
            for i, p in enumerate(points)
            if (value := getattr(p, attribute)) is not None
        )
        if coords:
            out.append(rf"\draw[{BURNDOWN_STYLE[attribute]}] {coords};")
    where = month_position(points, today)
    if 0 <= where <= span:
        out.append(
            rf"\draw[densely dashed] ({where:.2f},0) -- ({where:.2f},{top}) "
            rf"node[above, inner sep=2pt] {{today {today.isoformat()}}};"
        )
    # The legend in centimetres below the year labels, whatever the data's units.
    out.append(r"\begin{scope}[x=1cm, y=1cm, shift={(0cm,-1cm)}]")
    for n, (attribute, label) in enumerate(SERIES):
        left = n * BURNDOWN_WIDTH_CM / len(SERIES)
        out.append(
            rf"\draw[{BURNDOWN_STYLE[attribute]}] ({left:.2f},0) -- ({left + 0.9:.2f},0) "
            rf"node[right] {{{escape(label)}}};"
        )
    out.append(r"\end{scope}")
    out += [r"\end{tikzpicture}", r"\end{adjustbox}", r"\end{center}"]
    return "\n".join(out) + "\n"
