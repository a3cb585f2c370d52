"""``sphinxext-ldm`` (also ``python -m sphinxext_ldm``): tools that need no Sphinx build.

``check`` validates milestone data files with the same loader as the build, so it prints
exactly the problems a build would warn about. ``import`` turns the scheduling system's
exports into a milestone data file, or updates one, and reports what changed
(:mod:`sphinxext_ldm.importers.command`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sphinxext_ldm.changes import compare
from sphinxext_ldm.importers.command import CHANGE_FORMATS, ImportOptions, run_import
from sphinxext_ldm.importers.merge import DEFAULT_LEVEL_RULES, LevelRules
from sphinxext_ldm.load import load_milestones
from sphinxext_ldm.model import Catalog
from sphinxext_ldm.problems import Problem
from sphinxext_ldm.render.changes import render

DEFAULT_DATA = Path("data", "milestones.yaml")


def check(paths: Sequence[str], output: str) -> int:
    """Print every problem in ``paths``; 1 if there is any, else 0."""
    problems: list[Problem] = []
    total = 0
    for path in paths:
        result = load_milestones(path)
        problems.extend(result.problems)
        total += len(result.catalog)
    if output == "json":
        print(json.dumps([as_json(p) for p in problems], indent=2, ensure_ascii=False))
    elif output == "github":
        for problem in problems:
            print(github_annotation(problem))
    else:
        for problem in problems:
            print(problem)
        summary = f"{len(problems)} problem(s) in {len(paths)} file(s), {total} milestone(s) loaded"
        print(summary, file=sys.stderr)
    return 1 if problems else 0


def as_json(problem: Problem) -> dict[str, object]:
    return {
        "path": problem.path,
        "line": problem.line,
        "type": "ldm",
        "subtype": problem.subtype,
        "message": problem.message,
    }


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command, so problems show on the pull request's lines."""
    where = ""
    if problem.path is not None:
        where = f" file={problem.path}"
        if problem.line:
            where += f",line={problem.line}"
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::error{where},title=ldm.{problem.subtype}::{message}"


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="sphinxext-ldm", description="Tools for sphinxext-ldm milestone data."
    )
    commands = main.add_subparsers(dest="command", required=True)
    checker = commands.add_parser(
        "check",
        help="validate milestone YAML files as a Sphinx build would",
        description="Validate milestone YAML files. Prints file:line: subtype: message for "
        "each problem (the build's ldm.<subtype> warnings); exits 1 if there is any.",
    )
    checker.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=f"milestone data files (default: {DEFAULT_DATA})",
    )
    checker.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        dest="output",
        help="text (default), json (a list of problems), or github (workflow annotations)",
    )
    add_import_parser(commands)
    differ = commands.add_parser(
        "changes",
        help="report what changed between two milestone data files",
        description="Compare two milestone data files (an older and a newer one): milestones "
        "added and removed, newly completed, completions withdrawn, due dates moved (slip in "
        "days) and renamed, as text, reStructuredText or Markdown on standard output.",
    )
    differ.add_argument("old", metavar="OLD", help="the earlier data file")
    differ.add_argument("new", metavar="NEW", help="the later data file")
    differ.add_argument(
        "--format",
        choices=("text", "rst", "md"),
        default="text",
        dest="output",
        help="text (default), rst or md",
    )
    differ.add_argument(
        "--levels",
        metavar="N[,N...]",
        type=levels_list,
        default=None,
        help="compare only milestones at these levels (e.g. 2,3)",
    )
    return main


def add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    defaults = ", ".join(f"{prefix}={level}" for prefix, level in DEFAULT_LEVEL_RULES)
    importer = commands.add_parser(
        "import",
        help="turn scheduling-system exports into milestone YAML, or update a file from them",
        description="Read the scheduling system's exports (xls, xlsx or CSV) and write "
        "milestone YAML: to standard output, or into a data file, which is updated (hand-kept "
        "fields and comments stay) with a report of what changed. Problems, the report and "
        "the changes go to standard error; exits 1 if there was any problem.",
    )
    importer.add_argument(
        "exports",
        nargs="+",
        metavar="EXPORT",
        help="month-end exports: .xls (needs xlrd), .xlsx (needs openpyxl) or CSV, or a "
        "directory of monthly exports named YYYYMM-ME.xls, of which the newest is read; "
        "exports named -BL (or with a baseline's columns) give baseline dates only",
    )
    importer.add_argument(
        "--export",
        metavar="NAME",
        dest="export_name",
        help="with a directory: read this export instead of the newest (a file name, or "
        "its month: 201903)",
    )
    importer.add_argument(
        "--baseline",
        metavar="BL_EXPORT",
        action="append",
        default=[],
        dest="baselines",
        help="a baseline-project export: fills the milestones' baseline dates, nothing else; "
        "repeatable",
    )
    importer.add_argument(
        "--no-links",
        action="store_true",
        help="import exports that have no links (no pred_list/succ_list column, no TASKPRED "
        "sheet): an updated file keeps its links, a new one has none",
    )
    importer.add_argument(
        "--local",
        metavar="OVERRIDES",
        help="the original tool's overrides (local.yaml, or local.json before 2020): "
        "description, test_spec, short_name, jira, level, name, due, completed, wbs and "
        "predecessors by code",
    )
    importer.add_argument(
        "--into",
        metavar="FILE",
        help="the milestone data file to write or update (default: write to standard output)",
    )
    importer.add_argument(
        "--snapshot",
        metavar="DIR",
        help="also write a snapshot of the milestones as of the report date into DIR "
        "(DIR/YYYY-MM-DD.yaml), for the schedule's history (ldm_history_path)",
    )
    importer.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        type=iso_date,
        help="the snapshot's report date (default: the last day of the export's month, "
        "from its YYYYMM name)",
    )
    importer.add_argument(
        "--changes",
        metavar="FILE",
        type=changes_path,
        help="also write the change report to FILE, as reStructuredText (.rst) or Markdown (.md)",
    )
    importer.add_argument(
        "--level-rule",
        metavar="PREFIX=LEVEL",
        action="append",
        default=[],
        dest="level_rules",
        type=level_rule,
        help=f"level of codes starting with PREFIX, where the export, the data file and the "
        f"overrides give none; repeatable, the longest prefix wins (built in: {defaults})",
    )


def levels_list(value: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of levels: {value!r}") from None


def changes(old_path: str, new_path: str, output: str, levels: frozenset[int] | None) -> int:
    """Print what changed from ``old_path`` to ``new_path``; 1 if either has problems."""
    old, new = load_milestones(old_path), load_milestones(new_path)
    for problem in old.problems + new.problems:
        print(problem, file=sys.stderr)
    if old.problems or new.problems:
        return 1
    old_catalog, new_catalog = old.catalog, new.catalog
    if levels:
        # Only the milestones are compared: no need to link the filtered sets.
        old_catalog = Catalog({m.code: m for m in old.catalog if m.level in levels})
        new_catalog = Catalog({m.code: m for m in new.catalog if m.level in levels})
    intro = f"From {Path(old_path).name} to {Path(new_path).name}"
    print(render(compare(old_catalog, new_catalog), output, intro))
    return 0


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from None


def level_rule(value: str) -> tuple[str, int]:
    try:
        return LevelRules.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def changes_path(value: str) -> str:
    if Path(value).suffix.lower() not in CHANGE_FORMATS:
        raise argparse.ArgumentTypeError(
            f"the change report is written as .rst or .md, not {value!r}"
        )
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "check":
        return check(args.paths or [str(DEFAULT_DATA)], args.output)
    if args.command == "import":
        rules = LevelRules.with_rules(args.level_rules)
        options = ImportOptions(
            args.exports,
            args.local,
            args.into,
            args.changes,
            rules,
            baselines=args.baselines,
            export_name=args.export_name,
            no_links=args.no_links,
            snapshot=args.snapshot,
            as_of=args.as_of,
        )
        try:
            return run_import(options)
        except KeyboardInterrupt:
            # Each file is written whole or not at all, so there is nothing to clean up.
            print("Interrupted: no file was left half-written.", file=sys.stderr)
            return 130
    if args.command == "changes":
        return changes(args.old, args.new, args.output, args.levels)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
