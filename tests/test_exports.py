"""milestones.json / .csv / .ics: written next to the HTML, valid against the shipped JSON
Schema, RFC 4180 and RFC 5545 (parsed back with jsonschema and icalendar from PyPI),
reproducible byte for byte, and linked from pages by ``ldm-exports``."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import icalendar
import jsonschema
import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinxext_ldm import exports
from sphinxext_ldm.load import load_milestones
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.query import MilestoneFilter, Status
from tests.conftest import TESTS, BuildFn

TODAY = datetime.date(2020, 1, 1)
BASIC_CODES = ["DM-A-1", "DM-A-2", "DM-A-3", "LDM-503-01", "LDM-503-02"]
FILES = ("milestones.json", "milestones.csv", "milestones.ics", "milestones.schema.json")


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(exports.SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def validate(document: object) -> None:
    validator = jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(document)


def read_json(app: SphinxTestApp) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((Path(app.outdir) / "milestones.json").read_bytes())
    return loaded


def read_csv(app: SphinxTestApp) -> list[dict[str, str]]:
    text = (Path(app.outdir) / "milestones.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_ics(app: SphinxTestApp) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((Path(app.outdir) / "milestones.ics").read_bytes())


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def check_lines(data: bytes) -> None:
    """RFC 5545 3.1: CRLF line ends, lines of at most 75 octets, each valid UTF-8 on its
    own (a fold never splits a character)."""
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")


def project(tmp_path: Path, name: str = "basic", root: str = "basic") -> Path:
    """A copy of tests/roots/test-ROOT with pages that use ``ldm-exports``, one of them in
    a subdirectory (links must climb out of it)."""
    src = tmp_path / name
    shutil.copytree(TESTS / "roots" / f"test-{root}", src)
    (src / "status.rst").write_text(":orphan:\n\nStatus\n======\n\n.. ldm-exports::\n")
    (src / "sub").mkdir()
    (src / "sub" / "page.rst").write_text(":orphan:\n\nNested\n======\n\n.. ldm-exports::\n")
    return src


def page_path(outdir: Path, url: str) -> tuple[Path, str]:
    """The file and fragment a root-relative URL points at."""
    path, _, fragment = url.partition("#")
    path = unquote(path)
    if path in ("", "./") or path.endswith("/"):
        path += "index.html"
    return outdir / path, fragment


def assert_anchor(outdir: Path, url: str) -> None:
    file, fragment = page_path(outdir, url)
    assert file.is_file(), url
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    assert soup.find(id=fragment) is not None, url


# -- pure functions ----------------------------------------------------------------------


def catalog(*milestones: Milestone) -> Catalog:
    return Catalog.from_milestones(list(milestones))


HOSTILE = catalog(
    Milestone(
        "DM-AP-10",
        "Ünïcødé — 日本語 — émoji ✨, with; a \\ backslash and a very long name " * 3,
        datetime.date(2021, 12, 31),
        level=2,
        predecessors=("DM-AP-2",),
        description='Line one, "quoted".\nLine two; with = and\r\nthree.',
        jira="DM-1",
    ),
    Milestone("DM-AP-2", "Two", datetime.date(2019, 2, 28), level=3, completed=TODAY),
    Milestone("X 8&;,", "Odd code", datetime.date(2020, 1, 1)),
)
HOSTILE_URLS = {"DM-AP-10": "https://example.org/docs/catalogue.html#ms-DM-AP-10", "X 8&;,": None}


def test_escape_text() -> None:
    assert exports.escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert exports.escape_text("tab\tkept, bell\x07 dropped: 日本") == (
        "tab\tkept\\, bell dropped: 日本"
    )
    assert exports.escape_text('colon: "quotes" stay') == 'colon: "quotes" stay'


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:short",
        "X" * 75,
        "X" * 76,
        "DESCRIPTION:" + "a" * 300,
        "SUMMARY:" + "é" * 100,  # two octets each
        "SUMMARY:" + "日本語" * 40,  # three octets each
        "SUMMARY:" + "✨🚀" * 40,  # three and four octets
        "S:" + "a" * 72 + "日本",  # a character that would straddle the 75th octet
    ],
)
def test_fold_at_75_octets_without_splitting_characters(line: str) -> None:
    folded = exports.fold(line)
    data = folded.encode("utf-8") + b"\r\n"
    check_lines(data)
    physical = folded.split("\r\n")
    assert all(part.startswith(" ") for part in physical[1:])
    assert folded.replace("\r\n ", "") == line  # unfolding gives the line back
    if len(line.encode("utf-8")) <= 75:
        assert folded == line
    else:
        # Folded as late as possible: no physical line could have taken one more character.
        for part, following in itertools.pairwise(physical):
            assert len((part + following[1]).encode("utf-8")) > 75


def test_uid_code_is_distinct_and_needs_no_escaping() -> None:
    codes = ["X 8", "X-8", "X%208", "X&7", "A,B", "A;B", "Ü-1", "a@b"]
    uids = [exports.uid_code(code) for code in codes]
    assert len(set(uids)) == len(codes)
    assert all(uid.isascii() and not set(uid) & set(" ,;\\@") for uid in uids)
    assert exports.uid_code("LDM-503-02") == "LDM-503-02"


def test_project_slug() -> None:
    assert exports.project_slug("LDM-564: DM Releases") == "ldm-564-dm-releases"
    assert exports.project_slug("日本") == "project"


def test_json_of_hostile_data_validates() -> None:
    text = exports.milestones_json(HOSTILE, HOSTILE_URLS, TODAY, "Prøject")
    document = json.loads(text)
    validate(document)
    assert [m["code"] for m in document["milestones"]] == ["DM-AP-2", "DM-AP-10", "X 8&;,"]
    first = document["milestones"][1]
    assert first["name"] == HOSTILE.milestones["DM-AP-10"].name
    assert first["status"] == "upcoming" and first["successors"] == []
    assert document["milestones"][0]["successors"] == ["DM-AP-10"]
    assert document["milestones"][2]["url"] is None and document["milestones"][2]["level"] is None


def test_schema_rejects_what_it_should() -> None:
    good = json.loads(exports.milestones_json(HOSTILE, HOSTILE_URLS, TODAY, "P"))
    validate(good)
    for path, value in [
        (("milestones", 0, "status"), "done"),
        (("milestones", 0, "due"), "2021-02-30"),
        (("milestones", 0, "level"), 5),
        (("milestones", 0, "extra"), 1),
        (("schema_version",), 2),
    ]:
        bad = json.loads(json.dumps(good))
        target = bad
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)
    missing = json.loads(json.dumps(good))
    del missing["milestones"][0]["url"]
    with pytest.raises(jsonschema.ValidationError):
        validate(missing)


def test_csv_round_trips_hostile_data() -> None:
    text = exports.milestones_csv(HOSTILE, HOSTILE_URLS, TODAY)
    assert text.startswith(",".join(exports.EXPORT_FIELDS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    records = json.loads(exports.milestones_json(HOSTILE, HOSTILE_URLS, TODAY, "P"))["milestones"]
    fields = exports.EXPORT_FIELDS  # the JSON also has each milestone's history
    assert rows == [{k: exports._csv_cell(r[k]) for k in fields} for r in records]
    assert rows[1]["description"] == 'Line one, "quoted".\nLine two; with = and\r\nthree.'


def test_ics_of_hostile_data_parses_and_folds() -> None:
    text = exports.milestones_ics(
        HOSTILE, HOSTILE_URLS, TODAY, project="Prøject; one, two", uid_domain="example.org"
    )
    data = text.encode("utf-8")
    check_lines(data)
    calendar = icalendar.Calendar.from_ical(data)
    # An X- property's value is TEXT (RFC 5545 3.8.8.2), escaped; icalendar keeps it raw.
    assert str(calendar["X-WR-CALNAME"]) == "Prøject\\; one\\, two milestones"
    found = events(calendar)
    assert list(found) == [
        "DM-AP-2@example.org.sphinxext-ldm",
        "DM-AP-10@example.org.sphinxext-ldm",
        "X%208%26%3B%2C@example.org.sphinxext-ldm",
    ]
    long = found["DM-AP-10@example.org.sphinxext-ldm"]
    assert str(long["SUMMARY"]) == "DM-AP-10: " + HOSTILE.milestones["DM-AP-10"].name
    assert long.decoded("DTSTART") == datetime.date(2021, 12, 31)
    assert long.decoded("DTEND") == datetime.date(2022, 1, 1)
    assert str(long["URL"]) == HOSTILE_URLS["DM-AP-10"]
    assert long.decoded("DTSTAMP") == datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    assert str(long["DESCRIPTION"]).splitlines() == [
        "Status: Upcoming (as of 2020-01-01)",
        "Level 2",
        f"Entry: {HOSTILE_URLS['DM-AP-10']}",
    ]
    assert [str(c) for c in long["CATEGORIES"].cats] == ["Level 2", "Upcoming"]
    odd = found["X%208%26%3B%2C@example.org.sphinxext-ldm"]
    assert str(odd["SUMMARY"]) == "X 8&;,: Odd code"
    assert "URL" not in odd and [str(c) for c in odd["CATEGORIES"].cats] == ["Upcoming"]


def test_ics_has_no_relative_urls() -> None:
    urls = {"DM-AP-2": "catalogue.html#ms-DM-AP-2"}
    text = exports.milestones_ics(HOSTILE, urls, TODAY, project="P", uid_domain="p")
    assert "URL:" not in text and "catalogue.html" not in text


def test_ics_selection() -> None:
    text = exports.milestones_ics(
        HOSTILE,
        {},
        TODAY,
        project="P",
        uid_domain="p",
        selection=MilestoneFilter(levels=frozenset({2, 3}), statuses=frozenset({Status.COMPLETED})),
    )
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")] == [
        "DM-AP-2@p.sphinxext-ldm"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ({}, MilestoneFilter()),
        ({"levels": [2]}, MilestoneFilter(levels=frozenset({2}))),
        ({"levels": 2}, MilestoneFilter(levels=frozenset({2}))),
        ({"levels": "2, 3"}, MilestoneFilter(levels=frozenset({2, 3}))),
        (
            {"prefixes": "LDM-503 DM-A", "codes": ["X-1"], "status": ["late", "completed"]},
            MilestoneFilter(
                prefixes=("LDM-503", "DM-A"),
                codes=frozenset({"X-1"}),
                statuses=frozenset({Status.LATE, Status.COMPLETED}),
            ),
        ),
        (
            {"status": "incomplete"},
            MilestoneFilter(statuses=frozenset(Status) - {Status.COMPLETED}),
        ),
    ],
)
def test_parse_filter(value: object, expected: MilestoneFilter | None) -> None:
    assert exports.parse_filter(value) == (expected, [])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([2], "ldm_ics_filter must be a dict"),
        ({"level": [2]}, "ldm_ics_filter has no key 'level'"),
        ({"levels": [5]}, "ldm_ics_filter['levels'] does not take 5"),
        ({"levels": [True]}, "ldm_ics_filter['levels'] does not take True"),
        ({"levels": 2.0}, "ldm_ics_filter['levels'] must be a list or a string"),
        ({"status": ["done"]}, "ldm_ics_filter['status'] does not take 'done'"),
        ({"codes": [1]}, "ldm_ics_filter['codes'] does not take 1"),
    ],
)
def test_parse_filter_problems(value: object, message: str) -> None:
    selection, problems = exports.parse_filter(value)
    assert selection is None
    assert any(p.startswith(message) for p in problems), problems


# -- real builds -------------------------------------------------------------------------


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
def test_exports_written_and_urls_point_at_anchors(build_project: BuildFn, builder: str) -> None:
    app = build_project("basic", builder)
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    for name in FILES:
        assert (outdir / name).is_file()
    assert (outdir / "milestones.schema.json").read_bytes() == exports.SCHEMA_PATH.read_bytes()
    document = read_json(app)
    validate(document)
    assert document["generated_for"] == app.config.project
    assert document["today"] == "2020-01-01"
    assert [m["code"] for m in document["milestones"]] == BASIC_CODES
    for milestone in document["milestones"]:
        assert_anchor(outdir, milestone["url"])
    urls = {m["code"]: m["url"] for m in document["milestones"]}
    expected = {
        "html": "catalogue.html#ms-LDM-503-02",
        "dirhtml": "catalogue/#ms-LDM-503-02",
        "singlehtml": "index.html#ms-LDM-503-02",
    }
    assert urls["LDM-503-02"] == expected[builder]


def test_json_fields(build_project: BuildFn) -> None:
    milestones = {m["code"]: m for m in read_json(build_project("basic"))["milestones"]}
    assert milestones["LDM-503-02"] == {
        "code": "LDM-503-02",
        "name": "Second release",
        "level": 2,
        "due": "2021-06-01",
        "baseline": "2020-06-01",
        "completed": None,
        "status": "upcoming",
        "predecessors": ["LDM-503-01"],
        "successors": [],
        "short_name": None,
        "wbs": None,
        "description": None,
        "test_spec": None,
        "jira": "DM-100",
        "url": "catalogue.html#ms-LDM-503-02",
        "history": [],  # the project has no ldm_history_path
    }
    first = milestones["LDM-503-01"]
    assert first["status"] == "completed" and first["completed"] == "2019-06-03"
    assert first["predecessors"] == ["DM-A-1", "DM-A-2"]
    assert first["description"] == "The *first* release."
    assert milestones["DM-A-2"]["status"] == "late"


def test_absolute_urls_with_html_baseurl(build_project: BuildFn) -> None:
    app = build_project("basic", confoverrides={"html_baseurl": "https://Example.org/plan/"})
    base = "https://Example.org/plan/"
    document = read_json(app)
    validate(document)
    for milestone in document["milestones"]:
        assert milestone["url"].startswith(base)
        assert_anchor(Path(app.outdir), milestone["url"].removeprefix(base))
    found = events(read_ics(app))
    second = found["LDM-503-02@example.org.sphinxext-ldm"]
    assert str(second["URL"]) == base + "catalogue.html#ms-LDM-503-02"
    assert base + "catalogue.html#ms-LDM-503-02" in str(second["DESCRIPTION"])


def test_milestones_without_an_entry_have_no_url(build_project: BuildFn, tmp_path: Path) -> None:
    src = project(tmp_path)
    catalogue = src / "catalogue.rst"
    catalogue.write_text(catalogue.read_text() + "   :levels: 2\n")
    (src / "releases.rst").write_text("Releases\n========\n")
    app = build_project(src, copy=False)
    urls = {m["code"]: m["url"] for m in read_json(app)["milestones"]}
    assert urls == {
        "DM-A-1": None,
        "DM-A-2": None,
        "DM-A-3": None,
        "LDM-503-01": "catalogue.html#ms-LDM-503-01",
        "LDM-503-02": "catalogue.html#ms-LDM-503-02",
    }
    assert [row["url"] for row in read_csv(app)][:3] == ["", "", ""]


def test_release_sections_are_the_url_without_a_catalogue(
    build_project: BuildFn, tmp_path: Path
) -> None:
    src = project(tmp_path)
    (src / "catalogue.rst").write_text("Catalogue\n=========\n")
    app = build_project(src, "dirhtml", copy=False)
    urls = {m["code"]: m["url"] for m in read_json(app)["milestones"]}
    assert urls["LDM-503-01"] == "releases/#first-release-ldm-503-01"
    assert_anchor(Path(app.outdir), urls["LDM-503-01"])


def test_entries_on_the_root_page_of_dirhtml(build_project: BuildFn, tmp_path: Path) -> None:
    src = project(tmp_path)
    (src / "catalogue.rst").unlink()
    (src / "index.rst").write_text(
        "Test project\n============\n\n.. toctree::\n\n   releases\n   refs\n\n.. ldm-catalogue::\n"
    )
    app = build_project(src, "dirhtml", copy=False)
    urls = {m["code"]: m["url"] for m in read_json(app)["milestones"]}
    assert urls["DM-A-1"] == "./#ms-DM-A-1"  # not "#ms-DM-A-1": that is milestones.json's
    for url in urls.values():
        assert_anchor(Path(app.outdir), url)


def test_csv_matches_the_json(build_project: BuildFn) -> None:
    app = build_project("basic")
    data = (Path(app.outdir) / "milestones.csv").read_bytes()
    assert data.count(b"\r\n") == len(BASIC_CODES) + 1 and b"\n" not in data.replace(b"\r\n", b"")
    rows = read_csv(app)
    assert list(rows[0]) == list(exports.EXPORT_FIELDS)
    for row, milestone in zip(rows, read_json(app)["milestones"], strict=True):
        for field in exports.EXPORT_FIELDS:
            value = milestone[field]
            expected = " ".join(value) if isinstance(value, list) else value
            assert row[field] == ("" if expected is None else str(expected)), field


def test_ics_has_one_event_per_milestone(build_project: BuildFn) -> None:
    app = build_project("basic", confoverrides={"project": "Basic plan"})
    data = (Path(app.outdir) / "milestones.ics").read_bytes()
    check_lines(data)
    calendar = read_ics(app)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//sphinxext-ldm//milestones//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "Basic plan milestones"
    found = events(calendar)
    assert list(found) == [f"{code}@basic-plan.sphinxext-ldm" for code in BASIC_CODES]
    milestones = load_milestones(Path(app.srcdir) / "milestones.yaml").catalog
    for code in BASIC_CODES:
        event = found[f"{code}@basic-plan.sphinxext-ldm"]
        due = milestones.milestones[code].due
        assert event.decoded("DTSTART") == due
        assert event.decoded("DTEND") == due + datetime.timedelta(days=1)
        assert str(event["SUMMARY"]) == f"{code}: {milestones.milestones[code].name}"
        assert str(event["STATUS"]) == "CONFIRMED"
        assert "URL" not in event  # no html_baseurl: no absolute URL to give
    first = found["LDM-503-01@basic-plan.sphinxext-ldm"]
    assert str(first["DESCRIPTION"]).splitlines() == [
        "Status: Completed (as of 2020-01-01)",
        "Level 2",
        "Completed: 2019-06-03",
    ]
    assert [str(c) for c in first["CATEGORIES"].cats] == ["Level 2", "Completed"]


def test_hostile_names_in_every_export(build_project: BuildFn) -> None:
    app = build_project("hostile", confoverrides={"html_baseurl": "https://h.example"})
    document = read_json(app)
    validate(document)
    names = {m["code"]: m["name"] for m in document["milestones"]}
    assert names["X-6"] == "Ünïcødé — 日本語 — émoji ✨"
    assert {row["code"]: row["name"] for row in read_csv(app)} == names
    check_lines((Path(app.outdir) / "milestones.ics").read_bytes())
    found = events(read_ics(app))
    assert {str(e["SUMMARY"]) for e in found.values()} == {
        f"{code}: {name}" for code, name in names.items()
    }
    assert "X%208@h.example.sphinxext-ldm" in found and "X%267@h.example.sphinxext-ldm" in found
    for milestone in document["milestones"]:
        if milestone["url"] is not None:
            assert_anchor(Path(app.outdir), milestone["url"].removeprefix("https://h.example/"))


def test_two_builds_write_identical_bytes(build_project: BuildFn, tmp_path: Path) -> None:
    first = build_project(project(tmp_path, "one"), copy=False)
    second = build_project(project(tmp_path, "two"), copy=False, parallel=2)
    for name in FILES:
        assert (Path(first.outdir) / name).read_bytes() == (
            Path(second.outdir) / name
        ).read_bytes(), name


def test_incremental_build_updates_the_exports(tmp_path: Path) -> None:
    src = project(tmp_path)
    for edit in (None, ("name: Unused feature", "name: Renamed feature")):
        if edit is not None:
            data = src / "milestones.yaml"
            data.write_text(data.read_text().replace(*edit))
        app = SphinxTestApp("html", srcdir=src)  # type: ignore[arg-type]
        try:
            app.build()
        finally:
            app.cleanup()
    names = {m["code"]: m["name"] for m in read_json(app)["milestones"]}
    assert names["DM-A-3"] == "Renamed feature"
    assert "DM-A-3: Renamed feature" in (Path(app.outdir) / "milestones.ics").read_text()


def test_ics_filter_limits_the_feed(build_project: BuildFn) -> None:
    app = build_project("basic", confoverrides={"ldm_ics_filter": {"levels": [2]}})
    assert app.warning.getvalue() == ""
    found = events(read_ics(app))
    assert [uid.partition("@")[0] for uid in found] == ["LDM-503-01", "LDM-503-02"]
    assert len(read_json(app)["milestones"]) == len(BASIC_CODES)  # the feed alone is filtered


def test_ics_filter_by_status_and_prefix(build_project: BuildFn) -> None:
    overrides = {"ldm_ics_filter": {"status": "incomplete", "prefixes": ["DM-A"]}}
    app = build_project("basic", confoverrides=overrides)
    assert [uid.partition("@")[0] for uid in events(read_ics(app))] == ["DM-A-2", "DM-A-3"]


def test_bad_ics_filter_warns_and_is_ignored(build_project: BuildFn) -> None:
    app = build_project("basic", confoverrides={"ldm_ics_filter": {"level": [2], "status": "x"}})
    warnings = app.warning.getvalue()
    assert "ldm_ics_filter has no key 'level'" in warnings
    assert "ldm_ics_filter['status'] does not take 'x'" in warnings
    assert warnings.count("[ldm.config]") == 2
    assert len(events(read_ics(app))) == len(BASIC_CODES)


def test_ics_filter_selecting_nothing_warns(build_project: BuildFn) -> None:
    app = build_project("basic", confoverrides={"ldm_ics_filter": {"codes": ["NOPE-1"]}})
    warnings = app.warning.getvalue()
    assert "ldm_ics_filter selects no milestones" in warnings
    assert "ldm_ics_filter names unknown milestone codes: NOPE-1" in warnings
    assert events(read_ics(app)) == {}


def test_exports_can_be_turned_off(build_project: BuildFn, tmp_path: Path) -> None:
    app = build_project(project(tmp_path), copy=False, confoverrides={"ldm_exports": False})
    for name in FILES:
        assert not (Path(app.outdir) / name).exists()
    warnings = app.warning.getvalue()
    assert warnings.count("[ldm.config]") == 2  # the two pages with ldm-exports
    assert "ldm-exports: no exports are written" in warnings
    page = BeautifulSoup((Path(app.outdir) / "status.html").read_text(), "html.parser")
    items = page.select("ul.ldm-exports li")
    assert len(items) == 3 and not page.select("ul.ldm-exports a")


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_other_builders_write_no_exports(build_project: BuildFn, builder: str) -> None:
    app = build_project("basic", builder)
    for name in FILES:
        assert not (Path(app.outdir) / name).exists()


@pytest.mark.parametrize(
    ("builder", "pages"),
    [
        ("html", {"status.html": "", "sub/page.html": "../"}),
        ("dirhtml", {"status/index.html": "../", "sub/page/index.html": "../../"}),
    ],
)
def test_directive_links_resolve(
    build_project: BuildFn, tmp_path: Path, builder: str, pages: dict[str, str]
) -> None:
    app = build_project(project(tmp_path), builder, copy=False)
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    for page, prefix in pages.items():
        soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
        hrefs = [a["href"] for a in soup.select("ul.ldm-exports a")]
        names = ["milestones.json", "milestones.schema.json", "milestones.csv", "milestones.ics"]
        assert hrefs == [prefix + name for name in names]
        for href in hrefs:
            target = Path(urljoin(f"file://{outdir / page}", href).removeprefix("file://"))
            assert target.is_file() and target.parent == outdir, href


def test_directive_in_singlehtml(build_project: BuildFn, tmp_path: Path) -> None:
    src = project(tmp_path)
    index = src / "index.rst"
    index.write_text(index.read_text() + "\n.. ldm-exports::\n")
    app = build_project(src, "singlehtml", copy=False)
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(), "html.parser")
    hrefs = [a["href"] for a in soup.select("ul.ldm-exports a")]
    assert hrefs[0] == "milestones.json" and (Path(app.outdir) / hrefs[0]).is_file()


def test_directive_describes_the_feed_filter(build_project: BuildFn, tmp_path: Path) -> None:
    overrides = {"ldm_ics_filter": {"levels": [2], "status": "late"}}
    app = build_project(project(tmp_path), copy=False, confoverrides=overrides)
    text = BeautifulSoup((Path(app.outdir) / "status.html").read_text(), "html.parser").get_text()
    assert "the milestones selected by levels 2; status late, one all-day event" in " ".join(
        text.split()
    )


def test_directive_in_text_names_the_files(build_project: BuildFn, tmp_path: Path) -> None:
    app = build_project(project(tmp_path), "text", copy=False)
    assert app.warning.getvalue() == ""
    text = (Path(app.outdir) / "status.txt").read_text()
    for name in FILES:
        assert name in text


def test_directive_in_latex_links_to_the_site(build_project: BuildFn, tmp_path: Path) -> None:
    src = project(tmp_path)
    index = src / "index.rst"
    index.write_text(index.read_text() + "\n.. ldm-exports::\n")
    app = build_project(
        src, "latex", copy=False, confoverrides={"html_baseurl": "https://example.org/plan"}
    )
    tex = next(Path(app.outdir).glob("*.tex")).read_text()
    assert r"\sphinxhref{https://example.org/plan/milestones.ics}" in tex
