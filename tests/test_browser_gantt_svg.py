"""The build-time SVG Gantt chart (``ldm-timeline :renderer: svg``) in real Chromium, as
readers see it: desktop and phone, light and dark."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext_ldm.load import load_milestones
from tests.browser import VIEWPORTS, reader_tab
from tests.conftest import REPO, BuildFn

playwright = pytest.importorskip("playwright.sync_api")


#: What the page shows of each chart: labels' and the plot's boxes, counts, colours.
MEASURE = """(svg) => {
    const box = svg.parentElement;
    const outer = svg.getBoundingClientRect();
    const plot = svg.querySelector('.ldm-gantt-axis path').getBoundingClientRect();
    const labels = [...svg.querySelectorAll('.ldm-gantt-row text.ldm-gantt-label')].map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, right: r.right, top: r.top,
                bottom: r.bottom, height: r.height};
    });
    const label = svg.querySelector('text.ldm-gantt-label');
    return {
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        scrolls: box.scrollWidth > box.clientWidth,
        scale: outer.width / svg.viewBox.baseVal.width,
        fontSize: parseFloat(getComputedStyle(label).fontSize),
        svgLeft: outer.left, svgRight: outer.right, plotLeft: plot.left,
        labels,
        rows: svg.querySelectorAll('g.ldm-gantt-row').length,
        links: svg.querySelectorAll('a[href] > g.ldm-gantt-row').length,
        baselines: svg.querySelectorAll('.ldm-gantt-baseline').length,
        forecasts: svg.querySelectorAll('.ldm-gantt-forecast').length,
        arrows: svg.querySelectorAll('g.ldm-gantt-arrow').length,
        today: svg.querySelectorAll('g.ldm-gantt-today line').length,
        fill: getComputedStyle(label).fill,
        mark: getComputedStyle(svg.querySelector('.ldm-gantt-forecast')).fill,
        text: getComputedStyle(document.body).color,
        background: getComputedStyle(document.body).backgroundColor,
        theme: document.documentElement.dataset.theme || null,
    };
}"""


def assert_labels_fit(seen: dict[str, Any]) -> None:
    """Every row label whole, left of the plot, none over another."""
    for label in seen["labels"]:
        assert label["left"] >= seen["svgLeft"] - 0.5, label
        assert label["right"] <= seen["plotLeft"], (label, seen["plotLeft"])
    ordered = sorted(seen["labels"], key=lambda label: label["top"])
    for above, below in itertools.pairwise(ordered):
        assert above["bottom"] <= below["top"] + 0.5, (above, below)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_status_page_gantt_for_readers(
    example_html: SphinxTestApp, tmp_path: Path, device: str, scheme: str
) -> None:
    """The Status page's baseline-against-forecast chart: every level 2 row drawn with
    its marks and link, arrows and the today line; labels whole, apart and at least
    10 px; drawn in the text colour of the theme; the page no wider than the screen (the
    chart's box scrolls instead); a click on a mark lands on that milestone's entry."""
    catalog = load_milestones(REPO / "data" / "milestones.yaml").catalog
    level2 = [m for m in catalog if m.level == 2 and m.code.startswith(("LDM-503", "LDM-GEN3"))]
    with reader_tab(Path(example_html.outdir), "status.html", device, scheme) as tab:
        chart = tab.locator("svg.ldm-gantt")
        chart.scroll_into_view_if_needed()
        tab.screenshot(path=str(tmp_path / f"gantt-{device}-{scheme}.png"))
        seen = chart.evaluate(MEASURE)
        mark = tab.locator('svg.ldm-gantt g[data-code="LDM-503-10"] .ldm-gantt-forecast')
        mark.click()
        tab.wait_for_url("**/catalogue.html#ms-LDM-503-10")
        landed = tab.evaluate("location.hash")
    assert seen["theme"] == scheme
    assert seen["rows"] == seen["links"] == seen["forecasts"] == len(level2)
    assert seen["baselines"] == sum(m.baseline is not None for m in level2)
    assert seen["arrows"] >= 20 and seen["today"] == 1
    assert seen["overflow"] <= 1, f"page is {seen['overflow']}px wider than the screen"
    assert seen["scrolls"] == (device == "phone")
    assert_labels_fit(seen)
    assert seen["fontSize"] * seen["scale"] >= 10
    assert min(label["height"] for label in seen["labels"]) >= 10
    assert seen["fill"] == seen["mark"] == seen["text"] != seen["background"]
    assert landed == "#ms-LDM-503-10"


def test_hostile_labels_fit_their_column(build_project: BuildFn) -> None:
    """Long, wide (CJK), marked-up and punctuated names: the label column estimated at
    build time holds each of them as the browser draws it."""
    app = build_project("hostile", confoverrides={"ldm_timeline_renderer": "svg"})
    with reader_tab(Path(app.outdir), "index.html", "desktop", "light") as tab:
        charts = [c.evaluate(MEASURE) for c in tab.locator("svg.ldm-gantt").all()]
    assert [c["rows"] for c in charts] == [9, 5]
    for seen in charts:
        assert_labels_fit(seen)
        assert len({label["text"] for label in seen["labels"]}) == seen["rows"]
