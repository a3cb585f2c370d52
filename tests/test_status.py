"""Status tables, date windows, slips and burndowns."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinxext_ldm.burndown import burndown, month_starts
from sphinxext_ldm.model import Milestone
from sphinxext_ldm.query import DateWindow, MilestoneFilter, by_completed, by_slip, slip
from sphinxext_ldm.render.svg import burndown_svg
from tests.conftest import BuildFn

D = datetime.date
TODAY = D(2020, 1, 1)


def ms(code: str, due: datetime.date, **kw: object) -> Milestone:
    return Milestone(code, f"Name {code}", due, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("next 90 days", [D(2020, 1, 1), D(2020, 3, 31)], [D(2019, 12, 31), D(2020, 4, 1)]),
        ("last 2 weeks", [D(2019, 12, 18), D(2020, 1, 1)], [D(2019, 12, 17), D(2020, 1, 2)]),
        ("next 6 months", [D(2020, 6, 29)], [D(2020, 6, 30)]),  # a month counts 30 days
        ("2020-02-01..2020-02-29", [D(2020, 2, 1), D(2020, 2, 29)], [D(2020, 3, 1)]),
        ("..2019-06-30", [D(2000, 1, 1)], [D(2019, 7, 1)]),
        ("2021-01-01..", [D(2030, 1, 1)], [D(2020, 12, 31)]),
    ],
)
def test_date_windows(text: str, inside: list[datetime.date], outside: list[datetime.date]) -> None:
    window = DateWindow.parse(text)
    assert all(window.contains(day, TODAY) for day in inside)
    assert not any(window.contains(day, TODAY) for day in outside)
    assert not window.contains(None, TODAY)


def test_huge_windows_cover_every_date_instead_of_crashing() -> None:
    """``next 99999999 days`` (or a window from the last date there is) once raised
    OverflowError and stopped the build."""
    huge = DateWindow.parse("next 99999999 days")
    assert huge.contains(D(9999, 12, 31), TODAY) and not huge.contains(D(2019, 12, 31), TODAY)
    assert DateWindow.parse("last 99999999 months").contains(D(1, 1, 1), TODAY)
    assert DateWindow.parse("next 90 days").contains(D(9999, 12, 31), D(9999, 12, 1))


@pytest.mark.parametrize("text", ["soon", "next days", "..", "2020-02-30..", "next -3 days"])
def test_bad_windows(text: str) -> None:
    with pytest.raises(ValueError):
        DateWindow.parse(text)


def test_filters_with_windows_and_slips() -> None:
    a = ms("A", D(2020, 2, 1), baseline=D(2020, 1, 1))
    b = ms("B", D(2019, 6, 1), completed=D(2019, 12, 20), baseline=D(2019, 7, 1))
    c = ms("C", D(2021, 1, 1))
    assert (slip(a), slip(b), slip(c)) == (31, -30, None)
    soon = MilestoneFilter(due=DateWindow.parse("next 60 days"))
    assert [m.code for m in (a, b, c) if soon.matches(m, TODAY)] == ["A"]
    recent = MilestoneFilter(completed=DateWindow.parse("last 30 days"))
    assert [m.code for m in (a, b, c) if recent.matches(m, TODAY)] == ["B"]
    slipped = MilestoneFilter(slipped=True)
    assert [m.code for m in (a, b, c) if slipped.matches(m, TODAY)] == ["A"]
    assert soon.depends_on_today and not slipped.depends_on_today
    assert [m.code for m in sorted((c, b, a), key=by_slip)] == ["A", "B", "C"]
    assert [m.code for m in sorted((a, c, b), key=by_completed)] == ["B", "A", "C"]


def test_burndown_numbers() -> None:
    milestones = [
        ms("A", D(2020, 2, 15), baseline=D(2020, 1, 15), completed=D(2020, 2, 10)),
        ms("B", D(2020, 3, 10), baseline=D(2020, 2, 1)),
        ms("C", D(2020, 3, 20)),
    ]
    points = burndown(milestones, today=D(2020, 2, 20))
    assert [p.month for p in points] == month_starts(D(2020, 1, 15), D(2020, 3, 20))
    assert [(p.month.month, p.plan, p.forecast, p.actual) for p in points] == [
        (1, 2, 3, 3),
        (2, 1, 3, 3),  # A's baseline passed; nothing completed before Feb 1
        (3, 0, 2, None),  # after today the actual line stops
        (4, 0, 0, None),
    ]
    assert burndown([], TODAY) == []


def test_burndown_svg_is_data_and_three_lines() -> None:
    today = D(2020, 4, 1)
    points = burndown([ms("A", D(2020, 5, 1), baseline=D(2020, 3, 1))], today)
    svg = burndown_svg(points, today, 'Open <milestones> & "things"')
    assert "<title>Open &lt;milestones&gt; &amp; &quot;things&quot;</title>" in svg
    assert len(re.findall(r'<polyline class="ldm-(plan|forecast|actual)"', svg)) == 3
    assert "today 2020-04-01" in svg
    assert "#" not in svg  # no colours: lines are told apart by dashes and markers


def rows(page: BeautifulSoup, caption: str) -> list[list[str]]:
    table = next(t for t in page.select("table") if caption in t.get_text())
    return [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")
    ]


def test_milestone_tables_in_a_build(build_project: BuildFn, tmp_path: Path) -> None:
    app = build_project("basic")
    src = Path(app.srcdir)
    (src / "status.rst").write_text(
        ":orphan:\n\nStatus\n======\n\n"
        ".. ldm-milestone-table::\n   :status: late\n   :columns: code, name, due, status\n"
        "   :caption: Late ones\n\n"
        ".. ldm-milestone-table::\n   :slipped:\n   :columns: code, baseline, due, slip, jira\n"
        "   :caption: Slipped ones\n\n"
        ".. ldm-milestone-table::\n   :completed: last 365 days\n   :columns: code, completed\n"
        "   :caption: Recently completed\n\n"
        ".. ldm-milestone-table::\n   :columns: code, colour\n   :due: whenever\n"
        "   :caption: Bad options\n\n"
        ".. ldm-burndown::\n   :levels: 2\n"
    )
    app = build_project(src, copy=False)
    warnings = app.warning.getvalue()
    assert warnings.count("[ldm.option]") == 2
    page = BeautifulSoup((Path(app.outdir) / "status.html").read_text(), "html.parser")
    assert rows(page, "Late ones") == [
        ["DM-A-3", "Unused feature", "2018-04-01", "Late"],
        ["DM-A-2", "Feature two", "2019-04-01", "Late"],
    ]
    badge = page.select_one("table span.sd-badge.ldm-status-late")
    assert badge is not None and "sd-bg-danger" in badge["class"] and badge.get_text() == "Late"
    assert rows(page, "Slipped ones") == [
        ["LDM-503-02", "2020-06-01", "2021-06-01", "+365 days", "DM-100"]
    ]
    assert rows(page, "Recently completed") == [  # by due date, the default order
        ["DM-A-1", "2019-05-01"],
        ["LDM-503-01", "2019-06-03"],
    ]
    assert len(rows(page, "Bad options")[0]) == 1  # only the known column, no window
    svg = page.select_one("svg.ldm-burndown")
    assert svg is not None and len(svg.select("polyline")) == 3


def test_burndown_is_a_table_in_text(build_project: BuildFn) -> None:
    app = build_project("basic")
    src = Path(app.srcdir)
    (src / "burn.rst").write_text(":orphan:\n\nB\n=\n\n.. ldm-burndown::\n   :levels: 2\n")
    app = build_project(src, "text", copy=False)
    text = (Path(app.outdir) / "burn.txt").read_text()
    assert "| Month" in text and "| 2019-06" in text
