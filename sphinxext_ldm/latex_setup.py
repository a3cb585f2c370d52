"""What LaTeX builds need from the extension beyond the nodes themselves: packages,
characters, PDF metadata, fallback fonts, section numbering as in HTML, and figures that
must not float."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.writers.latex import LaTeXTranslator

from sphinxext_ldm import latex_fonts
from sphinxext_ldm.config import config_location
from sphinxext_ldm.nodes import unfloated_figure
from sphinxext_ldm.render.latex import escape
from sphinxext_ldm.transforms import LdmPostTransform

logger = logging.getLogger(__name__)

#: Characters the extension writes (status marks) that pdflatex does not know; the
#: Unicode engines (lualatex, xelatex) take them from the fonts.
PDFLATEX_CHARACTERS = (
    r"\DeclareUnicodeCharacter{2713}{\ensuremath{\checkmark}}"
    r"\DeclareUnicodeCharacter{26A0}{\textbf{!}}"
    r"\DeclareUnicodeCharacter{2026}{\ldots}"
)

#: LaTeX's level number of each top-level sectioning unit (``\section`` is 1).
LATEX_LEVELS = {"part": -1, "chapter": 0, "section": 1}
#: The deepest level LaTeX numbers (``\subparagraph``).
DEEPEST_LEVEL = 5


def setup_latex(app: Sphinx) -> None:
    # Timelines in the PDF are pgfgantt charts, scaled to the page by adjustbox.
    app.add_latex_package("pgfgantt")
    app.add_latex_package("adjustbox")
    app.add_node(unfloated_figure, latex=(visit_unfloated, depart_unfloated))
    app.add_post_transform(SectionNumbering)
    app.connect("config-inited", declare_characters)
    app.connect("config-inited", pdf_metadata)
    app.connect("builder-inited", fallback_fonts)
    app.connect("build-finished", latexmk_ignores_font_caches)


def add_to_preamble(config: Config, tex: str) -> None:
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + "\n" + tex
    config.latex_elements = elements


def declare_characters(app: Sphinx, config: Config) -> None:
    """config-inited: with pdflatex, define the status marks in the preamble."""
    if config.latex_engine == "pdflatex":
        add_to_preamble(config, PDFLATEX_CHARACTERS)


def pdf_metadata(app: Sphinx, config: Config) -> None:
    """config-inited: the PDF's Title and Author from each LaTeX document's title and
    author (latex_documents), its Subject from ``ldm_latex_subject`` or the project.

    Sphinx's own title page sets Title and Author; a document with a title page of its
    own (``latex_elements["maketitle"]``) would leave them empty."""
    subject = config.ldm_latex_subject or config.project or ""
    add_to_preamble(
        config,
        # As sphinxhowto.cls does it: \and and \\ of the author list read as commas.
        r"\makeatletter\AtBeginDocument{\begingroup\def\and{, }\def\endgraf{ }"
        r"\pdfstringdefDisableCommands{\def\\{, }}"
        r"\hypersetup{pdftitle={\@title}, pdfauthor={\@author}, "
        rf"pdfsubject={{{escape(subject)}}}}}\endgroup}}\makeatother",
    )


def fallback_fonts(app: Sphinx) -> None:
    """builder-inited: define the luaotfload fallback chain ``ldmfallback`` from the
    fonts of ``ldm_latex_fallback_fonts`` that this machine has, before the document's
    fonts (``fontpkg``) use it; warn of each one missing."""
    wanted = list(app.config.ldm_latex_fallback_fonts)
    if app.builder.format != "latex" or not wanted:
        return
    conf_py = config_location(app.confdir, "ldm_latex_fallback_fonts")
    if app.config.latex_engine != "lualatex":
        logger.warning(
            "ldm_latex_fallback_fonts needs latex_engine = 'lualatex' (it is %r); ignored",
            app.config.latex_engine,
            type="ldm",
            subtype="font",
            location=conf_py,
        )
        return
    choice = latex_fonts.choose_fonts(wanted)
    for name in choice.invalid:
        logger.warning(
            "ldm_latex_fallback_fonts: %r is not a font name (letters, digits, spaces, "
            ". _ + -); left out",
            name,
            type="ldm",
            subtype="font",
            location=conf_py,
        )
    for name in choice.missing:
        logger.warning(
            "fallback font %r not found by luaotfload (luaotfload-tool --find); characters "
            "only it has will be missing from the PDF; %s",
            name,
            latex_fonts.install_hint(name),
            type="ldm",
            subtype="font",
            location=conf_py,
        )
    context: dict[str, Any] = app.builder.context  # type: ignore[attr-defined]
    context["fontpkg"] = (
        latex_fonts.fallback_definition(choice.found) + "\n" + context.get("fontpkg", "")
    )


#: latexmk reruns LaTeX while any file it read changes. luaotfload's caches (``*.luc``:
#: the font names database and the lookup cache) change whenever a LuaLaTeX run (this
#: one after a database reload, or any other job on the machine) adds to them, and
#: latexmk then loops until "Maximum runs ... reached". They are caches, not inputs.
LATEXMK_IGNORE_CACHES = (
    "# sphinxext-ldm: luaotfload's caches (*.luc) are not inputs of the document.\n"
    "$hash_calc_ignore_pattern{'luc'} = '.*';\n"
)


def latexmk_ignores_font_caches(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: with LuaLaTeX, tell latexmk (Sphinx's ``latexmkrc``) not to rerun
    on a change of luaotfload's caches."""
    if exception is not None or app.builder.format != "latex":
        return
    if app.config.latex_engine != "lualatex":
        return
    rc = Path(app.outdir, "latexmkrc")
    if rc.is_file() and LATEXMK_IGNORE_CACHES not in rc.read_text():
        with rc.open("a") as out:
            out.write("\n" + LATEXMK_IGNORE_CACHES)


class SectionNumbering(LdmPostTransform):
    """Number sections in LaTeX at least as deep as the HTML does.

    HTML numbers every level under a ``:numbered:`` toctree; LaTeX numbers as deep as
    ``secnumdepth``, which Sphinx sets from the toctree's ``:maxdepth:`` (a level-3
    section of a document with ``:maxdepth: 2`` had a number in HTML and none in the
    PDF)."""

    builders = ("latex",)
    # Runs on the document assembled for one .tex file, whose toctrees are inlined.
    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        docname = self.env.docname
        numbered = max(
            (
                toctree.get("numbered", 0)
                for toctree in self.env.get_doctree(docname).findall(addnodes.toctree)
            ),
            default=0,
        )
        if not numbered:
            return
        depth = min(self.top_level(docname) + numbered - 1, DEEPEST_LEVEL)
        # Never fewer levels than Sphinx numbers already (its secnumdepth covers tocdepth).
        tex = rf"\ifnum\value{{secnumdepth}}<{depth} \setcounter{{secnumdepth}}{{{depth}}}\fi"
        self.document.insert(0, nodes.raw("", tex, format="latex"))

    def top_level(self, docname: str) -> int:
        """The LaTeX level of the document's top sections: ``\\section`` in a howto."""
        chosen = self.config.latex_toplevel_sectioning
        if not chosen:
            themes = getattr(self.builder, "themes", None)
            for entry in self.config.latex_documents:
                if entry[0] == docname and themes is not None:
                    chosen = themes.get(entry[4]).toplevel_sectioning
        return LATEX_LEVELS.get(chosen or "chapter", 0)


#: A long table's running head says "Table N - continued": in a figure it is the figure
#: whose caption follows the table, numbered one past the figures so far.
UNFLOATED_START = (
    r"\begingroup\let\tablename\figurename"
    r"\def\thetable{\the\numexpr\value{figure}+1\relax}"
)


def visit_unfloated(translator: LaTeXTranslator, node: unfloated_figure) -> None:
    # Inside a minipage-like context Sphinx's LaTeX writer sets a figure in place, with
    # \captionof for its caption: what a figure longer than a page needs.
    translator.in_minipage += 1
    translator.body.append("\n" + UNFLOATED_START + "\n")


def depart_unfloated(translator: LaTeXTranslator, node: unfloated_figure) -> None:
    translator.in_minipage -= 1
    translator.body.append("\\endgroup\n")
