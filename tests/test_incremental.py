"""Incremental and parallel builds: a data edit re-reads exactly the pages that show it,
and ``-j 2`` writes the same pages as a serial build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from tests.conftest import TESTS, write_project
from tests.test_timeline import anchor_exists


def build_watching(src: Path, **kwargs: object) -> tuple[SphinxTestApp, list[str], list[str]]:
    """Build ``src`` incrementally; return the app, the documents it read and the
    documents it wrote."""
    app = SphinxTestApp("html", srcdir=src, **kwargs)  # type: ignore[arg-type]
    read: list[str] = []
    written: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    app.connect(
        "html-page-context",
        lambda _app, page, *_: written.append(page) if page in _app.env.found_docs else None,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app, sorted(read), sorted(written)


def build(src: Path, **kwargs: object) -> tuple[SphinxTestApp, list[str]]:
    """Build ``src`` incrementally; return the app and the documents it read."""
    app, read, _ = build_watching(src, **kwargs)
    return app, read


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "basic"
    shutil.copytree(TESTS / "roots" / "test-basic", src)
    build(src)
    return src


def edit(src: Path, old: str, new: str) -> None:
    data = src / "milestones.yaml"
    text = data.read_text()
    assert old in text
    data.write_text(text.replace(old, new, 1))


def test_nothing_changed_reads_nothing(project: Path) -> None:
    assert build(project)[1] == []


def test_editing_an_unused_level3_rereads_only_the_catalogue(project: Path) -> None:
    edit(project, "name: Unused feature", "name: Renamed unused feature")
    assert build(project)[1] == ["catalogue"]


def test_editing_a_listed_level3_rereads_its_release_and_catalogue(project: Path) -> None:
    edit(project, "name: Feature one", "name: Feature 1")
    app, read = build(project)
    assert read == ["catalogue", "releases"]
    assert "Feature 1" in (Path(app.outdir) / "releases.html").read_text()


def test_renaming_a_referenced_level2_rereads_the_referring_page(project: Path) -> None:
    edit(project, "name: First release", "name: Premier release")
    app, read = build(project)
    assert read == ["catalogue", "refs", "releases"]
    assert ">Premier release<" in (Path(app.outdir) / "refs.html").read_text()


def test_adding_a_milestone_rereads_pages_whose_filters_match(project: Path) -> None:
    data = project / "milestones.yaml"
    data.write_text(data.read_text() + "  - {code: DM-A-9, name: New, level: 3, due: 2020-02-02}\n")
    assert build(project)[1] == ["catalogue"]
    data.write_text(
        data.read_text() + "  - {code: LDM-503-09, name: New L2, level: 2, due: 2020-02-02}\n"
    )
    assert build(project)[1] == ["catalogue", "releases"]


def test_removing_a_milestone_rereads_pages_that_showed_it(project: Path) -> None:
    data = project / "milestones.yaml"
    text = data.read_text()
    start = text.index("  - code: DM-A-3")
    data.write_text(text[:start])
    assert build(project)[1] == ["catalogue"]


def test_a_new_day_rewrites_the_catalogue_without_reading_it(project: Path) -> None:
    # Its entries show the status as of today, filled in when the page is written.
    app, read, written = build_watching(project, confoverrides={"ldm_today": "2021-06-02"})
    assert read == []
    assert written == ["catalogue", "index"]  # Sphinx rewrites the toctree holding it
    assert "Late (as of 2021-06-02)" in (Path(app.outdir) / "catalogue.html").read_text()


def test_a_date_edit_rewrites_the_catalogue_without_reading_it(project: Path) -> None:
    edit(project, "name: Unused feature\n", "name: Unused feature\n    completed: 2018-05-01\n")
    app, read, written = build_watching(project)
    assert read == []
    assert written == ["catalogue", "index"]
    page = (Path(app.outdir) / "catalogue.html").read_text()
    assert "2018-05-01" in page


def test_a_name_edit_rereads_the_catalogue(project: Path) -> None:
    # The name is in the entry's signature and counted for acronyms while reading.
    edit(project, "name: Unused feature", "name: Renamed unused feature")
    assert build_watching(project)[1:] == (["catalogue"], ["catalogue", "index"])


def test_a_catalogue_sorted_by_due_date_is_reread_when_the_order_changes(
    tmp_path: Path,
) -> None:
    data = (
        "milestones:\n"
        "  - {code: A, name: First, due: 2021-01-01}\n"
        "  - {code: B, name: Second, due: 2021-02-01}\n"
    )
    src = write_project(tmp_path / "src", ".. ldm-catalogue::\n   :sort: due\n", data)
    build(src)
    (src / "m.yaml").write_text(data.replace("2021-02-01", "2021-01-15"))
    assert build_watching(src)[1:] == ([], ["index"])  # same order: rewritten
    (src / "m.yaml").write_text(data.replace("2021-02-01", "2020-12-01"))
    app, read, _ = build_watching(src)
    assert read == ["index"]  # B now comes first
    page = (Path(app.outdir) / "index.html").read_text()
    assert page.index('id="ms-B"') < page.index('id="ms-A"')


def html_pages(outdir: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(outdir.glob("*.html"))}


def test_parallel_build_writes_the_same_pages(tmp_path: Path) -> None:
    outputs = []
    for jobs in (1, 2):
        src = tmp_path / f"j{jobs}"
        shutil.copytree(TESTS / "roots" / "test-basic", src)
        app, read = build(src, parallel=jobs)
        assert len(read) == 5
        outputs.append(html_pages(Path(app.outdir)))
    assert outputs[0] == outputs[1]


def test_edit_links_follow_lines_when_configured(project: Path) -> None:
    url = "https://example.org/data/milestones.yaml#L{line}"
    app, _ = build(project, confoverrides={"ldm_edit_url": url})
    page = (Path(app.outdir) / "catalogue.html").read_text()
    assert 'href="https://example.org/data/milestones.yaml#L16"' in page  # DM-A-1's line
    data = project / "milestones.yaml"
    data.write_text("# a comment that moves every milestone down one line\n" + data.read_text())
    app, read, written = build_watching(project, confoverrides={"ldm_edit_url": url})
    assert read == [] and written == ["catalogue", "index"]
    page = (Path(app.outdir) / "catalogue.html").read_text()
    assert 'href="https://example.org/data/milestones.yaml#L17"' in page


def test_moved_lines_reread_nothing_without_edit_links(project: Path) -> None:
    data = project / "milestones.yaml"
    data.write_text("# a comment\n" + data.read_text())
    assert build(project)[1] == []


EDITS = [
    ("name: Feature one", "name: Feature 1"),
    ("due: 2021-06-01", "due: 2021-07-01"),
    ("predecessors: [DM-A-1, DM-A-2]", "predecessors: [DM-A-1]"),
    ("name: Unused feature\n", "name: Unused feature\n    completed: 2018-05-01\n"),
    (
        "  - code: DM-A-3",
        "  - code: DM-A-4\n    name: Added\n    level: 3\n    due: 2019-01-01\n  - code: DM-A-3",
    ),
]


def test_incremental_output_equals_a_clean_build_after_each_edit(tmp_path: Path) -> None:
    incremental = tmp_path / "incremental"
    shutil.copytree(TESTS / "roots" / "test-basic", incremental)
    build(incremental)
    for number, (old, new) in enumerate(EDITS):
        edit(incremental, old, new)
        app, _ = build(incremental)
        clean = tmp_path / f"clean{number}"
        shutil.copytree(incremental, clean, ignore=shutil.ignore_patterns("_build"))
        clean_app, read = build(clean)
        assert len(read) == 5
        assert html_pages(Path(app.outdir)) == html_pages(Path(clean_app.outdir)), (old, new)


def test_example_docs_parallel_equals_serial(tmp_path: Path) -> None:
    from tests.conftest import copy_example_docs

    outputs = []
    for jobs in (1, 2):
        src = copy_example_docs(tmp_path / f"j{jobs}")
        app, _ = build(src, parallel=jobs)
        outputs.append(html_pages(Path(app.outdir)))
    assert outputs[0].keys() == outputs[1].keys()
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


SECTIONS_AND_ENTRIES = {
    "index.rst": "Plan\n====\n\n.. toctree::\n   :numbered:\n\n   releases\n   catalogue\n",
    "releases.rst": "Releases\n========\n\n.. ldm-milestones::\n   :levels: 2\n",
    "catalogue.rst": "Catalogue\n=========\n\n.. ldm-catalogue::\n",
}
LINKED_DATA = (
    "milestones:\n"
    "  - {code: REL-1, name: First release, level: 2, due: 2021-06-01, predecessors: [F-1]}\n"
    "  - {code: F-1, name: A feature, level: 3, due: 2021-01-01}\n"
)


def test_release_sections_and_catalogue_entries_link_to_each_other(tmp_path: Path) -> None:
    """A release section says where its catalogue entry is; the entry names the section
    (by number and page) and links to it; without a catalogue the section says nothing;
    adding the catalogue later writes the releases page again, as a clean build would."""
    src = write_project(tmp_path / "p", SECTIONS_AND_ENTRIES["index.rst"], LINKED_DATA)
    (src / "releases.rst").write_text(SECTIONS_AND_ENTRIES["releases.rst"])
    (src / "catalogue.rst").write_text("Catalogue\n=========\n\nNot yet.\n")
    app, _, _ = build_watching(src)
    assert app.warning.getvalue() == ""
    releases = BeautifulSoup((Path(app.outdir) / "releases.html").read_text(), "html.parser")
    assert releases.select("p.ldm-entry-link") == []  # the section is the entry

    (src / "catalogue.rst").write_text(SECTIONS_AND_ENTRIES["catalogue.rst"])
    app, read, written = build_watching(src)
    assert app.warning.getvalue() == ""
    assert read == ["catalogue"]
    assert "releases" in written
    releases = BeautifulSoup((Path(app.outdir) / "releases.html").read_text(), "html.parser")
    link = releases.select_one("section p.ldm-entry-link a")
    assert link is not None and link.get_text() == "REL-1 in the catalogue"
    assert anchor_exists(Path(app.outdir), "releases.html", link["href"])
    assert link["href"] == "catalogue.html#ms-REL-1"
    catalogue = BeautifulSoup((Path(app.outdir) / "catalogue.html").read_text(), "html.parser")
    entry = catalogue.find(id="ms-REL-1").find_parent("dl")
    back = entry.select_one("a.ldm-section-link")
    assert back.get_text() == "Section 1.1 (Releases)"
    section_id = back["href"].partition("#")[2]
    assert releases.find(id=section_id).find("h2").get_text().startswith("1.1. First release")
    assert catalogue.find(id="ms-F-1").find_parent("dl").select("a.ldm-section-link") == []
