"""``ldm-acronyms`` (the table of acronyms a document uses) and ``ldm-acronym-choices``."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinxext_ldm.acronym_usage import doc_acronyms
from sphinxext_ldm.directives.options import LdmDirective, split_words
from sphinxext_ldm.nodes import pending_acronyms

SCOPES = ("document", "project")
STYLES = ("table", "glossary")


class LdmAcronyms(LdmDirective):
    """The acronyms used in this document (or the whole project) with their definitions,
    sorted; found in the text, including text from the milestone data.

    .. code-block:: rst

       .. ldm-acronyms::
          :scope: project
          :exclude-documents: appendix/*
          :exclude: NET
    """

    has_content = False
    option_spec: ClassVar = {
        "scope": directives.unchanged_required,
        "include": directives.unchanged_required,
        "exclude": directives.unchanged_required,
        "style": directives.unchanged_required,
        "exclude-documents": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        glossary = self.ldm.glossary
        include = split_words(self.options.get("include", ""))
        for term in include:
            if term not in glossary:
                self.warn("option", f"{self.name}: :include: {term} has no definition")
        options = {
            "scope": self.one_of("scope", SCOPES, "document"),
            "style": self.one_of("style", STYLES, "table"),
            "include": [t for t in include if t in glossary],
            "exclude": split_words(self.options.get("exclude", "")),
            "exclude_documents": split_words(self.options.get("exclude-documents", "")),
        }
        doc_acronyms(self.env, self.env.docname).tables.append(options)
        node = pending_acronyms(options=options)
        self.set_source_info(node)
        return [node]


class LdmAcronymChoices(LdmDirective):
    """Definitions for this document: choose among a term's shared definitions (by the
    definition's text or a tag), or give one of its own.

    .. code-block:: rst

       .. ldm-acronym-choices::

          L1: Level 1
          AC: DM
    """

    has_content = True

    def run(self) -> list[nodes.Node]:
        choices = doc_acronyms(self.env, self.env.docname).choices
        for offset, line in enumerate(self.content):
            if not line.strip():
                continue
            term, sep, definition = line.partition(":")
            if not sep or not term.strip() or not definition.strip():
                self.warn(
                    "option",
                    f"{self.name}: {line.strip()!r} is not 'TERM: definition or tag'",
                    self.content_location(offset),
                )
                continue
            choices[term.strip()] = definition.strip()
        return []
