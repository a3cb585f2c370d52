"""``ldm-milestone``, ``ldm-milestones`` and ``ldm-catalogue``.

Release sections are built while reading, because sections must exist then to be
numbered and to appear in the toctree; links inside them are pending references,
resolved once all documents are read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.nodes import make_id

from sphinxext_ldm.directives.options import FilterDirective, LdmDirective, split_words
from sphinxext_ldm.domain import CATALOGUE, SECTION, Entry
from sphinxext_ldm.model import Milestone
from sphinxext_ldm.nodes import pending_catalogue_fields, pending_entry_link
from sphinxext_ldm.query import DATE_CHOICES, SectionStyle, by_shown_date, contributions
from sphinxext_ldm.render.docutils import (
    catalogue_signature,
    missing_milestone,
    release_section,
)
from sphinxext_ldm.render.fields import catalogue_dependencies

#: Options of the directives that make release sections.
SECTION_OPTIONS: dict[str, Callable[[str], str]] = {
    "feature-prefixes": directives.unchanged_required,
    "dates": directives.unchanged_required,
}


class ReleaseSectionsMixin(LdmDirective):
    def section_style(self) -> SectionStyle:
        """``:feature-prefixes:`` and ``:dates:`` as a :class:`SectionStyle`."""
        prefixes = tuple(split_words(self.options.get("feature-prefixes", "")))
        return SectionStyle(prefixes, self.one_of("dates", DATE_CHOICES, "forecast"))

    def release_sections(
        self, milestones: list[Milestone], style: SectionStyle
    ) -> list[nodes.Node]:
        catalog = self.ldm.catalog
        no_features = self.config.ldm_no_features_text
        result: list[nodes.Node] = []
        for milestone in milestones:
            section = release_section(catalog, milestone, no_features, style)
            # After the due line (the section's text stays the seed's).
            section.insert(2, pending_entry_link(code=milestone.code))
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
                self.env.docname, (m.code for m in contributions(catalog, milestone, style))
            )
            result.append(section)
        return result


class LdmMilestone(ReleaseSectionsMixin):
    """One release section for the milestone ``CODE``, as in LDM-564 section 3.

    Its features are its predecessors at a deeper level (``:feature-prefixes: DM-``: its
    predecessors whose codes start so, at any level); its date is the forecast
    (``:dates: baseline``: the baseline where there is one).

    .. code-block:: rst

       .. ldm-milestone:: LDM-503-02
    """

    required_arguments = 1
    has_content = False
    option_spec: ClassVar = dict(SECTION_OPTIONS)

    def run(self) -> list[nodes.Node]:
        code = self.arguments[0].strip()
        self.ldm.note_codes(self.env.docname, [code])
        milestone = self.ldm.catalog.get(code)
        if milestone is None:
            return [self.report_missing(code)]
        return self.release_sections([milestone], self.section_style())


class LdmMilestones(FilterDirective, ReleaseSectionsMixin):
    """Release sections for every milestone the options select, by due date then code.

    ``:feature-prefixes:`` and ``:dates:`` choose features and dates as for
    ``ldm-milestone``; with ``:dates: baseline`` the sections are ordered by the date they
    show. The original tool's sections (every ``LDM-503`` milestone, whatever its level,
    with its ``DM-`` predecessors, dated by the baseline):

    .. code-block:: rst

       .. ldm-milestones::
          :prefixes: LDM-503
          :feature-prefixes: DM-
          :dates: baseline
    """

    has_content = False
    option_spec: ClassVar = {**FilterDirective.option_spec, **SECTION_OPTIONS}

    def run(self) -> list[nodes.Node]:
        selection = self.parse_filter()
        style = self.section_style()
        self.ldm.note_filter(self.env.docname, selection)
        order = self.sort_order()
        found = selection.select(self.ldm.catalog, self.ldm.today, order)
        if order == "due":
            found.sort(key=by_shown_date(style.dates))
        placeholders: list[nodes.Node] = list(self.missing.values())
        if not found and not placeholders:
            text = "No milestones match this selection."
            return [nodes.paragraph(text, text, classes=["ldm-empty"])]
        return placeholders + self.release_sections(found, style)


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

    def run(self) -> list[nodes.Node]:
        selection = self.parse_filter()
        self.ldm.note_catalogue(self.env.docname)
        self.ldm.note_history(self.env.docname, written=True)  # entries show their history
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
            line = milestone.description_line or milestone.line
            content += self.parse_data_text(milestone.description, milestone.path, line)
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
