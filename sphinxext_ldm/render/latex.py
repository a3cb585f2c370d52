"""LaTeX-safe text: a pure function, no Sphinx.

Used where the extension writes LaTeX itself (charts drawn natively in the PDF edition);
text that goes through docutils nodes is escaped by Sphinx's LaTeX writer instead.
"""

from __future__ import annotations

import unicodedata

#: Each character that TeX could read as syntax, as a command that prints it.
LATEX_SPECIALS: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
    # Break ligatures that would change the text: -- and --- become dashes.
    "-": "-{}",
}


def escape(text: str) -> str:
    """``text`` as LaTeX that prints it verbatim (white space folded to single spaces)."""
    flat = " ".join(text.split())
    # Control characters cannot be printed; everything else is kept.
    return "".join(LATEX_SPECIALS.get(ch, ch) for ch in flat if unicodedata.category(ch) != "Cc")
