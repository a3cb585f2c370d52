"""Helpers for tests that open built pages in real headless Chromium (via Playwright)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def requirement_missing(reason: str) -> None:
    """Skip locally; in CI (.ci/run installs everything) a missing part is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


def chromium_path() -> str:
    for name in (os.environ.get("LDM_CHROMIUM"), "chromium", "chromium-browser"):
        if name and (path := shutil.which(name)):
            return path
    requirement_missing("Chromium is not installed (apt-get install chromium)")
    raise AssertionError  # unreachable


def mermaid_dist() -> Path:
    configured = os.environ.get("LDM_MERMAID_DIST")
    dist = Path(configured) if configured else REPO / "tools/mermaid/node_modules/mermaid/dist"
    if not (dist / "mermaid.esm.min.mjs").is_file():
        requirement_missing(f"no Mermaid JS at {dist} (npm ci --prefix tools/mermaid)")
    return dist.resolve()


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free loopback port: ES modules do not load from file://."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass
