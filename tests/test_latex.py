"""The pgfgantt generator: a pure function, tested without Sphinx or TeX."""

from __future__ import annotations

import datetime
import re

from sphinxext_ldm.model import Milestone
from sphinxext_ldm.render.latex import escape, fitted_label, pgfgantt

D = datetime.date
TODAY = D(2021, 1, 1)


def rows() -> list[tuple[Milestone, datetime.date]]:
    done = Milestone("A-1", "Done & dusted_1", D(2019, 3, 5), level=2, completed=D(2019, 3, 1))
    late = Milestone("A-2", "Late #2", D(2020, 6, 1), level=2, predecessors=("A-1",))
    future = Milestone("A-3", "Future", D(2022, 11, 30), level=2, short_name="Fut. {x}")
    return [(done, done.due), (late, late.due), (future, future.due)]


def milestones(tex: str) -> list[str]:
    return re.findall(r"\\ganttmilestone\[[^\]]*\]\{(.*)\}\{(\d{4}-\d{2})\}", tex)


def test_rows_labels_and_month_slots() -> None:
    tex = pgfgantt(rows(), [("A-1", "A-2")], TODAY)
    assert milestones(tex) == [
        (r"Done \& dusted\_1 ✓", "2019-03"),
        (r"Late \#2 ⚠", "2020-06"),
        (r"Fut. \{x\}", "2022-11"),
    ]
    assert "]{2019-01}{2022-12}" in tex  # whole years, so year headers line up
    assert r"\gantttitlecalendar{year}" in tex


def test_status_is_drawn_without_colour() -> None:
    tex = pgfgantt(rows(), [], TODAY)
    styles = re.findall(r"milestone/\.append style=\{([^}]*)\}", tex)
    assert styles == ["fill=black", "fill=white, very thick", "fill=white"]


def test_links_only_between_rows_and_today_line() -> None:
    tex = pgfgantt(rows(), [("A-1", "A-2"), ("A-2", "ZZ")], TODAY)
    assert re.findall(r"\\ganttlink\{(\w+)\}\{(\w+)\}", tex) == [("ldm1", "ldm2")]
    assert r"{today 2021-01-01}{2021-01}" in tex
    outside = pgfgantt(rows(), [], D(2030, 1, 1))
    assert "today" not in outside


def test_year_rules_and_scaling() -> None:
    tex = pgfgantt(rows(), [], TODAY)
    rules = re.findall(r"\\ganttvrule\[vrule/\.append style=\{black!45\}\]\{\}\{(\d{4})-01\}", tex)
    assert rules == ["2020", "2021", "2022"]
    assert tex.startswith(
        r"\begin{adjustbox}{max width=\linewidth, max totalheight=0.8\textheight}"
    )
    assert pgfgantt([], [], TODAY) == ""


def test_long_labels_are_cut_at_a_word() -> None:
    name = "word " * 30
    assert fitted_label(name) == ("word " * 11).strip() + "\u2026"
    assert fitted_label("x" * 100) == "x" * 59 + "\u2026"


def test_escape_specials() -> None:
    assert escape(r"# $ % & ~ _ ^ \ { } -- ") == (
        r"\# \$ \% \& \textasciitilde{} \_ \textasciicircum{} \textbackslash{} \{ \} -{}-{}"
    )
