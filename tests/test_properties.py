"""Property-based tests: arbitrary text in the data survives loading and every escaper
verbatim, as text, and never changes the structure of the output."""

from __future__ import annotations

import datetime
import html
import re

import yaml
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.core import publish_from_doctree
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from docutils.writers import html5_polyglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx import addnodes

from sphinxext_ldm.load import load_milestones_text
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.render.docutils import release_section
from sphinxext_ldm.render.latex import LATEX_SPECIALS, escape
from sphinxext_ldm.render.mermaid import GanttOptions, gantt, label

# Any text a person could type: every printable character (no surrogates, no controls).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(" \t"))
NAMES = TEXT.filter(lambda s: s.strip() != "")
BOUNDED = settings(max_examples=150, deadline=None)


def flat(text: str) -> str:
    return " ".join(text.split())


@BOUNDED
@given(name=NAMES, description=NAMES, code=NAMES)
def test_loader_keeps_text_exactly(name: str, description: str, code: str) -> None:
    data = {
        "milestones": [
            {
                "code": code,
                "name": name,
                "due": datetime.date(2020, 1, 1),
                "description": description,
            }
        ]
    }
    result = load_milestones_text(yaml.safe_dump(data, allow_unicode=True))
    assert result.problems == []
    (milestone,) = result.catalog
    assert (milestone.code, milestone.name, milestone.description) == (
        code.strip(),
        name.strip(),
        description.strip(),
    )


def mermaid_decode(text: str) -> str:
    """Mermaid's entity codes back to characters, in one pass: ``#58;`` by number (any
    code point: html.unescape drops noncharacters such as U+FDD0), ``#quot;`` by name."""

    def decode(match: re.Match[str]) -> str:
        number, name = match.groups()
        return chr(int(number)) if number else html.unescape(f"&{name};")

    return re.sub(r"#(?:(\d+)|([A-Za-z]+));", decode, text)


@BOUNDED
@given(name=NAMES)
def test_mermaid_label_is_text_and_never_syntax(name: str) -> None:
    encoded = label(name)
    assert mermaid_decode(encoded) == flat(name)
    assert re.fullmatch(r"[A-Za-z0-9 .,\-_/+#;]*", encoded)
    chart = gantt([Milestone("A", name, datetime.date(2020, 1, 1))], GanttOptions(), {})
    task_lines = [line for line in chart.splitlines() if "milestone," in line]
    assert len(task_lines) == 1 and task_lines[0].count(":") == 1


def latex_unescape(text: str) -> str:
    inverse = sorted(((v, k) for k, v in LATEX_SPECIALS.items()), key=lambda p: -len(p[0]))
    out, i = [], 0
    while i < len(text):
        for escaped, char in inverse:
            if text.startswith(escaped, i):
                out.append(char)
                i += len(escaped)
                break
        else:
            assert text[i] not in "\\{}#$%&_^~", f"raw special {text[i]!r} in {text!r}"
            out.append(text[i])
            i += 1
    return "".join(out)


@BOUNDED
@given(name=TEXT)
def test_latex_escape_round_trips_with_no_raw_specials(name: str) -> None:
    assert latex_unescape(escape(name)) == flat(name)


def render_html(section: nodes.section) -> BeautifulSoup:
    """Write ``section`` with docutils' own HTML writer (links as plain text)."""
    document = new_document("<test>", get_default_settings(Parser))
    for ref in list(section.findall(addnodes.pending_xref)):
        ref.replace_self(ref.children)
    document += section
    output = publish_from_doctree(document, writer=html5_polyglot.Writer())
    return BeautifulSoup(output, "html.parser")


@BOUNDED
@given(name=NAMES, feature=NAMES)
def test_release_section_html_shows_names_as_text(name: str, feature: str) -> None:
    day = datetime.date(2020, 1, 1)
    catalog = Catalog.from_milestones(
        [
            Milestone("L2-1", name, day, level=2, predecessors=("F-1",)),
            Milestone("F-1", feature, day, level=3),
        ]
    )
    soup = render_html(release_section(catalog, catalog.milestones["L2-1"], "none"))
    body = soup.select_one("div.document, main, body")
    titles = body.find_all(["h1", "h2"])
    assert [flat(t.get_text()) for t in titles] == [flat(f"{name}: L2-1")]
    items = body.select("li")
    assert [flat(li.get_text()) for li in items] == [
        flat(f"F-1: {feature} (Due: 2020-01-01; currently incomplete)")
    ]
    # Structure is ours alone: one title, one due line, one list item, nothing injected.
    assert not body.find_all(["script", "a", "em", "strong", "img", "iframe"])
