"""What reading one workbook may take, so that a small file cannot take the memory or the
time of the machine.

Before a workbook's reader sees it: its size (xlrd holds the whole file in memory, with
every cell of a sheet); for an xlsx, what its members inflate to, as the archive declares
it, checked before anything is inflated (zipfile inflates no member beyond its declared
size, and checks its CRC); and that openpyxl reads its XML through defusedxml, which
refuses entity declarations (a billion-laughs bomb). While it is read: the cells taken
and the time spent, row by row.

The real monthly exports are about 3 MB, inflate (xlsx) to some tens of MB, hold about
180,000 cells and are read in under a second.
"""

from __future__ import annotations

import importlib
import io
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sphinxext_ldm.importers.exports import Cell
from sphinxext_ldm.inputs import GiB, MiB, size_text

MISSING_DEFUSEDXML = (
    "reading xlsx exports needs defusedxml, which keeps the workbook's XML from declaring "
    "entities; it is not installed, or OPENPYXL_DEFUSEDXML turns it off: "
    "pip install 'sphinxext-ldm[xlsx]'"
)

#: The size of a workbook file: xlrd holds it all in memory, with every cell of a sheet.
WORKBOOK_LIMIT = 128 * MiB
#: What an xlsx may inflate to, all its members together...
INFLATED_LIMIT = 1 * GiB
#: ... and how many times its compressed size a member over RATIO_FLOOR may inflate to
#: (spreadsheet XML inflates some 5 to 20 times; a zip bomb thousands of times).
MAX_RATIO = 100
RATIO_FLOOR = 10 * MiB
#: Cells read, all sheets together (openpyxl pads each row to the sheet's declared width,
#: so a small file can declare billions of empty ones).
MAX_CELLS = 10_000_000
#: Seconds spent reading, checked after each row.
MAX_SECONDS = 120.0


@dataclass(frozen=True)
class Limits:
    """How much reading one workbook may take (see the module constants)."""

    cells: int = MAX_CELLS
    seconds: float = MAX_SECONDS


DEFAULT_LIMITS = Limits()


class OverLimit(Exception):
    """Reading stopped at a limit; the message says which."""


class Budget:
    """Cells and time left for reading one workbook, spent row by row."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cells = 0
        self.deadline = time.monotonic() + limits.seconds

    def rows(self, sheet: str, rows: Iterable[Sequence[Cell]]) -> list[tuple[int, Sequence[Cell]]]:
        """The rows of ``sheet``, numbered as the spreadsheet numbers them."""
        numbered = []
        for number, row in enumerate(rows, start=1):
            self.cells += len(row)
            if self.cells > self.limits.cells:
                raise OverLimit(
                    f"the workbook has more than {self.limits.cells:,} cells "
                    f"(sheet {sheet}, row {number}); it is not read"
                )
            if time.monotonic() >= self.deadline:
                raise OverLimit(
                    f"reading the workbook took more than {self.limits.seconds:g} s "
                    f"(sheet {sheet}, row {number}); it is not read"
                )
            numbered.append((number, row))
        return numbered


def refusal(data: bytes, fmt: str, reader: Any) -> str | None:
    """Why a workbook is not read at all, before its reader sees it: its size, an xlsx
    that would inflate too much, an xlsx reader that would let its XML declare entities."""
    if len(data) > WORKBOOK_LIMIT:
        return (
            f"the workbook is {len(data):,} bytes, over the limit of "
            f"{size_text(WORKBOOK_LIMIT)} for workbooks; it is not read"
        )
    if fmt != "xlsx":
        return None
    if not getattr(reader, "DEFUSEDXML", False):
        return MISSING_DEFUSEDXML
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a zip archive after all: openpyxl says what it is
    # The sizes are those the archive declares: zipfile inflates no member beyond its
    # declared size (and checks its CRC), so they bound what reading can take.
    total = sum(member.file_size for member in members)
    if total > INFLATED_LIMIT:
        return (
            f"the workbook inflates to {size_text(total)}, over the limit of "
            f"{size_text(INFLATED_LIMIT)} (a zip bomb?); it is not read"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            return (
                f"{member.filename} inflates {ratio:,.0f} times ({size_text(member.file_size)} "
                f"from {size_text(member.compress_size)}), over the limit of {MAX_RATIO} times "
                f"for members over {RATIO_FLOOR // MiB} MiB (a zip bomb?); "
                "it is not read"
            )
    return None


def defused(exc: BaseException) -> BaseException | None:
    """defusedxml's refusal of the workbook's XML (a DTD with entities, an external
    reference) if that is what ``exc`` is, or is raised from (openpyxl wraps it)."""
    try:
        defusedxml = importlib.import_module("defusedxml")
    except ImportError:
        return None
    refused: type[BaseException] = defusedxml.DefusedXmlException
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, refused):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None
