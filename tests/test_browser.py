"""Charts render in real headless Chromium with Mermaid JS from npm: every chart becomes an
SVG without errors, shows one marker per selected milestone with its name as written, and
every marker's link leads to an existing anchor."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext_ldm.load import load_milestones
from tests.browser import (
    CHROMIUM_ARGS,
    VIEWPORTS,
    chromium_path,
    mermaid_dist,
    reader_tab,
    serve,
)
from tests.conftest import REPO, TESTS, copy_example_docs
from tests.test_timeline import anchor_exists

playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

# Overridden before Mermaid loads: its click handlers call window.open.
RECORD_OPENS = "window.__opened = []; window.open = (url) => { window.__opened.push(url); };"
# pydata-sphinx-theme logs this on a first visit (no stored theme choice): not ours.
IGNORED_CONSOLE = ("Got invalid theme mode",)


def build(src: Path, dist: Path) -> Path:
    app = SphinxTestApp("html", srcdir=src, confoverrides={"ldm_mermaid_dist": str(dist)})
    try:
        app.build()
        assert app.warning.getvalue() == ""
        return Path(app.outdir)
    finally:
        app.cleanup()


def render(base_url: str, page: str) -> dict[str, Any]:
    """Open ``page``, let Mermaid run, click every marker; report what happened."""
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.add_init_script(RECORD_OPENS)
            tab.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
            tab.on(
                "console",
                lambda msg: (
                    errors.append(f"{msg.text} ({msg.location['url']})")
                    if msg.type == "error"
                    and not msg.text.startswith(IGNORED_CONSOLE)
                    and not msg.location["url"].endswith("favicon.ico")
                    else None
                ),
            )
            tab.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
            tab.on(
                "response",
                lambda r: (
                    errors.append(f"{r.status}: {r.url}")
                    if r.status >= 400 and not r.url.endswith("favicon.ico")
                    else None
                ),
            )
            tab.goto(base_url + page)
            tab.wait_for_function(
                # An svg is inserted before it is drawn: wait for its text.
                "[...document.querySelectorAll('pre.mermaid')].every("
                "pre => pre.querySelectorAll('svg text, svg foreignObject').length > 0)",
                timeout=30_000,
            )
            result: dict[str, Any] = tab.evaluate(
                """() => { const LABELS = 'svg text.taskText, svg text.taskTextOutsideRight,'
                    + ' svg text.taskTextOutsideLeft';
                    const MARKERS = 'svg rect.milestone, svg g.node';
                    return [...document.querySelectorAll('pre.mermaid')].map(pre => ({
                    svg: !!pre.querySelector('svg'),
                    text: pre.textContent,
                    markers: pre.querySelectorAll(MARKERS).length,
                    labels: [...pre.querySelectorAll(LABELS)].map(t => t.textContent),
                })); }"""
            )
            # Gantt links are click handlers; flowchart links are <a> elements.
            tab.evaluate(
                "document.querySelectorAll('pre.mermaid svg rect.milestone')"
                ".forEach(m => m.dispatchEvent(new MouseEvent('click', {bubbles: true})))"
            )
            opened = tab.evaluate("window.__opened")
            opened += tab.evaluate(
                "[...document.querySelectorAll('pre.mermaid svg a')]"
                ".map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))"
            )
        finally:
            browser.close()
    return {"charts": result, "opened": opened, "errors": errors}


@pytest.fixture(scope="module")
def dist() -> Path:
    chromium_path()
    return mermaid_dist()


def check_page(outdir: Path, page: str, expected_markers: list[int]) -> dict[str, Any]:
    with serve(outdir) as base_url:
        seen = render(base_url, page)
    assert seen["errors"] == []
    charts = seen["charts"]
    assert [c["svg"] for c in charts] == [True] * len(expected_markers)
    assert not any("Syntax error" in c["text"] for c in charts)
    assert [c["markers"] for c in charts] == expected_markers
    assert len(seen["opened"]) == sum(expected_markers)
    for url in seen["opened"]:
        assert anchor_exists(outdir, page, url), url
    return seen


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Path:
    return build(copy_example_docs(tmp_path_factory.mktemp("site")), dist)


def test_example_docs_figures_render(example_site: Path) -> None:
    outdir = example_site
    catalog = load_milestones(REPO / "data" / "milestones.yaml").catalog
    level2 = [m for m in catalog if m.level == 2]
    with_baseline = [m for m in level2 if m.baseline is not None]
    check_page(outdir, "releases.html", [len(with_baseline), len(level2)])
    linked = {
        code for m in level2 for code in m.predecessors if catalog.milestones[code].level == 2
    }
    linked |= {
        m.code for m in level2 if any(catalog.milestones[p].level == 2 for p in m.predecessors)
    }
    check_page(outdir, "catalogue.html", [len(linked)])


def test_hostile_names_render_as_written(tmp_path: Path, dist: Path) -> None:
    src = tmp_path / "hostile"
    shutil.copytree(TESTS / "roots" / "test-hostile", src)
    outdir = build(src, dist)
    seen = check_page(outdir, "index.html", [9, 5, 9])
    catalog = load_milestones(src / "milestones.yaml").catalog
    labels = [label for label in seen["charts"][0]["labels"] if label != "Today"]
    expected = []
    for m in sorted(catalog, key=lambda m: (m.due, m.code)):
        mark = " ✓" if m.completed else (" ⚠" if str(m.due) < "2021-01-01" else "")
        expected.append(" ".join(m.name.split()) + mark)
    assert sorted(labels) == sorted(expected)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_status_page_for_readers(
    example_site: Path, tmp_path: Path, device: str, scheme: str
) -> None:
    """The Status page at desktop and phone width, light and dark: nothing wider than the
    screen, every status badge visible with its word, the burndown drawn."""
    with reader_tab(example_site, "status.html", device, scheme) as tab:
        tab.screenshot(path=str(tmp_path / f"status-{device}-{scheme}.png"), full_page=True)
        page = tab.evaluate(
            """() => ({
                overflow: document.documentElement.scrollWidth - window.innerWidth,
                theme: document.documentElement.dataset.theme,
                badges: [...document.querySelectorAll('.sd-badge')].map(b => {
                    const box = b.getBoundingClientRect();
                    const style = getComputedStyle(b);
                    return {text: b.textContent, width: box.width, height: box.height,
                            color: style.color, background: style.backgroundColor};
                }),
                burndown: document.querySelectorAll('svg.ldm-burndown polyline').length,
            })"""
        )
    assert page["overflow"] <= 1, f"page is {page['overflow']}px wider than the screen"
    assert page["theme"] == scheme
    assert len(page["badges"]) >= 10
    for badge in page["badges"]:
        assert badge["text"] in ("Completed", "Late", "Upcoming")
        assert badge["width"] > 10 and badge["height"] > 8
        assert badge["color"] != badge["background"]
    assert page["burndown"] == 3


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_link_to_a_catalogue_entry_shows_it_below_the_header(
    example_site: Path, device: str
) -> None:
    """Following a link to a milestone leaves its code and name in view, not under the
    theme's fixed header."""
    with serve(example_site) as base_url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORTS[device], is_mobile=device == "phone")
            tab = context.new_page()
            tab.goto(base_url + "catalogue.html#ms-DM-NCSA-14", wait_until="networkidle")
            boxes = tab.evaluate(
                """() => ({
                    header: document.querySelector('header').getBoundingClientRect().bottom,
                    entry: document.getElementById('ms-DM-NCSA-14').getBoundingClientRect().top,
                })"""
            )
        finally:
            browser.close()
    assert boxes["entry"] >= boxes["header"] - 2, boxes  # subpixel layout


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_trend_chart_for_readers(
    example_site: Path, tmp_path: Path, device: str, scheme: str
) -> None:
    """The Schedule history page's trend chart at desktop and phone width, light and dark:
    drawn in the text colour, labels that do not overlap and are at least 10 px high, the
    page no wider than the screen (the chart's box scrolls instead), and a click on a
    milestone's line lands on that milestone's entry."""
    with reader_tab(example_site, "schedule-history.html", device, scheme) as tab:
        chart = tab.locator("svg.ldm-trend")
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(tmp_path / f"trend-{device}-{scheme}.png"))
        seen = tab.evaluate(
            """() => {
                const svg = document.querySelector('svg.ldm-trend');
                const box = svg.parentElement;
                const labels = [...svg.querySelectorAll('text.ldm-trend-label')].map(t => {
                    const r = t.getBoundingClientRect();
                    return {text: t.textContent, top: r.top, bottom: r.bottom,
                            height: r.height};
                });
                const line = svg.querySelector('.ldm-trend-line');
                return {
                    overflow: document.documentElement.scrollWidth - window.innerWidth,
                    scrolls: box.scrollWidth > box.clientWidth,
                    labels,
                    stroke: getComputedStyle(line).stroke,
                    text: getComputedStyle(document.body).color,
                    background: getComputedStyle(document.body).backgroundColor,
                    lines: svg.querySelectorAll('g.ldm-trend-milestone').length,
                };
            }"""
        )
        # Click the line of one milestone: the page shows that milestone's entry.
        target = tab.locator('svg.ldm-trend a:has(g[data-code="LDM-503-10"])')
        target.locator("text.ldm-trend-label").click()
        tab.wait_for_url("**/catalogue.html#ms-LDM-503-10")
        landed = tab.evaluate("location.hash")
    assert seen["overflow"] <= 1, f"page is {seen['overflow']}px wider than the screen"
    assert seen["scrolls"] == (device == "phone")
    assert seen["lines"] >= 30
    labels = sorted(seen["labels"], key=lambda label: label["top"])
    for above, below in itertools.pairwise(labels):
        assert above["bottom"] <= below["top"] + 0.5, (above, below)
    assert min(label["height"] for label in labels) >= 10
    assert seen["stroke"] == seen["text"] != seen["background"]
    assert landed == "#ms-LDM-503-10"


def chart_pages(site: Path) -> list[str]:
    """The pages of ``site`` that hold a Mermaid chart."""
    return sorted(
        str(page.relative_to(site))
        for page in site.rglob("*.html")
        if re.search(r'<pre[^>]*class="mermaid"', page.read_text(encoding="utf-8"))
    )


WAIT_FOR_CHARTS = (
    "[...document.querySelectorAll('pre.mermaid')].every("
    "pre => pre.querySelectorAll('svg text, svg foreignObject').length > 0)"
)
#: Each Gantt marker with its label (Mermaid draws both in task order), and what a click
#: on it opened; each flowchart link with its text.
CLICK_EVERY_MARKER = """() => [...document.querySelectorAll('pre.mermaid')].map(pre => {
    const labels = [...pre.querySelectorAll(
        'text.taskText, text.taskTextOutsideRight, text.taskTextOutsideLeft')];
    const gantt = [...pre.querySelectorAll('rect.milestone')].map((rect, i) => {
        window.__opened = [];
        rect.dispatchEvent(new MouseEvent('click', {bubbles: true}));
        return {label: labels[i] ? labels[i].textContent : null, opened: window.__opened};
    });
    const links = [...pre.querySelectorAll('svg a')].map(a => ({
        text: a.textContent,
        href: a.getAttribute('href') || a.getAttribute('xlink:href'),
    }));
    return {gantt, links};
})"""
DUPLICATE_IDS = """() => {
    const seen = new Map();
    for (const element of document.querySelectorAll('[id]')) {
        seen.set(element.id, (seen.get(element.id) || 0) + 1);
    }
    return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
}"""


def codes_by_label(catalog: Any) -> dict[str, set[str]]:
    """The codes a chart label can stand for: a short name or name, without status mark."""
    labels: dict[str, set[str]] = {}
    for m in catalog:
        labels.setdefault(" ".join((m.short_name or m.name).split()), set()).add(m.code)
    return labels


def test_every_chart_click_lands_on_its_own_milestone(example_site: Path) -> None:
    """Every marker of every chart of example-docs, clicked, opens exactly one link: the
    entry of the milestone it is drawn for (found from its label in the data file); no
    page has an id twice once Mermaid has drawn its charts."""
    catalog = load_milestones(REPO / "data" / "milestones.yaml").catalog
    by_label = codes_by_label(catalog)
    pages = chart_pages(example_site)
    assert {"releases.html", "catalogue.html"} <= set(pages)
    clicked = 0
    with serve(example_site) as base_url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for page in pages:
                tab = browser.new_page()
                tab.add_init_script(RECORD_OPENS)
                tab.goto(base_url + page)
                tab.wait_for_function(WAIT_FOR_CHARTS, timeout=30_000)
                assert tab.evaluate(DUPLICATE_IDS) == [], page
                for chart in tab.evaluate(CLICK_EVERY_MARKER):
                    for marker in chart["gantt"]:
                        label = marker["label"].removesuffix(" ✓").removesuffix(" ⚠")
                        codes = by_label[label]
                        assert len(marker["opened"]) == 1, (page, marker)
                        url = marker["opened"][0]
                        assert anchor_exists(example_site, page, url), url
                        assert url.partition("#")[2] in {f"ms-{c}" for c in codes}, marker
                        clicked += 1
                    for link in chart["links"]:
                        code = link["href"].partition("#ms-")[2]
                        assert anchor_exists(example_site, page, link["href"]), link
                        assert link["text"].startswith(code), link
                        clicked += 1
                tab.close()
        finally:
            browser.close()
    level2 = [m for m in catalog if m.level == 2]
    assert clicked >= 2 * len(level2)


#: Every drawn Mermaid chart: its box, its labels' and axis ticks' boxes, on screen.
CHART_BOXES = """() => [...document.querySelectorAll('.ldm-mermaid-box pre.mermaid')].map(pre => {
    const svg = pre.querySelector('svg');
    const box = r => { const b = r.getBoundingClientRect();
        return {left: b.left, right: b.right, top: b.top, bottom: b.bottom,
                height: b.height, text: r.textContent}; };
    return {
        gantt: !!svg.querySelector('rect.milestone'),
        svg: box(svg),
        labels: [...svg.querySelectorAll('text.taskText, text.taskTextOutsideRight,'
            + ' text.taskTextOutsideLeft, g.node .nodeLabel')].map(box),
        ticks: [...svg.querySelectorAll('g.grid g.tick text')].map(box)
            .filter(t => t.text !== ''),
    };
})"""


#: example-docs' charts drawn by the extension (Figure 1 is a plain ``mermaid`` directive).
LDM_CHARTS = {"releases.html": 2, "catalogue.html": 1}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_mermaid_charts_readable_on_every_screen(
    example_site: Path, tmp_path: Path, device: str, scheme: str
) -> None:
    """Every Mermaid chart of example-docs at desktop and phone width, light and dark: no
    label cut off by the chart's edges, axis labels that do not overlap, text at least
    10 px high (a narrow screen scrolls the chart sideways), the page no wider than the
    screen."""
    for page in chart_pages(example_site):
        with reader_tab(example_site, page, device, scheme) as tab:
            tab.wait_for_function(WAIT_FOR_CHARTS, timeout=30_000)
            charts = tab.evaluate(CHART_BOXES)
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            tab.screenshot(path=str(tmp_path / f"{page}-{device}-{scheme}.png"))
        assert overflow <= 1, (page, overflow)
        assert len(charts) == LDM_CHARTS.get(page, 0), page
        for chart in charts:
            svg = chart["svg"]
            assert chart["labels"], page
            for label in chart["labels"]:
                assert label["left"] >= svg["left"] - 0.5, (page, label, svg)
                assert label["right"] <= svg["right"] + 0.5, (page, label, svg)
                assert label["height"] >= 10, (page, label)
            ticks = sorted(chart["ticks"], key=lambda t: t["left"])
            for before, after in itertools.pairwise(ticks):
                assert before["right"] <= after["left"], (page, before, after)


@pytest.mark.parametrize(
    ("javascript", "http"), [(False, True), (True, False)], ids=["no-javascript", "file-url"]
)
def test_charts_without_mermaid_show_their_tables(
    example_site: Path, javascript: bool, http: bool
) -> None:
    """Where Mermaid cannot run (JavaScript off; a page opened from file://, where ES
    modules do not load), every chart of the extension shows a table of its milestones,
    one row each, and no chart source shows as text."""
    catalog = load_milestones(REPO / "data" / "milestones.yaml").catalog
    level2 = [m for m in catalog if m.level == 2]
    rows = {"releases.html": [sum(m.baseline is not None for m in level2), len(level2)]}
    for page in LDM_CHARTS:
        with reader_tab(example_site, page, "phone", "light", javascript, http) as tab:
            text = tab.locator("article").inner_text()
            tables = [
                table.locator("tbody tr").count()
                for table in tab.locator(".ldm-chart-fallback table").all()
                if table.is_visible()
            ]
        for source in ("dateFormat", ":milestone, ", "classDef", " --> ", "click c", "#83;"):
            assert source not in text, (page, source)
        assert len(tables) == LDM_CHARTS[page], page
        if page in rows:
            assert tables == rows[page]
