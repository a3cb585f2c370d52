"""The loader: every problem has its subtype, file and line; nothing is lost silently."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest

from sphinxext_ldm.load import load_milestones, load_milestones_text
from sphinxext_ldm.problems import Problem

GOOD = """\
milestones:
  - code: LDM-503-01
    name: First
    level: 2
    due: 2019-06-01
    predecessors: [DM-1]
  - code: DM-1
    name: Feature
    level: 3
    due: 2019-05-01
    completed: 2019-05-02
"""


def problems(text: str) -> list[tuple[str, int | None]]:
    result = load_milestones_text(textwrap.dedent(text), "m.yaml")
    return [(p.subtype, p.line) for p in result.problems]


def test_good_file_loads_every_field() -> None:
    result = load_milestones_text(GOOD, "m.yaml")
    assert result.problems == []
    first = result.catalog.get("LDM-503-01")
    assert first is not None
    assert first.due == datetime.date(2019, 6, 1)
    assert first.predecessors == ("DM-1",)
    assert first.line == 2
    assert result.catalog.successors["DM-1"] == ("LDM-503-01",)
    feature = result.catalog.get("DM-1")
    assert feature is not None and feature.completed == datetime.date(2019, 5, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("milestones: [\n  {code: A\n", [("yaml", 3)], id="syntax-error"),
        pytest.param("- 1\n- 2\n", [("schema", 1)], id="top-level-list"),
        pytest.param("", [("schema", 1)], id="empty-file"),
        pytest.param("milestones: 3\n", [("schema", 1)], id="milestones-not-a-list"),
        pytest.param(
            "milestone: []\n", [("unknown-field", 1), ("missing-field", 1)], id="misspelt-top-level"
        ),
        pytest.param(
            "milestones:\n  - name: X\n    due: 2020-01-01\n",
            [("missing-field", 2)],
            id="missing-code",
        ),
        pytest.param(
            "milestones:\n  - code: A\n    name: X\n", [("missing-field", 2)], id="missing-due"
        ),
        pytest.param(
            "milestones:\n  - code: A\n    name: X\n    due: 2021-02-30\n",
            [("bad-date", 4), ("missing-field", 4)],
            id="impossible-date",
        ),
        pytest.param(
            "milestones:\n  - code: A\n    name: X\n    due: 2021-01-01\n"
            "    completed: 2021-01-05 10:00:00\n",
            [("bad-date", 5)],
            id="datetime",
        ),
        pytest.param(
            "milestones:\n  - code: A\n    name: X\n    due: 2021-01-01\n"
            "    baseline: 01/05/2021\n",
            [("bad-date", 5)],
            id="us-date",
        ),
        pytest.param(
            "milestones:\n  - code: A\n    name: X\n    due: 2021-01-01\n    level: 7\n",
            [("bad-value", 5)],
            id="level-out-of-range",
        ),
        pytest.param(
            "milestones:\n  - code: A\n    name: [X]\n    due: 2021-01-01\n",
            [("bad-value", 3), ("missing-field", 3)],
            id="name-is-a-list",
        ),
        pytest.param(
            "milestones:\n  - code: A\n    name: X\n    due: 2021-01-01\n    predecesors: []\n",
            [("unknown-field", 5)],
            id="unknown-field",
        ),
        pytest.param(
            "milestones:\n  - code: A\n    name: X\n    name: Y\n    due: 2021-01-01\n",
            [("duplicate-key", 4)],
            id="duplicate-yaml-key",
        ),
        pytest.param(
            "milestones:\n  - {code: A, name: X, due: 2021-01-01}\n"
            "  - {code: A, name: Y, due: 2021-01-01}\n",
            [("duplicate-code", 3)],
            id="duplicate-code",
        ),
        pytest.param(
            "milestones:\n  - code: A\n    name: X\n    due: 2021-01-01\n"
            "    predecessors:\n      - B\n",
            [("unknown-predecessor", 6)],
            id="unknown-predecessor",
        ),
        pytest.param(
            "milestones:\n  - {code: A, name: X, due: 2021-01-01, predecessors: [A]}\n",
            [("cycle", 2)],
            id="self-reference",
        ),
        pytest.param(
            "milestones:\n  - {code: A, name: X, due: 2021-01-01, predecessors: [B]}\n"
            "  - {code: B, name: Y, due: 2021-01-01, predecessors: [C]}\n"
            "  - {code: C, name: Z, due: 2021-01-01, predecessors: [A]}\n",
            [("cycle", 2)],
            id="three-cycle",
        ),
        pytest.param(
            "milestones:\n  - code: !!python/object:os.system A\n    name: X\n"
            "    due: 2021-01-01\n",
            [("bad-value", 2), ("missing-field", 2)],
            id="python-tag-never-constructed",
        ),
        pytest.param("milestones:\n  - not a mapping\n", [("schema", 2)], id="item-not-mapping"),
    ],
)
def test_problem_subtype_and_line(text: str, expected: list[tuple[str, int]]) -> None:
    assert problems(text) == expected


def test_problems_name_the_file_and_suggest_near_field() -> None:
    result = load_milestones_text(
        "milestones:\n  - {code: A, name: X, due: 2021-01-01, predecesors: []}\n", "data/m.yaml"
    )
    (problem,) = result.problems
    assert problem.location == "data/m.yaml:2"
    assert "did you mean 'predecessors'" in problem.message
    assert str(problem).startswith("data/m.yaml:2: unknown-field: ")


def test_cycle_keeps_the_milestones() -> None:
    result = load_milestones_text(
        "milestones:\n  - {code: A, name: X, due: 2021-01-01, predecessors: [B]}\n"
        "  - {code: B, name: Y, due: 2021-01-01, predecessors: [A]}\n"
    )
    assert [p.message for p in result.problems] == ["predecessor cycle: A -> B -> A"]
    assert len(result.catalog) == 2


def test_all_problems_reported_at_once() -> None:
    text = (
        "milestones:\n"
        "  - {code: A, name: X, due: 2021-13-01}\n"
        "  - {code: B, name: Y, due: 2021-01-01, levle: 2}\n"
        "  - {code: C, name: Z, due: 2021-01-01, predecessors: [Q]}\n"
    )
    assert problems(text) == [
        ("bad-date", 2),
        ("missing-field", 2),
        ("unknown-field", 3),
        ("unknown-predecessor", 4),
    ]


def test_missing_file_and_bad_encoding(tmp_path: Path) -> None:
    missing = load_milestones(tmp_path / "nope.yaml")
    assert [p.subtype for p in missing.problems] == ["file"]
    assert "not found" in missing.problems[0].message
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"milestones:\n  - {code: A, name: caf\xe9, due: 2021-01-01}\n")
    bad = load_milestones(latin1)
    assert bad.problems == [
        Problem(
            "file",
            "not valid UTF-8: byte 0xe9 at offset 35; save the file as UTF-8",
            str(latin1),
            2,
        )
    ]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_milestones(path).problems == []


def test_yes_as_a_name_stays_a_word() -> None:
    result = load_milestones_text("milestones:\n  - {code: A, name: yes, due: 2021-01-01}\n")
    milestone = result.catalog.get("A")
    assert milestone is not None and milestone.name == "yes"


def test_the_repository_data_is_clean() -> None:
    result = load_milestones(Path(__file__).parents[1] / "data" / "milestones.yaml")
    assert result.problems == []
    levels = [m.level for m in result.catalog]
    assert levels.count(2) == 36
