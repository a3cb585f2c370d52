"""Acronym tables from what pages use, hover definitions, undefined-term warnings,
glossarydefs.csv import, incremental and parallel builds."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinxext_ldm.acronyms import Glossary, find_terms
from sphinxext_ldm.glossary_csv import parse_glossarydefs
from sphinxext_ldm.load import load_acronyms_text
from tests.conftest import REPO, TESTS, BuildFn, write_project
from tests.test_incremental import build as build_reading


def page(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / name).read_text(encoding="utf-8"), "html.parser")


def table_rows(app: SphinxTestApp, name: str = "table.html") -> dict[str, str]:
    rows = page(app, name).select("table.ldm-acronyms tbody tr")
    return {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text() for tr in rows}


def clean(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_table_lists_used_defined_terms_including_data_text(build_project: BuildFn) -> None:
    app = build_project("acronyms")
    assert table_rows(app) == {
        "AC": "Alternating Current",  # the table page's own choice (tag Gen)
        "DM": "Data Management",
        "HSC": "Hyper Suprime-Cam",  # only in a milestone name
        "LOST": "Never used anywhere",  # :include:
        "QA": "Quality Assurance",  # only in a level-3 milestone listed under a release
        "SQuaRE": "Science Quality and Reliability Engineering",  # a nonstandard term
        "TAP": "Table Access Protocol",  # only in a timeline label (short name)
    }


def test_code_literals_and_excluded_terms_are_not_listed(build_project: BuildFn) -> None:
    rows = table_rows(build_project("acronyms"))
    assert "DAQ" not in rows  # only inside ``literal``
    assert "FDR" not in rows  # only inside a code block
    assert "ComCam" not in rows  # :exclude:
    assert "PSF" not in rows  # defined but never used


def test_hover_definitions_first_per_page_not_in_headings_code_links(
    build_project: BuildFn,
) -> None:
    app = build_project("acronyms")
    body = page(app, "body.html")
    abbrs = [(a.get_text(), a["title"]) for a in body.select("abbr")]
    assert abbrs == [
        ("DM", "Data Management"),
        ("ComCam", "The commissioning camera"),
        ("SQuaRE", "Science Quality and Reliability Engineering"),
        ("AC", "Access Control"),  # this page made no choice: the DM tag wins
    ]
    assert not body.select("h1 abbr, pre abbr, code abbr")
    dm_link = body.select_one("abbr[title='Data Management']").find_parent("a")
    assert dm_link["href"] == "table.html#term-dm"
    assert body.select_one("abbr[title^='The commissioning']").find_parent("a") is None


def test_all_and_off_modes(build_project: BuildFn) -> None:
    every = build_project("acronyms", confoverrides={"ldm_acronym_links": "all"})
    assert [a.get_text() for a in page(every, "body.html").select("abbr")].count("DM") == 2
    shutil.rmtree(Path(every.outdir))
    off = build_project("acronyms", confoverrides={"ldm_acronym_links": "off"})
    assert page(off, "body.html").select("abbr") == []


def test_term_role_links_to_the_table(build_project: BuildFn) -> None:
    app = build_project("acronyms")
    link = page(app, "table.html").select_one("a.reference.internal[href='#term-square']")
    assert link is not None and link.get_text() == "SQuaRE"
    assert page(app, "table.html").find(id="term-square") is not None


def test_undefined_acronyms_warn_once_with_locations(build_project: BuildFn) -> None:
    app = build_project("acronyms")
    warnings = [w for w in clean(app.warning.getvalue()).splitlines() if "WARNING" in w]
    assert len(warnings) == 1, warnings
    (warning,) = warnings
    assert re.search(
        r"body\.rst:\d+: WARNING: acronym UNDEF is used but not defined "
        r"\(body\.rst:\d+, body\.rst:\d+\)",
        warning,
    ), warning
    assert warning.endswith("[ldm.acronym.undefined]")


def test_glossarydefs_import() -> None:
    text = (TESTS / "roots" / "test-acronyms" / "glossarydefs.csv").read_text(encoding="utf-8-sig")
    acronyms, problems = parse_glossarydefs(text, "g.csv")
    assert problems == []
    terms = [a.term for a in acronyms]
    assert "Butler" not in terms  # glossary (G) rows are not acronyms
    assert terms.count("AC") == 2
    ac = [a for a in acronyms if a.term == "AC"]
    assert [a.tags for a in ac] == [("Gen",), ("DM",)]
    glossary = Glossary.from_sources([acronyms])
    assert glossary.choose("AC", ["DM"]).definition == "Access Control"  # type: ignore[union-attr]
    assert glossary.choose("AC", []).definition == "Alternating Current"  # type: ignore[union-attr]
    assert glossary.choose("AC", [], {"AC": "Other"}).definition == "Other"  # type: ignore[union-attr]


def test_glossarydefs_bad_header_and_rows() -> None:
    _, problems = parse_glossarydefs("Name,Meaning\nX,Y\n", "g.csv")
    assert [(p.subtype, p.line) for p in problems] == [("schema", 1)]
    header = "Term,Description,Subsystem Tags,Documentation Tags,"
    header += "Associated Acronyms and Alternative Terms,Type\n"
    acronyms, problems = parse_glossarydefs(header + ",No term,,,,A\nOK,Fine,,,,A\n", "g.csv")
    assert [(p.subtype, p.line) for p in problems] == [("missing-field", 2)]
    assert [a.term for a in acronyms] == ["OK"]


def test_acronym_yaml_problems() -> None:
    result = load_acronyms_text(
        "acronyms:\n  - {term: A1, definiton: x}\n  - {term: B2, definition: y}\n"
    )
    assert [(p.subtype, p.line) for p in result.problems] == [
        ("unknown-field", 2),
        ("missing-field", 2),
    ]
    assert [a.term for a in result.acronyms] == ["B2"]


def test_detection_patterns() -> None:
    glossary = Glossary.from_sources(
        [
            parse_glossarydefs(
                (TESTS / "roots" / "test-acronyms" / "glossarydefs.csv").read_text(
                    encoding="utf-8-sig"
                )
            )[0]
        ]
    )
    text = "DM-AP-1 uses M1M3 and DP0.2; ComCamera is not ComCam; I&T; x2 ABc"
    found = [m.term for m in find_terms(text, glossary.nonstandard_pattern())]
    assert found == ["DM", "AP", "M1M3", "DP0", "ComCam"]


def test_parallel_build_gives_the_same_tables(tmp_path: Path) -> None:
    pages = []
    for jobs in (1, 2):
        src = tmp_path / f"j{jobs}"
        shutil.copytree(TESTS / "roots" / "test-acronyms", src)
        app = SphinxTestApp("html", srcdir=src, parallel=jobs)
        try:
            app.build()
        finally:
            app.cleanup()
        pages.append({p.name: p.read_text() for p in Path(app.outdir).glob("*.html")})
    assert pages[0] == pages[1]


def test_a_page_edit_rewrites_the_table_without_rereading_it(tmp_path: Path) -> None:
    src = tmp_path / "inc"
    shutil.copytree(TESTS / "roots" / "test-acronyms", src)

    build_reading(src)
    body = src / "body.rst"
    body.write_text(body.read_text() + "\nThe PSF matters.\n")
    app, read = build_reading(src)
    assert read == ["body"]
    assert table_rows(app)["PSF"] == "Point spread function (local wording)"
    app, read = build_reading(src)
    assert read == []
    assert "PSF" in table_rows(app)


@pytest.mark.parametrize("text", ["I&T and A&A", "SQuaRE-ish"])
def test_nonstandard_terms_need_word_boundaries(text: str) -> None:
    glossary = Glossary.from_sources(
        [
            load_acronyms_text(
                "acronyms:\n  - {term: I&T, definition: x}\n  - {term: SQuaRE, definition: y}\n"
            ).acronyms
        ]
    )
    found = [m.term for m in find_terms(text, glossary.nonstandard_pattern())]
    assert found == (["I&T"] if "I&T" in text else ["SQuaRE"])


# -- terms that differ only by case (or that make_id makes the same) ----------------------

#: Rubin's glossary holds terms that differ only by case (GB Gigabyte / Gb Gigabit, DB
#: DataBase / Db Decibel, BPS / Bps / bps ...) and TS / TS#, which an id cannot tell apart.
CASE_BODY = """\
Storage
=======

A GB holds eight Gb; the DB measures Db. BPS moves 1 Bps, that is 8 bps. TS.

See :term:`Gb`, :term:`GB`, :term:`bps`, :term:`Bps` and :term:`TS#`.
"""
CASE_TABLE = """\
Acronyms
========

.. ldm-acronyms::
   :scope: project
   :include: TS#
   :style: {style}
"""
CASE_TERMS = ["BPS", "Bps", "DB", "Db", "GB", "Gb", "TS", "TS#", "bps"]


def case_project(src: Path, style: str = "table") -> Path:
    src.mkdir(parents=True)
    shutil.copy(REPO / "data" / "lsst-texmf-glossarydefs.csv", src / "glossarydefs.csv")
    (src / "conf.py").write_text(
        'extensions = ["sphinxext_ldm"]\nldm_acronyms_path = "glossarydefs.csv"\n'
        'ldm_acronym_tags = ["DM"]\nldm_acronym_links = "all"\n'
    )
    (src / "index.rst").write_text("Case\n====\n\n.. toctree::\n\n   body\n   table\n")
    (src / "body.rst").write_text(CASE_BODY)
    (src / "table.rst").write_text(CASE_TABLE.format(style=style))
    return src


def listed_term(table: BeautifulSoup, anchor: str) -> str:
    """The term of the table row (or glossary entry) whose id is ``anchor``."""
    found = table.find_all(id=anchor)
    assert len(found) == 1, (anchor, found)
    row = found[0].find_parent("tr")
    term = row.find_all("td")[0] if row is not None else found[0]
    return str(term.get_text()).rstrip("¶").strip()  # without the glossary's headerlink


@pytest.mark.parametrize("style", ["table", "glossary"])
def test_terms_differing_by_case_get_their_own_anchor_and_links(
    build_project: BuildFn, tmp_path: Path, style: str
) -> None:
    app = build_project(case_project(tmp_path / style, style), copy=False)
    table = page(app, "table.html")
    if style == "table":
        rows = table.select("table.ldm-acronyms tbody tr")
        listed = [tr.find_all("td")[0].get_text() for tr in rows]
        anchors = [tr.find(id=True)["id"] for tr in rows]
    else:
        listed = [dt.get_text().rstrip("¶") for dt in table.select("dl.ldm-acronyms dt")]
        anchors = [dt["id"] for dt in table.select("dl.ldm-acronyms dt")]
    assert [term for term in listed if term in CASE_TERMS] == CASE_TERMS
    assert len(set(anchors)) == len(anchors), anchors
    # The first term of each group keeps the anchor it always had.
    assert {listed_term(table, a) for a in ("term-gb", "term-db", "term-bps", "term-ts")} == {
        "GB",
        "DB",
        "BPS",
        "TS",
    }
    body = page(app, "body.html")
    hovers = body.select("a.ldm-acronym")
    assert {a.get_text() for a in hovers} >= {"GB", "Gb", "DB", "Db", "BPS", "Bps", "bps"}
    roles = body.select("a.reference.internal:not(.ldm-acronym)")
    assert [a.get_text() for a in roles] == ["Gb", "GB", "bps", "Bps", "TS#"]
    for link in [*hovers, *roles]:
        docname, _, anchor = link["href"].partition("#")
        assert docname == "table.html", link
        assert listed_term(table, anchor) == link.get_text(), link


def test_anchors_of_case_pairs_are_the_same_with_parallel_builds(tmp_path: Path) -> None:
    pages = []
    for jobs in (1, 2):
        src = case_project(tmp_path / f"j{jobs}")
        app = SphinxTestApp("html", srcdir=src, parallel=jobs)
        try:
            app.build()
        finally:
            app.cleanup()
        pages.append({p.name: p.read_text() for p in Path(app.outdir).glob("*.html")})
    assert pages[0] == pages[1]
    assert 'id="term-gb-' in pages[0]["table.html"]


def test_a_new_definition_that_takes_an_anchor_rewrites_the_pages_linking_to_it(
    tmp_path: Path,
) -> None:
    src = tmp_path / "moved"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinxext_ldm"]\nldm_acronyms_path = "acronyms.yaml"\n'
    )
    (src / "acronyms.yaml").write_text("acronyms:\n  - {term: Gb, definition: Gigabit}\n")
    (src / "index.rst").write_text("Case\n====\n\n.. toctree::\n\n   body\n   table\n")
    (src / "body.rst").write_text("Body\n====\n\nEight Gb.\n")
    (src / "table.rst").write_text("Acronyms\n========\n\n.. ldm-acronyms::\n   :scope: project\n")
    app, _ = build_reading(src)
    assert page(app, "body.html").select_one("a.ldm-acronym")["href"] == "table.html#term-gb"
    # GB comes first: it takes term-gb (nothing uses it yet), and Gb's anchor moves.
    (src / "acronyms.yaml").write_text(
        "acronyms:\n  - {term: Gb, definition: Gigabit}\n  - {term: GB, definition: Gigabyte}\n"
    )
    app, read = build_reading(src)
    assert read == []
    link = page(app, "body.html").select_one("a.ldm-acronym")
    docname, _, anchor = link["href"].partition("#")
    assert (docname, listed_term(page(app, "table.html"), anchor)) == ("table.html", "Gb")


class CountingPattern:
    """A nonstandard-term pattern whose matches count how often they are asked where
    they are: the work find_terms does per term found."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.calls = 0

    def finditer(self, text: str) -> Iterator[CountingMatch]:
        for match in self.pattern.finditer(text):
            yield CountingMatch(match, self)


class CountingMatch:
    def __init__(self, match: re.Match[str], counter: CountingPattern) -> None:
        self.match, self.counter = match, counter

    def __getitem__(self, group: int) -> str:
        self.counter.calls += 1
        return self.match[group]

    def start(self) -> int:
        self.counter.calls += 1
        return self.match.start()

    def end(self) -> int:
        self.counter.calls += 1
        return self.match.end()

    def span(self) -> tuple[int, int]:
        self.counter.calls += 1
        return self.match.span()


@pytest.mark.parametrize("pairs", [100, 2_000])
def test_finding_terms_does_constant_work_per_term(pairs: int) -> None:
    """16,000 pairs of an acronym and a nonstandard term took 67 s: every nonstandard
    term was compared with every acronym-like word before it (see nox -s bench)."""
    glossary = Glossary.from_sources(
        [load_acronyms_text("acronyms:\n  - {term: SQuaRE, definition: y}\n").acronyms]
    )
    pattern = glossary.nonstandard_pattern()
    assert pattern is not None
    counting = CountingPattern(pattern)
    text = " ".join(["DM and SQuaRE;"] * pairs)
    found = list(find_terms(text, counting))  # type: ignore[arg-type]
    assert [m.term for m in found] == ["DM", "SQuaRE"] * pairs
    assert counting.calls <= 4 * pairs


def test_a_bad_choice_is_located_at_its_line_in_an_included_file(
    build_project: BuildFn, tmp_path: Path
) -> None:
    src = write_project(tmp_path / "choices", "Title\n=====\n\nText.\n\n.. include:: choices.txt\n")
    (src / "choices.txt").write_text(".. ldm-acronym-choices::\n\n   AC: DM\n   broken line\n")
    app = build_project(src, copy=False)
    (warning,) = [w for w in clean(app.warning.getvalue()).splitlines() if "WARNING" in w]
    assert re.search(r"choices\.txt:4: WARNING: ldm-acronym-choices: 'broken line' is not", warning)
    assert warning.endswith("[ldm.option]")
