"""ldm-timeline ``:renderer: svg``: the layout of the build-time Gantt chart (marks at their
dates, slips, arrows, today, axis), hostile names kept as text, and real builds (links to
entries, options, config default, other builders)."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinxext_ldm.load import load_milestones
from sphinxext_ldm.model import Milestone
from sphinxext_ldm.render.gantt import (
    MARK_RADIUS,
    ROW_HEIGHT,
    Layout,
    gantt_svg,
    layout,
    text_width,
)
from sphinxext_ldm.render.mermaid import GanttOptions
from tests.conftest import TESTS, BuildFn, write_project
from tests.test_timeline import anchor_exists

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


def ms(code: str, due: D, **fields: object) -> Milestone:
    return Milestone(code=code, name=f"Milestone {code}", due=due, **fields)  # type: ignore[arg-type]


MILESTONES = [
    ms("A", D(2020, 1, 1), baseline=D(2020, 1, 1), completed=D(2020, 1, 1)),
    ms("B", D(2020, 9, 15), baseline=D(2020, 3, 1), predecessors=("A",)),
    ms("C", D(2021, 6, 30), predecessors=("B", "NOT-IN-CHART")),
]
TODAY = D(2020, 11, 1)


def plan_of(milestones: list[Milestone] = MILESTONES, **options: object) -> Layout:
    links = {m.code: f"catalogue.html#ms-{m.code}" for m in milestones}
    plan = layout(milestones, GanttOptions(today=TODAY, **options), links)  # type: ignore[arg-type]
    assert plan is not None
    return plan


def parse(plan: Layout) -> ET.Element:
    """The SVG as XML: it must be well-formed (epub is XHTML)."""
    return ET.fromstring(gantt_svg(plan, "A chart"))


def row(svg: ET.Element, code: str) -> ET.Element:
    (found,) = [g for g in svg.iter(f"{SVG}g") if g.get("data-code") == code]
    return found


def diamond(element: ET.Element) -> tuple[float, float]:
    """The centre of a diamond mark drawn from its top corner."""
    x, top = re.match(r"M([\d.]+) ([\d.]+)", element.get("d", "")).groups()  # type: ignore[union-attr]
    return float(x), float(top) + MARK_RADIUS


def test_marks_stand_at_their_dates() -> None:
    plan = plan_of()
    svg = parse(plan)
    assert plan.first == D(2020, 1, 1) and plan.end == D(2021, 7, 1)
    xs = {}
    for code in "ABC":
        xs[code], _ = diamond(row(svg, code).find(f"{SVG}path[@class='ldm-gantt-forecast']"))
    assert xs["A"] == pytest.approx(plan.plot_left, abs=0.1)  # the first day of the span
    days = (plan.end - plan.first).days
    for m in MILESTONES:
        expected = plan.plot_left + plan.plot_width * (m.due - plan.first).days / days
        assert xs[m.code] == pytest.approx(expected, abs=0.1)
    assert xs["A"] < xs["B"] < xs["C"] < plan.plot_left + plan.plot_width


def test_baseline_and_forecast_share_a_row_with_the_slip_between() -> None:
    plan = plan_of()
    svg = parse(plan)
    b = row(svg, "B")
    base_x, base_y = diamond(b.find(f"{SVG}path[@class='ldm-gantt-baseline']"))
    due_x, due_y = diamond(b.find(f"{SVG}path[@class='ldm-gantt-forecast']"))
    assert base_y == due_y == pytest.approx(plan.rows[1].y, abs=0.1)
    assert base_x == pytest.approx(plan.x(D(2020, 3, 1)), abs=0.1)
    assert due_x == pytest.approx(plan.x(D(2020, 9, 15)), abs=0.1)
    baseline = b.find(f"{SVG}path[@class='ldm-gantt-baseline']")
    assert baseline.get("fill") == "none"  # hollow; the forecast is filled
    assert b.find(f"{SVG}path[@class='ldm-gantt-forecast']").get("fill") == "currentColor"
    line = b.find(f"{SVG}line[@class='ldm-gantt-slip']")
    assert float(line.get("x1")) == pytest.approx(base_x + MARK_RADIUS, abs=0.1)
    assert float(line.get("x2")) == pytest.approx(due_x - MARK_RADIUS, abs=0.1)
    assert float(line.get("y1")) == float(line.get("y2")) == pytest.approx(due_y, abs=0.1)
    # On time (A) or without a baseline (C): no slip line, C no baseline mark.
    assert row(svg, "A").find(f"{SVG}line[@class='ldm-gantt-slip']") is None
    assert row(svg, "C").find(f"{SVG}path[@class='ldm-gantt-baseline']") is None
    titles = [t.text for t in b.iter(f"{SVG}title")]
    assert "B: Milestone B \N{EM DASH} baseline 2020-03-01" in titles
    assert "B: Milestone B \N{EM DASH} due 2020-09-15; baseline 2020-03-01 (slip +198 days)" in (
        titles
    )


def test_completion_is_a_check_mark_and_a_label_mark() -> None:
    svg = parse(plan_of())
    a, b = row(svg, "A"), row(svg, "B")
    assert a.find(f"{SVG}path[@class='ldm-gantt-check']") is not None
    assert b.find(f"{SVG}path[@class='ldm-gantt-check']") is None
    assert a.find(f"{SVG}text").text == "Milestone A \N{CHECK MARK}"
    assert b.find(f"{SVG}text").text == "Milestone B \N{WARNING SIGN}"  # late on TODAY
    assert row(svg, "C").find(f"{SVG}text").text == "Milestone C"


def test_arrows_run_from_predecessor_to_successor_in_the_chart() -> None:
    plan = plan_of()
    assert [(a.source, a.target) for a in plan.arrows] == [("A", "B"), ("B", "C")]
    for arrow in plan.arrows:
        source = next(r for r in plan.rows if r.milestone and r.milestone.code == arrow.source)
        target = next(r for r in plan.rows if r.milestone and r.milestone.code == arrow.target)
        assert arrow.start == pytest.approx((plan.x(source.milestone.due) + MARK_RADIUS, source.y))
        assert arrow.end == pytest.approx(
            (plan.x(target.milestone.due) - MARK_RADIUS - 1, target.y)
        )
    groups = [g for g in parse(plan).iter(f"{SVG}g") if g.get("class") == "ldm-gantt-arrow"]
    assert [(g.get("data-from"), g.get("data-to")) for g in groups] == [("A", "B"), ("B", "C")]
    # A baseline timeline places rows, and so arrows, at the baseline dates.
    baseline = plan_of(MILESTONES[:2], schedule="baseline")
    (arrow,) = baseline.arrows
    assert arrow.end[0] == pytest.approx(baseline.x(D(2020, 3, 1)) - MARK_RADIUS - 1)


def test_today_line_at_today_and_only_inside_the_chart() -> None:
    plan = plan_of()
    (line,) = [g for g in parse(plan).iter(f"{SVG}g") if g.get("class") == "ldm-gantt-today"]
    x = float(line.find(f"{SVG}line").get("x1"))
    assert x == pytest.approx(plan.x(TODAY), abs=0.1)
    assert line.find(f"{SVG}text").text == "today 2020-11-01"
    later = layout(MILESTONES, GanttOptions(today=D(2030, 1, 1)), {})
    assert later is not None and later.today is None
    assert "ldm-gantt-today" not in gantt_svg(later, "t")


def test_axis_has_years_and_months() -> None:
    plan = plan_of()
    svg = parse(plan)
    years = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "ldm-gantt-year"]
    assert [t.text for t in years] == ["2020", "2021"]
    # Centred on their visible span: 2021 runs January to June.
    assert float(years[1].get("x")) == pytest.approx(
        (plan.x(D(2021, 1, 1)) + plan.x(D(2021, 7, 1))) / 2, abs=0.1
    )
    months = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "ldm-gantt-month"]
    assert len(months) == 18  # 2020-01 .. 2021-06
    assert "".join(m.find(f"{SVG}title").tail or "" for m in months[:12]) == "JFMAMJJASOND"
    assert months[0].find(f"{SVG}title").text == "2020-01"
    lines = [
        float(e.get("x1"))
        for e in svg.iter(f"{SVG}line")
        if e.get("class") == "ldm-gantt-year-line"
    ]
    assert pytest.approx(plan.x(D(2021, 1, 1)), abs=0.1) in lines
    # Over many years months are too narrow for letters: ticks only, years still there.
    long = [ms("A", D(2015, 1, 1)), ms("B", D(2024, 12, 31))]
    wide = parse(plan_of(long))
    assert not [t for t in wide.iter(f"{SVG}text") if t.get("class") == "ldm-gantt-month"]
    years = [t.text for t in wide.iter(f"{SVG}text") if t.get("class") == "ldm-gantt-year"]
    assert years == [str(y) for y in range(2015, 2025)]


def test_group_headers_and_title() -> None:
    milestones = [ms("P-1", D(2020, 1, 1)), ms("Q-1", D(2020, 2, 1)), ms("Q-2", D(2020, 3, 1))]
    plan = plan_of(milestones, group_by="prefix", title="Plan <b>")
    assert [(r.label, r.milestone is None) for r in plan.rows] == [
        ("P", True),
        ("Milestone P-1", False),
        ("Q", True),
        ("Milestone Q-1", False),
        ("Milestone Q-2", False),
    ]
    assert [r.y for r in plan.rows] == [plan.top + ROW_HEIGHT * (i + 0.5) for i in range(5)]
    svg = parse(plan)
    headers = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "ldm-gantt-group"]
    assert [g.find(f"{SVG}text").text for g in headers] == ["P", "Q"]
    (title,) = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "ldm-gantt-title"]
    assert title.text == "Plan <b>"


def test_label_column_fits_the_longest_label() -> None:
    short = plan_of([ms("A", D(2020, 1, 1))])
    name = "A much longer name, with capitals WWW and marks %%%"
    long = plan_of([Milestone("A", name, D(2020, 1, 1))])
    assert long.plot_left - short.plot_left == pytest.approx(
        text_width(name) - text_width("Milestone A"), abs=0.1
    )
    assert short.width == pytest.approx(long.width - (long.plot_left - short.plot_left))
    # Short names are the labels, as in the Mermaid charts.
    named = plan_of([ms("A", D(2020, 1, 1), short_name="Short")])
    assert named.rows[0].label == "Short"


def test_hostile_names_stay_text() -> None:
    catalog = load_milestones(TESTS / "roots" / "test-hostile" / "milestones.yaml").catalog
    milestones = sorted(catalog, key=lambda m: (m.due, m.code))
    links = {m.code: f'page.html#ms-{m.code}"onload="x' for m in milestones}
    plan = layout(milestones, GanttOptions(title='T <script> "q" &amp;', today=TODAY), links)
    assert plan is not None
    svg = ET.fromstring(gantt_svg(plan, "<t>"))  # well-formed whatever the names
    assert not list(svg.iter(f"{SVG}script"))
    labels = [g.find(f"{SVG}text").text for g in svg.iter(f"{SVG}g") if g.get("data-code")]
    assert [label.rstrip(" \N{CHECK MARK}\N{WARNING SIGN}") for label in labels] == [
        m.name for m in milestones
    ]
    hrefs = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert hrefs == [links[m.code] for m in milestones]  # one attribute each, as written
    assert [a[0].get("data-code") for a in svg.iter(f"{SVG}a")] == [m.code for m in milestones]
    assert svg.find(f"{SVG}title").text == "<t>"


# -- builds ---------------------------------------------------------------------------------


def gantts(app: object, page: str) -> list[BeautifulSoup]:
    soup = BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")  # type: ignore[attr-defined]
    return soup.select("div.ldm-gantt-box > svg.ldm-gantt")


@pytest.mark.parametrize(
    ("builder", "page_url"), [("html", "index.html"), ("dirhtml", ""), ("singlehtml", "index.html")]
)
def test_config_default_draws_svg_rows_that_link_to_entries(
    build_project: BuildFn, builder: str, page_url: str
) -> None:
    app = build_project("hostile", builder, confoverrides={"ldm_timeline_renderer": "svg"})
    assert app.warning.getvalue() == ""
    page = "index.html"
    first, windowed = gantts(app, page)
    soup = BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("pre.mermaid")) == 1  # the graph stays Mermaid
    assert "<script>alert" not in str(soup)
    links = [(a["href"], a.select_one("g")["data-code"]) for a in first.select("a")]
    assert len(links) == 9
    for href, _ in links:
        assert anchor_exists(Path(app.outdir), page_url, href), href
    assert len(windowed.select("g.ldm-gantt-row")) == 5  # :start: .. :end:
    assert [g.get_text() for g in windowed.select("g.ldm-gantt-group text")] == ["X"]
    assert first.select_one("text.ldm-gantt-title").get_text() == 'Title: with #hash; and "quotes"'
    figure = soup.select_one("figure#fig-hostile")
    assert "Fig. 1" in figure.select_one("figcaption").get_text()
    legend = figure.select_one(".legend").get_text()
    assert "\N{WHITE DIAMOND} baseline" in legend and "Dates:" not in legend


def test_renderer_option_beats_the_config_and_bad_values_warn(
    build_project: BuildFn, tmp_path: Path
) -> None:
    index = (
        "T\n=\n\n.. ldm-timeline::\n   :renderer: svg\n\n"
        ".. ldm-timeline::\n\n"
        ".. ldm-timeline::\n   :renderer: png\n"
    )
    src = write_project(tmp_path / "opts", index)
    app = build_project(src, copy=False)
    warnings = app.warning.getvalue()
    assert warnings.count("[ldm.option]") == 1
    assert "index.rst:9: WARNING: ldm-timeline: :renderer: does not take 'png'" in warnings
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(), "html.parser")
    assert len(gantts(app, "index.html")) == 1
    assert len(soup.select("pre.mermaid")) == 2
    app = build_project(src, copy=False, confoverrides={"ldm_timeline_renderer": "svg"})
    assert len(gantts(app, "index.html")) == 3  # the bad one falls back to the default
    # A bad config value: Sphinx's warning, Mermaid, and no word of :renderer:.
    app = build_project(src, copy=False, confoverrides={"ldm_timeline_renderer": "png"})
    assert app.warning.getvalue().count("[ldm.option]") == 1
    assert "ldm_timeline_renderer" in app.warning.getvalue()
    assert len(gantts(app, "index.html")) == 1


def test_latex_keeps_pgfgantt_and_text_keeps_the_table(build_project: BuildFn) -> None:
    svg = {"ldm_timeline_renderer": "svg"}
    app = build_project("hostile", "latex", confoverrides=svg)
    tex = (Path(app.outdir) / "hostile.tex").read_text()
    assert tex.count("\\begin{ganttchart}") == 2 and "<svg" not in tex
    # The legend that explains pgfgantt's marks, not the SVG's.
    assert tex.count("Dates: forecast (due).") == 2 and "\N{WHITE DIAMOND}" not in tex
    app = build_project("hostile", "text", confoverrides=svg)
    text = (Path(app.outdir) / "index.txt").read_text()
    assert "| Code" in text and "<svg" not in text
