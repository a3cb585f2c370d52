# MyST Markdown pages using every directive and the role (tests/test_myst.py); its reST
# twin, tests/roots/test-myst-rst, reads the same data.
extensions = ["myst_parser", "sphinxext_ldm"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_update_mathjax = False  # no mathjax classes on sections: the pages match the twin's
ldm_milestones_path = "milestones.yaml"
ldm_acronyms_path = "acronyms.yaml"
ldm_history_path = "history"
ldm_acronym_skip = ["LDM", "DM"]
numfig = True
ldm_today = "2020-01-01"
exclude_patterns = ["_build"]
