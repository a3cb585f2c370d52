"""Serve Mermaid JS from a local copy of the npm package ``mermaid`` (offline builds).

sphinxcontrib-mermaid loads Mermaid from a CDN unless ``mermaid_use_local`` is set.
Given ``ldm_mermaid_dist`` (or the ``LDM_MERMAID_DIST`` environment variable) naming the
package's ``dist`` folder, we copy the ES module and its chunks (not the source maps)
into ``_static/mermaid/`` and point ``mermaid_use_local`` at it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

ENTRY = "mermaid.esm.min.mjs"
CHUNKS = Path("chunks", "mermaid.esm.min")
STATIC_DIR = "mermaid"


def configured_dist(app: Sphinx) -> Path | None:
    value = app.config.ldm_mermaid_dist or os.environ.get("LDM_MERMAID_DIST")
    return Path(app.confdir, value) if value else None


def use_local_mermaid(app: Sphinx, config: Config) -> None:
    """config-inited: point sphinxcontrib-mermaid at our copy when a dist is given."""
    dist = configured_dist(app)
    if dist is None:
        return
    if not (dist / ENTRY).is_file():
        logger.warning(
            "ldm_mermaid_dist: no %s in %s (run `npm install mermaid` and name its dist folder)",
            ENTRY,
            dist,
            type="ldm",
            subtype="config",
        )
        return
    config.mermaid_use_local = f"{STATIC_DIR}/{ENTRY}"


def copy_mermaid(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: copy the module and its chunks next to the HTML."""
    dist = configured_dist(app)
    if exception is not None or dist is None or app.builder.format != "html":
        return
    if not app.config.mermaid_use_local:
        return
    target = Path(app.outdir, "_static", STATIC_DIR)
    files = [Path(ENTRY), *(p.relative_to(dist) for p in (dist / CHUNKS).glob("*.mjs"))]
    for relative in files:
        source, dest = dist / relative, target / relative
        if dest.exists() and dest.stat().st_size == source.stat().st_size:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
