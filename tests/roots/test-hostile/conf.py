extensions = ["sphinxext_ldm"]
ldm_milestones_path = "milestones.yaml"
ldm_today = "2021-01-01"
numfig = True
exclude_patterns = ["_build"]
