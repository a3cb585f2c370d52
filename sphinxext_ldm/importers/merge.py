"""Combine export rows, overrides and an existing data file into milestones.

Who owns which field:

- the forecast export owns ``name``, ``due``, ``baseline``, ``completed``,
  ``predecessors``, ``wbs``, and ``level`` where it has a level column (each only when
  its export has the column: an export without ``base_end_date`` leaves ``baseline`` as
  the file has it);
- a baseline export owns ``baseline`` alone, and wins over the forecast export's
  ``base_end_date``; given without a forecast export, it updates the baselines of the
  data file's milestones and nothing else;
- the overrides file wins over the export for ``name``, ``level``, ``due``,
  ``completed``, ``wbs`` and ``predecessors``, as in the original tool;
- the hand-kept fields ``description``, ``short_name``, ``test_spec``, ``jira`` (and
  ``level`` where the export has none) come from the existing data file, else from the
  overrides; ``level`` last from the code-prefix rules, else it is left out and reported.

Links are what the export says in both directions: a row's predecessor list, and the
rows whose successor lists name it (this recovers links the export cut off). Links to
activities outside the export are left out and reported; milestones of the existing
file that the export no longer has are removed, except those whose row was unreadable.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sphinxext_ldm.importers.exports import ExportResult, ExportRow
from sphinxext_ldm.importers.overrides import Override, Overrides
from sphinxext_ldm.load import LEVELS
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.query import natural_key

#: LDM-564's convention: the LDM-503 test milestones are level 2, DM's own level 3.
DEFAULT_LEVEL_RULES: tuple[tuple[str, int], ...] = (("LDM-503", 2), ("DM-", 3))


@dataclass(frozen=True)
class LevelRules:
    """Levels by code prefix; the longest matching prefix wins."""

    rules: tuple[tuple[str, int], ...] = DEFAULT_LEVEL_RULES

    @classmethod
    def with_rules(cls, extra: Iterable[tuple[str, int]]) -> LevelRules:
        """The default rules, extended (or, for the same prefix, replaced) by ``extra``."""
        return cls(tuple({**dict(DEFAULT_LEVEL_RULES), **dict(extra)}.items()))

    @staticmethod
    def parse(spec: str) -> tuple[str, int]:
        """``PREFIX=LEVEL`` as a rule; ValueError for anything else."""
        prefix, sep, level = spec.partition("=")
        if not sep or not prefix.strip() or not level.strip().isdigit():
            raise ValueError(f"not a level rule PREFIX=LEVEL: {spec!r}")
        if int(level) not in LEVELS:
            raise ValueError(f"the level must be 1 to 4: {spec!r}")
        return prefix.strip(), int(level)

    def match(self, code: str) -> tuple[str, int] | None:
        """The longest rule whose prefix ``code`` starts with."""
        found = [(prefix, level) for prefix, level in self.rules if code.startswith(prefix)]
        return max(found, key=lambda rule: len(rule[0]), default=None)


@dataclass
class ImportReport:
    """What the import found that is not a problem with a row, but must not go unsaid."""

    #: Where each milestone's level came from: "export", "data file", "overrides",
    #: "rule PREFIX=LEVEL"; codes without one are in ``unknown_level``.
    level_sources: Counter[str] = field(default_factory=Counter)
    unknown_level: list[str] = field(default_factory=list)
    #: Predecessor codes that are not in the export -> the milestones naming them.
    external: dict[str, list[str]] = field(default_factory=dict)
    #: Predecessor codes whose rows were left out -> the milestones naming them.
    unimported: dict[str, list[str]] = field(default_factory=dict)
    #: (predecessor, successor) links found only in the predecessor's successor list.
    recovered: list[tuple[str, str]] = field(default_factory=list)
    #: (code, column) of cells the export cut at its length limit.
    cut: list[tuple[str, str]] = field(default_factory=list)
    completed_by_status: list[str] = field(default_factory=list)
    #: Milestones of the existing file kept unchanged because their row was unreadable.
    kept_unreadable: list[str] = field(default_factory=list)
    #: Override codes that name no imported milestone.
    unused_overrides: list[str] = field(default_factory=list)
    #: Export fields the overrides replaced -> on how many milestones.
    overridden: Counter[str] = field(default_factory=Counter)
    #: Milestones whose baseline a baseline export gave.
    baselines_set: int = 0
    #: Codes in a baseline export that the forecast export (or the data file) lacks.
    baseline_only: list[str] = field(default_factory=list)
    #: Milestones a baseline export given alone does not name: their baseline is kept.
    not_in_baseline: list[str] = field(default_factory=list)

    @property
    def external_links(self) -> int:
        return sum(len(codes) for codes in self.external.values())


@dataclass
class MergeResult:
    milestones: list[Milestone]
    report: ImportReport


def merge(
    export: ExportResult,
    overrides: Overrides | None = None,
    existing: Catalog | None = None,
    rules: LevelRules | None = None,
) -> MergeResult:
    """The milestones an import produces (in no particular order), and its report."""
    overrides = overrides or Overrides()
    existing = existing or Catalog()
    rules = rules or LevelRules()
    report = ImportReport()
    baselines = {row.code: row.baseline for row in export.baselines}
    if not export.forecast_files:
        return _update_baselines(existing, baselines, report)
    kept = [m for code in sorted(export.unreadable) if (m := existing.get(code)) is not None]
    report.kept_unreadable = [m.code for m in kept]
    known = {row.code for row in export.rows} | set(report.kept_unreadable)
    links = _links(export, known, report)
    milestones = []
    for row in export.rows:
        old = existing.get(row.code)
        override = overrides.get(row.code)
        if override is not None and override.predecessors is not None:
            predecessors = _overridden_links(row.code, override.predecessors, known, report)
        elif "predecessors" in row.owned:
            predecessors = links[row.code]
        else:  # an export without link columns keeps the file's links that lead somewhere
            predecessors = [code for code in old.predecessors if code in known] if old else []
        if row.code in baselines:
            report.baselines_set += 1
            row = dataclasses.replace(
                row, baseline=baselines[row.code], owned=row.owned | {"baseline"}
            )
        milestones.append(_milestone(row, override, old, predecessors, rules, report))
    milestones.extend(kept)
    for row in export.rows:
        report.cut.extend((row.code, column) for column in row.cut)
        if row.completed_by_status:
            report.completed_by_status.append(row.code)
    codes = {m.code for m in milestones}
    report.baseline_only = sorted(set(baselines) - codes, key=natural_key)
    report.unused_overrides = sorted(set(overrides.by_code) - codes, key=natural_key)
    report.unknown_level.sort(key=natural_key)
    return MergeResult(milestones, report)


def _update_baselines(
    existing: Catalog, baselines: dict[str, datetime.date | None], report: ImportReport
) -> MergeResult:
    """Baseline exports alone: the data file's milestones with their new baselines."""
    milestones = []
    for milestone in existing:
        if milestone.code in baselines:
            report.baselines_set += 1
            milestone = dataclasses.replace(milestone, baseline=baselines[milestone.code])
        else:
            report.not_in_baseline.append(milestone.code)
        milestones.append(milestone)
    report.not_in_baseline.sort(key=natural_key)
    report.baseline_only = sorted(set(baselines) - set(existing.milestones), key=natural_key)
    return MergeResult(milestones, report)


def _overridden_links(
    code: str, predecessors: tuple[str, ...], known: set[str], report: ImportReport
) -> list[str]:
    """An override's predecessors that are imported; the others are reported."""
    report.overridden["predecessors"] += 1
    for pred in predecessors:
        if pred not in known:
            report.external.setdefault(pred, []).append(code)
    return sorted((p for p in predecessors if p in known), key=natural_key)


def _links(export: ExportResult, known: set[str], report: ImportReport) -> dict[str, list[str]]:
    """Each imported code's predecessors, from both directions of the export's lists."""
    links: dict[str, dict[str, None]] = {row.code: {} for row in export.rows}
    for row in export.rows:
        for pred in row.predecessors:
            if pred in known:
                links[row.code][pred] = None
            elif pred in export.unreadable:
                report.unimported.setdefault(pred, []).append(row.code)
            else:
                report.external.setdefault(pred, []).append(row.code)
    for row in export.rows:
        for succ in row.successors:
            if succ in links and row.code not in links[succ]:
                links[succ][row.code] = None
                report.recovered.append((row.code, succ))
    return {code: sorted(preds, key=natural_key) for code, preds in links.items()}


#: Export fields an override replaces, in the order :func:`_milestone` compares them.
_OVERRIDABLE = ("name", "due", "completed", "wbs")


def _milestone(
    row: ExportRow,
    override: Override | None,
    old: Milestone | None,
    predecessors: list[str],
    rules: LevelRules,
    report: ImportReport,
) -> Milestone:
    over = override or Override(row.code)
    # Without a milestone in the file, a blank one: no optional fields to keep.
    was = old or Milestone(row.code, row.name, row.due)
    owns = row.owned.__contains__
    completed = row.completed if owns("completed") else was.completed
    wbs = row.wbs if owns("wbs") else was.wbs
    exported = (row.name, row.due, completed, wbs)
    if over.not_completed or over.completed is not None:
        completed = over.completed
    chosen = (over.name or row.name, over.due or row.due, completed, over.wbs or wbs)
    for name, before, after in zip(_OVERRIDABLE, exported, chosen, strict=True):
        if before != after:
            report.overridden[name] += 1
    name, due, completed, wbs = chosen
    return Milestone(
        code=row.code,
        name=name,
        due=due,
        level=_level(row, over, old, rules, report),
        baseline=row.baseline if owns("baseline") else was.baseline,
        completed=completed,
        predecessors=tuple(predecessors),
        wbs=wbs,
        short_name=was.short_name or over.short_name,
        description=was.description or over.description,
        test_spec=was.test_spec or over.test_spec,
        jira=was.jira or over.jira,
    )


def _level(
    row: ExportRow,
    override: Override,
    old: Milestone | None,
    rules: LevelRules,
    report: ImportReport,
) -> int | None:
    candidates = (
        ("overrides", override.level),
        ("export", row.level),
        ("data file", old.level if old is not None else None),
    )
    for source, level in candidates:
        if level is not None:
            report.level_sources[source] += 1
            return level
    rule = rules.match(row.code)
    if rule is None:
        report.unknown_level.append(row.code)
        return None
    report.level_sources[f"rule {rule[0]}={rule[1]}"] += 1
    return rule[1]
