"""Moved: the glossary reader is used by the build, so it lives beside the loader, in
:mod:`sphinxext_ldm.glossary_csv`. These names stay importable from here."""

from sphinxext_ldm.glossary_csv import COLUMNS, parse_glossarydefs, read_glossarydefs

__all__ = ["COLUMNS", "parse_glossarydefs", "read_glossarydefs"]
