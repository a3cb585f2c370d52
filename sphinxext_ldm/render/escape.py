"""Data text as inert text in generated reStructuredText, Markdown and terminal text.

A generated file (the change report) is read again by a program that runs markup: a
page that ``.. include::``s it, a Markdown renderer. Data text (codes and names, from a
scheduling-system export or a data file) must read there as written and never become
markup: no directive, role, link, target, substitution or raw HTML. Each piece of data
is shown on one line, as a phrase inside a list item or a table cell, so:

- line breaks and tabs become one space (a line break would end the list item or the
  table cell, and a blank line would start a new block at the top level);
- other control characters become visible symbols (an escape sequence could rewrite a
  terminal; docutils uses NUL internally for escapes);
- in reStructuredText and Markdown every ASCII punctuation character is escaped with a
  backslash, which both define as "this character, as text", wherever it stands: no
  markup can start, end or be completed by it (reStructuredText's Unicode bullets too).

Escaping LaTeX text (:mod:`sphinxext_ldm.render.latex`) and Mermaid labels
(:mod:`sphinxext_ldm.render.mermaid`) lives with those renderers.
"""

from __future__ import annotations

import re
import string

#: Line breaks and tabs, shown as a space. docutils splits lines where str.splitlines
#: does: these, and the separators \x1c-\x1e, which are shown as controls instead.
_BREAKS = "\t\n\v\f\r\x85\u2028\u2029"
_BREAK_RUN = re.compile(f"[ {_BREAKS}]*[{_BREAKS}][ {_BREAKS}]*")
#: C0 controls and DEL as their Unicode control pictures (U+2400-U+2421); C1 controls
#: (no pictures exist) as the replacement character.
_CONTROLS = str.maketrans(
    {chr(c): chr(0x2400 + c) for c in range(0x20) if chr(c) not in _BREAKS}
    | {"\x7f": "\N{SYMBOL FOR DELETE}"}
    | {chr(c): "\N{REPLACEMENT CHARACTER}" for c in range(0x80, 0xA0) if chr(c) not in _BREAKS}
)
_PUNCTUATION = frozenset(string.punctuation)
#: reStructuredText's bullets besides ``*+-``: a list item at the start of a table cell.
_RST_BULLETS = frozenset("\N{BULLET}\N{TRIANGULAR BULLET}\N{HYPHEN BULLET}")


def one_line(text: str) -> str:
    """``text`` on one line, controls visible: what every format shows of data text."""
    return _BREAK_RUN.sub(" ", text).strip().translate(_CONTROLS)


def rst_text(text: str) -> str:
    """Data text as reStructuredText that reads as written, anywhere in a paragraph,
    list item or table cell."""
    special = _PUNCTUATION | _RST_BULLETS
    return "".join("\\" + c if c in special else c for c in one_line(text))


def rst_literal(text: str) -> str:
    """Data text as an inline literal: ````text````, or, when backquotes or backslashes
    would end or break that, the ``:literal:`` role (whose text takes escapes)."""
    text = one_line(text)
    if "`" not in text and "\\" not in text:
        return f"``{text}``"
    escaped = text.replace("\\", "\\\\").replace("`", "\\`")
    return f":literal:`{escaped}`"


def md_text(text: str) -> str:
    """Data text as CommonMark that reads as written: every ASCII punctuation character
    backslash-escaped (``<``, ``&``, ``[``, ``!``, ``|``, ...), so no HTML, entity, link,
    emphasis, table cell or list marker can come from it."""
    return "".join("\\" + c if c in _PUNCTUATION else c for c in one_line(text))


def md_code(text: str, *, in_table: bool = False) -> str:
    """Data text as a code span: fenced by more backquotes than the longest run inside,
    padded with spaces when it starts or ends with one (CommonMark strips one space on
    each side). In a table row ``|`` is escaped even in a code span (GFM splits cells
    first, and takes ``\\|`` as ``|``)."""
    text = one_line(text)
    runs = [len(run) for run in re.findall("`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    if text.startswith(("`", " ")) or text.endswith(("`", " ")):
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"
