"""Developer tasks. `nox -s docs` builds example-docs; `nox -s tests` runs the test suite.

Sessions use the Python that runs nox (3.11 or newer), so they work on a fresh machine
with nothing but Python installed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.sessions = ["lint", "typing", "tests", "docs", "pdf"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
MERMAID_PACKAGE = ROOT / "tools" / "mermaid"
MERMAID_DIST = MERMAID_PACKAGE / "node_modules" / "mermaid" / "dist"


def install_mermaid_js(session: nox.Session) -> Path | None:
    """Mermaid JS from the npm registry (pinned in tools/mermaid), or None without npm."""
    if (MERMAID_DIST / "mermaid.esm.min.mjs").is_file():
        return MERMAID_DIST
    if shutil.which("npm") is None:
        return None
    session.run(
        "npm", "ci", "--no-audit", "--no-fund", "--prefix", str(MERMAID_PACKAGE), external=True
    )
    return MERMAID_DIST


def offline_mermaid(session: nox.Session, why: str) -> dict[str, str]:
    """LDM_MERMAID_DIST for a build that must not reach the CDN, or a clear error."""
    dist = install_mermaid_js(session)
    if dist is None:
        session.error(f"{why} needs npm to install the mermaid package")
    return {"LDM_MERMAID_DIST": str(dist)}


def build_html(session: nox.Session, source: str, args: list[str], env: dict[str, str]) -> None:
    """``source`` to HTML with -W -n (every warning and unresolved reference fatal)."""
    outdir = ROOT / source / "_build" / "html"
    session.run(
        "sphinx-build", "-W", "-n", "--keep-going", "-b", "html",
        *args, source, str(outdir), env=env,
    )  # fmt: skip
    session.log(
        f"Open it over HTTP (charts do not load from file://): python3 -m http.server -d {outdir}"
    )


def offline_option(session: nox.Session) -> tuple[list[str], dict[str, str]]:
    """The session's arguments without `--offline`, and the environment it asks for."""
    args = list(session.posargs)
    if "--offline" not in args:
        return args, {}
    args.remove("--offline")
    return args, offline_mermaid(session, "--offline")


@nox.session
def docs(session: nox.Session) -> None:
    """Build example-docs (LDM-564) to HTML with -W -n. `-- --offline` serves Mermaid JS
    from the npm package instead of the CDN; other arguments go to sphinx-build."""
    session.install("-e", ".[docs]")
    args, env = offline_option(session)
    build_html(session, "example-docs", args, env)


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview of example-docs: sphinx-autobuild on http://127.0.0.1:8000, rebuilding
    when a page or a data file that conf.py names (ldm_milestones_path, ldm_history_path,
    ldm_acronyms_path) changes. `-- --offline` serves Mermaid JS from the npm package, as
    for `nox -s docs`; other arguments go to sphinx-autobuild, e.g. `-- --port 8001`."""
    session.install("-e", ".[docs,serve]")
    args, env = offline_option(session)
    outdir = ROOT / "example-docs" / "_build" / "serve"
    session.run("python", "-m", "sphinxext_ldm.serve", "example-docs", str(outdir), *args, env=env)


@nox.session
def guide(session: nox.Session) -> None:
    """Build the extension's own documentation (docs/) to HTML with -W -n, offline: Mermaid
    JS from the npm package (tools/mermaid). Arguments go to sphinx-build."""
    session.install("-e", ".[docs]")
    build_html(session, "docs", list(session.posargs), offline_mermaid(session, "the guide"))


@nox.session
def pdf(session: nox.Session) -> None:
    """The PDF edition of example-docs (LuaLaTeX via latexmk). Needs TeX Live: Debian's
    texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
    texlive-pictures texlive-luatex tex-gyre fonts-dejavu-core fonts-droid-fallback latexmk."""
    if shutil.which("latexmk") is None or shutil.which("lualatex") is None:
        session.error("latexmk and lualatex are needed: see the README (The PDF edition)")
    session.install("-e", ".[docs]")
    builddir = ROOT / "example-docs" / "_build"
    session.run(
        "sphinx-build",
        "-M",
        "latexpdf",
        "example-docs",
        str(builddir),
        "-W",
        "-n",
        "--keep-going",
        *session.posargs,
    )
    session.log(f"PDF: {builddir / 'latex' / 'LDM-564.pdf'}")


# The suite on every core, each test file in one worker (a file's module fixtures, such
# as the PDF edition test_pdf.py builds once, are not built twice).
PARALLEL = ["-n", "auto", "--dist", "loadfile"]
# Printed by the test sessions: which Sphinx a run used.
SPHINX_VERSION = "import sphinx, sys; print('Sphinx', sphinx.__version__, 'Python', sys.version)"


def mermaid_env(session: nox.Session) -> dict[str, str]:
    """LDM_MERMAID_DIST for the browser tests, where npm can install Mermaid JS (unless
    the environment already names a copy)."""
    if os.environ.get("LDM_MERMAID_DIST"):
        return {}
    dist = install_mermaid_js(session)
    return {} if dist is None else {"LDM_MERMAID_DIST": str(dist)}


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite, once, on the newest Sphinx for this Python (`tests-compat` runs
    the supported matrix)."""
    # --upgrade sphinx: a reused environment moves to the newest release too.
    session.install("--upgrade", "-e", ".[test,docs]", "sphinx")
    session.run("python", "-c", SPHINX_VERSION)
    session.run("pytest", *PARALLEL, *session.posargs, env=mermaid_env(session))


# The supported matrix: the oldest Sphinx series, and each newer one on the oldest Python
# it supports (Sphinx 9.1 needs Python 3.12, 9.2 needs 3.13). Without an interpreter nox
# skips its run, except under CI=true, where nox fails on a missing interpreter.
COMPAT_MATRIX = [
    ("3.11", "8.1"),
    ("3.11", "9.0"),
    ("3.12", "9.1"),
    ("3.13", "9.2"),
]


@nox.session(name="tests-compat")
@nox.parametrize(
    ("python", "sphinx"),
    COMPAT_MATRIX,
    ids=[f"py{python}-sphinx{sphinx}" for python, sphinx in COMPAT_MATRIX],
)
def tests_compat(session: nox.Session, sphinx: str) -> None:
    """The test suite on each supported Sphinx series (CI runs every one)."""
    session.install("-e", ".[test,docs]", f"sphinx=={sphinx}.*")
    session.run("python", "-c", SPHINX_VERSION)
    session.run("pytest", *PARALLEL, *session.posargs, env=mermaid_env(session))


@nox.session
def wheel(session: nox.Session) -> None:
    """Build the sdist and wheel, `twine check` them, install the wheel into a clean
    virtual environment (from outside the source tree) and build tests/roots/test-package,
    which uses every directive and the role, with -W -n. Fails if a module or package data
    file (static/, schemas/*.json, py.typed) is missing from the archives or the site."""
    session.install("build", "twine")
    work = Path(session.create_tmp()).resolve() / "wheel"
    shutil.rmtree(work, ignore_errors=True)
    dist = work / "dist"
    session.run("python", "-m", "build", "--outdir", str(dist), str(ROOT))
    (wheel_file,) = dist.glob("*.whl")
    (sdist_file,) = dist.glob("*.tar.gz")
    session.run("twine", "check", "--strict", str(wheel_file), str(sdist_file))
    check = str(ROOT / "tools" / "check_package.py")
    session.run("python", check, "wheel", str(wheel_file), str(sdist_file))

    # A clean environment, used from a directory outside the source tree, so that
    # nothing can come from the checkout.
    session.chdir(work)
    session.run("python", "-m", "venv", "clean")
    python = str(work / "clean" / ("Scripts" if os.name == "nt" else "bin") / "python")
    session.run(python, "-m", "pip", "install", "-q", str(wheel_file), external=True)
    session.run(python, check, "installed", str(wheel_file), external=True)
    project = work / "project"
    shutil.copytree(ROOT / "tests" / "roots" / "test-package", project)
    outdir = work / "html"
    session.run(
        python, "-m", "sphinx", "-W", "-n", "--keep-going", "-b", "html",
        str(project), str(outdir), external=True,
    )  # fmt: skip
    session.run(python, check, "site", str(outdir), external=True)


# Rubin's documentation stack: documenteer's technote and user-guide configurations.
# documenteer 2.x needs Python 3.12 or newer and pins its own Sphinx (8.1 as of
# documenteer 2.4), technote (0.9) and pydata-sphinx-theme (0.16), so it gets a session of
# its own on Python 3.12. Without a python3.12 nox skips it, except under CI=true, where
# nox fails on a missing interpreter.
RUBIN_STACK = "documenteer[technote,guide]>=2,<3"
RUBIN_VERSIONS = """
import importlib.metadata as m
import documenteer  # importable, or the tests below would only skip
for name in ("documenteer", "technote", "sphinx", "docutils", "pydata-sphinx-theme",
             "sphinxcontrib-mermaid", "sphinx-design", "sphinxext-ldm"):
    print(f"{name} {m.version(name)}")
"""


@nox.session(python="3.12")
def rubin(session: nox.Session) -> None:
    """A Rubin technote and a documenteer user guide (tests/rubin), each built with -W,
    offline, using documenteer's :ldm: role and this extension's on one page."""
    session.install("-e", ".", RUBIN_STACK, "pytest>=8", "beautifulsoup4>=4.12")
    session.run("python", "-c", RUBIN_VERSIONS)
    session.run("pytest", "tests/rubin", "-rs", *session.posargs)


# Benchmark dependencies, pinned so that results compare across runs (bench/README.md).
BENCH_PINS = [
    "sphinx==9.0.4",
    "sphinx-needs==9.1.0",
    "sphinxcontrib-plantuml==0.31",
    "pillow==13.0.0",  # sphinxcontrib-plantuml scales needgantt images with it
]


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmark (not a test): sphinxext-ldm against plain reST and sphinx-needs at
    N = 100, 1,000 and 10,000 milestones, and the scaling cases (acronym scanning at N and
    10N pairs of terms, the import at 10,000 to 1,000,000 rows), written to
    bench/RESULTS.md, then the cost of history (bench/history.py: 87 snapshots of 400
    milestones, full build and no-op, against no history). Arguments go to bench/run.py,
    e.g. `nox -s bench -- --cases builds --sizes 100,1000` for a quick run, `-- --cases
    import` for the import alone. needgantt is measured when the `plantuml` command (Java)
    is installed, e.g. `apt-get install plantuml`."""
    session.install("-e", ".", *BENCH_PINS)
    session.run("python", str(ROOT / "bench" / "run.py"), *session.posargs)
    # The cost of the schedule's history (87 snapshots of 400 milestones), appended.
    results = str(ROOT / "bench" / "RESULTS.md")
    session.run("python", str(ROOT / "bench" / "history.py"), "--output", results)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "sphinxext_ldm", "tests", "tools", "noxfile.py")
    session.run("ruff", "format", "--check", "sphinxext_ldm", "tests", "tools", "noxfile.py")


@nox.session
def typing(session: nox.Session) -> None:
    session.install("-e", ".", "mypy", "types-PyYAML")
    session.run("mypy")
