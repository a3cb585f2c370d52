"""Acronyms: definitions, choosing among them, and finding terms in text. No Sphinx.

Detection follows lsst-texmf's ``generateAcronyms``: acronym-like words (a capital, then
capitals or digits: ``DM``, ``DP0``, ``M1M3``) plus every defined term that does not look
like that (``ComCam``, ``SQuaRE``, ``I&T``), matched as whole words, longest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

ACRONYM_LIKE = re.compile(r"\b[A-Z][A-Z0-9]+\b")


@dataclass(frozen=True, slots=True)
class Acronym:
    """One definition of a term. A term may have several, told apart by tags."""

    term: str
    definition: str
    tags: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    path: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)


def looks_like_an_acronym(term: str) -> bool:
    return ACRONYM_LIKE.fullmatch(term) is not None


@dataclass(frozen=True)
class Glossary:
    """Every definition, by term, in the order of the files (later files win)."""

    definitions: dict[str, tuple[Acronym, ...]] = field(default_factory=dict)

    @classmethod
    def from_sources(cls, sources: Iterable[Sequence[Acronym]]) -> Glossary:
        """Merge definition lists; a term defined in a later source replaces earlier ones
        (as lsst-texmf's local ``myacronyms.txt`` overrides the shared file)."""
        merged: dict[str, tuple[Acronym, ...]] = {}
        for source in sources:
            by_term: dict[str, list[Acronym]] = {}
            for acronym in source:
                by_term.setdefault(acronym.term, []).append(acronym)
            merged.update({term: tuple(defs) for term, defs in by_term.items()})
        return cls(merged)

    def __contains__(self, term: object) -> bool:
        return term in self.definitions

    def __len__(self) -> int:
        return len(self.definitions)

    def choose(
        self, term: str, tags: Sequence[str], choices: Mapping[str, str] | None = None
    ) -> Acronym | None:
        """The definition to use for ``term``: a per-document choice (an exact definition,
        or a tag), else the first definition carrying the earliest preferred tag, else the
        first one."""
        options = self.definitions.get(term, ())
        chosen = (choices or {}).get(term)
        if chosen is not None:
            for acronym in options:
                if chosen in (acronym.definition, *acronym.tags):
                    return acronym
            return Acronym(term, chosen)  # a local definition for this document
        for tag in tags:
            for acronym in options:
                if tag in acronym.tags:
                    return acronym
        return options[0] if options else None

    def nonstandard_terms(self) -> frozenset[str]:
        """Defined terms that the acronym-like pattern would miss (``ComCam``)."""
        return frozenset(t for t in self.definitions if not looks_like_an_acronym(t))

    def nonstandard_pattern(self) -> re.Pattern[str] | None:
        """A pattern for the defined terms that the acronym-like pattern would miss."""
        odd = sorted(self.nonstandard_terms(), key=len, reverse=True)
        if not odd:
            return None
        alternatives = "|".join(re.escape(term) for term in odd)
        return re.compile(rf"(?<![\w&])(?:{alternatives})(?![\w&])")


@dataclass(frozen=True, slots=True)
class Match:
    term: str
    start: int
    end: int


def find_terms(text: str, nonstandard: re.Pattern[str] | None) -> Iterator[Match]:
    """Acronym-like words and nonstandard defined terms in ``text``, in order; a
    nonstandard term overlapping an acronym-like word is not one.

    Both kinds come in order and without overlaps among themselves, so one pass over
    each, merged, finds them all: time linear in the text and the number of terms.
    """
    words = (Match(m[0], m.start(), m.end()) for m in ACRONYM_LIKE.finditer(text))
    if nonstandard is None:
        yield from words
        return
    word = next(words, None)
    for found in nonstandard.finditer(text):
        start, end = found.span()
        # Words ending before this term also end before every later one.
        while word is not None and word.end <= start:
            yield word
            word = next(words, None)
        if word is None or end <= word.start:  # no word overlaps it
            yield Match(found[0], start, end)
    if word is not None:
        yield word
        yield from words
