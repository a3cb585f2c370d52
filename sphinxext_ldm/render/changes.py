"""The change report (:mod:`sphinxext_ldm.changes`) as text: reStructuredText, Markdown,
or plain text for the terminal.

Data text (codes, names) is escaped for the format (:mod:`sphinxext_ldm.render.escape`):
the report is included in pages and rendered as Markdown, and what an export's task
name says must read as written there, never run as markup. Headings, table headers and
the report's own words are written as they are.

reStructuredText marks each kind with a rubric, not a section title, so that the text
can be included anywhere in a document without disturbing its section levels.
"""

from __future__ import annotations

from sphinxext_ldm.changes import (
    Block,
    Changes,
    Code,
    Data,
    Heading,
    Items,
    Lead,
    Line,
    report,
)
from sphinxext_ldm.render.escape import md_code, md_text, one_line, rst_literal, rst_text

FORMATS = ("rst", "md", "text")


def render(changes: Changes, fmt: str, intro: str = "") -> str:
    """The changes as ``rst``, ``md`` or ``text``, after a first sentence
    ``<intro>: <counts>.``"""
    markup: _Markup = {"rst": _Rst, "md": _Markdown, "text": _Markup}[fmt]()
    out: list[str] = []
    for block in report(changes, intro):
        out.extend(markup.block(block))
    return "\n".join(out) + "\n"


class _Markup:
    """Plain text, for the terminal; subclasses mark it up. ``escape`` and ``code`` take
    data text; headings, table headers and the report's own words are written as they
    are."""

    def block(self, block: Block) -> list[str]:
        if isinstance(block, Lead):
            return [self.line(block.parts)]
        if isinstance(block, Heading):
            return ["", self.heading(block.text), ""]
        if isinstance(block, Items):
            return [self.item(self.line(line)) for line in block.lines]
        rows = [[self.line((cell,), in_table=True) for cell in row] for row in block.rows]
        return self.table(list(block.header), rows)

    def line(self, parts: Line, *, in_table: bool = False) -> str:
        return "".join(
            self.code(part.text, in_table=in_table)
            if isinstance(part, Code)
            else self.escape(part.text)
            if isinstance(part, Data)
            else part
            for part in parts
        )

    def escape(self, text: str) -> str:
        return one_line(text)

    def code(self, code: str, *, in_table: bool = False) -> str:
        return one_line(code)

    def heading(self, text: str) -> str:
        return text + ":"

    def item(self, text: str) -> str:
        return "  " + text

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
