"""The scheduling system's exports read into typed rows, with located problems.

The original milestone tool (lsst-dm/milestones) received month-end exports of the
project's scheduling system (Primavera P6) with machine column names in the first row:

- ``task_code, status_code, wbs_id, task_name, pred_list, succ_list, start_date,
  base_end_date, act_end_date, ...`` (the 2018 CSV layout),
- ``task_code, status_code, wbs_id, task_name, start_date, base_end_date, act_end_date,
  end_date, ...`` with the links in a ``TASKPRED`` sheet (the ``.xls`` workbooks of every
  month since 2018, read by :mod:`.spreadsheets`), later also with ``task_type``, or
- a baseline project's export (``201803-BL``): ``end_date`` is the baseline finish, there
  is no ``base_end_date`` or ``act_end_date``, and every row is "Not Started".

Dates of a forecast export (``ME``, month end) are read as the original tool read them:
``due`` is the finish (``end_date`` where the export has it, else ``base_end_date``), or
``start_date`` where the finish is empty (a start milestone); ``baseline`` is
``base_end_date``; ``completed`` is ``act_end_date``. A baseline export gives
``baseline`` alone, its finish.

Real exports carry quirks that are handled here: a UTF-8 byte-order mark, a second header
row of human labels, US date-times (``2/16/2021 8:00:00 AM``), list cells with trailing
commas or cut at the export's cell limit, stray spaces (``Complete\\xa0``), the prefix
``Test report:`` of test milestones' names, which the original tool dropped, WBS ids that
start with the month's project (``LSST ME 19-04.02C.03``), and, since late 2022, rows of
activities that are not milestones (``task_type``).

A row that cannot be read (no code, no name, no usable date) is left out with a problem
located at its file and row, the column named in the message; the other rows are read.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sphinxext_ldm.inputs import csv_reader
from sphinxext_ldm.load import LEVELS
from sphinxext_ldm.problems import Problem

#: A cell as read: text from CSV, also dates and numbers from workbooks.
Cell = str | datetime.date | int | float | None

CODE, NAME, STATUS, WBS = "task_code", "task_name", "status_code", "wbs_id"
PREDECESSORS, SUCCESSORS = "pred_list", "succ_list"
START, FINISH, BASELINE, ACTUAL = "start_date", "end_date", "base_end_date", "act_end_date"
TASK_TYPE = "task_type"
#: Level columns: a plain ``level``, or the user field the original tool read it from.
LEVEL_COLUMNS = ("level", "user_field_859")
DATE_COLUMNS = (START, FINISH, BASELINE, ACTUAL)

#: What an export is of: the current schedule (month end), or the baseline project.
FORECAST, BASELINE_EXPORT = "forecast", "baseline"
#: Task types of milestones as the scheduling system writes them, in its exports'
#: words ("Start Milestone", "Finish Milestone") or its own codes.
MILESTONE_TYPE_CODES = frozenset({"TT_Mile", "TT_FinMile"})

#: The label the scheduling system writes under ``task_code`` in its second header row.
LABEL_ROW_CODE = "Activity ID"
#: The export cuts list cells at this many characters (38 cells of the 2018-02 export end
#: mid-code, "DM-DR"), so the last item of a cell this long may be part of a code.
LIST_CELL_LIMIT = 100
#: ... and names at this many characters.
NAME_CELL_LIMIT = 120
#: A prefix of the test milestones' names that the original tool dropped in its output.
NAME_PREFIX_DROPPED = "Test report: "

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_US_DATE = re.compile(
    r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?"
)
_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[ T][\d:.]+)?")


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One activity of an export, with the dates resolved as the original tool did."""

    code: str
    name: str
    due: datetime.date
    path: str
    line: int
    baseline: datetime.date | None = None
    completed: datetime.date | None = None
    level: int | None = None
    #: The WBS id without the month's project prefix (see :func:`split_wbs`).
    wbs: str | None = None
    #: Codes as the row lists them, in order; items cut by the export are left out.
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()
    #: The status says completed but no actual finish is given: ``completed`` is ``due``.
    completed_by_status: bool = False
    #: Columns whose cell looks cut at the export's cell limit.
    cut: tuple[str, ...] = ()
    #: The milestone fields this row's export provides (a merge keeps the others).
    owned: frozenset[str] = frozenset()


@dataclass
class ExportFile:
    """What one export was, for the import's summary."""

    path: str
    kind: str = FORECAST
    #: Why it was read as a baseline export ("" for a forecast).
    why: str = ""
    rows: int = 0
    #: Whether it says how activities link: list columns or a link sheet.
    has_links: bool = False
    #: Task types of rows left out because they are not milestones -> how many.
    not_milestones: Counter[str] = field(default_factory=Counter)
    #: Project prefixes left out of WBS ids -> how many ids had them.
    wbs_prefixes: Counter[str] = field(default_factory=Counter)


@dataclass
class ExportResult:
    """What one or more exports held: the readable rows and every problem."""

    #: Rows of forecast exports.
    rows: list[ExportRow] = field(default_factory=list)
    #: Rows of baseline exports: only their ``baseline`` is used.
    baselines: list[ExportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Codes of rows that were left out: they are in the export, but unreadable.
    unreadable: set[str] = field(default_factory=set)
    #: An export could not be read at all (missing, unknown format, no header).
    failed: bool = False
    files: list[ExportFile] = field(default_factory=list)

    def extend(self, other: ExportResult) -> None:
        self.rows.extend(other.rows)
        self.baselines.extend(other.baselines)
        self.problems.extend(other.problems)
        self.unreadable |= other.unreadable
        self.failed = self.failed or other.failed
        self.files.extend(other.files)

    @property
    def forecast_files(self) -> list[ExportFile]:
        return [f for f in self.files if f.kind == FORECAST]


def parse_csv(text: str, path: str = "<string>", kind: str | None = None) -> ExportResult:
    """An export given as CSV text (without its byte-order mark)."""
    return parse_csv_lines(text_lines(text), path, kind)


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their line ends (``\\r\\n``, ``\\r`` or ``\\n``), one at a
    time, as a file opened with ``newline=""`` gives them to the csv module, with no copy
    of the whole text."""
    for match in _LINE.finditer(text):
        if match.group():
            yield match.group()


def parse_csv_lines(
    lines: Iterable[str], path: str = "<string>", kind: str | None = None
) -> ExportResult:
    """An export given as lines of CSV text with their line ends (a file opened with
    ``newline=""``), read one row at a time: a big export is never all in memory; cells
    of any length are read (see :func:`sphinxext_ldm.inputs.csv_reader`)."""
    reader = csv_reader(_without_bom(lines))
    # reader.line_num is the line a record ends on: the row number people see
    # in an editor, also for records with quoted line breaks.
    numbered = ((reader.line_num, row) for row in reader)
    return parse_rows(numbered, path, kind=kind)


def _without_bom(lines: Iterable[str]) -> Iterator[str]:
    stream = iter(lines)
    first = next(stream, None)
    if first is not None:
        yield first.removeprefix("\ufeff")
        yield from stream


def parse_rows(
    rows: Iterable[tuple[int, Sequence[Cell]]],
    path: str,
    links: Sequence[tuple[str, str]] | None = None,
    kind: str | None = None,
) -> ExportResult:
    """Rows of cells (with their row numbers), the first holding the column names.

    ``links`` are (predecessor, successor) pairs kept apart from the rows (a workbook's
    ``TASKPRED`` sheet; None when it has none); they are added to the rows' own lists.
    ``kind`` is what the export is known to be (by its name, or as the user said);
    None tells it by its columns.
    """
    table = iter(rows)
    first = next(table, None)
    if first is None:
        return _failed(Problem("schema", "the export is empty", path, 1))
    header = [cell_text(cell).removeprefix("\ufeff") for cell in first[1]]
    missing = [name for name in (CODE, NAME) if name not in header]
    if FINISH not in header and BASELINE not in header:
        missing.append(f"{FINISH} or {BASELINE}")
    if missing:
        return _failed(
            Problem(
                "schema",
                f"not a scheduling-system export: no column {', '.join(missing)} "
                f"in the first row ({', '.join(h for h in header if h) or 'empty'})",
                path,
                first[0],
            )
        )
    has_links = links is not None or PREDECESSORS in header or SUCCESSORS in header
    info = ExportFile(path, has_links=has_links)
    reader = _RowReader(header, path, has_links=has_links, info=info)
    result = ExportResult(files=[info])
    any_completed = False
    for number, cells in table:
        values = dict(zip(header, cells, strict=False))
        if not any(cell_text(cell) for cell in cells):
            continue
        if cell_text(values.get(CODE)) == LABEL_ROW_CODE:
            continue  # the second header row, of human labels
        task_type = cell_text(values.get(TASK_TYPE))
        if TASK_TYPE in header and not is_milestone_type(task_type):
            info.not_milestones[task_type or "(no type)"] += 1
            continue
        row = reader.read(values, number)
        if row is not None:
            result.rows.append(row)
            any_completed = any_completed or row.completed is not None
        elif code := cell_text(values.get(CODE)):
            result.unreadable.add(code)
    result.problems.extend(reader.problems)
    if links:
        result.rows = _add_links(result.rows, links)
    info.rows = len(result.rows)
    if kind is None and BASELINE not in header and ACTUAL not in header and not any_completed:
        kind = BASELINE_EXPORT
        info.why = f"it has {FINISH} but no {BASELINE} or {ACTUAL} column, and no row is completed"
    if kind == BASELINE_EXPORT:
        info.kind = BASELINE_EXPORT
        result.baselines = [as_baseline(row) for row in result.rows]
        result.rows = []
    return result


def as_baseline(row: ExportRow) -> ExportRow:
    """A baseline export's row: its finish is the baseline, and that is all it gives."""
    return dataclasses.replace(
        row, baseline=row.due, completed=None, completed_by_status=False, owned=frozenset()
    )


def is_milestone_type(task_type: str) -> bool:
    """Whether a ``task_type`` cell names a milestone (start or finish)."""
    return "milestone" in task_type.lower() or task_type in MILESTONE_TYPE_CODES


def split_wbs(wbs_id: str) -> tuple[str | None, str | None]:
    """``LSST ME 19-04.02C.03`` -> (``LSST ME 19-04``, ``02C.03``): the month's project
    (a name with spaces, before the first dot) and the WBS code below it, which stays the
    same from month to month. An id without a project prefix is returned as it is."""
    project, dot, rest = wbs_id.partition(".")
    if not dot or not rest.strip() or not any(char.isspace() for char in project):
        return None, wbs_id or None
    return project, rest.strip()


class _RowReader:
    """Turns one row's cells into an :class:`ExportRow`, collecting located problems."""

    def __init__(self, header: list[str], path: str, has_links: bool, info: ExportFile) -> None:
        self.path = path
        self.info = info
        self.finish = FINISH if FINISH in header else BASELINE
        self.has_baseline = BASELINE in header
        self.level_column = next((name for name in LEVEL_COLUMNS if name in header), None)
        self.problems: list[Problem] = []
        provided = {
            "baseline": BASELINE in header,
            "completed": ACTUAL in header or STATUS in header,
            "wbs": WBS in header,
            "predecessors": has_links,
        }
        self.owned = frozenset(["name", "due", *(name for name, has in provided.items() if has)])

    def problem(self, subtype: str, column: str, message: str, line: int) -> None:
        self.problems.append(Problem(subtype, f"{column}: {message}", self.path, line))

    def read(self, values: dict[str, Cell], line: int) -> ExportRow | None:
        code = cell_text(values.get(CODE))
        if not code:
            self.problem(
                "missing-field", CODE, "the row has no activity code; it is left out", line
            )
            return None
        name = cell_text(values.get(NAME)).removeprefix(NAME_PREFIX_DROPPED).strip()
        if not name:
            self.problem("missing-field", NAME, f"{code} has no name; the row is left out", line)
            return None
        bad: set[str] = set()
        dates = {column: self.date(values, column, code, line, bad) for column in DATE_COLUMNS}
        if self.finish in bad:
            return None  # reported; a start date is no stand-in for a finish we cannot read
        due = dates[self.finish] or dates[START]
        if due is None:
            if START not in bad:
                self.problem(
                    "missing-field",
                    self.finish,
                    f"{code} has no {self.finish} and no {START}; the row is left out",
                    line,
                )
            return None
        # A completed start milestone has no actual finish: its (actual) start is the
        # date it was reached, as the original tool's later versions read it.
        by_status = (
            dates[ACTUAL] is None
            and ACTUAL not in bad
            and cell_text(values.get(STATUS)).lower() == "completed"
        )
        preds, preds_cut = _codes(values.get(PREDECESSORS))
        succs, succs_cut = _codes(values.get(SUCCESSORS))
        name_cut = len(cell_text(values.get(NAME))) >= NAME_CELL_LIMIT
        cut = {PREDECESSORS: preds_cut, SUCCESSORS: succs_cut, NAME: name_cut}
        level = self.level(values, code, line)
        project, wbs = split_wbs(cell_text(values.get(WBS)))
        if project is not None:
            self.info.wbs_prefixes[project] += 1
        return ExportRow(
            code=code,
            name=name,
            due=due,
            path=self.path,
            line=line,
            baseline=dates[BASELINE] if self.has_baseline else None,
            completed=due if by_status else dates[ACTUAL],
            level=level,
            wbs=wbs,
            predecessors=preds,
            successors=succs,
            completed_by_status=by_status,
            cut=tuple(column for column, was_cut in cut.items() if was_cut),
            owned=self.owned | {"level"} if level is not None else self.owned,
        )

    def date(
        self, values: dict[str, Cell], column: str, code: str, line: int, bad: set[str]
    ) -> datetime.date | None:
        """The date in ``column`` (None when empty); a bad one is reported, added to ``bad``."""
        try:
            return parse_date(values.get(column))
        except ValueError as exc:
            left_out = "the row is left out" if column == self.finish else "it is ignored"
            self.problem("bad-date", column, f"{code}: {exc}; {left_out}", line)
            bad.add(column)
            return None

    def level(self, values: dict[str, Cell], code: str, line: int) -> int | None:
        if self.level_column is None:
            return None
        written = cell_text(values.get(self.level_column))
        if not written:
            return None
        try:
            number = float(written)
        except ValueError:
            number = 0.5  # not a number: reported below like any other bad level
        if number.is_integer() and int(number) in LEVELS:
            return int(number)
        self.problem(
            "bad-value",
            self.level_column,
            f"{code}: level must be a whole number 1 to 4, not {written!r}; it is ignored",
            line,
        )
        return None


def parse_date(cell: Cell) -> datetime.date | None:
    """A date as the scheduling system writes it: ``2/16/2021 8:00:00 AM``, ``11/1/2017``
    (US order, the time dropped), ``2018-02-16``, or a date cell of a spreadsheet.
    None for an empty cell; ValueError for anything else."""
    if cell is None:
        return None
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = cell_text(cell)
    if not text:
        return None
    match = _US_DATE.fullmatch(text) or _ISO_DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date (M/D/YYYY, optionally with a time)")
    try:
        return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc})") from None


def _codes(cell: Cell) -> tuple[tuple[str, ...], bool]:
    """The codes of a list cell (``A, B,``) and whether the export cut it short.

    In a cut cell the last item may be part of a code (``DM-DR``), so it is left out;
    the link is found again when the other activity lists this one (see merge).
    """
    text = cell_text(cell)
    items = [item.strip() for item in text.split(",")]
    cut = len(text) >= LIST_CELL_LIMIT
    if cut and items and items[-1]:
        items.pop()
    return tuple(item for item in items if item), cut


def cell_text(cell: Cell) -> str:
    """A cell as text, stripped (also of no-break spaces); whole numbers without ``.0``."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _add_links(rows: list[ExportRow], links: Sequence[tuple[str, str]]) -> list[ExportRow]:
    """Rows with the (predecessor, successor) pairs of a link sheet added to their lists."""
    extra: dict[str, list[str]] = {}
    for pred, succ in links:
        extra.setdefault(succ, []).append(pred)
    updated = []
    for row in rows:
        preds = extra.get(row.code, ())
        # A set: a milestone with thousands of links took their square to compare.
        listed = set(row.predecessors) if preds else set()
        added = [code for code in preds if code not in listed]
        if added:
            row = dataclasses.replace(row, predecessors=(*row.predecessors, *dict.fromkeys(added)))
        updated.append(row)
    return updated


def _failed(problem: Problem) -> ExportResult:
    return ExportResult(problems=[problem], failed=True)
