"""Acronym tables and hover definitions, rendered once every page has been read."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util.nodes import make_refnode

from sphinxext_ldm.acronym_usage import doc_acronyms, table_terms
from sphinxext_ldm.acronyms import find_terms
from sphinxext_ldm.domain import ldm_domain
from sphinxext_ldm.nodes import pending_acronyms
from sphinxext_ldm.render.docutils import table, text_cell
from sphinxext_ldm.transforms import LdmPostTransform

#: Where acronyms get no hover definition: headings, code, math, links, and the tables.
NO_ABBREVIATION = (
    nodes.title,
    nodes.subtitle,
    nodes.rubric,
    nodes.literal_block,
    nodes.literal,
    nodes.doctest_block,
    nodes.math,
    nodes.math_block,
    nodes.reference,
    nodes.abbreviation,
    nodes.comment,
    nodes.raw,
    nodes.target,
    nodes.term,
    nodes.field_name,
    nodes.problematic,
    nodes.system_message,
    addnodes.desc_signature,
    addnodes.pending_xref,
    addnodes.toctree,
    pending_acronyms,
)


class AcronymTableTransform(LdmPostTransform):
    """``ldm-acronyms``: a two-column table (or a glossary) of the terms in scope."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        domain = ldm_domain(self.env)
        docname = self.env.docname
        choices = doc_acronyms(self.env, docname).choices
        tags = list(self.config.ldm_acronym_tags)
        listed = domain.term_targets
        for node in list(self.document.findall(pending_acronyms)):
            options = node["options"]
            rows = []
            for term in table_terms(self.env, domain, docname, options):
                acronym = domain.glossary.choose(term, tags, choices)
                if acronym is not None:
                    # Only the first table listing a term carries its anchor.
                    target = listed.get(term)
                    anchor = target[1] if target is not None and target[0] == docname else ""
                    rows.append((term, acronym.definition, anchor))
            if options["style"] == "glossary":
                node.replace_self(glossary_list(rows))
            else:
                node.replace_self(acronym_table(rows))


def acronym_table(rows: list[tuple[str, str, str]]) -> nodes.table:
    cells = [
        [nodes.paragraph(term, term, ids=[anchor] if anchor else []), text_cell(definition)]
        for term, definition, anchor in rows
    ]
    headers = ("Acronym", "Description")
    return table(headers, (20, 80), cells, ["ldm-acronyms"], empty="No acronyms are used.")


def glossary_list(rows: list[tuple[str, str, str]]) -> nodes.Element:
    glossary = addnodes.glossary()
    items = nodes.definition_list(classes=["glossary", "ldm-acronyms"])
    for term, definition, anchor in rows:
        item = nodes.definition_list_item()
        item += nodes.term(term, term, ids=[anchor] if anchor else [])
        item += nodes.definition("", nodes.paragraph(definition, definition))
        items += item
    glossary += items
    return glossary


class AbbreviationTransform(LdmPostTransform):
    """Defined acronyms in body text get their definition on hover (``<abbr>``) and a
    link to their table entry: the first on each page, every one, or none
    (``ldm_acronym_links``)."""

    # After the references resolver (10): links are reference nodes by then, and skipped.
    default_priority = 20
    # Other writers spell the definition out in the text ("DM (Data Management)"),
    # which changes the document; their readers have the acronym table.
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        mode = self.config.ldm_acronym_links
        domain = ldm_domain(self.env)
        if mode == "off" or not len(domain.glossary):
            return
        docname = self.env.docname
        choices = doc_acronyms(self.env, docname).choices
        tags = list(self.config.ldm_acronym_tags)
        skip = set(self.config.ldm_acronym_skip)
        targets = domain.term_targets
        pattern = domain.glossary_pattern()
        done: set[str] = set()
        replaced: dict[int, tuple[nodes.Element, dict[int, list[nodes.Node]]]] = {}
        for text in _body_texts(self.document):
            pieces: list[nodes.Node] = []
            position = 0
            source = str(text)
            for match in find_terms(source, pattern):
                term = match.term
                if term in skip or (mode == "first" and term in done):
                    continue
                acronym = domain.glossary.choose(term, tags, choices)
                if acronym is None:
                    continue
                done.add(term)
                pieces.append(nodes.Text(source[position : match.start]))
                abbr = nodes.abbreviation(term, term, explanation=acronym.definition)
                target = targets.get(term)
                if target is not None:
                    ref = make_refnode(self.builder, docname, target[0], target[1], abbr)
                    ref["classes"].append("ldm-acronym")
                    pieces.append(ref)
                else:
                    pieces.append(abbr)
                position = match.end
            if pieces:
                pieces.append(nodes.Text(source[position:]))
                parent = text.parent
                replaced.setdefault(id(parent), (parent, {}))[1][id(text)] = pieces
        for parent, pieces_of in replaced.values():
            _replace_children(parent, pieces_of)


def _replace_children(parent: nodes.Element, pieces_of: dict[int, list[nodes.Node]]) -> None:
    """The children of ``parent`` with some (by identity) replaced by their pieces, in one
    pass: ``Element.replace`` searches the children for each one (by equality: Text
    nodes are strings), quadratic in a paragraph of many inline nodes."""
    children: list[nodes.Node] = []
    for child in parent.children:
        pieces = pieces_of.get(id(child))
        if pieces is None:
            children.append(child)
            continue
        for piece in pieces:
            parent.setup_child(piece)
        children.extend(pieces)
    parent.children = children


def _body_texts(document: nodes.document) -> list[nodes.Text]:
    found: list[nodes.Text] = []
    stack: list[nodes.Node] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, NO_ABBREVIATION):
            continue
        if isinstance(node, nodes.Element) and "ldm-acronyms" in node["classes"]:
            continue  # the acronym tables themselves
        if isinstance(node, nodes.Text):
            found.append(node)
        else:
            stack.extend(reversed(node.children))
    return found
