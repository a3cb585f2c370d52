"""A Rubin technote configured as documenteer's template does, plus sphinxext-ldm.

sphinxext_ldm itself is enabled in technote.toml ([technote.sphinx] extensions).
"""

from documenteer.conf.technote import *  # noqa: F403

ldm_milestones_path = "milestones.yaml"
ldm_today = "2026-01-15"

# Offline: documenteer downloads lsst-texmf's bib files from GitHub at start.
documenteer_bibfile_github_repos = []
