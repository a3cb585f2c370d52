extensions = ["sphinxext_ldm"]
ldm_milestones_path = "milestones.yaml"
ldm_today = "2021-01-01"
numfig = True
exclude_patterns = ["_build"]

# The PDF edition of these names (tests/test_pdf.py): LuaLaTeX, with fallback fonts for
# the scripts TeX Gyre lacks.
latex_engine = "lualatex"
latex_use_xindy = False
latex_documents = [("index", "hostile.tex", "Hostile names", "Tests", "howto")]
ldm_latex_fallback_fonts = ["DejaVu Sans", "Droid Sans Fallback"]
latex_elements = {
    "fontpkg": r"""
\setmainfont{TeX Gyre Heros}[RawFeature={fallback=ldmfallback}]
\setsansfont{TeX Gyre Heros}[RawFeature={fallback=ldmfallback}]
\setmonofont{DejaVu Sans Mono}[RawFeature={fallback=ldmfallback}]
""",
}
# Written into the PDF's Subject: every character TeX reads as syntax.
ldm_latex_subject = "Subject: $x_1 & {y} ^ 100% #2 ~ \\path <a> 'q' \"d\" `b` -- --- |"
