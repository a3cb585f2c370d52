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
# The schedule's history: snapshots of the February 2018 and April 2019 month-end exports
# and of the July 2022 level 2 forecast (data/history/); this edition is the newest point.
ldm_history_path = "../data/history"

# Acronyms: Rubin's shared definitions (lsst-texmf etc/glossarydefs.csv) as they are,
# preferring Data Management's where a term has several, then this document's own.
ldm_acronyms_path = ["../data/lsst-texmf-glossarydefs.csv", "../data/acronyms.yaml"]
ldm_acronym_tags = ["DM"]
# Capitalised words that are not acronyms here: parts of milestone codes (DM-SQRE-1,
# DM-STAFF, LDM-GEN3), test-case identifiers (AG-00, LVV-T216),
# JOINTCAL1 (a pipeline name), NB (nota bene), the draft notice's "NOT YET" and V1 (a
# version, in 2018 milestone names).
ldm_acronym_skip = [
    "AG", "ATS", "GEN3", "JOINTCAL1", "LTD", "NB", "NOT", "REQ", "SDM", "SQRE",
    "STAFF", "T216", "T217", "T218", "V1", "YET",
]

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
    # The handle in the header, not the whole title: a two-line header would cover the
    # entries that links scroll to (the theme pads scrolling by one line of header).
    "logo": {"text": "LDM-564"},
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

# The PDF edition (nox -s pdf): LuaLaTeX for Unicode text, sections numbered as in HTML,
# opening like Rubin's LDM documents: title page with handle and revision, then the
# abstract and change record (index.rst), then the contents.
today = "2022-08-13"
latex_engine = "lualatex"
latex_use_xindy = False  # makeindex ships with TeX Live; xindy is a separate package
latex_documents = [
    ("index", "LDM-564.tex", "Data Management Releases for Verification/Integration", author,
     "howto"),
]
# The PDF's Subject; Title and Author come from latex_documents.
ldm_latex_subject = "LDM-564: Data Management Releases for Verification/Integration"
# TeX Gyre Heros for text; characters it lacks fall back to DejaVu Sans, then to Droid
# Sans Fallback (CJK), instead of vanishing. The extension keeps those the machine has
# (a missing one is a warning ldm.font naming its package) in the chain "ldmfallback".
ldm_latex_fallback_fonts = ["DejaVu Sans", "DejaVu Sans Mono", "Droid Sans Fallback"]
latex_elements = {
    "fontpkg": r"""
\setmainfont{TeX Gyre Heros}[RawFeature={fallback=ldmfallback}]
\setsansfont{TeX Gyre Heros}[RawFeature={fallback=ldmfallback}]
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase, RawFeature={fallback=ldmfallback}]
""",
    "preamble": r"\usetikzlibrary{positioning,fit}",
    # Title, authors and date as latex_documents and today give them (and the PDF's
    # metadata has them).
    "maketitle": r"""
\makeatletter
\begin{titlepage}
\centering
{\large Vera C. Rubin Observatory\\ Data Management\par}
\vspace{3cm}
{\LARGE\bfseries \@title\par}
\vspace{1.5cm}
{\large \@author\par}
\vspace{1.5cm}
{\Large\bfseries LDM-564\par}
\vspace{0.5cm}
{\large Latest Revision: \@date\par}
\vfill
{\small Document source location: \url{https://github.com/lsst/LDM-564}\par}
\end{titlepage}
\makeatother
""",
    # The contents follow the change record, as in LDM documents (see index.rst).
    "tableofcontents": "",
}
