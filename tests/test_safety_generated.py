"""Generated files and exports are safe whatever the data says (a sibling of the corpus).

The change report (reStructuredText, Markdown or terminal text) shows every piece of data
text as written and never as markup: no directive, role, link, target, substitution or
raw HTML can come from a milestone's code or name. ``milestones.csv`` cannot carry a
spreadsheet formula. No date in a data file can stop a build: dates outside what every
output can show are a located ``bad-date`` problem.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from docutils.core import publish_doctree
from docutils.utils import Reporter
from markdown_it import MarkdownIt

from sphinxext_ldm import exports
from sphinxext_ldm.changes import compare
from sphinxext_ldm.cli import main
from sphinxext_ldm.load import load_milestones_text
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.render.changes import render
from tests.test_corpus import BuildFn, assert_no_crash, lines, y, yml
from tests.test_corpus import project as project  # the fixture

# -- data text that looks like markup -------------------------------------------------------

#: Every construct of reStructuredText and Markdown we could think of, and characters
#: that could end or break a line, a list item or a table cell.
PAYLOADS = {
    "raw-directive": "x\n\n.. raw:: html\n\n   <script>alert(1)</script>\n\ny",
    "include": ".. include:: /etc/passwd",
    "link-javascript": "`x <javascript:alert(1)>`_",
    "anonymous-link": "`x <javascript:alert(2)>`__",
    "substitution": "|sub|",
    "footnote": "[#]_",
    "citation": "[CIT2020]_",
    "math-role": ":math:`x^2`",
    "raw-role": ":raw-html:`<b>x</b>`",
    "target": ".. _target: javascript:alert(1)",
    "inline-target": "_`inline`",
    "reference-word": "name_",
    "anonymous-word": "name__",
    "interpreted": "`interpreted`",
    "literal-end": "``a`` b ``",
    "comment": ".. a comment",
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "md-link": "[x](javascript:alert(1))",
    "md-image": "![i](x)",
    "md-autolink": "<javascript:alert(1)>",
    "md-reference-definition": "[x]: javascript:alert(1)",
    "entities": "&lt;b&gt; &amp; &#60;script&#62; &#x3C; &copy",
    "backticks": "a`b``c```d",
    "backtick-edges": "`x`",
    "literal-breakout": "x`` `click <javascript:alert(1)>`_ ``y",
    "code-span-breakout": "x`<img src=x onerror=alert(1)>`",
    "emphasis": "*em* and **strong**",
    "underscores": "__init__ _x_",
    "trailing-backslash": "ends with \\",
    "backslashes": "a\\*b\\\\c\\",
    "controls": "a\rb\nc\td\x00e\x1b[31mf\x07g\x7fh\x9bi",
    "crlf-blank-line": "one\r\n\r\ntwo",
    "unicode-line-breaks": "a\u2028b\u2029c\x85d\x0be\x0cf\x1cg",
    "literal-block": "ends with::",
    "bullet": "- item",
    "plus-bullet": "+ item",
    "star-bullet": "* item",
    "unicode-bullet": "\u2022 item",
    "enumerated": "1. item",
    "enumerated-paren": "(a) item",
    "enumerated-auto": "#. item",
    "roman": "ii. item",
    "heading": "# heading",
    "quote": "> quote",
    "line-block": "| line",
    "field": ":field: value",
    "option": "-a  option",
    "doctest": ">>> import os",
    "transition": "----",
    "table-border": "+---+---+",
    "html-comment": "<!-- x -->",
    "uri": "http://example.com/x",
    "email": "someone@example.com",
    "smart-quotes": '"quoted" -- it\'s ... --- ok',
    "strike": "~~strike~~",
    "pipes": "a | b || c",
    "escaped-pipes": "a\\|b`|`c\\\\|d",
    "braces": "{{x}} ${y} %s",
}

PLACEHOLDER = "XPLACEHOLDERX"
DAY = datetime.date(2021, 1, 1)
#: What a report says in place of each line break or tab: one space.
_BREAKS = "\t\n\v\f\r\x85\u2028\u2029"


def shown(text: str) -> str:
    """``text`` as a one-line report shows it: line breaks and tabs as one space, C0/C1
    controls as visible symbols (U+2400 pictures; U+FFFD for C1), nothing else changed."""
    text = re.sub(f"[ {_BREAKS}]*[{_BREAKS}][ {_BREAKS}]*", " ", text).strip()
    out = []
    for char in text:
        if ord(char) < 0x20:
            out.append(chr(0x2400 + ord(char)))
        elif char == "\x7f":
            out.append("\u2421")
        elif 0x80 <= ord(char) < 0xA0:
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def catalogs(text: str) -> tuple[Catalog, Catalog]:
    """Two catalogs whose changes put ``text`` in every place the report shows data:
    as the code and the name of an added, removed, completed and reopened milestone, in
    the moved table and in both columns of the renamed table."""
    later = datetime.date(2021, 3, 1)
    old = [
        Milestone(f"{text} R", text, DAY, level=3),
        Milestone(f"{text} M", text, DAY),
        Milestone(f"{text} N", "Old", DAY),
        Milestone(f"{text} W", text, DAY),
        Milestone(f"{text} C", text, DAY),
        Milestone(f"{text} O", text, DAY, completed=DAY),
    ]
    new = [
        Milestone(text, text, later, level=2),
        Milestone(f"{text} M", text, later),
        Milestone(f"{text} N", text, DAY),
        Milestone(f"{text} W", "New", DAY),
        Milestone(f"{text} C", text, DAY, completed=later),
        Milestone(f"{text} O", text, DAY),
    ]
    return Catalog.from_milestones(old), Catalog.from_milestones(new)


def report(text: str, fmt: str) -> str:
    return render(compare(*catalogs(text)), fmt, intro=f"From {text}")


def rst_tree(text: str) -> tuple[str, str]:
    """The doctree of a reStructuredText report (pformat) and docutils' warnings, with
    raw and file insertion enabled, as in any project that includes the report."""
    stream = io.StringIO()
    tree = publish_doctree(
        text,
        settings_overrides={
            "warning_stream": stream,
            "report_level": Reporter.INFO_LEVEL,
            "halt_level": Reporter.SEVERE_LEVEL + 1,
            "raw_enabled": True,
            "file_insertion_enabled": True,
        },
    )
    forbidden = {
        "raw",
        "reference",
        "target",
        "substitution_reference",
        "substitution_definition",
        "footnote_reference",
        "citation_reference",
        "system_message",
        "problematic",
        "comment",
        "math",
        "literal_block",
        "emphasis",
        "strong",
        "title_reference",
    }
    found = {node.tagname for node in tree.findall()}
    assert not found & forbidden, found & forbidden
    return tree.pformat(), stream.getvalue()


PLACEHOLDER_RST, _ = rst_tree(report(PLACEHOLDER, "rst"))


@pytest.mark.parametrize("text", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_rst_report_shows_data_as_written(text: str) -> None:
    """The report parses to the same tree as one with a plain word in each place, with
    the data's text there instead: no markup, no docutils warning, every character."""
    tree, warnings = rst_tree(report(text, "rst"))
    assert warnings == ""
    assert tree == PLACEHOLDER_RST.replace(PLACEHOLDER, shown(text))


MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def md_elements(text: str) -> list[tuple[str, dict[str, object], str]]:
    """Every element of the rendered Markdown: tag, attributes and text."""
    soup = BeautifulSoup(MD.render(text), "html.parser")
    return [(tag.name, dict(tag.attrs), tag.get_text()) for tag in soup.find_all(True)]


PLACEHOLDER_MD = md_elements(report(PLACEHOLDER, "md"))


@pytest.mark.parametrize("text", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_markdown_report_shows_data_as_written(text: str) -> None:
    """CommonMark (with tables, HTML allowed) renders the same elements as for a plain
    word, with the data's text in them: no link, image, raw HTML or emphasis from data."""
    found = md_elements(report(text, "md"))
    expected = [
        (tag, attrs, content.replace(PLACEHOLDER, shown(text)))
        for tag, attrs, content in PLACEHOLDER_MD
    ]
    assert found == expected
    assert {tag for tag, _, _ in found} <= {"p", "h3", "ul", "li", "code", "table"} | {
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }


def normalised(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


@pytest.mark.parametrize("text", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_text_report_has_no_control_characters(text: str) -> None:
    """The terminal report: one line per item as for a plain word, and no control
    character from the data (an escape sequence could rewrite the terminal)."""
    out = report(text, "text")
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]", out)
    placeholder = report(PLACEHOLDER, "text").replace(PLACEHOLDER, shown(text))
    assert normalised(out) == normalised(placeholder)


# -- the commands, end to end -----------------------------------------------------------


def data_file(path: Path, milestones: list[dict[str, object]]) -> Path:
    """A data file as YAML writes it: control characters as double-quoted escapes."""
    path.write_text(yaml.safe_dump({"milestones": milestones}, allow_unicode=True))
    return path


def payload_files(tmp_path: Path) -> tuple[Path, Path]:
    """Old and new data with every payload as code and name, in every report list."""
    old: list[dict[str, object]] = []
    new: list[dict[str, object]] = []
    for text in PAYLOADS.values():
        before, after = catalogs(text)
        for catalog, out in ((before, old), (after, new)):
            for m in catalog:
                record: dict[str, object] = {"code": m.code, "name": m.name, "due": m.due}
                if m.completed is not None:
                    record["completed"] = m.completed
                out.append(record)
    return data_file(tmp_path / "old.yaml", old), data_file(tmp_path / "new.yaml", new)


def loaded_text(text: str) -> str:
    """What the loader keeps of a value: surrounding white space is stripped."""
    return text.strip()


def test_rst_report_included_in_a_sphinx_page_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: BuildFn
) -> None:
    """``sphinxext-ldm changes --format rst`` included in a page: no script, no link, no
    raw HTML from data; every code and name reads as written (smart quotes too)."""
    old, new = payload_files(tmp_path)
    assert main(["changes", str(old), str(new), "--format", "rst"]) == 0
    text = capsys.readouterr().out
    built = project(
        new.read_text(),
        "Report\n======\n\n.. include:: changes.txt\n",
        docs={"changes.txt": text},
    )
    assert_no_crash(built)
    assert built.warnings == []
    soup = built.soup()
    body = soup.find("section", id="report")
    assert body is not None
    assert body.find_all(["script", "img", "iframe", "object", "embed", "style"]) == []
    links = [a for a in body.find_all("a") if "headerlink" not in a.get("class", [])]
    assert links == []
    for tag in soup.find_all(True):
        assert not [name for name in tag.attrs if name.lower().startswith("on")], tag
        for name in ("href", "src"):
            assert "javascript:" not in str(tag.get(name, "")).lower(), tag
    # Every script in the payloads calls alert; the theme's scripts do not.
    assert [s for s in soup.find_all("script") if "alert" in str(s)] == []
    shown_text = body.get_text()
    for value in PAYLOADS.values():
        assert shown(loaded_text(value)) in shown_text, value


def test_markdown_report_of_the_command_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = payload_files(tmp_path)
    assert main(["changes", str(old), str(new), "--format", "md"]) == 0
    soup = BeautifulSoup(MD.render(capsys.readouterr().out), "html.parser")
    tags = {tag.name for tag in soup.find_all(True)}
    assert tags <= {"p", "h3", "ul", "li", "code", "table", "thead", "tbody", "tr", "th", "td"}
    codes = {code.get_text() for code in soup.find_all("code")}
    for value in PAYLOADS.values():
        assert shown(loaded_text(value)) in codes, value


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
