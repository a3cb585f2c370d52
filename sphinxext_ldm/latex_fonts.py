"""Fallback fonts for LuaLaTeX, chosen by what the machine has, before LaTeX runs.

A font that luaotfload cannot find makes every LuaLaTeX pass rebuild its font database
(``luaotfload | db : Reload initiated ... not found``), latexmk sees the database change
and reruns until it gives up, and the characters meant for that font are lost anyway.
So each wanted font is looked up once with ``luaotfload-tool`` (the same database and
search path as LuaLaTeX) and only the fonts found go into the fallback chain. No Sphinx.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

#: The name of the luaotfload fallback chain, for ``RawFeature={fallback=ldmfallback}``.
FALLBACK_NAME = "ldmfallback"

#: Debian packages of common fallback fonts, for the message when one is missing.
DEBIAN_PACKAGES: dict[str, str] = {
    "DejaVu Sans": "fonts-dejavu-core",
    "DejaVu Sans Mono": "fonts-dejavu-core",
    "DejaVu Serif": "fonts-dejavu-core",
    "Droid Sans Fallback": "fonts-droid-fallback",
    "Noto Sans CJK SC": "fonts-noto-cjk",
    "Noto Color Emoji": "fonts-noto-color-emoji",
    "Noto Sans Symbols": "fonts-noto-core",
    "Noto Sans Symbols2": "fonts-noto-core",
    "FreeSans": "fonts-freefont-otf",
    "FreeSerif": "fonts-freefont-otf",
    "TeX Gyre Heros": "tex-gyre",
    "TeX Gyre Termes": "tex-gyre",
}

#: What a font name may hold: it is written into a Lua string inside \directlua, where
#: TeX would read a backslash, brace, percent or quote as syntax.
FONT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._+-]*")

#: How long one luaotfload-tool lookup may take (a miss rescans the system's fonts).
LOOKUP_TIMEOUT = 120


@dataclass(frozen=True)
class FontChoice:
    """The fallback chain to write, and the fonts left out of it."""

    found: tuple[str, ...]
    missing: tuple[str, ...]
    invalid: tuple[str, ...]
    #: False when luaotfload-tool is not installed: every valid name is kept, unchecked.
    checked: bool = True


def font_found(name: str, tool: str) -> bool:
    """Whether luaotfload resolves ``name`` to a font file."""
    try:
        result = subprocess.run(
            [tool, f"--find={name}"],
            capture_output=True,
            text=True,
            check=False,
            timeout=LOOKUP_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "Resolved file name" in result.stdout


def choose_fonts(names: Sequence[str], tool: str | None = None) -> FontChoice:
    """Split ``names`` into the fonts this machine has and those it lacks."""
    valid = [name for name in names if FONT_NAME.fullmatch(name)]
    invalid = tuple(name for name in names if not FONT_NAME.fullmatch(name))
    tool = tool or shutil.which("luaotfload-tool")
    if tool is None:
        return FontChoice(tuple(valid), (), invalid, checked=False)
    found = [name for name in valid if font_found(name, tool)]
    missing = tuple(name for name in valid if name not in found)
    return FontChoice(tuple(found), missing, invalid)


def fallback_definition(fonts: Sequence[str]) -> str:
    """The luaotfload call that defines the fallback chain (empty when no font is there,
    so that fontspec's ``fallback=ldmfallback`` still names a chain)."""
    entries = ", ".join(f'"{name}:mode=harf;"' for name in fonts)
    return rf'\directlua{{luaotfload.add_fallback("{FALLBACK_NAME}", {{{entries}}})}}'


def install_hint(name: str) -> str:
    package = DEBIAN_PACKAGES.get(name)
    if package is None:
        return "install a package that provides it (fc-list lists the fonts found)"
    return f"on Debian or Ubuntu: apt-get install {package}"
