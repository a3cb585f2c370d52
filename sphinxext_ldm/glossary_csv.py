"""lsst-texmf's shared glossary, ``etc/glossarydefs.csv``, read as it is.

Columns: ``Term, Description, Subsystem Tags, Documentation Tags, Associated Acronyms
and Alternative Terms, Type`` (``A`` acronym, ``G`` glossary entry); UTF-8, usually with
a byte-order mark and CRLF line ends; subsystem tags separated by spaces. As in
lsst-texmf's acronym tables, only acronyms (``A``) are read: glossary entries are words
and phrases ("Butler", "Data Backbone") that would flood a document's acronym list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sphinxext_ldm.acronyms import Acronym
from sphinxext_ldm.inputs import DATA_LIMIT, csv_reader, read_text
from sphinxext_ldm.problems import Problem

COLUMNS = (
    "Term",
    "Description",
    "Subsystem Tags",
    "Documentation Tags",
    "Associated Acronyms and Alternative Terms",
    "Type",
)


def read_glossarydefs(path: str) -> tuple[list[Acronym], list[Problem]]:
    text = read_text(path, "acronym file", DATA_LIMIT)
    if isinstance(text, Problem):
        return [], [text]
    return parse_glossarydefs(text, path)


def parse_glossarydefs(text: str, path: str = "<string>") -> tuple[list[Acronym], list[Problem]]:
    problems: list[Problem] = []
    records = _records(text, path, problems)
    first = next(records, None)
    header = first[1] if first is not None else None
    if header is None or tuple(h.strip() for h in header[: len(COLUMNS)]) != COLUMNS:
        expected = ", ".join(COLUMNS)
        return [], [Problem("schema", f"not a glossarydefs.csv header (want {expected})", path, 1)]
    acronyms: list[Acronym] = []
    for line, row in records:
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row] + [""] * len(COLUMNS)
        term, definition, tags, _, alternatives, kind = cells[: len(COLUMNS)]
        if not term or not definition:
            missing = "Term" if not term else "Description"
            problems.append(
                Problem("missing-field", f"a row has no {missing}; it is left out", path, line)
            )
            continue
        if kind != "A":
            continue
        acronyms.append(
            Acronym(
                term,
                definition,
                tags=tuple(tags.split()),
                alternatives=tuple(a.strip() for a in re.split(r"[,;]", alternatives) if a.strip()),
                path=path,
                line=line,
            )
        )
    return acronyms, problems


#: A line with its line break (\r\n, \n or \r, where the csv module ends lines), or the
#: last line without one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
#: The types of rows in the file: acronyms and glossary entries.
TYPES = ("A", "G")


def _records(text: str, path: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """The CSV records of ``text``, each with the line it starts on.

    A quoted field may hold line breaks (lsst-texmf's file has a description over two
    lines), so a stray ``"`` at the start of a field makes the csv module read every line
    up to the next quote as part of that field, and the definitions on them would be lost
    without a word. A record with a line break in a field that holds a whole row (see
    :func:`_stray_quote`) is such a stray quote: its row is reported and left out, and
    reading starts again on the next line, so that the rows it swallowed are read on
    their own.
    """
    lines = _LINE.findall(text)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"  # so that a quote left open on the last row shows like any other
    start = 0  # index of the line the next record starts on
    while start < len(lines):
        base = start
        reader = csv_reader(lines[i] for i in range(base, len(lines)))
        for row in reader:
            end = base + reader.line_num
            if _stray_quote(row, lines[start:end]):
                problems.append(
                    Problem(
                        "csv",
                        f'a stray quote ("): a quoted field opens on this row and would run on '
                        f"to line {end}, taking in the rows between; this "
                        "row is left out and the rows after it are read on their own",
                        path,
                        start + 1,
                    )
                )
                start += 1
                break
            yield start + 1, row
            start = base + reader.line_num
        else:
            return


def _stray_quote(row: list[str], record: list[str]) -> bool:
    """Whether a record, the lines it was read from, runs over rows: a line break in a
    field, and one of its lines but the last (which holds the closing quote) a whole row
    by itself, its quotes taken as plain characters."""
    if not any("\n" in cell or "\r" in cell for cell in row):
        return False
    for line in record[:-1] or record:
        alone = next(csv_reader([line], quotes=False), [])
        if len(alone) >= len(COLUMNS) and alone[len(COLUMNS) - 1].strip() in TYPES:
            return True
    return False
