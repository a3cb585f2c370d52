"""``ldm-milestone-table`` and ``ldm-burndown``: what a status page needs."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinxext_ldm.directives.charts import ChartDirective
from sphinxext_ldm.directives.options import FilterDirective, split_words
from sphinxext_ldm.query import HISTORY_SORTS, SORT_KEYS, history_order
from sphinxext_ldm.render.docutils import (
    DEFAULT_COLUMNS,
    HISTORY_COLUMNS,
    TABLE_COLUMNS,
    TableContext,
    milestone_table,
)


class LdmMilestoneTable(FilterDirective):
    """A table of the selected milestones, with the chosen columns.

    .. code-block:: rst

       .. ldm-milestone-table::
          :status: late
          :columns: code, name, due, slip, status
          :caption: Late milestones
    """

    has_content = False
    option_spec: ClassVar = {
        **FilterDirective.option_spec,
        "columns": directives.unchanged_required,
        "caption": directives.unchanged,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        selection = self.parse_filter()
        self.ldm.note_filter(self.env.docname, selection)
        self.ldm.note_today(self.env.docname)  # statuses and slips are as of today
        order = self.one_of("sort", (*SORT_KEYS, *HISTORY_SORTS), self.default_sort)
        history = self.ldm.history
        if order in HISTORY_SORTS:
            found = selection.select(self.ldm.catalog, self.ldm.today, "due")
            found.sort(key=history_order(history, order))
        else:
            found = selection.select(self.ldm.catalog, self.ldm.today, order)
        self.ldm.note_codes(self.env.docname, (m.code for m in found))
        columns = self.columns()
        if order in HISTORY_SORTS or HISTORY_COLUMNS.intersection(columns):
            self.ldm.note_history(self.env.docname)
        context = TableContext(self.ldm.today, self.config.ldm_jira_url, history)
        result = milestone_table(found, columns, context)
        if (title := self.caption(nodes.title)) is not None:
            result.insert(0, title)
        self.set_source_info(result)
        self.locate(result)
        self.add_name(result)
        return [*self.missing.values(), result]

    def columns(self) -> list[str]:
        words = split_words(self.options.get("columns", ""))
        unknown = [w for w in words if w not in TABLE_COLUMNS]
        if unknown:
            self.warn(
                "option",
                f"{self.name}: :columns: does not take {', '.join(map(repr, unknown))}; "
                f"choose from {', '.join(TABLE_COLUMNS)}",
            )
        chosen = [w for w in words if w in TABLE_COLUMNS]
        return chosen or list(DEFAULT_COLUMNS)


class LdmBurndown(ChartDirective):
    """How many of the selected milestones are open at each month start: by plan
    (baseline), forecast (due) and actual (completed), with today marked.

    .. code-block:: rst

       .. ldm-burndown::
          :levels: 2
          :caption: Level 2 milestones still open.
    """

    def run(self) -> list[nodes.Node]:
        selection = self.parse_filter()
        self.ldm.note_filter(self.env.docname, selection)
        found = selection.select(self.ldm.catalog, self.ldm.today, "due")
        chart = self.chart_node("burndown", [m.code for m in found])
        unplanned = sum(1 for m in found if m.baseline is None)
        legend = [
            (f"Milestones still open at the start of each month, of {len(found)}.", "ldm-legend")
        ]
        if unplanned:
            legend.append(
                (
                    f"{unplanned} of them have no baseline date and are not in the plan line.",
                    "ldm-legend",
                )
            )
        return [self.figure(chart, legend)]
