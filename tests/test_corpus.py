"""A corpus of bad inputs, each built as a real Sphinx project.

Every case checks three things: the exact warnings (location and ``type.subtype``, in
order), what the output shows instead of the bad input, and that the build finished and
wrote its pages (no traceback). A few cases also check that ``-W`` fails the build.

A case that shows a bug asserts the correct behaviour and is marked with ``bug(reason)``
(a strict xfail) until the bug is fixed.
"""

from __future__ import annotations

import os
import re
import signal
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from sphinx.errors import SphinxWarning
from sphinx.testing.util import SphinxTestApp

from sphinxext_ldm import load

# -- the harness ---------------------------------------------------------------------------

CONF = """\
extensions = ["sphinxext_ldm"]
ldm_milestones_path = "m.yaml"
ldm_today = "2021-06-01"
exclude_patterns = ["_build"]
"""

ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: A warning record starts a line: ``[location: ]WARNING: message``; continuation lines
#: (multi-line messages) start with white space.
RECORD = re.compile(r"^(?:(?P<loc>\S.*?): )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): ")
TYPE = re.compile(r"\[(?P<type>[\w.-]+)\]\s*$")
NO_MATCH = "No milestones match this selection."

Warnings = list[tuple[str, str]]


def parse_warnings(text: str) -> Warnings:
    """(basename:line or "" , "type.subtype") for each warning Sphinx printed."""
    records: list[list[str]] = []
    for line in ANSI.sub("", text).splitlines():
        match = RECORD.match(line)
        if match:
            records.append([match["loc"] or "", match["level"], line])
        elif records:
            records[-1][2] += "\n" + line
    result = []
    for loc, level, body in records:
        found = TYPE.search(body)
        result.append((re.split(r"[\\/]", loc)[-1], found["type"] if found else level))
    return result


@dataclass
class Built:
    app: SphinxTestApp
    srcdir: Path

    @property
    def warning_text(self) -> str:
        return ANSI.sub("", self.app.warning.getvalue())

    @property
    def warnings(self) -> Warnings:
        return parse_warnings(self.app.warning.getvalue())

    @property
    def outdir(self) -> Path:
        return Path(self.app.outdir)

    def page(self, name: str = "index.html") -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def soup(self, name: str = "index.html") -> BeautifulSoup:
        return BeautifulSoup(self.page(name), "html.parser")

    def local(self, text: str) -> str:
        """``text`` with this project's absolute directory left out of paths."""
        for directory in {str(self.srcdir), str(self.srcdir.resolve())}:
            text = text.replace(directory + os.sep, "")
        return text

    def text(self, element: Tag | None = None) -> str:
        """Visible text, whitespace-normalised, without permalink marks, with paths
        relative to the project."""
        element = element if element is not None else self.soup()
        text = element.get_text(" ").replace("\N{PILCROW SIGN}", "")
        return self.local(" ".join(text.split()))

    def focus(self) -> Tag:
        """The section titled "Under test" (where directive cases put their directive)."""
        section = self.soup().find("section", id="under-test")
        assert section is not None
        return section


BuildFn = Callable[..., Built]


def assert_no_crash(built: Built, page: str = "index.html") -> None:
    """The build ran to the end: the page is written and nothing printed a traceback."""
    assert (built.outdir / page).is_file()
    assert "Traceback" not in built.warning_text
    assert "Traceback" not in built.app.status.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Iterator[BuildFn]:
    """``build(data, rst)`` writes conf.py, m.yaml (text, bytes, or none when None) and
    index.rst into a fresh directory, builds it and returns the result."""
    apps: list[SphinxTestApp] = []
    count = 0

    def build(
        data: str | bytes | None,
        rst: str,
        *,
        builder: str = "html",
        conf: str = "",
        docs: dict[str, str] | None = None,
        **kwargs: object,
    ) -> Built:
        nonlocal count
        count += 1
        src = tmp_path / f"project{count}"
        src.mkdir()
        (src / "conf.py").write_text(CONF + conf, encoding="utf-8")
        if isinstance(data, bytes):
            (src / "m.yaml").write_bytes(data)
        elif data is not None:
            (src / "m.yaml").write_text(data, encoding="utf-8")
        (src / "index.rst").write_text(rst, encoding="utf-8")
        for name, text in (docs or {}).items():
            (src / name).write_text(text, encoding="utf-8")
        for previous in apps:  # Sphinx keeps global state: one live app at a time
            previous.cleanup()
        app = SphinxTestApp(builder, srcdir=src, **kwargs)  # type: ignore[arg-type]
        apps.append(app)
        app.build()
        return Built(app, src)

    yield build
    for app in apps:
        app.cleanup()


class Overtime(BaseException):
    """Raised inside a build that runs past its deadline (not an Exception, so that no
    ``except Exception`` in Sphinx or docutils can swallow it)."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt the code inside after ``seconds`` (so a hang fails instead of hanging)."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - not on Windows
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Overtime(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def mermaid_decode(text: str) -> str:
    """Mermaid's numeric entities (``#58;``) back to characters."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m[1])), text)


def without_entities(text: str) -> str:
    return re.sub(r"#\d+;", "", text)


def charts(element: Tag) -> list[str]:
    return [pre.get_text() for pre in element.select("pre.mermaid")]


def chart_rows(chart: str) -> int:
    """Gantt tasks or flowchart nodes in a Mermaid chart."""
    return len(re.findall(r":milestone, |^\s+c\d+n\d+\[\"", chart, flags=re.MULTILINE))


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def yml(text: str) -> str:
    """An indented triple-quoted YAML text as written in the file: line 1 first."""
    return textwrap.dedent(text).lstrip("\n")


# -- data file cases -----------------------------------------------------------------------

#: A good milestone that follows the bad one in most cases: the rest of the file loads.
OK = "  - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}"
OK_SHOWN = "Good one: OK-1"

DATA_RST = """\
Corpus
======

.. ldm-catalogue::

Releases
--------

.. ldm-milestones::
"""


@dataclass(frozen=True)
class DataCase:
    data: str | bytes | None
    warnings: Warnings
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()  # substrings of the warning text
    conf: str = ""


def case(
    id: str,
    data: str | bytes | None,
    warnings: Warnings,
    *,
    shows: tuple[str, ...] = (),
    hides: tuple[str, ...] = (),
    messages: tuple[str, ...] = (),
    conf: str = "",
    marks: tuple[pytest.MarkDecorator, ...] = (),
) -> object:
    return pytest.param(DataCase(data, warnings, shows, hides, messages, conf), id=id, marks=marks)


def y(subtype: str, line: int | None = None) -> tuple[str, str]:
    """An expected warning at m.yaml:line (or with no location when line is None)."""
    return (f"m.yaml:{line}" if line is not None else "", f"ldm.{subtype}")


def unusable(code: str, line: int, reason: str) -> str:
    """The placeholder shown for a milestone whose data cannot be used."""
    return f"[milestone {code}: invalid data (m.yaml:{line}): {reason}]"


def bug(reason: str) -> tuple[pytest.MarkDecorator, ...]:
    return (pytest.mark.xfail(strict=True, reason=reason),)


DATA_CASES = [
    # YAML syntax: nothing is loaded.
    case(
        "yaml-unclosed-flow-mapping",
        lines("milestones: [", "  {code: A, name: X, due: 2021-01-01"),
        [y("yaml", 3)],
        shows=(NO_MATCH,),
        messages=("YAML syntax error",),
    ),
    case(
        "yaml-colon-in-plain-value",
        lines("milestones:", "  - code: A", "    name: Colon: here", "    due: 2021-01-01"),
        [y("yaml", 3)],
        shows=(NO_MATCH,),
        messages=("mapping values are not allowed",),
    ),
    case(
        "yaml-tab-indentation",
        lines("milestones:", "\t- {code: A, name: X, due: 2021-01-01}"),
        [y("yaml", 2)],
        shows=(NO_MATCH,),
    ),
    case(
        "yaml-unterminated-quote",
        lines("milestones:", "  - code: A", '    name: "never closed', "    due: 2021-01-01"),
        [y("yaml", 5)],
        shows=(NO_MATCH,),
    ),
    case(
        "yaml-two-documents",
        lines("milestones: []", "---", "milestones: []"),
        [y("yaml", 2)],
        shows=(NO_MATCH,),
        messages=("expected a single document",),
    ),
    case(
        "yaml-control-character-line",
        lines("milestones:", OK, "  - {code: B, name: \x01bell, due: 2021-01-01}"),
        [y("yaml", 3)],
        shows=(NO_MATCH,),
    ),
    # Wrong shapes.
    case(
        "top-level-list",
        lines("- code: A", "  name: X", "  due: 2021-01-01"),
        [y("schema", 1)],
        shows=(NO_MATCH,),
    ),
    case("top-level-scalar", "just a sentence\n", [y("schema", 1)], shows=(NO_MATCH,)),
    case("top-level-number", "2021\n", [y("schema", 1)], shows=(NO_MATCH,)),
    case(
        "milestones-is-a-mapping",
        lines("milestones:", "  code: A", "  name: X", "  due: 2021-01-01"),
        [y("schema", 2)],
        shows=(NO_MATCH,),
        messages=("'milestones' must be a list",),
    ),
    case(
        "milestones-is-a-scalar",
        "milestones: all of them\n",
        [y("schema", 1)],
        shows=(NO_MATCH,),
    ),
    case(
        "no-milestones-key",
        lines("milestone:", OK),
        [y("unknown-field", 1), y("missing-field", 1)],
        shows=(NO_MATCH,),
        messages=("did you mean 'milestones'?", "the file has no 'milestones' list"),
    ),
    case(
        "milestone-is-a-scalar",
        lines("milestones:", "  - just text", OK),
        [y("schema", 2)],
        shows=(OK_SHOWN,),
        messages=("a milestone must be a mapping",),
    ),
    case(
        "milestone-is-a-list",
        lines("milestones:", "  - [A, X, 2021-01-01]", OK),
        [y("schema", 2)],
        shows=(OK_SHOWN,),
    ),
    case(
        "milestone-key-is-a-list",
        yml(
            """
            milestones:
              - ? [x, y]
                : 1
                code: A
                name: Keyed
                due: 2021-01-01
            """
        ),
        [y("schema", 2)],
        shows=("Keyed: A",),
        messages=("a key that is not a plain name",),
    ),
    # Required fields.
    case(
        "missing-code",
        lines("milestones:", "  - name: Nameless", "    due: 2021-01-01", OK),
        [y("missing-field", 2)],
        shows=(OK_SHOWN,),
        hides=("Nameless",),
        messages=("a milestone has no valid 'code'; the milestone is left out",),
    ),
    case(
        "missing-name",
        lines("milestones:", "  - code: A", "    due: 2021-01-01", OK),
        [y("missing-field", 2)],
        shows=(unusable("A", 2, "no valid 'name'"), OK_SHOWN),
    ),
    case(
        "missing-due",
        lines("milestones:", "  - code: A", "    name: Undated", OK),
        [y("missing-field", 2)],
        shows=(unusable("A", 2, "no valid 'due'"), OK_SHOWN),
        hides=("Undated",),
    ),
    case(
        "missing-everything-but-level",
        lines("milestones:", "  - level: 2", OK),
        [y("missing-field", 2)] * 3,
        shows=(OK_SHOWN,),
    ),
    # Wrong types.
    case(
        "name-is-a-list",
        lines("milestones:", "  - code: A", "    name: [X, Y]", "    due: 2021-01-01", OK),
        [y("bad-value", 3), y("missing-field", 3)],
        shows=(unusable("A", 2, "no valid 'name'"), OK_SHOWN),
        messages=("'name' must be a single value, not a list",),
    ),
    case(
        "name-is-a-mapping",
        lines("milestones:", "  - code: A", "    name: {first: X}", "    due: 2021-01-01", OK),
        [y("bad-value", 3), y("missing-field", 3)],
        shows=(unusable("A", 2, "no valid 'name'"),),
        messages=("not a mapping",),
    ),
    case(
        "name-is-blank",
        lines("milestones:", "  - code: A", '    name: "   "', "    due: 2021-01-01", OK),
        [y("bad-value", 3), y("missing-field", 3)],
        shows=(unusable("A", 2, "no valid 'name'"),),
        messages=("'name' is empty",),
    ),
    case(
        "name-is-null",
        lines("milestones:", "  - code: A", "    name: ~", "    due: 2021-01-01", OK),
        [y("missing-field", 3)],
        shows=(unusable("A", 2, "no valid 'name'"),),
    ),
    case(
        "level-is-a-word",
        lines("milestones:", "  - {code: A, name: Levelled, level: two, due: 2021-01-01}", OK),
        [y("bad-value", 2)],
        shows=("Levelled: A", "Level : not given"),
        messages=("'level' must be a whole number 1 to 4, not 'two'",),
    ),
    case(
        "level-is-a-quoted-number",
        lines("milestones:", '  - {code: A, name: Levelled, level: "2", due: 2021-01-01}', OK),
        [y("bad-value", 2)],
        shows=("Levelled: A", "Level : not given"),
    ),
    case(
        "level-0",
        lines("milestones:", "  - {code: A, name: Levelled, level: 0, due: 2021-01-01}", OK),
        [y("bad-value", 2)],
        shows=("Levelled: A", "Level : not given"),
    ),
    case(
        "level-5",
        lines("milestones:", "  - {code: A, name: Levelled, level: 5, due: 2021-01-01}", OK),
        [y("bad-value", 2)],
        shows=("Levelled: A", "Level : not given"),
    ),
    case(
        "level-is-a-float",
        lines("milestones:", "  - {code: A, name: Levelled, level: 2.0, due: 2021-01-01}", OK),
        [y("bad-value", 2)],
        shows=("Levelled: A", "Level : not given"),
    ),
    case(
        "level-is-hexadecimal",
        lines("milestones:", "  - {code: A, name: Levelled, level: 0x2, due: 2021-01-01}", OK),
        [y("bad-value", 2)],
        shows=("Levelled: A", "Level : not given"),
    ),
    case(
        "level-is-sexagesimal",
        lines("milestones:", "  - {code: A, name: Levelled, level: 2:00, due: 2021-01-01}", OK),
        [y("bad-value", 2)],
        shows=("Levelled: A", "Level : not given"),
    ),
    case(
        "predecessors-is-a-string",
        yml(
            """
            milestones:
              - {code: A, name: Linked, level: 3, due: 2021-01-01, predecessors: OK-1}
              - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
            """
        ),
        [y("bad-value", 2)],
        shows=("Linked: A", OK_SHOWN),
        messages=("'predecessors' must be a list",),
    ),
    case(
        "predecessors-holds-a-mapping",
        yml(
            """
            milestones:
              - code: A
                name: Linked
                due: 2021-01-01
                predecessors:
                  - OK-1
                  - {code: OK-1}
              - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
            """
        ),
        [y("bad-value", 7)],
        shows=("A — Linked", "Predecessors : OK-1 Successors"),
    ),
    case(
        "predecessors-holds-a-list",
        yml(
            """
            milestones:
              - code: A
                name: Linked
                due: 2021-01-01
                predecessors: [[OK-1]]
              - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
            """
        ),
        [y("bad-value", 5)],
        shows=("A — Linked", "Predecessors : — Successors"),
    ),
    case(
        "predecessor-listed-twice",
        yml(
            """
            milestones:
              - code: A
                name: Linked
                due: 2021-01-01
                predecessors:
                  - OK-1
                  - OK-1
              - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
            """
        ),
        [y("duplicate-code", 7)],
        shows=("Predecessors : OK-1 Successors",),
    ),
    # Dates.
    case(
        "date-february-30",
        lines("milestones:", "  - code: A", "    name: Leap", "    due: 2021-02-30", OK),
        [y("bad-date", 4), y("missing-field", 4)],
        shows=(unusable("A", 2, "no valid 'due'"), OK_SHOWN),
        messages=("'due' is not a real date: 2021-02-30",),
    ),
    case(
        "date-month-13",
        lines("milestones:", "  - code: A", "    name: Leap", "    due: 2021-13-01", OK),
        [y("bad-date", 4), y("missing-field", 4)],
        shows=(unusable("A", 2, "no valid 'due'"),),
    ),
    case(
        "date-with-time-in-due",
        lines("milestones:", "  - code: A", "    name: Timed", "    due: 2021-01-05 10:00:00", OK),
        [y("bad-date", 4), y("missing-field", 4)],
        shows=(unusable("A", 2, "no valid 'due'"),),
        messages=("a date and time",),
    ),
    case(
        "date-with-time-and-zone",
        lines("milestones:", "  - code: A", "    name: Timed", "    due: 2021-01-05T10:00:00Z", OK),
        [y("bad-date", 4), y("missing-field", 4)],
        shows=(unusable("A", 2, "no valid 'due'"),),
    ),
    case(
        "date-with-time-in-completed",
        yml(
            """
            milestones:
              - code: A
                name: Timed
                due: 2021-01-01
                completed: 2021-01-05 10:00:00
              - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
            """
        ),
        [y("bad-date", 5)],
        shows=("Timed: A Due: 2021-01-01; currently incomplete.",),
    ),
    case(
        "date-us-format",
        yml(
            """
            milestones:
              - code: A
                name: Us
                due: 2021-01-01
                baseline: 01/05/2021
              - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
            """
        ),
        [y("bad-date", 5)],
        shows=("Us: A",),
        hides=("Baseline",),
        messages=("'baseline' is not a date in the form YYYY-MM-DD: '01/05/2021'",),
    ),
    case(
        "date-in-words",
        lines("milestones:", "  - code: A", "    name: Words", '    due: "5 Jan 2021"', OK),
        [y("bad-date", 4), y("missing-field", 4)],
        shows=(unusable("A", 2, "no valid 'due'"),),
    ),
    case(
        "date-single-digit-month",
        lines("milestones:", "  - code: A", "    name: Short", "    due: 2021-1-5", OK),
        [y("bad-date", 4), y("missing-field", 4)],
        shows=(unusable("A", 2, "no valid 'due'"),),
    ),
    case(
        "date-as-integer",
        lines("milestones:", "  - code: A", "    name: Number", "    due: 20210105", OK),
        [y("bad-date", 4), y("missing-field", 4)],
        shows=(unusable("A", 2, "no valid 'due'"),),
    ),
    case(
        "date-quoted-iso-is-accepted",
        yml(
            """
            milestones:
              - code: A
                name: Quoted
                due: "2021-01-05"
                completed: '2021-01-06'
            """
        ),
        [],
        shows=("Quoted: A Due: 2021-01-05; completed 2021-01-06.",),
    ),
    case(
        "completed-without-due",
        lines("milestones:", "  - {code: A, name: Done early, completed: 2021-01-01}", OK),
        [y("missing-field", 2)],
        shows=(unusable("A", 2, "no valid 'due'"), OK_SHOWN),
        hides=("Done early",),
    ),
    case(
        "completed-with-impossible-due",
        yml(
            """
            milestones:
              - {code: A, name: Done early, due: 2021-02-29, completed: 2021-01-01}
              - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
            """
        ),
        [y("bad-date", 2), y("missing-field", 2)],
        shows=(unusable("A", 2, "no valid 'due'"),),
        hides=("Done early",),
    ),
    # Duplicates.
    case(
        "duplicate-code",
        yml(
            """
            milestones:
              - {code: A, name: First copy, due: 2021-01-01}
              - {code: A, name: Second copy, due: 2021-02-01}
            """
        ),
        [y("duplicate-code", 3)],
        shows=("First copy: A",),
        hides=("Second copy",),
        messages=("milestone A is defined twice (first on line 2)",),
    ),
    case(
        "duplicate-key",
        yml(
            """
            milestones:
              - code: A
                name: First name
                name: Second name
                due: 2021-01-01
            """
        ),
        [y("duplicate-key", 4)],
        shows=("First name: A",),
        hides=("Second name",),
        messages=("'name' is given twice in a milestone (first on line 3)",),
    ),
    # Unknown fields.
    case(
        "unknown-field-near-name",
        lines("milestones:", "  - {code: A, name: X, due: 2021-01-01, predecesors: [OK-1]}", OK),
        [y("unknown-field", 2)],
        shows=("X: A", "Predecessors : — Successors"),
        messages=("unknown field 'predecesors' in a milestone; did you mean 'predecessors'?",),
    ),
    case(
        "unknown-field-far-from-any",
        lines("milestones:", "  - {code: A, name: X, due: 2021-01-01, colour: crimsonish}", OK),
        [y("unknown-field", 2)],
        shows=("X: A",),
        hides=("crimsonish",),
        messages=("known fields: code, name",),
    ),
    # Links between milestones.
    case(
        "unknown-predecessor",
        yml(
            """
            milestones:
              - code: A
                name: X
                due: 2021-01-01
                predecessors:
                  - OK-1
                  - NOPE-9
              - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
            """
        ),
        [y("unknown-predecessor", 7)],
        shows=("X: A", "Predecessors : OK-1 Successors"),
        messages=("milestone A names unknown predecessor NOPE-9",),
    ),
    case(
        "predecessor-is-itself",
        lines("milestones:", "  - {code: A, name: Self, due: 2021-01-01, predecessors: [A]}"),
        [y("cycle", 2)],
        shows=("Self: A",),
        messages=("predecessor cycle: A -> A",),
    ),
    case(
        "predecessor-cycle-of-three",
        yml(
            """
            milestones:
              - {code: C, name: Sea, due: 2021-01-03, predecessors: [A]}
              - {code: B, name: Bee, due: 2021-01-02, predecessors: [C]}
              - {code: A, name: Ay, due: 2021-01-01, predecessors: [B]}
            """
        ),
        [y("cycle", 4)],
        shows=("Ay: A", "Bee: B", "Sea: C"),
        messages=("predecessor cycle: A -> B -> C -> A",),
    ),
    # Empty, missing, unreadable files.
    case(
        "empty-file", "", [y("schema", 1)], shows=(NO_MATCH,), messages=("the file holds no data",)
    ),
    case("only-a-comment", "# milestones go here\n", [y("schema", 1)], shows=(NO_MATCH,)),
    case("only-blank-lines", "\n\n   \n", [y("schema", 1)], shows=(NO_MATCH,)),
    case(
        "missing-file",
        None,
        [("", "ldm.file")],
        shows=(NO_MATCH,),
        messages=("milestone data file not found",),
    ),
    case(
        "path-is-a-directory",
        None,
        [("project1:1", "ldm.file")],  # the project's own directory
        shows=(NO_MATCH,),
        messages=("cannot read milestone data file", "it is a directory, not a regular file"),
        conf='ldm_milestones_path = "."\n',
    ),
    case(
        "not-utf8-latin1",
        lines("milestones:", OK).encode() + b"  - {code: B, name: caf\xe9, due: 2021-01-01}\n",
        [y("file", 3)],
        shows=(NO_MATCH,),
        messages=("not valid UTF-8: byte 0xe9",),
    ),
    case(
        "not-utf8-utf16",
        lines("milestones:", OK).encode("utf-16"),
        [y("file", 1)],
        shows=(NO_MATCH,),
    ),
    case(
        "utf8-byte-order-mark-is-accepted",
        b"\xef\xbb\xbf"
        + lines("milestones:", "  - {code: A, name: Caf\u00e9, due: 2021-01-01}").encode(),
        [],
        shows=("Caf\u00e9: A",),
    ),
    # YAML features that are not plain data.
    case(
        "python-name-tag",
        yml(
            """
            milestones:
              - code: !!python/name:os.system ''
                name: Tagged
                due: 2021-01-01
              - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
            """
        ),
        [y("bad-value", 2), y("missing-field", 2)],
        shows=(OK_SHOWN,),
        hides=("Tagged",),
        messages=("'code' has the YAML tag tag:yaml.org,2002:python/name:os.system",),
    ),
    case(
        "local-tag",
        lines("milestones:", "  - {code: A, name: !secret X, due: 2021-01-01}", OK),
        [y("bad-value", 2), y("missing-field", 2)],
        shows=(unusable("A", 2, "no valid 'name'"),),
        messages=("'name' has the YAML tag !secret",),
    ),
    case(
        "merge-key",
        yml(
            """
            milestones:
              - &base {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
              - <<: *base
                code: B
            """
        ),
        [y("schema", 3), y("missing-field", 3), y("missing-field", 3)],
        shows=(OK_SHOWN, unusable("B", 3, "no valid 'name', no valid 'due'")),
        messages=("a milestone has a merge key (<<), which the data format does not support",),
    ),
    case(
        "alias-of-a-whole-milestone",
        yml(
            """
            milestones:
              - &one {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
              - *one
            """
        ),
        [y("duplicate-code", 2)],
        shows=(OK_SHOWN,),
    ),
    # Configuration.
    case(
        "ldm-today-not-a-date",
        lines("milestones:", OK),
        [("", "ldm.config")],
        shows=(OK_SHOWN,),
        messages=("ldm_today is not a date (YYYY-MM-DD): 'tomorrow'",),
        conf='ldm_today = "tomorrow"\n',
    ),
]


@pytest.mark.parametrize("bad", DATA_CASES)
def test_bad_data(project: BuildFn, bad: DataCase) -> None:
    built = project(bad.data, DATA_RST, conf=bad.conf)
    assert_no_crash(built)
    assert built.warnings == bad.warnings, built.warning_text
    for message in bad.messages:
        assert message in built.warning_text
    text = built.text()
    for shown in bad.shows:
        assert shown in text
    for hidden in bad.hides:
        assert hidden not in text


# -- YAML tags that would run code -------------------------------------------------------

TAG_CASES = [
    pytest.param(
        yml(
            """
            milestones:
              - code: TAG-1
                name: !!python/object/apply:os.system ["{cmd}"]
                due: 2021-01-01
            """
        ),
        [y("bad-value", 3), y("missing-field", 3)],
        unusable("TAG-1", 2, "no valid 'name'"),
        id="object-apply-as-name",
    ),
    pytest.param(
        yml(
            """
            milestones:
              - code: TAG-1
                name: Tagged
                due: 2021-01-01
                description: !!python/object/new:os.system ["{cmd}"]
            """
        ),
        [y("bad-value", 5)],
        "Tagged: TAG-1",
        id="object-new-as-description",
    ),
    pytest.param(
        '!!python/object/apply:os.system ["{cmd}"]\n',
        [y("schema", 1)],
        NO_MATCH,
        id="object-apply-as-the-file",
    ),
    pytest.param(
        yml(
            """
            milestones:
              - code: TAG-1
                name: Tagged
                due: !!python/object/apply:subprocess.call [[sh, -c, '{cmd}']]
            """
        ),
        [y("bad-value", 4), y("missing-field", 4)],
        unusable("TAG-1", 2, "no valid 'due'"),
        id="object-apply-as-due",
    ),
]


@pytest.mark.parametrize(("template", "expected", "shown"), TAG_CASES)
def test_python_tags_are_never_constructed(
    project: BuildFn, tmp_path: Path, template: str, expected: Warnings, shown: str
) -> None:
    marker = tmp_path / "constructed"
    data = template.replace("{cmd}", f"echo hi > {marker}")
    built = project(data, DATA_RST)
    assert_no_crash(built)
    assert not marker.exists()
    assert built.warnings == expected, built.warning_text
    assert shown in built.text()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            yml(
                """
                milestones:
                  - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
                  - code: A
                    name: X
                    due: 2021-01-01
                    predecessors: !!python/object/apply:os.system [OK-1]
                """
            ),
            [y("bad-value", 6)],
            id="tagged-predecessors-list",
        ),
        pytest.param(
            yml(
                """
                milestones:
                  - {code: OK-1, name: Good one, level: 2, due: 2021-01-01}
                  - !!python/object:os.system {code: A, name: X, due: 2021-01-01}
                """
            ),
            [y("bad-value", 3)],
            id="tagged-milestone-mapping",
        ),
    ],
)
def test_python_tags_on_collections_are_rejected(
    project: BuildFn, data: str, expected: Warnings
) -> None:
    built = project(data, DATA_RST)
    assert_no_crash(built)
    assert built.warnings == expected, built.warning_text


# -- resource exhaustion -----------------------------------------------------------------


def billion_laughs() -> str:
    """Nine levels of nine aliases each (9**9 leaves if anything expanded them)."""
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    rows += [
        "milestones:",  # line 10
        "  - code: A",
        "    name: *i",
        "    due: 2021-01-01",
        "    predecessors: *i",
        "    description: *i",
        "  - *i",  # line 16
        OK,
    ]
    return lines(*rows)


def test_alias_bomb_finishes_quickly(project: BuildFn) -> None:
    # A billion laughs expanded would take hours: the guard catches that, not a slow day.
    with deadline(120):
        built = project(billion_laughs(), DATA_RST)
    assert_no_crash(built)
    expected = [y("unknown-field", n) for n in range(1, 10)]  # a .. i at the top level
    expected += [y("bad-value", 9), y("bad-value", 9)]  # name, description: *i
    expected += [y("bad-value", 8)] * 9  # each item of *i is *h, defined on line 8
    expected += [y("missing-field", 9), y("schema", 9)]
    assert built.warnings == expected, built.warning_text
    text = built.text()
    assert unusable("A", 11, "no valid 'name'") in text
    assert OK_SHOWN in text
    assert "lol" not in text


def test_very_large_file(project: BuildFn) -> None:
    """20,000 milestones in pairs (each odd one follows the even one before it), one of
    them with an impossible date at a known line."""
    count, bad = 20_000, 12_344
    rows = ["milestones:"]
    for i in range(count):
        due = "2021-02-30" if i == bad else f"{2000 + i % 30}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        preds = f", predecessors: [M-{i - 1:05d}]" if i % 2 else ""
        rows.append(f"  - {{code: M-{i:05d}, name: Milestone {i}, level: 3, due: {due}{preds}}}")
    rst = lines(
        "Big",
        "===",
        "",
        ".. ldm-catalogue::",
        "   :codes: M-00000 M-00001 M-19998 M-19999 M-12345",
        "",
        ".. ldm-milestone:: M-12344",
    )
    # A hang guard only: speed is the benchmark's to measure (nox -s bench), not a test's.
    with deadline(300):
        built = project(lines(*rows), rst)
    assert_no_crash(built)
    line = bad + 2
    assert built.warnings == [
        y("bad-date", line),
        y("missing-field", line),
        ("index.rst:7", "ldm.unusable"),
    ], built.warning_text
    text = built.text()
    for shown in (
        "M-00000 — Milestone 0",
        "M-00001 — Milestone 1",
        "M-19998 — Milestone 19998",
        "M-19999 — Milestone 19999",
        "M-12345 — Milestone 12345",
    ):
        assert shown in text
    assert "Milestone 12346" not in text
    assert "[M-12344: invalid data]" in text  # M-12345's predecessor
    assert unusable("M-12344", line, "no valid 'due'") in text


@pytest.mark.parametrize(
    "loader",
    [
        pytest.param("libyaml", id="libyaml"),
        pytest.param(
            "python",
            id="pure-python-fallback",
        ),
    ],
)
def test_deeply_nested_flow_collections(
    project: BuildFn, monkeypatch: pytest.MonkeyPatch, loader: str
) -> None:
    if loader == "python":
        monkeypatch.setattr(load, "YamlLoader", yaml.SafeLoader)
    depth = 100_000
    data = lines(
        "milestones:",
        "  - {code: A, name: X, due: 2021-01-01, predecessors: " + "[" * depth + "]" * depth + "}",
        OK,
    )
    with deadline(120):  # a hang guard, not a speed test
        built = project(data, DATA_RST)
    assert_no_crash(built)
    assert built.warnings == [y("yaml", 2)], built.warning_text
    assert NO_MATCH in built.text()


# -- directives and roles ----------------------------------------------------------------

DIRECTIVE_DATA = lines(
    "milestones:",
    "  - {code: REL-1, name: Release one, level: 2, due: 2021-03-01, predecessors: [F-1]}",
    "  - {code: F-1, name: Feature one, level: 3, due: 2021-02-01, completed: 2021-01-20}",
    "  - {code: REL-2, name: Release two, level: 2, due: 2021-09-01, predecessors: [F-1, BAD-1]}",
    "  - {code: BAD-1, name: Broken, level: 3, due: 2021-02-30}",
    "  - {code: LONE-1, name: Lonely, level: 4, due: 2021-04-01}",
)
#: What DIRECTIVE_DATA itself reports: BAD-1's impossible date.
DATA_WARNINGS = [y("bad-date", 5), y("missing-field", 5)]
BAD_1 = unusable("BAD-1", 5, "no valid 'due'")

DIRECTIVE_RST = """\
Corpus
======

.. ldm-catalogue::
   :levels: 1, 2, 3

Under test
----------

{body}
"""
AT = "index.rst:10"  # where the body starts


@dataclass(frozen=True)
class DirectiveCase:
    body: str
    warnings: Warnings
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()
    rows: tuple[int, ...] | None = None  # rows (gantt) or nodes (flowchart) per chart
    messages: tuple[str, ...] = ()


def dcase(
    id: str,
    body: str,
    warnings: Warnings,
    *,
    shows: tuple[str, ...] = (),
    hides: tuple[str, ...] = (),
    rows: tuple[int, ...] | None = None,
    messages: tuple[str, ...] = (),
    marks: tuple[pytest.MarkDecorator, ...] = (),
) -> object:
    return pytest.param(
        DirectiveCase(textwrap.dedent(body).strip("\n"), warnings, shows, hides, rows, messages),
        id=id,
        marks=marks,
    )


def option(line: str = AT) -> tuple[str, str]:
    return (line, "ldm.option")


DIRECTIVE_CASES = [
    # Unknown codes.
    dcase(
        "unknown-code-ldm-milestone",
        ".. ldm-milestone:: NOPE-1",
        [(AT, "ldm.unknown-code")],
        shows=("[milestone NOPE-1: unknown code]",),
        messages=("ldm-milestone: unknown milestone code NOPE-1",),
    ),
    dcase(
        "unknown-code-ldm-graph",
        ".. ldm-graph:: NOPE-1",
        [(AT, "ldm.unknown-code")],
        shows=("[milestone NOPE-1: unknown code]",),
        rows=(),
    ),
    dcase(
        "unknown-code-role",
        "See :ldm:ms:`NOPE-1` here.",
        [(AT, "ldm.unknown-code")],
        shows=("See NOPE-1 here.",),
    ),
    dcase(
        "unknown-code-role-with-title",
        "See :ldm:ms:`the plan <NOPE-1>` here.",
        [(AT, "ldm.unknown-code")],
        shows=("See the plan here.",),
    ),
    dcase(
        "unknown-code-in-codes-option",
        """
        .. ldm-milestones::
           :codes: REL-1 NOPE-1
        """,
        [(AT, "ldm.unknown-code")],
        shows=("Release one: REL-1",),
        hides=("Release two",),
    ),
    dcase(
        "unknown-code-in-codes-shows-placeholder",
        """
        .. ldm-milestones::
           :codes: REL-1 NOPE-1
        """,
        [(AT, "ldm.unknown-code")],
        shows=("Release one: REL-1", "[milestone NOPE-1: unknown code]"),
    ),
    dcase(
        "unknown-code-in-codes-of-a-timeline",
        """
        .. ldm-timeline::
           :codes: NOPE-1 REL-1
        """,
        [(AT, "ldm.unknown-code")],
        rows=(1,),
    ),
    # Milestones whose own data is invalid.
    dcase(
        "unusable-ldm-milestone",
        ".. ldm-milestone:: BAD-1",
        [(AT, "ldm.unusable")],
        shows=(BAD_1,),
        messages=("ldm-milestone: milestone BAD-1 has invalid data",),
    ),
    dcase(
        "unusable-role",
        "See :ldm:ms:`BAD-1` here.",
        [(AT, "ldm.unusable")],
        shows=("See [milestone BAD-1: invalid data] here.",),
    ),
    dcase(
        "unusable-ldm-graph",
        ".. ldm-graph:: BAD-1",
        [(AT, "ldm.unusable")],
        shows=(BAD_1,),
        rows=(),
    ),
    dcase(
        "unusable-in-codes-of-a-catalogue",
        """
        .. ldm-catalogue::
           :codes: BAD-1 LONE-1
        """,
        [(AT, "ldm.unusable")],
        shows=(BAD_1, "LONE-1 — Lonely"),
    ),
    dcase(
        "unusable-in-codes-of-release-sections",
        """
        .. ldm-milestones::
           :codes: BAD-1 REL-1
        """,
        [(AT, "ldm.unusable")],
        shows=("Release one: REL-1",),
    ),
    dcase(
        "unusable-in-codes-of-release-sections-shows-placeholder",
        """
        .. ldm-milestones::
           :codes: BAD-1 REL-1
        """,
        [(AT, "ldm.unusable")],
        shows=("Release one: REL-1", BAD_1),
    ),
    dcase(
        "role-to-a-milestone-without-entry",
        "See :ldm:ms:`LONE-1` here.",
        [(AT, "ldm.no-entry")],
        shows=("See Lonely here.",),
    ),
    # Option values that are not allowed.
    dcase(
        "levels-9",
        """
        .. ldm-milestones::
           :levels: 9
        """,
        [option()],
        shows=("Release one: REL-1", "Feature one: F-1", "Lonely: LONE-1"),
        messages=("ldm-milestones: :levels: does not take '9'; choose from 1, 2, 3, 4",),
    ),
    dcase(
        "levels-2-and-9",
        """
        .. ldm-milestones::
           :levels: 2, 9
        """,
        [option()],
        shows=("Release one: REL-1", "Release two: REL-2"),
        hides=("Feature one: F-1", "Lonely: LONE-1"),
    ),
    dcase(
        "status-done",
        """
        .. ldm-milestones::
           :status: done
        """,
        [option()],
        shows=("Release one: REL-1", "Feature one: F-1"),
        messages=("choose from completed, incomplete, late, upcoming",),
    ),
    dcase(
        "sort-random",
        """
        .. ldm-catalogue::
           :codes: LONE-1
           :sort: random
        """,
        [option()],
        shows=("LONE-1 — Lonely",),
    ),
    dcase(
        "schedule-someday",
        """
        .. ldm-timeline::
           :schedule: someday
        """,
        [option()],
        rows=(4,),
        messages=("choose from forecast, baseline",),
    ),
    dcase(
        "start-after-end-is-ignored",
        """
        .. ldm-timeline::
           :start: 2021-06-01
           :end: 2021-01-01
        """,
        [option()],
        rows=(4,),
        messages=(":start: 2021-06-01 is after :end: 2021-01-01; both ignored",),
    ),
    dcase(
        "start-not-a-date",
        """
        .. ldm-timeline::
           :start: someday
           :end: 2021-02-30
        """,
        [option(), option()],
        rows=(4,),
    ),
    dcase(
        "group-by-colour",
        """
        .. ldm-timeline::
           :group-by: colour
        """,
        [option()],
        rows=(4,),
    ),
    dcase(
        "graph-code-with-levels",
        """
        .. ldm-graph:: REL-1
           :levels: 2
           :status: late
        """,
        [option()],
        rows=(2,),
        messages=(":levels:, :status: ignored: the graph is drawn around REL-1",),
    ),
    dcase(
        "graph-depth-0",
        """
        .. ldm-graph:: REL-1
           :depth: 0
        """,
        [option()],
        rows=(2,),
        messages=(":depth: must be a whole number >= 1, not '0'",),
    ),
    dcase(
        "graph-depth-word",
        """
        .. ldm-graph:: REL-1
           :depth: deep
        """,
        [option()],
        rows=(2,),
    ),
    dcase(
        "graph-depth-superscript-two",
        """
        .. ldm-graph:: REL-1
           :depth: \u00b2
        """,
        [option()],
        rows=(2,),
    ),
    dcase(
        "graph-direction-up",
        """
        .. ldm-graph::
           :direction: up
        """,
        [option()],
        rows=(4,),
    ),
]


@pytest.mark.parametrize("bad", DIRECTIVE_CASES)
def test_bad_directive_use(project: BuildFn, bad: DirectiveCase) -> None:
    built = project(DIRECTIVE_DATA, DIRECTIVE_RST.format(body=bad.body))
    assert_no_crash(built)
    assert built.warnings == DATA_WARNINGS + bad.warnings, built.warning_text
    for message in bad.messages:
        assert message in built.warning_text
    focus = built.focus()
    text = built.text(focus)
    for shown in bad.shows:
        assert shown in text
    for hidden in bad.hides:
        assert hidden not in text
    if bad.rows is not None:
        assert [chart_rows(chart) for chart in charts(focus)] == list(bad.rows)


def test_graph_depth_huge_finishes(project: BuildFn) -> None:
    rst = DIRECTIVE_RST.format(body=".. ldm-graph:: REL-1\n   :depth: 1000000000000000000000")
    try:
        with deadline(3):
            built = project(DIRECTIVE_DATA, rst)
    except Overtime:
        pytest.fail("ldm-graph with a huge :depth: did not finish within 3 s")
    assert_no_crash(built)
    assert built.warnings == DATA_WARNINGS
    # Everything connected to REL-1: F-1, and F-1's other successor REL-2.
    assert [chart_rows(chart) for chart in charts(built.focus())] == [3]


def test_duplicate_entry_across_documents(project: BuildFn) -> None:
    rst = lines(
        "Corpus",
        "======",
        "",
        ".. toctree::",
        "",
        "   other",
        "",
        "See :ldm:ms:`REL-1`.",
        "",
        ".. ldm-catalogue::",
    )
    other = lines("Other", "=====", "", ".. ldm-catalogue::", "   :codes: REL-1")
    built = project(DIRECTIVE_DATA, rst, docs={"other.rst": other})
    assert_no_crash(built)
    assert built.warnings == [*DATA_WARNINGS, ("other.rst:4", "ldm.duplicate-entry")]
    assert "links go to the one in index" in built.warning_text
    link = built.soup().select_one("p a.reference.internal")
    assert link is not None and link["href"] == "#ms-REL-1"
    assert "REL-1 — Release one" in built.text(built.soup("other.html"))


def test_duplicate_entry_in_one_document(project: BuildFn) -> None:
    body = ".. ldm-catalogue::\n   :codes: REL-1\n\nSee :ldm:ms:`REL-1`."
    built = project(DIRECTIVE_DATA, DIRECTIVE_RST.format(body=body))
    assert_no_crash(built)
    assert built.warnings == [*DATA_WARNINGS, (AT, "ldm.duplicate-entry")]
    see = next(p for p in built.focus().select("p") if p.get_text().startswith("See"))
    link = see.select_one("a.reference.internal")
    assert link is not None and link["href"] == "#ms-REL-1"  # the first entry


def test_release_section_lists_the_unusable_predecessor(project: BuildFn) -> None:
    built = project(DIRECTIVE_DATA, DIRECTIVE_RST.format(body=".. ldm-milestone:: REL-2"))
    assert_no_crash(built)
    assert built.warnings == DATA_WARNINGS, built.warning_text
    section = built.focus().find("section", id="release-two-rel-2")
    assert section is not None
    items = [built.text(li) for li in section.select("ul.ldm-features > li")]
    assert items == ["F-1 : Feature one (Due: 2021-02-01; completed 2021-01-20)", BAD_1]


def test_no_entry_from_a_catalogue_entry_has_a_line(project: BuildFn) -> None:
    data = DIRECTIVE_DATA + lines(
        "  - {code: AFTER-1, name: After, level: 4, due: 2021-05-01, predecessors: [LONE-1]}"
    )
    rst = lines("Corpus", "======", "", ".. ldm-catalogue::", "   :codes: LONE-1")
    built = project(data, rst)
    assert_no_crash(built)
    assert built.warnings == [*DATA_WARNINGS, ("index.rst:4", "ldm.no-entry")], built.warning_text


@pytest.mark.parametrize(
    "conf",
    [
        pytest.param('ldm_reference_format = "{nmae} ({code})"\n', id="reference-format"),
        pytest.param('ldm_jira_url = "https://jira.example/{issue}"\n', id="jira-url"),
    ],
)
def test_bad_format_strings_in_conf(project: BuildFn, conf: str) -> None:
    data = lines("milestones:", "  - {code: A, name: X, level: 2, due: 2021-01-01, jira: DM-1}")
    rst = lines("T", "=", "", "See :ldm:ms:`A`.", "", ".. ldm-catalogue::")
    built = project(data, rst, conf=conf)
    assert_no_crash(built)
    assert built.warnings == [("", "ldm.config")], built.warning_text


# -- hostile names and descriptions ------------------------------------------------------


def test_html_in_names_is_escaped(project: BuildFn) -> None:
    data = yml(
        """
        milestones:
          - code: XSS-1
            name: "<script>alert(1)</script>"
            short_name: "<img src=x onerror=alert(2)>"
            level: 2
            due: 2022-01-01
            wbs: "<b>wbs</b>"
            test_spec: "<iframe src=javascript:alert(3)></iframe>"
            jira: "<script>alert(4)</script>"
            predecessors: [XSS-2]
          - code: XSS-2
            name: "</a><svg onload=alert(5)>"
            level: 3
            due: 2021-12-01
        """
    )
    rst = lines(
        "Hostile",
        "=======",
        "",
        "See :ldm:ms:`XSS-1` and :ldm:ms:`XSS-2`.",
        "",
        ".. ldm-catalogue::",
        "",
        ".. ldm-milestones::",
        "",
        ".. ldm-timeline::",
        "   :group-by: wbs",
        "",
        ".. ldm-graph::",
    )
    built = project(data, rst)
    assert_no_crash(built)
    assert built.warnings == [], built.warning_text
    soup = built.soup()
    assert not [s for s in soup.find_all("script") if "alert" in s.get_text()]
    assert soup.find_all(["img", "iframe", "svg", "b"]) == []
    handlers = [(t.name, a) for t in soup.find_all(True) for a in t.attrs if a.startswith("on")]
    assert handlers == []
    raw = built.page()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    text = built.text()
    for written in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "</a><svg onload=alert(5)>",
        "<script>alert(4)</script>",
    ):
        assert written in text
    for chart in charts(soup):
        assert "<script" not in chart and "<img" not in chart and "<svg" not in chart


def test_mermaid_syntax_in_names_stays_inside_labels(project: BuildFn) -> None:
    names = {
        "MM-1": 'Colon: semi; hash # and "quotes"',
        "MM-2": "section Keywords first",
        "MM-3": "title: not a title",  # the short name of MM-3 below
        "MM-4": '%% not a comment; click MM-1 href "javascript:alert(1)"',
    }
    data = yml(
        """
        milestones:
          - code: MM-1
            name: 'Colon: semi; hash # and "quotes"'
            level: 2
            due: 2022-01-01
            wbs: 'section: x; #y'
          - code: MM-2
            name: section Keywords first
            level: 2
            due: 2022-02-01
            predecessors: [MM-1]
            wbs: 'section: x; #y'
          - code: MM-3
            name: a long name
            short_name: 'title: not a title'
            level: 2
            due: 2022-03-01
            predecessors: [MM-2]
          - code: MM-4
            name: '%% not a comment; click MM-1 href "javascript:alert(1)"'
            level: 2
            due: 2022-04-01
        """
    )
    rst = lines(
        "Mermaid",
        "=======",
        "",
        ".. ldm-catalogue::",
        "",
        ".. ldm-timeline::",
        "   :group-by: wbs",
        '   :title: Title: with #hash; and "quotes"',
        "",
        ".. ldm-graph::",
    )
    built = project(data, rst)
    assert_no_crash(built)
    assert built.warnings == [], built.warning_text
    gantt, graph = charts(built.soup())
    tasks = re.findall(r"^    (.*?):milestone, ", gantt, flags=re.MULTILINE)
    assert [mermaid_decode(t) for t in tasks] == list(names.values())
    for task in tasks:
        assert not set(without_entities(task)) & set(':;#"%'), task
        assert not re.match(r"(section|title|click)\b", task), task
    sections = re.findall(r"^    section (.*)$", gantt, flags=re.MULTILINE)
    assert [mermaid_decode(s) for s in sections] == ["section: x; #y", "No WBS"]
    assert all(not set(without_entities(s)) & set(":;#") for s in sections)
    (title,) = re.findall(r"^    title (.*)$", gantt, flags=re.MULTILINE)
    assert mermaid_decode(title) == 'Title: with #hash; and "quotes"'
    assert not set(without_entities(title)) & set(':;#"')
    assert len(re.findall(r'^    click c\d+m\d+ href "[^"]*"$', gantt, flags=re.MULTILINE)) == 4
    labels = re.findall(r'^    c\d+n\d+\["(.*)"\]:::\w+$', graph, flags=re.MULTILINE)
    assert [mermaid_decode(label).split("<br>") for label in labels] == [
        [code, name] for code, name in names.items()
    ]
    for label in labels:
        assert '"' not in without_entities(label) and ":" not in without_entities(label)


def test_rest_markup_in_names_shows_literally(project: BuildFn) -> None:
    data = yml(
        """
        milestones:
          - code: RST-1
            name: '*not emphasis* and **not strong**'
            level: 2
            due: 2022-01-01
            predecessors: [RST-2]
          - code: RST-2
            name: '`x`_ and |sub| and :ldm:ms:`RST-1` and [#]_'
            level: 3
            due: 2021-12-01
            test_spec: '``not code``'
        """
    )
    rst = lines(
        "Markup",
        "======",
        "",
        "See :ldm:ms:`RST-1` and :ldm:ms:`RST-2`.",
        "",
        ".. ldm-catalogue::",
        "",
        ".. ldm-milestones::",
    )
    built = project(data, rst)
    assert_no_crash(built)
    assert built.warnings == [], built.warning_text
    soup = built.soup()
    assert soup.select("article em, article strong, div.body em, div.body strong") == []
    assert soup.select("div.body code, div.body tt") == [] or all(
        "not code" not in c.get_text() for c in soup.select("div.body code")
    )
    hrefs = [a.get("href") for a in soup.select("div.body a")]
    assert "x" not in hrefs and not any(h and h.startswith("#footnote") for h in hrefs)
    text = built.text()
    for written in (
        "*not emphasis* and **not strong**: RST-1",
        "`x`_ and |sub| and :ldm:ms:`RST-1` and [#]_: RST-2",
        "``not code``",
    ):
        assert written in text
    role_links = [a.get_text() for a in soup.select("div.body p a.reference.internal")]
    assert role_links[:2] == [
        "*not emphasis* and **not strong**",
        "`x`_ and |sub| and :ldm:ms:`RST-1` and [#]_",
    ]


def test_rest_markup_in_a_description_is_rendered(project: BuildFn) -> None:
    data = yml(
        """
        milestones:
          - code: D-1
            name: Described
            level: 2
            due: 2022-01-01
            description: |
              This *is* emphasis, ``code`` and a `link <https://example.org/>`_.

              - a list item
        """
    )
    built = project(data, lines("D", "=", "", ".. ldm-catalogue::"))
    assert_no_crash(built)
    assert built.warnings == [], built.warning_text
    entry = built.soup().select_one("dl.milestone")
    assert entry is not None
    assert [em.get_text() for em in entry.select("em")] == ["is"]
    assert [c.get_text() for c in entry.select("code")] == ["code"]
    assert entry.select_one('a[href="https://example.org/"]').get_text() == "link"
    assert [li.get_text().strip() for li in entry.select("li")] == ["a list item"]


BROKEN_DESCRIPTION = lines(
    "milestones:",
    "  - {code: D-1, name: Described, level: 2, due: 2022-01-01, "
    "description: 'Starts *emphasis and never ends.'}",
    "  - {code: D-2, name: After, level: 2, due: 2022-02-01, description: 'Fine *here*.'}",
)


def test_broken_rest_description_does_not_stop_the_build(project: BuildFn) -> None:
    built = project(BROKEN_DESCRIPTION, lines("D", "=", "", ".. ldm-catalogue::"))
    assert_no_crash(built)
    assert [subtype for _, subtype in built.warnings] == ["docutils"], built.warning_text
    assert "Inline emphasis start-string without end-string." in built.warning_text
    text = built.text()
    assert re.search(r"Starts \*\s?emphasis and never ends\.", text)
    assert "D-2 — After" in text
    assert [em.get_text() for em in built.soup().select("dl.milestone em")] == ["here"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(BROKEN_DESCRIPTION, [("m.yaml:2", "docutils")], id="unclosed-emphasis"),
        pytest.param(
            lines(
                "milestones:",
                "  - {code: D-1, name: Described, level: 2, due: 2022-01-01, "
                "description: 'Needs :ldm:ms:`NOPE-1`.'}",
            ),
            [("m.yaml:2", "ldm.unknown-code")],
            id="unknown-code-role",
        ),
    ],
)
def test_description_warnings_are_located_in_the_data_file(
    project: BuildFn, data: str, expected: Warnings
) -> None:
    built = project(data, lines("D", "=", "", ".. ldm-catalogue::"))
    assert_no_crash(built)
    assert built.warnings == expected, built.warning_text


def test_description_that_embeds_the_catalogue(project: BuildFn) -> None:
    data = yml(
        """
        milestones:
          - code: D-1
            name: Recursive
            due: 2022-01-01
            description: |
              .. ldm-catalogue::
        """
    )
    built = project(data, lines("D", "=", "", ".. ldm-catalogue::"))
    assert_no_crash(built)
    assert any(loc.startswith("m.yaml:") for loc, _ in built.warnings), built.warning_text
    assert "D-1 — Recursive" in built.text()


def test_placeholders_do_not_embed_the_build_directory(project: BuildFn) -> None:
    data = lines("milestones:", "  - {code: A, name: X, due: 2021-02-30}")
    built = project(data, lines("D", "=", "", ".. ldm-catalogue::", "", "See :ldm:ms:`A`."))
    assert "[milestone A: invalid data" in built.page()
    assert str(built.srcdir) not in built.page()


LATEX_ESCAPES = {
    "zqa": r"\#",
    "zqb": r"\$",
    "zqc": r"\%",
    "zqd": r"\&",
    "zqe": r"\textasciitilde{}",
    "zqf": r"\_",
    "zqg": r"\textasciicircum{}",
    "zqh": r"\textbackslash{}",
    "zqi": r"\{",
    "zqj": r"\}",
}


def test_latex_specials_in_names_are_escaped(project: BuildFn) -> None:
    data = lines(
        "milestones:",
        "  - code: REL-1",
        r"    name: 'zqa# zqb$ zqc% zqd& zqe~ zqf_ zqg^ zqh\ zqi{ zqj}'",
        r"    short_name: 'zqa# zqh\ zqj}'",
        "    level: 2",
        "    due: 2021-03-01",
        "    wbs: 'zqc% zqf_ zqd&'",
        "    test_spec: 'zqd& zqg^ zqb$'",
        "    predecessors: ['zqa#1zqf_zqc%zqd&']",
        "  - code: 'zqa#1zqf_zqc%zqd&'",
        r"    name: 'zqi{ zqj} zqe~ zqh\'",
        "    level: 3",
        "    due: 2021-02-01",
    )
    rst = lines(
        "Specials",
        "========",
        "",
        "See :ldm:ms:`REL-1` and :ldm:ms:`zqa#1zqf_zqc%zqd&`.",
        "",
        ".. ldm-catalogue::",
        "",
        ".. ldm-milestones::",
        "",
        ".. ldm-timeline::",
        "   :caption: Caption zqa# zqc%",
        "",
        ".. ldm-graph::",
    )
    built = project(data, rst, builder="latex")
    (tex_file,) = built.outdir.glob("*.tex")
    assert "Traceback" not in built.warning_text
    assert built.warnings == [], built.warning_text
    tex = tex_file.read_text(encoding="utf-8")
    # Labels and link targets hold normalised ids inside \detokenize: leave them out.
    body = re.sub(r"\\detokenize\{[^}]*\}", "", tex)
    found = 0
    for token, escape in LATEX_ESCAPES.items():
        for match in re.finditer(token, body):
            found += 1
            after = body[match.end() :]
            assert after.startswith(escape) or (
                token in ("zqi", "zqj")
                and after.startswith((r"\sphinxleftcurlybrace{}", r"\sphinxrightcurlybrace{}"))
            ), body[match.start() - 40 : match.end() + 40]
    assert found > 40
    assert r"zqa\# zqb\$ zqc\% zqd\& zqe\textasciitilde{} zqf\_" in tex
    # the release section title (a chapter in the default manual class)
    assert re.search(r"\\(chapter|section)\{zqa\\# zqb\\\$", tex)


# -- -W: every warning fails the build -----------------------------------------------------

STRICT_CASES = [
    pytest.param(
        lines("milestones: [", "  {code: A"),
        ".. ldm-catalogue::",
        [y("yaml", 3)],
        "YAML syntax error",
        id="yaml-syntax",
    ),
    pytest.param(
        lines("milestones:", OK),
        "See :ldm:ms:`NOPE-1`.",
        [("index.rst:4", "ldm.unknown-code")],
        "unknown milestone code NOPE-1",
        id="role-unknown-code",
    ),
    pytest.param(
        lines("milestones:", OK),
        ".. ldm-milestones::\n   :levels: 9",
        [("index.rst:4", "ldm.option")],
        "does not take '9'",
        id="bad-option",
    ),
    pytest.param(
        lines("milestones:", "  - {code: A, name: X, due: 2021-02-30}"),
        ".. ldm-catalogue::",
        [y("bad-date", 2), y("missing-field", 2)],
        "is not a real date",
        id="bad-date",
    ),
]


@pytest.mark.parametrize(("data", "body", "expected", "message"), STRICT_CASES)
def test_warning_is_error_fails_the_build(
    project: BuildFn, data: str, body: str, expected: Warnings, message: str
) -> None:
    """-W: the build runs to the end, reports every warning, and fails."""
    rst = lines("Strict", "======", "", body)
    built = project(data, rst, warningiserror=True)
    assert built.warnings == expected, built.warning_text
    assert built.app.statuscode == 1
    assert "with warnings treated as errors" in ANSI.sub("", built.app.status.getvalue())


@pytest.mark.parametrize(("data", "body", "expected", "message"), STRICT_CASES)
def test_exception_on_warning_stops_at_the_first(
    project: BuildFn, data: str, body: str, expected: Warnings, message: str
) -> None:
    """--exception-on-warning: the first warning raises."""
    rst = lines("Strict", "======", "", body)
    with pytest.raises(SphinxWarning, match=re.escape(message)):
        project(data, rst, exception_on_warning=True)


def test_warning_is_error_passes_a_clean_project(project: BuildFn) -> None:
    rst = lines("Strict", "======", "", "See :ldm:ms:`OK-1`.", "", ".. ldm-catalogue::")
    built = project(lines("milestones:", OK), rst, warningiserror=True)
    assert built.warnings == []
    assert built.app.statuscode == 0
    built = project(lines("milestones:", OK), rst, exception_on_warning=True)
    assert "OK-1 — Good one" in built.text()
