"""``ldm-timeline``: a Gantt chart of the selected milestones, as a numbered figure."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from sphinxext_ldm.directives.charts import ChartDirective
from sphinxext_ldm.render.mermaid import GROUPERS, schedule_date
from sphinxext_ldm.render.text import CHART_LABELS

SCHEDULES = ("forecast", "baseline")
RENDERERS = ("mermaid", "svg")


class LdmTimeline(ChartDirective):
    """A Gantt chart of the selected milestones, one row each, sorted by date: drawn by
    Mermaid in the browser, or with ``:renderer: svg`` as an SVG drawn at build time
    (baseline and forecast of each milestone, no JavaScript).

    .. code-block:: rst

       .. ldm-timeline::
          :levels: 2
          :schedule: baseline
          :caption: DM level 2 milestones in the LSST schedule.
          :name: fig-ldm-baseline
    """

    option_spec: ClassVar = {
        **ChartDirective.option_spec,
        "schedule": directives.unchanged_required,
        "start": directives.unchanged_required,
        "end": directives.unchanged_required,
        "title": directives.unchanged,
        "group-by": directives.unchanged_required,
        "renderer": directives.unchanged_required,
        "labels": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        selection = self.parse_filter()
        self.ldm.note_filter(self.env.docname, selection)
        schedule = self.one_of("schedule", SCHEDULES, "forecast")
        group_by = self.one_of("group-by", tuple(GROUPERS), "none")
        labels = self.one_of("labels", CHART_LABELS, "name")
        # A bad ldm_timeline_renderer has had Sphinx's config warning already.
        configured = self.config.ldm_timeline_renderer
        default = configured if configured in RENDERERS else "mermaid"
        renderer = self.one_of("renderer", RENDERERS, default)
        start, end = self.date_option("start"), self.date_option("end")
        if start and end and start > end:
            self.warn("option", f"{self.name}: :start: {start} is after :end: {end}; both ignored")
            start = end = None
        selected = selection.select(self.ldm.catalog, self.ldm.today, "due")
        self.ldm.note_codes(self.env.docname, (m.code for m in selected))
        undated = [m.code for m in selected if schedule_date(m, schedule) is None]
        dated = [(day, m) for m in selected if (day := schedule_date(m, schedule)) is not None]
        rows = sorted(
            (
                (day, m.code)
                for day, m in dated
                if (start is None or day >= start) and (end is None or day <= end)
            ),
        )
        chart = self.chart_node(
            "timeline",
            [code for _, code in rows],
            schedule=schedule,
            title=self.options.get("title") or "",
            group_by=group_by,
            renderer=renderer,
            labels=labels,
        )
        date_kind = "baseline" if schedule == "baseline" else "forecast (due)"
        legend = [(f"Dates: {date_kind}. {self.status_legend()}", "ldm-legend")]
        if undated:
            missing = f"Not shown, no {schedule} date: {', '.join(undated)}."
            legend.append((missing, "ldm-undated"))
        figure = self.figure(chart, legend)
        if renderer == "svg":
            svg_legend(figure, date_kind, self.status_legend())
        return [figure]


def svg_legend(figure: nodes.figure, date_kind: str, status_legend: str) -> None:
    """The SVG's marks explained, in HTML only: LaTeX draws pgfgantt, other builders a
    table, and they keep the legend that fits them."""
    legend = figure.next_node(nodes.legend)
    assert legend is not None
    text = (
        f"Rows in order of their {date_kind} date. \N{WHITE DIAMOND} baseline, "
        "\N{BLACK DIAMOND} forecast (due), the line between them: the slip; arrows: from "
        f"predecessors. {status_legend}"
    )
    html = addnodes.only(expr="html")
    html += nodes.paragraph(text, text, classes=["ldm-legend"])
    other = addnodes.only(expr="not html")
    general = legend[0]
    legend.replace(general, [html, other])
    other += general
