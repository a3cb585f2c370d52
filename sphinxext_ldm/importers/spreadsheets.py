"""Spreadsheet exports: the activity sheet's rows and the ``TASKPRED`` links of a workbook.

The scheduling system exports a workbook with a ``TASK`` sheet (one activity a row, the
machine column names in the first row, human labels in the second) and a ``TASKPRED``
sheet (one link a row: ``pred_task_id``, ``task_id``). Every monthly export of Rubin's
milestone repository since 2018 is an Excel 97-2003 (BIFF8) ``.xls`` workbook, read with
xlrd; ``.xlsx`` workbooks are read with openpyxl. Both are optional extras, imported only
here and only when a workbook is read.

The format is told by the file's first bytes, not its name: an ``.xls`` that is really
an ``.xlsx`` (or the other way round) is read all the same.

A workbook is read within the limits of :mod:`.workbook_limits`.
"""

from __future__ import annotations

import datetime
import importlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sphinxext_ldm.importers.exports import Cell, cell_text
from sphinxext_ldm.importers.workbook_limits import (
    DEFAULT_LIMITS,
    Budget,
    Limits,
    OverLimit,
    defused,
    refusal,
)
from sphinxext_ldm.problems import Problem

TASK_SHEET, LINK_SHEET = "TASK", "TASKPRED"
LINK_PREDECESSOR, LINK_SUCCESSOR = "pred_task_id", "task_id"
#: Where an activity sheet has numeric task ids as well as codes, links use the ids.
TASK_ID, TASK_CODE = "task_id", "task_code"
#: The human labels of the link columns, in the second header row.
LINK_LABELS = ("Predecessor", "Successor")

ZIP_MAGIC = b"PK\x03\x04"  # xlsx (Office Open XML is a zip archive)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # xls (BIFF8 in an OLE2 compound file)

MISSING_READER = (
    "reading {kind} exports needs {module}, which is not installed: "
    "pip install 'sphinxext-ldm[{extra}]' (or save the export as CSV with its links)"
)


@dataclass
class Workbook:
    """What an import needs from a workbook."""

    #: The activity sheet's rows, numbered as the spreadsheet numbers them.
    rows: list[tuple[int, Sequence[Cell]]]
    #: (predecessor, successor) codes from the link sheet; None without a link sheet.
    links: list[tuple[str, str]] | None


def workbook_format(head: bytes) -> str | None:
    """``xlsx`` or ``xls`` by a file's first bytes; None for anything else (CSV)."""
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        return "xls"
    return None


def read_workbook(
    data: bytes, path: str, fmt: str, limits: Limits = DEFAULT_LIMITS
) -> Workbook | Problem:
    """The activity rows and links of the workbook ``data`` (the content of ``path``),
    or the problem why not."""
    module, extra = ("openpyxl", "xlsx") if fmt == "xlsx" else ("xlrd", "xls")
    try:
        # Through importlib so that type checking does not depend on the optional extra.
        reader = importlib.import_module(module)
    except ImportError:
        message = MISSING_READER.format(kind=fmt, module=module, extra=extra)
        return Problem("file", message, path, 1)
    why_not = refusal(data, fmt, reader)
    if why_not is not None:
        return Problem("file", why_not, path, 1)
    budget = Budget(limits)
    try:
        if fmt == "xlsx":
            sheets = _xlsx_sheets(reader, data, budget)
        else:
            sheets = _xls_sheets(reader, data, budget)
    except OverLimit as exc:
        return Problem("file", str(exc), path, 1)
    except Exception as exc:  # both readers raise many kinds for a file they cannot read
        entities = defused(exc)
        if entities is not None:
            message = (
                "the workbook's XML declares entities, which are refused (an XML bomb?): "
                f"{entities}"
            )
            return Problem("file", message, path, 1)
        return Problem("file", f"cannot read {fmt} export {path}: {exc}", path, 1)
    if not sheets:
        return Problem("schema", "the workbook has no sheets", path, 1)
    task = sheets.get(TASK_SHEET) or next(iter(sheets.values()))
    link_rows = sheets.get(LINK_SHEET)
    links = None if link_rows is None else _links(link_rows, _task_ids(task))
    return Workbook(task, links)


def _xlsx_sheets(
    openpyxl: Any, data: bytes, budget: Budget
) -> dict[str, list[tuple[int, Sequence[Cell]]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {
            sheet.title: budget.rows(sheet.title, sheet.iter_rows(values_only=True))
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


def _xls_sheets(
    xlrd: Any, data: bytes, budget: Budget
) -> dict[str, list[tuple[int, Sequence[Cell]]]]:
    # xlrd writes its warnings to a log file (stdout by default): keep them out of the
    # YAML that an import writes there. Ragged rows: a row holds the cells it has, not
    # as many as the widest row of its sheet.
    book = xlrd.open_workbook(
        file_contents=data, logfile=io.StringIO(), on_demand=True, ragged_rows=True
    )
    try:
        sheets = {}
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = (
                [_xls_value(xlrd, cell, book.datemode) for cell in row] for row in sheet.get_rows()
            )
            sheets[sheet.name] = budget.rows(sheet.name, rows)
            book.unload_sheet(index)
        return sheets
    finally:
        book.release_resources()


def _xls_value(xlrd: Any, cell: Any, datemode: int) -> Cell:
    """An xls cell as the CSV and xlsx readers give it: text, a number, a date, or None."""
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        day: datetime.datetime = xlrd.xldate_as_datetime(cell.value, datemode)
        return day
    if cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_BOOLEAN):
        return float(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return None
    value: str = cell.value
    return value


def _header(rows: Sequence[tuple[int, Sequence[Cell]]]) -> list[str]:
    return [cell_text(cell) for cell in rows[0][1]] if rows else []


def _task_ids(rows: Sequence[tuple[int, Sequence[Cell]]]) -> dict[str, str]:
    """Numeric task id -> activity code, where the activity sheet has both columns."""
    header = _header(rows)
    if TASK_ID not in header or TASK_CODE not in header:
        return {}
    ids, codes = header.index(TASK_ID), header.index(TASK_CODE)
    found = {}
    for _, cells in rows[1:]:
        if len(cells) > max(ids, codes) and (key := cell_text(cells[ids])):
            found[key] = cell_text(cells[codes])
    return found


def _links(
    rows: Sequence[tuple[int, Sequence[Cell]]], ids: dict[str, str]
) -> list[tuple[str, str]]:
    """(predecessor, successor) codes of a link sheet; ids resolved to codes."""
    header = _header(rows)
    if LINK_PREDECESSOR not in header or LINK_SUCCESSOR not in header:
        return []
    pred, succ = header.index(LINK_PREDECESSOR), header.index(LINK_SUCCESSOR)
    found = []
    for number, cells in rows[1:]:
        padded = [*cells, *[None] * len(header)]
        p, s = cell_text(padded[pred]), cell_text(padded[succ])
        if number == 2 and (p, s) == LINK_LABELS:
            continue  # the second header row, of human labels
        if p and s:
            found.append((ids.get(p, p), ids.get(s, s)))
    return found
