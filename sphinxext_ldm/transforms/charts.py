"""Pending charts become Mermaid or tables for the current builder.

They run once every document has been read, so links point at each milestone's
canonical entry from the page being written, whatever the builder's URL scheme.
"""

from __future__ import annotations

from html import escape
from typing import Any

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinxcontrib.mermaid import mermaid

from sphinxext_ldm.burndown import SERIES, burndown
from sphinxext_ldm.domain import LdmDomain, ldm_domain
from sphinxext_ldm.history import History
from sphinxext_ldm.model import Milestone
from sphinxext_ldm.nodes import pending_chart, unfloated_figure
from sphinxext_ldm.query import status
from sphinxext_ldm.render.docutils import table, text_cell, xref_cell, xref_list
from sphinxext_ldm.render.latex import burndown_tikz, pgfgantt
from sphinxext_ldm.render.latex import escape as latex_escape
from sphinxext_ldm.render.mermaid import (
    GANTT_CONFIG,
    GanttOptions,
    flowchart,
    gantt,
    schedule_date,
)
from sphinxext_ldm.render.svg import burndown_svg
from sphinxext_ldm.render.text import chart_label, iso
from sphinxext_ldm.render.trend import TrendLine, layout, trend_svg, trend_tikz
from sphinxext_ldm.transforms import LdmPostTransform, entry_url
from sphinxext_ldm.transforms.gantt import entry_links, gantt_svg_node

#: HTML builders whose pages run JavaScript (epub readers mostly do not).
SCRIPTED_HTML_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})


class ChartTransform(LdmPostTransform):
    """Mermaid charts in scripted HTML, tables of the same milestones elsewhere."""

    # Before the references resolver (10): fallback tables contain pending_xrefs.
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        ldm = ldm_domain(self.env)
        for index, node in enumerate(list(self.document.findall(pending_chart))):
            milestones = [m for code in node["codes"] if (m := ldm.catalog.get(code))]
            if node["kind"] == "burndown":
                replacement = burndown_node(ldm, milestones, self.builder.format)
            elif node["kind"] == "trend":
                replacement = self.trend_node(ldm, node, milestones)
            elif node.get("renderer") == "svg" and self.builder.format == "html":
                docname = self.env.docname
                replacement = gantt_svg_node(ldm, node, milestones, self.builder, docname)
            elif self.uses_mermaid():
                replacement = self.mermaid_node(ldm, node, milestones, index)
            elif node["kind"] == "timeline" and self.builder.format == "latex":
                replacement = pgfgantt_node(ldm, node, milestones)
            elif node["kind"] == "timeline":
                replacement = timeline_table(ldm, node, milestones)
            else:
                replacement = graph_table(ldm, node, milestones)
            if self.builder.format == "latex" and isinstance(replacement, nodes.table):
                unfloat(node.parent)
            node.replace_self(replacement)

    def uses_mermaid(self) -> bool:
        name = self.builder.name
        return name in SCRIPTED_HTML_BUILDERS or name in self.config.ldm_mermaid_builders

    def mermaid_node(
        self, ldm: LdmDomain, node: pending_chart, milestones: list[Milestone], index: int
    ) -> nodes.Element:
        links = entry_links(ldm, self.builder, self.env.docname, milestones)
        if node["kind"] == "timeline":
            options = GanttOptions(
                schedule=node["schedule"],
                title=node["title"] or None,
                group_by=node["group_by"],
                today=ldm.today,
                id_prefix=f"c{index}m",
                labels=node["labels"],
            )
            code = gantt(milestones, options, links)
        else:
            code = flowchart(
                milestones,
                node["edges"],
                links,
                ldm.today,
                node["direction"],
                f"c{index}n",
                node["labels"],
            )
        chart = mermaid()
        chart["code"] = self.front_matter(node["kind"]) + code
        chart["options"] = {}
        chart["alt"] = alt_text(node["kind"], milestones)
        if node["zoom"]:
            # Deterministic, so that parallel and serial builds write the same page.
            chart["zoom"] = True
            chart["zoom_id"] = f"ldm-{self.env.docname}-{index}".replace("/", "-")
        # The same milestones as a table, shown until Mermaid has drawn the chart: without
        # JavaScript, from file://, offline or under a strict CSP the reader gets the table
        # and never the chart's source (ldm.css).
        if node["kind"] == "timeline":
            fallback = timeline_table(ldm, node, milestones)
        else:
            fallback = graph_table(ldm, node, milestones)
        return nodes.container(
            "",
            chart,
            nodes.container("", fallback, classes=["ldm-chart-fallback"]),
            classes=["ldm-mermaid-box", f"ldm-mermaid-{node['kind']}"],
        )

    def trend_node(
        self, ldm: LdmDomain, node: pending_chart, milestones: list[Milestone]
    ) -> nodes.Element:
        """SVG for HTML, TikZ for LaTeX, a table of the forecasts elsewhere."""
        history = ldm.history
        lines = []
        for m in milestones:
            entry = ldm.canonical_entry(m.code)
            url = entry_url(self.builder, self.env.docname, entry) if entry else None
            label = chart_label(m, node["labels"])
            lines.append(TrendLine(m.code, label, m.name, history.of(m.code), url))
        plan = layout(lines, history.report_dates)
        if plan is None:
            text = "No schedule history to show for these milestones."
            return nodes.paragraph(text, text, classes=["ldm-empty"])
        title = (
            f"Milestone trend analysis: {len(plan.lines)} milestones at "
            f"{len(history.report_dates)} reports"
        )
        note = ""
        if plan.done_before:
            note = "Completed before the first report, not drawn: " + ", ".join(plan.done_before)
        if self.builder.format == "html":
            html = f'<div class="ldm-trend-box">{trend_svg(plan, title)}</div>'
            if note:
                html += f'\n<p class="ldm-trend-note">{escape(note)}.</p>'
            return nodes.raw("", html, format="html")
        if self.builder.format == "latex":
            tex = trend_tikz(plan)
            if note:
                tex += "\n\n" + latex_escape(note) + "."
            return nodes.raw("", tex, format="latex")
        return trend_table(history, milestones)

    def front_matter(self, kind: str) -> str:
        """``mermaid_config`` applies to our charts as to any ``mermaid`` directive, over
        our own Gantt layout (a fixed width, so that labels and axis never depend on the
        reader's screen)."""
        config = dict(self.config.mermaid_config or {})
        if kind == "timeline":
            config["gantt"] = {**GANTT_CONFIG, **config.get("gantt", {})}
        if not config:
            return ""
        return "---\n" + yaml.safe_dump({"config": config}) + "---\n"


def pgfgantt_node(
    ldm: LdmDomain, node: pending_chart, milestones: list[Milestone]
) -> nodes.Element:
    """A timeline drawn by LaTeX itself (pgfgantt), with arrows to successors in the chart."""
    rows = [(m, day) for m in milestones if (day := schedule_date(m, node["schedule"]))]
    codes = {m.code for m, _ in rows}
    links = [(p, m.code) for m, _ in rows for p in m.predecessors if p in codes]
    if not rows:
        return timeline_table(ldm, node, milestones)
    return nodes.raw("", pgfgantt(rows, links, ldm.today, node["labels"]), format="latex")


def burndown_node(ldm: LdmDomain, milestones: list[Milestone], output: str) -> nodes.Element:
    """An inline SVG for HTML (no script needed), TikZ for LaTeX, a table of the numbers
    elsewhere."""
    points = burndown(milestones, ldm.today)
    if output == "html" and points:
        title = f"Open milestones by month: {len(milestones)} milestones"
        svg = burndown_svg(points, ldm.today, title)
        return nodes.raw("", f'<div class="ldm-burndown-box">{svg}</div>', format="html")
    if output == "latex" and points:
        return nodes.raw("", burndown_tikz(points, ldm.today), format="latex")
    rows = [
        [
            text_cell(p.month.strftime("%Y-%m")),
            text_cell(str(p.plan)),
            text_cell(str(p.forecast)),
            text_cell("" if p.actual is None else str(p.actual)),
        ]
        for p in points
    ]
    headers = ("Month", *(label for _, label in SERIES))
    return table(headers, (16, 28, 28, 28), rows, ["ldm-chart-table"])


def chart_links(chart: nodes.table) -> nodes.table:
    """A chart's table links its milestones as the chart does: a milestone without an
    entry shows its code unlinked, with no warning (the chart draws what it selects)."""
    for ref in chart.findall(addnodes.pending_xref):
        ref["ldm_chart"] = True
    return chart


def unfloat(figure: nodes.Element) -> None:
    """Wrap ``figure`` so that LaTeX sets it in place: a chart drawn as a table can be
    longer than a page."""
    if isinstance(figure, nodes.figure) and not isinstance(figure.parent, unfloated_figure):
        holder = unfloated_figure()
        figure.replace_self(holder)
        holder += figure


def alt_text(kind: str, milestones: list[Milestone]) -> str:
    if not milestones:
        return "A chart with no milestones."
    what = "Timeline" if kind == "timeline" else "Dependency graph"
    dates = [m.due for m in milestones]
    return f"{what} of {len(milestones)} milestones due {iso(min(dates))} to {iso(max(dates))}."


def timeline_table(ldm: LdmDomain, node: pending_chart, milestones: list[Milestone]) -> nodes.table:
    """A timeline's rows as a table: code (linked), name, date, status."""
    schedule = node["schedule"]
    rows = [
        [
            xref_cell(m.code),
            text_cell(m.name),
            text_cell(iso(schedule_date(m, schedule))),
            text_cell(status(m, ldm.today).label),
        ]
        for m in milestones
    ]
    date_header = "Baseline" if schedule == "baseline" else "Due"
    headers = ("Code", "Name", date_header, "Status")
    return chart_links(table(headers, (15, 50, 15, 20), rows, ["ldm-chart-table"]))


def trend_table(history: History, milestones: list[Milestone]) -> nodes.table:
    """The forecasts of each milestone at the reports where they changed."""
    rows = []
    for m in milestones:
        moved = "; ".join(
            f"{iso(r.as_of)}: {iso(r.due)}" for r in history.changed_forecasts(m.code)
        )
        rows.append([xref_cell(m.code), text_cell(m.name), text_cell(moved or "\N{EM DASH}")])
    headers = ("Code", "Name", "Forecast (report date: due date)")
    return chart_links(table(headers, (15, 40, 45), rows, ["ldm-chart-table"]))


def graph_table(ldm: LdmDomain, node: pending_chart, milestones: list[Milestone]) -> nodes.table:
    """A graph's nodes as a table: code, name, status, predecessors and successors shown."""
    preds: dict[str, list[str]] = {m.code: [] for m in milestones}
    succs: dict[str, list[str]] = {m.code: [] for m in milestones}
    for pred, succ in node["edges"]:
        preds[succ].append(pred)
        succs[pred].append(succ)
    rows = [
        [
            xref_cell(m.code),
            text_cell(m.name),
            text_cell(status(m, ldm.today).label),
            xref_list(preds[m.code]),
            xref_list(succs[m.code]),
        ]
        for m in milestones
    ]
    headers = ("Code", "Name", "Status", "Predecessors", "Successors")
    return chart_links(table(headers, (14, 36, 14, 18, 18), rows, ["ldm-chart-table"]))
