extensions = ["sphinxext_ldm"]
ldm_milestones_path = "milestones.yaml"
ldm_acronyms_path = ["glossarydefs.csv", "acronyms.yaml"]
ldm_acronym_tags = ["DM"]
ldm_acronym_skip = ["SKIPME", "LDM"]
ldm_today = "2020-01-01"
exclude_patterns = ["_build"]
