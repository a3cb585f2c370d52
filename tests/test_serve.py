"""The live preview (python -m sphinxext_ldm.serve, nox -s serve): a real sphinx-autobuild
serving a small project over HTTP, rebuilt when the data file outside its sources changes."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sphinxext_ldm.serve import autobuild_command, watched_directories

TIMEOUT = 180  # seconds; a build on a busy 2-core machine


def make_project(root: Path) -> Path:
    """docs/ reading ../data/m.yaml (as example-docs reads ../data), and a page that
    shows no milestone."""
    docs, data = root / "docs", root / "data"
    docs.mkdir(parents=True)
    data.mkdir()
    (docs / "conf.py").write_text(
        'extensions = ["sphinxext_ldm"]\n'
        'ldm_milestones_path = "../data/m.yaml"\n'
        'ldm_acronyms_path = ["../data/acronyms.yaml", "local.yaml"]\n'
        'ldm_today = "2020-01-01"\n'
        "ldm_exports = False\n"
    )
    (data / "m.yaml").write_text(
        "milestones:\n  - {code: A-1, name: First light, level: 2, due: 2021-01-01}\n"
    )
    (data / "acronyms.yaml").write_text("acronyms: []\n")
    (docs / "local.yaml").write_text("acronyms: []\n")
    (docs / "index.rst").write_text(
        "Plan\n====\n\n.. toctree::\n\n   other\n\n.. ldm-milestone-table::\n"
    )
    (docs / "other.rst").write_text("Other\n=====\n\nNo milestones here.\n")
    return docs


def test_watches_the_data_directories_outside_the_sources(tmp_path: Path) -> None:
    docs = make_project(tmp_path)
    (tmp_path / "data" / "history").mkdir()
    (docs / "conf.py").write_text(
        (docs / "conf.py").read_text() + 'ldm_history_path = "../data/history"\n'
    )
    # data/ once (history/ is inside it); docs/local.yaml is watched as a source.
    assert watched_directories(docs, docs) == [(tmp_path / "data").resolve()]
    command = autobuild_command([str(docs), str(tmp_path / "out"), "--port", "0"])
    assert command[1:3] == ["-m", "sphinx_autobuild"]
    assert command[-1] == f"--watch={(tmp_path / 'data').resolve()}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(check: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}; sphinx-autobuild said:\n{log.read_text()}")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError):
        return ""


@pytest.fixture
def autobuild_available() -> None:
    try:
        import sphinx_autobuild  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("sphinx-autobuild is not installed (the test extra has it)")
        pytest.skip("sphinx-autobuild is not installed (pip install -e .[test])")


@pytest.fixture
def serving(tmp_path: Path, autobuild_available: None) -> Iterator[tuple[str, Path]]:
    """sphinx-autobuild on the project, on a free port; stopped (its process group)
    afterwards."""
    make_project(tmp_path)
    command = [sys.executable, "-m", "sphinxext_ldm.serve", "docs", "out", "--host", "127.0.0.1"]
    log = tmp_path / "autobuild.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port := free_port())],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield f"http://127.0.0.1:{port}/index.html", log
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_data_edit_rebuilds_only_the_pages_using_it(serving: tuple[str, Path]) -> None:
    url, log = serving
    wait_for(lambda: "2021-01-01" in fetch(url), "the first build", log)
    # Only once it waits for changes: an edit during the first build is not a change.
    wait_for(lambda: "Waiting to detect changes" in log.read_text(), "the watcher", log)
    data = log.parent / "data" / "m.yaml"
    data.write_text(data.read_text().replace("2021-01-01", "2021-02-03"))

    wait_for(lambda: "2021-02-03" in fetch(url), "the page to show the new date", log)
    # Without colours: Sphinx colours its output where FORCE_COLOR is set (as under nox).
    rebuild = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text()).partition("Detected changes")[2]
    assert "data/m.yaml" in rebuild.splitlines()[0]
    read = re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", rebuild)
    assert read == ["index"]
