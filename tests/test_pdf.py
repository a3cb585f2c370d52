"""The PDF edition: example-docs and a project of hostile names compile with LuaLaTeX,
and their text (pdftotext) says what the seed and the data say."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinxext_ldm.load import load_milestones
from tests.conftest import TESTS, copy_example_docs
from tests.seed import seed_sections

TOOLS = ("latexmk", "lualatex", "pdftotext", "pdfinfo", "luaotfload-tool")


@pytest.fixture(scope="module")
def tex() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"TeX tools missing: {', '.join(missing)} (see the README, The PDF edition)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def run_latexpdf(
    src: Path, *options: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -M latexpdf`` of ``src`` (latexmk's output included)."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(src / "_build"), *options],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def pdf_text(pdf: Path) -> str:
    # -raw: content-stream order; the default layout mode splits widely spaced lines.
    return subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def build_pdf(src: Path, name: str) -> str:
    """Build ``src`` with ``sphinx-build -M latexpdf -W``; the PDF's text."""
    result = run_latexpdf(src, "-W", "--keep-going", "-q")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return pdf_text(src / "_build" / "latex" / f"{name}.pdf")


def pdf_info(pdf: Path) -> dict[str, str]:
    """The PDF's document information (pdfinfo), field by field."""
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.splitlines())
    }


@dataclass(frozen=True)
class Edition:
    """example-docs built once for the module: its PDF and, to compare, its HTML."""

    src: Path
    text: str
    log: str
    latexmk: str
    html: Path


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, tex: None) -> Edition:
    src = copy_example_docs(tmp_path_factory.mktemp("edition"))
    result = run_latexpdf(src, "-W", "-n", "--keep-going")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = src / "_build" / "html"
    built = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(html)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    latex = src / "_build" / "latex"
    return Edition(
        src,
        pdf_text(latex / "LDM-564.pdf"),
        (latex / "LDM-564.log").read_text(errors="replace"),
        result.stdout + result.stderr,
        html,
    )


def html_pages(html: Path) -> list[BeautifulSoup]:
    return [
        BeautifulSoup(page.read_text(), "html.parser")
        for page in sorted(html.glob("*.html"))
        if page.name not in {"genindex.html", "search.html"}
    ]


def squeeze(text: str) -> str:
    """Text without what typesetting changes: white space, hyphens, bullets, ligatures."""
    return re.sub(r"[\s\-\u2010\u2011\u00ad•*]", "", unicodedata.normalize("NFKC", text))


def test_section3_of_the_pdf_matches_the_seed(edition: Edition) -> None:
    text = edition.text
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


def test_pdf_figures_are_pgfgantt_charts_of_every_level2_milestone(edition: Edition) -> None:
    src = edition.src
    tex_source = (src / "_build" / "latex" / "LDM-564.tex").read_text()
    charts = re.findall(r"\\begin\{ganttchart\}.*?\\end\{ganttchart\}", tex_source, re.S)
    # Figures 2 and 3 of section 3, and the Status page's baseline-against-forecast
    # chart (an SVG on the site, pgfgantt in the PDF).
    assert len(charts) == 3
    level2 = [
        m for m in load_milestones(src.parent / "data" / "milestones.yaml").catalog if m.level == 2
    ]
    assert charts[1].count(r"\ganttmilestone") == len(level2) == 36
    assert charts[0].count(r"\ganttmilestone") == sum(1 for m in level2 if m.baseline)
    assert r"\ganttlink" in charts[1]
    assert charts[2].count(r"\ganttmilestone") == len(level2)


def test_hostile_names_compile_and_print_as_written(tmp_path: Path, tex: None) -> None:
    src = tmp_path / "hostile"
    shutil.copytree(TESTS / "roots" / "test-hostile", src)
    text = squeeze(build_pdf(src, "hostile"))
    for milestone in load_milestones(src / "milestones.yaml").catalog:
        assert squeeze(milestone.name) in text, milestone.name
    info = pdf_info(src / "_build" / "latex" / "hostile.pdf")
    assert info["Title"] == "Hostile names"
    assert info["Subject"] == runpy.run_path(str(src / "conf.py"))["ldm_latex_subject"]


def test_every_float_fits_its_page_and_latexmk_settles(edition: Edition) -> None:
    # A float taller than the page is cut: the burndown table lost its months after
    # 2022-08 and Figure 4's caption, the dependency table Figure 5's caption.
    assert "Float too large" not in edition.log
    assert "Overfull \\vbox" not in edition.log
    # Every luaotfload font name resolves at once: no database reload at each pass.
    assert "Reload initiated" not in edition.log
    assert "Maximum runs" not in edition.latexmk
    assert edition.latexmk.count("Run number") <= 5  # 3 LaTeX passes, 2 of makeindex


def test_every_numbered_html_figure_is_in_the_pdf_with_its_caption(edition: Edition) -> None:
    figures = {}
    for page in html_pages(edition.html):
        for caption in page.select("figcaption"):
            number = caption.select_one(".caption-number")
            text = caption.select_one(".caption-text")
            if number is not None and text is not None:
                figures[number.get_text().strip()] = text.get_text()
    assert len(figures) >= 6, figures
    body = squeeze(edition.text)
    missing = [
        f"{number}: {caption}"
        for number, caption in figures.items()
        if squeeze(f"{number}: {caption}") not in body
    ]
    assert not missing


def test_every_numbered_html_section_has_its_number_in_the_pdf_and_its_contents(
    edition: Edition,
) -> None:
    sections = {}
    for page in html_pages(edition.html):
        for heading in page.select("h1, h2, h3, h4, h5, h6"):
            number = heading.select_one(".section-number")
            if number is None:
                continue
            number.extract()
            for link in heading.select("a.headerlink"):
                link.extract()
            sections[number.get_text().strip().rstrip(".")] = heading.get_text().strip()
    assert sections.get("2.2.1") == "Levels of Operational Validation"
    body = squeeze(edition.text)
    # Once in the contents, once as the heading itself.
    unnumbered = [
        f"{number} {title}"
        for number, title in sections.items()
        if body.count(squeeze(f"{number} {title}")) < 2
    ]
    assert not unnumbered


def test_pdf_metadata_comes_from_the_document(edition: Edition) -> None:
    conf = runpy.run_path(str(edition.src / "conf.py"))
    _, _, title, author, _ = conf["latex_documents"][0]
    info = pdf_info(edition.src / "_build" / "latex" / "LDM-564.pdf")
    assert info["Title"] == title == "Data Management Releases for Verification/Integration"
    assert info["Author"] == author
    assert info["Subject"] == conf["ldm_latex_subject"]


def hidden_font_env(tmp_path: Path, font: str) -> dict[str, str]:
    """An environment in which luaotfload does not see ``font``: its file on
    luaotfload's blacklist, and a font database of its own (the machine's stays as it
    is, for the other builds)."""
    found = subprocess.run(
        ["luaotfload-tool", f"--find={font}"], capture_output=True, text=True, check=False
    ).stdout
    path = re.search(r'Resolved file name "(.+)"', found)
    (tmp_path / "texinputs").mkdir()
    blacklist = Path(path.group(1)).name if path else ""
    (tmp_path / "texinputs" / "luaotfload-blacklist.cnf").write_text(blacklist + "\n")
    cache = tmp_path / "texmf-cache"
    env = dict(os.environ)
    env.update(
        TEXMFVAR=str(cache),
        TEXMFCACHE=str(cache),
        TEXINPUTS=str(tmp_path / "texinputs") + os.pathsep,
    )
    hidden = subprocess.run(
        ["luaotfload-tool", f"--find={font}"], capture_output=True, text=True, env=env
    )
    assert "Resolved file name" not in hidden.stdout, hidden.stdout
    return env


def test_a_missing_fallback_font_is_left_out_with_a_warning(tmp_path: Path, tex: None) -> None:
    src = tmp_path / "hostile"
    shutil.copytree(TESTS / "roots" / "test-hostile", src)
    env = hidden_font_env(tmp_path, "Droid Sans Fallback")

    strict = run_latexpdf(src, "-W", "-q", env=env)
    # -W: the build stops before LaTeX runs, saying what to install.
    assert strict.returncode != 0
    assert "fonts-droid-fallback" in strict.stderr, strict.stderr
    assert "Run number" not in strict.stdout

    result = run_latexpdf(src, "-q", env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    warnings = [line for line in result.stderr.splitlines() if "[ldm.font]" in line]
    assert len(warnings) == 1, result.stderr
    assert "'Droid Sans Fallback'" in warnings[0]
    assert "apt-get install fonts-droid-fallback" in warnings[0]
    assert "conf.py:" in warnings[0]
    log = (src / "_build" / "latex" / "hostile.log").read_text(errors="replace")
    assert "Reload initiated" not in log
    assert "Maximum runs" not in result.stdout
    assert result.stdout.count("of rule 'pdflatex'") <= 3
    # The fonts that are there still make the chain.
    chain = next(
        line
        for line in (src / "_build" / "latex" / "hostile.tex").read_text().splitlines()
        if "add_fallback" in line
    )
    assert '"DejaVu Sans:mode=harf;"' in chain
    assert "Droid" not in chain


def test_sections_are_numbered_as_deep_as_html_whatever_the_maxdepth(
    tmp_path: Path, tex: None
) -> None:
    # HTML numbers every level under :numbered:; Sphinx's LaTeX only to secnumdepth,
    # which follows :maxdepth: (here 1: 1.1.1 had no number in the PDF).
    src = tmp_path / "numbered"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinxext_ldm"]\nexclude_patterns = ["_build"]\n'
        'latex_documents = [("index", "numbered.tex", "Numbered", "Tests", "howto")]\n'
    )
    (src / "index.rst").write_text(
        "Numbered\n========\n\n.. toctree::\n   :numbered:\n   :maxdepth: 1\n\n   one\n"
    )
    (src / "one.rst").write_text(
        "One\n===\n\nText.\n\nTwo\n---\n\nText.\n\nThree\n~~~~~\n\nText.\n\nFour\n^^^^\n\nText.\n"
    )
    text = squeeze(build_pdf(src, "numbered"))
    for heading in ("1 One", "1.1 Two", "1.1.1 Three", "1.1.1.1 Four"):
        assert squeeze(heading) in text, heading
