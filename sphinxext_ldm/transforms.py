"""Post-transforms: pending chart nodes become output for the current builder.

They run once every document has been read, so links point at each milestone's
canonical entry from the page being written, whatever the builder's URL scheme.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.builders import Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode
from sphinxcontrib.mermaid import mermaid

from sphinxext_ldm.domain import Entry, LdmDomain, ldm_domain
from sphinxext_ldm.model import Milestone
from sphinxext_ldm.nodes import pending_timeline
from sphinxext_ldm.query import status
from sphinxext_ldm.render.docutils import milestone_xref
from sphinxext_ldm.render.mermaid import GanttOptions, gantt, schedule_date
from sphinxext_ldm.render.text import iso

#: HTML builders whose pages run JavaScript (epub readers mostly do not).
SCRIPTED_HTML_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})


def entry_url(builder: Builder, fromdocname: str, entry: Entry) -> str:
    """The URL of ``entry`` as seen from ``fromdocname``, for this builder."""
    ref = make_refnode(builder, fromdocname, entry.docname, entry.anchor, nodes.Text(""))
    if "refid" in ref:
        return "#" + str(ref["refid"])
    uri = str(ref["refuri"])
    # singlehtml gives "index.html#document-x#anchor"; the page has one fragment.
    if uri.count("#") > 1:
        uri = uri[: uri.index("#")] + "#" + uri.rsplit("#", 1)[1]
    return uri


class TimelineTransform(SphinxPostTransform):
    """Mermaid Gantt in scripted HTML, a table of the same rows elsewhere."""

    # Before the references resolver (10): fallback tables contain pending_xrefs.
    default_priority = 5

    @property
    def builder(self) -> Builder:
        # Sphinx 9 deprecates ``self.app`` in transforms; 8.1 has no ``env._app``.
        app = getattr(self.env, "_app", None) or self.app
        builder: Builder = app.builder
        return builder

    def run(self, **kwargs: Any) -> None:
        ldm = ldm_domain(self.env)
        for index, node in enumerate(list(self.document.findall(pending_timeline))):
            milestones = [m for code in node["codes"] if (m := ldm.catalog.get(code))]
            if self.uses_mermaid():
                replacement: nodes.Element = self.chart(ldm, node, milestones, index)
            else:
                replacement = self.table(ldm, node, milestones)
            node.replace_self(replacement)

    def uses_mermaid(self) -> bool:
        name = self.builder.name
        return name in SCRIPTED_HTML_BUILDERS or name in self.config.ldm_mermaid_builders

    def chart(
        self, ldm: LdmDomain, node: pending_timeline, milestones: list[Milestone], index: int
    ) -> nodes.Element:
        links = {}
        for milestone in milestones:
            entry = ldm.canonical_entry(milestone.code)
            if entry is not None:
                links[milestone.code] = entry_url(self.builder, self.env.docname, entry)
        options = GanttOptions(
            schedule=node["schedule"],
            title=node["title"] or None,
            group_by=node["group_by"],
            today=ldm.today,
        )
        chart = mermaid()
        chart["code"] = self.front_matter() + gantt(milestones, options, links)
        chart["options"] = {}
        chart["alt"] = self.alt_text(milestones, node["schedule"])
        if node["zoom"]:
            # Deterministic, so that parallel and serial builds write the same page.
            chart["zoom"] = True
            chart["zoom_id"] = f"ldm-timeline-{self.env.docname}-{index}".replace("/", "-")
        return chart

    def front_matter(self) -> str:
        """``mermaid_config`` applies to our charts as to any ``mermaid`` directive."""
        config = self.config.mermaid_config
        if not config:
            return ""
        import yaml

        return "---\n" + yaml.safe_dump({"config": config}) + "---\n"

    def alt_text(self, milestones: list[Milestone], schedule: str) -> str:
        dates = [d for m in milestones if (d := schedule_date(m, schedule))]
        if not dates:
            return "Timeline with no milestones."
        return (
            f"Timeline of {len(milestones)} milestones from {iso(min(dates))} to {iso(max(dates))}."
        )

    def table(
        self, ldm: LdmDomain, node: pending_timeline, milestones: list[Milestone]
    ) -> nodes.Element:
        """The chart's rows as a table: code (linked), name, date, status."""
        headers = (
            "Code",
            "Name",
            "Baseline" if node["schedule"] == "baseline" else "Due",
            "Status",
        )
        table = nodes.table(classes=["ldm-timeline-table", "longtable"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in (15, 55, 12, 18):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row(nodes.paragraph(h, h) for h in headers)
        group += head
        body = nodes.tbody()
        for milestone in milestones:
            day = iso(schedule_date(milestone, node["schedule"]))
            state = status(milestone, ldm.today).label
            code = nodes.paragraph()
            code += milestone_xref(milestone.code)
            body += _row(
                [
                    code,
                    nodes.paragraph(milestone.name, milestone.name),
                    nodes.paragraph(day, day),
                    nodes.paragraph(state, state),
                ]
            )
        if not milestones:
            empty = "No milestones match this selection."
            body += _row([nodes.paragraph(empty, empty)], span=len(headers) - 1)
        group += body
        return table


def _row(cells: Any, span: int = 0) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry("", cell)
        if span:
            entry["morecols"] = span
        row += entry
    return row
