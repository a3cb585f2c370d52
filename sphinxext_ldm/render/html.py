"""A catalogue entry's fields written straight to HTML, for HTML builders.

The docutils field list of 10,000 entries is half a million nodes that post-transforms,
the writer and the garbage collector all walk; this writes the same markup Sphinx's HTML
writer gives that field list (so themes style it alike) as one ``raw`` node per entry.
Every piece of data is escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sphinxext_ldm.render.fields import ExternalLink, Field, MilestoneLink, Part, Styled

#: What docutils' HTML writer escapes, so that both paths write the same bytes
#: ("@" thwarts address harvesters).
_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", ">": "&gt;", "@": "&#64;"})
_ATTRIBUTE_SPACE = re.compile("[\n\r\t\v\f]")


def _text(text: str) -> str:
    return text.translate(_SPECIAL)


def _attribute(text: str) -> str:
    return _ATTRIBUTE_SPACE.sub(" ", text).translate(_SPECIAL)


#: The URL and title of a milestone's entry as seen from the page being written.
LinkTarget = tuple[str, str]


def field_list_html(fields: Sequence[Field], targets: dict[str, LinkTarget]) -> str:
    """``targets`` must hold every linked code (see :func:`linked_codes`)."""
    out = ['<dl class="ldm-fields field-list simple">\n']
    for index, field in enumerate(fields):
        parity = "field-odd" if index % 2 == 0 else "field-even"
        body = "".join(_part_html(part, targets) for part in field.parts)
        out.append(
            f'<dt class="{parity}">{_text(field.label)}<span class="colon">:</span></dt>\n'
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
        return _text(part)
    if isinstance(part, MilestoneLink):
        url, title = targets[part.code]
        return (
            f'<a class="reference internal" href="{_attribute(url)}" title="{_attribute(title)}">'
            f'<span class="xref ldm ldm-ms">{_text(part.code)}</span></a>'
        )
    if isinstance(part, ExternalLink):
        classes = _attribute(" ".join((*part.classes, "reference", "external")))
        return f'<a class="{classes}" href="{_attribute(part.url)}">{_text(part.text)}</a>'
    if isinstance(part, Styled):
        classes = _attribute(" ".join(part.classes))
        return f'<span class="{classes}">{_text(part.text)}</span>'
    return f'<span class="problematic">{_text(part.text)}</span>'
