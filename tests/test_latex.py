"""The LaTeX generators (pgfgantt, the TikZ burndown, the fallback-font chain): pure
functions, tested without Sphinx or TeX."""

from __future__ import annotations

import datetime
import re

import pytest

from sphinxext_ldm.burndown import burndown
from sphinxext_ldm.latex_fonts import choose_fonts, fallback_definition, install_hint
from sphinxext_ldm.model import Milestone
from sphinxext_ldm.render.latex import (
    BURNDOWN_WIDTH_CM,
    burndown_tikz,
    escape,
    fitted_label,
    pgfgantt,
)

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


def test_burndown_tikz_fits_any_number_of_months_in_one_width() -> None:
    for months in (3, 84, 600):
        start = D(2000, 1, 1)
        data = [
            Milestone(f"M-{n}", f"M {n}", start + datetime.timedelta(days=30 * n), level=2)
            for n in range(months)
        ]
        points = burndown(data, TODAY)
        tex = burndown_tikz(points, TODAY)
        x_unit = float(re.search(r"x=([\d.]+)cm", tex).group(1))
        assert x_unit * (len(points) - 1) == pytest.approx(BURNDOWN_WIDTH_CM, rel=1e-3)
    assert "today 2021-01-01" in tex
    assert burndown_tikz([], TODAY) == ""


def test_burndown_tikz_lines_end_where_the_data_ends() -> None:
    data = [
        Milestone("A", "A", D(2020, 6, 1), level=2, baseline=D(2020, 3, 1)),
        Milestone("B", "B", D(2021, 6, 1), level=2, completed=D(2020, 7, 1)),
    ]
    points = burndown(data, D(2020, 9, 15))
    tex = burndown_tikz(points, D(2020, 9, 15))
    lines = [line for line in tex.splitlines() if re.match(r"\\draw\[(dashed|thick|line)", line)]
    plan, forecast, actual = lines[:3]
    assert plan.count("(") == forecast.count("(") == len(points)
    # Actual stops at today: the month starts 2020-03 (the first date) to 2020-09.
    assert actual.count("(") == 7
    assert r"node[right] {Plan (baseline)}" in tex


def test_fallback_chain_of_the_fonts_found() -> None:
    assert fallback_definition(["DejaVu Sans", "Droid Sans Fallback"]) == (
        r'\directlua{luaotfload.add_fallback("ldmfallback", '
        r'{"DejaVu Sans:mode=harf;", "Droid Sans Fallback:mode=harf;"})}'
    )
    assert fallback_definition([]) == r'\directlua{luaotfload.add_fallback("ldmfallback", {})}'


def test_font_names_that_tex_would_read_are_refused() -> None:
    choice = choose_fonts(['Evil"}) os.exit(1) --', r"Back\slash", "100%"], tool="/nonexistent")
    assert choice.found == choice.missing == ()
    assert len(choice.invalid) == 3


def test_install_hints_name_the_package() -> None:
    assert install_hint("Droid Sans Fallback").endswith("apt-get install fonts-droid-fallback")
    assert "fc-list" in install_hint("Some Font")
