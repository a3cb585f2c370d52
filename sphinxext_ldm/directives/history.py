"""``ldm-trend``: the schedule's history as a milestone trend analysis chart."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinxext_ldm.directives.charts import ChartDirective

#: What a trend line is labelled with.
LABELS = ("code", "short-name")


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
        labels = self.one_of("labels", LABELS, "code")
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
