"""What LaTeX builds need from the extension beyond the nodes themselves."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config

#: Characters the extension writes (status marks) that pdflatex does not know; the
#: Unicode engines (lualatex, xelatex) take them from the fonts.
PDFLATEX_CHARACTERS = (
    r"\DeclareUnicodeCharacter{2713}{\ensuremath{\checkmark}}"
    r"\DeclareUnicodeCharacter{26A0}{\textbf{!}}"
    r"\DeclareUnicodeCharacter{2026}{\ldots}"
)


def declare_characters(app: Sphinx, config: Config) -> None:
    """config-inited: with pdflatex, define the status marks in the preamble."""
    if config.latex_engine != "pdflatex":
        return
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + "\n" + PDFLATEX_CHARACTERS
    config.latex_elements = elements
