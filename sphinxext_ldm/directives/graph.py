"""``ldm-graph``: the predecessor/successor network around a milestone, or of a selection."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinxext_ldm.directives.charts import ChartDirective
from sphinxext_ldm.directives.options import FILTER_OPTIONS
from sphinxext_ldm.query import edges_within, neighbourhood
from sphinxext_ldm.render.mermaid import DIRECTIONS
from sphinxext_ldm.render.text import CHART_LABELS


class LdmGraph(ChartDirective):
    """A Mermaid flowchart of milestones with an arrow from each predecessor to its
    successor; every node links to the milestone's entry.

    .. code-block:: rst

       .. ldm-graph:: LDM-503-09
          :depth: 1

       .. ldm-graph::
          :levels: 2
          :direction: TB
    """

    optional_arguments = 1
    option_spec: ClassVar = {
        **ChartDirective.option_spec,
        "depth": directives.unchanged_required,
        "direction": directives.unchanged_required,
        "hide-isolated": directives.flag,
        "labels": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        catalog = self.ldm.catalog
        direction = self.one_of("direction", DIRECTIONS, "LR")
        labels = self.one_of("labels", CHART_LABELS, "code-name")
        if self.arguments:
            code = self.arguments[0].strip()
            self.ldm.note_codes(self.env.docname, [code])
            if code not in catalog:
                return [self.report_missing(code)]
            ignored = sorted(set(self.options) & set(FILTER_OPTIONS))
            if ignored:
                self.warn(
                    "option",
                    f"{self.name}: {', '.join(':' + o + ':' for o in ignored)} "
                    f"ignored: the graph is drawn around {code}",
                )
            milestones = neighbourhood(catalog, code, self.depth())
        else:
            selection = self.parse_filter()
            self.ldm.note_filter(self.env.docname, selection)
            milestones = selection.select(catalog, self.ldm.today, "due")
        edges = edges_within(catalog, milestones)
        text = f"Arrows lead from a milestone to its successors. {self.status_legend()}"
        legend = [(text, "ldm-legend")]
        if "hide-isolated" in self.options:
            self.ldm.note_codes(self.env.docname, (m.code for m in milestones))
            linked = {code for edge in edges for code in edge}
            isolated = [m.code for m in milestones if m.code not in linked]
            milestones = [m for m in milestones if m.code in linked]
            if isolated:
                missing = f"Not shown, no dependencies among these: {', '.join(isolated)}."
                legend.append((missing, "ldm-isolated"))
        chart = self.chart_node(
            "graph",
            [m.code for m in milestones],
            edges=edges,
            direction=direction,
            labels=labels,
        )
        return [self.figure(chart, legend)]

    def depth(self) -> int:
        value = self.options.get("depth", "1").strip()
        if value.isascii() and value.isdigit() and int(value) >= 1:
            return int(value)
        self.warn("option", f"{self.name}: :depth: must be a whole number >= 1, not {value!r}")
        return 1
