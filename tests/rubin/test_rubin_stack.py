"""sphinxext-ldm inside Rubin's documentation stack: a technote and a documenteer guide.

The projects in `technote/` and `guide/` are configured as Rubin's templates configure
them (`from documenteer.conf.technote import *`, `from documenteer.conf.guide import *`),
with sphinxext-ldm enabled either in their TOML file (as shipped) or by
`extensions.append("sphinxext_ldm")` in `conf.py`. Each is built as its authors build it,
`python -m sphinx -W -b html`, in a git repository (documenteer reads page dates from
git and warns outside one), with no network: a proxy that refuses every connection makes
any fetch at build time fail, and `-W` fails the build.

documenteer 2.x needs Python 3.12 or newer, so only `nox -s rubin` installs it and runs
these tests; elsewhere the module skips.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("documenteer", reason="documenteer is installed by `nox -s rubin` only")

from bs4 import BeautifulSoup, Tag

HERE = Path(__file__).parent
# Every proxy variable points at a port where nothing listens: bib files, intersphinx
# inventories or anything else fetched at build time fail at once instead of hanging.
REFUSING_PROXY = "http://127.0.0.1:9"
OFFLINE_ENV = {
    name: REFUSING_PROXY
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")
} | {"NO_PROXY": "", "no_proxy": ""}
# How each project's TOML file enables the extension, and the conf.py line that can
# replace it.
TOML_FILES = {
    "technote": "technote.toml",
    "technote-sections": "technote.toml",
    "guide": "documenteer.toml",
}
TOML_LINE = 'extensions = ["sphinxext_ldm"]\n'
CONF_LINE = 'extensions.append("sphinxext_ldm")  # noqa: F405\n'
CODES = ["LDM-503-01", "LDM-503-02", "LDM-503-03", "DM-SUIT-1", "DM-DRP-1", "DM-AP-1", "DM-AP-2"]


@dataclass
class Site:
    html: Path

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.html / name).read_text(encoding="utf-8"), "html.parser")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=sphinxext-ldm tests",
            "-c",
            "user.email=tests@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def build(project: str, enable: str, dest: Path, markdown: bool = False) -> Site:
    """Copy tests/rubin/PROJECT into a fresh git repository and build it with -W; with
    ``markdown``, its index page is technote-md/index.md (the same page in MyST)."""
    src = dest / project
    shutil.copytree(HERE / project, src, ignore=shutil.ignore_patterns("_build", ".technote"))
    if markdown:
        (src / "index.rst").unlink()
        shutil.copy(HERE / "technote-md" / "index.md", src / "index.md")
    if enable == "conf.py":
        toml = src / TOML_FILES[project]
        text = toml.read_text(encoding="utf-8")
        assert TOML_LINE in text
        toml.write_text(text.replace(TOML_LINE, "extensions = []\n"), encoding="utf-8")
        with (src / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(CONF_LINE)
    git(src, "init", "-q")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "A Rubin documentation project")
    out = src / "_build" / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", ".", str(out)],
        cwd=src,
        env=os.environ | OFFLINE_ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 or "WARNING" in result.stderr:
        pytest.fail(
            f"sphinx-build -W of the {project} (extension enabled in {enable}) failed "
            f"with exit code {result.returncode}:\n{result.stderr}\n{result.stdout[-3000:]}"
        )
    return Site(out)


ENABLE = ["toml", "conf.py"]


@pytest.fixture(scope="module", params=ENABLE)
def technote(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build("technote", request.param, tmp_path_factory.mktemp("technote"))


@pytest.fixture(scope="module", params=ENABLE)
def guide(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build("guide", request.param, tmp_path_factory.mktemp("guide"))


def text(node: Tag) -> str:
    return " ".join(node.get_text().split())


def documenteer_links(node: Tag) -> list[Tag]:
    """Links made by documenteer's plain :ldm: role (ls.st short links)."""
    return node.select('a.reference.external[href="https://ls.st/ldm-503"]')


def role_link(node: Tag, code: str, title: str, href: str) -> None:
    """An :ldm:ms: link: text is the name, tooltip is CODE: name, target its entry."""
    links = [a for a in node.select("a.reference.internal") if a.get("title") == title]
    assert links, f"no :ldm:ms: link titled {title!r}"
    assert links[0]["href"] == href
    assert code in title


# --- the technote ---------------------------------------------------------------------


def test_technote_uses_the_technote_theme(technote: Site) -> None:
    page = technote.page("index.html")
    generator = page.select_one('meta[name="generator"]')
    assert generator is not None and generator["content"].startswith("technote ")
    styles = [link["href"] for link in page.select('link[rel="stylesheet"]')]
    assert any(href.startswith("_static/styles/technote.css") for href in styles)
    assert any(href.startswith("_static/rubin-technote.css") for href in styles)
    abstract = page.select_one("section.technote-abstract")
    assert abstract is not None and documenteer_links(abstract)


def test_technote_release_sections_are_in_the_outline(technote: Site) -> None:
    page = technote.page("index.html")
    section = page.find("section", id="hsc-reprocessing-ldm-503-02")
    assert section is not None
    assert text(section.find("h3")).startswith("HSC reprocessing: LDM-503-02")
    assert "Due: 2017-12-01; completed 2017-12-01." in text(section)
    items = [text(li) for li in section.select("li")]
    assert items == [
        "DM-AP-1: Basic single frame measurement pipeline (Due: 2017-08-31; completed 2017-08-31)",
        "DM-DRP-1: Single frame processing of HSC data (Due: 2017-10-31; completed 2017-10-20)",
    ]
    outline = [text(a) for a in page.select("nav.technote-toc a")]
    assert "HSC reprocessing: LDM-503-02" in outline
    assert "Milestone catalogue" in outline


def test_technote_catalogue_has_every_milestone(technote: Site) -> None:
    page = technote.page("index.html")
    entries = page.select("dl.ldm.milestone")
    assert sorted(dl.find("dt")["id"] for dl in entries) == sorted(f"ms-{c}" for c in CODES)
    jira = page.find(id="ms-LDM-503-02").find_parent("dl").select_one("a.reference.external")
    assert jira["href"] == "https://rubinobs.atlassian.net/browse/DM-17121"


def test_technote_paragraph_mixes_both_ldm_roles(technote: Site) -> None:
    page = technote.page("index.html")
    paragraph = next(p for p in page.select("section#releases > p") if "reprocessed" in text(p))
    assert [text(a) for a in documenteer_links(paragraph)] == ["LDM-503"]
    role_link(paragraph, "LDM-503-02", "LDM-503-02: HSC reprocessing", "#ms-LDM-503-02")
    mine = paragraph.select('a.reference.internal[href="#ms-LDM-503-02"]')
    assert [text(a) for a in mine] == ["HSC reprocessing"]
    role_link(paragraph, "LDM-503-03", "LDM-503-03: Alert generation validation", "#ms-LDM-503-03")
    assert "the alert release" in [text(a) for a in paragraph.select("a.reference.internal")]


def test_technote_timeline_is_a_numbered_mermaid_figure(technote: Site) -> None:
    page = technote.page("index.html")
    figure = page.find(id="fig-timeline")
    assert figure is not None
    chart = figure.select_one("pre.mermaid")
    assert chart is not None
    lines = [line.strip() for line in chart.get_text().splitlines()]
    assert "gantt" in lines
    assert 'click c0m2 href "#ms-LDM-503-02"' in lines
    caption = figure.select_one("figcaption")
    assert text(caption.select_one(".caption-number")) == "Fig. 1"
    assert documenteer_links(caption)  # :ldm: in a chart's caption
    assert "import mermaid from" in str(page)  # sphinxcontrib-mermaid loads Mermaid JS


def test_technote_with_release_sections_and_no_catalogue_builds_with_w(
    tmp_path: Path,
) -> None:
    """Release sections and a timeline without a catalogue: build() fails on any warning,
    such as "has no catalogue entry or release section to link to"."""
    site = build("technote-sections", "toml", tmp_path)
    page = site.page("index.html")
    section = page.find("section", id="hsc-reprocessing-ldm-503-02")
    assert section is not None
    items = [text(li) for li in section.select("ul.ldm-features > li")]
    assert items == [
        "DM-AP-1: Basic single frame measurement pipeline (Due: 2017-08-31; completed 2017-08-31)",
        "DM-DRP-1: Single frame processing of HSC data (Due: 2017-10-31; completed 2017-10-20)",
    ]
    assert section.select("ul.ldm-features a") == []  # no entry to link to
    assert page.find(id="fig-releases").select_one("pre.mermaid") is not None


def test_technote_in_markdown_builds_with_w(tmp_path: Path) -> None:
    """The technote's page written in MyST Markdown (documenteer reads it with MyST-NB):
    the same sections, links, chart and catalogue, and no warning."""
    page = build("technote", "toml", tmp_path, markdown=True).page("index.html")
    outline = [text(a) for a in page.select("nav.technote-toc a")]
    assert outline == [
        "Abstract",
        "Releases",
        "Science Platform with WISE data: LDM-503-01",
        "HSC reprocessing: LDM-503-02",
        "Alert generation validation: LDM-503-03",
        "Milestone catalogue",
    ]
    paragraph = next(p for p in page.select("p") if "release plan is" in p.get_text())
    assert documenteer_links(paragraph)  # {ldm}`503`: documenteer's role
    role_link(paragraph, "LDM-503-02", "LDM-503-02: HSC reprocessing", "#ms-LDM-503-02")
    assert [dl.select_one("dt")["id"] for dl in page.select("dl.milestone")] == [
        f"ms-{code}" for code in sorted(CODES)
    ]
    figure = page.find(id="fig-timeline")
    assert 'click c0m2 href "#ms-LDM-503-02"' in figure.select_one("pre.mermaid").get_text()
    assert documenteer_links(figure.select_one("figcaption"))


# --- the documenteer guide ------------------------------------------------------------


def test_guide_uses_pydata_sphinx_theme(guide: Site) -> None:
    for name in ("index.html", "releases.html", "catalogue.html"):
        styles = [link["href"] for link in guide.page(name).select('link[rel="stylesheet"]')]
        assert any("styles/pydata-sphinx-theme.css" in href for href in styles), name
        assert any(href.startswith("_static/rubin-pydata-theme.css") for href in styles), name


def test_guide_release_sections_and_catalogue(guide: Site) -> None:
    releases = guide.page("releases.html")
    headings = [text(h).removesuffix("#").strip() for h in releases.select("section section > h2")]
    assert headings == [
        "Science Platform with WISE data: LDM-503-01",
        "HSC reprocessing: LDM-503-02",
        "Alert generation validation: LDM-503-03",
    ]
    catalogue = guide.page("catalogue.html")
    entries = catalogue.select("dl.ldm.milestone")
    assert sorted(dl.find("dt")["id"] for dl in entries) == sorted(f"ms-{c}" for c in CODES)
    # Links inside release sections lead to the catalogue page.
    hrefs = {a["href"] for a in releases.select("section section a.reference.internal")}
    assert "catalogue.html#ms-DM-DRP-1" in hrefs


def test_guide_pages_mix_both_ldm_roles(guide: Site) -> None:
    index = guide.page("index.html")
    paragraph = next(p for p in index.select("p") if "second release" in text(p))
    assert [text(a) for a in documenteer_links(paragraph)] == ["LDM-503"]
    role_link(
        paragraph, "LDM-503-02", "LDM-503-02: HSC reprocessing", "catalogue.html#ms-LDM-503-02"
    )
    role_link(
        paragraph,
        "LDM-503-03",
        "LDM-503-03: Alert generation validation",
        "catalogue.html#ms-LDM-503-03",
    )
    releases = guide.page("releases.html")
    intro = next(p for p in releases.select("p") if "still to come" in text(p))
    assert documenteer_links(intro)
    role_link(intro, "DM-AP-2", "DM-AP-2: Difference imaging", "catalogue.html#ms-DM-AP-2")
    assert documenteer_links(guide.page("catalogue.html"))


def test_guide_charts_are_mermaid(guide: Site) -> None:
    releases = guide.page("releases.html")
    charts = releases.select("pre.mermaid")
    # After the Gantt chart's front matter (its fixed width): the diagram's type.
    kinds = [re.search(r"^\s*(gantt|flowchart)\b", c.get_text(), re.M)[1] for c in charts]
    assert kinds == ["gantt", "flowchart"]
    assert 'click c0m2 href "catalogue.html#ms-LDM-503-02"' in charts[0].get_text()
    captions = releases.select("figcaption")
    assert documenteer_links(captions[0])  # :ldm: in the timeline's caption
    graph_caption = captions[1]
    role_link(
        graph_caption,
        "LDM-503-02",
        "LDM-503-02: HSC reprocessing",
        "catalogue.html#ms-LDM-503-02",
    )
    assert "import mermaid from" in str(releases)
