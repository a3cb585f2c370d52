# The reStructuredText twin of test-myst: the same settings and data (read from there),
# the same pages in reST, so that tests/test_myst.py can compare what each page shows.
extensions = ["sphinxext_ldm"]
ldm_milestones_path = "../test-myst/milestones.yaml"
ldm_acronyms_path = "../test-myst/acronyms.yaml"
ldm_history_path = "../test-myst/history"
ldm_acronym_skip = ["LDM", "DM"]
ldm_today = "2020-01-01"
numfig = True
exclude_patterns = ["_build"]
