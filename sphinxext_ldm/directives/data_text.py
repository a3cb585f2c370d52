"""reStructuredText that comes from the data (milestone descriptions), parsed with an
allow-list.

The data is written by many hands and by the scheduling system, and the site is public:
a description may do no more than the text it is. While one is parsed, only these are
allowed, whatever extensions the project loads:

- paragraphs, inline markup, lists, literal blocks, tables, block quotes, comments;
- the directives in :data:`DIRECTIVES` (admonitions, code blocks, tables);
- the roles in :data:`ROLES` (inline styles, ``:ref:``, ``:doc:``, ``:term:`` and this
  extension's ``:ldm:ms:``); interpreted text without a role is a title reference, whatever
  the project's ``default_role``;
- links to ``http``, ``https`` and ``mailto`` URIs.

Everything else is left out with an ``ldm.description`` warning located in the data file
that names it: other directives (``figure``, ``include``, ``ifconfig``, ``meta``,
``raw``...), other roles (``:download:``, ``:math:``...: their text is shown as it is),
hyperlink targets, substitution definitions, footnotes and citations, links to other
URIs (shown as their text). Nothing in a description is registered with the page either
(targets, substitutions, footnotes), so it cannot change what the page's own markup
means. The rest of the description renders.

Three layers, so that no single oversight lets something through: directive and role
lookups go through the allow-list, block-level explicit markup other than directives and
comments is refused as it is parsed, and the nodes parsed are checked against
:data:`NODES` afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from docutils.parsers.rst import Directive, directives, languages, roles, states
from docutils.statemachine import StringList, string2lines
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.parsing import nested_parse_to_nodes

logger = logging.getLogger(__name__)

#: Directives a description may use.
DIRECTIVES = frozenset(
    {
        "admonition", "attention", "caution", "danger", "error", "hint", "important",
        "note", "tip", "warning", "seealso",
        "code-block", "code", "sourcecode",
        "list-table", "table",
    }
)  # fmt: skip
#: Roles a description may use (also with a domain: ``std:ref``, ``ldm:ms``).
ROLES = frozenset(
    {
        "emphasis", "strong", "literal", "code", "subscript", "sub", "superscript", "sup",
        "title-reference", "title", "t", "abbreviation", "ab", "acronym", "ac", "abbr",
        "kbd", "samp", "file", "command", "program", "guilabel", "menuselection",
        "ref", "doc", "term", "ms", "ldm:ms", "std:ref", "std:doc", "std:term",
    }
)  # fmt: skip
#: What interpreted text without a role is in a description.
DEFAULT_ROLE = "title-reference"
#: URI schemes a link in a description may have.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: Node types a description may hold once parsed.
NODES: tuple[type[nodes.Node], ...] = (
    nodes.Text, nodes.paragraph, nodes.emphasis, nodes.strong, nodes.literal,
    nodes.subscript, nodes.superscript, nodes.title_reference, nodes.abbreviation,
    nodes.acronym, nodes.inline, nodes.reference, nodes.substitution_reference,
    nodes.bullet_list, nodes.enumerated_list, nodes.list_item, nodes.definition_list,
    nodes.definition_list_item, nodes.term, nodes.classifier, nodes.definition,
    nodes.field_list, nodes.field, nodes.field_name, nodes.field_body, nodes.option_list,
    nodes.option_list_item, nodes.option_group, nodes.option, nodes.option_string,
    nodes.option_argument, nodes.description, nodes.literal_block, nodes.doctest_block,
    nodes.line_block, nodes.line, nodes.block_quote, nodes.attribution, nodes.comment,
    nodes.table, nodes.tgroup, nodes.colspec, nodes.thead, nodes.tbody, nodes.row,
    nodes.entry, nodes.title, nodes.caption, nodes.container, nodes.Admonition,
    nodes.problematic, nodes.system_message,
    addnodes.pending_xref, addnodes.literal_emphasis, addnodes.literal_strong,
    addnodes.seealso,
)  # fmt: skip
#: The document's methods that register targets, footnotes and substitutions page-wide.
REGISTRATIONS = (
    "note_implicit_target", "note_explicit_target", "note_indirect_target",
    "note_anonymous_target", "note_autofootnote", "note_autofootnote_ref",
    "note_symbol_footnote", "note_symbol_footnote_ref", "note_footnote",
    "note_footnote_ref", "note_citation", "note_citation_ref", "note_substitution_def",
    "note_pending",
)  # fmt: skip
#: Block-level explicit markup refused as it is parsed, by docutils' method name.
REFUSED_CONSTRUCTS = {
    "footnote": "a footnote",
    "citation": "a citation",
    "hyperlink_target": "a hyperlink target",
    "substitution_def": "a substitution definition",
}


def parse_data_text(state: Any, text: str, source: str, line: int) -> list[nodes.Node]:
    """``text`` parsed as a description from ``source`` (the data file), starting at its
    ``line``: messages point at the data file's lines, and only what the allow-list
    admits is kept (see the module's docstring)."""
    document = state.document
    settings, reporter = document.settings, document.reporter
    saved = (settings.raw_enabled, settings.file_insertion_enabled, reporter.get_source_and_line)
    state = _rst_state(state)
    settings.raw_enabled = settings.file_insertion_enabled = False
    reporter.get_source_and_line = lambda lineno=None: (source, lineno)
    # Each line carries its line in the data file, so that every message points there.
    rows = string2lines(text, settings.tab_width, convert_whitespace=True)
    content = StringList(rows, items=[(source, line - 1 + i) for i in range(len(rows))])
    try:
        with _allow_list(document, source):
            parsed = nested_parse_to_nodes(
                state, content, source=source, offset=line - 1, allow_section_headings=False
            )
        return _checked(parsed, source, line)
    finally:
        settings.raw_enabled, settings.file_insertion_enabled = saved[0], saved[1]
        reporter.get_source_and_line = saved[2]


def _rst_state(state: Any) -> states.RSTState:
    """A reStructuredText state on ``state``'s document. A directive on a MyST Markdown
    page gets myst-parser's stand-in, whose nested parse reads Markdown; descriptions are
    reStructuredText on every page. Set up as ``RSTStateMachine.run`` sets up a parse."""
    if isinstance(state, states.RSTState):
        return state
    document = state.document
    machine = states.RSTStateMachine(state_classes=states.state_classes, initial_state="Body")
    machine.language = languages.get_language(document.settings.language_code, document.reporter)
    inliner = states.Inliner()
    inliner.init_customizations(document.settings)
    machine.memo = states.Struct(
        document=document,
        reporter=document.reporter,
        language=machine.language,
        title_styles=[],
        section_level=0,
        section_bubble_up_kludge=False,
        inliner=inliner,
    )
    machine.document, machine.reporter, machine.node = document, document.reporter, document
    machine.runtime_init()
    body: states.RSTState = machine.get_state()
    return body


def warn(message: str, source: str, line: int | None) -> None:
    logger.warning(
        "%s in a milestone description",
        message,
        location=f"{source}:{line or 0}",
        type="ldm",
        subtype="description",
    )


@contextmanager
def _allow_list(document: nodes.document, source: str) -> Iterator[None]:
    """Directive and role lookups through the allow-list, block-level targets,
    substitutions, footnotes and citations refused, and nothing registered page-wide."""
    lookup_directive, lookup_role = directives.directive, roles.role
    constructs = states.Body.explicit.constructs
    anonymous_target = states.Body.anonymous_target

    def directive(name: str, language: Any, doc: Any) -> tuple[type[Directive] | None, list[Any]]:
        if name.lower() in DIRECTIVES:
            found: tuple[type[Directive] | None, list[Any]] = lookup_directive(name, language, doc)
            return found
        return _refused_directive(name, source), []

    def role(name: str, language: Any, lineno: int, reporter: Any) -> tuple[Any, list[Any]]:
        name = name.lower() or DEFAULT_ROLE
        if name in ROLES:
            looked_up: tuple[Any, list[Any]] = lookup_role(name, language, lineno, reporter)
            return looked_up
        return _refused_role(name, source), []

    directives.directive = directive
    roles.role = role
    states.Body.explicit.constructs = [
        (_refused_construct(method.__name__, source), pattern)
        if method.__name__ in REFUSED_CONSTRUCTS
        else (method, pattern)
        for method, pattern in constructs
    ]
    states.Body.anonymous_target = _refused_anonymous_target(source)
    for name in REGISTRATIONS:
        setattr(document, name, _ignore)
    try:
        yield
    finally:
        directives.directive, roles.role = lookup_directive, lookup_role
        states.Body.explicit.constructs = constructs
        states.Body.anonymous_target = anonymous_target
        for name in REGISTRATIONS:
            delattr(document, name)


def _ignore(*args: object, **kwargs: object) -> None:
    """A registration of something a description made: it stays inside the description."""


def _refused_directive(name: str, source: str) -> type[Directive]:
    class Refused(Directive):  # type: ignore[misc]
        """Takes any arguments, options and content, and leaves them out."""

        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = _AnyOption()

        def run(self) -> list[nodes.Node]:
            _, line = self.state_machine.get_source_and_line(self.lineno)
            warn(f"the directive '{name}' is not allowed; it is left out", source, line)
            return []

    return Refused


class _AnyOption(dict[str, Callable[[str], str]]):
    """An option spec that takes every option as text (a refused directive's options
    are left out with it, not reported one by one)."""

    def __getitem__(self, key: str) -> Callable[[str], str]:
        unchanged: Callable[[str], str] = directives.unchanged
        return unchanged

    def __contains__(self, key: object) -> bool:
        return True

    def __bool__(self) -> bool:
        return True


def _refused_role(name: str, source: str) -> Callable[..., tuple[list[nodes.Node], list[Any]]]:
    def role(
        role_name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Any,
        options: dict[str, Any] | None = None,
        content: Sequence[str] = (),
    ) -> tuple[list[nodes.Node], list[Any]]:
        warn(f"the role '{name}' is not allowed; its text is shown as it is", source, lineno)
        return [nodes.Text(text)], []

    return role


def _refused_construct(kind: str, source: str) -> Callable[[Any, Any], tuple[list[Any], bool]]:
    what = REFUSED_CONSTRUCTS[kind]

    def refuse(state: Any, match: Any) -> tuple[list[Any], bool]:
        line = state.state_machine.abs_line_number()
        *_, blank_finish = state.state_machine.get_first_known_indented(match.end())
        warn(f"{what} is not allowed; it is left out", source, line)
        return [], blank_finish

    return refuse


def _refused_anonymous_target(source: str) -> Callable[[Any, Any], tuple[list[Any], bool]]:
    def refuse(state: Any, match: Any) -> tuple[list[Any], bool]:
        line = state.state_machine.abs_line_number()
        *_, blank_finish = state.state_machine.get_first_known_indented(
            match.end(), until_blank=True
        )
        warn("an anonymous hyperlink target is not allowed; it is left out", source, line)
        return [], blank_finish

    return refuse


def _checked(parsed: list[nodes.Node], source: str, line: int) -> list[nodes.Node]:
    """``parsed`` with every node the allow-list does not admit left out (warned), links
    to other schemes as their text, and no ids or names of its own."""
    kept: list[nodes.Node] = []
    for node in parsed:
        kept.extend(_check(node, source, line))
    return kept


def _check(node: nodes.Node, source: str, line: int) -> list[nodes.Node]:
    """``node`` as kept; ``line`` is the nearest enclosing line known (inline nodes have
    none of their own)."""
    line = node.line or line
    if isinstance(node, nodes.target):
        if not _is_link_target(node):
            warn("a hyperlink target is not allowed; it is left out", source, line)
        return []  # an embedded URI's target: the link itself carries the URI
    if not isinstance(node, NODES):
        what = f"'{node.tagname}'"  # e.g. an image from a substitution
        warn(f"the element {what} is not allowed; it is left out", source, line)
        return []
    if isinstance(node, nodes.reference) and not _allowed_link(node):
        uri = node.get("refuri", "")
        warn(
            f"a link to {uri!r} is not allowed (only {', '.join(sorted(LINK_SCHEMES))} links); "
            "its text is shown",
            source,
            line,
        )
        return [nodes.Text(node.astext())]
    if isinstance(node, nodes.Element):
        node["ids"], node["names"] = [], []
        children = [kept for child in node.children for kept in _check(child, source, line)]
        node.children = []
        node.extend(children)
    return [node]


def _is_link_target(node: nodes.target) -> bool:
    """The target docutils makes beside a link with an embedded URI (`` `x <uri>`_ ``)."""
    parent = node.parent
    if parent is None or "refuri" not in node:
        return False
    index = parent.index(node)
    before = parent[index - 1] if index else None
    return isinstance(before, nodes.reference) and before.get("refuri") == node["refuri"]


def _allowed_link(node: nodes.reference) -> bool:
    """Links to http, https and mailto URIs, and references within the page."""
    uri = node.get("refuri")
    if uri is None:
        return "refid" in node or "refname" in node
    # Control characters and spaces can hide a scheme from a parser ("java\tscript:").
    cleaned = "".join(char for char in uri if char.isprintable() and not char.isspace())
    return urlsplit(cleaned).scheme.lower() in LINK_SCHEMES
