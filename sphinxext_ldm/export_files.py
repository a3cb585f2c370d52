"""Writing the exports (:mod:`sphinxext_ldm.exports`) next to the HTML.

At ``build-finished`` of an HTML builder (html, dirhtml, singlehtml) the three files and
the JSON Schema are written to the output root. Every milestone's URL is that of its
canonical entry: absolute when ``html_baseurl`` is set, else relative to the output root.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.config import Config
from sphinx.util import logging

from sphinxext_ldm import exports
from sphinxext_ldm.domain import Entry, LdmDomain, ldm_domain
from sphinxext_ldm.query import MilestoneFilter

logger = logging.getLogger(__name__)

#: Builders whose output is a website the exports sit in.
EXPORT_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})


def exports_written(config: Config, builder_name: str) -> bool:
    """Whether this build writes the exports (so pages can link to them)."""
    return (
        bool(config.ldm_exports)
        and bool(config.ldm_milestones_path)
        and builder_name in EXPORT_BUILDERS
    )


def check_config(app: Sphinx, config: Config) -> None:
    """config-inited: a bad ``ldm_ics_filter`` warns (the feed then has every milestone)."""
    _, problems = exports.parse_filter(config.ldm_ics_filter)
    for message in problems:
        logger.warning("%s; the filter is ignored", message, type="ldm", subtype="config")


def root_url(builder: Builder, entry: Entry) -> str:
    """``entry``'s URL relative to the output root."""
    if builder.name == "singlehtml":
        # Every document is on the root page, whose target URI is "#document-x".
        page = builder.config.root_doc + getattr(builder, "out_suffix", ".html")
    else:
        page = builder.get_target_uri(entry.docname) or "./"  # dirhtml's root page is ""
    return f"{page}#{entry.anchor}"


def milestone_urls(app: Sphinx, ldm: LdmDomain) -> dict[str, str | None]:
    """code -> URL of its canonical entry, None for a milestone with no entry."""
    baseurl = app.config.html_baseurl
    urls: dict[str, str | None] = {}
    for milestone in ldm.catalog:
        entry = ldm.canonical_entry(milestone.code)
        if entry is None:
            urls[milestone.code] = None
            continue
        url = root_url(app.builder, entry)
        if baseurl:
            # As Sphinx joins html_baseurl for canonical links.
            url = posixpath.join(baseurl, url.removeprefix("./"))
        urls[milestone.code] = url
    return urls


def uid_domain(app: Sphinx) -> str:
    """The site's host name, else the project's slug: the domain part of event UIDs."""
    host = urlsplit(app.config.html_baseurl or "").hostname
    return host or exports.project_slug(app.config.project or "")


def feed_filter(config: Config) -> MilestoneFilter | None:
    selection, problems = exports.parse_filter(config.ldm_ics_filter)
    return None if problems else selection


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: write milestones.json, .csv, .ics and the JSON Schema."""
    if exception is not None or not exports_written(app.config, app.builder.name):
        return
    ldm = ldm_domain(app.env)
    catalog, today, project = ldm.catalog, ldm.today, app.config.project or ""
    urls = milestone_urls(app, ldm)
    selection = feed_filter(app.config)
    if selection is not None and len(catalog) and not selection.select(catalog, today):
        logger.warning(
            "ldm_ics_filter selects no milestones: %s has no events",
            exports.ICS_FILE,
            type="ldm",
            subtype="config",
        )
    unknown = sorted(selection.codes - set(catalog.milestones)) if selection else []
    if unknown:
        logger.warning(
            "ldm_ics_filter names unknown milestone codes: %s",
            ", ".join(unknown),
            type="ldm",
            subtype="config",
        )
    texts = {
        exports.JSON_FILE: exports.milestones_json(catalog, urls, today, project, ldm.history),
        exports.CSV_FILE: exports.milestones_csv(catalog, urls, today),
        exports.ICS_FILE: exports.milestones_ics(
            catalog,
            urls,
            today,
            project=project,
            uid_domain=uid_domain(app),
            selection=selection,
        ),
        exports.SCHEMA_FILE: exports.SCHEMA_PATH.read_text(encoding="utf-8"),
    }
    for name, text in texts.items():
        write_if_changed(Path(app.outdir, name), text.encode("utf-8"))


def write_if_changed(path: Path, data: bytes) -> None:
    """Leave an identical file alone, so that its modification time (and what a
    server's caching or a sync tool sees) changes only when its content does."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.write_bytes(data)
