"""example-docs' section 3, as built to HTML, says what LDM-564 says."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from tests.conftest import copy_example_docs
from tests.seed import SeedSection, normalise, seed_acronyms, seed_sections


def html_sections(app: SphinxTestApp) -> list[SeedSection]:
    soup = BeautifulSoup((app.outdir / "releases.html").read_text(encoding="utf-8"), "html.parser")
    found = []
    for section in soup.select("section.ldm-release"):
        heading = section.find(["h2", "h3"])
        for link in heading.select("a.headerlink"):
            link.decompose()
        number = heading.select_one("span.section-number").extract().get_text()
        result = SeedSection(number.strip().rstrip("."), normalise(heading.get_text()))
        result.due_line = normalise(section.select_one("p.ldm-due").get_text())
        result.items = [normalise(li.get_text()) for li in section.select("ul.ldm-features > li")]
        none = section.select_one("p.ldm-none")
        result.no_features = normalise(none.get_text()) if none else ""
        found.append(result)
    return found


def test_seed_has_36_level2_sections() -> None:
    sections = seed_sections()
    assert len(sections) == 36
    assert all(s.due_line for s in sections)
    assert all(bool(s.items) != bool(s.no_features) for s in sections)


def test_section3_matches_seed(example_html: SphinxTestApp) -> None:
    expected = seed_sections()
    built = html_sections(example_html)
    assert [s.heading for s in built] == [s.heading for s in expected]
    for got, want in zip(built, expected, strict=True):
        assert got == want, want.heading


def test_example_docs_build_without_warnings(example_html: SphinxTestApp) -> None:
    assert example_html.warning.getvalue() == ""


@pytest.mark.parametrize("code", ["DM-AP-1", "DM-NCSA-16"])
def test_shared_level3_milestones_link_to_one_entry(example_html: SphinxTestApp, code: str) -> None:
    soup = BeautifulSoup((example_html.outdir / "releases.html").read_text(), "html.parser")
    hrefs = {a["href"] for a in soup.select("ul.ldm-features a") if a.get_text() == code}
    assert len(hrefs) == 1
    (href,) = hrefs
    page, anchor = href.split("#")
    assert page == "catalogue.html"
    target = BeautifulSoup((example_html.outdir / page).read_text(), "html.parser")
    assert target.find(id=anchor) is not None


def test_example_docs_text_build_shows_chart_tables(tmp_path: Path) -> None:
    app = SphinxTestApp("text", srcdir=copy_example_docs(tmp_path))
    try:
        app.build()
        assert app.warning.getvalue() == ""
        releases = (Path(app.outdir) / "releases.txt").read_text()
        catalogue = (Path(app.outdir) / "catalogue.txt").read_text()
    finally:
        app.cleanup()
    # Figures 2 and 3 as tables: 19 rows with a baseline date, 36 with a due date.
    assert releases.count("| *LDM-503-02*") == 2
    assert "| Baseline" in releases and "| Due" in releases
    assert "| Predecessors" in catalogue
    assert "[graph]" not in releases


def test_acronym_table_matches_seed_except_listed_differences(example_html: SphinxTestApp) -> None:
    soup = BeautifulSoup((example_html.outdir / "acronyms.html").read_text(), "html.parser")
    built = {
        tr.find_all("td")[0].get_text(): normalise(tr.find_all("td")[1].get_text())
        for tr in soup.select("table.ldm-acronyms tbody tr")
    }
    listed = {code.get_text() for code in soup.select(".ldm-acronym-differences code")}
    expected = seed_acronyms()
    assert len(expected) == 43
    differing = {t for t in built.keys() | expected.keys() if built.get(t) != expected.get(t)}
    assert differing == listed
    assert listed == {"L1", "L2", "L3", "ETL", "I&T", "SSO", "URL"}
    # SSO means single sign-on here ("federated SSO A&A"); the shared definitions' only
    # SSO is Solar System Object, so the document defines it itself, and the local
    # definition wins.
    assert built["SSO"] == "Single Sign-On"
    assert "federated SSO A&amp;A" in (example_html.outdir / "catalogue.html").read_text()
