"""The milestone exports: ``milestones.json``, ``milestones.csv`` and ``milestones.ics``.

Pure functions of the catalog, the URL of each milestone's entry and the "as of" date,
with no Sphinx imports; :mod:`sphinxext_ldm.export_files` writes them at the end of an
HTML build. The same inputs always give the same text, byte for byte, so that two builds
of one project publish identical files (and calendar apps see no spurious changes).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sphinxext_ldm.history import History
from sphinxext_ldm.load import LEVELS
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.query import STATUS_CHOICES, MilestoneFilter, Status, natural_key, status

#: The files written next to the HTML, and the schema of the JSON one.
JSON_FILE = "milestones.json"
CSV_FILE = "milestones.csv"
ICS_FILE = "milestones.ics"
SCHEMA_FILE = "milestones.schema.json"
#: The JSON Schema shipped in the package (also copied next to the exports).
SCHEMA_PATH = Path(__file__).parent / "schemas" / SCHEMA_FILE

#: Bumped when a field is removed or changes meaning (not when one is added).
SCHEMA_VERSION = 1

#: A milestone's fields in the JSON and CSV exports, in this order.
EXPORT_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "level",
    "due",
    "baseline",
    "completed",
    "status",
    "predecessors",
    "successors",
    "short_name",
    "wbs",
    "description",
    "test_spec",
    "jira",
    "url",
)

PRODID = "-//sphinxext-ldm//milestones//EN"
#: RFC 5545 3.1: lines longer than this many octets (without the CRLF) are folded.
MAX_LINE_OCTETS = 75

# Characters a URI may contain as they are: RFC 3986 reserved and unreserved, and "%"
# (already percent-encoded). Anything else (non-ASCII in a document name) is encoded.
_URI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


# -- the records -------------------------------------------------------------------------


def ordered(milestones: Iterable[Milestone]) -> list[Milestone]:
    """Natural code order (DM-AP-2 before DM-AP-10), the order of every export."""
    return sorted(milestones, key=lambda m: natural_key(m.code))


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def as_uri(url: str) -> str:
    """``url`` with anything a URI may not contain (spaces, non-ASCII) percent-encoded."""
    return quote(url, safe=_URI_SAFE)


def milestone_record(
    catalog: Catalog, milestone: Milestone, url: str | None, today: datetime.date
) -> dict[str, Any]:
    """One milestone as the JSON export writes it: every field, None when absent."""
    return {
        "code": milestone.code,
        "name": milestone.name,
        "level": milestone.level,
        "due": milestone.due.isoformat(),
        "baseline": _iso(milestone.baseline),
        "completed": _iso(milestone.completed),
        "status": status(milestone, today).value,
        "predecessors": list(milestone.predecessors),
        "successors": sorted(catalog.successors.get(milestone.code, ()), key=natural_key),
        "short_name": milestone.short_name,
        "wbs": milestone.wbs,
        "description": milestone.description,
        "test_spec": milestone.test_spec,
        "jira": milestone.jira,
        "url": as_uri(url) if url is not None else None,
    }


def milestone_records(
    catalog: Catalog, urls: Mapping[str, str | None], today: datetime.date
) -> list[dict[str, Any]]:
    return [milestone_record(catalog, m, urls.get(m.code), today) for m in ordered(catalog)]


# -- JSON and CSV ------------------------------------------------------------------------


def milestones_json(
    catalog: Catalog,
    urls: Mapping[str, str | None],
    today: datetime.date,
    project: str,
    history: History | None = None,
) -> str:
    """``milestones.json``: every milestone with all its fields, its status as of
    ``today``, the URL of its entry (``urls``: code -> URL, None without an entry) and
    its history: its forecast and completion at each report (none without snapshots)."""
    records = milestone_records(catalog, urls, today)
    for record in records:
        record["history"] = [
            {"as_of": r.as_of.isoformat(), "due": r.due.isoformat(), "completed": _iso(r.completed)}
            for r in (history.of(record["code"]) if history else ())
        ]
    document = {
        "schema_version": SCHEMA_VERSION,
        "generated_for": project,
        "today": today.isoformat(),
        "milestones": records,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def milestones_csv(catalog: Catalog, urls: Mapping[str, str | None], today: datetime.date) -> str:
    """``milestones.csv``: the JSON export's fields as columns (RFC 4180: CRLF, quotes
    where needed); lists are joined with spaces, absent values are empty, and a cell a
    spreadsheet would take for a formula starts with ``'``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    for record in milestone_records(catalog, urls, today):
        writer.writerow(_csv_cell(record[name]) for name in EXPORT_FIELDS)
    return out.getvalue()


#: A cell starting with one of these is a formula to a spreadsheet (``=HYPERLINK(...)``
#: is a live link in Excel): OWASP's "CSV Injection" advice is a leading single quote,
#: which spreadsheets read as "this is text". milestones.json keeps the value as written.
#: Dates, levels and statuses never start with these; codes, names and URLs may.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> str:
    """A field as a CSV cell: lists joined with spaces, None empty, formulas made text."""
    if value is None:
        return ""
    text = " ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


# -- iCalendar ---------------------------------------------------------------------------

# Controls other than tab may not appear in TEXT values (RFC 5545 3.3.11); line breaks
# are handled separately, as "\n".
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks
    as ``\\n``, other control characters left out."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROLS.sub("", value)


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets of UTF-8 (RFC 5545 3.1),
    joined with CRLF + space, never splitting a character's bytes."""
    if len(line.encode("utf-8")) <= MAX_LINE_OCTETS:
        return line  # most lines: no need to look at each character
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > MAX_LINE_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1  # the continuation's leading space counts
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n".join(parts)


def uid_code(code: str) -> str:
    """A code as the local part of a UID: percent-encoded outside letters, digits and
    ``-._~``, so that every code gives a distinct UID that needs no TEXT escaping."""
    return quote(code, safe="-._~")


def project_slug(project: str) -> str:
    """``"LDM-564 Releases"`` -> ``"ldm-564-releases"``: a UID domain when there is no
    ``html_baseurl``."""
    slug = re.sub(r"[^a-z0-9]+", "-", project.lower()).strip("-")
    return slug or "project"


def _date_value(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def event_description(
    milestone: Milestone, url: str | None, today: datetime.date, level_text: str | None
) -> str:
    lines = [f"Status: {status(milestone, today).label} (as of {today.isoformat()})"]
    if level_text:
        lines.append(level_text)
    if milestone.completed is not None:
        lines.append(f"Completed: {milestone.completed.isoformat()}")
    if url is not None:
        lines.append(f"Entry: {url}")
    return "\n".join(lines)


def event_lines(
    milestone: Milestone, url: str | None, today: datetime.date, uid_domain: str
) -> list[str]:
    """One all-day VEVENT on the milestone's due date (unfolded content lines)."""
    state = status(milestone, today)
    level_text = f"Level {milestone.level}" if milestone.level is not None else None
    # A relative reference is no use in a calendar, and URL's value must be a URI
    # (RFC 5545 3.8.4.6): events link to the site only when html_baseurl is set.
    uri = as_uri(url) if url is not None and _ABSOLUTE.match(url) else None
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid_code(milestone.code)}@{uid_domain}.sphinxext-ldm",
        # The feed changes when ldm_today does, not on every build: reproducible.
        f"DTSTAMP:{_date_value(today)}T000000Z",
        f"DTSTART;VALUE=DATE:{_date_value(milestone.due)}",
        f"DTEND;VALUE=DATE:{_date_value(milestone.due + datetime.timedelta(days=1))}",
        f"SUMMARY:{escape_text(f'{milestone.code}: {milestone.name}')}",
        f"DESCRIPTION:{escape_text(event_description(milestone, uri, today, level_text))}",
    ]
    if uri is not None:
        lines.append(f"URL:{uri}")
    categories = [c for c in (level_text, state.label) if c]
    lines += [
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",  # a deadline, not time spent: not "busy" all day
        "CATEGORIES:" + ",".join(escape_text(c) for c in categories),
        "END:VEVENT",
    ]
    return lines


def milestones_ics(
    catalog: Catalog,
    urls: Mapping[str, str | None],
    today: datetime.date,
    *,
    project: str,
    uid_domain: str,
    selection: MilestoneFilter | None = None,
) -> str:
    """``milestones.ics``: an iCalendar feed (RFC 5545) with one all-day event per
    milestone (those ``selection`` selects) on its due date.

    UIDs are ``<code>@<uid_domain>.sphinxext-ldm``: the same in every build, so that a
    subscribed calendar updates its events instead of adding new ones.
    """
    milestones: Iterable[Milestone] = catalog
    if selection is not None:
        milestones = selection.select(catalog, today)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(f'{project} milestones')}",
    ]
    for milestone in ordered(milestones):
        lines += event_lines(milestone, urls.get(milestone.code), today, uid_domain)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


# -- the feed's filter -------------------------------------------------------------------

FILTER_KEYS = ("levels", "prefixes", "codes", "status")


def _words(value: object) -> list[object] | None:
    """A config list: a string of words (separated by commas or spaces, as in directive
    options), a single number, or a list/tuple; None for anything else."""
    if isinstance(value, str):
        return [word for word in re.split(r"[\s,]+", value) if word]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    return None


def parse_filter(value: object) -> tuple[MilestoneFilter | None, list[str]]:
    """``ldm_ics_filter`` as a filter, or None with the problems found (a filter with any
    problem is not used: a feed silently narrower or wider than asked is worse).

    ``None`` (no filter) gives ``(None, [])``.
    """
    if value is None:
        return None, []
    if not isinstance(value, Mapping):
        return None, [f"ldm_ics_filter must be a dict with keys {', '.join(FILTER_KEYS)}"]
    problems = []
    for key in value:
        if key not in FILTER_KEYS:
            problems.append(f"ldm_ics_filter has no key {key!r}; use {', '.join(FILTER_KEYS)}")
    parsed: dict[str, list[object]] = {}
    for key in FILTER_KEYS:
        if key not in value:
            continue
        words = _words(value[key])
        if words is None:
            problems.append(f"ldm_ics_filter[{key!r}] must be a list or a string")
            continue
        parsed[key] = words
    levels = _levels(parsed.get("levels", []), problems)
    statuses = _statuses(parsed.get("status", []), problems)
    texts = {key: _texts(key, parsed.get(key, []), problems) for key in ("prefixes", "codes")}
    if problems:
        return None, problems
    selection = MilestoneFilter(
        levels=frozenset(levels),
        prefixes=tuple(texts["prefixes"]),
        codes=frozenset(texts["codes"]),
        statuses=frozenset(statuses),
    )
    return selection, []


def _levels(words: Sequence[object], problems: list[str]) -> list[int]:
    levels = []
    for word in words:
        text = str(word)
        if isinstance(word, bool) or not text.isdecimal() or int(text) not in LEVELS:
            allowed = ", ".join(str(n) for n in LEVELS)
            problems.append(f"ldm_ics_filter['levels'] does not take {word!r}; use {allowed}")
        else:
            levels.append(int(text))
    return levels


def _statuses(words: Sequence[object], problems: list[str]) -> set[Status]:
    statuses: set[Status] = set()
    for word in words:
        if not isinstance(word, str) or word not in STATUS_CHOICES:
            allowed = ", ".join(STATUS_CHOICES)
            problems.append(f"ldm_ics_filter['status'] does not take {word!r}; use {allowed}")
        else:
            statuses |= STATUS_CHOICES[word]
    return statuses


def _texts(key: str, words: Sequence[object], problems: list[str]) -> list[str]:
    texts = []
    for word in words:
        if not isinstance(word, str) or not word.strip():
            problems.append(f"ldm_ics_filter[{key!r}] does not take {word!r}; use strings")
        else:
            texts.append(word.strip())
    return texts
