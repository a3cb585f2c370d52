extensions = ["sphinxext_ldm"]
ldm_milestones_path = "milestones.yaml"
ldm_today = "2020-01-01"
exclude_patterns = ["_build"]
