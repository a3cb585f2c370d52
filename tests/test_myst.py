"""MyST Markdown pages (myst-parser): every directive and the role from ``.md`` pages.

tests/roots/test-myst holds the pages in Markdown (fenced and ``:::`` directives, a
directive nested in another, the ``{eval-rst}`` route), tests/roots/test-myst-rst the
same pages in reStructuredText on the same data: each page must show exactly what its
twin shows. Links from the role and the charts must land on their entries, and warnings
must point at the Markdown file and line, with -W making them fatal.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from tests.conftest import TESTS, BuildFn
from tests.test_timeline import anchor_exists

pytest.importorskip("myst_parser")
# myst-parser's reference resolver still reads Sphinx's deprecated ``.app``: not ours.
pytestmark = pytest.mark.filterwarnings("ignore:.*MystReferenceResolver.app")

Twins = tuple[SphinxTestApp, SphinxTestApp]

PAGES = ("index", "releases", "catalogue", "refs", "charts", "tables", "body", "rst", "history")


def clean(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def built(tmp: Path, root: str, builder: str = "html") -> SphinxTestApp:
    app = SphinxTestApp(builder, srcdir=tmp / root)  # type: ignore[arg-type]
    try:
        app.build()
    finally:
        app.cleanup()  # unregister its nodes: other tests build their own apps
    return app


def build_twins(tmp: Path, builder: str) -> Twins:
    """test-myst and its reST twin (which reads test-myst's data), built in ``tmp``."""
    for root in ("test-myst", "test-myst-rst"):
        shutil.copytree(TESTS / "roots" / root, tmp / root)
    return built(tmp, "test-myst", builder), built(tmp, "test-myst-rst", builder)


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Twins]:
    """Both projects built to HTML once."""
    yield build_twins(tmp_path_factory.mktemp("myst"), "html")


@pytest.fixture(scope="module")
def myst(twins: Twins) -> SphinxTestApp:
    return twins[0]


def soup(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")


def body(app: SphinxTestApp, page: str) -> str:
    return soup(app, f"{page}.html").select_one("div.body").prettify()


@pytest.mark.parametrize("page", PAGES)
def test_each_page_shows_what_its_rest_twin_shows(twins: Twins, page: str) -> None:
    md, rst = twins
    assert body(md, page) == body(rst, page)


def test_the_latex_is_that_of_the_rest_twin(tmp_path: Path) -> None:
    md, rst = build_twins(tmp_path, "latex")
    (tex,) = Path(md.outdir).glob("*.tex")
    text = tex.read_text()
    assert "\\begin{ganttchart}" in text and "Hyper Suprime" in text  # charts, acronyms
    assert tex.read_bytes() == (Path(rst.outdir) / tex.name).read_bytes()


def test_only_warning_is_the_undefined_acronym_at_its_markdown_line(
    twins: Twins,
) -> None:
    md, rst = twins
    for app, name, line in ((md, "body.md", 9), (rst, "body.rst", 10)):
        (warning,) = clean(app.warning.getvalue()).strip().splitlines()
        assert warning.startswith(f"{name}:{line}: WARNING: acronym UNDEF is used"), warning
        assert f"({name}:{line})" in warning and warning.endswith("[ldm.acronym.undefined]")


def test_descriptions_are_restructuredtext_on_a_markdown_page(myst: SphinxTestApp) -> None:
    entry = soup(myst, "catalogue.html").find(id="ms-LDM-503-01").find_parent("dl")
    description = entry.select("dd > p")[-1]
    assert description.select_one("em").get_text() == "first"
    assert description.select_one("code").get_text() == "HSC literal"  # ``double``: reST
    link = description.select_one("a.reference.internal")  # :ldm:ms: works in it
    assert (link["href"], link.get_text()) == ("#ms-DM-A-1", "Feature one")
    assert ":ldm:ms:" not in description.get_text()


def test_role_links_land_on_the_catalogue_entries(myst: SphinxTestApp) -> None:
    links = soup(myst, "refs.html").select("a.reference.internal")
    texts = {a.get_text(): (a["href"], a.get("title")) for a in links}
    assert texts["First release"] == ("catalogue.html#ms-LDM-503-01", "LDM-503-01: First release")
    assert texts["the second"][0] == "catalogue.html#ms-LDM-503-02"
    for href, _ in texts.values():
        assert anchor_exists(Path(myst.outdir), "refs.html", href), href


def test_markdown_links_to_a_code_land_on_its_entry(myst: SphinxTestApp) -> None:
    links = soup(myst, "links.html").select("div.body p a.reference.internal")
    assert [(a.get_text(), a["href"], a.get("title")) for a in links] == [
        ("The first", "catalogue.html#ms-LDM-503-01", "LDM-503-01: First release"),
        ("a feature", "catalogue.html#ms-DM-A-1", "DM-A-1: Feature one"),
        ("QA feature", "catalogue.html#ms-DM-A-2", "DM-A-2: QA feature"),  # its name
    ]


def test_release_sections_are_numbered_sections_in_the_toc(myst: SphinxTestApp) -> None:
    toc = [" ".join(a.get_text().split()) for a in soup(myst, "index.html").select("li a")]
    assert "1.1. First release: LDM-503-01" in toc
    assert "1.2. Second release: LDM-503-02" in toc
    assert "1.3. Unused feature: DM-A-3" in toc  # ldm-milestone in a ::: fence
    first = soup(myst, "releases.html").find("section", id="first-release-ldm-503-01")
    items = [" ".join(li.get_text().split()) for li in first.select("li")]
    assert items == [
        "DM-A-2: QA feature (Due: 2019-04-01; currently incomplete)",
        "DM-A-1: Feature one (Due: 2019-05-01; completed 2019-05-01)",
    ]


def chart_links(app: SphinxTestApp, page: str) -> list[dict[str, str]]:
    """Per chart on ``page``: what each node shows (a graph's code, a timeline row's
    name) -> where clicking it goes."""
    found = []
    for pre in soup(app, page).select("pre.mermaid"):
        text = pre.get_text()
        # Labels are written as entity codes (#68;M-A-1 is "DM-A-1"): read them back.
        decoded = re.sub(r"#(\d+);", lambda m: chr(int(m[1])), text)
        shown = dict(re.findall(r'^\s*(\S+?)\["([^"<]+)<br>', decoded, re.M))  # graph nodes
        rows = re.findall(r"^\s*(.+?)(?: \W)?:milestone, \w+, (\S+),", decoded, re.M)
        shown.update((row, name) for name, row in rows)  # timeline rows
        clicks = re.findall(r'click (\S+) href "([^"]+)"', text)
        found.append({shown.get(node, node): href for node, href in clicks})
    return found


def test_chart_clicks_land_on_their_milestones_entries(myst: SphinxTestApp) -> None:
    timeline, graph = chart_links(myst, "charts.html")
    entry = "catalogue.html#ms-{}".format
    assert timeline == {
        "Unused feature": entry("DM-A-3"),
        "QA feature": entry("DM-A-2"),
        "Feature one": entry("DM-A-1"),
        "First release": entry("LDM-503-01"),
        "Second release": entry("LDM-503-02"),
    }
    codes = ("LDM-503-01", "LDM-503-02", "DM-A-1", "DM-A-2")
    assert graph == {code: entry(code) for code in codes}
    for href in [*timeline.values(), *graph.values()]:
        assert anchor_exists(Path(myst.outdir), "charts.html", href), href
    page = soup(myst, "charts.html")
    assert "Fig. 4.1" in page.select_one("figure#fig-timeline").get_text()  # :name:, numfig
    assert page.select_one("a.internal[href='#fig-timeline']").get_text() == "Fig. 4.1"


def test_history_from_a_markdown_page(myst: SphinxTestApp) -> None:
    page = soup(myst, "history.html")
    (svg,) = page.select("figure.ldm-trend svg")
    links = [a["href"] for a in svg.select("a")]
    assert links == ["catalogue.html#ms-LDM-503-01", "catalogue.html#ms-LDM-503-02"]
    for href in links:
        assert anchor_exists(Path(myst.outdir), "history.html", href), href
    report = page.select_one(".ldm-changes-report").get_text(" ", strip=True)
    assert report.startswith("From 2019-03-31 to 2020-01-01: 2 added, 2 newly completed")


def test_flag_options_in_both_markdown_option_forms(myst: SphinxTestApp) -> None:
    timeline, graph = soup(myst, "charts.html").select("pre.mermaid")
    assert timeline.has_attr("data-zoom-id") and not graph.has_attr("data-zoom-id")  # :zoom:
    legend = soup(myst, "tables.html").select_one("figure.ldm-burndown .ldm-legend")
    assert legend.get_text().endswith(", of 1.")  # slipped: in a YAML block (LDM-503-02)


def test_directive_nested_in_a_markdown_directive(myst: SphinxTestApp) -> None:
    note = soup(myst, "tables.html").select_one("div.admonition.note")
    assert note.select_one("a[href='catalogue.html#ms-DM-A-1']") is not None  # the role
    (table,) = note.select("table.ldm-table")
    assert [td.get_text() for td in table.select("tbody td")] == ["DM-A-1", "Completed"]


def test_acronyms_found_in_markdown_text_and_the_data(myst: SphinxTestApp) -> None:
    page = soup(myst, "body.html")
    rows = page.select("table.ldm-acronyms tbody tr")
    assert {tr.select("td")[0].get_text(): tr.select("td")[1].get_text() for tr in rows} == {
        "HSC": "Hyper Suprime-Cam",  # in Markdown text (and ``HSC literal`` in data)
        "PSF": "Point spread function (this page)",  # this page's choice
        "QA": "Quality Assurance",  # only in a milestone name
        "TAP": "Table Access Protocol",  # in text (and in `code` and math before it)
    }  # SED is only in math
    abbrs = [(a.get_text(), a["title"]) for a in page.select("abbr")]
    assert abbrs == [
        ("HSC", "Hyper Suprime-Cam"),
        ("PSF", "Point spread function (this page)"),
        ("TAP", "Table Access Protocol"),  # the first in text, not the one in math
    ]
    assert not page.select("code abbr, .math abbr")


def test_exports_are_those_of_the_rest_twin(twins: Twins) -> None:
    md, rst = twins
    for name in ("milestones.json", "milestones.csv"):
        assert (Path(md.outdir) / name).read_bytes() == (Path(rst.outdir) / name).read_bytes()
    exported = json.loads((Path(md.outdir) / "milestones.json").read_text())["milestones"]
    urls = {m["code"]: m["url"] for m in exported}
    assert urls["LDM-503-01"].endswith("catalogue.html#ms-LDM-503-01")
    links = [a["href"] for a in soup(md, "tables.html").select(".ldm-exports a")]
    assert "milestones.ics" in links


# -- warnings at the Markdown file and line -----------------------------------------------


BAD_PAGE = """\
# Bad page

See {ldm:ms}`X-1` here.

```{ldm-milestones}
:levels: 2, 9
:codes: X-2
```

```{ldm-timeline}
:levles: 2
```

Some text

with UNDEF in it.

```{ldm-acronym-choices}
PSF: mine

not a choice
```

:::{note}
Nested, {ldm:ms}`X-3`.
:::

```{eval-rst}
Through reST, :ldm:ms:`X-4`.

.. ldm-acronym-choices::

   PSF: mine
   neither
```
"""
#: (file:line, subtype) of each warning BAD_PAGE gives, in order.
BAD_WARNINGS = [
    ("index.md:5", "ldm.option"),  # :levels: 9
    ("index.md:5", "ldm.unknown-code"),  # :codes: X-2
    ("index.md:21", "ldm.option"),  # a line of ldm-acronym-choices
    ("index.md:34", "ldm.option"),  # ldm-acronym-choices in {eval-rst}
    ("index.md:16", "ldm.acronym.undefined"),
    ("index.md:3", "ldm.unknown-code"),  # the role
    ("index.md:25", "ldm.unknown-code"),  # the role inside a note
    ("index.md:29", "ldm.unknown-code"),  # the role in {eval-rst}
]


def bad_project(tmp_path: Path) -> Path:
    src = tmp_path / "bad"
    shutil.copytree(TESTS / "roots" / "test-myst", src, ignore=shutil.ignore_patterns("*.md"))
    (src / "index.md").write_text(BAD_PAGE)
    return src


def located(warnings: str) -> list[tuple[str, str]]:
    got = []
    for line in clean(warnings).splitlines():
        if "WARNING" in line:
            where = re.search(r"(\S+?):\s*WARNING", line)[1]  # type: ignore[index]
            subtype = re.search(r"\[([\w.-]+)\]$", line)[1]  # type: ignore[index]
            got.append((where.rsplit("/", 1)[-1], subtype))
    return got


def test_warnings_point_at_the_markdown_line(build_project: BuildFn, tmp_path: Path) -> None:
    app = build_project(bad_project(tmp_path), copy=False)
    warnings = app.warning.getvalue()
    # An unknown option is myst-parser's to report (line 11; myst-parser 4 said "index.md.rst:10").
    ours = [w for w in located(warnings) if w[1] != "myst.directive_option"]
    assert ours == BAD_WARNINGS, warnings
    assert "[myst.directive_option]" in warnings and "'levles'" in warnings
    assert "ldm-acronym-choices: 'not a choice' is not 'TERM: definition or tag'" in warnings
    assert "acronym UNDEF is used but not defined (index.md:16)" in warnings


def test_minus_w_makes_them_fatal(tmp_path: Path) -> None:
    src = bad_project(tmp_path)
    command = [sys.executable, "-m", "sphinx", "-W", "-b", "html", str(src), str(src / "_build")]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "index.md:5: WARNING: ldm-milestones: :levels: does not take '9'" in clean(result.stderr)


# -- descriptions on a Markdown page ------------------------------------------------------

HOSTILE = """\
milestones:
  - code: D-1
    name: Described
    due: 2022-01-01
    description: |
      Before, *reST* here.

      .. raw:: html

         <script>alert(1)</script>

      A :download:`file <conf.py>` and `a link <javascript:alert(1)>`_.

      After.
"""


def catalogue_of_hostile_data(build_project: BuildFn, tmp_path: Path, page: str) -> SphinxTestApp:
    src = tmp_path / page.replace(".", "-")
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinxext_ldm"]\nldm_milestones_path = "m.yaml"\n'
    )
    (src / "m.yaml").write_text(HOSTILE)
    title = "# Catalogue\n\n" if page.endswith(".md") else "Catalogue\n=========\n\n"
    directive = "```{ldm-catalogue}\n```\n" if page.endswith(".md") else ".. ldm-catalogue::\n"
    (src / page).write_text(title + directive)
    return build_project(src, copy=False)


def test_descriptions_keep_their_allow_list_on_a_markdown_page(
    build_project: BuildFn, tmp_path: Path
) -> None:
    found = {}
    for page in ("index.md", "index.rst"):
        app = catalogue_of_hostile_data(build_project, tmp_path, page)
        html = soup(app, "index.html")
        assert not [s for s in html.select("script") if "alert" in s.get_text()]
        assert not [a for a in html.select("a[href]") if "javascript" in a["href"]]
        entry = html.select_one("dl.milestone dd")
        assert "Before, reST here." in entry.get_text() and "After." in entry.get_text()
        assert entry.select_one("em").get_text() == "reST"
        warnings = clean(app.warning.getvalue()).splitlines()
        found[page] = [w.split("m.yaml:", 1)[1] for w in warnings if "[ldm.description]" in w]
    assert found["index.md"] == found["index.rst"]
    assert found["index.md"] == [
        "8: WARNING: the directive 'raw' is not allowed; it is left out in a milestone "
        "description [ldm.description]",
        "12: WARNING: the role 'download' is not allowed; its text is shown as it is in a "
        "milestone description [ldm.description]",
        "12: WARNING: a link to 'javascript:alert(1)' is not allowed (only http, https, "
        "mailto links); its text is shown in a milestone description [ldm.description]",
    ]
