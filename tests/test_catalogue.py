"""Catalogue entries: fields made at write time, written straight to HTML for HTML
builders. The fast path must write exactly what Sphinx's own writer writes for the same
fields as a docutils field list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinxext_ldm.transforms.catalogue import CatalogueFieldsTransform
from tests.conftest import TESTS, write_project

LINKS = {
    "ldm_jira_url": "https://jira.example/browse/{key}?a=1&b=<2>",
    "ldm_edit_url": 'https://example.org/m.yaml?x="1"&y=2#L{line}',
}


def build(src: Path, builder: str, out: Path) -> tuple[str, str]:
    app = SphinxTestApp(builder, srcdir=src, builddir=out, confoverrides=LINKS)
    try:
        app.build()
        page = "catalogue/index.html" if builder == "dirhtml" else "catalogue.html"
        if builder == "singlehtml":
            page = "index.html"
        return (Path(app.outdir) / page).read_text(encoding="utf-8"), app.warning.getvalue()
    finally:
        app.cleanup()


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
@pytest.mark.parametrize("root", ["basic", "hostile"])
def test_html_fields_equal_sphinx_writing_the_field_list(
    root: str, builder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    shutil.copytree(TESTS / "roots" / f"test-{root}", src)
    written: list[bool] = []
    fast = CatalogueFieldsTransform.html_fields

    def counting(self: CatalogueFieldsTransform, *args: object) -> object:
        result = fast(self, *args)  # type: ignore[arg-type]
        written.append(result is not None)
        return result

    monkeypatch.setattr(CatalogueFieldsTransform, "html_fields", counting)
    direct, direct_warnings = build(src, builder, tmp_path / "direct")
    assert written and all(written)  # every entry went the fast way

    # The same build with every entry going through docutils and the HTML writer.
    monkeypatch.setattr(CatalogueFieldsTransform, "html_fields", lambda self, *args: None)
    docutils, docutils_warnings = build(src, builder, tmp_path / "docutils")
    assert direct == docutils
    assert direct_warnings == docutils_warnings
    fields = BeautifulSoup(direct, "html.parser").select("dl.ldm-fields")
    assert len(fields) == len(written)
    # Data-file links on every entry, their URL template escaped as the writer does.
    assert direct.count("m.yaml?x=&quot;1&quot;&amp;y=2#L") == len(written)
    if root == "basic":  # its milestones have Jira keys
        assert "browse/DM-100?a=1&amp;b=&lt;2&gt;" in direct


def test_entry_linking_to_a_milestone_without_entry_warns_and_shows_the_code(
    tmp_path: Path,
) -> None:
    data = (
        "milestones:\n"
        "  - {code: L3-1, name: Feature, level: 3, due: 2021-01-01}\n"
        "  - {code: L3-2, name: Other, level: 3, due: 2021-01-01}\n"
        "  - {code: L2-1, name: Release, level: 2, due: 2021-02-01,"
        " predecessors: [L3-1]}\n"
    )
    src = write_project(tmp_path / "src", "Cat\n===\n\n.. ldm-catalogue::\n   :levels: 3\n", data)
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
        warnings = app.warning.getvalue()
        html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    assert "index.rst:4: WARNING: milestone L2-1 has no catalogue entry" in warnings
    assert "[ldm.no-entry]" in warnings
    page = BeautifulSoup(html, "html.parser")
    entries = page.select("dl.ldm.milestone")
    assert [e.select_one("dt")["id"] for e in entries] == ["ms-L3-1", "ms-L3-2"]
    # L3-1's successor is shown as its code, unlinked; L3-2 has no links at all.
    fields = {
        dt.get_text(strip=True): dt.find_next("dd") for dt in entries[0].select("dl.ldm-fields dt")
    }
    assert fields["Successors:"].get_text(strip=True) == "L2-1"
    assert fields["Successors:"].find("a") is None
    assert fields["Feeds level 2:"].get_text(strip=True) == "L2-1"
