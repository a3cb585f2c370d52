"""The guide's own markup: live examples (source shown, then rendered) and warning subtypes
as objects, so that tests/test_guide.py can compare what the code emits with what is
documented."""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class Example(SphinxDirective):
    """reStructuredText shown as a code block, then rendered by this very build.

    Content that makes sections (release sections) is inserted into the page itself
    (``:sections:``), since docutils allows sections only at the top level."""

    has_content = True
    option_spec: ClassVar = {"sections": directives.flag}

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        source = nodes.literal_block(text, text, language="rst")
        source["classes"].append("guide-example-source")
        if "sections" in self.options:
            self.state_machine.insert_input(list(self.content), self.get_source_info()[0])
            return [source]
        result = nodes.container(classes=["guide-example-result"])
        self.state.nested_parse(self.content, self.content_offset, result)
        return [source, result]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("example", Example)
    app.add_object_type(
        "warning-subtype",
        "warning-subtype",
        objname="warning subtype",
        indextemplate="pair: %s; warning subtype",
    )
    app.add_css_file("guide.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
