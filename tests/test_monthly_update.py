"""The real monthly update, end to end, with Rubin's own files (tests/data/import, copies
of ../shared/data): the April 2019 ``.xls`` export with its ``TASKPRED`` links, the JSON
overrides of 2018 and 2019, baseline exports, a directory of monthly exports, and
section 3 of the 2018 edition as the original tool generated it."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinxext_ldm.cli import main
from sphinxext_ldm.importers.overrides import parse_overrides
from sphinxext_ldm.load import load_milestones
from tests.conftest import BuildFn, write_project
from tests.test_import import DATA, EXPORT, Run, get, run

xlrd = pytest.importorskip("xlrd", reason="xlrd is not installed: pip install 'sphinxext-ldm[xls]'")

XLS = DATA / "pmcs-201904-ME.xls"
LOCAL_2019 = DATA / "local-2019-05.json"
LOCAL_2018 = DATA / "local-2018-03.json"
FEATURELIST_2018 = DATA / "orig-201802-featurelist.tex"
D = datetime.date
#: The 2018 edition's options: every LDM-503 code a section, whatever its level, its DM-
#: predecessors its features, both dated (and ordered) by the baseline.
EDITION_2018 = (
    ".. ldm-milestones::\n   :prefixes: LDM-503\n   :feature-prefixes: DM-\n   :dates: baseline\n"
)


def task_sheet() -> list[list[str]]:
    """The April 2019 export's TASK sheet as xlrd reads it, independently of the importer."""
    sheet = xlrd.open_workbook(str(XLS)).sheet_by_name("TASK")
    return [[str(v) for v in sheet.row_values(r)] for r in range(sheet.nrows)]


@pytest.fixture(scope="module")
def april_2019(tmp_path_factory: pytest.TempPathFactory) -> Run:
    into = tmp_path_factory.mktemp("xls") / "milestones.yaml"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["import", str(XLS), "--local", str(LOCAL_2019), "--into", str(into)])
    return Run(status, out.getvalue(), err.getvalue(), into)


# -- the April 2019 .xls export ---------------------------------------------------------------


def test_xls_export_imports_every_task_with_its_taskpred_links(april_2019: Run) -> None:
    assert april_2019.status == 0, april_2019.err
    assert main(["check", str(april_2019.path)]) == 0
    catalog = april_2019.catalog()
    rows = task_sheet()
    codes = [row[0] for row in rows[2:]]  # below the header and the label row
    assert len(codes) == 386
    assert set(catalog.milestones) == set(codes)
    assert Counter(m.level for m in catalog) == {2: 28, 3: 119, None: 239}
    assert sum(m.is_completed for m in catalog) == Counter(row[1] for row in rows[2:])["Completed"]
    # Links: every TASKPRED row whose two ends are both tasks of the export, once.
    sheet = xlrd.open_workbook(str(XLS)).sheet_by_name("TASKPRED")
    header = sheet.row_values(0)
    preds = sheet.col_values(header.index("pred_task_id"))[2:]
    succs = sheet.col_values(header.index("task_id"))[2:]
    assert len(preds) == 14039
    known = set(codes)
    expected = {(p, s) for p, s in zip(preds, succs, strict=True) if p in known and s in known}
    got = {(p, m.code) for m in catalog for p in m.predecessors}
    assert got == expected
    assert len(got) == 362
    assert "Read 386 row(s) from" in april_2019.err


def test_xls_export_dates_names_and_wbs_checked_by_hand(april_2019: Run) -> None:
    catalog = april_2019.catalog()
    # row 204: completed 5/30/2018 against a baseline of 11/30/2017 5:00:00 PM
    wise = get(catalog, "LDM-503-01")
    assert (wise.due, wise.baseline, wise.completed) == (D(2018, 5, 30), D(2017, 11, 30),
                                                          D(2018, 5, 30))  # fmt: skip
    assert wise.name == "Science Platform with WISE data in PDAC"  # "Test report: " dropped
    assert wise.wbs == "02C.00"  # "LSST ME 19-04.02C.00" without the month's project
    # row 3: forecast 10/1/2021, baseline 7/16/2021, not started
    first_light = get(catalog, "LSST-1520")
    assert (first_light.due, first_light.baseline, first_light.completed) == (
        D(2021, 10, 1),
        D(2021, 7, 16),
        None,
    )
    # row 4: a start milestone, due at its start
    assert get(catalog, "LSST-1510").due == D(2021, 2, 2)
    # the overrides' names win, and their LaTeX becomes text
    assert get(catalog, "LDM-503-10a").name == "LSP with Auth and TAP"
    assert get(catalog, "LDM-503-02").test_spec == "LDM-534 v3.1 §3.1 (DRP-00)"
    assert "'jira_testplan' on 22" in april_2019.err
    assert "'aka' on 52" in april_2019.err


def test_xls_export_builds_with_w(april_2019: Run, tmp_path: Path, build_project: BuildFn) -> None:
    src = write_project(
        tmp_path / "src",
        "Releases\n========\n\n" + EDITION_2018 + "\nCatalogue\n=========\n\n.. ldm-catalogue::\n",
        april_2019.text,
        'ldm_today = "2019-05-01"\n',
    )
    app = build_project(src, copy=False, confoverrides={"nitpicky": True})
    assert app.warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert html.count('class="ldm-release"') == 28
    assert html.count('class="ldm milestone"') == 386


def test_task_sheet_saved_alone_as_csv_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a spreadsheet's "Save as CSV" keeps of the workbook: no links at all."""
    path = tmp_path / "201904-ME.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(task_sheet())
    into = tmp_path / "m.yaml"
    refused = run(capsys, path, into=into)
    assert refused.status == 1
    assert f"{path}:1: missing-links: the export has no links" in refused.err
    assert "Nothing was written" in refused.err
    assert not into.exists()
    # --no-links says "I know": the rows are imported, without links
    accepted = run(capsys, path, "--no-links", into=into)
    assert accepted.status == 0, accepted.err
    catalog = accepted.catalog()
    assert len(catalog) == 386
    assert not any(m.predecessors for m in catalog)
    assert f"Read 386 row(s) from {path}, without links." in accepted.err


def test_no_links_update_keeps_the_files_links(
    april_2019: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "task.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(task_sheet())
    into = tmp_path / "m.yaml"
    into.write_text(april_2019.text, encoding="utf-8")
    update = run(capsys, path, "--no-links", "--local", LOCAL_2019, into=into)
    assert update.status == 0, update.err
    assert into.read_text(encoding="utf-8") == april_2019.text


# -- a directory of monthly exports ----------------------------------------------------------


def test_a_directory_gives_its_newest_month_end_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pmcs = tmp_path / "pmcs"
    pmcs.mkdir()
    shutil.copy(EXPORT, pmcs / "201802-ME.csv")
    shutil.copy(XLS, pmcs / "201904-ME.xls")
    bl = baseline_csv(pmcs / "201905-BL.csv")  # a baseline is never "the newest export"
    assert bl.exists()
    (pmcs / "notes.txt").write_text("not an export")
    newest = run(capsys, pmcs)
    assert newest.status == 0, newest.err
    assert "Took 201904-ME.xls, the newest of 2 month-end export(s)" in newest.err
    assert len(newest.catalog()) == 386
    picked = run(capsys, pmcs, "--export", "201802")
    assert picked.status == 0, picked.err
    assert "Took 201802-ME.csv from" in picked.err
    assert len(picked.catalog()) == 402
    missing = run(capsys, pmcs, "--export", "202001")
    assert missing.status == 1
    assert "--export 202001: no such export" in missing.err
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run(capsys, empty)
    assert nothing.status == 1
    assert "no monthly export in" in nothing.err


# -- baseline exports -----------------------------------------------------------------------

BL_COLUMNS = [
    "task_code", "status_code", "wbs_id", "task_name", "pred_list", "succ_list",
    "start_date", "end_date", "delete_record_flag",
]  # fmt: skip


def baseline_csv(path: Path, shift: dict[str, int] | None = None) -> Path:
    """A baseline-project export made from the February 2018 export as the scheduling
    system writes one (shared/data/README.md): its baseline finish as ``end_date``, every
    row "Not Started", no actual finish; ``shift`` moves some baselines by days."""
    shift = shift or {}
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(BL_COLUMNS)
        writer.writerow(["Activity ID", "Activity Status", "WBS Code", "Activity Name",
                         "(*)Predecessors", "(*)Successors", "(*)Start", "(*)Finish",
                         "Delete This Row"])  # fmt: skip
        for row in rows[1:]:
            finish = row["base_end_date"]
            if row["task_code"] in shift and finish:
                day = datetime.datetime.strptime(finish.split()[0], "%m/%d/%Y").date()
                day += datetime.timedelta(days=shift[row["task_code"]])
                finish = f"{day.month}/{day.day}/{day.year} 5:00:00 PM"
            writer.writerow([row["task_code"], "Not Started", row["wbs_id"].replace("ME", "BL"),
                             row["task_name"], row["pred_list"], row["succ_list"],
                             row["start_date"], finish, ""])  # fmt: skip
    return path


def test_baseline_export_into_an_update_fills_baselines_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    first = run(capsys, EXPORT, into=into)
    assert first.status == 0, first.err
    before = first.catalog()
    moved = {"LDM-503-02": 10, "DM-AP-1": -3}
    bl = baseline_csv(tmp_path / "201802-BL.csv", moved)
    changes = tmp_path / "changes.md"
    update = run(capsys, bl, "--changes", changes, into=into)
    assert update.status == 0, update.err
    assert "as a baseline export (its name says so (-BL)): their baseline dates only" in update.err
    after = load_milestones(into).catalog
    assert set(after.milestones) == set(before.milestones)
    for m in before:
        new = after.milestones[m.code]
        assert (new.due, new.completed, new.name, new.predecessors, new.wbs, new.level) == (
            m.due, m.completed, m.name, m.predecessors, m.wbs, m.level,
        )  # fmt: skip
        # Start milestones have no baseline finish: their start is the date.
        expected = m.baseline or m.due
        if m.code in moved:
            expected += datetime.timedelta(days=moved[m.code])
        assert new.baseline == expected, m.code
    report = changes.read_text(encoding="utf-8")
    assert "no changes" in report  # baselines are not due dates, completions stay
    assert "completed" not in report.lower().replace("newly completed", "")
    assert "no longer completed" not in update.err
    assert "Baseline dates from the baseline export(s): 402." in update.err


def test_baseline_export_is_recognised_by_its_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    assert run(capsys, EXPORT, into=into).status == 0
    bl = baseline_csv(tmp_path / "baseline.csv", {"LDM-503-02": 5})
    update = run(capsys, bl, into=into)
    assert update.status == 0, update.err
    assert "it has end_date but no base_end_date or act_end_date column" in update.err
    after = load_milestones(into).catalog
    assert get(after, "LDM-503-02").baseline == D(2017, 12, 5)
    assert get(after, "LDM-503-02").completed == D(2017, 12, 1)  # not "no longer completed"


def test_forecast_and_baseline_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bl = baseline_csv(tmp_path / "export.csv", {"LDM-503-02": 30})  # named like any export
    both = run(capsys, EXPORT, "--baseline", bl)
    assert both.status == 0, both.err
    catalog = both.catalog()
    release = get(catalog, "LDM-503-02")
    # The baseline export wins over the month-end export's own base_end_date.
    assert (release.due, release.baseline, release.completed) == (
        D(2017, 11, 30),
        D(2017, 12, 30),
        D(2017, 12, 1),
    )
    assert "as a baseline export (--baseline)" in both.err


def test_baseline_export_alone_makes_no_new_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    alone = run(capsys, baseline_csv(tmp_path / "201802-BL.csv"), into=into)
    assert alone.status == 1
    assert "baseline exports give baseline dates only" in alone.err
    assert not into.exists()


# -- JSON overrides --------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "count"), [(LOCAL_2018, 151), (LOCAL_2019, 165)])
def test_real_json_overrides_read_with_their_tabs(path: Path, count: int) -> None:
    text = path.read_text(encoding="utf-8")
    overrides, problems = parse_overrides(text, str(path))
    assert problems == []
    assert overrides is not None
    assert len(overrides.by_code) == count
    wise = overrides.by_code["LDM-503-01"]
    assert wise.description is not None and wise.description.startswith("SUIT continues")
    assert wise.line == text.splitlines().index('    "LDM-503-01": {') + 1
    if path == LOCAL_2019:
        assert "\t" in text  # which YAML does not allow
        assert overrides.by_code["LDM-503-04"].line == 20


def test_json_overrides_every_key_applied_reported_or_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = tmp_path / "local.json"
    local.write_text(
        "{\n"
        '\t"LDM-503-02": {\n'  # line 2
        '\t\t"name": "Renamed",\n'
        '\t\t"due": "2018-01-15",\n'
        '\t\t"completed": "",\n'  # empty: not completed
        '\t\t"wbs": "LSST ME 18-03.02C.99",\n'
        '\t\t"level": 1,\n'
        '\t\t"predecessors": ["DM-AP-1", "NOT-IN-EXPORT"],\n'
        '\t\t"aka": ["HSC"], "comment": "x", "jira_testplan": "DM-1", "summarychart": "Y",\n'
        '\t\t"successors": ["LDM-503-09"],\n'
        '\t\t"descriptoin": "a typo"\n'  # line 11
        "\t},\n"
        '\t"DM-AP-1": {"completed": "2017-10-01"},\n'  # line 13
        '\t"LDM-503-02": {"name": "Again"}\n'  # line 14: a duplicate code
        "}\n"
    )
    result = run(capsys, EXPORT, "--local", local)
    assert result.status == 1  # the typo and the duplicate are problems
    typo = "unknown field 'descriptoin' in the overrides; did you mean 'description'?"
    assert f"{local}:11: unknown-field: LDM-503-02: {typo}" in result.err
    assert f"{local}:14: duplicate-code: LDM-503-02 is given twice (first on line 2)" in result.err
    catalog = result.catalog()
    release = get(catalog, "LDM-503-02")
    assert (release.name, release.due, release.completed, release.wbs, release.level) == (
        "Renamed", D(2018, 1, 15), None, "02C.99", 1,
    )  # fmt: skip
    assert release.predecessors == ("DM-AP-1",)
    assert get(catalog, "DM-AP-1").completed == D(2017, 10, 1)
    assert "'aka' on 1" in result.err and "'successors' on 1" in result.err
    assert "'summarychart' on 1" in result.err and "'jira_testplan' on 1" in result.err
    assert "The overrides replaced the export's completed of 2, due of 1, name of" in result.err


def test_yaml_overrides_merge_keys_are_refused_not_ignored() -> None:
    overrides, problems = parse_overrides(
        "base: &base\n  test_spec: LDM-1\nA:\n  <<: *base\n  name: A\n", "local.yaml"
    )
    assert overrides is not None
    assert [(p.subtype, p.line) for p in problems] == [("schema", 4)]
    assert "merge keys (<<) are not supported" in problems[0].message


# -- exports since late 2022: task types -----------------------------------------------------


def test_rows_that_are_not_milestones_are_left_out_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "202211-ME.csv"
    path.write_text(
        "task_code,task_type,task_name,status_code,pred_list,start_date,end_date,act_end_date\n"
        "LDM-503-20,Finish Milestone,Release,Not Started,DM-X-1,,3/15/2024,\n"
        "DM-X-1,Finish Milestone,Feature,Not Started,W-1,,1/10/2024,\n"
        "W-1,Task Dependent,Work,Not Started,,1/1/2023,1/9/2024,\n"
        "W-2,Task Dependent,More work,Not Started,,1/1/2023,1/9/2024,\n"
        "E-1,Level of Effort,Effort,Not Started,,1/1/2023,1/9/2024,\n"
        "S-1,Start Milestone,Start,Not Started,,2/1/2023,,\n"
        "P-1,TT_FinMile,Coded type,Not Started,,,2/1/2024,\n"
    )
    result = run(capsys, path)
    assert result.status == 0, result.err
    assert set(result.catalog().milestones) == {"LDM-503-20", "DM-X-1", "S-1", "P-1"}
    assert (
        "Left out 3 row(s) of 202211-ME.csv that are not milestones "
        "(task_type: 2 Task Dependent, 1 Level of Effort)."
    ) in result.err
    assert "1 predecessor link(s) name 1 activities outside the export" in result.err


# -- WBS ids without the month -----------------------------------------------------------------


def test_an_update_that_changes_only_the_month_changes_no_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    assert run(capsys, EXPORT, into=into).status == 0
    before = into.read_text(encoding="utf-8")
    assert "wbs: LSST" not in before
    march = tmp_path / "201803-ME.csv"
    march.write_text(
        EXPORT.read_text(encoding="utf-8-sig").replace("LSST ME 18-02.", "LSST ME 18-03."),
        encoding="utf-8",
    )
    update = run(capsys, march, into=into)
    assert update.status == 0, update.err
    assert into.read_text(encoding="utf-8") == before
    assert "WBS ids are stored without the month's project (LSST ME 18-03)" in update.err


# -- section 3 as the 2018 edition printed it -------------------------------------------------


def untex(text: str) -> str:
    return re.sub(r"\\([&#%_$])", r"\1", text)


def featurelist_2018() -> list[tuple[str, str, list[str]]]:
    """(title, due line, feature lines) of each section of the original tool's output."""
    tex = FEATURELIST_2018.read_text(encoding="utf-8")
    sections = []
    for block in tex.split("\\subsection{")[1:]:
        title = block[: block.index("}\n")]
        due = re.search(r"\\textit\{\{(.*?)\}\}", block)
        assert due is not None
        items = re.findall(r"\\item\{(.*?) \\textit\{\((.*?)\)\}\}", block)
        sections.append((untex(title), due[1], [f"{untex(text)} ({when})" for text, when in items]))
    return sections


#: Features of the February 2018 export that the original tool lost: they are in
#: predecessor lists that the export cut at 100 characters, and the importer finds them
#: again in the features' own successor lists.
LOST_TO_CUT_CELLS = {
    "LDM-503-08": {"DM-NET-6"},
    "LDM-503-09": {
        "DM-DAX-8", "DM-DAX-9", "DM-DRP-17", "DM-DRP-18", "DM-DRP-19", "DM-DRP-37",
        "DM-NCSA-16", "DM-NCSA-17", "DM-NCSA-18", "DM-NCSA-19", "DM-SQRE-2",
    },
    "LDM-503-13": {"DM-DRP-25", "DM-NCSA-23"},
}  # fmt: skip


def test_section_3_of_the_2018_edition_is_reproduced(
    tmp_path: Path, build_project: BuildFn, capsys: pytest.CaptureFixture[str]
) -> None:
    imported = run(capsys, EXPORT, "--local", LOCAL_2018)
    assert imported.status == 0, imported.err
    src = write_project(tmp_path / "src", "Releases\n========\n\n" + EDITION_2018, imported.out)
    app = build_project(src, copy=False)
    assert app.warning.getvalue() == ""  # no catalogue, and no warning about it
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    ours = []
    for section in page.select("section.ldm-release"):
        title = section.find("h2").get_text().rstrip("¶").strip()
        due = section.select_one("p.ldm-due").get_text()
        items = [" ".join(li.get_text().split()) for li in section.select("ul.ldm-features > li")]
        ours.append((title, due, items))
    expected = featurelist_2018()
    assert [t for t, _, _ in ours] == [t for t, _, _ in expected]  # names, codes, order
    assert [d for _, d, _ in ours] == [d for _, d, _ in expected]  # dates and completion
    recovered = re.findall(r"([^\s,]+) -> ([^\s,]+)", imported.err)
    for (title, _, got), (_, _, printed) in zip(ours, expected, strict=True):
        code = title.rsplit(": ", 1)[1]
        lost = LOST_TO_CUT_CELLS.get(code, set())
        kept = [item for item in got if item.split(":")[0] not in lost]
        assert kept == printed, code  # features, their dates and order
        assert {item.split(":")[0] for item in got} - {i.split(":")[0] for i in kept} == lost
        for feature in lost:  # each lost one came back from its own successor list
            assert (feature, code) in recovered


# -- a technote: release sections and a timeline, no catalogue ----------------------------------

TECHNOTE_DATA = """\
milestones:
  - {code: LDM-503-1, name: Release, level: 4, due: 2024-03-01, baseline: 2024-01-15,
     predecessors: [DM-AP-12, DM-X-2, OTHER-1]}
  - {code: DM-AP-12, name: Difference imaging, level: 2, due: 2024-02-01}
  - {code: DM-X-2, name: Feature, level: 3, due: 2024-01-01, completed: 2023-12-20}
  - {code: OTHER-1, name: Not a feature, level: 4, due: 2023-11-01}
"""


def test_release_sections_without_a_catalogue_build_with_w(
    tmp_path: Path, build_project: BuildFn
) -> None:
    rst = (
        "Plan\n====\n\n" + EDITION_2018.replace(":dates: baseline", ":dates: forecast")
        + "\n.. ldm-timeline::\n   :prefixes: LDM-503 DM-\n"
    )  # fmt: skip
    src = write_project(tmp_path / "src", rst, TECHNOTE_DATA)
    app = build_project(src, copy=False, confoverrides={"nitpicky": True})
    assert app.warning.getvalue() == ""
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    section = page.select_one("section.ldm-release")
    assert section is not None
    items = [" ".join(li.get_text().split()) for li in section.select("ul.ldm-features > li")]
    # Level 4 is deeper than both features, but the prefixes choose them, by date.
    assert items == [
        "DM-X-2: Feature (Due: 2024-01-01; completed 2023-12-20)",
        "DM-AP-12: Difference imaging (Due: 2024-02-01; currently incomplete)",
    ]
    assert section.select("ul.ldm-features a") == []  # nothing to link to, and no warning


def test_links_appear_once_a_catalogue_exists_and_the_role_still_warns(
    tmp_path: Path, build_project: BuildFn
) -> None:
    rst = "Plan\n====\n\n.. ldm-milestone:: LDM-503-1\n   :feature-prefixes: DM-\n"
    src = write_project(tmp_path / "src", rst + "\nSee :ldm:ms:`DM-X-2`.\n", TECHNOTE_DATA)
    app = build_project(src, copy=False)
    warnings = app.warning.getvalue()
    assert warnings.count("[ldm.no-entry]") == 1  # the role, not the section's features
    assert "index.rst:7: WARNING: milestone DM-X-2 has no catalogue entry" in warnings
    app.cleanup()
    (src / "cat.rst").write_text(":orphan:\n\nCatalogue\n=========\n\n.. ldm-catalogue::\n")
    app = build_project(src, copy=False, freshenv=True)
    assert app.warning.getvalue() == ""
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(): a["href"] for a in page.select("ul.ldm-features a")}
    assert links == {"DM-X-2": "cat.html#ms-DM-X-2", "DM-AP-12": "cat.html#ms-DM-AP-12"}


def test_dates_baseline_falls_back_to_the_forecast(tmp_path: Path, build_project: BuildFn) -> None:
    rst = (
        "Plan\n====\n\n.. ldm-milestones::\n   :codes: LDM-503-1\n   :dates: baseline\n"
        "   :feature-prefixes: DM-\n\n.. ldm-milestone:: LDM-503-1\n   :dates: planned\n"
    )
    src = write_project(tmp_path / "src", rst, TECHNOTE_DATA)
    app = build_project(src, copy=False)
    warnings = app.warning.getvalue()
    assert "ldm-milestone: :dates: does not take 'planned'; choose from forecast, baseline" in (
        warnings
    )
    assert warnings.count("WARNING") == 1
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    first, second = page.select("section.ldm-release")
    assert first.select_one("p.ldm-due").get_text() == "Due: 2024-01-15; currently incomplete."
    assert second.select_one("p.ldm-due").get_text() == "Due: 2024-03-01; currently incomplete."
    assert "DM-AP-12: Difference imaging (Due: 2024-02-01;" in first.get_text()  # no baseline
