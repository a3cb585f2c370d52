"""Options shared by the directives that select milestones, and their parsing.

Options are taken as plain strings and parsed here, so that a bad value gives an
``ldm.option`` warning at the directive (and the directive still renders what it can)
instead of docutils' generic error.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.states import RSTState
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_ldm.directives.data_text import parse_data_text
from sphinxext_ldm.domain import LdmDomain, ldm_domain
from sphinxext_ldm.load import LEVELS
from sphinxext_ldm.query import SORT_KEYS, STATUS_CHOICES, DateWindow, MilestoneFilter, Status
from sphinxext_ldm.render.docutils import missing_milestone

logger = logging.getLogger(__name__)

FILTER_OPTIONS: dict[str, Callable[[str], str]] = {
    "levels": directives.unchanged_required,
    "prefixes": directives.unchanged_required,
    "codes": directives.unchanged_required,
    "status": directives.unchanged_required,
    "due": directives.unchanged_required,
    "completed": directives.unchanged_required,
    "slipped": directives.flag,
    "sort": directives.unchanged_required,
}


def split_words(value: str) -> list[str]:
    """Words separated by commas and/or whitespace; in brackets too, as a list is written
    in the YAML options block of a MyST directive (``codes: [A-1, A-2]``)."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return [word for word in re.split(r"[\s,]+", value) if word]


class LdmDirective(SphinxDirective):
    """Base for the extension's directives: warnings, access to the data, and parsing
    reStructuredText that comes from the data (milestone descriptions) safely."""

    @property
    def ldm(self) -> LdmDomain:
        return ldm_domain(self.env)

    def parse_data_text(self, text: str, path: str | None, line: int | None) -> list[nodes.Node]:
        """Parse reStructuredText from the data file with the allow-list of
        :mod:`.data_text`: messages point at the data file's lines, and nothing in it can
        read files, run code, write raw HTML or LaTeX, or link to other URIs."""
        return parse_data_text(self.state, text, path or "<milestone data>", line or 1)

    def caption(self, node_class: type[nodes.TextElement]) -> nodes.TextElement | None:
        """The ``:caption:`` option parsed as inline markup, in a node of ``node_class``
        (a figure's caption, a table's title), or None without one."""
        if "caption" not in self.options:
            return None
        text = self.options["caption"]
        children, _ = self.parse_inline(text, lineno=self.lineno)
        node: nodes.TextElement = node_class(text, "", *children)
        return node

    def locate(self, node: nodes.Element) -> None:
        """Give ``node`` and everything in it without a location this directive's, so that
        warnings about links inside generated content point somewhere."""
        source, line = self.get_source_info()
        for element in node.findall(nodes.Element):
            if element.source is None:
                element.source = source
            if element.line is None:
                element.line = line

    def warn(self, subtype: str, message: str, location: str | None = None) -> None:
        """An ``ldm.<subtype>`` warning at this directive, or at ``location``."""
        where = location or self.get_location()
        logger.warning(message, location=where, type="ldm", subtype=subtype)

    def content_location(self, index: int) -> str:
        """``file:line`` of the content's line ``index`` (from 0), in an included file too.

        docutils counts ``content_offset`` from the start of the input, myst-parser from
        the directive's first line (``{eval-rst}`` content is reST, padded to its lines).
        """
        line: int = self.content_offset + index + 1
        if not isinstance(self.state, RSTState):
            line += self.lineno
        source, line = self.state_machine.get_source_and_line(line)
        return f"{source}:{line}"

    def one_of(self, option: str, allowed: tuple[str, ...], default: str) -> str:
        """A single-valued option; a bad value warns and gives ``default``."""
        value = str(self.options.get(option, default)).strip()
        if value not in allowed:
            self.warn(
                "option",
                f"{self.name}: :{option}: does not take {value!r}; choose from "
                f"{', '.join(allowed)}",
            )
            return default
        return value

    def date_option(self, option: str) -> datetime.date | None:
        value = self.options.get(option)
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            self.warn("option", f"{self.name}: :{option}: is not a date (YYYY-MM-DD): {value!r}")
            return None

    def choices(self, option: str, allowed: Iterable[str]) -> list[str]:
        """The words of a many-valued option that are allowed; each other one warns."""
        allowed = list(allowed)
        words = split_words(self.options.get(option, ""))
        good = [w for w in words if w in allowed]
        for word in words:
            if word not in allowed:
                self.warn(
                    "option",
                    f"{self.name}: :{option}: does not take {word!r}; "
                    f"choose from {', '.join(allowed)}",
                )
        return good

    def report_missing(self, code: str) -> nodes.paragraph:
        """Warn that ``code`` cannot be shown, and return the visible placeholder."""
        rejected = self.ldm.catalog.rejected.get(code)
        if rejected is not None:
            self.warn("unusable", f"{self.name}: milestone {code} has {rejected.summary}")
            return missing_milestone(code, rejected.summary)
        hint = ""
        if not len(self.ldm.catalog):
            hint = " (no milestone data is loaded: set ldm_milestones_path)"
        self.warn("unknown-code", f"{self.name}: unknown milestone code {code}{hint}")
        return missing_milestone(code, "unknown code")


class FilterDirective(LdmDirective):
    """A directive whose options select a set of milestones."""

    option_spec: ClassVar[dict[str, Callable[[str], object]]] = dict(FILTER_OPTIONS)
    default_sort = "due"

    def parse_filter(self) -> MilestoneFilter:
        levels = self.choices("levels", [str(n) for n in LEVELS])
        statuses: set[Status] = set()
        for name in self.choices("status", list(STATUS_CHOICES)):
            statuses |= STATUS_CHOICES[name]
        codes = split_words(self.options.get("codes", ""))
        #: Placeholders for codes named in :codes: that cannot be shown.
        self.missing = {
            code: self.report_missing(code) for code in codes if code not in self.ldm.catalog
        }
        return MilestoneFilter(
            levels=frozenset(int(level) for level in levels),
            prefixes=tuple(split_words(self.options.get("prefixes", ""))),
            codes=frozenset(codes),
            statuses=frozenset(statuses),
            due=self.window_option("due"),
            completed=self.window_option("completed"),
            slipped="slipped" in self.options,
        )

    def window_option(self, option: str) -> DateWindow | None:
        value = self.options.get(option)
        if value is None:
            return None
        try:
            return DateWindow.parse(value)
        except ValueError as exc:
            self.warn("option", f"{self.name}: :{option}: {exc}")
            return None

    def sort_order(self) -> str:
        return self.one_of("sort", tuple(SORT_KEYS), self.default_sort)
