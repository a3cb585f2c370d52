"""The ``ldm`` domain: owns the milestone data in the environment and its link targets.

What it keeps, per build environment:

* the :class:`~sphinxext_ldm.model.Catalog` loaded for this build;
* where each milestone is rendered (catalogue entries and release sections), so that
  ``:ldm:ms:`` and intersphinx resolve to one canonical entry;
* what each document read from the data (codes and filters), so that a data edit
  re-reads exactly the documents that show what changed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Set
from typing import Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode
from sphinx.util.typing import RoleFunction

from sphinxext_ldm.acronyms import Glossary
from sphinxext_ldm.history import History
from sphinxext_ldm.model import Catalog, Milestone, Rejected
from sphinxext_ldm.query import MilestoneFilter
from sphinxext_ldm.render.text import link_title, reference_text
from sphinxext_ldm.snapshots import SnapshotCache

logger = logging.getLogger(__name__)

#: Entry kinds, the preferred canonical target first.
CATALOGUE, SECTION = "catalogue", "section"
_PREFERENCE = {CATALOGUE: 0, SECTION: 1}


class Entry(NamedTuple):
    """A place a milestone is rendered: which document, which anchor, what kind."""

    docname: str
    anchor: str
    kind: str
    line: int | None


def entry_order(entry: Entry) -> tuple[int, str, int, str]:
    """Which entry wins: a catalogue entry, then the first by document name and line."""
    return _PREFERENCE[entry.kind], entry.docname, entry.line or 0, entry.anchor


class MilestoneRole(XRefRole):
    """``:ldm:ms:`CODE``` or ``:ldm:ms:`text <CODE>```: a link to a milestone's entry."""

    def result_nodes(
        self,
        document: nodes.document,
        env: BuildEnvironment,
        node: Element,
        is_ref: bool,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        # The link text comes from the data, so the page depends on this milestone.
        ldm_domain(env).note_codes(env.docname, [self.target])
        return [node], []


class LdmDomain(Domain):
    """Milestones as cross-referenceable objects."""

    name = "ldm"
    label = "LDM milestones"
    object_types: ClassVar[dict[str, ObjType]] = {"milestone": ObjType("milestone", "ms")}
    roles: ClassVar[dict[str, RoleFunction | XRefRole]] = {"ms": MilestoneRole(warn_dangling=True)}
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {
        "catalog": Catalog(),
        "today": None,  # the ldm_today of the build that read the documents
        "changed": set(),  # codes changed since the previous build
        "texts_changed": set(),  # of those, codes whose read-time text changed
        "moved": set(),  # codes on another line of the data file (only with ldm_edit_url)
        "today_changed": False,
        "glossary": Glossary(),
        "glossary_changed": set(),  # terms whose definitions changed since the last build
        "history": History(),  # the snapshots, the current data last
        "history_changed": False,
        "snapshot_cache": SnapshotCache(),  # snapshot files parsed, kept between builds
        "entries": {},  # code -> {docname: [Entry]}
        "uses": {},  # docname -> what its output depends on (see _use)
    }

    # -- the data --------------------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        catalog: Catalog = self.data["catalog"]
        return catalog

    @property
    def today(self) -> datetime.date:
        today: datetime.date = self.data["today"]
        return today

    def set_catalog(self, catalog: Catalog, today: datetime.date, lines: bool = False) -> None:
        """Install this build's data and remember what changed since the last build
        (with ``lines``, moving in the file counts: catalogue fields link to the line)."""
        self.data["changed"] = catalog.changed_codes(self.catalog)
        # Only catalogue fields show lines (links to the data file), filled in at write time.
        self.data["moved"] = catalog.moved_codes(self.catalog) if lines else set()
        self.data["texts_changed"] = catalog.changed_texts(self.catalog)
        self.data["today_changed"] = self.data["today"] != today
        self.data["catalog"] = catalog
        self.data["today"] = today

    @property
    def history(self) -> History:
        history: History = self.data["history"]
        return history

    @property
    def snapshot_cache(self) -> SnapshotCache:
        cache: SnapshotCache = self.data["snapshot_cache"]
        return cache

    def set_history(self, history: History, cache: SnapshotCache) -> None:
        self.data["history_changed"] = history != self.history
        self.data["history"] = history
        self.data["snapshot_cache"] = cache

    @property
    def glossary(self) -> Glossary:
        glossary: Glossary = self.data["glossary"]
        return glossary

    def set_glossary(self, glossary: Glossary) -> None:
        old = self.glossary.definitions
        new = glossary.definitions
        self.data["glossary_changed"] = {
            t for t in old.keys() | new.keys() if old.get(t) != new.get(t)
        }
        old_odd = self.glossary.nonstandard_terms()
        self.data["nonstandard_changed"] = old_odd != glossary.nonstandard_terms()
        self.data["glossary"] = glossary

    @property
    def term_targets(self) -> dict[str, tuple[str, str]]:
        """term -> (document, anchor) of the table entry that acronyms link to."""
        targets: dict[str, tuple[str, str]] = self.data.get("term_targets", {})
        return targets

    def nonstandard_terms_changed(self) -> bool:
        """Whether the terms matched by name (``ComCam``) changed: pages must be re-read
        to find them."""
        return bool(self.data.get("nonstandard_changed"))

    def glossary_pattern(self) -> re.Pattern[str] | None:
        """The pattern for this build's nonstandard terms, compiled once per process."""
        cached = getattr(self, "_pattern", None)
        if cached is None or cached[0] is not self.glossary:
            cached = (self.glossary, self.glossary.nonstandard_pattern())
            self._pattern = cached
        return cached[1]

    def outdated_documents(self) -> set[str]:
        """Documents to re-read: what they made while being read depends on data that
        changed since the last build."""
        changed: Set[str] = self.data["changed"]
        texts_changed: Set[str] = self.data["texts_changed"]
        today_changed: bool = self.data["today_changed"]
        history_changed: bool = self.data["history_changed"]
        if not changed and not today_changed and not history_changed:
            return set()
        # Old versions of changed milestones are not kept: a filter that matched a
        # milestone before an edit still lists its code among the document's codes.
        changed_now = [m for code in changed if (m := self.catalog.get(code))]
        rejected_now = [r for code in changed if (r := self.catalog.rejected.get(code))]
        return {
            docname
            for docname, use in self.data["uses"].items()
            if (today_changed and use["today"])
            or (history_changed and use["history"])
            or not changed.isdisjoint(use["codes"])
            or not texts_changed.isdisjoint(use["texts"])
            or any(f.matches(m, self.today) for f in use["filters"] for m in changed_now)
            or any(f.admits_rejected(r) for f in use["filters"] for r in rejected_now)
            or any(
                _codes(*self._selection(f, order)) != result
                for f, order, result in use["selections"]
            )
        }

    def rewritten_documents(self) -> set[str]:
        """Documents to write again without re-reading: only what they fill in when
        written (catalogue fields) depends on data that changed."""
        changed: Set[str] = self.data["changed"] | self.data["moved"]
        today_changed: bool = self.data["today_changed"]
        history_changed: bool = self.data["history_changed"]
        # Release sections and catalogue entries link to each other: when a milestone's
        # entries move, every page with entries is written again.
        places = self.entry_places()
        places_changed = places != self.data.get("entry_places")
        self.data["entry_places"] = places
        return {
            docname
            for docname, use in self.data["uses"].items()
            if (today_changed and use["written_today"])
            or (history_changed and use["written_history"])
            or not changed.isdisjoint(use["written"])
            or (places_changed and use["entries"])
        }

    # -- what documents use ----------------------------------------------------------------

    def _use(self, docname: str) -> dict[str, Any]:
        uses: dict[str, dict[str, Any]] = self.data["uses"]
        return uses.setdefault(
            docname,
            {
                "codes": set(),  # any change re-reads the document
                "texts": set(),  # a change of read-time text (changed_texts) re-reads it
                "written": set(),  # any change rewrites it
                "entries": set(),  # codes with an entry in it
                "filters": [],  # a changed milestone they match re-reads it
                "selections": [],  # (filter, order, result): a new result re-reads it
                "today": False,  # a new ldm_today re-reads it
                "written_today": False,  # a new ldm_today rewrites it
                "catalogue": False,  # it has an ldm-catalogue
                "history": False,  # a new history re-reads it
                "written_history": False,  # a new history rewrites it
            },
        )

    def note_codes(self, docname: str, codes: Iterable[str]) -> None:
        self._use(docname)["codes"].update(codes)

    def note_filter(self, docname: str, selection: MilestoneFilter) -> None:
        use = self._use(docname)
        use["filters"].append(selection)
        use["today"] = use["today"] or selection.depends_on_today

    def note_today(self, docname: str) -> None:
        self._use(docname)["today"] = True

    def note_selection(
        self, docname: str, selection: MilestoneFilter, order: str
    ) -> tuple[list[Milestone], list[Rejected]]:
        """What ``selection`` selects, in ``order``; the document is re-read only when
        that list changes (not when a selected milestone's fields do)."""
        found, unusable = self._selection(selection, order)
        self._use(docname)["selections"].append((selection, order, _codes(found, unusable)))
        return found, unusable

    def _selection(
        self, selection: MilestoneFilter, order: str
    ) -> tuple[list[Milestone], list[Rejected]]:
        return selection.select(self.catalog, self.today, order), selection.rejected(self.catalog)

    def note_texts(self, docname: str, codes: Iterable[str]) -> None:
        self._use(docname)["texts"].update(codes)

    def note_written(self, docname: str, codes: Iterable[str], today: bool = False) -> None:
        use = self._use(docname)
        use["written"].update(codes)
        use["written_today"] = use["written_today"] or today

    def note_history(self, docname: str, written: bool = False) -> None:
        """``docname`` shows the schedule's history: made while reading (re-read when it
        changes), or with ``written``, filled in when written (rewritten)."""
        self._use(docname)["written_history" if written else "history"] = True

    def note_catalogue(self, docname: str) -> None:
        self._use(docname)["catalogue"] = True

    @property
    def has_catalogue(self) -> bool:
        """Whether any document has an ``ldm-catalogue`` (else links made from the data to
        milestones without an entry show their code, with no warning: a technote)."""
        return any(use["catalogue"] for use in self.data["uses"].values())

    def note_entry(self, code: str, entry: Entry) -> None:
        entries: dict[str, dict[str, list[Entry]]] = self.data["entries"]
        entries.setdefault(code, {}).setdefault(entry.docname, []).append(entry)
        self._use(entry.docname)["entries"].add(code)

    # -- environment life cycle ------------------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        use = self.data["uses"].pop(docname, None)
        if use is None:
            return
        entries: dict[str, dict[str, list[Entry]]] = self.data["entries"]
        for code in use["entries"]:
            by_doc = entries.get(code)
            if by_doc is not None:
                by_doc.pop(docname, None)
                if not by_doc:
                    del entries[code]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            use = otherdata["uses"].get(docname)
            if use is None:
                continue
            mine = self._use(docname)
            for key in ("codes", "texts", "written", "entries"):
                mine[key].update(use[key])
            for key in ("filters", "selections"):
                mine[key].extend(use[key])
            for key in ("today", "written_today", "catalogue", "history", "written_history"):
                mine[key] = mine[key] or use[key]
        entries: dict[str, dict[str, list[Entry]]] = self.data["entries"]
        for code, by_doc in otherdata["entries"].items():
            for docname, found in by_doc.items():
                if docname in docnames:
                    entries.setdefault(code, {})[docname] = list(found)

    # -- resolving -------------------------------------------------------------------------

    def canonical_entry(self, code: str) -> Entry | None:
        """The one entry links go to: a catalogue entry if any, else a release section."""
        by_doc = self.data["entries"].get(code)
        if not by_doc:
            return None
        found: list[Entry] = [e for entries in by_doc.values() for e in entries]
        return min(found, key=entry_order)

    def section_entries(self, code: str) -> list[Entry]:
        """The release sections that show ``code``, in document order."""
        by_doc = self.data["entries"].get(code, {})
        found = [e for entries in by_doc.values() for e in entries if e.kind == SECTION]
        return sorted(found, key=entry_order)

    def entry_places(self) -> dict[str, list[tuple[str, str]]]:
        """Where each milestone has entries, (document, kind): what the links between
        release sections and catalogue entries depend on."""
        return {
            code: sorted({(e.docname, e.kind) for es in by_doc.values() for e in es})
            for code, by_doc in self.data["entries"].items()
        }

    def duplicate_entries(self) -> Iterator[tuple[str, list[Entry]]]:
        """Milestones given more than one entry of the same kind."""
        for code, by_doc in sorted(self.data["entries"].items()):
            for kind in (CATALOGUE,):
                found = sorted(
                    (e for es in by_doc.values() for e in es if e.kind == kind), key=entry_order
                )
                if len(found) > 1:
                    yield code, found

    def milestone_reference(
        self,
        builder: Builder,
        fromdocname: str,
        milestone: Milestone,
        entry: Entry,
        node: pending_xref,
        contnode: Element,
    ) -> Element:
        if node.get("refexplicit"):
            child: Element = contnode
        else:
            text = reference_text(milestone, self.env.config.ldm_reference_format)
            child = nodes.inline(text, text, classes=contnode.get("classes", []))
        return entry_reference(builder, fromdocname, entry, child, link_title(milestone))

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> Element | None:
        milestone = self.catalog.get(target)
        entry = self.canonical_entry(target)
        if milestone is None or entry is None:
            return None
        return self.milestone_reference(builder, fromdocname, milestone, entry, node, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, Element]]:
        found = self.resolve_xref(env, fromdocname, builder, "ms", target, node, contnode)
        return [("ldm:ms", found)] if found is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for code in sorted(self.data["entries"]):
            entry = self.canonical_entry(code)
            milestone = self.catalog.get(code)
            if entry is None or milestone is None:
                continue
            # The code as display name: Sphinx's search matches objects by it (and splits
            # display names at dots, which names often have); names are found as text.
            yield code, code, "milestone", entry.docname, entry.anchor, 1


def _codes(
    found: list[Milestone], unusable: list[Rejected]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(m.code for m in found), tuple(r.code for r in unusable)


def entry_reference(
    builder: Builder, fromdocname: str, entry: Entry, child: Element, title: str | None = None
) -> nodes.reference:
    """A reference to ``entry`` from ``fromdocname``, for this builder."""
    ref = make_refnode(builder, fromdocname, entry.docname, entry.anchor, child, title)
    uri = ref.get("refuri", "")
    # singlehtml (Sphinx 9) gives "#document-x#anchor"; a URL has one fragment.
    if uri.count("#") > 1:
        ref["refuri"] = uri[: uri.index("#")] + "#" + uri.rsplit("#", 1)[1]
    return ref


def ldm_domain(env: BuildEnvironment) -> LdmDomain:
    domain = env.get_domain("ldm")
    assert isinstance(domain, LdmDomain)
    return domain
