"""Packaging: one place for the version, and the project `nox -s wheel` builds from the
installed wheel (tests/roots/test-package) building cleanly from the source tree too."""

from __future__ import annotations

import re
import tomllib

from docutils.parsers.rst import directives

import sphinxext_ldm
from tests.conftest import REPO, BuildFn

DIRECTIVE = re.compile(r"^\.\. (ldm-[a-z-]+)::", re.M)


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "sphinxext_ldm.__version__"}


def test_setup_returns_the_version(build_project: BuildFn) -> None:
    app = build_project("package")
    assert app.extensions["sphinxext_ldm"].version == sphinxext_ldm.__version__


def test_package_project_uses_every_directive_and_builds_cleanly(
    build_project: BuildFn,
) -> None:
    app = build_project("package")
    assert app.warning.getvalue() == ""
    used = set()
    for page in app.srcdir.glob("*.rst"):
        used.update(DIRECTIVE.findall(page.read_text()))
    # While the app lives, docutils knows the directives its extensions registered.
    registered = {name for name in directives._directives if name.startswith("ldm-")}
    assert len(registered) == 12
    assert used == registered
    assert ":ldm:ms:`" in (app.srcdir / "index.rst").read_text()
