"""Inputs for the benchmark's scaling cases: growth with the size of one input, at N and 10N.

``python bench/scaling.py scan PAIRS OUTDIR [--links first|all]`` writes a project whose
page and one milestone description each hold PAIRS pairs of terms of Rubin's glossary
(an acronym-like word and a nonstandard term): the description as one text (``DM and
SQuaRE;``), shown in a catalogue, the page with the second term of each pair
emphasised (``DM and *SQuaRE*;``, a text node per pair in one paragraph), and a
project-wide acronym table.

``python bench/scaling.py export ROWS FILE`` writes a scheduling-system export of ROWS
rows in the 2018 CSV layout (the header and label row of tests/data/import/pmcs-201802-ME.csv),
for ``sphinxext-ldm import``. Like the real exports it has links in both lists, links to
activities outside the export, links only in the predecessor's successor list, list
cells cut at the export's 100-character limit, completed rows without an actual finish,
codes no level rule knows, and WBS ids with the month's project.

Both are deterministic: the same arguments (and ``--seed``) write the same bytes.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
GLOSSARY = HERE.parent / "data" / "lsst-texmf-glossarydefs.csv"

# -- acronym scanning -------------------------------------------------------------------

#: (acronym-like word, nonstandard term), all defined in Rubin's glossary.
PAIRS = [
    ("DM", "SQuaRE"),
    ("LSST", "LSSTCam"),
    ("DRP", "HiPS"),
    ("AP", "ObsTAP"),
    ("QA", "OpSim"),
    ("CI", "LaTeX"),
    ("API", "PanDA"),
    ("EFD", "I&T"),
]


def pairs_text(pairs: int, emphasis: bool = False) -> str:
    """``pairs`` pairs of terms in one paragraph: one text of them all, or with the
    second of each emphasised, a text node per pair in one paragraph."""
    second = "*{}*" if emphasis else "{}"
    chosen = (PAIRS[i % len(PAIRS)] for i in range(pairs))
    return " ".join(f"{a} and {second.format(b)};" for a, b in chosen)


def write_scan(pairs: int, root: Path, links: str = "first") -> None:
    """A project whose page and one milestone description hold ``pairs`` pairs of terms."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy(GLOSSARY, root / "glossarydefs.csv")
    (root / "conf.py").write_text(
        'extensions = ["sphinxext_ldm"]\n'
        'ldm_milestones_path = "milestones.yaml"\n'
        'ldm_acronyms_path = "glossarydefs.csv"\n'
        'ldm_acronym_tags = ["DM"]\n'
        f'ldm_acronym_links = "{links}"\n'
        'ldm_today = "2024-06-30"\n'
        'exclude_patterns = ["_build"]\n'
    )
    text = pairs_text(pairs) if pairs else "No terms."
    marked = pairs_text(pairs, emphasis=True) if pairs else "No terms."
    (root / "milestones.yaml").write_text(
        "milestones:\n"
        "  - code: DM-AP-1\n"
        "    name: Many terms\n"
        "    level: 3\n"
        "    due: 2024-01-01\n"
        f"    description: >-\n      {text}\n"
    )
    (root / "index.rst").write_text(
        "Acronym scanning\n================\n\n.. toctree::\n\n   page\n   catalogue\n   acronyms\n"
    )
    (root / "page.rst").write_text(f"Terms\n=====\n\n{marked}\n")
    (root / "catalogue.rst").write_text("Catalogue\n=========\n\n.. ldm-catalogue::\n")
    (root / "acronyms.rst").write_text(
        "Acronyms\n========\n\n.. ldm-acronyms::\n   :scope: project\n"
    )


# -- a big export ------------------------------------------------------------------------

HEADER = (
    "\ufefftask_code,status_code,wbs_id,task_name,pred_list,succ_list,start_date,"
    "base_end_date,act_end_date,delete_record_flag\n"
)
LABELS = (
    "Activity ID,Activity Status,WBS Code,Activity Name,(*)Predecessors,(*)Successors,"
    "(*)Start,(*)BL Project Finish,Actual Finish,Delete This Row\n"
)
TEAMS = ["AP", "DRP", "NCSA", "DAX", "SUIT", "LSP", "CPP", "QA"]
WORDS = [
    "Deliver",
    "Integrate",
    "Validate",
    "Deploy",
    "alert",
    "processing",
    "catalog",
    "service",
    "pipeline",
    "release",
    "calibration",
    "ingest",
]
LIST_LIMIT = 100


def _code(i: int) -> str:
    """Every sixth a level-2 test milestone, one in fifty of no known prefix (its level is
    unknown), the rest level-3 DM milestones by team."""
    if i % 50 == 49:
        return f"CAMM{i}"
    if i % 6 == 0:
        return f"LDM-503-{i}"
    return f"DM-{TEAMS[i % len(TEAMS)]}-{i}"


def _date(day: int) -> str:
    year, rest = divmod(day, 336)
    month, dom = divmod(rest, 28)
    return f"{month + 1}/{dom + 1}/{2017 + year % 12}"


def _cell(codes: list[str]) -> str:
    """A list cell as the export writes it: cut at its length limit."""
    text = ", ".join(codes)
    if len(text) > LIST_LIMIT:
        text = text[:LIST_LIMIT]
    return f'"{text}"' if "," in text else text


def write_export(rows: int, path: Path, seed: int = 564) -> None:
    """An export of ``rows`` activities in the 2018 CSV layout, written row by row."""
    rng = random.Random(seed)
    window = 200  # predecessors are among the previous rows, as in a plan's streams
    preds: dict[int, list[int]] = {}
    succs: dict[int, list[int]] = {}

    def plan(row: int) -> None:
        """Row's predecessors, and row in their successor lists."""
        chosen = sorted({rng.randrange(max(0, row - window), row) for _ in range(2)}) if row else []
        preds[row] = chosen
        for pred in chosen:
            succs.setdefault(pred, []).append(row)

    for row in range(min(rows, window + 1)):
        plan(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        out.write(LABELS)
        for i in range(rows):
            if i + window + 1 < rows:
                plan(i + window + 1)  # every successor of row i is planned by now
            pred_codes = [_code(j) for j in preds.pop(i)]
            succ_codes = [_code(j) for j in succs.pop(i, [])]
            roll = rng.random()
            if roll < 0.10:
                pred_codes.append(f"LSST-{i % 997}")  # outside the export
            elif roll > 0.95 and pred_codes:
                pred_codes.pop(0)  # only in the predecessor's successor list
            if 0.08 < roll < 0.10:  # a long list, cut by the export
                pred_codes += [_code(j) for j in range(max(0, i - 30), i - 2)]
            completed = rng.random() < 0.4
            by_status = completed and rng.random() < 0.03  # no actual finish
            day = i * 7 % 4000
            status = "Completed" if completed else "Not Started"
            name = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 7)))
            actual = _date(day) if completed and not by_status else ""
            out.write(
                f"{_code(i)},{status},LSST ME 18-02.02C.{i % 9:02d},{name.capitalize()} {i},"
                f"{_cell(pred_codes)},{_cell(succ_codes)},,{_date(day)} 5:00:00 PM,"
                f"{actual},\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    scan = sub.add_parser("scan", help="a project with PAIRS pairs of terms")
    scan.add_argument("pairs", type=int)
    scan.add_argument("outdir", type=Path)
    scan.add_argument("--links", choices=["first", "all"], default="first")
    export = sub.add_parser("export", help="an export of ROWS rows (2018 CSV layout)")
    export.add_argument("rows", type=int)
    export.add_argument("file", type=Path)
    export.add_argument("--seed", type=int, default=564)
    args = parser.parse_args()
    if args.what == "scan":
        write_scan(args.pairs, args.outdir, args.links)
    else:
        write_export(args.rows, args.file, args.seed)
    print(args.outdir if args.what == "scan" else args.file)


if __name__ == "__main__":
    main()
