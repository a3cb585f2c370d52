"""Docutils nodes for milestones: pure functions of the model.

Links to other milestones are emitted as Sphinx ``pending_xref`` nodes (the standard
pending node), resolved by the ``ldm`` domain once every document has been read.
Everything from the data goes into ``Text`` nodes, which every writer escapes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes

from sphinxext_ldm.changes import Block, Code, Data, Heading, Items, Lead
from sphinxext_ldm.changes import Part as ChangePart
from sphinxext_ldm.history import History
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.query import SectionStyle, contributions, slip, status
from sphinxext_ldm.render.fields import (
    ExternalLink,
    Field,
    MilestoneLink,
    Part,
    Styled,
    jira_part,
    milestone_links,
)
from sphinxext_ldm.render.text import due_phrase, iso, section_title, signed_days


def milestone_xref(code: str) -> addnodes.pending_xref:
    """A link to ``code``'s canonical entry, showing the code itself.

    It is made from the data, not written by an author (``ldm_generated``): in a project
    without a catalogue, a milestone with no entry shows its code unlinked, silently.
    """
    ref: addnodes.pending_xref = addnodes.pending_xref(
        "",
        refdomain="ldm",
        reftype="ms",
        reftarget=code,
        refexplicit=True,
        refwarn=True,
        ldm_generated=True,
    )
    ref += nodes.inline(code, code, classes=["xref", "ldm", "ldm-ms"])
    return ref


def xref_list(codes: Iterable[str]) -> nodes.paragraph:
    """Comma-separated links, or an em dash when there are none."""
    return nodes.paragraph("", "", *(_part_node(part) for part in milestone_links(codes)))


def release_section(
    catalog: Catalog,
    milestone: Milestone,
    no_features_text: str,
    style: SectionStyle | None = None,
) -> nodes.section:
    """One LDM-564 release section: title, due line, contributed milestones.

    The caller gives the section its ids (they depend on the document).
    """
    style = style or SectionStyle()
    title = section_title(milestone)
    # Data text is shown as written: no curly quotes or dashes made from it.
    section = nodes.section(classes=["ldm-release"], support_smartquotes=False)
    section["names"].append(nodes.fully_normalize_name(title))
    section += nodes.title(title, title)
    phrase = due_phrase(milestone, style.dates) + "."
    section += nodes.paragraph(phrase, phrase, classes=["ldm-due"])
    features = contributions(catalog, milestone, style)
    unusable = [catalog.rejected[code] for code in catalog.rejected_links.get(milestone.code, ())]
    if not features and not unusable:
        section += nodes.paragraph(no_features_text, no_features_text, classes=["ldm-none"])
        return section
    items = nodes.bullet_list(classes=["ldm-features"])
    for feature in features:
        para = nodes.paragraph()
        para += milestone_xref(feature.code)
        rest = f": {feature.name} ({due_phrase(feature, style.dates)})"
        para += nodes.Text(rest)
        items += nodes.list_item("", para)
    for rejected in unusable:
        items += nodes.list_item("", missing_milestone(rejected.code, rejected.summary))
    section += items
    return section


def changes_nodes(blocks: Sequence[Block], linked: Container[str]) -> list[nodes.Node]:
    """A change report (:func:`sphinxext_ldm.changes.report`) as nodes, the codes in
    ``linked`` (the current data's) as links: the same outline the text formats render."""

    def parts(line: Sequence[ChangePart]) -> list[nodes.Node]:
        return _change_parts(line, linked)

    out: list[nodes.Node] = []
    for block in blocks:
        if isinstance(block, Lead):
            out.append(nodes.paragraph("", "", *parts(block.parts)))
        elif isinstance(block, Heading):
            out.append(nodes.rubric(block.text, block.text))
        elif isinstance(block, Items):
            items = nodes.bullet_list(classes=["ldm-changes"])
            for line in block.lines:
                items += nodes.list_item("", nodes.paragraph("", "", *parts(line)))
            out.append(items)
        else:
            widths = CHANGE_TABLE_WIDTHS.get(len(block.header), [1] * len(block.header))
            rows = [[_change_cell(cell, parts) for cell in row] for row in block.rows]
            # As milestone tables: codes, dates and slips unbroken, the table scrolls.
            out.append(table(block.header, widths, rows, ["ldm-table", "ldm-changes-table"]))
    return out


#: Column widths of the change report's tables, by their number of columns.
CHANGE_TABLE_WIDTHS = {5: [14, 12, 12, 10, 52], 3: [16, 42, 42]}


def _change_cell(
    cell: ChangePart, parts: Callable[[Sequence[ChangePart]], list[nodes.Node]]
) -> nodes.paragraph:
    """A cell of a change table: names wrap, codes, dates and slips do not."""
    para = nodes.paragraph("", "", *parts((cell,)))
    return para if isinstance(cell, Data) else _nowrap(para)


def _change_parts(parts: Sequence[ChangePart], linked: Container[str]) -> list[nodes.Node]:
    """Codes as links (a removed milestone's as a literal: it has no entry); names and the
    report's words as text, which writers escape."""
    result: list[nodes.Node] = []
    for part in parts:
        if isinstance(part, Code) and part.text in linked:
            result.append(milestone_xref(part.text))
        elif isinstance(part, Code):
            result.append(nodes.literal(part.text, part.text))
        else:
            result.append(nodes.Text(part if isinstance(part, str) else part.text))
    return result


def catalogue_signature(milestone: Milestone, anchor: str) -> addnodes.desc_signature:
    sig: addnodes.desc_signature = addnodes.desc_signature(
        "", "", ids=[anchor], classes=["sig", "sig-object"]
    )
    sig += addnodes.desc_name(milestone.code, milestone.code)
    name = f" \N{EM DASH} {milestone.name}"
    sig += nodes.inline(name, name, classes=["ldm-name"])
    return sig


def field_list(fields: Sequence[Field]) -> nodes.field_list:
    """A catalogue entry's fields as a docutils field list (links as pending_xrefs)."""
    result = nodes.field_list(classes=["ldm-fields"])
    for field in fields:
        body = nodes.paragraph("", "", *(_part_node(part) for part in field.parts))
        label = nodes.field_name(field.label, field.label)
        result += nodes.field("", label, nodes.field_body("", body))
    return result


def _part_node(part: Part) -> nodes.Node:
    if isinstance(part, str):
        return nodes.Text(part)
    if isinstance(part, MilestoneLink):
        return milestone_xref(part.code)
    if isinstance(part, ExternalLink):
        return nodes.reference(part.text, part.text, refuri=part.url, classes=list(part.classes))
    if isinstance(part, Styled):
        return nodes.inline(part.text, part.text, classes=list(part.classes))
    return nodes.problematic(part.text, part.text)


def jira_link(key: str, url_template: str | None) -> nodes.paragraph:
    return nodes.paragraph("", "", _part_node(jira_part(key, url_template)))


def missing_milestone(code: str, reason: str) -> nodes.paragraph:
    """A visible stand-in where a milestone cannot be shown, never an empty gap."""
    text = f"[milestone {code}: {reason}]"
    para = nodes.paragraph(classes=["ldm-missing"])
    para += nodes.problematic(text, text)
    return para


def text_cell(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text)


def xref_cell(code: str) -> nodes.paragraph:
    para = nodes.paragraph()
    para += milestone_xref(code)
    return para


def table(
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence[nodes.Element]],
    classes: Sequence[str],
    empty: str = "No milestones match this selection.",
) -> nodes.table:
    """A table with a header row; ``longtable`` so that LaTeX breaks it across pages."""
    result = nodes.table(classes=[*classes, "longtable"])
    group = nodes.tgroup(cols=len(headers))
    result += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += _row([text_cell(h) for h in headers])
    group += head
    body = nodes.tbody()
    for cells in rows:
        body += _row(cells)
    if not body.children:
        body += _row([text_cell(empty)], span=len(headers) - 1)
    group += body
    return result


def _row(cells: Sequence[nodes.Element], span: int = 0) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry("", cell)
        if span:
            entry["morecols"] = span
        row += entry
    return row


#: sphinx-design badge colours per status; the badge always carries the word too.
STATUS_BADGE = {"completed": "success", "late": "danger", "upcoming": "info"}


def status_badge(milestone: Milestone, today: datetime.date) -> nodes.paragraph:
    state = status(milestone, today)
    colour = STATUS_BADGE[state.value]
    para = nodes.paragraph()
    para += nodes.inline(
        state.label,
        state.label,
        classes=[
            "sd-badge",
            f"sd-bg-{colour}",
            f"sd-bg-text-{colour}",
            "ldm-status",
            f"ldm-status-{state.value}",
        ],
    )
    return para


def _optional(text: str | None) -> nodes.paragraph:
    return text_cell(text or "\N{EM DASH}")


def _nowrap(para: nodes.paragraph) -> nodes.paragraph:
    # On an inline: writers drop the classes of a table cell's only paragraph.
    span = nodes.inline(classes=["ldm-nowrap"])
    span.extend(para.children)
    para.children = []
    para += span
    return para


def _unbroken(text: str) -> nodes.paragraph:
    """A cell that must not wrap (dates, codes, slips): narrow screens scroll instead."""
    return _nowrap(text_cell(text))


@dataclass(frozen=True)
class TableContext:
    """What a table's cells may show besides the milestone itself."""

    today: datetime.date
    jira_url: str | None
    history: History


Cell = Callable[[Milestone, TableContext], nodes.Element]


def _history_cell(
    m: Milestone, c: TableContext, figure: Callable[[str], int | None]
) -> nodes.Element:
    return _unbroken(signed_days(figure(m.code)) if c.history.of(m.code) else "\N{EM DASH}")


def _first_seen(m: Milestone, c: TableContext) -> nodes.Element:
    first = c.history.first_seen(m.code)
    return _unbroken(iso(first.as_of) if first else "\N{EM DASH}")


def _moves(m: Milestone, c: TableContext) -> nodes.Element:
    return _unbroken(str(c.history.moves(m.code)) if c.history.of(m.code) else "\N{EM DASH}")


#: The columns of a milestone table: header, relative width, cell.
TABLE_COLUMNS: dict[str, tuple[str, int, Cell]] = {
    "code": ("Code", 12, lambda m, c: _nowrap(xref_cell(m.code))),
    "name": ("Name", 40, lambda m, c: text_cell(m.name)),
    "level": ("Level", 6, lambda m, c: _optional(str(m.level) if m.level else None)),
    "due": ("Due", 11, lambda m, c: _unbroken(iso(m.due))),
    "baseline": ("Baseline", 11, lambda m, c: _unbroken(iso(m.baseline) or "\N{EM DASH}")),
    "slip": ("Slip", 9, lambda m, c: _unbroken(signed_days(slip(m)))),
    "completed": ("Completed", 11, lambda m, c: _unbroken(iso(m.completed) or "\N{EM DASH}")),
    "status": ("Status", 11, lambda m, c: status_badge(m, c.today)),
    "wbs": ("WBS", 14, lambda m, c: _optional(m.wbs)),
    "jira": ("Jira", 10, lambda m, c: jira_link(m.jira, c.jira_url) if m.jira else _optional(None)),
    # From the schedule's history (ldm_history_path).
    "first-seen": ("First seen", 11, _first_seen),
    "slip-first": (
        "Slip since first seen",
        11,
        lambda m, c: _history_cell(m, c, c.history.slip_since_first),
    ),
    "slip-last": (
        "Slip last period",
        11,
        lambda m, c: _history_cell(m, c, c.history.slip_last),
    ),
    "moves": ("Moves", 7, _moves),
}
#: Columns that show the schedule's history.
HISTORY_COLUMNS = frozenset({"first-seen", "slip-first", "slip-last", "moves"})
DEFAULT_COLUMNS = ("code", "name", "due", "status")


def milestone_table(
    milestones: Sequence[Milestone], columns: Sequence[str], context: TableContext
) -> nodes.table:
    """The milestones as rows of the chosen columns (``TABLE_COLUMNS`` keys)."""
    chosen = [TABLE_COLUMNS[name] for name in columns]
    rows = [[cell(m, context) for _, _, cell in chosen] for m in milestones]
    result = table([h for h, _, _ in chosen], [w for _, w, _ in chosen], rows, ["ldm-table"])
    result["support_smartquotes"] = False
    return result
