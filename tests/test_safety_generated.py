"""Generated files and exports are safe whatever the data says (a sibling of the corpus).

The change report (reStructuredText, Markdown or terminal text) shows every piece of data
text as written and never as markup: no directive, role, link, target, substitution or
raw HTML can come from a milestone's code or name. ``milestones.csv`` cannot carry a
spreadsheet formula. No date in a data file can stop a build: dates outside what every
output can show are a located ``bad-date`` problem.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sphinxext_ldm import exports
from sphinxext_ldm.cli import main
from sphinxext_ldm.load import load_milestones_text
from tests.test_corpus import BuildFn, assert_no_crash, lines, y, yml
from tests.test_corpus import project as project  # the fixture

# -- dates every output can show --------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "0001-01-01",  # year 1
        "0001-12-31",
        "0099-06-01",  # JavaScript's Date reads it as 1999
        "0999-12-31",  # strftime: 9991231
        "1899-12-31",  # before spreadsheets' dates
        "9999-01-01",
        "9999-12-31",  # no next day, no next month
    ],
)
@pytest.mark.parametrize("field", ["due", "baseline", "completed"])
def test_dates_out_of_range_are_located_problems(field: str, written: str) -> None:
    text = lines(
        "milestones:",
        "  - code: A",
        "    name: Far",
        "    due: 2021-01-01" if field != "due" else f"    due: {written}",
        *([f"    {field}: {written}"] if field != "due" else []),
    )
    result = load_milestones_text(text, "m.yaml")
    problems = [(p.subtype, p.line) for p in result.problems]
    line = 5 if field != "due" else 4
    if field == "due":
        assert problems == [("bad-date", line), ("missing-field", line)]
        assert "A" not in result.catalog.milestones
        assert result.catalog.rejected["A"].reason == "no valid 'due'"
    else:
        assert problems == [("bad-date", line)]
        assert getattr(result.catalog.milestones["A"], field) is None
    message = result.problems[0].message
    assert f"'{field}' is {written}" in message
    assert "1900-01-01 to 9998-12-31" in message


@pytest.mark.parametrize("written", ["1900-01-01", "9998-12-31"])
def test_dates_at_the_bounds_are_accepted(written: str) -> None:
    text = f"milestones:\n  - {{code: A, name: X, due: {written}, baseline: {written}}}\n"
    result = load_milestones_text(text)
    assert result.problems == []
    assert result.catalog.milestones["A"].due.isoformat() == written


FAR = yml(
    """
    milestones:
      - code: A
        name: Far future
        due: 9999-12-31
      - code: B
        name: Ancient baseline
        level: 2
        due: 2021-01-01
        baseline: 0001-01-01
        completed: 9999-12-31
      - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
    """
)
FAR_WARNINGS = [y("bad-date", 4), y("missing-field", 4), y("bad-date", 9), y("bad-date", 10)]

CHARTS_RST = """\
Plan
====

.. ldm-burndown::

.. ldm-timeline::

.. ldm-timeline::
   :schedule: baseline

.. ldm-catalogue::
"""


def test_check_reports_dates_out_of_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(FAR)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[:2] for line in out] == [
        [f"{path}:4", "bad-date"],
        [f"{path}:4", "missing-field"],
        [f"{path}:9", "bad-date"],
        [f"{path}:10", "bad-date"],
    ]
    assert "'due' is 9999-12-31" in out[0] and "1900-01-01 to 9998-12-31" in out[0]


def test_build_with_dates_out_of_range_finishes(project: BuildFn) -> None:
    """A burndown, timelines and the exports: the build warns, writes every file, and
    the milestone without a usable due date is a placeholder (left out of the exports)."""
    built = project(FAR, CHARTS_RST)
    assert_no_crash(built)
    assert built.warnings == FAR_WARNINGS
    assert "outside the dates every output can show" in built.warning_text
    for name in ("milestones.json", "milestones.csv", "milestones.ics"):
        assert (built.outdir / name).is_file(), name
    records = json.loads((built.outdir / "milestones.json").read_text())["milestones"]
    assert [(r["code"], r["baseline"], r["completed"]) for r in records] == [
        ("B", None, None),
        ("OK-1", None, None),
    ]
    assert "[milestone A: invalid data (m.yaml:2): no valid 'due'" in built.text()


#: Each bound with a neighbour, so that every chart spans a few months only.
BOUNDS = {
    "first": yml(
        """
        milestones:
          - {code: A, name: First, level: 2, due: 1900-01-01, baseline: 1900-01-01}
          - {code: B, name: Next, level: 2, due: 1900-03-01, completed: 1900-01-01}
        """
    ),
    "last": yml(
        """
        milestones:
          - {code: A, name: Before, level: 2, due: 9998-10-01, baseline: 9998-10-01}
          - {code: B, name: Last, level: 2, due: 9998-12-31, baseline: 9998-12-31,
             completed: 9998-12-31}
        """
    ),
}


@pytest.mark.parametrize(
    ("data", "start", "end", "months"),
    [
        (BOUNDS["first"], "19000101", "19000302", "{1900-01}{1900-12}"),
        (BOUNDS["last"], "99981231", "99990101", "{9998-01}{9998-12}"),
    ],
    ids=["first", "last"],
)
def test_dates_at_the_bounds_work_in_every_output(
    project: BuildFn, data: str, start: str, end: str, months: str
) -> None:
    built = project(data, CHARTS_RST, conf='ldm_today = "1900-02-01"\n')
    assert_no_crash(built)
    assert built.warnings == []
    ics = (built.outdir / "milestones.ics").read_text()
    assert f"DTSTART;VALUE=DATE:{start}" in ics and f"DTEND;VALUE=DATE:{end}" in ics
    assert start[:4] in (built.outdir / "milestones.csv").read_text()
    assert built.soup().select("svg.ldm-burndown") and built.soup().select("pre.mermaid")
    latex = project(data, CHARTS_RST, builder="latex")
    assert_no_crash(latex, "projectnamenotset.tex")
    assert latex.warnings == []
    assert months in (latex.outdir / "projectnamenotset.tex").read_text()


# -- spreadsheet formulas ---------------------------------------------------------------

FORMULAS = yml(
    """
    milestones:
      - code: "@SUM(A1)"
        name: '=HYPERLINK("http://x","click")'
        due: 2021-01-01
        description: "+1"
        wbs: "-2"
        test_spec: "=1+1"
        jira: "\\tDM-1"
        predecessors: ["-B"]
      - {code: "-B", name: Plain, due: 2021-01-01}
    """
)


def test_csv_cells_cannot_be_formulas(project: BuildFn) -> None:
    """OWASP: a cell starting with = + - @ (or tab, CR) gets a leading quote in the
    CSV; the JSON keeps the value as written."""
    built = project(FORMULAS, "Plan\n====\n\n.. ldm-catalogue::\n")
    assert_no_crash(built)
    assert built.warnings == []
    text = (built.outdir / "milestones.csv").read_bytes().decode("utf-8")
    records = json.loads((built.outdir / "milestones.json").read_text())["milestones"]
    rows = {
        r["code"]: row
        for r, row in zip(records, csv.DictReader(io.StringIO(text, newline="")), strict=True)
    }
    first = rows["@SUM(A1)"]
    assert [first[k] for k in ("code", "name", "description", "wbs", "test_spec")] == [
        "'@SUM(A1)",
        '\'=HYPERLINK("http://x","click")',
        "'+1",
        "'-2",
        "'=1+1",
    ]
    assert first["jira"] == "DM-1"  # the loader strips surrounding white space
    assert first["predecessors"] == "'-B" and rows["-B"]["successors"] == "'@SUM(A1)"
    raw = next(r for r in records if r["code"] == "@SUM(A1)")
    assert (raw["code"], raw["name"], raw["description"], raw["wbs"], raw["jira"]) == (
        "@SUM(A1)",
        '=HYPERLINK("http://x","click")',
        "+1",
        "-2",
        "DM-1",
    )


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1", "'=1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("", ""),
        (None, ""),
        (3, "3"),
        (["=A", "B"], "'=A B"),
    ],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert exports._csv_cell(value) == cell
