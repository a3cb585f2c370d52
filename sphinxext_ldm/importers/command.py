"""``sphinxext-ldm import``: exports in, a milestone data file and a change report out.

Reads the exports and the overrides, merges them into the data file being updated (or a
new one), checks the result with the build's loader, writes it, and says what it did:
problems as ``FILE:ROW: subtype: COLUMN: message``, then a summary of what the import
could not take as it is (unknown levels, links outside the export, cut cells), then what
changed. Everything but the YAML goes to standard error.

Files are written whole or not at all, the data file last, and only once every output is
known to be writable (:mod:`.write_files`).

Exit status: 0 when every row was read and the result loads without problems; 1 when
there were problems (the readable rows are still imported) or when nothing could be
written (an export or the overrides could not be read at all, the file to update has
problems of its own: fix those first, ``sphinxext-ldm check FILE`` lists them, or an
output cannot be written).
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sphinxext_ldm.changes import compare
from sphinxext_ldm.history import Snapshot
from sphinxext_ldm.importers.comments import Comments, orphaned, read_comments
from sphinxext_ldm.importers.exports import BASELINE_EXPORT, ExportFile, ExportResult
from sphinxext_ldm.importers.merge import ImportReport, LevelRules, merge
from sphinxext_ldm.importers.overrides import NOT_IMPORTED, Overrides, read_overrides
from sphinxext_ldm.importers.sources import choose_export, read_exports
from sphinxext_ldm.importers.write_files import Output, check_output, clear_leftovers, write_files
from sphinxext_ldm.importers.yaml_writer import write_milestones
from sphinxext_ldm.inputs import DATA_LIMIT, read_text
from sphinxext_ldm.load import load_milestones_text
from sphinxext_ldm.model import Catalog
from sphinxext_ldm.problems import Problem
from sphinxext_ldm.query import natural_key
from sphinxext_ldm.render.changes import render

#: A monthly export's name starts with its month (``201904-ME.xls``, ``pmcs-201904``...).
MONTH_NAME = re.compile(r"(?:\D*?)(?P<year>(?:19|20)\d\d)(?P<month>\d\d)(?!\d)")

#: Change report formats by the suffix of ``--changes``.
CHANGE_FORMATS = {".rst": "rst", ".md": "md"}


@dataclass
class ImportOptions:
    #: Exports, or directories of monthly exports (the newest month-end export is read).
    exports: Sequence[str]
    local: str | None = None
    into: str | None = None
    changes: str | None = None
    rules: LevelRules = field(default_factory=LevelRules)
    #: Baseline-project exports: they give the milestones' baseline dates only.
    baselines: Sequence[str] = ()
    #: The export to take from a directory of monthly exports, instead of the newest.
    export_name: str | None = None
    #: The exports are known to have no links: the data file's links are kept.
    no_links: bool = False
    #: Also write a snapshot (the milestones as of the report date) into this directory.
    snapshot: str | None = None
    #: The snapshot's report date; default: the end of the export's month (YYYYMM name).
    as_of: datetime.date | None = None


def run_import(
    options: ImportOptions, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the import; the exit status."""
    out, err = stdout or sys.stdout, stderr or sys.stderr

    def say(*lines: str) -> None:
        for line in lines:
            print(line, file=err)

    def stop(found: Iterable[Problem], why: str) -> int:
        say(*map(str, found))
        say(f"Nothing was written: {why}.")
        return 1

    outputs, found = check_outputs(options)
    if found:
        return stop(found, "an output file cannot be written")
    for output in outputs.values():
        cleared, found = clear_leftovers(output)
        say(*cleared)
        if found:
            return stop(found, "an output file cannot be written")

    paths, notes = [], []
    for given in options.exports:
        if not Path(given).is_dir():
            paths.append(given)
            continue
        chosen = choose_export(given, options.export_name)
        if isinstance(chosen, Problem):
            return stop([chosen], "no export to read")
        paths.append(chosen.path)
        notes.append(chosen.note)
    say(*notes)
    as_of = options.as_of
    if options.snapshot is not None:
        as_of = as_of or month_end(paths)
        if as_of is None:
            problem = Problem(
                "missing-field",
                "--snapshot needs the report date: name the export by its month "
                "(201904-ME.xls) or give --as-of YYYY-MM-DD",
            )
            return stop([problem], "the snapshot has no report date")
        checked = check_output(str(Path(options.snapshot, f"{as_of.isoformat()}.yaml")))
        if isinstance(checked, Problem):
            return stop([checked], "an output file cannot be written")
        cleared, found = clear_leftovers(checked)
        say(*cleared)
        if found:
            return stop(found, "an output file cannot be written")
        outputs["snapshot"] = checked
    export = read_exports(paths, options.baselines)
    problems = list(export.problems)
    overrides: Overrides | None = Overrides()
    if options.local:
        overrides, found = read_overrides(options.local)
        problems += found
    if export.failed or overrides is None:
        # Going on would remove the milestones of the missing export, or hand fields.
        return stop(problems, "an export or the overrides file could not be read")
    unlinked = [f for f in export.forecast_files if not f.has_links]
    if unlinked and not options.no_links:
        return stop([*problems, *map(missing_links, unlinked)], "the links would be lost")

    old, comments = Catalog(), new_file_comments(options, paths)
    into = Path(options.into) if options.into else None
    updating = into is not None and into.exists()
    if not export.forecast_files and not updating:
        problem = Problem(
            "missing-field",
            "baseline exports give baseline dates only: give the month-end export too, "
            "or --into a data file to update its baselines",
        )
        return stop([*problems, problem], "a baseline export alone makes no data file")
    say(*map(str, problems))
    if into is not None and updating:
        # Read once: the file checked is the file whose comments are kept.
        text = read_text(into, "milestone data file", DATA_LIMIT)
        if isinstance(text, Problem):
            return stop([text], f"{into} could not be read")
        loaded = load_milestones_text(text, str(into))
        if loaded.problems:
            return stop(
                loaded.problems,
                f"{into} has problems of its own; fix them first (sphinxext-ldm check {into})",
            )
        old = loaded.catalog
        comments = read_comments(text)

    merged = merge(export, overrides, old, options.rules)
    # What the summary says of the rows is in the report and export.files from here on;
    # the rows, and the milestones once written, are let go (at a million rows each is
    # a gigabyte, and the check below reads the milestones again).
    export.rows = []
    text = write_milestones(merged.milestones, comments)
    merged.milestones = []
    result = load_milestones_text(text, options.into or "<stdout>")
    say(*map(str, result.problems))
    problems += result.problems
    changes = compare(old, result.catalog)
    files = []
    if "snapshot" in outputs and as_of is not None:
        header = [
            *new_file_comments(options, paths).header,
            "# A snapshot: the schedule as of its report date.",
        ]
        kept = Snapshot.of(as_of, result.catalog).milestones()
        snapshot = write_milestones(kept, Comments(header=header), as_of)
        files.append((outputs["snapshot"], snapshot))
    if options.changes:
        fmt = CHANGE_FORMATS[Path(options.changes).suffix.lower()]
        sources = ", ".join(Path(path).name for path in [*paths, *options.baselines])
        target = into.name if into else "a new file"
        report = render(changes, fmt, f"Import of {sources} into {target}")
        files.append((outputs["changes"], report))
    if "into" in outputs:  # last: it changes only if the report could be written
        files.append((outputs["into"], text))
    written = write_files(files)
    if written.problems:
        say(*map(str, written.problems))
        if not written.written:
            say("Nothing was written: an output file cannot be written.")
        else:  # the snapshot or report went in, the data file (last) could not
            went_in = " and ".join(output.given for output in written.written)
            verb = "was" if len(written.written) == 1 else "were"
            say(f"{went_in} {verb} written, but {into} is unchanged.")
        return 1
    if not options.into:
        out.write(text)
    if "snapshot" in outputs:
        say(f"Wrote the snapshot as of {as_of} to {outputs['snapshot'].given}.")

    say(*map(file_summary, export.files))
    where = options.into or "standard output"
    say(f"Wrote {len(result.catalog)} milestone(s) to {where}: {level_counts(result.catalog)}.")
    say(*summary(merged.report, export, overrides))
    removed = orphaned(comments, result.catalog.milestones)
    if removed:
        say(
            f"The comments of removed milestone(s) {', '.join(removed)} are kept at the end "
            f"of {into}."
        )
    if updating:
        say("", render(changes, "text", f"Changes to {into}").rstrip())
    if problems:
        say(f"{len(problems)} problem(s); the readable rows were imported.")
    return 1 if problems else 0


def month_end(paths: Sequence[str]) -> datetime.date | None:
    """The last day of the month the first export is named by (``201904-ME.xls``)."""
    for path in paths:
        match = MONTH_NAME.match(Path(path).name)
        if match and 1 <= int(match["month"]) <= 12:
            year, month = int(match["year"]), int(match["month"])
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
    return None


def missing_links(export: ExportFile) -> Problem:
    """An export that does not say how its activities link: every release would lose
    its features (a spreadsheet's "Save as CSV" keeps the TASK sheet alone)."""
    return Problem(
        "missing-links",
        "the export has no links: no pred_list or succ_list column and no TASKPRED sheet "
        "(a TASK sheet saved alone as CSV?); import the workbook itself, or pass --no-links "
        "to import it without links (an updated file keeps its own)",
        export.path,
        1,
    )


def file_summary(export: ExportFile) -> str:
    if export.kind == BASELINE_EXPORT:
        return (
            f"Read {export.rows} row(s) from {export.path} as a baseline export "
            f"({export.why}): their baseline dates only."
        )
    links = "" if export.has_links else ", without links"
    return f"Read {export.rows} row(s) from {export.path}{links}."


def new_file_comments(options: ImportOptions, paths: Sequence[str]) -> Comments:
    """The header of a new data file: where its data came from (no date, so that the
    same import always writes the same file)."""
    header = ["# Milestones imported by `sphinxext-ldm import` from:"]
    header += [f"#   {Path(path).name}" for path in [*paths, *options.baselines]]
    if options.local:
        header.append(f"# with the overrides of {Path(options.local).name}.")
    return Comments(header=header)


def level_counts(catalog: Catalog) -> str:
    counts = Counter(m.level for m in catalog)
    parts = [f"{counts[level]} at level {level}" for level in sorted(counts, key=_level_order)]
    if None in counts:
        parts[-1] = f"{counts[None]} of unknown level"
    return ", ".join(parts) or "none"


def _level_order(level: int | None) -> int:
    return 99 if level is None else level


def summary(report: ImportReport, export: ExportResult, overrides: Overrides) -> list[str]:
    """What the import could not take as it is, each with the codes concerned."""
    lines: list[str] = []
    for file in export.files:
        if file.not_milestones:
            kinds = ", ".join(f"{n} {kind}" for kind, n in file.not_milestones.most_common())
            total = sum(file.not_milestones.values())
            lines.append(
                f"Left out {total} row(s) of {Path(file.path).name} that are not milestones "
                f"(task_type: {kinds})."
            )
        if file.wbs_prefixes:
            prefixes = ", ".join(sorted(file.wbs_prefixes))
            lines.append(
                f"WBS ids are stored without the month's project ({prefixes}), so that "
                "they stay the same from month to month."
            )
    if report.overridden:
        said = ", ".join(f"{name} of {n}" for name, n in sorted(report.overridden.items()))
        lines.append(f"The overrides replaced the export's {said} milestone(s).")
    if overrides.not_imported:
        said = ", ".join(
            f"'{key}' on {n} ({NOT_IMPORTED[key]})"
            for key, n in sorted(overrides.not_imported.items())
        )
        lines.append(f"Not imported from the overrides (no such field in the data format): {said}.")
    if export.baselines:
        lines.append(f"Baseline dates from the baseline export(s): {report.baselines_set}.")
    if report.baseline_only:
        lines += _listing(
            f"{len(report.baseline_only)} milestone(s) of the baseline export(s) are not "
            "imported (the month-end export or the data file does not have them):",
            report.baseline_only,
        )
    if report.not_in_baseline:
        lines += _listing(
            f"{len(report.not_in_baseline)} milestone(s) are not in the baseline export(s); "
            "their baseline is kept as it was:",
            report.not_in_baseline,
        )
    if report.level_sources:
        sources = ", ".join(
            f"{n} from {where}" for where, n in sorted(report.level_sources.items())
        )
        lines.append(f"Levels: {sources}.")
    if report.unknown_level:
        lines += _listing(
            f"{len(report.unknown_level)} milestone(s) of unknown level (no level in the "
            "export, the data file, the overrides or the level rules; 'level' left out):",
            report.unknown_level,
        )
    if report.external:
        lines += _listing(
            f"{report.external_links} predecessor link(s) name {len(report.external)} "
            "activities outside the export; the links are left out:",
            sorted(report.external, key=natural_key),
        )
    if report.unimported:
        lines += _listing(
            "Predecessor links to rows that were left out (see the problems above):",
            sorted(report.unimported, key=natural_key),
        )
    if report.recovered:
        lines += _listing(
            f"{len(report.recovered)} link(s) are only in the predecessor's successor list "
            "(the export cuts long lists); they are kept:",
            [f"{pred} -> {succ}" for pred, succ in report.recovered],
        )
    if report.cut:
        lines += _listing(
            f"{len(report.cut)} cell(s) are cut at the export's length limit (a cut-off last "
            "code is left out; a cut name can be replaced in the overrides):",
            [f"{code} {column}" for code, column in report.cut],
        )
    if report.completed_by_status:
        lines += _listing(
            f"{len(report.completed_by_status)} milestone(s) are completed by their status "
            "but have no actual finish; their date is taken as the completion date:",
            report.completed_by_status,
        )
    if report.kept_unreadable:
        lines += _listing(
            "Kept unchanged, because their rows could not be read:", report.kept_unreadable
        )
    if report.unused_overrides:
        lines += _listing(
            f"{len(report.unused_overrides)} override(s) name no imported milestone "
            "and are not used:",
            report.unused_overrides,
        )
    return lines


def _listing(intro: str, items: Iterable[str], width: int = 100) -> list[str]:
    """``intro``, then the items comma-separated on indented lines, never breaking an
    item (codes may hold spaces and hyphens)."""
    lines, line = [intro], ""
    for item in items:
        if line and len(line) + len(item) + 2 > width:
            lines.append(line + ",")
            line = ""
        line = f"{line}, {item}" if line else f"  {item}"
    return [*lines, line] if line else lines


def check_outputs(options: ImportOptions) -> tuple[dict[str, Output], list[Problem]]:
    """The files the import will write, by option, each checked before anything is read
    or written: a run that cannot write its report must not first rewrite the data file."""
    outputs: dict[str, Output] = {}
    problems: list[Problem] = []
    for option, path in (("into", options.into), ("changes", options.changes)):
        if path is not None:
            checked = check_output(path)
            if isinstance(checked, Problem):
                problems.append(checked)
            else:
                outputs[option] = checked
    if "into" in outputs and "changes" in outputs:
        data, report = outputs["into"], outputs["changes"]
        if _same_file(data.target, report.target):
            problems.append(report.problem(f"it is the data file {data.given}"))
    return outputs, problems


def _same_file(one: Path, other: Path) -> bool:
    """The same path, or two names of one file (a hard link)."""
    try:
        return one == other or os.path.samefile(one, other)
    except FileNotFoundError:
        return False
