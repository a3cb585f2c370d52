"""``ldm-exports`` lists become links to the export files, for the current builder."""

from __future__ import annotations

import posixpath
from typing import Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinxext_ldm import exports
from sphinxext_ldm.directives.exports import pending_exports
from sphinxext_ldm.export_files import EXPORT_BUILDERS, exports_written, feed_filter
from sphinxext_ldm.query import MilestoneFilter
from sphinxext_ldm.transforms import LdmPostTransform

logger = logging.getLogger(__name__)


class ExportLinksTransform(LdmPostTransform):
    """HTML pages link to the files relative to the page (html, dirhtml, singlehtml
    alike); other builders link to the published site when ``html_baseurl`` is set, and
    otherwise name the files."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        found = list(self.document.findall(pending_exports))
        if not found:
            return
        base = self.link_base(found[0])
        selection = feed_filter(self.config)
        for node in found:
            node.replace_self(export_list(base, selection))

    def link_base(self, node: pending_exports) -> str | None:
        """What file names are joined to, or None for no links."""
        builder = self.builder
        if exports_written(self.config, builder.name):
            page = builder.get_target_uri(self.env.docname)
            # The output root from this page: "", "../", ... ("./" from the root).
            return relative_uri(page, "").removeprefix("./")
        if builder.name in EXPORT_BUILDERS:
            logger.warning(
                "ldm-exports: no exports are written (ldm_exports is False or "
                "ldm_milestones_path is not set); the files are named without links",
                location=node,
                type="ldm",
                subtype="config",
            )
            return None
        baseurl = self.config.html_baseurl
        if baseurl and self.config.ldm_exports:
            return posixpath.join(baseurl, "")
        return None


def export_list(base: str | None, selection: MilestoneFilter | None) -> nodes.bullet_list:
    feed = "every milestone"
    if selection is not None:
        feed = f"the milestones selected by {describe(selection)}"
    items = nodes.bullet_list(classes=["ldm-exports"])
    items += _item(
        base,
        exports.JSON_FILE,
        ": every milestone with all its fields, its status and the address of its entry, "
        "as JSON (described by the JSON Schema ",
        (exports.SCHEMA_FILE, ")."),
    )
    items += _item(base, exports.CSV_FILE, ": the same fields as a table (CSV), for spreadsheets.")
    items += _item(
        base,
        exports.ICS_FILE,
        f": a calendar feed (iCalendar) of {feed}, one all-day event on each due date; "
        "subscribe to its address to follow changes.",
    )
    return items


def _item(
    base: str | None, name: str, text: str, more: tuple[str, str] | None = None
) -> nodes.list_item:
    para = nodes.paragraph()
    para += _file(base, name)
    para += nodes.Text(text)
    if more is not None:
        para += _file(base, more[0])
        para += nodes.Text(more[1])
    return nodes.list_item("", para)


def _file(base: str | None, name: str) -> nodes.Element:
    literal = nodes.literal(name, name)
    if base is None:
        return literal
    return nodes.reference("", "", literal, refuri=base + name, internal=True)


def describe(selection: MilestoneFilter) -> str:
    """``levels 2; status late, upcoming``: a feed filter in words."""
    parts = []
    if selection.levels:
        parts.append("levels " + ", ".join(str(n) for n in sorted(selection.levels)))
    if selection.prefixes:
        parts.append("prefixes " + ", ".join(selection.prefixes))
    if selection.codes:
        parts.append("codes " + ", ".join(sorted(selection.codes)))
    if selection.statuses:
        parts.append("status " + ", ".join(sorted(s.value for s in selection.statuses)))
    return "; ".join(parts) or "no criteria"
