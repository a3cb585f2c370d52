"""Catalogue entries get their fields, and release sections their link to the entry,
when the page is written.

They show dates, status and links, which depend on the data and on ``ldm_today`` but
not on the page's structure, so they need not be in the tree that is saved, numbered
and walked by every read-time transform. HTML builders get them as markup written
directly (render/html.py), the others as a docutils field list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes

from sphinxext_ldm.domain import CATALOGUE, Entry, LdmDomain, ldm_domain
from sphinxext_ldm.nodes import pending_catalogue_fields, pending_entry_link
from sphinxext_ldm.render.docutils import field_list, missing_milestone
from sphinxext_ldm.render.fields import Field, catalogue_fields
from sphinxext_ldm.render.html import LinkTarget, field_list_html, linked_codes
from sphinxext_ldm.render.text import link_title
from sphinxext_ldm.transforms import LdmPostTransform, entry_url


class CatalogueFieldsTransform(LdmPostTransform):
    # Before the references resolver (10): docutils field lists hold pending_xrefs.
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        ldm = ldm_domain(self.env)
        jira_url = self.config.ldm_jira_url
        edit_url = self.config.ldm_edit_url
        html = self.builder.format == "html"
        for node in list(self.document.findall(pending_catalogue_fields)):
            milestone = ldm.catalog.get(node["code"])
            if milestone is None:
                # Only if the page was not re-read after the data changed, which the
                # outdated-document rules prevent; never leave a gap.
                node.replace_self(missing_milestone(node["code"], "not in the milestone data"))
                continue
            sections = [
                (self.section_text(entry), entry_url(self.builder, self.env.docname, entry))
                for entry in ldm.section_entries(milestone.code)
            ]
            fields = catalogue_fields(
                ldm.catalog, milestone, ldm.today, jira_url, edit_url, ldm.history, sections
            )
            replacement = self.html_fields(ldm, fields) if html else None
            if replacement is None:
                replacement = field_list(fields)
                # Warnings about its links look up the tree for a location.
                replacement.source, replacement.line = node.source, node.line
            node.replace_self(replacement)

    def section_text(self, entry: Entry) -> str:
        """A release section named by its page's title (its number where it has one)."""
        title = self.env.titles.get(entry.docname)
        page = title.astext() if title is not None else entry.docname
        number = self.env.toc_secnumbers.get(entry.docname, {}).get("#" + entry.anchor)
        return f"Section {'.'.join(map(str, number))} ({page})" if number else page

    def html_fields(self, ldm: LdmDomain, fields: Sequence[Field]) -> nodes.raw | None:
        """The fields as HTML, or None if a linked milestone has no entry: the docutils
        field list then goes through the references resolver, which reports it."""
        targets: dict[str, LinkTarget] = {}
        for code in linked_codes(fields):
            milestone = ldm.catalog.get(code)
            entry = ldm.canonical_entry(code)
            if milestone is None or entry is None:
                return None
            targets[code] = (
                entry_url(self.builder, self.env.docname, entry),
                link_title(milestone),
            )
        markup = field_list_html(fields, targets)
        return nodes.raw("", markup, format="html")


class EntryLinkTransform(LdmPostTransform):
    """A release section says where its milestone's catalogue entry is, on HTML pages
    (the PDF keeps section 3 as LDM-564 has it)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        ldm = ldm_domain(self.env)
        for node in list(self.document.findall(pending_entry_link)):
            entry = ldm.canonical_entry(node["code"])
            if self.builder.format != "html" or entry is None or entry.kind != CATALOGUE:
                node.parent.remove(node)
                continue
            link = nodes.reference("", "", refuri=entry_url(self.builder, self.env.docname, entry))
            link += nodes.Text(f"{node['code']} in the catalogue")
            para = nodes.paragraph("", "", classes=["ldm-entry-link"])
            para += [nodes.Text("Entry: "), link]
            node.replace_self(para)
