"""Which exports an import reads, and reading each by its format.

The monthly exports of Rubin's milestone repository live in one directory, named by
month and kind: ``201904-ME.xls`` is the April 2019 month-end (forecast) export,
``201803-BL.csv`` the baseline project's export of March 2018. Given a directory, an
import takes the newest month-end export, as the original tool did; ``--export NAME``
takes another.

A file is read by its content: a workbook (``.xls`` or ``.xlsx``, told by its first
bytes, see :mod:`.spreadsheets`) or CSV text. An export is a baseline export when the
user says so (``--baseline``), when its name says so (``-BL``), or when its columns do
(see :func:`.exports.parse_rows`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sphinxext_ldm.importers.exports import (
    BASELINE_EXPORT,
    CODE,
    ExportFile,
    ExportResult,
    ExportRow,
    parse_csv,
    parse_rows,
)
from sphinxext_ldm.importers.spreadsheets import read_workbook, workbook_format
from sphinxext_ldm.inputs import EXPORT_LIMIT, decode, read_bytes
from sphinxext_ldm.problems import Problem

#: ``YYYYMM-ME.xls``: a monthly export's name, its month and kind.
MONTHLY_NAME = re.compile(r"(?P<month>\d{6})-(?P<kind>ME|BL)\.(?:xls|xlsx|csv)", re.IGNORECASE)
#: A baseline export's name: ``-BL`` (or ``_BL``) before the suffix or a further dash.
BASELINE_NAME = re.compile(r"(?:^|[-_ ])BL(?:[-_ ]|$)", re.IGNORECASE)
#: Bytes read to tell a file's format.
HEAD = 8


@dataclass(frozen=True)
class Chosen:
    """The export taken from a directory, and what the summary says about it."""

    path: str
    note: str


def choose_export(directory: str, name: str | None = None) -> Chosen | Problem:
    """The newest month-end export in ``directory`` by its ``YYYYMM`` name, or the one
    ``name`` picks (a file name, or its month: ``201903``, ``201903-ME``)."""
    folder = Path(directory)
    try:
        files = sorted(p.name for p in folder.iterdir() if p.is_file())
    except OSError as exc:
        return Problem("file", f"cannot list the exports in {directory}: {exc.strerror}")
    monthly = [f for f in files if (m := MONTHLY_NAME.fullmatch(f)) and m["kind"].upper() == "ME"]
    if name is not None:
        picked = [f for f in files if f == name or Path(f).stem == name]
        picked = picked or [f for f in monthly if f.startswith(name)]
        if not picked:
            listed = ", ".join(monthly[-6:]) or "none"
            return Problem(
                "file",
                f"--export {name}: no such export in {directory} (its newest: {listed})",
            )
        return Chosen(str(folder / picked[-1]), f"Took {picked[-1]} from {directory} (--export).")
    if not monthly:
        return Problem(
            "file",
            f"no monthly export in {directory}: expected files named YYYYMM-ME.xls "
            "(or .xlsx, .csv); name one with --export, or give the file itself",
        )
    newest = monthly[-1]
    note = f"Took {newest}, the newest of {len(monthly)} month-end export(s) in {directory}."
    return Chosen(str(folder / newest), note)


def named_baseline(path: str) -> bool:
    """Whether a file's name says it is a baseline export (``201803-BL.csv``)."""
    return BASELINE_NAME.search(Path(path).stem) is not None


def read_exports(paths: Sequence[str], baselines: Sequence[str] = ()) -> ExportResult:
    """Read every export (``baselines`` as baseline exports, the others by their name or
    columns); a code given twice in exports of one kind is a problem and the first row
    wins."""
    result = ExportResult()
    for path in paths:
        if named_baseline(path):
            result.extend(read_export(path, "its name says so (-BL)"))
        else:
            result.extend(read_export(path))
    for path in baselines:
        result.extend(read_export(path, "--baseline"))
    result.rows = _unique(result.rows, result.problems)
    result.baselines = _unique(result.baselines, result.problems)
    return result


def read_export(path: str, baseline_because: str | None = None) -> ExportResult:
    """One export, CSV or a workbook, by its content; a baseline export if
    ``baseline_because`` says why, else whatever its columns say."""
    result = _read(path, BASELINE_EXPORT if baseline_because else None)
    if baseline_because and not result.failed:
        result.files[0].why = baseline_because
    return result


def _read(path: str, kind: str | None) -> ExportResult:
    data = read_bytes(path, "export", EXPORT_LIMIT)
    if isinstance(data, Problem):
        return _failed(path, data)
    fmt = workbook_format(data[:HEAD])
    if fmt is not None:
        book = read_workbook(data, path, fmt)
        if isinstance(book, Problem):
            return _failed(path, book)
        return parse_rows(book.rows, path, book.links, kind=kind)
    text = decode(data, path)  # the BOM is dropped here
    del data  # a big export: keep one copy of it, the text, read line by line
    if isinstance(text, Problem):
        return _failed(path, text)
    return parse_csv(text, path, kind)


def _unique(rows: list[ExportRow], problems: list[Problem]) -> list[ExportRow]:
    seen: dict[str, ExportRow] = {}
    unique: list[ExportRow] = []
    for row in rows:
        first = seen.get(row.code)
        if first is not None:
            problems.append(
                Problem(
                    "duplicate-code",
                    f"{CODE}: {row.code} is also on row {first.line} of {first.path}; "
                    "this row is left out",
                    row.path,
                    row.line,
                )
            )
            continue
        seen[row.code] = row
        unique.append(row)
    return unique


def _failed(path: str, problem: Problem) -> ExportResult:
    return ExportResult(problems=[problem], failed=True, files=[ExportFile(path)])
