"""LDM-564 rebuilt with sphinxext-ldm: the milestone facts come from ../data."""

project = "LDM-564"
author = "William O'Mullane, Frossie Economou, Tim Jenness, Andrew Loftus, John D. Swinbank"
copyright = "2017-2022, Association of Universities for Research in Astronomy, Inc. (AURA)"
release = "1.5"

extensions = [
    "sphinxext_ldm",
    "sphinxcontrib.mermaid",
    "sphinx_design",
]

# The milestone data and the "as of" date of the published edition (2022-08-13), so
# that statuses read as they did then; remove ldm_today to track the real date.
ldm_milestones_path = "../data/milestones.yaml"
ldm_today = "2022-08-13"

numfig = True
numfig_format = {"figure": "Figure %s"}
numfig_secnum_depth = 0  # Figures 1, 2, 3 as in the PDF edition
exclude_patterns = ["_build"]

# The look of lsst.io sites: pydata-sphinx-theme, as documenteer configures it.
html_theme = "pydata_sphinx_theme"
html_title = "LDM-564: Data Management Releases for Verification/Integration"
html_short_title = "LDM-564"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "external_links": [{"name": "LDM-564 on GitHub", "url": "https://github.com/lsst/LDM-564"}],
}
# One document, navigated by the header and the page's table of contents.
html_sidebars = {"**": []}
html_last_updated_fmt = None
html_show_sourcelink = False

latex_documents = [
    ("index", "LDM-564.tex", "Data Management Releases for Verification/Integration", author,
     "manual"),
]
