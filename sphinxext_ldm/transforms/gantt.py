"""A pending timeline with ``:renderer: svg`` becomes a Gantt chart drawn as inline SVG,
for HTML builders (LaTeX keeps pgfgantt, other builders the table)."""

from __future__ import annotations

from docutils import nodes
from sphinx.builders import Builder

from sphinxext_ldm.domain import LdmDomain
from sphinxext_ldm.model import Milestone
from sphinxext_ldm.nodes import pending_chart
from sphinxext_ldm.render.gantt import gantt_svg, layout
from sphinxext_ldm.render.mermaid import GanttOptions
from sphinxext_ldm.render.text import iso
from sphinxext_ldm.transforms import entry_url


def entry_links(
    ldm: LdmDomain, builder: Builder, docname: str, milestones: list[Milestone]
) -> dict[str, str]:
    """The URL of each milestone's canonical entry as seen from ``docname``: the targets
    the Mermaid charts link to."""
    links = {}
    for milestone in milestones:
        entry = ldm.canonical_entry(milestone.code)
        if entry is not None:
            links[milestone.code] = entry_url(builder, docname, entry)
    return links


def gantt_svg_node(
    ldm: LdmDomain,
    node: pending_chart,
    milestones: list[Milestone],
    builder: Builder,
    docname: str,
) -> nodes.Element:
    options = GanttOptions(
        schedule=node["schedule"],
        title=node["title"] or None,
        group_by=node["group_by"],
        today=ldm.today,
        labels=node["labels"],
    )
    links = entry_links(ldm, builder, docname, milestones)
    plan = layout(milestones, options, links)
    if plan is None:
        text = "No milestones to show."
        return nodes.paragraph(text, text, classes=["ldm-empty"])
    drawn = [row.milestone for row in plan.rows if row.milestone is not None]
    dues = [m.due for m in drawn]
    count = f"{len(drawn)} milestone" + ("s" if len(drawn) != 1 else "")
    title = options.title or (
        f"Timeline of {count}, baseline against forecast, due {iso(min(dues))} to {iso(max(dues))}"
    )
    html = f'<div class="ldm-gantt-box">\n{gantt_svg(plan, title)}\n</div>'
    return nodes.raw("", html, format="html")
