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

import pytest

from sphinxext_ldm import exports
from tests.test_corpus import BuildFn, assert_no_crash, yml
from tests.test_corpus import project as project  # the fixture

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
