"""What an update of the milestone data changed: a pure function of two catalogs, and
its text as reStructuredText, Markdown or plain text.

Reported: milestones added and removed, newly completed, completions withdrawn, due
dates moved (with the slip in days: ``+30`` is later, ``-7`` earlier), and renamed.
Each list is in natural code order, so the same update always reads the same.

Data text (codes, names) is escaped for the format (:mod:`sphinxext_ldm.render.escape`):
the report is included in pages and rendered as Markdown, and what an export's task
name says must read as written there, never run as markup.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.query import natural_key
from sphinxext_ldm.render.escape import md_code, md_text, one_line, rst_literal, rst_text
from sphinxext_ldm.render.text import iso

FORMATS = ("rst", "md", "text")


@dataclass(frozen=True, slots=True)
class DueMove:
    code: str
    name: str
    old: datetime.date
    new: datetime.date

    @property
    def days(self) -> int:
        """The slip: positive when the milestone is now due later."""
        return (self.new - self.old).days


@dataclass(frozen=True, slots=True)
class Rename:
    code: str
    old: str
    new: str


@dataclass(frozen=True)
class Changes:
    added: tuple[Milestone, ...] = ()
    removed: tuple[Milestone, ...] = ()
    completed: tuple[Milestone, ...] = ()
    #: Completed before, not any more (the new data has no completion date).
    reopened: tuple[Milestone, ...] = ()
    moved: tuple[DueMove, ...] = ()
    renamed: tuple[Rename, ...] = ()

    def __bool__(self) -> bool:
        return any(
            (self.added, self.removed, self.completed, self.reopened, self.moved, self.renamed)
        )

    def counts(self) -> str:
        """``3 added, 1 removed, ...``, or ``no changes``."""
        parts = [
            (len(self.added), "added"),
            (len(self.removed), "removed"),
            (len(self.completed), "newly completed"),
            (len(self.reopened), "no longer completed"),
            (len(self.moved), "due date(s) moved"),
            (len(self.renamed), "renamed"),
        ]
        said = [f"{n} {what}" for n, what in parts if n]
        return ", ".join(said) if said else "no changes"


def compare(old: Catalog, new: Catalog) -> Changes:
    """The changes from ``old`` to ``new``."""

    def ordered(codes: set[str], catalog: Catalog) -> tuple[Milestone, ...]:
        return tuple(catalog.milestones[c] for c in sorted(codes, key=natural_key))

    both = sorted(set(old.milestones) & set(new.milestones), key=natural_key)
    pairs = [(old.milestones[code], new.milestones[code]) for code in both]
    return Changes(
        added=ordered(set(new.milestones) - set(old.milestones), new),
        removed=ordered(set(old.milestones) - set(new.milestones), old),
        completed=tuple(b for a, b in pairs if a.completed is None and b.completed is not None),
        reopened=tuple(b for a, b in pairs if a.completed is not None and b.completed is None),
        moved=tuple(DueMove(b.code, b.name, a.due, b.due) for a, b in pairs if a.due != b.due),
        renamed=tuple(Rename(b.code, a.name, b.name) for a, b in pairs if a.name != b.name),
    )


def render(changes: Changes, fmt: str, intro: str = "") -> str:
    """The changes as ``rst``, ``md`` or ``text``, after a first sentence
    ``<intro>: <counts>.``

    reStructuredText marks each kind with a rubric, not a section title, so that the text
    can be included anywhere in a document without disturbing its section levels.
    ``intro`` (it names files) is escaped as data is.
    """
    markup: _Markup = {"rst": _Rst, "md": _Markdown, "text": _Markup}[fmt]()
    counts = changes.counts()
    lead = f"{markup.escape(intro)}: {counts}." if intro else counts.capitalize() + "."
    out = [lead]
    lists = [
        ("Added", [markup.described(m, "due") for m in changes.added]),
        ("Removed", [markup.described(m, "was due") for m in changes.removed]),
        ("Newly completed", [markup.completed(m) for m in changes.completed]),
        ("No longer completed", [markup.described(m, "due") for m in changes.reopened]),
    ]
    for heading, lines in lists:
        if lines:
            out += ["", markup.heading(f"{heading} ({len(lines)})"), ""]
            out += [markup.item(line) for line in lines]
    if changes.moved:
        header = ["Code", "Was due", "Now due", "Slip (days)", "Name"]
        rows = [
            [
                markup.code(m.code, in_table=True),
                iso(m.old),
                iso(m.new),
                f"{m.days:+d}",
                markup.escape(m.name),
            ]
            for m in changes.moved
        ]
        out += ["", markup.heading(f"Due dates moved ({len(rows)})"), ""]
        out += markup.table(header, rows)
    if changes.renamed:
        rows = [
            [markup.code(r.code, in_table=True), markup.escape(r.old), markup.escape(r.new)]
            for r in changes.renamed
        ]
        out += ["", markup.heading(f"Renamed ({len(rows)})"), ""]
        out += markup.table(["Code", "Was", "Now"], rows)
    return "\n".join(out) + "\n"


class _Markup:
    """Plain text, for the terminal; subclasses mark it up. ``escape`` and ``code`` take
    data text; headings, table headers and the report's own words are written as they
    are."""

    def escape(self, text: str) -> str:
        return one_line(text)

    def code(self, code: str, *, in_table: bool = False) -> str:
        return one_line(code)

    def heading(self, text: str) -> str:
        return text + ":"

    def item(self, text: str) -> str:
        return "  " + text

    def described(self, m: Milestone, due: str) -> str:
        level = f"level {m.level}, " if m.level is not None else ""
        return f"{self.code(m.code)} {self.escape(m.name)} ({level}{due} {iso(m.due)})"

    def completed(self, m: Milestone) -> str:
        done = iso(m.completed) if m.completed else ""
        return f"{self.code(m.code)} {self.escape(m.name)}: completed {done} (due {iso(m.due)})"

    def table(self, header: list[str], rows: list[list[str]]) -> list[str]:
        """``rows`` (already escaped) under ``header``."""
        # the last column is not padded: long names run on instead of widening every line
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        widths.append(0)
        return [
            "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in [header, *rows]
        ]


class _Rst(_Markup):
    def escape(self, text: str) -> str:
        return rst_text(text)

    def code(self, code: str, *, in_table: bool = False) -> str:
        return rst_literal(code)

    def heading(self, text: str) -> str:
        return f".. rubric:: {text}"

    def item(self, text: str) -> str:
        return "- " + text

    def table(self, header: list[str], rows: list[list[str]]) -> list[str]:
        out = [".. list-table::", "   :header-rows: 1", ""]
        for row in [header, *rows]:
            out.append("   * - " + row[0])
            out.extend("     - " + cell for cell in row[1:])
        return out


class _Markdown(_Markup):
    def escape(self, text: str) -> str:
        return md_text(text)

    def code(self, code: str, *, in_table: bool = False) -> str:
        return md_code(code, in_table=in_table)

    def heading(self, text: str) -> str:
        return "### " + text

    def item(self, text: str) -> str:
        return "- " + text

    def table(self, header: list[str], rows: list[list[str]]) -> list[str]:
        lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        lines.extend("| " + " | ".join(row) + " |" for row in rows)
        return lines
