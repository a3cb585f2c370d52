"""ldm-timeline in real builds: links resolve for every HTML builder, figures are numbered,
and non-HTML builders get a readable table."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from tests.conftest import BuildFn, write_project
from tests.test_mermaid import decode

CLICK = re.compile(r'click (c\d+[mn]\d+) href "([^"]+)"')


def charts(app: SphinxTestApp, page: str) -> list[str]:
    soup = BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")
    return [pre.get_text() for pre in soup.select("pre.mermaid")]


def anchor_exists(outdir: Path, page_url: str, link: str) -> bool:
    target = urljoin(page_url, link)
    path, _, fragment = target.partition("#")
    file = outdir / path
    if file.is_dir() or path.endswith("/") or not path:
        file = file / "index.html"
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    return soup.find(id=fragment) is not None


@pytest.mark.parametrize(
    ("builder", "page", "page_url"),
    [
        ("html", "index.html", "index.html"),
        ("dirhtml", "index.html", ""),
        ("singlehtml", "index.html", "index.html"),
    ],
)
def test_every_row_links_to_an_existing_anchor(
    build_project: BuildFn, builder: str, page: str, page_url: str
) -> None:
    app = build_project("hostile", builder)
    assert app.warning.getvalue() == ""
    first, windowed, _graph = charts(app, page)
    links = CLICK.findall(first)
    assert len(links) == 9  # every milestone of the hostile file
    for _, link in links:
        assert anchor_exists(Path(app.outdir), page_url, link), link
    assert len(CLICK.findall(windowed)) == 5  # :start: 2020-02-01 .. :end: 2021-06-30


def test_timeline_is_a_numbered_figure_with_a_legend(build_project: BuildFn) -> None:
    app = build_project("hostile")
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(), "html.parser")
    figure = soup.select_one("figure#fig-hostile")
    assert "Fig. 1" in figure.select_one("figcaption").get_text()
    legend = figure.select_one(".legend").get_text()
    assert "completed" in legend and "late (due before 2021-01-01" in legend


def test_hostile_names_stay_data_in_html(build_project: BuildFn) -> None:
    app = build_project("hostile")
    page = (Path(app.outdir) / "catalogue.html").read_text()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    chart = charts(app, "index.html")[0]
    assert "<script>" not in chart and "javascript:" not in chart


def test_baseline_schedule_lists_undated_milestones(build_project: BuildFn) -> None:
    app = build_project("basic")
    src = Path(app.srcdir) / "timeline.rst"
    src.write_text(":orphan:\n\nTimeline\n========\n\n.. ldm-timeline::\n   :schedule: baseline\n")
    app = build_project(Path(app.srcdir), copy=False)
    soup = BeautifulSoup((Path(app.outdir) / "timeline.html").read_text(), "html.parser")
    undated = soup.select_one(".ldm-undated").get_text()
    assert "DM-A-1" in undated and "LDM-503-01" in undated and "LDM-503-02" not in undated
    (chart,) = charts(app, "timeline.html")
    assert len(CLICK.findall(chart)) == 1


def test_text_builder_gets_a_table(build_project: BuildFn) -> None:
    app = build_project("hostile", "text")
    text = (Path(app.outdir) / "index.txt").read_text()
    assert "graph" not in text  # not sphinxcontrib-mermaid's placeholder
    assert "| Code" in text and "| Status" in text
    assert "<script>alert('x')</script> & <b>bold</b>" in text
    assert "Completed" in text and "Late" in text and "Upcoming" in text


def test_bad_options_warn_and_still_draw(build_project: BuildFn, tmp_path: Path) -> None:
    src = write_project(
        tmp_path / "opts",
        "T\n=\n\n.. ldm-timeline::\n   :schedule: someday\n   :group-by: colour\n"
        "   :start: 2022-01-01\n   :end: 2021-01-01\n",
    )
    app = build_project(src, copy=False)
    warnings = app.warning.getvalue()
    assert warnings.count("[ldm.option]") == 3
    assert len(charts(app, "index.html")) == 1


def test_mermaid_config_applies_to_timelines(build_project: BuildFn) -> None:
    """The project's mermaid_config reaches our charts, over our Gantt layout: the user's
    gantt keys win, ours fill in the rest."""
    config = {"theme": "forest", "gantt": {"fontSize": 14}}
    app = build_project("hostile", confoverrides={"mermaid_config": config})
    chart = charts(app, "index.html")[0].strip()
    front, _, rest = chart.removeprefix("---\n").partition("---\n")
    assert yaml.safe_load(front) == {
        "config": {
            "theme": "forest",
            "gantt": {"fontSize": 14, "sectionFontSize": 12, "useWidth": 1000},
        }
    }
    assert rest.startswith("gantt")
    assert html.unescape(rest).count("gantt") == 1


LABELLED = """\
Labels
======

.. ldm-catalogue::

.. ldm-timeline::
   :labels: {labels}

.. ldm-timeline::
   :labels: {labels}
   :renderer: svg

.. ldm-graph::
   :labels: {labels}
"""
TWO = (
    "milestones:\n"
    "  - {code: A-1, name: Long name one, short_name: Short one, due: 2021-01-01}\n"
    "  - {code: B-2, name: Name two, due: 2021-03-01, predecessors: [A-1]}\n"
)


@pytest.mark.parametrize(
    ("labels", "gantt", "graph"),
    [
        ("name", ["Short one", "Name two"], [["Short one"], ["Name two"]]),
        ("code", ["A-1", "B-2"], [["A-1"], ["B-2"]]),
        (
            "code-name",
            ["A-1 Short one", "B-2 Name two"],
            [["A-1", "Short one"], ["B-2", "Name two"]],
        ),
    ],
)
def test_chart_labels_option(
    build_project: BuildFn, tmp_path: Path, labels: str, gantt: list[str], graph: list[list[str]]
) -> None:
    """:labels: code, name or code-name labels Mermaid's rows and nodes, and the SVG
    chart's rows, the same way."""
    src = write_project(tmp_path / "p", LABELLED.format(labels=labels), TWO)
    app = build_project(src, copy=False, confoverrides={"ldm_today": "2020-01-01"})
    assert app.warning.getvalue() == ""
    timeline, flow = charts(app, "index.html")
    shown = [decode(m.group(1)) for m in re.finditer(r"^    (.+?):milestone", timeline, re.M)]
    assert shown == gantt
    nodes_shown = [
        [decode(part) for part in m.group(1).split("<br>")]
        for m in re.finditer(r'^    c\d+n\d+\["(.*)"\]', flow, re.M)
    ]
    assert nodes_shown == graph
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(), "html.parser")
    svg_labels = [t.get_text() for t in soup.select("svg.ldm-gantt text.ldm-gantt-label")]
    assert svg_labels == gantt


def test_chart_labels_option_bad_value(build_project: BuildFn, tmp_path: Path) -> None:
    src = write_project(tmp_path / "p", LABELLED.format(labels="initials"), TWO)
    app = build_project(src, copy=False)
    warnings = app.warning.getvalue()
    assert warnings.count("[ldm.option]") == 3
    assert "index.rst:6: WARNING: ldm-timeline: :labels: does not take 'initials'" in warnings
