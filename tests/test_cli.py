"""`sphinxext-ldm check`: the same problems as the build, without a build."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxext_ldm.cli import main
from tests.conftest import REPO, BuildFn

BAD = """\
milestones:
  - {code: A, name: X, due: 2021-02-30}
  - {code: B, name: Y, due: 2021-01-01, predecesors: [A]}
  - {code: C, name: Z, due: 2021-01-01, predecessors: [Q]}
  - {code: C, name: Z2, due: 2021-01-01}
"""


def test_check_prints_what_the_build_warns(
    tmp_path: Path, build_project: BuildFn, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "m.yaml"
    data.write_text(BAD)
    assert main(["check", str(data)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 5

    (tmp_path / "conf.py").write_text(
        'extensions = ["sphinxext_ldm"]\nldm_milestones_path = "m.yaml"\n'
    )
    (tmp_path / "index.rst").write_text("T\n=\n")
    app = build_project(tmp_path, copy=False)
    warned = []
    for line in re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue()).splitlines():
        match = re.match(r"(.+?): WARNING: (.*) \[ldm\.([\w-]+)\]$", line)
        assert match, line
        warned.append(f"{match[1]}: {match[3]}: {match[2]}")
    assert warned == printed


def test_check_json_and_github_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "m.yaml"
    data.write_text(BAD)
    assert main(["check", "--format", "json", str(data)]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert problems[0] == {
        "path": str(data),
        "line": 2,
        "type": "ldm",
        "subtype": "bad-date",
        "message": "'due' is not a real date: 2021-02-30 (day is out of range for month)",
    }
    assert main(["check", "--format", "github", str(data)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"::error file={data},line=2,title=ldm.bad-date::'due' is not")


def test_clean_data_exits_zero_and_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinxext_ldm", "check", "data/milestones.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 problem(s) in 1 file(s), 109 milestone(s) loaded" in result.stderr


def test_missing_file_is_a_problem_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "no/such/file.yaml"]) == 1
    assert (
        capsys.readouterr().out.strip() == "file: milestone data file not found: no/such/file.yaml"
    )


def test_changes_between_two_data_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(
        "milestones:\n"
        "  - {code: A, name: Alpha, level: 2, due: 2021-01-01}\n"
        "  - {code: B, name: Beta, level: 3, due: 2021-01-01}\n"
        "  - {code: X, name: Other, level: 4, due: 2021-01-01}\n"
    )
    new.write_text(
        "milestones:\n"
        "  - {code: A, name: Alpha two, level: 2, due: 2021-03-02, completed: 2021-03-01}\n"
        "  - {code: C, name: Gamma, level: 3, due: 2022-01-01}\n"
    )
    assert main(["changes", str(old), str(new), "--levels", "2,3", "--format", "rst"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("From old\\.yaml to new\\.yaml: 1 added, 1 removed, 1 newly completed")
    assert "``C`` Gamma" in out and "``B`` Beta" in out and "``X``" not in out
    assert "+60" in out  # A slipped from 2021-01-01 to 2021-03-02
    assert "Alpha two" in out
