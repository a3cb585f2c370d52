"""Read LDM-564's section 3 out of the published text (tests/data/LDM-564.txt).

The text is a PDF-to-text conversion: bullets vary (``-``, ``•``, a leading space),
italics leave ``*`` marks, and figures and page breaks sit between the lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).parent / "data" / "LDM-564.txt"
HEADING = re.compile(r"^3\.(\d+)\s+(.+)$")


@dataclass
class SeedSection:
    number: str
    heading: str
    due_line: str = ""
    items: list[str] = field(default_factory=list)
    no_features: str = ""


def normalise(text: str) -> str:
    return " ".join(text.replace("*", "").split())


def seed_sections(path: Path = SEED) -> list[SeedSection]:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("3 Functionality in DM releases")
    end = lines.index("4 References")
    sections: list[SeedSection] = []
    for raw in lines[start + 1 : end]:
        line = raw.strip()
        if match := HEADING.match(line):
            sections.append(SeedSection(f"3.{match[1]}", normalise(match[2])))
        elif not sections:
            continue
        elif line.startswith("Due:"):
            sections[-1].due_line = normalise(line)
        elif line.startswith("No new functionality"):
            sections[-1].no_features = normalise(line)
        elif re.match(r"^[-•]?\s*DM-", line):
            sections[-1].items.append(normalise(re.sub(r"^[-•]\s*", "", line)))
    return sections


def seed_acronyms(path: Path = SEED) -> dict[str, str]:
    """The acronym table at the end of the seed: term -> definition.

    Wrapped definitions continue on lines with an empty first column; a line ending in a
    hyphen was hyphenated by the PDF ("in-" + "stalled"). The PDF text spells the acronym
    CCOB in Cyrillic letters.
    """
    text = path.read_text(encoding="utf-8")
    table: dict[str, str] = {}
    last = ""
    for line in text[text.index("Acronym\tDescription") :].splitlines()[1:]:
        if "\t" not in line:
            continue
        term, definition = (part.strip() for part in line.split("\t", 1))
        if term:
            last = term.replace("\u0421\u0421\u041e\u0412", "CCOB")  # Cyrillic look-alikes
            table[last] = definition
        elif table[last].endswith("-"):
            table[last] = table[last][:-1] + definition
        else:
            table[last] += " " + definition
    return table
