"""``ldm-timeline``: a Gantt chart of the selected milestones, as a numbered figure."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinxext_ldm.directives.options import FilterDirective
from sphinxext_ldm.nodes import pending_timeline
from sphinxext_ldm.render.mermaid import GROUPERS, schedule_date
from sphinxext_ldm.render.text import iso

SCHEDULES = ("forecast", "baseline")


class LdmTimeline(FilterDirective):
    """A Mermaid Gantt chart of the selected milestones, one row each, sorted by date.

    .. code-block:: rst

       .. ldm-timeline::
          :levels: 2
          :schedule: baseline
          :caption: DM level 2 milestones in the LSST schedule.
          :name: fig-ldm-baseline
    """

    has_content = False
    option_spec: ClassVar = {
        **FilterDirective.option_spec,
        "schedule": directives.unchanged_required,
        "start": directives.unchanged_required,
        "end": directives.unchanged_required,
        "title": directives.unchanged,
        "group-by": directives.unchanged_required,
        "caption": directives.unchanged,
        "name": directives.unchanged,
        "zoom": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        selection = self.parse_filter()
        self.ldm.note_filter(self.env.docname, selection)
        self.ldm.note_today(self.env.docname)  # status marks and the today line
        schedule = self.one_of("schedule", SCHEDULES, "forecast")
        group_by = self.one_of("group-by", tuple(GROUPERS), "none")
        start, end = self.date_option("start"), self.date_option("end")
        if start and end and start > end:
            self.warn("option", f"{self.name}: :start: {start} is after :end: {end}")
        selected = selection.select(self.ldm.catalog, self.ldm.today, "due")
        undated = [m.code for m in selected if schedule_date(m, schedule) is None]
        rows = [
            m
            for m in selected
            if (day := schedule_date(m, schedule)) is not None
            and (start is None or day >= start)
            and (end is None or day <= end)
        ]
        rows.sort(key=lambda m: (schedule_date(m, schedule), m.code))
        self.ldm.note_codes(self.env.docname, (m.code for m in selected))

        chart = pending_timeline(
            codes=[m.code for m in rows],
            schedule=schedule,
            title=self.options.get("title") or "",
            group_by=group_by,
            zoom="zoom" in self.options,
        )
        self.set_source_info(chart)
        figure = nodes.figure("", chart, classes=["ldm-timeline"])
        self.set_source_info(figure)
        if "caption" in self.options:
            caption_nodes, _ = self.parse_inline(self.options["caption"], lineno=self.lineno)
            figure += nodes.caption(self.options["caption"], "", *caption_nodes)
        figure += self.legend(schedule, undated)
        self.add_name(figure)
        return [figure]

    def legend(self, schedule: str, undated: list[str]) -> nodes.legend:
        date_kind = "baseline" if schedule == "baseline" else "forecast (due)"
        text = (
            f"Dates: {date_kind}. \N{CHECK MARK} completed; \N{WARNING SIGN} late "
            f"(due before {iso(self.ldm.today)} and not completed); no mark: upcoming."
        )
        legend = nodes.legend()
        legend += nodes.paragraph(text, text, classes=["ldm-legend"])
        if undated:
            missing = f"Not shown, no {schedule} date: {', '.join(undated)}."
            legend += nodes.paragraph(missing, missing, classes=["ldm-undated"])
        return legend
