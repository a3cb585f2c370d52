"""ldm-graph in real builds: nodes and arrows from the data, links for every HTML builder,
a table elsewhere, and warnings for contradictory options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import BuildFn, write_project
from tests.test_timeline import CLICK, anchor_exists, charts


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_graph_nodes_arrows_and_links(build_project: BuildFn, builder: str) -> None:
    app = build_project("hostile", builder)
    assert app.warning.getvalue() == ""
    graph = charts(app, "index.html")[2]
    assert graph.strip().startswith("flowchart LR")
    assert len(re.findall(r"^\s+c\d+n\d+\[", graph, re.M)) == 9
    assert len(re.findall(r"-->", graph)) == 3
    links = CLICK.findall(graph)
    assert len(links) == 9
    page_url = "index.html" if builder == "html" else ""
    for _, link in links:
        assert anchor_exists(Path(app.outdir), page_url, link), link


def test_graph_around_a_milestone(build_project: BuildFn) -> None:
    app = build_project("basic")
    src = Path(app.srcdir)
    (src / "graph.rst").write_text(
        ":orphan:\n\nGraph\n=====\n\n.. ldm-graph:: DM-A-1\n\n.. ldm-graph:: DM-A-1\n   :depth: 2\n"
    )
    app = build_project(src, copy=False)
    near, far = charts(app, "graph.html")
    assert "LDM-503-01" in near and "LDM-503-02" not in near and "DM-A-2" not in near
    # two steps: LDM-503-01's other predecessor and its successor LDM-503-02
    for code in ("LDM-503-01", "LDM-503-02", "DM-A-2"):
        assert re.search(r"#\d+;" + re.escape(code[1:]) + "<br>", far), code


def test_graph_table_for_text_builder(build_project: BuildFn) -> None:
    app = build_project("hostile", "text")
    text = (Path(app.outdir) / "index.txt").read_text()
    assert "| Predecessors" in text and "| Successors" in text


def test_graph_warnings(build_project: BuildFn, tmp_path: Path) -> None:
    src = write_project(
        tmp_path / "g",
        "T\n=\n\n.. ldm-graph:: A\n   :levels: 2\n   :depth: zero\n\n.. ldm-graph:: NOPE\n",
    )
    app = build_project(src, copy=False)
    warnings = app.warning.getvalue()
    assert warnings.count("[ldm.option]") == 2
    assert ":levels: ignored: the graph is drawn around A" in warnings
    assert "unknown milestone code NOPE" in warnings
    assert "[milestone NOPE: unknown code]" in (Path(app.outdir) / "index.html").read_text()
