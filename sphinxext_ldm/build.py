"""Build-time glue: load the data once per build, report problems, pick what to re-read,
and report milestone references that did not resolve."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from sphinxext_ldm import config
from sphinxext_ldm.acronyms import Glossary
from sphinxext_ldm.domain import ldm_domain
from sphinxext_ldm.history import History, with_current
from sphinxext_ldm.load import load_acronyms, load_milestones
from sphinxext_ldm.model import Catalog
from sphinxext_ldm.problems import Problem
from sphinxext_ldm.render.text import reference_text
from sphinxext_ldm.snapshots import SnapshotCache, load_snapshots

logger = logging.getLogger(__name__)


def report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        logger.warning(
            problem.message, location=problem.location, type="ldm", subtype=problem.subtype
        )


def load_data(app: Sphinx) -> None:
    """builder-inited: load this build's milestones into the domain, once."""
    today, problem = config.today(app.config)
    if problem is not None:
        report([problem])
    report(config.check_formats(app.config))
    path = config.milestones_path(app)
    catalog, as_of = Catalog(), None
    if path is not None:
        result = load_milestones(path)
        report(result.problems)
        catalog, as_of = result.catalog, result.as_of
    domain = ldm_domain(app.env)
    domain.set_catalog(catalog, today, lines=bool(app.config.ldm_edit_url))
    load_history(app, catalog, as_of or today)
    sources = []
    for acronym_path in config.acronym_paths(app):
        loaded = load_acronyms(acronym_path)
        report(loaded.problems)
        sources.append(loaded.acronyms)
    domain.set_glossary(Glossary.from_sources(sources))


def load_history(app: Sphinx, catalog: Catalog, as_of: datetime.date) -> None:
    """The snapshots of ``ldm_history_path``, each file parsed once (the environment keeps
    them), with the current data as the newest point."""
    domain = ldm_domain(app.env)
    directory = config.history_path(app)
    if directory is None:
        domain.set_history(History(), SnapshotCache())
        return
    snapshots, problems, cache = load_snapshots(directory, domain.snapshot_cache)
    report(problems)
    history, dropped = with_current(snapshots, catalog, as_of)
    report(
        Problem(
            "history",
            f"the snapshot as of {s.as_of} is newer than the current data (as of {as_of}); "
            "it is left out",
            s.path,
            1,
        )
        for s in dropped
    )
    domain.set_history(history, cache)


def outdated_documents(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """env-get-outdated: documents showing milestones that changed since the last build."""
    domain = ldm_domain(env)
    outdated = domain.outdated_documents()
    if domain.nonstandard_terms_changed():
        outdated |= env.found_docs  # terms such as "ComCam" are found while reading
    return sorted(outdated - removed)


def rewritten_documents(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: documents that only fill in changed data when written."""
    return sorted(ldm_domain(env).rewritten_documents())


def check_entries(app: Sphinx, env: BuildEnvironment) -> None:
    """env-check-consistency: one catalogue entry per milestone."""
    for code, entries in ldm_domain(env).duplicate_entries():
        first, *others = entries
        for other in others:
            logger.warning(
                "milestone %s has another catalogue entry in %s; links go to the one in %s",
                code,
                other.docname,
                first.docname,
                location=(other.docname, other.line),
                type="ldm",
                subtype="duplicate-entry",
            )


def unresolved_reference(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    """missing-reference (after intersphinx): a known milestone with no entry to link to
    still shows its name, with a warning."""
    if node.get("refdomain") != "ldm":
        return None
    catalog = ldm_domain(env).catalog
    rejected = catalog.rejected.get(node["reftarget"])
    if rejected is not None:
        logger.warning(
            "milestone %s has %s",
            rejected.code,
            rejected.summary,
            location=node,
            type="ldm",
            subtype="unusable",
        )
        text = f"[milestone {rejected.code}: invalid data]"
        return nodes.problematic(text, text)
    milestone = catalog.get(node["reftarget"])
    if milestone is None:
        return None
    if node.get("ldm_generated") and not ldm_domain(env).has_catalogue:
        return contnode  # a page without catalogue, such as a technote: no link to make
    if node.get("ldm_chart"):
        return contnode  # a chart's table: unlinked, as the chart draws it
    logger.warning(
        "milestone %s has no catalogue entry or release section to link to (add an ldm-catalogue)",
        milestone.code,
        location=node,
        type="ldm",
        subtype="no-entry",
    )
    if node.get("refexplicit"):
        return contnode
    text = reference_text(milestone, env.config.ldm_reference_format)
    return nodes.inline(text, text, classes=contnode.get("classes", []))


def warn_unknown_reference(app: Sphinx, domain: Domain | None, node: pending_xref) -> bool:
    """warn-missing-reference: unknown milestone codes warn as ``ldm.unknown-code``."""
    if domain is None or domain.name != "ldm":
        return False
    code = node["reftarget"]
    logger.warning(
        "unknown milestone code %s", code, location=node, type="ldm", subtype="unknown-code"
    )
    return True
