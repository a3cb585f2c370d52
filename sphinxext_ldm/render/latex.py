"""LaTeX written by the extension itself: escaping and pgfgantt charts. Pure functions
of the model, no Sphinx.

Text that goes through docutils nodes is escaped by Sphinx's LaTeX writer instead.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence

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
