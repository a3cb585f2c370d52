"""`sphinxext-ldm import`: the scheduling system's exports in, milestone YAML and a change
report out. The real February 2018 export and the original tool's overrides are in
tests/data/import (copies of ../shared/data)."""

from __future__ import annotations

import contextlib
import csv
import datetime
import importlib
import io
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from docutils.core import publish_doctree
from docutils.utils import Reporter

from sphinxext_ldm.changes import compare
from sphinxext_ldm.cli import main
from sphinxext_ldm.importers import exports
from sphinxext_ldm.importers.comments import read_comments
from sphinxext_ldm.importers.exports import parse_csv, parse_date
from sphinxext_ldm.importers.latex_text import latex_to_rst, latex_to_text
from sphinxext_ldm.importers.merge import LevelRules, merge
from sphinxext_ldm.importers.overrides import parse_overrides
from sphinxext_ldm.importers.sources import read_exports
from sphinxext_ldm.importers.spreadsheets import OLE2_MAGIC, ZIP_MAGIC
from sphinxext_ldm.importers.yaml_writer import file_order, write_milestones
from sphinxext_ldm.load import load_milestones, load_milestones_text
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.render.changes import render
from tests.conftest import REPO, BuildFn

DATA = Path(__file__).parent / "data" / "import"
EXPORT = DATA / "pmcs-201802-ME.csv"
OVERRIDES = DATA / "milestones-local.yaml"
D = datetime.date

HEADER = (
    "task_code,status_code,wbs_id,task_name,pred_list,succ_list,start_date,base_end_date,"
    "act_end_date,delete_record_flag\n"
)
LABELS = (
    "Activity ID,Activity Status,WBS Code,Activity Name,(*)Predecessors,(*)Successors,"
    "(*)Start,(*)BL Project Finish,Actual Finish,Delete This Row\n"
)


@dataclass
class Run:
    """One run of the command: exit status, what it printed, and the file it wrote."""

    status: int
    out: str
    err: str
    path: Path | None = None

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8") if self.path else self.out

    def catalog(self) -> Catalog:
        result = load_milestones_text(self.text, "imported.yaml")
        assert result.problems == []
        return result.catalog


def run(capsys: pytest.CaptureFixture[str], *args: str | Path, into: Path | None = None) -> Run:
    argv = ["import", *map(str, args)]
    if into is not None:
        argv += ["--into", str(into)]
    status = main(argv)
    captured = capsys.readouterr()
    return Run(status, captured.out, captured.err, into)


def export_csv(tmp_path: Path, *rows: str, name: str = "export.csv") -> Path:
    """A small export in the 2018 layout (header, label row, then ``rows``)."""
    path = tmp_path / name
    path.write_text(HEADER + LABELS + "".join(row + "\n" for row in rows))
    return path


# -- the real February 2018 export ----------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The real export with the real overrides, imported into a new file once."""
    into = tmp_path_factory.mktemp("real") / "milestones.yaml"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["import", str(EXPORT), "--local", str(OVERRIDES), "--into", str(into)])
    return Run(status, out.getvalue(), err.getvalue(), into)


def csv_rows() -> list[dict[str, str]]:
    """The export as the csv module reads it, for checks independent of the importer."""
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))[1:]  # the second row holds labels


def get(catalog: Catalog, code: str) -> Milestone:
    found = catalog.get(code)
    assert found is not None, code
    return found


def test_real_export_loads_with_every_row_and_no_problems(real: Run) -> None:
    assert real.status == 0, real.err
    assert real.out == ""
    result = load_milestones(real.path or "")
    assert result.problems == []
    codes = [row["task_code"] for row in csv_rows()]
    assert len(codes) == 402
    assert set(result.catalog.milestones) == set(codes)
    assert main(["check", str(real.path)]) == 0  # `check` accepts it like a hand-written file


def test_real_export_levels_completion_and_counts(real: Run) -> None:
    catalog = real.catalog()
    levels = Counter(m.level for m in catalog)
    assert levels == {2: 19, 3: 127, None: 256}
    assert all(m.level == 2 for m in catalog if m.code.startswith("LDM-503"))
    assert all(m.level == 3 for m in catalog if m.code.startswith("DM-"))
    # 170 rows have an actual finish; 5 more are completed start milestones (by status)
    assert sum(m.is_completed for m in catalog) == 175
    assert "Read 402 row(s)" in real.err
    assert "402 milestone(s) to" in real.err
    assert "19 at level 2, 127 at level 3, 256 of unknown level" in real.err
    assert "256 milestone(s) of unknown level" in real.err
    assert "577 predecessor link(s) name 469 activities outside the export" in real.err
    assert "36 link(s) are only in the predecessor's successor list" in real.err
    assert "40 cell(s) are cut at the export's length limit" in real.err
    assert "39 override(s) name no imported milestone" in real.err


def test_real_export_external_predecessors_are_reported_not_kept() -> None:
    export = read_exports([str(EXPORT)])
    report = merge(export).report
    assert report.external_links == 577
    assert len(report.external) == 469
    assert report.external["TSSPP-3"] == ["T&SC-1100-0900"]
    assert "IPAC 020" in report.external  # codes with spaces
    for row in export.rows:  # the cut-off pieces of codes are never kept as codes
        assert not {"DM-DR", "D", "DM"} & set(row.predecessors)


def test_real_export_dates_checked_by_hand(real: Run) -> None:
    catalog = real.catalog()
    # row 214: ,11/30/2017 5:00:00 PM,12/1/2017  (start, baseline finish, actual finish)
    hsc = get(catalog, "LDM-503-02")
    assert (hsc.due, hsc.baseline, hsc.completed) == (
        D(2017, 11, 30),
        D(2017, 11, 30),
        D(2017, 12, 1),
    )
    # row 277: DM-AP-1 finished on 11/1/2017, baseline 8/31/2017
    ap1 = get(catalog, "DM-AP-1")
    assert (ap1.due, ap1.baseline, ap1.completed) == (
        D(2017, 8, 31),
        D(2017, 8, 31),
        D(2017, 11, 1),
    )
    # row 4: a start milestone, 7/20/2020 8:00:00 AM with no finish
    start = get(catalog, "LSST-1510")
    assert (start.due, start.baseline, start.completed) == (D(2020, 7, 20), None, None)
    # row 189: a completed start milestone without an actual finish
    f17s = get(catalog, "F17S")
    assert (f17s.due, f17s.completed) == (D(2017, 6, 1), D(2017, 6, 1))
    # row 142: completed 3/23/2017 against a baseline of 4/24/2017
    vlan = get(catalog, "DMTC-8200-0480")
    assert (vlan.due, vlan.completed) == (D(2017, 4, 24), D(2017, 3, 23))
    assert vlan.name == "VLAN design finalized Miami-NCSA - Complete"  # no trailing \xa0
    assert vlan.wbs == "02C.08.03.02.04"  # without the month's project, LSST ME 18-02
    wfs = get(catalog, "T&SC-1100-0900")
    assert (wfs.due, wfs.predecessors) == (D(2018, 4, 2), ())


def test_real_overrides_win_and_are_converted(real: Run) -> None:
    catalog = real.catalog()
    hsc = get(catalog, "LDM-503-02")
    assert hsc.name == "HSC reprocessing"  # "Test report: " dropped as the original tool did
    assert hsc.test_spec == "LDM-534 v3.1 §3.1 (DRP-00)"  # from \S
    assert hsc.description and hsc.description.startswith("This test demonstrates")
    assert get(catalog, "LDM-503-05").test_spec == (
        "LDM-533 v2.0 §§ 4.7\N{EN DASH}4.9 (test cases LVV-T216, LVV-T217, LVV-T218)"
    )
    assert get(catalog, "LDM-503-16").name == "Ops rehearsal for data processing #3"
    assert get(catalog, "DM-AP-1").name == "Basic single frame measurement pipeline."  # not SFM1
    assert "lower, \N{NO-BREAK SPACE} 80%" in (get(catalog, "DM-NET-5").description or "")
    assert get(catalog, "LDM-503-04b").short_name == (
        "AuxTel DAQ Interface Verification and Spectrograph Ops Rehearsal"
    )
    assert get(catalog, "LDM-503-06").jira == "DM-17119"
    assert get(catalog, "CAMM6995").description is None  # '' in the overrides: absent
    assert sum(m.jira is not None for m in catalog) == 12
    assert sum(m.description is not None for m in catalog) == 126


def test_real_links_cut_by_the_export_are_recovered(real: Run) -> None:
    """LDM-503-09's predecessor list is cut at 100 characters ("..., DM-DR"); the links
    are found again in the successor lists of DM-DAX-8, DM-DRP-17, ..."""
    rehearsal = get(real.catalog(), "LDM-503-09")
    assert {"DM-DAX-8", "DM-DAX-9", "DM-DRP-17", "DM-NCSA-16", "LDM-503-07"} <= set(
        rehearsal.predecessors
    )
    assert "DM-DR" not in rehearsal.predecessors


def test_real_import_builds_without_warnings(
    real: Run, tmp_path: Path, build_project: BuildFn
) -> None:
    """Release sections and the catalogue of all 402 milestones, with -n: no warnings
    (external predecessors are the importer's report, not the build's)."""
    (tmp_path / "m.yaml").write_text(real.text, encoding="utf-8")
    (tmp_path / "conf.py").write_text(
        'extensions = ["sphinxext_ldm"]\nldm_milestones_path = "m.yaml"\nldm_today = "2018-03-01"\n'
    )
    (tmp_path / "index.rst").write_text(
        "Releases\n========\n\n.. ldm-milestones::\n   :levels: 2\n\n"
        "Catalogue\n=========\n\n.. ldm-catalogue::\n"
    )
    app = build_project(tmp_path, copy=False, confoverrides={"nitpicky": True})
    assert app.warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert html.count('class="ldm milestone"') == 402  # catalogue entries
    assert html.count('class="ldm-release"') == 19  # level-2 release sections
    assert "Ops rehearsal for commissioning #1: LDM-503-09" in html
    assert "T&amp;SC-1100-0900" in html


def test_output_is_deterministic_and_idempotent(
    real: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    again = run(capsys, EXPORT, "--local", OVERRIDES)
    body = real.text.split("milestones:", 1)[1]
    assert again.out.split("milestones:", 1)[1] == body
    # dates unquoted, predecessors in flow style, ordered by level then code
    assert "    due: 2017-11-30\n" in real.text
    assert "    predecessors: [DM-AP-1, DM-DAX-5, DM-DRP-1, DM-DRP-2" in real.text
    codes = re.findall(r"^  - code: (\S+)$", real.text, flags=re.M)
    assert codes[:3] == ["LDM-503-01", "LDM-503-02", "LDM-503-03"]
    assert codes.index("DM-AP-2") < codes.index("DM-AP-10")
    # importing the same export into its own output changes nothing
    copy = tmp_path / "m.yaml"
    copy.write_text(real.text, encoding="utf-8")
    update = run(capsys, EXPORT, "--local", OVERRIDES, into=copy)
    assert update.status == 0
    assert copy.read_text(encoding="utf-8") == real.text
    assert "Changes to" in update.err and ": no changes." in update.err


# -- quirks of the real exports, one at a time ----------------------------------------------


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    text = "\ufeff" + HEADER + LABELS + "A-1,Not Started,W,Name,,,,2/16/2021 8:00:00 AM,,\n"
    result = parse_csv(text, "e.csv")
    assert result.problems == []
    assert [row.code for row in result.rows] == ["A-1"]
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8"))
    assert [row.code for row in read_exports([str(path)]).rows] == ["A-1"]


def test_label_row_is_skipped_and_rows_are_numbered_as_in_the_file() -> None:
    result = parse_csv(HEADER + LABELS + "A-1,,,Name,,,,2/16/2021,,\n", "e.csv")
    assert [(row.code, row.line) for row in result.rows] == [("A-1", 3)]
    without = parse_csv(HEADER + "A-1,,,Name,,,,2/16/2021,,\n", "e.csv")
    assert [(row.code, row.line) for row in without.rows] == [("A-1", 2)]


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2/16/2021 8:00:00 AM", D(2021, 2, 16)),
        ("11/30/2017 5:00:00 PM", D(2017, 11, 30)),
        ("11/1/2017", D(2017, 11, 1)),
        ("12/31/2019 10:00:00 AM", D(2019, 12, 31)),
        ("2018-02-16", D(2018, 2, 16)),
        (datetime.datetime(2018, 2, 16, 17, 0), D(2018, 2, 16)),
        ("", None),
    ],
)
def test_us_dates_and_date_times(written: str | datetime.date, day: D | None) -> None:
    assert parse_date(written) == day


@pytest.mark.parametrize("written", ["16/2/2021", "2/30/2021", "Feb 16, 2021", "2021/02/16"])
def test_bad_dates_are_errors(written: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(written))):
        parse_date(written)


def test_list_cells_with_trailing_commas() -> None:
    result = parse_csv(
        HEADER + LABELS + 'A,,,First,,"B, C,",,1/1/2020,,\nB,,,Second,"A,",,,1/2/2020,,\n'
        "C,,,Third,A,,,1/3/2020,,\n"
    )
    assert result.rows[0].successors == ("B", "C")
    assert result.rows[1].predecessors == ("A",)
    catalog = load_milestones_text(write_milestones(merge(result).milestones)).catalog
    assert catalog.milestones["B"].predecessors == ("A",)
    assert catalog.milestones["C"].predecessors == ("A",)


def test_ampersand_in_codes_survives_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export_csv(
        tmp_path,
        "T&SC-1100-0900,,,WFS Software Complete,,,,4/2/2018 8:00:00 AM,,",
        "T&SC-1150-0600,,,Next,T&SC-1100-0900,,,5/2/2018,,",
    )
    result = run(capsys, path)
    assert "code: T&SC-1100-0900" in result.out
    catalog = result.catalog()
    assert catalog.milestones["T&SC-1150-0600"].predecessors == ("T&SC-1100-0900",)


def test_empty_cells_mean_absent_fields() -> None:
    result = parse_csv(HEADER + LABELS + "A-1,,,Name,,,,2/16/2021,,\n")
    row = result.rows[0]
    assert (row.completed, row.wbs, row.predecessors, row.successors, row.level) == (
        None,
        None,
        (),
        (),
        None,
    )
    text = write_milestones(merge(result, rules=LevelRules(())).milestones)
    assert text.endswith(
        "  - code: A-1\n    name: Name\n    due: 2021-02-16\n    baseline: 2021-02-16\n"
    )


def test_quoted_commas_and_line_breaks_in_cells() -> None:
    result = parse_csv(
        HEADER + LABELS + 'A-1,,,"Provide database for metadata, provenance",,,,1/1/2020,,\n'
        'A-2,,,"Two\nlines",,,,1/1/2020,,\nA-3,,,Third,,,,1/1/2020,,\n'
    )
    assert [row.name for row in result.rows] == [
        "Provide database for metadata, provenance",
        "Two\nlines",
        "Third",
    ]
    assert [row.line for row in result.rows] == [3, 5, 6]  # the line a record ends on


def test_start_milestones_are_due_at_their_start() -> None:
    result = parse_csv(HEADER + LABELS + "S,Not Started,,Start of X,,,7/20/2020 8:00:00 AM,,,\n")
    row = result.rows[0]
    assert (row.due, row.baseline, row.completed) == (D(2020, 7, 20), None, None)
    done = parse_csv(HEADER + LABELS + "S,Completed,,Start of X,,,6/1/2017,,,\n").rows[0]
    assert (done.due, done.completed, done.completed_by_status) == (
        D(2017, 6, 1),
        D(2017, 6, 1),
        True,
    )


def test_cut_list_cells_drop_their_last_piece_and_recover_links() -> None:
    preds = ", ".join(f"X-{i:04d}" for i in range(12)) + ", B-12"
    assert len(preds) == exports.LIST_CELL_LIMIT  # as long as the export writes them
    result = parse_csv(
        HEADER + LABELS + f'A,,,First,"{preds}",,,1/1/2020,,\nB-12,,,Second,,A,,1/1/2019,,\n'
    )
    # "B-12" might be the start of a longer code ("B-123"): it is not taken from this cell
    assert result.rows[0].predecessors[-1] == "X-0011"
    assert result.rows[0].cut == ("pred_list",)
    merged = merge(result)
    assert merged.report.recovered == [("B-12", "A")]  # B-12 names A as its successor
    by_code = {m.code: m for m in merged.milestones}
    assert by_code["A"].predecessors == ("B-12",)


# -- the other layout, xlsx, and level sources --------------------------------------------


def test_end_date_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "forecast.csv"
    path.write_text(
        "task_code,task_name,status_code,start_date,end_date,act_end_date,pred_list,level\n"
        "LDM-503-20,Release,Not Started,,3/15/2024 5:00:00 PM,,DM-X-1,2\n"
        "DM-X-1,Feature,Completed,,1/10/2024,1/12/2024,,3\n"
        "S-1,Start,Not Started,2/1/2024 8:00:00 AM,,,,\n"
    )
    result = run(capsys, path)
    assert result.status == 0, result.err
    catalog = result.catalog()
    release = catalog.milestones["LDM-503-20"]
    assert (release.due, release.baseline, release.level) == (D(2024, 3, 15), None, 2)
    assert release.predecessors == ("DM-X-1",)
    feature = catalog.milestones["DM-X-1"]
    assert (feature.due, feature.completed, feature.level) == (D(2024, 1, 10), D(2024, 1, 12), 3)
    assert catalog.milestones["S-1"].due == D(2024, 2, 1)
    assert "Levels: 2 from export." in result.err
    assert "1 milestone(s) of unknown level" in result.err


def test_both_finish_columns_forecast_is_due_baseline_is_baseline() -> None:
    result = parse_csv(
        "task_code,task_name,start_date,base_end_date,end_date,user_field_859\n"
        "A,Name,,1/31/2019,6/30/2019,2.0\n"
    )
    row = result.rows[0]
    assert (row.due, row.baseline, row.level) == (D(2019, 6, 30), D(2019, 1, 31), 2)


def test_level_rules_and_precedence(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = export_csv(
        tmp_path,
        "LDM-503-1,,,A,,,,1/1/2020,,",
        "DM-NET-1,,,B,,,,1/1/2020,,",
        "DM-AP-1,,,C,,,,1/1/2020,,",
        "DLP-1,,,D,,,,1/1/2020,,",
        "Q-1,,,E,,,,1/1/2020,,",
    )
    local = tmp_path / "local.yaml"
    local.write_text("Q-1:\n  level: 4\nDM-AP-1:\n  level: 1\n")
    result = run(
        capsys, path, "--local", local, "--level-rule", "DM-NET=4", "--level-rule", "DLP-=3"
    )
    levels = {m.code: m.level for m in result.catalog()}
    assert levels == {"LDM-503-1": 2, "DM-NET-1": 4, "DM-AP-1": 1, "DLP-1": 3, "Q-1": 4}
    with pytest.raises(SystemExit) as exit_info:
        main(["import", str(path), "--level-rule", "DM-=9"])
    assert exit_info.value.code == 2
    assert "level must be 1 to 4" in capsys.readouterr().err


def test_xlsx_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip(
        "openpyxl", reason="openpyxl is not installed: pip install 'sphinxext-ldm[xlsx]'"
    )
    workbook = openpyxl.Workbook()
    task = workbook.active
    task.title = "TASK"
    task.append(["task_code", "task_name", "status_code", "start_date", "end_date",
                 "act_end_date", "user_field_859", "wbs_id"])  # fmt: skip
    task.append(["Activity ID", "Activity Name", "Status", "Start", "Finish", "Actual", "L", "W"])
    task.append(["LDM-503-1", "Release", "Not Started", None,
                 datetime.datetime(2024, 3, 15, 17), None, 2, "LSST ME 1"])  # fmt: skip
    task.append(["DM-X-1", "Feature", "Completed", None, "1/10/2024 5:00:00 PM",
                 datetime.datetime(2024, 1, 12), 3.0, None])  # fmt: skip
    links = workbook.create_sheet("TASKPRED")
    links.append(["task_id", "pred_task_id"])
    links.append(["Successor", "Predecessor"])
    links.append(["LDM-503-1", "DM-X-1"])
    links.append(["LDM-503-1", "OUTSIDE-1"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    result = run(capsys, path)
    assert result.status == 0, result.err
    catalog = result.catalog()
    release = catalog.milestones["LDM-503-1"]
    assert (release.due, release.level, release.wbs) == (D(2024, 3, 15), 2, "LSST ME 1")
    assert release.predecessors == ("DM-X-1",)
    feature = catalog.milestones["DM-X-1"]
    assert (feature.due, feature.completed, feature.level) == (D(2024, 1, 10), D(2024, 1, 12), 3)
    assert "1 predecessor link(s) name 1 activities outside the export" in result.err


@pytest.mark.parametrize(
    ("name", "module", "head"),
    [("export.xlsx", "openpyxl", ZIP_MAGIC), ("export.xls", "xlrd", OLE2_MAGIC)],
)
def test_workbook_without_its_reader_says_how_to_get_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    module: str,
    head: bytes,
) -> None:
    real_import = importlib.import_module

    def without_reader(wanted: str, package: str | None = None) -> object:
        if wanted == module:
            raise ImportError(f"No module named {module!r}")
        return real_import(wanted, package)

    monkeypatch.setattr(importlib, "import_module", without_reader)
    into = tmp_path / "m.yaml"
    export = tmp_path / name
    export.write_bytes(head + b"\0" * 100)
    result = run(capsys, export, into=into)
    assert result.status == 1
    extra = "xlsx" if module == "openpyxl" else "xls"
    assert f"needs {module}, which is not installed: pip install 'sphinxext-ldm[{extra}]'" in (
        result.err
    )
    assert "Nothing was written" in result.err
    assert not into.exists()


# -- overrides: LaTeX to reStructuredText ---------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "rst", "text"),
    [
        (r"LDM-534 v3.1 \S3.1", "LDM-534 v3.1 §3.1", "LDM-534 v3.1 §3.1"),
        (r"\S\S 4.7--4.9", "§§ 4.7\N{EN DASH}4.9", "§§ 4.7\N{EN DASH}4.9"),
        (r"a \textit{new} idea", "a *new* idea", "a new idea"),
        (r"a \textbf{bold} move", "a **bold** move", "a bold move"),
        (r"\emph{x}-ray", "*x*-ray", "x-ray"),
        (r"in\textit{side}out", r"in\ *side*\ out", "insideout"),
        (r"a \textit{ spaced } b", "a  *spaced*  b", "a  spaced  b"),
        (r"\texttt{code} and \url{http://x}", "code and http://x", "code and http://x"),
        (r"lower,~80\%", "lower,\N{NO-BREAK SPACE}80%", "lower,\N{NO-BREAK SPACE}80%"),
        ("Fast---really", "Fast—really", "Fast—really"),
        (
            "a *star* and _specific_ |x|",
            r"a \*star\* and _specific\_ \|x\|",
            "a *star* and _specific_ |x|",
        ),
    ],
)
def test_latex_to_rst_and_text(latex: str, rst: str, text: str) -> None:
    assert latex_to_rst(latex) == rst
    assert latex_to_text(latex) == text


def test_converted_descriptions_parse_cleanly_as_rst() -> None:
    source = latex_to_rst(
        r"See \textit{LDM-151} \S3.1, with\textbf{bold}text; a*b, file_ and `tick`."
    )
    stream = io.StringIO()
    tree = publish_doctree(
        source, settings_overrides={"warning_stream": stream, "report_level": Reporter.INFO_LEVEL}
    )
    assert stream.getvalue() == ""
    assert tree.astext() == "See LDM-151 §3.1, withboldtext; a*b, file_ and `tick`."
    assert [node.tagname for node in tree.findall() if node.tagname in ("emphasis", "strong")] == [
        "emphasis",
        "strong",
    ]


def test_overrides_empty_values_are_absent_and_other_keys_counted() -> None:
    overrides, problems = parse_overrides(
        "A:\n  description: ''\n  test_spec: ''\n  jira:\n  comment: hi\n  aka: [X]\n"
        "B:\n  level: 9\n  short_name: Short \\textit{name}\n",
        "local.yaml",
    )
    assert overrides is not None
    a, b = overrides.by_code["A"], overrides.by_code["B"]
    assert a.description is None and a.jira is None
    assert b.short_name == "Short name"
    assert overrides.not_imported == {"comment": 1, "aka": 1}
    assert [(p.subtype, p.line) for p in problems] == [("bad-value", 8)]


def test_unreadable_overrides_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = tmp_path / "local.yaml"
    local.write_text("- a list\n- not a mapping\n")
    result = run(capsys, EXPORT, "--local", local)
    assert result.status == 1
    assert f"{local}:1: schema: the overrides file must be a mapping" in result.err
    assert result.out == ""


# -- updating an existing data file ---------------------------------------------------------

EXISTING = """\
# Our milestones: hand-kept fields, imported dates.
# Second header line.
milestones:

  # Keep this comment above A.
  - code: A
    name: Old name
    level: 2
    due: 2020-01-01  # forecast as of January
    predecessors: [B]
    short_name: Short A
    # why the description says so
    description: Hand-written *description*.
    test_spec: LDM-1 §1
    jira: DM-1

  - code: B
    name: B
    level: 3
    due: 2019-06-01
    description: Kept.

  - code: GONE
    name: Removed upstream
    level: 3
    due: 2019-01-01
# trailing comment
"""


def test_update_keeps_hand_fields_and_comments_and_replaces_export_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    path = export_csv(
        tmp_path,
        "A,Not Started,W 1,New name,B,,,3/1/2020 5:00:00 PM,,",
        "B,Completed,W 2,B,,A,,5/1/2019,5/20/2019,",
        "NEW,Not Started,,Added,A,,,1/1/2021,,",
    )
    changes = tmp_path / "changes.md"
    result = run(capsys, path, "--changes", changes, into=into)
    assert result.status == 0, result.err
    text = into.read_text()
    assert text.startswith("# Our milestones: hand-kept fields, imported dates.\n# Second header")
    assert "  # Keep this comment above A.\n  - code: A\n" in text
    assert "    due: 2020-03-01  # forecast as of January\n" in text
    assert (
        "    # why the description says so\n    description: Hand-written *description*.\n" in text
    )
    assert text.endswith("  # trailing comment\n")
    catalog = result.catalog()
    a = catalog.milestones["A"]
    assert (a.name, a.due, a.baseline, a.wbs, a.level) == (
        "New name",
        D(2020, 3, 1),
        D(2020, 3, 1),
        "W 1",
        2,
    )
    assert (a.short_name, a.description, a.test_spec, a.jira) == (
        "Short A",
        "Hand-written *description*.",
        "LDM-1 §1",
        "DM-1",
    )
    assert catalog.milestones["B"].completed == D(2019, 5, 20)
    assert catalog.milestones["B"].description == "Kept."
    assert catalog.milestones["NEW"].level is None
    assert "GONE" not in catalog
    assert "Changes to" in result.err
    assert "Removed (1):\n\n  GONE Removed upstream (level 3, was due 2019-01-01)" in result.err
    assert "Added (1):\n\n  NEW Added (due 2021-01-01)" in result.err
    report = changes.read_text()
    assert "### Removed (1)" in report and "### Renamed (1)" in report
    assert "| `A` | 2020-01-01 | 2020-03-01 | +60 | New name |" in report


def test_update_without_level_column_keeps_the_files_levels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "m.yaml"
    into.write_text("milestones:\n  - {code: DLP-1, name: X, level: 4, due: 2020-01-01}\n")
    path = export_csv(tmp_path, "DLP-1,,,X,,,,1/1/2020,,")
    result = run(capsys, path, into=into)
    assert result.catalog().milestones["DLP-1"].level == 4
    assert "Levels: 1 from data file." in result.err


def test_update_refuses_a_file_with_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "m.yaml"
    broken = "milestones:\n  - {code: A, name: X, due: 2020-02-30}\n"
    into.write_text(broken)
    result = run(capsys, export_csv(tmp_path, "A,,,X,,,,1/1/2020,,"), into=into)
    assert result.status == 1
    assert f"{into}:2: bad-date:" in result.err
    assert "Nothing was written" in result.err
    assert into.read_text() == broken


def test_comments_are_found_by_line() -> None:
    comments = read_comments(EXISTING)
    assert comments.header == [
        "# Our milestones: hand-kept fields, imported dates.",
        "# Second header line.",
    ]
    assert comments.before == {"A": ["# Keep this comment above A."], "B": [], "GONE": []}
    assert comments.fields == {("A", "description"): ["# why the description says so"]}
    assert comments.inline == {("A", "due"): "# forecast as of January"}
    assert comments.trailing == ["# trailing comment"]


def test_writer_round_trips_the_repository_data() -> None:
    """data/milestones.yaml, rewritten, loads to the same milestones and keeps its header."""
    path = REPO / "data" / "milestones.yaml"
    original = load_milestones(path).catalog
    text = write_milestones(original, read_comments(path.read_text(encoding="utf-8")))
    assert text.startswith("# LDM-564 milestones.")
    again = load_milestones_text(text)
    assert again.problems == []
    assert list(again.catalog) == sorted(original, key=file_order)
    assert all(again.catalog.get(m.code) == m for m in original)


# -- the change report ----------------------------------------------------------------------


def catalog_of(*milestones: Milestone) -> Catalog:
    return Catalog.from_milestones(list(milestones))


OLD = catalog_of(
    Milestone("DM-1", "Kept", D(2020, 1, 1), level=3),
    Milestone("DM-2", "Slips", D(2020, 1, 1), level=3),
    Milestone("DM-10", "Earlier", D(2020, 3, 1), level=3),
    Milestone("DM-3", "Done now", D(2020, 1, 1), level=3),
    Milestone("DM-4", "Old name", D(2020, 1, 1), level=3),
    Milestone("DM-5", "Gone", D(2020, 1, 1), level=3),
    Milestone("DM-6", "Reopened", D(2020, 1, 1), level=3, completed=D(2020, 1, 2)),
)
NEW = catalog_of(
    Milestone("DM-1", "Kept", D(2020, 1, 1), level=3),
    Milestone("DM-2", "Slips", D(2020, 1, 31), level=3),
    Milestone("DM-10", "Earlier", D(2020, 2, 23), level=3),
    Milestone("DM-3", "Done now", D(2020, 1, 1), level=3, completed=D(2020, 1, 5)),
    Milestone("DM-4", "New *name*", D(2020, 1, 1), level=3),
    Milestone("DM-6", "Reopened", D(2020, 1, 1), level=3),
    Milestone("LDM-503-1", "Added", D(2021, 1, 1), level=2),
)


def test_change_report_is_a_function_of_two_catalogs() -> None:
    changes = compare(OLD, NEW)
    assert [m.code for m in changes.added] == ["LDM-503-1"]
    assert [m.code for m in changes.removed] == ["DM-5"]
    assert [m.code for m in changes.completed] == ["DM-3"]
    assert [m.code for m in changes.reopened] == ["DM-6"]
    assert [(m.code, m.days) for m in changes.moved] == [("DM-2", 30), ("DM-10", -7)]
    assert [(r.code, r.old, r.new) for r in changes.renamed] == [("DM-4", "Old name", "New *name*")]
    assert changes.counts() == (
        "1 added, 1 removed, 1 newly completed, 1 no longer completed, "
        "2 due date(s) moved, 1 renamed"
    )
    assert not compare(NEW, NEW)
    assert render(compare(NEW, NEW), "text") == "No changes.\n"


def test_change_report_as_rst_parses_and_reads() -> None:
    text = render(compare(OLD, NEW), "rst", "Import of e.csv into m.yaml")
    assert text.startswith("Import of e\\.csv into m\\.yaml: 1 added, 1 removed,")
    assert ".. rubric:: Added (1)\n\n- ``LDM-503-1`` Added (level 2, due 2021-01-01)" in text
    assert "- ``DM-3`` Done now: completed 2020-01-05 (due 2020-01-01)" in text
    assert (
        "   * - ``DM-10``\n     - 2020-03-01\n     - 2020-02-23\n     - -7\n     - Earlier" in text
    )
    assert "     - New \\*name\\*" in text
    stream = io.StringIO()
    tree = publish_doctree(
        text, settings_overrides={"warning_stream": stream, "report_level": Reporter.INFO_LEVEL}
    )
    assert stream.getvalue() == ""
    assert "New *name*" in tree.astext()
    assert len([n for n in tree.findall() if n.tagname == "table"]) == 2


def test_change_report_as_markdown() -> None:
    text = render(compare(OLD, NEW), "md", "Import of e.csv into m.yaml")
    assert "### Added (1)\n\n- `LDM-503-1` Added (level 2, due 2021-01-01)" in text
    assert "### Removed (1)\n\n- `DM-5` Gone (level 3, was due 2020-01-01)" in text
    assert "### Newly completed (1)" in text
    assert (
        "| Code | Was due | Now due | Slip (days) | Name |\n| --- | --- | --- | --- | --- |" in text
    )
    assert "| `DM-2` | 2020-01-01 | 2020-01-31 | +30 | Slips |" in text
    assert "| `DM-4` | Old name | New \\*name\\* |" in text


def test_changes_file_must_be_rst_or_md(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", str(EXPORT), "--changes", str(tmp_path / "c.txt")])
    assert exit_info.value.code == 2
    assert "written as .rst or .md" in capsys.readouterr().err


# -- rows that cannot be read -------------------------------------------------------------


def test_bad_rows_are_located_and_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export_csv(
        tmp_path,
        "GOOD-1,,,Good,,,,1/1/2020,,",
        "BAD-1,,,Bad finish,,,,13/45/2020,,",
        ",,,No code,,,,1/1/2020,,",
        "BAD-2,,,,,,,1/1/2020,,",
        "BAD-3,Completed,,Bad actual,,,,1/1/2020,2/30/2020,",
        "BAD-4,,,No date at all,,,,,,",
        "GOOD-2,,,Also good,BAD-1,,,1/1/2020,,",
    )
    into = tmp_path / "m.yaml"
    result = run(capsys, path, into=into)
    assert result.status == 1
    lines = result.err.splitlines()
    assert (
        f"{path}:4: bad-date: base_end_date: BAD-1: '13/45/2020' is not a real date "
        "(month must be in 1..12); the row is left out"
    ) in lines
    assert (
        f"{path}:5: missing-field: task_code: the row has no activity code; it is left out" in lines
    )
    assert f"{path}:6: missing-field: task_name: BAD-2 has no name; the row is left out" in lines
    assert any(
        line.startswith(f"{path}:7: bad-date: act_end_date: BAD-3: '2/30/2020' is not a real date")
        for line in lines
    )
    assert (
        f"{path}:8: missing-field: base_end_date: BAD-4 has no base_end_date and no start_date; "
        "the row is left out"
    ) in lines
    assert "5 problem(s); the readable rows were imported." in lines
    catalog = result.catalog()
    assert sorted(catalog.milestones) == ["BAD-3", "GOOD-1", "GOOD-2"]
    assert catalog.milestones["BAD-3"].completed is None  # the bad value is ignored
    assert "Predecessor links to rows that were left out" in result.err


def test_unreadable_rows_keep_their_milestone_in_an_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "m.yaml"
    into.write_text(
        "milestones:\n  - {code: A, name: X, due: 2020-01-01, description: Mine.}\n"
        "  - {code: B, name: Y, due: 2020-01-01, predecessors: [A]}\n"
    )
    path = export_csv(tmp_path, "A,,,X,,,,bad date,,", "B,,,Y,A,,,1/1/2020,,")
    result = run(capsys, path, into=into)
    assert result.status == 1
    catalog = result.catalog()
    assert catalog.milestones["A"].description == "Mine."
    assert catalog.milestones["B"].predecessors == ("A",)
    assert "Kept unchanged, because their rows could not be read:\n  A" in result.err


def test_missing_export_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    into = tmp_path / "m.yaml"
    into.write_text(EXISTING)
    result = run(capsys, tmp_path / "no-such.csv", into=into)
    assert result.status == 1
    assert "file: export not found" in result.err
    assert into.read_text() == EXISTING


def test_not_an_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Term,Description\nDM,Data Management\n")
    result = run(capsys, path)
    assert result.status == 1
    assert f"{path}:1: schema: not a scheduling-system export: no column task_code" in result.err


def test_duplicate_codes_across_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = export_csv(tmp_path, "A,,,X,,,,1/1/2020,,", name="one.csv")
    second = export_csv(tmp_path, "A,,,Y,,,,1/1/2021,,", "B,,,Z,,,,1/1/2021,,", name="two.csv")
    result = run(capsys, first, second)
    assert result.status == 1
    assert f"{second}:3: duplicate-code: task_code: A is also on row 3 of {first}" in result.err
    assert result.catalog().milestones["A"].name == "X"


# -- the command line -----------------------------------------------------------------------


def test_python_dash_m_import_writes_yaml_to_stdout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinxext_ldm", "import", str(EXPORT), "--local", str(OVERRIDES)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Milestones imported by `sphinxext-ldm import` from:\n")
    assert len(load_milestones_text(result.stdout).catalog) == 402
    assert "402 milestone(s) to standard output" in result.stderr
