"""The ldm domain: role links, canonical entries, objects.inv, located warnings."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from sphinxext_ldm.load import load_milestones
from tests.conftest import REPO, BuildFn, write_project


def soup(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")


def inventory(app: SphinxTestApp) -> dict[str, dict[str, object]]:
    with (Path(app.outdir) / "objects.inv").open("rb") as stream:
        return InventoryFile.load(stream, "", lambda base, uri: uri)  # type: ignore[return-value]


def item_uri(item: object) -> str:
    uri = getattr(item, "uri", None)
    return str(uri if uri is not None else item[2])  # type: ignore[index]


def test_role_links_with_the_milestone_name(build_project: BuildFn) -> None:
    app = build_project("basic")
    assert app.warning.getvalue() == ""
    links = soup(app, "refs.html").select("a.reference.internal")
    texts = {a.get_text(): (a["href"], a.get("title")) for a in links}
    assert texts["First release"] == ("catalogue.html#ms-LDM-503-01", "LDM-503-01: First release")
    assert texts["the second"][0] == "catalogue.html#ms-LDM-503-02"


def test_reference_format_is_configurable(build_project: BuildFn) -> None:
    app = build_project("basic", confoverrides={"ldm_reference_format": "{name} ({code})"})
    texts = [a.get_text() for a in soup(app, "refs.html").select("a.reference.internal")]
    assert "First release (LDM-503-01)" in texts


def test_objects_inv_has_every_milestone(example_html: SphinxTestApp) -> None:
    inv = inventory(example_html)
    codes = {m.code for m in load_milestones(REPO / "data" / "milestones.yaml").catalog}
    assert set(inv["ldm:milestone"]) == codes
    assert item_uri(inv["ldm:milestone"]["LDM-503-02"]).endswith("catalogue.html#ms-LDM-503-02")


def test_catalogue_entry_lists_fields_and_links(build_project: BuildFn) -> None:
    app = build_project("basic")
    page = soup(app, "catalogue.html")
    entry = page.find(id="ms-DM-A-1").find_parent("dl")
    text = " ".join(entry.get_text(" ").split())
    assert "Feature one" in text and "Completed (as of 2020-01-01)" in text
    feeds = [a.get_text() for a in entry.select("a.reference.internal")]
    assert feeds == ["LDM-503-01", "LDM-503-01"]  # successor, and the level 2 it feeds
    second = page.find(id="ms-LDM-503-02").find_parent("dl")
    assert second.select_one("a.reference.external")["href"].endswith("/browse/DM-100")
    first = page.find(id="ms-LDM-503-01").find_parent("dl")
    assert first.select_one("em").get_text() == "first"  # description is parsed as reST


def test_level_two_predecessors_are_not_listed_as_features(build_project: BuildFn) -> None:
    app = build_project("basic")
    page = soup(app, "releases.html")
    second = page.find("section", id="second-release-ldm-503-02")
    assert "No new functionality" in second.get_text()
    first = page.find("section", id="first-release-ldm-503-01")
    items = [" ".join(li.get_text().split()) for li in first.select("li")]
    assert items == [
        "DM-A-2: Feature two (Due: 2019-04-01; currently incomplete)",
        "DM-A-1: Feature one (Due: 2019-05-01; completed 2019-05-01)",
    ]


def test_sections_are_numbered_and_in_the_toc(build_project: BuildFn) -> None:
    app = build_project("basic")
    toc = [" ".join(a.get_text().split()) for a in soup(app, "index.html").select("li a")]
    assert "1.1. First release: LDM-503-01" in toc
    assert "1.2. Second release: LDM-503-02" in toc


def test_unknown_codes_warn_with_document_and_line(build_project: BuildFn, tmp_path: Path) -> None:
    src = write_project(
        tmp_path / "bad",
        "Title\n=====\n\nSee :ldm:ms:`NOPE`.\n\n.. ldm-milestone:: ALSO-NOPE\n\n"
        ".. ldm-milestones::\n   :levels: 2, 9\n   :status: done\n\nAnd :ldm:ms:`A`.\n",
        data="milestones:\n  - {code: A, name: X, due: 2021-01-01, predecesors: [B]}\n",
    )
    app = build_project(src, copy=False)
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    expected = [
        ("m.yaml:2", "ldm.unknown-field"),
        ("index.rst:6", "ldm.unknown-code"),
        ("index.rst:8", "ldm.option"),
        ("index.rst:8", "ldm.option"),
        ("index.rst:4", "ldm.unknown-code"),
        ("index.rst:12", "ldm.no-entry"),
    ]
    lines = [line for line in warnings.splitlines() if "WARNING" in line]
    got = [
        (
            re.search(r"(\S+):\s*WARNING", line)[1].rsplit("/", 1)[-1],  # type: ignore[index]
            re.search(r"\[(ldm\.[\w-]+)\]", line)[1],
        )
        for line in lines
    ]  # type: ignore[index]
    assert got == expected, warnings
    page = soup(app, "index.html")
    assert "[milestone ALSO-NOPE: unknown code]" in page.get_text()
    assert "X" in page.get_text()  # a known milestone without an entry still shows its name


def test_suppress_warnings_silences_a_subtype(build_project: BuildFn, tmp_path: Path) -> None:
    src = tmp_path / "quiet"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinxext_ldm"]\nsuppress_warnings = ["ldm.unknown-code"]\n'
    )
    (src / "index.rst").write_text("Title\n=====\n\nSee :ldm:ms:`NOPE`.\n")
    app = build_project(src, copy=False)
    assert app.warning.getvalue() == ""


def test_search_finds_milestones_by_code_and_by_name(build_project: BuildFn) -> None:
    app = build_project("basic")
    index = (Path(app.outdir) / "searchindex.js").read_text()
    data = json.loads(index[index.index("(") + 1 : index.rindex(")")])
    docnames = data["docnames"]
    objects = {entry[4] for entries in data["objects"].values() for entry in entries}
    assert {"LDM-503-01", "DM-A-1"} <= objects  # by code, as objects of the ldm domain
    term = data["terms"]["unus"]  # "Unused feature": names are searchable text (stemmed)
    pages = term if isinstance(term, list) else [term]
    assert docnames.index("catalogue") in pages
