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
from typing import Any

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


#: What a reader's screen is: a laptop, and a phone.
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@contextmanager
def reader_tab(
    site: Path, page: str, device: str, scheme: str, javascript: bool = True, http: bool = True
) -> Iterator[Any]:
    """``page`` of ``site`` served over HTTP (or opened as a file) and open in Chromium as a
    reader sees it: at the device's width, in the light or dark colour scheme, loaded."""
    from playwright.sync_api import sync_playwright  # the tests skip without it

    with serve(site) as base_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport=VIEWPORTS[device],  # type: ignore[arg-type]
                color_scheme=scheme,  # type: ignore[arg-type]
                is_mobile=device == "phone",
                java_script_enabled=javascript,
            )
            tab = context.new_page()
            url = base_url + page if http else (site / page).as_uri()
            tab.goto(url, wait_until="networkidle")
            yield tab
        finally:
            browser.close()
