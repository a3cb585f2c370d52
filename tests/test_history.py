"""Schedule history: snapshots, the milestone trend analysis chart, catalogue history,
history columns, milestones.json's history, `import --snapshot`, incremental and
parallel builds. Projects with two, three and many snapshots are built for real."""

from __future__ import annotations

import contextlib
import datetime
import io
import itertools
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from bs4 import BeautifulSoup
from docutils.core import publish_parts
from docutils.writers import html5_polyglot
from sphinx.testing.util import SphinxTestApp

from sphinxext_ldm.cli import main
from sphinxext_ldm.exports import SCHEMA_PATH
from sphinxext_ldm.history import History, Snapshot, with_current
from sphinxext_ldm.load import load_milestones, load_milestones_text
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.render.trend import LABEL_GAP, TrendLine, layout, spread
from sphinxext_ldm.snapshots import load_snapshots
from tests.conftest import REPO, BuildFn, write_project
from tests.test_import import EXPORT
from tests.test_incremental import build_watching

D = datetime.date


def snapshot_text(as_of: str, *milestones: str) -> str:
    return f"as_of: {as_of}\nmilestones:\n" + "".join(f"  - {m}\n" for m in milestones)


#: Three reports of three level-2 milestones: A slips twice, B holds, C is completed.
SNAPSHOTS = {
    "2020-01-31.yaml": snapshot_text(
        "2020-01-31",
        "{code: A, name: Slipping, level: 2, due: 2021-01-01}",
        "{code: B, name: Holding, level: 2, due: 2021-06-01}",
        "{code: C, name: Done, level: 2, due: 2020-06-01}",
    ),
    "2020-06-30.yaml": snapshot_text(
        "2020-06-30",
        "{code: A, name: Slipping, level: 2, due: 2021-04-01}",
        "{code: B, name: Holding, level: 2, due: 2021-06-01}",
        "{code: C, name: Done, level: 2, due: 2020-06-15, completed: 2020-06-10}",
    ),
}
#: The current data: the newest point (as of ldm_today, 2021-01-15).
CURRENT = (
    "milestones:\n"
    "  - {code: A, name: Slipping, level: 2, due: 2021-09-01, baseline: 2021-01-01}\n"
    "  - {code: B, name: Holding, level: 2, due: 2021-06-01}\n"
    "  - {code: C, name: Done, level: 2, due: 2020-06-15, completed: 2020-06-10}\n"
    "  - {code: N, name: New, level: 2, due: 2021-12-01}\n"
)
CONF = 'ldm_history_path = "history"\nldm_today = "2021-01-15"\nnumfig = True\n'
TREND = (
    "Plan\n====\n\n.. ldm-trend::\n   :levels: 2\n   :caption: Trend.\n\n"
    ".. ldm-milestone-table::\n   :levels: 2\n   :sort: slip-first\n"
    "   :columns: code, first-seen, slip-first, slip-last, moves\n\n"
    ".. ldm-catalogue::\n"
)


def history_project(root: Path, snapshots: dict[str, str] = SNAPSHOTS, rst: str = TREND) -> Path:
    src = write_project(root, rst, CURRENT, CONF)
    (src / "history").mkdir()
    for name, text in snapshots.items():
        (src / "history" / name).write_text(text)
    return src


def soup(app: SphinxTestApp, page: str = "index.html") -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")


# -- the model -------------------------------------------------------------------------------


def test_series_first_seen_slips_and_moves() -> None:
    snapshots = [load_milestones_text_snapshot(text) for text in SNAPSHOTS.values()]
    history, dropped = with_current(snapshots, catalog(CURRENT), D(2021, 1, 15))
    assert dropped == []
    assert history.report_dates == [D(2020, 1, 31), D(2020, 6, 30), D(2021, 1, 15)]
    assert [r.due for r in history.of("A")] == [D(2021, 1, 1), D(2021, 4, 1), D(2021, 9, 1)]
    assert history.first_seen("A").as_of == D(2020, 1, 31)  # type: ignore[union-attr]
    assert history.slip_since_first("A") == (D(2021, 9, 1) - D(2021, 1, 1)).days
    assert history.slip_last("A") == (D(2021, 9, 1) - D(2021, 4, 1)).days
    assert history.moves("A") == 2 and history.moves("B") == 0 and history.moves("C") == 1
    assert history.first_seen("N").as_of == D(2021, 1, 15)  # type: ignore[union-attr]
    assert history.slip_last("N") is None and history.slip_since_first("N") == 0
    assert [r.as_of for r in history.changed_forecasts("B")] == [D(2020, 1, 31)]


def test_the_current_data_replaces_a_snapshot_of_its_date_and_ends_the_history() -> None:
    old = Snapshot.of(D(2020, 1, 31), [Milestone("A", "x", D(2020, 5, 1))])
    same = Snapshot.of(D(2021, 1, 15), [Milestone("A", "x", D(2020, 6, 1))])
    newer = Snapshot.of(D(2021, 2, 28), [Milestone("A", "x", D(2020, 7, 1))])
    history, dropped = with_current([old, same, newer], catalog(CURRENT), D(2021, 1, 15))
    assert history.report_dates == [D(2020, 1, 31), D(2021, 1, 15)]
    assert history.of("A")[-1].due == D(2021, 9, 1)  # the current data's, not the snapshot's
    assert dropped == [newer]


def load_milestones_text_snapshot(text: str) -> Snapshot:
    result = load_milestones_text(text)
    assert result.problems == [] and result.as_of is not None
    return Snapshot.of(result.as_of, result.catalog)


def catalog(text: str) -> Catalog:
    return load_milestones_text(text).catalog


# -- the chart's layout ----------------------------------------------------------------------


def test_marks_lie_on_linear_axes_and_completions_on_the_diagonal() -> None:
    snapshots = [load_milestones_text_snapshot(text) for text in SNAPSHOTS.values()]
    history, _ = with_current(snapshots, catalog(CURRENT), D(2021, 1, 15))
    lines = [TrendLine(c, c, c, history.of(c)) for c in ("A", "B", "C")]
    plan = layout(lines, history.report_dates)
    assert plan is not None
    a, b, c = plan.lines
    # A: one mark per report; x grows with the report date in proportion to the days.
    xs = [plan.x(m.day) for m in a.marks]
    days = [(m.day - a.marks[0].day).days for m in a.marks]
    assert xs[1] - xs[0] == pytest.approx((xs[2] - xs[0]) * days[1] / days[2])
    ys = [plan.y(m.due) for m in a.marks]
    assert ys[0] > ys[1] > ys[2]  # later forecasts are higher up (smaller y)
    # B holds its date: a flat line.
    assert len({round(plan.y(m.due), 6) for m in b.marks}) == 1
    # C is completed on 2020-06-10: its last mark is on the diagonal, at that date.
    reached = c.marks[-1]
    assert reached.reached and reached.day == reached.due == D(2020, 6, 10)
    assert len(c.marks) == 2  # the first report, then the completion
    diagonal = plan.diagonal()
    assert diagonal is not None and diagonal[0] <= reached.day <= diagonal[1]


def test_labels_never_overlap_and_stay_in_order() -> None:
    wanted = [100.0, 101.0, 102.0, 300.0, 450.0, 451.0]
    placed = spread(wanted, 10, 452, LABEL_GAP)
    ordered = sorted(placed)
    assert all(b - a >= LABEL_GAP for a, b in itertools.pairwise(ordered))
    assert placed == sorted(placed)  # the order of the lines' ends is kept
    assert max(placed) <= 452


# -- builds ------------------------------------------------------------------------------------


def svg_marks(page: BeautifulSoup) -> dict[str, list[tuple[float, float]]]:
    """code -> (cx, cy) of each mark (circles and the completion diamond's centre)."""
    found: dict[str, list[tuple[float, float]]] = {}
    for group in page.select("svg.ldm-trend g.ldm-trend-milestone"):
        marks = []
        for shape in group.find_all(["circle", "path"]):
            if shape.name == "circle":
                marks.append((float(shape["cx"]), float(shape["cy"])))
            else:
                x, y = map(float, re.match(r"M([\d.]+) ([\d.]+)", shape["d"]).groups())  # type: ignore[union-attr]
                marks.append((x, y + 5))
        found[group["data-code"]] = marks
    return found


def axis_ticks(page: BeautifulSoup) -> tuple[dict[str, float], dict[str, float]]:
    """Tick label -> x (report-date axis) and -> y (forecast axis), from the SVG."""
    across, up = {}, {}
    for text in page.select("svg.ldm-trend g.ldm-trend-labels text"):
        label = text.get_text()
        if text.get("text-anchor") == "middle" and re.fullmatch(r"\d{4}(-\d\d)?", label):
            across[label] = float(text["x"])
        elif text.get("text-anchor") == "end":
            up[label] = float(text["y"]) - 4
    return across, up


def test_trend_chart_in_html(tmp_path: Path, build_project: BuildFn) -> None:
    app = build_project(history_project(tmp_path / "src"), copy=False)
    assert app.warning.getvalue() == ""
    page = soup(app)
    figure = page.select_one("figure.ldm-trend")
    assert figure is not None and "Fig. 1" in figure.select_one("figcaption").get_text()
    marks = svg_marks(page)
    assert {code: len(points) for code, points in marks.items()} == {"A": 3, "B": 3, "C": 2, "N": 1}
    # Report dates across: the three reports of A at three x positions, in order.
    xs = [x for x, _ in marks["A"]]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert [x for x, _ in marks["B"]] == xs  # the same report dates for B
    assert len({y for _, y in marks["B"]}) == 1  # B held its date
    # The diagonal passes where report date = forecast date: through the 2021 ticks.
    across, up = axis_ticks(page)
    line = page.select_one("svg.ldm-trend line.ldm-trend-diagonal")
    x1, y1, x2, y2 = (float(line[k]) for k in ("x1", "y1", "x2", "y2"))
    x21, y21 = across["2021"], up["2021"]
    assert (y21 - y1) * (x2 - x1) == pytest.approx((y2 - y1) * (x21 - x1), rel=2e-3)
    # C's completion diamond is on the diagonal too.
    cx, cy = marks["C"][-1]
    assert (cy - y1) * (x2 - x1) == pytest.approx((y2 - y1) * (cx - x1), rel=2e-3)
    # Each line links to its catalogue entry; every mark has a title.
    links = {a["href"]: a.select_one("g")["data-code"] for a in page.select("svg.ldm-trend a")}
    assert links == {"#ms-A": "A", "#ms-B": "B", "#ms-C": "C", "#ms-N": "N"}
    titles = [t.get_text() for t in page.select("svg.ldm-trend circle > title")]
    assert "A: Slipping \N{EM DASH} as of 2020-06-30: due 2021-04-01" in titles
    svg = str(page.select_one("svg.ldm-trend"))
    assert "currentColor" in svg and not re.search(r'(fill|stroke)="#', svg)


def test_trend_with_many_snapshots(tmp_path: Path, build_project: BuildFn) -> None:
    """24 monthly reports of 20 milestones, each slipping a week a month."""

    def rows(month: int) -> list[str]:
        return [
            f"{{code: M-{i}, name: Milestone {i}, level: 2, "
            f"due: {(D(2021, 1, 1) + datetime.timedelta(days=30 * i + 7 * month)).isoformat()}}}"
            for i in range(20)
        ]

    snapshots = {}
    for month in range(24):
        as_of = D(2019 + month // 12, month % 12 + 1, 28)
        snapshots[f"{as_of}.yaml"] = snapshot_text(as_of.isoformat(), *rows(month))
    rst = "Plan\n====\n\n.. ldm-trend::\n   :prefixes: M-\n"
    src = history_project(tmp_path / "src", snapshots, rst)
    (src / "m.yaml").write_text("milestones:\n" + "".join(f"  - {r}\n" for r in rows(24)))
    app = build_project(src, copy=False)
    assert app.warning.getvalue() == ""
    marks = svg_marks(soup(app))
    assert len(marks) == 20
    assert all(len(points) == 25 for points in marks.values())  # and the current data
    ys = [y for _, y in marks["M-0"]]
    assert ys == sorted(ys, reverse=True)  # a week later every month: always climbing
    labels = sorted(float(t["y"]) for t in soup(app).select("text.ldm-trend-label"))
    assert all(b - a >= LABEL_GAP - 0.05 for a, b in itertools.pairwise(labels))


def test_catalogue_entries_show_their_history(tmp_path: Path, build_project: BuildFn) -> None:
    app = build_project(history_project(tmp_path / "src"), copy=False)
    entry = soup(app).find(id="ms-A").find_parent("dl")
    fields = {
        dt.get_text(strip=True).rstrip(":"): " ".join(dt.find_next("dd").get_text().split())
        for dt in entry.select("dl.ldm-fields dt")
    }
    assert fields["First seen"] == "2020-01-31, due 2021-01-01"
    assert (
        fields["Forecasts"]
        == "2020-01-31: 2021-01-01; 2020-06-30: 2021-04-01; 2021-01-15: 2021-09-01"
    )
    assert fields["Slip"] == (
        "+243 days since first seen; +153 days since the previous report (2020-06-30); "
        "moved 2 times"
    )
    b = soup(app).find(id="ms-B").find_parent("dl")
    assert "(unchanged at the other 2 of 3 reports)" in b.get_text()


def test_slip_table_columns_and_sorts(tmp_path: Path, build_project: BuildFn) -> None:
    app = build_project(history_project(tmp_path / "src"), copy=False)
    table = soup(app).select_one("table.ldm-table")
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert rows == [
        ["A", "2020-01-31", "+243 days", "+153 days", "2"],
        ["C", "2020-01-31", "+14 days", "0 days", "1"],
        ["B", "2020-01-31", "0 days", "0 days", "0"],
        ["N", "2021-01-15", "0 days", "\N{EM DASH}", "0"],
    ]


def test_json_export_carries_the_history(tmp_path: Path, build_project: BuildFn) -> None:
    app = build_project(history_project(tmp_path / "src"), copy=False)
    document = json.loads((Path(app.outdir) / "milestones.json").read_text())
    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))
    by_code = {m["code"]: m for m in document["milestones"]}
    assert by_code["C"]["history"] == [
        {"as_of": "2020-01-31", "due": "2020-06-01", "completed": None},
        {"as_of": "2020-06-30", "due": "2020-06-15", "completed": "2020-06-10"},
        {"as_of": "2021-01-15", "due": "2020-06-15", "completed": "2020-06-10"},
    ]


def test_other_builders_get_a_table_and_latex_a_tikz_chart(
    tmp_path: Path, build_project: BuildFn
) -> None:
    src = history_project(tmp_path / "src")
    xml = build_project(src, "xml", copy=False)
    tree = ElementTree.parse(Path(xml.outdir) / "index.xml")
    (table,) = (t for t in tree.iter("table") if "ldm-chart-table" in t.get("classes", ""))
    rows = [
        [" ".join("".join(e.itertext()).split()) for e in row.iter("entry")]
        for row in table.iter("row")
    ]
    assert rows[0] == ["Code", "Name", "Forecast (report date: due date)"]
    by_code = {row[0]: row[1:] for row in rows[1:]}
    assert by_code["A"] == [
        "Slipping", "2020-01-31: 2021-01-01; 2020-06-30: 2021-04-01; 2021-01-15: 2021-09-01"
    ]  # fmt: skip
    latex = build_project(src, "latex", copy=False)
    (tex,) = Path(latex.outdir).glob("*.tex")
    body = tex.read_text()
    assert body.count("\\begin{tikzpicture}") == 1
    assert body.count("circle (1.2pt)") == 3 + 3 + 1 + 1  # A, B, C before completion, N
    assert "+(0,2pt) -- +(2pt,0)" in body  # C's completion on the diagonal


def test_history_problems_are_located_warnings(tmp_path: Path, build_project: BuildFn) -> None:
    snapshots = {
        **SNAPSHOTS,
        "no-date.yaml": "milestones:\n  - {code: A, name: X, due: 2020-01-01}\n",
        "again.yaml": snapshot_text("2020-06-30", "{code: A, name: X, due: 2020-01-01}"),
        "future.yaml": snapshot_text("2021-03-31", "{code: A, name: X, due: 2020-01-01}"),
    }
    app = build_project(history_project(tmp_path / "src", snapshots), copy=False)
    warnings = app.warning.getvalue()
    assert "no-date.yaml:1: WARNING: a snapshot needs its report date" in warnings
    assert "again.yaml:1: WARNING: the snapshot again.yaml has the as_of 2020-06-30 of" in warnings
    assert "future.yaml:1: WARNING: the snapshot as of 2021-03-31 is newer than the current" in (
        warnings
    )
    assert warnings.count("[ldm.") == 3


def test_trend_without_history_warns(tmp_path: Path, build_project: BuildFn) -> None:
    src = write_project(tmp_path / "src", "T\n=\n\n.. ldm-trend::\n", CURRENT)
    app = build_project(src, copy=False)
    assert "index.rst:4: WARNING: ldm-trend: there is no history to draw" in app.warning.getvalue()
    assert "No schedule history to show" in (Path(app.outdir) / "index.html").read_text()


# -- snapshots are parsed once; incremental and parallel builds ---------------------------------


def test_snapshots_are_parsed_once(tmp_path: Path) -> None:
    src = history_project(tmp_path / "src")
    first, cache = load_snapshots(src / "history")[0], load_snapshots(src / "history")[2]
    assert cache.parsed == 2
    again, _, cache2 = load_snapshots(src / "history", cache)
    assert cache2.parsed == 0 and again == first
    (src / "history" / "2020-06-30.yaml").write_text(SNAPSHOTS["2020-06-30.yaml"] + "\n")
    _, _, cache3 = load_snapshots(src / "history", cache2)
    assert cache3.parsed == 1


PAGES = {
    "index.rst": "Plan\n====\n\n.. toctree::\n\n   trend\n   table\n   catalogue\n   other\n",
    "trend.rst": "Trend\n=====\n\n.. ldm-trend::\n",
    "table.rst": "Table\n=====\n\n.. ldm-milestone-table::\n   :columns: code, moves\n",
    "catalogue.rst": "Catalogue\n=========\n\n.. ldm-catalogue::\n",
    "other.rst": "Other\n=====\n\n.. ldm-milestones::\n   :levels: 2\n",
}


def pages_project(root: Path) -> Path:
    src = history_project(root, rst=PAGES["index.rst"])
    for name, text in PAGES.items():
        (src / name).write_text(text)
    return src


def test_adding_a_snapshot_reads_and_writes_only_the_history_pages(tmp_path: Path) -> None:
    src = pages_project(tmp_path / "src")
    build_watching(src)
    _, read, written = build_watching(src)
    assert (read, written) == ([], [])
    (src / "history" / "2020-09-30.yaml").write_text(
        snapshot_text("2020-09-30", "{code: A, name: Slipping, level: 2, due: 2021-06-01}")
    )
    app, read, written = build_watching(src)
    assert read == ["table"]  # built while reading
    # The chart and the entries are made when written; index lists the re-read table in
    # its toctree, and Sphinx writes such pages again. "other" is neither.
    assert written == ["catalogue", "index", "table", "trend"]
    assert "2020-09-30: 2021-06-01" in (Path(app.outdir) / "catalogue.html").read_text()


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    outputs = []
    for jobs in (1, 2):
        src = pages_project(tmp_path / f"j{jobs}")
        app = SphinxTestApp("html", srcdir=src, parallel=jobs)
        try:
            app.build()
        finally:
            app.cleanup()
        outputs.append(
            {
                name: (Path(app.outdir) / f"{name}.html").read_text().replace(f"j{jobs}", "J")
                for name in ("trend", "table", "catalogue", "other")
            }
        )
    assert outputs[0] == outputs[1]


# -- import --snapshot -------------------------------------------------------------------------


def test_import_writes_a_snapshot_dated_at_the_exports_month_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = tmp_path / "history"
    history.mkdir()
    export = tmp_path / "201802-ME.csv"
    shutil.copy(EXPORT, export)
    assert main(["import", str(export), "--snapshot", str(history)]) == 0
    err = capsys.readouterr().err
    written = history / "2018-02-28.yaml"
    assert f"Wrote the snapshot as of 2018-02-28 to {written}." in err
    result = load_milestones(written)
    assert result.problems == [] and result.as_of == D(2018, 2, 28)
    assert len(result.catalog) == 402
    assert all(m.description is None for m in result.catalog)  # only what history needs
    assert main(["import", str(export), "--snapshot", str(history), "--as-of", "2018-03-05"]) == 0
    assert load_milestones(history / "2018-03-05.yaml").as_of == D(2018, 3, 5)
    undated = tmp_path / "export.csv"
    shutil.copy(EXPORT, undated)
    capsys.readouterr()
    assert main(["import", str(undated), "--snapshot", str(history)]) == 1
    assert "--snapshot needs the report date" in capsys.readouterr().err


def test_example_docs_history_is_real(tmp_path: Path) -> None:
    """example-docs' snapshots load cleanly and give the level 2 milestones 4 reports."""
    snapshots, problems, _ = load_snapshots(REPO / "data" / "history")
    assert problems == []
    assert [s.as_of for s in snapshots] == [D(2018, 2, 28), D(2019, 4, 30), D(2022, 7, 31)]
    current = load_milestones(REPO / "data" / "milestones.yaml").catalog
    history: History = with_current(snapshots, current, D(2022, 8, 13))[0]
    assert [r.as_of for r in history.of("LDM-503-10")] == [
        D(2018, 2, 28), D(2019, 4, 30), D(2022, 7, 31), D(2022, 8, 13),
    ]  # fmt: skip


# -- ldm-changes -----------------------------------------------------------------------------


def html_text(markup: str) -> str:
    return " ".join(BeautifulSoup(markup, "html.parser").get_text(" ").split())


def squeezed(text: str) -> str:
    """``text`` without white space: the same characters in the same order (pages split
    text at their inline elements, such as acronym hovers)."""
    return "".join(text.split())


def cli_report(old: Path, new: Path, *levels: str) -> str:
    """``sphinxext-ldm changes OLD NEW --format rst``, rendered by docutils, as text."""
    out = io.StringIO()
    args = ["changes", str(old), str(new), "--format", "rst"]
    if levels:
        args += ["--levels", ",".join(levels)]
    with contextlib.redirect_stdout(out):
        assert main(args) == 0
    settings = {"report_level": 5, "smart_quotes": False}
    return html_text(
        publish_parts(out.getvalue(), writer=html5_polyglot.Writer(), settings_overrides=settings)[
            "body"
        ]
    )


def test_changes_directive_says_what_the_cli_says(tmp_path: Path, build_project: BuildFn) -> None:
    rst = (
        "Changes\n=======\n\n.. ldm-changes::\n\n"
        "Since the first\n---------------\n\n.. ldm-changes::\n   :from: first\n\n"
        "Catalogue\n---------\n\n.. ldm-catalogue::\n"
    )
    src = history_project(tmp_path / "src", rst=rst)
    app = build_project(src, copy=False)
    assert app.warning.getvalue() == ""
    reports = soup(app).select("div.ldm-changes-report")
    assert len(reports) == 2
    last, first = (html_text(str(r)) for r in reports)
    assert last.startswith("From 2020-06-30 to 2021-01-15: 1 added, 1 due date(s) moved.")
    assert first.startswith("From 2020-01-31 to 2021-01-15: 1 added, 1 newly completed, 2 due")
    for shown, old in ((last, "2020-06-30.yaml"), (first, "2020-01-31.yaml")):
        expected = cli_report(src / "history" / old, src / "m.yaml")
        assert squeezed(shown.split(": ", 1)[1]) == squeezed(expected.split(": ", 1)[1])
    # Codes link to their entries; the table of moves has the slip in days.
    links = {a.get_text(): a["href"] for a in reports[1].select("a")}
    assert links["N"] == "#ms-N" and links["A"] == "#ms-A"
    assert "+243" in first


def test_example_docs_appendix_is_the_cli_report(example_html: SphinxTestApp) -> None:
    page = BeautifulSoup(
        (Path(example_html.outdir) / "schedule-changes.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    shown = html_text(str(page.select_one("div.ldm-changes-report")))
    assert shown.startswith("From 2018-02-28 to 2022-08-13: ")
    expected = cli_report(
        REPO / "data" / "history" / "2018-02-28.yaml", REPO / "data" / "milestones.yaml", "2", "3"
    )
    assert squeezed(shown.split(": ", 1)[1]) == squeezed(expected.split(": ", 1)[1])
    assert "Due dates moved" in shown and "Renamed" in shown


def test_changes_options_and_problems(tmp_path: Path, build_project: BuildFn) -> None:
    rst = "C\n=\n\n.. ldm-changes::\n   :from: 2019-01-01\n   :levels: 2, 7\n"
    app = build_project(history_project(tmp_path / "src", rst=rst), copy=False)
    warnings = app.warning.getvalue()
    assert (
        "ldm-changes: :from: '2019-01-01' is not a report date; choose from first, current, "
        "2020-01-31, 2020-06-30, 2021-01-15"
    ) in warnings
    assert "ldm-changes: :levels: does not take '7'; choose from 1, 2, 3, 4" in warnings
    lone = write_project(tmp_path / "lone", "C\n=\n\n.. ldm-changes::\n", CURRENT)
    app = build_project(lone, copy=False)
    assert "ldm-changes: there are no two reports to compare" in app.warning.getvalue()


def test_a_snapshot_that_cannot_be_written_stops_the_import_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "201802-ME.csv"
    shutil.copy(EXPORT, export)
    into = tmp_path / "milestones.yaml"
    missing = tmp_path / "no" / "such" / "dir"
    status = main(["import", str(export), "--into", str(into), "--snapshot", str(missing)])
    assert status == 1
    err = capsys.readouterr().err
    assert f"cannot write {missing}/2018-02-28.yaml" in err
    assert "Nothing was written" in err
    assert not into.exists()  # checked before anything was read or written
