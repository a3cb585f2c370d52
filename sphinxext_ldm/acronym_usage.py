"""Which acronyms each document uses: an environment collector, and what follows from it
once all documents are read (glossary terms for ``:term:``, undefined-term warnings,
which pages to rewrite).

Usage is recorded while reading, for every acronym-like word whether defined or not, so
that a change of definitions needs no re-reading: tables and hover texts are rendered
at write time from this record.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Set
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import partial
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import logging

from sphinxext_ldm.acronyms import Glossary, find_terms, looks_like_an_acronym
from sphinxext_ldm.domain import LdmDomain, ldm_domain
from sphinxext_ldm.nodes import pending_acronyms, pending_catalogue_fields, pending_chart
from sphinxext_ldm.render.fields import catalogue_free_text

logger = logging.getLogger(__name__)

#: How many places of each term a page records.
PLACES_KEPT = 3

#: Elements whose text is code, markup (math: MyST's ``$...$``, ``:math:``) or a target,
#: not prose.
SKIPPED_FOR_USAGE = (
    nodes.literal_block,
    nodes.literal,
    nodes.doctest_block,
    nodes.math,
    nodes.math_block,
    nodes.comment,
    nodes.raw,
    nodes.system_message,
    pending_acronyms,
)


@dataclass
class DocAcronyms:
    """What one document holds: term -> where it occurs, its own choices, its tables."""

    uses: dict[str, list[str]] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)
    tables: list[dict[str, Any]] = field(default_factory=list)

    def note_use(self, term: str, where: Callable[[], str]) -> None:
        places = self.uses.setdefault(term, [])
        # A few places per page are enough to point at (the warning shows three);
        # keeping every one made the environment grow with the text.
        if len(places) < PLACES_KEPT:
            places.append(where())


def acronym_docs(env: BuildEnvironment) -> dict[str, DocAcronyms]:
    if not hasattr(env, "ldm_acronym_docs"):
        env.ldm_acronym_docs = {}  # type: ignore[attr-defined]
    docs: dict[str, DocAcronyms] = env.ldm_acronym_docs  # type: ignore[attr-defined]
    return docs


def doc_acronyms(env: BuildEnvironment, docname: str) -> DocAcronyms:
    return acronym_docs(env).setdefault(docname, DocAcronyms())


def _location(node: nodes.Node, env: BuildEnvironment) -> str:
    """``file:line`` of a text node (the data file for text that came from the YAML),
    relative to the source directory as people read it."""
    element: Any = node
    while element is not None and not (getattr(element, "line", None) and element.source):
        element = element.parent
    if element is None:
        return os.path.relpath(env.doc2path(env.docname), env.srcdir)
    return f"{os.path.relpath(element.source, env.srcdir)}:{element.line}"


def _texts(doctree: nodes.Node) -> Iterator[nodes.Text]:
    stack = [doctree]
    while stack:
        node = stack.pop()
        if isinstance(node, SKIPPED_FOR_USAGE):
            continue
        if isinstance(node, nodes.Text):
            yield node
        else:
            stack.extend(reversed(node.children))


class AcronymCollector(EnvironmentCollector):
    """Records, per document, every acronym-like word and defined term it contains,
    including the labels its charts will draw from the milestone data."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        acronym_docs(env).pop(docname, None)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        theirs = acronym_docs(other)
        mine = acronym_docs(env)
        for docname in docnames:
            if docname in theirs:
                mine[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        domain = ldm_domain(env)
        pattern = domain.glossary_pattern()
        record = doc_acronyms(env, env.docname)
        for text in _texts(doctree):
            for match in find_terms(str(text), pattern):
                record.note_use(match.term, partial(_location, text, env))
        # Chart labels are drawn in the browser and catalogue fields added when the page
        # is written, so neither is text in this tree: count them from the data.
        for pending in doctree.findall(_data_text_node):
            for label in _data_texts(domain, pending):
                for match in find_terms(label, pattern):
                    record.note_use(match.term, partial(_location, pending, env))


def _data_text_node(node: nodes.Node) -> bool:
    return isinstance(node, (pending_chart, pending_catalogue_fields))


def _data_texts(domain: LdmDomain, node: nodes.Element) -> set[str]:
    """Text from the milestone data that ``node`` will show once it is written."""
    if isinstance(node, pending_catalogue_fields):
        milestone = domain.catalog.get(node["code"])
        return set(catalogue_free_text(milestone)) if milestone else set()
    labels: set[str] = set()
    for code in node["codes"]:
        milestone = domain.catalog.get(code)
        if milestone is not None:
            labels.update({milestone.short_name or milestone.name, milestone.name})
    return labels


def used_terms(env: BuildEnvironment, docnames: Set[str] | None = None) -> dict[str, list[str]]:
    """Every term used in ``docnames`` (all documents by default), with where."""
    found: dict[str, list[str]] = {}
    for docname, record in sorted(acronym_docs(env).items()):
        if docnames is None or docname in docnames:
            for term, where in record.uses.items():
                found.setdefault(term, []).extend(where)
    return found


def table_documents(env: BuildEnvironment) -> list[str]:
    return sorted(doc for doc, record in acronym_docs(env).items() if record.tables)


def note_read_documents(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """env-before-read-docs: remember which documents this build reads."""
    ldm_domain(env).data["read_now"] = set(docnames)


def after_reading(app: Sphinx, env: BuildEnvironment) -> None:
    """env-updated: glossary terms for :term:, and undefined acronyms, from all pages."""
    domain = ldm_domain(env)
    register_terms(env, domain)
    if app.config.ldm_acronyms_path:
        warn_undefined(app, env, domain.glossary)


def register_terms(env: BuildEnvironment, domain: LdmDomain) -> None:
    """Make each listed acronym a glossary term of the std domain, so :term: links to it.

    Done after reading, because which terms a project-wide table lists depends on
    every page; the previous build's registrations are replaced. Terms whose anchor or
    table moved are remembered: pages linking to them must be written again.
    """
    std = env.get_domain("std")
    objects = std.data.setdefault("objects", {})
    terms = std.data.setdefault("terms", {})
    for term in domain.data.get("registered_terms", ()):
        objects.pop(("term", term), None)
        terms.pop(term.lower(), None)
    registered = []
    before = domain.term_targets
    targets = listed_terms(env, domain)
    domain.data["term_targets"] = targets
    domain.data["targets_changed"] = {
        term for term in before.keys() | targets.keys() if before.get(term) != targets.get(term)
    }
    for term, (docname, anchor) in sorted(targets.items()):
        if ("term", term) not in objects:
            objects["term", term] = (docname, anchor)
            terms.setdefault(term.lower(), (docname, anchor))
            registered.append(term)
    domain.data["registered_terms"] = registered


def listed_terms(env: BuildEnvironment, domain: LdmDomain) -> dict[str, tuple[str, str]]:
    """term -> (document, anchor) of the first table that lists it."""
    defined = domain.glossary.definitions.keys()
    anchors = term_anchors(defined | {t for r in acronym_docs(env).values() for t in r.choices})
    found: dict[str, tuple[str, str]] = {}
    for docname in table_documents(env):
        for options in doc_acronyms(env, docname).tables:
            for term in table_terms(env, domain, docname, options):
                found.setdefault(term, (docname, anchors[term]))
    return found


def table_terms(
    env: BuildEnvironment, domain: LdmDomain, docname: str, options: dict[str, Any]
) -> list[str]:
    """The terms an ``ldm-acronyms`` table lists: defined terms used in its scope, minus
    the skip list and :exclude:, plus :include:, sorted as lsst-texmf sorts them."""
    if options["scope"] == "project":
        excluded = options.get("exclude_documents", [])
        scope = {doc for doc in acronym_docs(env) if not any(fnmatch(doc, pat) for pat in excluded)}
    else:
        scope = {docname}
    used = set(used_terms(env, scope))
    skip = set(env.config.ldm_acronym_skip) | set(options["exclude"])
    choices = doc_acronyms(env, docname).choices
    terms = {t for t in used if t in domain.glossary or t in choices} - skip
    terms |= set(options["include"])
    return sorted(terms)


def term_anchors(terms: Iterable[str]) -> dict[str, str]:
    """A distinct anchor for each term, the same in every build (also with -j).

    An anchor is ``term-`` and the term made an id, which loses case and punctuation:
    Rubin's glossary has ``GB`` (Gigabyte) and ``Gb`` (Gigabit), ``BPS``, ``Bps`` and
    ``bps``, ``TS`` and ``TS#``. Of the terms sharing an id, the first in code-point
    order (capitals first: ``GB``) keeps it, so links made before stay where they were;
    each other one adds its text's UTF-8 bytes in hex (``Gb``: ``term-gb-4762``), which
    depend on that term alone. The terms are all that are defined, not only those in
    use, so that a new use of ``GB`` never moves ``Gb``'s anchor.
    """
    ordered = sorted(set(terms))
    plain = {term: nodes.make_id(f"term-{term}") for term in ordered}
    taken: set[str] = set()
    anchors: dict[str, str] = {}
    for term in ordered:  # the first of each id keeps it
        if plain[term] not in taken:
            anchors[term] = plain[term]
            taken.add(plain[term])
    taken.update(plain.values())  # no suffixed anchor may take another term's plain one
    for term in ordered:
        if term in anchors:
            continue
        anchor = f"{plain[term]}-{term.encode().hex()}"
        number = 1
        while anchor in taken:  # only when another term's id is already this
            number += 1
            anchor = f"{plain[term]}-{term.encode().hex()}-{number}"
        anchors[term] = anchor
        taken.add(anchor)
    return anchors


def warn_undefined(app: Sphinx, env: BuildEnvironment, glossary: Glossary) -> None:
    """One warning per acronym-like word that is used but defined nowhere."""
    skip = set(app.config.ldm_acronym_skip)
    chosen = {term for record in acronym_docs(env).values() for term in record.choices}
    for term, where in sorted(used_terms(env).items()):
        if term in glossary or term in skip or term in chosen or not looks_like_an_acronym(term):
            continue
        places = list(dict.fromkeys(where))
        shown = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
        logger.warning(
            "acronym %s is used but not defined (%s); define it in ldm_acronyms_path or add "
            "it to ldm_acronym_skip",
            term,
            shown,
            location=places[0],
            type="ldm",
            subtype="acronym.undefined",
        )


def documents_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: tables when any page was read; pages whose definitions changed."""
    domain = ldm_domain(env)
    rewrite: set[str] = set()
    if domain.data.get("read_now") or domain.data.get("glossary_changed"):
        rewrite.update(table_documents(env))
    # A new definition, or a term's anchor or table moved: its hover links change.
    changed = domain.data.get("glossary_changed", set()) | domain.data.get("targets_changed", set())
    if changed:
        rewrite.update(
            doc for doc, record in acronym_docs(env).items() if not changed.isdisjoint(record.uses)
        )
    return sorted(rewrite)
