# Every directive and the role of sphinxext-ldm on a few pages: `nox -s wheel` builds
# this project with -W -n from the installed wheel, to prove the package is complete.
project = "sphinxext-ldm package check"
extensions = ["sphinxext_ldm"]
ldm_milestones_path = "milestones.yaml"
ldm_history_path = "history"
ldm_acronyms_path = "acronyms.yaml"
ldm_acronym_skip = ["LDM"]
ldm_today = "2020-01-01"
exclude_patterns = ["_build"]
