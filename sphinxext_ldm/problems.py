"""A problem found in milestone data, located at a file and line.

Problems are plain values so that the loader, the Sphinx build and the
command-line check all report exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem. ``subtype`` is the warning subtype (``ldm.<subtype>``)."""

    subtype: str
    message: str
    path: str | None = None
    line: int | None = None

    @property
    def location(self) -> str | None:
        """``path:line`` as Sphinx and compilers print it, or None when unknown."""
        if self.path is None:
            return None
        return f"{self.path}:{self.line if self.line is not None else 0}"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.subtype}: {self.message}"
