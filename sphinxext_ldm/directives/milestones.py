"""``ldm-milestone``, ``ldm-milestones`` and ``ldm-catalogue``.

Release sections are built while reading, because sections must exist then to be
numbered and to appear in the toctree; links inside them are pending references,
resolved once all documents are read.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.util.nodes import make_id

from sphinxext_ldm.directives.options import FilterDirective, LdmDirective
from sphinxext_ldm.domain import CATALOGUE, SECTION, Entry
from sphinxext_ldm.model import Milestone
from sphinxext_ldm.nodes import pending_catalogue_fields
from sphinxext_ldm.query import contributions
from sphinxext_ldm.render.docutils import (
    catalogue_signature,
    missing_milestone,
    release_section,
)
from sphinxext_ldm.render.fields import catalogue_dependencies


class ReleaseSectionsMixin(LdmDirective):
    def release_sections(self, milestones: list[Milestone]) -> list[nodes.Node]:
        catalog = self.ldm.catalog
        no_features = self.config.ldm_no_features_text
        result: list[nodes.Node] = []
        for milestone in milestones:
            section = release_section(catalog, milestone, no_features)
            self.set_source_info(section)
            self.locate(section)
            self.state.document.note_implicit_target(section, section)
            line = self.lineno
            self.ldm.note_entry(
                milestone.code, Entry(self.env.docname, section["ids"][0], SECTION, line)
            )
            # A section is made while reading: it depends on all of its milestones' data.
            self.ldm.note_codes(self.env.docname, [milestone.code])
            self.ldm.note_codes(
                self.env.docname, (m.code for m in contributions(catalog, milestone))
            )
            result.append(section)
        return result


class LdmMilestone(ReleaseSectionsMixin):
    """One release section for the milestone ``CODE``, as in LDM-564 section 3.

    .. code-block:: rst

       .. ldm-milestone:: LDM-503-02
    """

    required_arguments = 1
    has_content = False

    def render(self) -> list[nodes.Node]:
        code = self.arguments[0].strip()
        self.ldm.note_codes(self.env.docname, [code])
        milestone = self.ldm.catalog.get(code)
        if milestone is None:
            return [self.report_missing(code)]
        return self.release_sections([milestone])


class LdmMilestones(FilterDirective, ReleaseSectionsMixin):
    """Release sections for every milestone the options select, by due date then code.

    .. code-block:: rst

       .. ldm-milestones::
          :levels: 2
          :prefixes: LDM-503 LDM-GEN3
    """

    has_content = False

    def render(self) -> list[nodes.Node]:
        selection = self.parse_filter()
        self.ldm.note_filter(self.env.docname, selection)
        found = selection.select(self.ldm.catalog, self.ldm.today, self.sort_order())
        placeholders: list[nodes.Node] = list(self.missing.values())
        if not found and not placeholders:
            text = "No milestones match this selection."
            return [nodes.paragraph(text, text, classes=["ldm-empty"])]
        return placeholders + self.release_sections(found)


class LdmCatalogue(FilterDirective):
    """The canonical entry of every selected milestone: all its fields and links.

    Links to a milestone (``:ldm:ms:``, release sections, charts, intersphinx) go to
    its catalogue entry. Sorted by code unless ``:sort: due`` is given.

    .. code-block:: rst

       .. ldm-catalogue::
          :levels: 3
    """

    has_content = False
    default_sort = "code"
    option_spec: ClassVar = dict(FilterDirective.option_spec)

    def render(self) -> list[nodes.Node]:
        selection = self.parse_filter()
        # Re-read only when the list of entries changes; fields (and the status as of
        # today) are filled in when the page is written, so other edits rewrite it.
        found, unusable = self.ldm.note_selection(self.env.docname, selection, self.sort_order())
        self.ldm.note_written(self.env.docname, (), today=True)
        if not found and not unusable and not self.missing:
            text = "No milestones match this selection."
            return [nodes.paragraph(text, text, classes=["ldm-empty"])]
        result: list[nodes.Node] = []
        for milestone in found:
            result.extend(self.entry(milestone))
        # Milestones whose data is unusable still get a visible place in the catalogue.
        self.ldm.note_codes(self.env.docname, (r.code for r in unusable))
        result.extend(missing_milestone(r.code, r.summary) for r in unusable)
        # Unknown codes named in :codes: (unusable ones are among the above).
        result.extend(
            p for code, p in self.missing.items() if code not in self.ldm.catalog.rejected
        )
        return result

    def entry(self, milestone: Milestone) -> list[nodes.Node]:
        document = self.state.document
        anchor = make_id(self.env, document, "ms", milestone.code)
        catalog = self.ldm.catalog
        desc = addnodes.desc(
            # Data text is shown as written: no curly quotes or dashes made from it.
            support_smartquotes=False,
            domain="ldm",
            objtype="milestone",
            desctype="milestone",
            no_index=False,
            classes=["ldm", "milestone"],
        )
        sig = catalogue_signature(milestone, anchor)
        self.set_source_info(sig)
        document.note_explicit_target(sig)
        desc += sig
        content = addnodes.desc_content()
        # The fields are filled in when the page is written (transforms/catalogue.py).
        content += pending_catalogue_fields(code=milestone.code)
        desc += content
        self.locate(desc)
        if milestone.description:
            content += self.parse_data_text(milestone.description, milestone.path, milestone.line)
        docname = self.env.docname
        self.ldm.note_entry(milestone.code, Entry(docname, anchor, CATALOGUE, self.lineno))
        self.ldm.note_texts(docname, [milestone.code])
        self.ldm.note_written(
            docname, {milestone.code} | catalogue_dependencies(catalog, milestone)
        )
        index = addnodes.index(
            entries=[("single", f"{milestone.code} (milestone)", anchor, "", None)]
        )
        return [index, desc]
