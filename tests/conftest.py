"""Shared fixtures: real Sphinx builds of projects under tests/roots and of example-docs."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

TESTS = Path(__file__).parent
REPO = TESTS.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS / "roots"


def copy_example_docs(dest: Path) -> Path:
    """example-docs and the data it reads, laid out as in the repository."""
    shutil.copytree(
        REPO / "example-docs", dest / "example-docs", ignore=shutil.ignore_patterns("_build")
    )
    shutil.copytree(REPO / "data", dest / "data")
    return dest / "example-docs"


BuildFn = Callable[..., SphinxTestApp]

ONE_MILESTONE = "milestones:\n  - {code: A, name: X, due: 2021-01-01}\n"


def write_project(src: Path, index: str, data: str = ONE_MILESTONE, conf: str = "") -> Path:
    """A small project in ``src``: the extension, ``m.yaml`` holding ``data``, ``index``."""
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(
        'extensions = ["sphinxext_ldm"]\nldm_milestones_path = "m.yaml"\n' + conf
    )
    (src / "m.yaml").write_text(data)
    (src / "index.rst").write_text(index)
    return src


@pytest.fixture
def build_project(tmp_path: Path) -> Iterator[BuildFn]:
    """Build a copy of tests/roots/test-NAME (or any source dir) and return the app."""
    apps: list[SphinxTestApp] = []

    def build(
        root: str | Path, buildername: str = "html", *, copy: bool = True, **kwargs: object
    ) -> SphinxTestApp:
        src = Path(root) if isinstance(root, Path) else TESTS / "roots" / f"test-{root}"
        if copy:
            dest = tmp_path / src.name
            if not dest.exists():
                shutil.copytree(src, dest)
            src = dest
        app = SphinxTestApp(buildername, srcdir=src, **kwargs)  # type: ignore[arg-type]
        apps.append(app)
        app.build()
        return app

    yield build
    for app in apps:
        app.cleanup()


@pytest.fixture(scope="session")
def example_html(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    """example-docs built once to HTML, as `nox -s docs` builds it."""
    src = copy_example_docs(tmp_path_factory.mktemp("example"))
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        # Unregister its nodes now: other tests build their own apps meanwhile.
        app.cleanup()
    yield app
