"""``ldm-exports``: links to the milestone exports written next to the HTML."""

from __future__ import annotations

from docutils import nodes

from sphinxext_ldm.directives.options import LdmDirective


class pending_exports(nodes.General, nodes.Element):  # type: ignore[misc]
    """Where ``ldm-exports`` lists the export files. Replaced by a post-transform,
    which knows the builder: links relative to the page in HTML, text elsewhere."""


class LdmExports(LdmDirective):
    """A list of the files exported next to the HTML, linked from this page:
    ``milestones.json`` (with its JSON Schema), ``milestones.csv`` and the calendar feed
    ``milestones.ics``. Builders that write no exports (LaTeX, epub, ...) name the files
    as text, or link to the published site when ``html_baseurl`` is set.

    .. code-block:: rst

       .. ldm-exports::
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = pending_exports()
        self.set_source_info(node)
        return [node]
