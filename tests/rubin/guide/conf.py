"""A documenteer user guide configured as documenteer's template does, plus sphinxext-ldm.

sphinxext_ldm itself is enabled in documenteer.toml ([sphinx] extensions).
"""

from documenteer.conf.guide import *  # noqa: F403

ldm_milestones_path = "milestones.yaml"
ldm_today = "2026-01-15"
