"""The milestone data model: plain, immutable values with no Sphinx imports."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Fields a milestone may have in the data file, in the order they are documented.
MILESTONE_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "level",
    "due",
    "baseline",
    "completed",
    "predecessors",
    "short_name",
    "wbs",
    "description",
    "test_spec",
    "jira",
)
REQUIRED_FIELDS: tuple[str, ...] = ("code", "name", "due")


@dataclass(frozen=True, slots=True)
class Milestone:
    """One milestone as written in the data file (after validation)."""

    code: str
    name: str
    due: datetime.date
    level: int | None = None
    baseline: datetime.date | None = None
    completed: datetime.date | None = None
    predecessors: tuple[str, ...] = ()
    short_name: str | None = None
    wbs: str | None = None
    description: str | None = None
    test_spec: str | None = None
    jira: str | None = None
    # Where it was written; not part of equality, so that inserting a milestone
    # above another does not make the other look changed to incremental builds.
    path: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)
    #: The line the description's text starts on, so that messages about it point there.
    description_line: int | None = field(default=None, compare=False)

    @property
    def is_completed(self) -> bool:
        return self.completed is not None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A milestone whose entry in the data file cannot be used, kept so that pages show
    a placeholder naming it and the problem instead of leaving a gap."""

    code: str
    reason: str
    level: int | None = None
    path: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    @property
    def summary(self) -> str:
        # The file's name alone: pages must not depend on where the project is checked out.
        where = f" ({os.path.basename(self.path)}:{self.line})" if self.path else ""
        return f"invalid data{where}: {self.reason}"


@dataclass(frozen=True)
class Catalog:
    """All milestones of a project, indexed by code, with derived successor lists.

    Built once per build by the loader and never mutated afterwards.
    """

    milestones: dict[str, Milestone] = field(default_factory=dict)
    successors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Codes whose data could not be used, with why: shown as placeholders.
    rejected: dict[str, Rejected] = field(default_factory=dict)
    #: Predecessor links to rejected milestones, left out of ``predecessors``.
    rejected_links: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_milestones(
        cls,
        milestones: list[Milestone],
        rejected: dict[str, Rejected] | None = None,
        rejected_links: dict[str, tuple[str, ...]] | None = None,
    ) -> Catalog:
        """Index ``milestones`` (codes must be unique, predecessors known)."""
        by_code = {m.code: m for m in milestones}
        succ: dict[str, list[str]] = {code: [] for code in by_code}
        for m in milestones:
            for pred in m.predecessors:
                succ[pred].append(m.code)
        return cls(
            by_code,
            {code: tuple(codes) for code, codes in succ.items()},
            rejected or {},
            rejected_links or {},
        )

    def __contains__(self, code: object) -> bool:
        return code in self.milestones

    def __iter__(self) -> Iterator[Milestone]:
        return iter(self.milestones.values())

    def __len__(self) -> int:
        return len(self.milestones)

    def get(self, code: str) -> Milestone | None:
        return self.milestones.get(code)

    def fingerprint(self, code: str) -> object:
        """What a page showing ``code`` depends on: the milestone, its successors, and
        its links to rejected milestones (or the rejection itself)."""
        milestone = self.milestones.get(code)
        if milestone is None:
            return self.rejected.get(code)
        return milestone, self.successors.get(code, ()), self.rejected_links.get(code, ())

    def text_fingerprint(self, code: str) -> object:
        """The text a page reads from ``code`` into its tree (a catalogue entry's name,
        description and the free-text fields its acronyms are counted from); the rest
        of an entry is filled in when the page is written."""
        milestone = self.milestones.get(code)
        if milestone is None:
            return self.rejected.get(code)
        m = milestone
        return m.name, m.description, m.short_name, m.wbs, m.test_spec, m.path

    def changed_texts(self, other: Catalog) -> set[str]:
        """Codes whose :meth:`text_fingerprint` differs between two catalogs."""
        codes = set(self.milestones) | set(other.milestones)
        codes |= set(self.rejected) | set(other.rejected)
        return {c for c in codes if self.text_fingerprint(c) != other.text_fingerprint(c)}

    def changed_codes(self, other: Catalog) -> set[str]:
        """Codes added, removed or changed (including successors) between two catalogs."""
        codes = set(self.milestones) | set(other.milestones)
        codes |= set(self.rejected) | set(other.rejected)
        return {code for code in codes if self.fingerprint(code) != other.fingerprint(code)}

    def moved_codes(self, other: Catalog) -> set[str]:
        """Milestones in both catalogs that moved to another line of the file."""
        return {
            code
            for code in set(self.milestones) & set(other.milestones)
            if self.milestones[code].line != other.milestones[code].line
        }
