"""sphinxext-ldm: milestone release plans (such as Rubin's LDM-564) as Sphinx documents.

``setup()`` is the table of contents of the extension.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from sphinxext_ldm import acronym_usage, build, export_files, latex_setup, mermaid_js
from sphinxext_ldm.config import add_config_values
from sphinxext_ldm.directives.acronyms import LdmAcronymChoices, LdmAcronyms
from sphinxext_ldm.directives.exports import LdmExports, pending_exports
from sphinxext_ldm.directives.graph import LdmGraph
from sphinxext_ldm.directives.history import LdmChanges, LdmTrend
from sphinxext_ldm.directives.milestones import LdmCatalogue, LdmMilestone, LdmMilestones
from sphinxext_ldm.directives.tables import LdmBurndown, LdmMilestoneTable
from sphinxext_ldm.directives.timeline import LdmTimeline
from sphinxext_ldm.domain import LdmDomain
from sphinxext_ldm.nodes import pending_acronyms, pending_catalogue_fields, pending_chart
from sphinxext_ldm.transforms.acronyms import AbbreviationTransform, AcronymTableTransform
from sphinxext_ldm.transforms.catalogue import CatalogueFieldsTransform, EntryLinkTransform
from sphinxext_ldm.transforms.charts import ChartTransform
from sphinxext_ldm.transforms.exports import ExportLinksTransform

STATIC = Path(__file__).parent / "static"

__version__ = "0.1.0"

#: Bumped whenever what the extension stores in the environment changes shape.
ENV_VERSION = 8


def setup(app: Sphinx) -> dict[str, Any]:
    # Charts are sphinxcontrib-mermaid nodes, so every mermaid_* setting applies;
    # status badges are sphinx-design's.
    app.setup_extension("sphinxcontrib.mermaid")
    app.setup_extension("sphinx_design")
    add_config_values(app)

    app.add_domain(LdmDomain)
    app.add_node(pending_chart)
    app.add_node(pending_acronyms)
    app.add_node(pending_catalogue_fields)

    app.add_directive("ldm-milestone", LdmMilestone)
    app.add_directive("ldm-milestones", LdmMilestones)
    app.add_directive("ldm-catalogue", LdmCatalogue)
    app.add_directive("ldm-timeline", LdmTimeline)
    app.add_directive("ldm-graph", LdmGraph)
    app.add_directive("ldm-milestone-table", LdmMilestoneTable)
    app.add_directive("ldm-burndown", LdmBurndown)
    app.add_directive("ldm-trend", LdmTrend)
    app.add_directive("ldm-changes", LdmChanges)
    app.add_directive("ldm-acronyms", LdmAcronyms)
    app.add_directive("ldm-acronym-choices", LdmAcronymChoices)

    app.add_post_transform(CatalogueFieldsTransform)
    app.add_post_transform(EntryLinkTransform)
    app.add_post_transform(ChartTransform)
    # The PDF: packages, metadata, fallback fonts, numbering, figures that break pages.
    latex_setup.setup_latex(app)
    app.add_post_transform(AcronymTableTransform)
    app.add_post_transform(AbbreviationTransform)
    app.add_env_collector(acronym_usage.AcronymCollector)

    app.connect("builder-inited", add_static_files)
    app.connect("config-inited", mermaid_js.use_local_mermaid)
    app.connect("build-finished", mermaid_js.copy_mermaid)

    # milestones.json/.csv/.ics next to the HTML, and a directive linking to them.
    app.add_node(pending_exports)
    app.add_directive("ldm-exports", LdmExports)
    app.add_post_transform(ExportLinksTransform)
    app.connect("config-inited", export_files.check_config)
    app.connect("build-finished", export_files.write_exports)

    app.connect("builder-inited", build.load_data)
    app.connect("env-get-outdated", build.outdated_documents)
    app.connect("env-get-updated", build.rewritten_documents)
    app.connect("env-check-consistency", build.check_entries)
    app.connect("env-before-read-docs", acronym_usage.note_read_documents)
    app.connect("env-updated", acronym_usage.after_reading)
    app.connect("env-get-updated", acronym_usage.documents_to_rewrite)
    # After intersphinx (priority 500), so other sites' milestones resolve first.
    app.connect("missing-reference", build.unresolved_reference, priority=900)
    app.connect("warn-missing-reference", build.warn_unknown_reference)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def add_static_files(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))
        app.add_css_file("ldm.css")
