"""What chart directives share: a pending chart inside a figure with caption and legend."""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinxext_ldm.directives.options import FilterDirective
from sphinxext_ldm.nodes import pending_chart
from sphinxext_ldm.render.text import iso

CHART_OPTIONS = {
    "caption": directives.unchanged,
    "name": directives.unchanged,
    "zoom": directives.flag,
}


class ChartDirective(FilterDirective):
    option_spec: ClassVar = {**FilterDirective.option_spec, **CHART_OPTIONS}
    has_content = False

    def figure(self, chart: pending_chart, legend: list[tuple[str, str]]) -> nodes.figure:
        """``chart`` in a figure: numbered when it has a caption, with a legend of
        (text, class) paragraphs."""
        self.set_source_info(chart)
        figure = nodes.figure("", chart, classes=["ldm-chart", f"ldm-{chart['kind']}"])
        self.set_source_info(figure)
        if (caption := self.caption(nodes.caption)) is not None:
            figure += caption
        box = nodes.legend()
        for text, cls in legend:
            box += nodes.paragraph(text, text, classes=[cls])
        figure += box
        self.add_name(figure)
        return figure

    def chart_node(self, kind: str, codes: list[str], **attributes: Any) -> pending_chart:
        self.ldm.note_codes(self.env.docname, codes)
        self.ldm.note_today(self.env.docname)  # status marks depend on the day
        return pending_chart(kind=kind, codes=codes, zoom="zoom" in self.options, **attributes)

    def status_legend(self) -> str:
        return (
            f"\N{CHECK MARK} completed; \N{WARNING SIGN} late (due before "
            f"{iso(self.ldm.today)} and not completed); no mark: upcoming."
        )
