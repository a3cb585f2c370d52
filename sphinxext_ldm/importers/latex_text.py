"""LaTeX-flavoured text of the original tool's overrides as reStructuredText or plain text.

The overrides were written for LaTeX documents: descriptions become reStructuredText
(``\\textit{x}`` -> ``*x*``), the other fields plain text (``\\textit{x}`` -> ``x``); in
both ``\\S`` -> §, ``--`` -> en dash, ``~`` -> no-break space. Everything else is escaped
so that it reads as written.
"""

from __future__ import annotations

import re

NBSP = "\N{NO-BREAK SPACE}"
EN_DASH, EM_DASH = "\N{EN DASH}", "\N{EM DASH}"
#: LaTeX commands whose argument is emphasised, as reStructuredText marks it.
_EMPHASIS = {"textit": "*", "emph": "*", "textsl": "*", "textbf": "**"}
#: LaTeX commands that stand for one character, with or without ``{}``.
_SYMBOLS = {
    "S": "§",
    "P": "¶",
    "ldots": "\N{HORIZONTAL ELLIPSIS}",
    "dots": "\N{HORIZONTAL ELLIPSIS}",
    "textendash": EN_DASH,
    "textemdash": EM_DASH,
}
_ESCAPED = set("&%#_${}")
#: Characters that start inline markup in reStructuredText.
_RST_MARKUP = set("*`|\\")


def latex_to_rst(text: str) -> str:
    """LaTeX-flavoured text as reStructuredText: emphasis becomes ``*x*``/``**x**``,
    everything else is escaped so that it reads as written."""
    return _Converter(rst=True).convert(text)


def latex_to_text(text: str) -> str:
    """LaTeX-flavoured text as plain text: commands give their argument."""
    return _Converter(rst=False).convert(text)


class _Converter:
    """Walks LaTeX-flavoured text, turning commands and ligatures into characters."""

    def __init__(self, rst: bool) -> None:
        self.rst = rst
        self.out: list[str] = []
        self.run: list[str] = []  # literal text not yet escaped
        self.after_markup = False

    def convert(self, text: str) -> str:
        self.walk(text)
        self.flush()
        return "".join(self.out)

    def literal(self, chars: str) -> None:
        """Text that reads as written (escaped when the run is flushed)."""
        if self.after_markup and chars and not re.match(r"[\s.,;:!?)\]}>'\"/-]", chars):
            # reStructuredText ends markup only before a space or punctuation
            self.out.append("\\ ")
        self.after_markup = False
        self.run.append(chars)

    def flush(self) -> None:
        text = "".join(self.run)
        self.out.append(rst_escape(text) if self.rst else text)
        self.run = []

    def markup(self, mark: str, inner: str) -> None:
        """``inner`` (converted) emphasised with ``mark``, its spaces kept outside, and
        escaped spaces where the markup touches a letter (``word\\ *x*\\ word``)."""
        stripped = inner.strip()
        self.literal(inner[: len(inner) - len(inner.lstrip())])
        self.flush()
        previous = self.out[-1][-1:] if self.out else ""
        if previous and not re.match(r"[\s(\[{<'\"/-]", previous):
            self.out.append("\\ ")
        self.out.append(f"{mark}{stripped}{mark}")
        trailing = inner[len(inner.rstrip()) :]
        self.after_markup = not trailing
        if trailing:
            self.literal(trailing)

    def out_plain(self, converted: str) -> None:
        """Text converted (and escaped) by a nested walk, appended as it is."""
        self.flush()
        self.out.append(converted)

    def walk(self, text: str) -> None:
        i = 0
        while i < len(text):
            char = text[i]
            if char == "\\":
                i = self.command(text, i)
            elif text.startswith("---", i):
                self.literal(EM_DASH)
                i += 3
            elif text.startswith("--", i):
                self.literal(EN_DASH)
                i += 2
            elif char == "~":
                self.literal(NBSP)
                i += 1
            elif char in "{}":
                i += 1  # grouping braces print nothing
            else:
                self.literal(char)
                i += 1

    def command(self, text: str, i: int) -> int:
        """Convert the command at ``text[i]`` (a backslash); the index after it."""
        command = re.match(r"[A-Za-z]+", text[i + 1 :])
        if command is None:
            following = text[i + 1 : i + 2]
            if following in _ESCAPED:
                self.literal(following)
            elif following == "\\":
                self.literal(" ")  # a LaTeX line break
            else:
                self.literal("\\" + following)
            return i + 1 + len(following)
        name = command.group()
        end = i + 1 + len(name)
        argument = _braced(text, end)
        if argument is None or (name in _SYMBOLS and not argument):
            self.literal(_SYMBOLS.get(name, "\\" + name))
            return end if argument is None else end + 2
        nested = _Converter(self.rst)
        inner = nested.convert(argument)
        if name in _EMPHASIS and self.rst and inner.strip():
            self.markup(_EMPHASIS[name], inner)
        else:
            self.out_plain(inner)
        return end + len(argument) + 2


def _braced(text: str, start: int) -> str | None:
    """The text between the brace at ``start`` and its partner, or None."""
    if not text.startswith("{", start):
        return None
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{" and text[i - 1 : i] != "\\":
            depth += 1
        elif text[i] == "}" and text[i - 1 : i] != "\\":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i]
    return None  # unbalanced: left as written


def rst_escape(text: str) -> str:
    """Characters that would start markup, escaped; a word-final ``_`` (a reference
    in reStructuredText, as in ``_specific_``) too."""
    escaped = "".join("\\" + c if c in _RST_MARKUP else c for c in text)
    return re.sub(r"(?<=\w)_(?!\w)", r"\\_", escaped)
