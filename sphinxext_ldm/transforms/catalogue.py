"""Catalogue entries get their fields when the page is written.

They show dates, status and links, which depend on the data and on ``ldm_today`` but
not on the page's structure, so they need not be in the tree that is saved, numbered
and walked by every read-time transform.
"""

from __future__ import annotations

from typing import Any

from sphinxext_ldm.domain import ldm_domain
from sphinxext_ldm.nodes import pending_catalogue_fields
from sphinxext_ldm.render.docutils import catalogue_fields, missing_milestone, set_location
from sphinxext_ldm.transforms import LdmPostTransform


class CatalogueFieldsTransform(LdmPostTransform):
    # Before the references resolver (10): the fields hold pending_xrefs.
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        ldm = ldm_domain(self.env)
        jira_url = self.config.ldm_jira_url
        edit_url = self.config.ldm_edit_url
        for node in list(self.document.findall(pending_catalogue_fields)):
            milestone = ldm.catalog.get(node["code"])
            if milestone is None:
                # Only if the page was not re-read after the data changed, which the
                # outdated-document rules prevent; never leave a gap.
                node.replace_self(missing_milestone(node["code"], "not in the milestone data"))
                continue
            fields = catalogue_fields(ldm.catalog, milestone, ldm.today, jira_url, edit_url)
            set_location(fields, node.source, node.line)
            node.replace_self(fields)
