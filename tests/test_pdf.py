"""The PDF edition: example-docs and a project of hostile names compile with LuaLaTeX,
and their text (pdftotext) says what the seed and the data say."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from sphinxext_ldm.load import load_milestones
from tests.conftest import TESTS, copy_example_docs
from tests.seed import seed_sections

TOOLS = ("latexmk", "lualatex", "pdftotext")


@pytest.fixture(scope="module")
def tex() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"TeX tools missing: {', '.join(missing)} (see the README, The PDF edition)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def build_pdf(src: Path, name: str) -> str:
    """Build ``src`` with ``sphinx-build -M latexpdf -W``; the PDF's text."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-M",
            "latexpdf",
            str(src),
            str(src / "_build"),
            "-W",
            "--keep-going",
            "-q",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pdf = src / "_build" / "latex" / f"{name}.pdf"
    # -raw: content-stream order; the default layout mode splits widely spaced lines.
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text


@pytest.fixture(scope="module")
def example_pdf(tex: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """example-docs built once to PDF (the slowest build of the suite): its source
    directory and the PDF's text."""
    src = copy_example_docs(tmp_path_factory.mktemp("example-pdf"))
    return src, build_pdf(src, "LDM-564")


def squeeze(text: str) -> str:
    """Text without what typesetting changes: white space, hyphens, bullets, ligatures."""
    return re.sub(r"[\s\-\u2010\u2011\u00ad•*]", "", unicodedata.normalize("NFKC", text))


def test_section3_of_the_pdf_matches_the_seed(example_pdf: tuple[Path, str]) -> None:
    text = example_pdf[1]
    # Section 3 itself, not its entry in the table of contents.
    start = re.search(r"3\s+Functionality in DM releases\s+This is currently not", text)
    assert start is not None, text[:3000]
    end = re.compile(r"\n\s*4\s+References\s*\n").search(text, start.start())
    assert end is not None
    body = squeeze(text[start.start() : end.start()])
    position = 0
    for section in seed_sections():
        # Figures float between sections: each piece must follow the previous one.
        pieces = [f"{section.number} {section.heading}", section.due_line, *section.items]
        if section.no_features:
            pieces.append(section.no_features)
        for piece in pieces:
            found = body.find(squeeze(piece), position)
            assert found >= 0, f"{section.number}: {piece!r} not found after offset {position}"
            position = found + len(squeeze(piece))


def test_pdf_figures_are_pgfgantt_charts_of_every_level2_milestone(
    example_pdf: tuple[Path, str],
) -> None:
    src = example_pdf[0]
    tex_source = (src / "_build" / "latex" / "LDM-564.tex").read_text()
    charts = re.findall(r"\\begin\{ganttchart\}.*?\\end\{ganttchart\}", tex_source, re.S)
    assert len(charts) == 2
    level2 = [
        m for m in load_milestones(src.parent / "data" / "milestones.yaml").catalog if m.level == 2
    ]
    assert charts[1].count(r"\ganttmilestone") == len(level2) == 36
    assert charts[0].count(r"\ganttmilestone") == sum(1 for m in level2 if m.baseline)
    assert r"\ganttlink" in charts[1]


def test_hostile_names_compile_and_print_as_written(tmp_path: Path, tex: None) -> None:
    src = tmp_path / "hostile"
    shutil.copytree(TESTS / "roots" / "test-hostile", src)
    text = squeeze(build_pdf(src, "hostile"))
    for milestone in load_milestones(src / "milestones.yaml").catalog:
        assert squeeze(milestone.name) in text, milestone.name
