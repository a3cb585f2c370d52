"""A catalogue entry's fields written straight to HTML, for HTML builders.

The docutils field list of 10,000 entries is half a million nodes that post-transforms,
the writer and the garbage collector all walk; this writes the same markup Sphinx's HTML
writer gives that field list (so themes style it alike) as one ``raw`` node per entry.
Every piece of data is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from sphinxext_ldm.render.fields import ExternalLink, Field, MilestoneLink, Part, Styled

#: The URL and title of a milestone's entry as seen from the page being written.
LinkTarget = tuple[str, str]


def field_list_html(fields: Sequence[Field], targets: dict[str, LinkTarget]) -> str:
    """``targets`` must hold every linked code (see :func:`linked_codes`)."""
    out = ['<dl class="ldm-fields field-list simple">\n']
    for index, field in enumerate(fields):
        parity = "field-odd" if index % 2 == 0 else "field-even"
        body = "".join(_part_html(part, targets) for part in field.parts)
        out.append(
            f'<dt class="{parity}">{escape(field.label)}<span class="colon">:</span></dt>\n'
            f'<dd class="{parity}"><p>{body}</p>\n</dd>\n'
        )
    out.append("</dl>\n")
    return "".join(out)


def linked_codes(fields: Sequence[Field]) -> set[str]:
    return {
        part.code for field in fields for part in field.parts if isinstance(part, MilestoneLink)
    }


def _part_html(part: Part, targets: dict[str, LinkTarget]) -> str:
    if isinstance(part, str):
        return escape(part)
    if isinstance(part, MilestoneLink):
        url, title = targets[part.code]
        return (
            f'<a class="reference internal" href="{escape(url)}" title="{escape(title)}">'
            f'<span class="xref ldm ldm-ms">{escape(part.code)}</span></a>'
        )
    if isinstance(part, ExternalLink):
        classes = " ".join((*part.classes, "reference", "external"))
        return f'<a class="{classes}" href="{escape(part.url)}">{escape(part.text)}</a>'
    if isinstance(part, Styled):
        return f'<span class="{escape(" ".join(part.classes))}">{escape(part.text)}</span>'
    return f'<span class="problematic">{escape(part.text)}</span>'
