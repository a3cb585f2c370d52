"""``ldm-trend`` and ``ldm-changes``: the schedule's history as a milestone trend analysis
chart, and what changed between two of its reports."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinxext_ldm.changes import compare, report
from sphinxext_ldm.directives.charts import ChartDirective
from sphinxext_ldm.directives.options import LdmDirective
from sphinxext_ldm.history import Snapshot
from sphinxext_ldm.load import LEVELS
from sphinxext_ldm.model import Catalog
from sphinxext_ldm.render.docutils import changes_nodes
from sphinxext_ldm.render.text import CHART_LABELS

#: What a trend line is labelled with.


class LdmTrend(ChartDirective):
    """A milestone trend analysis (MTA) chart of the selected milestones: report dates
    across, forecast dates up, a line per milestone with a mark at each report of
    ``ldm_history_path``, the diagonal where a milestone is reached.

    .. code-block:: rst

       .. ldm-trend::
          :levels: 2
          :caption: Forecast dates of the level 2 milestones at each monthly report.
    """

    option_spec: ClassVar = {**ChartDirective.option_spec, "labels": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        selection = self.parse_filter()
        self.ldm.note_filter(self.env.docname, selection)
        labels = self.one_of("labels", CHART_LABELS, "code")
        if not self.config.ldm_history_path:
            self.warn(
                "history",
                f"{self.name}: there is no history to draw: set ldm_history_path to a "
                "directory of snapshots",
            )
        found = selection.select(self.ldm.catalog, self.ldm.today, "due")
        chart = self.chart_node("trend", [m.code for m in found], labels=labels)
        self.ldm.note_history(self.env.docname, written=True)
        legend = [
            (
                "Report dates across, forecast dates up: a mark at each report that lists "
                "the milestone. A line that climbs is a milestone that keeps slipping; "
                "on the diagonal, forecast and report date meet: completed milestones end "
                "there (\N{BLACK DIAMOND}).",
                "ldm-legend",
            )
        ]
        return [self.figure(chart, legend)]


class LdmChanges(LdmDirective):
    """What changed between two reports of the schedule's history: milestones added and
    removed, newly completed, no longer completed, due dates moved (with the slip in days)
    and renamed, as ``sphinxext-ldm changes`` reports it, with codes linked.

    ``:from:`` and ``:to:`` are report dates (``as_of`` of a snapshot; ``first``;
    ``current``, the current data); by default the previous report and the current data.
    ``:levels:`` compares only milestones at those levels.

    .. code-block:: rst

       .. ldm-changes::
          :from: 2018-02-28
          :levels: 2, 3
    """

    has_content = False
    option_spec: ClassVar = {
        "from": directives.unchanged_required,
        "to": directives.unchanged_required,
        "levels": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        self.ldm.note_history(self.env.docname)  # made while reading: re-read on a change
        history = self.ldm.history
        if not self.config.ldm_history_path or len(history.snapshots) < 2:
            self.warn(
                "history",
                f"{self.name}: there are no two reports to compare: set ldm_history_path to "
                "a directory of snapshots",
            )
            text = "No schedule history to compare."
            return [nodes.paragraph(text, text, classes=["ldm-empty"])]
        reports = list(history.snapshots)
        old = self.report_option("from", reports, reports[-2])
        new = self.report_option("to", reports, reports[-1])
        levels = self.levels()
        intro = f"From {old.as_of.isoformat()} to {new.as_of.isoformat()}"
        changes = compare(_at_levels(old, levels), _at_levels(new, levels))
        result = changes_nodes(report(changes, intro), self.ldm.catalog.milestones)
        container = nodes.container("", *result, classes=["ldm-changes-report"])
        self.set_source_info(container)
        self.locate(container)
        return [container]

    def report_option(self, option: str, reports: list[Snapshot], default: Snapshot) -> Snapshot:
        value = self.options.get(option, "").strip()
        if not value:
            return default
        if value == "first":
            return reports[0]
        if value == "current":
            return reports[-1]
        found = next((s for s in reports if s.as_of.isoformat() == value), None)
        if found is None:
            dates = ", ".join(s.as_of.isoformat() for s in reports)
            self.warn(
                "option",
                f"{self.name}: :{option}: {value!r} is not a report date; choose from first, "
                f"current, {dates}",
            )
            return default
        return found

    def levels(self) -> frozenset[int]:
        return frozenset(int(word) for word in self.choices("levels", map(str, LEVELS)))


def _at_levels(snapshot: Snapshot, levels: frozenset[int]) -> Catalog:
    kept = [m for m in snapshot.milestones() if not levels or m.level in levels]
    return Catalog({m.code: m for m in kept})
