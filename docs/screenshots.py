"""Screenshots of built sites in headless Chromium (Playwright).

    python docs/screenshots.py readme SITE
        docs/_static/timeline.png, the README's picture: Figure 3 of example-docs (SITE is
        its built HTML, e.g. example-docs/_build/html from `nox -s docs -- --offline`).
    python docs/screenshots.py review SITE OUTDIR [PAGE ...] [--screens N]
        each page (default: every page of SITE) at 1366 and 390 px wide, light and dark,
        one screen at a time from the top (N screens, default 3), as
        OUTDIR/<page>-<width>-<scheme>-<screen>.png, for looking at the layout.

Charts are ES modules, which do not load from file://, so SITE is served over HTTP on a
free loopback port. Chromium is found on PATH (chromium, chromium-browser) or in
LDM_CHROMIUM.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
README_PICTURE = HERE / "_static" / "timeline.png"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = {"desktop": 1366, "phone": 390}
# Every Mermaid chart drawn: an svg is inserted before it is drawn, so wait for its text.
CHARTS_DRAWN = (
    "[...document.querySelectorAll('pre.mermaid')].every("
    "pre => pre.querySelectorAll('svg text, svg foreignObject').length > 0)"
)


def chromium() -> str:
    for name in (os.environ.get("LDM_CHROMIUM"), "chromium", "chromium-browser"):
        if name and (path := shutil.which(name)):
            return path
    raise SystemExit("Chromium not found: install it, or set LDM_CHROMIUM")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def open_page(browser: Any, url: str, width: int, scheme: str) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 600 else 844},
        color_scheme=scheme,
        is_mobile=width < 600,
    )
    tab = context.new_page()
    tab.goto(url, wait_until="networkidle")
    tab.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    return tab


def readme(site: Path) -> None:
    """Figure 3 of example-docs (the forecast timeline), light, at desktop width."""
    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = open_page(browser, base + "releases.html", 1366, "light")
            # The sticky header would cover the top of the figure once scrolled to it.
            tab.add_style_tag(content=".bd-header, .skip-link { display: none !important; }")
            tab.locator("figure#fig-ldm-forecast").screenshot(path=str(README_PICTURE))
        finally:
            browser.close()
    print(f"wrote {README_PICTURE}")


def review(site: Path, outdir: Path, pages: list[str], screens: int) -> None:
    """Each page at both widths in both colour schemes, screen by screen."""
    outdir.mkdir(parents=True, exist_ok=True)
    if not pages:
        pages = sorted(
            str(p.relative_to(site)) for p in site.rglob("*.html") if "_static" not in p.parts
        )
    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            for page in pages:
                for width in WIDTHS.values():
                    for scheme in ("light", "dark"):
                        tab = open_page(browser, base + page, width, scheme)
                        name = page.removesuffix(".html").replace("/", "-")
                        height = tab.viewport_size["height"]
                        total = tab.evaluate("document.documentElement.scrollHeight")
                        for screen in range(min(screens, -(-total // height))):
                            tab.evaluate(f"window.scrollTo(0, {screen * height})")
                            tab.wait_for_timeout(100)
                            shot = outdir / f"{name}-{width}-{scheme}-{screen + 1}.png"
                            tab.screenshot(path=str(shot))
                        tab.context.close()
        finally:
            browser.close()
    print(f"wrote the screenshots of {len(pages)} page(s) to {outdir}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("readme", help="the README's picture from example-docs' built HTML")
    one.add_argument("site", type=Path)
    many = sub.add_parser("review", help="pages at 1366 and 390 px, light and dark")
    many.add_argument("site", type=Path)
    many.add_argument("outdir", type=Path)
    many.add_argument("pages", nargs="*")
    many.add_argument("--screens", type=int, default=3, help="screens per page (default 3)")
    args = parser.parse_args()
    if args.command == "readme":
        readme(args.site)
    else:
        review(args.site, args.outdir, args.pages, args.screens)


if __name__ == "__main__":
    main()
