"""The Mermaid Gantt generator: a pure function, tested without Sphinx."""

from __future__ import annotations

import datetime
import html
import re

import pytest

from sphinxext_ldm.model import Milestone
from sphinxext_ldm.render.mermaid import GanttOptions, code_prefix, flowchart, gantt, href, label

D = datetime.date


def ms(code: str = "A-1", name: str = "Name", **kw: object) -> Milestone:
    return Milestone(code=code, name=name, due=kw.pop("due", D(2020, 1, 1)), **kw)  # type: ignore[arg-type]


def decode(text: str) -> str:
    """What Mermaid displays: its #NNN; entities become characters."""
    return html.unescape(re.sub(r"#(\d+);", r"&#\1;", text))


TASK = re.compile(r"^    (?P<label>[^:\n]+):(?P<meta>[^:\n]+)$")


@pytest.mark.parametrize(
    "name",
    [
        "Colon: here",
        "semi; colon",
        "hash #1 and #58; literal",
        "double \"quotes\" and 'single'",
        "<script>alert(1)</script> & <b>",
        "section starts like a keyword",
        "click m1 href",
        "title Two",
        "%% comment",
        "2020-01-01 a date first",
        "dateFormat x",
        "accTitle: x",
        "Ünïcødé 日本語 ✨",
        "x" * 300,
        "tab\tand\nnewline",
    ],
)
def test_label_round_trips_and_never_adds_syntax(name: str) -> None:
    encoded = label(name)
    assert decode(encoded) == " ".join(name.split())
    assert re.fullmatch(r"[A-Za-z0-9 .,\-_/+#;]*", encoded)
    assert encoded.startswith("#")  # the first character is always an entity
    assert ":" not in encoded and "%" not in encoded and '"' not in encoded


def test_one_milestone_row_per_milestone_with_status_tags() -> None:
    today = D(2021, 1, 1)
    rows = [
        ms("A-1", "Done", due=D(2020, 1, 1), completed=D(2020, 1, 2)),
        ms("A-2", "Late", due=D(2020, 6, 1)),
        ms("A-3", "Future", due=D(2022, 1, 1)),
    ]
    text = gantt(rows, GanttOptions(today=today), {})
    tasks = [m for line in text.splitlines() if (m := TASK.match(line))]
    assert [decode(m["label"]) for m in tasks] == ["Done ✓", "Late ⚠", "Future", "Today"]
    metas = [m["meta"] for m in tasks]
    assert metas[:3] == [
        "milestone, done, m1, 2020-01-01, 0d",
        "milestone, crit, m2, 2020-06-01, 0d",
        "milestone, active, m3, 2022-01-01, 0d",
    ]
    assert metas[3] == "vert, today, 2021-01-01, 0d"
    assert "todayMarker off" in text  # the reader's clock never moves the chart


def test_today_outside_the_chart_draws_no_line() -> None:
    text = gantt([ms(due=D(2020, 1, 1))], GanttOptions(today=D(2030, 1, 1)), {})
    assert "vert" not in text


def test_baseline_schedule_skips_undated_rows() -> None:
    rows = [ms("A-1", baseline=D(2019, 1, 1)), ms("A-2")]
    text = gantt(rows, GanttOptions(schedule="baseline"), {})
    assert "2019-01-01" in text and "m2" not in text


def test_links_are_click_lines_that_cannot_escape_their_quotes() -> None:
    rows = [ms("A-1"), ms("A-2")]
    text = gantt(rows, GanttOptions(), {"A-1": 'page.html#ms-A"1 x'})
    assert text.splitlines()[-1] == '    click m1 href "page.html#ms-A%221%20x"'
    assert "click m2" not in text


def test_title_and_sections_are_escaped() -> None:
    rows = [ms("DM-AP-1"), ms("DM-AP-2"), ms("DM-DRP-1", due=D(2020, 2, 1))]
    text = gantt(rows, GanttOptions(title="T: #1", group_by="prefix"), {})
    assert "    title #84;#58; #35;1" in text
    sections = [decode(line[12:]) for line in text.splitlines() if line.startswith("    section ")]
    assert sections == ["DM-AP", "DM-DRP"]


def test_code_prefix() -> None:
    assert code_prefix("DM-AP-1") == "DM-AP"
    assert code_prefix("LDM-503-02") == "LDM-503"
    assert code_prefix("DM") == "DM"


def test_href_keeps_ordinary_urls() -> None:
    assert href("../catalogue/#ms-LDM-503-02") == "../catalogue/#ms-LDM-503-02"


def test_flowchart_nodes_edges_styles_and_links() -> None:
    today = D(2021, 1, 1)
    rows = [
        ms("A-1", "First: one", completed=D(2020, 1, 1)),
        ms("A-2", 'Second "two"', due=D(2020, 6, 1)),
        ms("A-3", "Third", due=D(2022, 1, 1)),
    ]
    edges = [("A-1", "A-2"), ("A-2", "A-3"), ("A-1", "ZZZ")]
    text = flowchart(rows, edges, {"A-3": "c.html#ms-A-3"}, today, "TB")
    lines = text.splitlines()
    assert lines[0] == "flowchart TB"
    nodes = [line for line in lines if re.match(r"    n\d+\[", line)]
    assert len(nodes) == 3
    assert nodes[1].endswith(":::late")
    label_text = re.match(r'    n2\["(.*)"\]', nodes[1])[1]  # type: ignore[index]
    assert '"' not in label_text
    assert decode(label_text.replace("<br>", "\n")) == 'A-2\nSecond "two" ⚠'
    assert "    n1 --> n2" in lines and "    n2 --> n3" in lines
    assert not any("ZZZ" in line for line in lines)  # edges to nodes not drawn are left out
    assert '    click n3 href "c.html#ms-A-3"' in lines
    classdefs = [line for line in lines if "classDef" in line]
    assert len(classdefs) == 3 and not any("fill" in c or "#" in c for c in classdefs)
