"""The sphinxext-ldm guide, built with the extension itself (`nox -s guide`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinxext-ldm"
author = "Rubin Observatory Data Management"
copyright = "2017-2026, Association of Universities for Research in Astronomy, Inc. (AURA)"
release = version = "0.1.0"

extensions = ["sphinxext_ldm", "guide"]

# The guide's own small release plan, with a history of two reports and its acronyms.
# ldm_today is pinned so that every status (late, upcoming) reads the same in every build.
ldm_milestones_path = "data/milestones.yaml"
ldm_history_path = "data/history"
ldm_acronyms_path = "data/acronyms.yaml"
ldm_today = "2022-06-30"
# Capitalised words that are not acronyms here: parts of milestone codes (REL-01, CAT-2,
# DM-AP-1, DLP-25...), placeholders (FILE, PREFIX, DD), file and sheet names (README,
# TASKPRED) and the benchmark's project names (P0).
# fmt: off
ldm_acronym_skip = [
    "ALERT", "AP", "BT", "CAT", "CODE", "COMC", "DD", "DLP", "DMTC", "FILE", "FL", "LR",
    "ME", "MM", "NB", "OPS", "P0", "PIPE", "PORTAL", "PREFIX", "README", "REL",
    "RESULTS", "RL", "SECURITY", "TASK", "TASKPRED", "TP", "YYYY",
]
# fmt: on

numfig = True
exclude_patterns = ["_build", "data"]
templates_path: list[str] = []
html_static_path = ["_static"]

# The look of lsst.io sites: pydata-sphinx-theme, as documenteer configures it.
html_theme = "pydata_sphinx_theme"
html_title = "sphinxext-ldm"
html_theme_options = {
    "navbar_align": "left",
    "logo": {"text": "sphinxext-ldm"},
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "header_links_before_dropdown": 6,
}
# The section navigation only where there is a section to navigate (the directives); the
# other pages are reached from the header.
html_sidebars = {"*": []}  # top-level pages: "*" does not match "directives/..."
html_last_updated_fmt = None
html_show_sourcelink = False
