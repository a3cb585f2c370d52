"""lsst-texmf's shared glossary, ``etc/glossarydefs.csv``, read as it is.

Columns: ``Term, Description, Subsystem Tags, Documentation Tags, Associated Acronyms
and Alternative Terms, Type`` (``A`` acronym, ``G`` glossary entry); UTF-8, usually with
a byte-order mark and CRLF line ends; subsystem tags separated by spaces. As in
lsst-texmf's acronym tables, only acronyms (``A``) are read: glossary entries are words
and phrases ("Butler", "Data Backbone") that would flood a document's acronym list.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sphinxext_ldm.acronyms import Acronym
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
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return [], [Problem("file", f"acronym file not found: {path}")]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem("file", f"cannot read acronym file {path}: {exc}", path, 1)]
    return parse_glossarydefs(text, path)


def parse_glossarydefs(text: str, path: str = "<string>") -> tuple[list[Acronym], list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header[: len(COLUMNS)]) != COLUMNS:
        expected = ", ".join(COLUMNS)
        return [], [Problem("schema", f"not a glossarydefs.csv header (want {expected})", path, 1)]
    acronyms: list[Acronym] = []
    problems: list[Problem] = []
    for row in reader:
        line = reader.line_num
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
