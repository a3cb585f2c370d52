"""Deterministic synthetic release plans for the benchmark, in three variants.

``python bench/generate.py N OUTDIR [--seed S] [--no-gantt]`` writes:

* ``OUTDIR/A``: the project with sphinxext-ldm (``milestones.yaml``, ``acronyms.yaml``,
  pages using ``ldm-milestones``, ``ldm-timeline``, ``ldm-catalogue``, ``ldm-acronyms`` and
  ``:ldm:ms:``);
* ``OUTDIR/F``: the floor, the same pages pre-rendered to plain reStructuredText (sections,
  lists, field lists, ``:ref:`` links, one plain ``mermaid`` Gantt per page with the same
  rows), built with sphinxcontrib-mermaid alone;
* ``OUTDIR/P``: the peer, the same content with sphinx-needs (one need per milestone with
  its predecessors as links, a ``needtable`` per page, and a ``needgantt`` per page unless
  ``--no-gantt``).

The data: about one level-2 milestone per five level-3 ones; each level-3 milestone feeds
one level-2 release and some feed two (shared predecessors); some level-2 releases follow
another of their stream, some level-3 ones another of their team; descriptions of two to
four sentences, with the acronyms real plans use. Level-2 milestones are spread over up to
20 stream pages (prefix ``LDM-5PP-``). Everything comes from one seeded generator, so a
given (N, seed) always writes the same bytes.

F's text is made with the extension's own pure functions (``render.text``,
``render.mermaid``, ``query``), so that A and F show the same phrases, rows and links.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sphinxext_ldm.acronyms import ACRONYM_LIKE
from sphinxext_ldm.model import Catalog, Milestone
from sphinxext_ldm.query import by_code, by_due, contributions, fed_milestones, status
from sphinxext_ldm.render.mermaid import GanttOptions, gantt
from sphinxext_ldm.render.text import due_phrase, iso, section_title

TODAY = datetime.date(2024, 6, 30)
FIRST_DAY = datetime.date(2017, 1, 1)
LAST_DAY = datetime.date(2032, 12, 31)
MAX_PAGES = 20
NO_FEATURES = (
    "No specific DM functionality is associated with this milestone; "
    "it serves as an integration point."
)
JIRA_URL = "https://rubinobs.atlassian.net/browse/{key}"
CHART_LEGEND = (
    "Dates: forecast (due). \N{CHECK MARK} completed; \N{WARNING SIGN} late (due before "
    f"{TODAY.isoformat()} and not completed); no mark: upcoming."
)

# -- vocabulary -------------------------------------------------------------------------

TEAMS = {
    "AP": "Alert Production",
    "DRP": "Data Release Production",
    "NCSA": "National Center for Supercomputing Applications",
    "DAX": "Data Access",
    "SUIT": "Science User Interface and Tools",
    "LSP": "LSST Science Platform",
    "CPP": "Calibration Products Production",
    "QA": "Quality Assurance",
}
ACRONYMS = {
    **TEAMS,
    "LDM": "LSST Data Management (document handle)",
    "DM": "Data Management",
    "LSST": "Legacy Survey of Space and Time",
    "LSE": "LSST Systems Engineering (document handle)",
    "DAC": "Data Access Center",
    "PDAC": "Prototype Data Access Center",
    "HSC": "Hyper Suprime-Cam",
    "WISE": "Wide-field Infrared Survey Explorer",
    "DAQ": "Data Acquisition System",
    "API": "Application Programming Interface",
    "CCS": "Camera Control System",
    "OCS": "Observatory Control System",
    "EFD": "Engineering and Facility Database",
    "DP1": "Data Preview 1",
    "CI": "Continuous Integration",
    "ComCam": "The commissioning camera is a single-raft camera",
    "US": "United States",
    "WBS": "Work Breakdown Structure",
    # Defined but never used: they must not appear in the tables.
    "AURA": "Association of Universities for Research in Astronomy",
    "NSF": "National Science Foundation",
    "SLAC": "SLAC National Accelerator Laboratory",
    "DOE": "Department of Energy",
}
THEMES = [
    "Alert generation",
    "Data release processing",
    "Science Platform",
    "Prompt processing",
    "Calibration products",
    "Image differencing",
    "Object catalogs",
    "Data Backbone",
    "Batch production",
    "Data access services",
    "Summit transfer",
    "Commissioning camera",
    "Middleware",
    "Quality assurance",
    "Observatory interfaces",
    "Archive ingest",
    "Data previews",
    "Network operations",
    "Identity and access",
    "Operations readiness",
]
KINDS = [
    "validation",
    "integration test",
    "operations rehearsal",
    "scale test",
    "readiness review",
    "deployment",
    "functionality test",
    "performance test",
]
QUALIFIERS = [
    "",
    "",
    "",
    " with HSC data",
    " in PDAC",
    " at NCSA",
    " for DP1",
    " on ComCam data",
    " at the DAC",
    " with WISE data",
]
COMPONENTS = [
    "Butler repository",
    "alert distribution",
    "source association",
    "image ingest",
    "catalog loader",
    "query service",
    "portal view",
    "notebook service",
    "batch workflow",
    "metric dashboard",
    "camera interface",
    "telemetry bridge",
    "data transfer",
    "authentication service",
    "calibration pipeline",
    "difference imaging",
    "forced photometry",
    "astrometric fit",
    "photometric calibration",
    "image archive",
]
FEATURES = [
    "prototype",
    "first release",
    "production version",
    "scaling improvements",
    "operational interface",
    "documentation and training",
    "monitoring",
    "hardening",
]
DOCS = ["LDM-148", "LDM-151", "LDM-152", "LDM-542", "LDM-554", "LSE-319", "LSE-61"]
FACILITIES = ["LSST Data Facility at NCSA", "US DAC", "summit facility", "PDAC"]
SERVICES = ["Science Platform API", "DAX query service", "EFD", "OCS interface", "CCS bridge"]
DATASETS = ["HSC", "WISE", "ComCam", "simulated", "precursor"]


# -- the data ---------------------------------------------------------------------------


@dataclass
class Plan:
    """One generated project: milestones, their pages, and the prose of each page."""

    n: int
    seed: int
    milestones: list[Milestone]
    pages: list[str]  # page names, in order
    page_of: dict[str, str]  # level-2 code -> page
    titles: dict[str, str]  # page -> title
    prefixes: dict[str, str]  # page -> code prefix of its level-2 milestones
    mentions: dict[str, list[tuple[str, str | None]]]  # page -> (code, explicit text)
    catalog: Catalog = field(init=False)

    def __post_init__(self) -> None:
        self.catalog = Catalog.from_milestones(self.milestones)


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _completion(rng: random.Random, due: datetime.date) -> datetime.date | None:
    if due <= TODAY - datetime.timedelta(days=20):
        if rng.random() < 0.9:
            return min(due + datetime.timedelta(days=rng.randint(-15, 60)), TODAY)
        return None
    if due <= TODAY and rng.random() < 0.5:
        return due
    return None


def _sentence_l2(rng: random.Random, subject: str, team: str) -> str:
    doc1, doc2 = rng.sample(DOCS, 2)
    first = (
        f"This test demonstrates the successful execution of a prototype {subject.lower()} "
        f"payload ({doc1}, {doc2}), processing data from precursor surveys at a "
        f"{rng.choice(['relatively small', 'moderate', 'full'])} scale using compute resources "
        f"at the {rng.choice(FACILITIES)}."
    )
    second = (
        f"It verifies that the {rng.choice(COMPONENTS)} meets the requirements of "
        f"{rng.choice(DOCS)} and that results are available through the "
        f"{rng.choice(SERVICES)}."
    )
    third = (
        f"Results are recorded in the test report and reviewed by the {TEAMS[team]} "
        f"({team}) team before the milestone is closed."
    )
    sentences = [first, second, third]
    if rng.random() < 0.4:
        sentences.append(
            f"Data products are made available to the community as part of DP1 through "
            f"the {rng.choice(['PDAC', 'DAC'])}."
        )
    return " ".join(sentences)


def _sentence_l3(rng: random.Random, component: str, team: str) -> str:
    first = (
        f"Deliver the {component} {rng.choice(FEATURES)} needed by the {TEAMS[team]} "
        f"team, integrated with the {rng.choice(SERVICES)} and validated on "
        f"{rng.choice(DATASETS)} data."
    )
    if rng.random() < 0.6:
        return first + (
            f" Includes documentation, CI tests and a demonstration to the DM "
            f"{rng.choice(list(TEAMS))} team."
        )
    return first


def make_plan(n: int, seed: int = 564) -> Plan:
    rng = random.Random(f"sphinxext-ldm-bench:{seed}:{n}")
    n2 = max(1, round(n / 6))
    n3 = n - n2
    n_pages = min(MAX_PAGES, n2)
    pages = [f"stream{p + 1:02d}" for p in range(n_pages)]
    prefixes = {page: f"LDM-5{p + 1:02d}-" for p, page in enumerate(pages)}
    titles = {page: f"Stream {p + 1}: {THEMES[p]}" for p, page in enumerate(pages)}

    # Level 2: due dates over the whole plan, dealt round-robin to the stream pages.
    l2_due = sorted(
        _day(rng, FIRST_DAY + datetime.timedelta(days=240), LAST_DAY) for _ in range(n2)
    )
    l2: list[dict] = []
    count: dict[str, int] = {}
    for i, due in enumerate(l2_due):
        page = pages[i % n_pages]
        count[page] = count.get(page, 0) + 1
        subject = THEMES[i % n_pages]
        team = rng.choice(list(TEAMS))
        l2.append(
            {
                "code": f"{prefixes[page]}{count[page]:02d}",
                "page": page,
                "name": f"{subject} {rng.choice(KINDS)}{rng.choice(QUALIFIERS)}",
                "short_name": f"{subject} {count[page]}",
                "due": due,
                "baseline": due - datetime.timedelta(days=rng.randint(0, 400)),
                "completed": _completion(rng, due),
                "wbs": f"1.02C.{i % n_pages + 1:02d}.{count[page]:02d}",
                "description": _sentence_l2(rng, subject, team),
                "test_spec": f"LDM-534 v3.1 §3.{count[page]} ({team}-{count[page]:02d})",
                "features": [],
                "schedule": [],
            }
        )
    # A level-2 release often follows the previous one of its stream.
    last_of_page: dict[str, dict] = {}
    for item in l2:
        previous = last_of_page.get(item["page"])
        if previous is not None and rng.random() < 0.5:
            item["schedule"].append(previous["code"])
        last_of_page[item["page"]] = item

    # Level 3: each feeds one release (its primary), due before it.
    l3: list[dict] = []
    for _ in range(n3):
        primary = rng.randrange(n2)
        team = rng.choice(list(TEAMS))
        component = rng.choice(COMPONENTS)
        due = l2[primary]["due"] - datetime.timedelta(days=rng.randint(15, 240))
        l3.append(
            {
                "primary": primary,
                "team": team,
                "name": f"{component.capitalize()} {rng.choice(FEATURES)}",
                "due": due,
                "baseline": (
                    due - datetime.timedelta(days=rng.randint(0, 300))
                    if rng.random() < 0.7
                    else None
                ),
                "completed": _completion(rng, due),
                "description": _sentence_l3(rng, component, team),
                "jira": f"DM-{rng.randint(10000, 40000)}" if rng.random() < 0.5 else None,
                "predecessors": [],
            }
        )
    l3.sort(key=lambda m: (m["due"], m["team"], m["name"]))
    numbers: dict[str, int] = {}
    last_of_team: dict[str, dict] = {}
    for item in l3:
        numbers[item["team"]] = numbers.get(item["team"], 0) + 1
        item["code"] = f"DM-{item['team']}-{numbers[item['team']]}"
        item["wbs"] = (
            f"1.02C.{list(TEAMS).index(item['team']) + 21:02d}.{numbers[item['team']]:02d}"
        )
        previous = last_of_team.get(item["team"])
        if previous is not None and rng.random() < 0.3:
            item["predecessors"].append(previous["code"])
        last_of_team[item["team"]] = item
        l2[item["primary"]]["features"].append(item["code"])
    # Shared predecessors: some releases also take features of one of the ten before.
    for i, item in enumerate(l2):
        if i and rng.random() < 0.35:
            pool = [c for j in range(max(0, i - 10), i) for c in l2[j]["features"]]
            pool = [c for c in dict.fromkeys(pool) if c not in item["features"]]
            if pool:
                item["features"].extend(rng.sample(pool, min(len(pool), rng.randint(1, 2))))

    milestones: list[Milestone] = []
    for item in l2:
        milestones.append(
            Milestone(
                code=item["code"],
                name=item["name"],
                level=2,
                due=item["due"],
                baseline=item["baseline"],
                completed=item["completed"],
                predecessors=tuple(item["schedule"] + item["features"]),
                short_name=item["short_name"],
                wbs=item["wbs"],
                description=item["description"],
                test_spec=item["test_spec"],
            )
        )
    for item in l3:
        milestones.append(
            Milestone(
                code=item["code"],
                name=item["name"],
                level=3,
                due=item["due"],
                baseline=item["baseline"],
                completed=item["completed"],
                predecessors=tuple(item["predecessors"]),
                wbs=item["wbs"],
                description=item["description"],
                jira=item["jira"],
            )
        )

    # Each page mentions its first and last releases and two features in prose.
    mentions: dict[str, list[tuple[str, str | None]]] = {}
    for page in pages:
        own = [m for m in l2 if m["page"] == page]
        features = [c for m in own for c in m["features"]]
        chosen: list[tuple[str, str | None]] = [(own[0]["code"], None)]
        if len(own) > 1:
            chosen.append((own[-1]["code"], "the last release of this stream"))
        for code in dict.fromkeys(features[:1] + features[-1:]):
            chosen.append((code, None))
        mentions[page] = chosen
    return Plan(
        n=n,
        seed=seed,
        milestones=milestones,
        pages=pages,
        page_of={m["code"]: m["page"] for m in l2},
        titles=titles,
        prefixes=prefixes,
        mentions=mentions,
    )


# -- writing helpers --------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def milestones_yaml(milestones: Iterable[Milestone]) -> str:
    lines = [
        "# Synthetic milestones for the sphinxext-ldm benchmark (bench/generate.py).",
        "milestones:",
    ]
    for m in milestones:
        lines.append("")
        lines.append(f"  - code: {m.code}")
        lines.append(f"    name: {_q(m.name)}")
        lines.append(f"    level: {m.level}")
        lines.append(f"    due: {iso(m.due)}")
        if m.baseline:
            lines.append(f"    baseline: {iso(m.baseline)}")
        if m.completed:
            lines.append(f"    completed: {iso(m.completed)}")
        if m.predecessors:
            lines.append(f"    predecessors: [{', '.join(m.predecessors)}]")
        if m.short_name:
            lines.append(f"    short_name: {_q(m.short_name)}")
        if m.wbs:
            lines.append(f"    wbs: {_q(m.wbs)}")
        if m.description:
            lines.append(f"    description: {_q(m.description)}")
        if m.test_spec:
            lines.append(f"    test_spec: {_q(m.test_spec)}")
        if m.jira:
            lines.append(f"    jira: {m.jira}")
    return "\n".join(lines) + "\n"


def acronyms_yaml() -> str:
    lines = ["acronyms:"]
    for term, definition in ACRONYMS.items():
        lines.append(f"  - term: {_q(term)}")
        lines.append(f"    definition: {_q(definition)}")
    return "\n".join(lines) + "\n"


def heading(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}\n"


def anchor(code: str) -> str:
    """F's label for a milestone's catalogue entry."""
    return "ms-" + re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def used_acronyms(plan: Plan) -> list[str]:
    """The defined terms A's project-wide table lists: those occurring in the text of the
    pages (titles, prose, data fields), found as the extension finds them."""
    # "WBS" is a field label of every catalogue entry that has one.
    texts: list[str] = [*plan.titles.values(), CHART_LEGEND, "WBS"]
    for page in plan.pages:
        texts.append(intro_text(plan, page, lambda code, text: text or ""))
    for m in plan.milestones:
        texts += [m.code, m.name, m.short_name or "", m.wbs or "", m.description or ""]
        texts += [m.test_spec or "", m.jira or ""]
    text = "\n".join(texts)
    found = set(ACRONYM_LIKE.findall(text))
    found |= {
        t
        for t in ACRONYMS
        if not ACRONYM_LIKE.fullmatch(t) and re.search(rf"(?<![\w&]){re.escape(t)}(?![\w&])", text)
    }
    return sorted(t for t in found if t in ACRONYMS)


def intro_text(plan: Plan, page: str, link) -> str:
    """The prose of a stream page; ``link(code, explicit_text)`` writes a milestone link."""
    theme = plan.titles[page].split(": ", 1)[1]
    mentions = plan.mentions[page]
    releases = [link(code, text) for code, text in mentions if code in plan.page_of]
    features = [link(code, text) for code, text in mentions if code not in plan.page_of]
    sentences = [
        f"This page describes the releases of the {theme.lower()} stream of the LSST DM "
        f"system, verified by the DM teams at NCSA and the DAC.",
        f"The first release is {releases[0]}.",
    ]
    if len(releases) > 1:
        sentences.append(f"It continues up to {releases[1]}, as planned in LDM-503.")
    if features:
        sentences.append(
            "Functionality such as " + " and ".join(features) + " is delivered by the "
            "DRP and AP teams and exercised through the Science Platform API."
        )
    return " ".join(sentences)


def page_milestones(plan: Plan, page: str) -> list[Milestone]:
    """A page's level-2 milestones, sorted as ldm-milestones sorts them."""
    prefix = plan.prefixes[page]
    return sorted(
        (m for m in plan.milestones if m.level == 2 and m.code.startswith(prefix)), key=by_due
    )


def index_rst(plan: Plan, title: str) -> str:
    entries = "\n".join(f"   {page}" for page in [*plan.pages, "catalogue", "acronyms"])
    return (
        heading(title, "=")
        + f"\nA synthetic release plan of {plan.n} milestones (seed {plan.seed}).\n\n"
        + ".. toctree::\n   :maxdepth: 2\n\n"
        + entries
        + "\n"
    )


def acronym_table_rst(plan: Plan) -> str:
    rows = [f"   * - {t}\n     - {ACRONYMS[t]}" for t in used_acronyms(plan)]
    return (
        heading("Acronyms", "=")
        + "\n.. list-table::\n   :header-rows: 1\n   :widths: 20 80\n\n"
        + "   * - Acronym\n     - Description\n"
        + "\n".join(rows)
        + "\n"
    )


COMMON_CONF = """\
project = "Synthetic release plan ({n} milestones)"
author = "sphinxext-ldm benchmark"
numfig = True
html_theme = "alabaster"
exclude_patterns = ["_build"]
"""


# -- A: sphinxext-ldm -------------------------------------------------------------------


def write_a(plan: Plan, root: Path) -> None:
    root.mkdir(parents=True)
    (root / "milestones.yaml").write_text(milestones_yaml(plan.milestones), encoding="utf-8")
    (root / "acronyms.yaml").write_text(acronyms_yaml(), encoding="utf-8")
    (root / "conf.py").write_text(
        COMMON_CONF.format(n=plan.n)
        + 'extensions = ["sphinxext_ldm"]\n'
        + 'ldm_milestones_path = "milestones.yaml"\n'
        + 'ldm_acronyms_path = "acronyms.yaml"\n'
        + f'ldm_today = "{TODAY.isoformat()}"\n',
        encoding="utf-8",
    )
    (root / "index.rst").write_text(index_rst(plan, "Release plan (sphinxext-ldm)"))

    def role(code: str, text: str | None) -> str:
        return f":ldm:ms:`{text} <{code}>`" if text else f":ldm:ms:`{code}`"

    for p, page in enumerate(plan.pages):
        prefix = plan.prefixes[page]
        body = (
            heading(plan.titles[page], "=")
            + "\n"
            + intro_text(plan, page, role)
            + "\n\n"
            + heading("Schedule", "-")
            + f"\n.. ldm-timeline::\n   :levels: 2\n   :prefixes: {prefix}\n"
            + f"   :caption: Level 2 milestones of stream {p + 1}.\n"
            + f"   :name: fig-{page}\n\n"
            + heading("Releases", "-")
            + f"\n.. ldm-milestones::\n   :levels: 2\n   :prefixes: {prefix}\n"
        )
        (root / f"{page}.rst").write_text(body, encoding="utf-8")
    (root / "catalogue.rst").write_text(
        heading("Milestone catalogue", "=") + "\n.. ldm-catalogue::\n"
    )
    (root / "acronyms.rst").write_text(
        heading("Acronyms", "=") + "\n.. ldm-acronyms::\n   :scope: project\n"
    )


# -- F: plain reStructuredText (the floor) ----------------------------------------------


def _ref(plan: Plan, code: str, text: str | None = None) -> str:
    return f":ref:`{text or code} <{anchor(code)}>`"


def write_f(plan: Plan, root: Path) -> None:
    root.mkdir(parents=True)
    catalog = plan.catalog
    (root / "conf.py").write_text(
        COMMON_CONF.format(n=plan.n) + 'extensions = ["sphinxcontrib.mermaid"]\n',
        encoding="utf-8",
    )
    (root / "index.rst").write_text(index_rst(plan, "Release plan (plain reST)"))

    def role(code: str, text: str | None) -> str:
        return _ref(plan, code, text or catalog.milestones[code].name)

    for p, page in enumerate(plan.pages):
        rows = page_milestones(plan, page)
        links = {m.code: f"catalogue.html#{anchor(m.code)}" for m in rows}
        chart = gantt(rows, GanttOptions(today=TODAY), links)
        dates = [m.due for m in rows]
        alt = (
            f"Timeline of {len(rows)} milestones due {iso(min(dates))} to {iso(max(dates))}."
            if rows
            else "A chart with no milestones."
        )
        parts = [
            heading(plan.titles[page], "="),
            intro_text(plan, page, role) + "\n",
            heading("Schedule", "-"),
            ".. mermaid::\n"
            f"   :caption: Level 2 milestones of stream {p + 1}.\n"
            f"   :name: fig-{page}\n"
            f"   :alt: {alt}\n\n" + "".join(f"   {line}\n" for line in chart.splitlines()),
            CHART_LEGEND + "\n",
            heading("Releases", "-"),
        ]
        for m in rows:
            section = [heading(section_title(m), "^"), due_phrase(m) + ".\n"]
            features = contributions(catalog, m)
            if features:
                section.append(
                    "\n".join(
                        f"- {_ref(plan, f.code)}: {f.name} ({due_phrase(f)})" for f in features
                    )
                    + "\n"
                )
            else:
                section.append(NO_FEATURES + "\n")
            parts.append("\n".join(section))
        (root / f"{page}.rst").write_text("\n".join(parts), encoding="utf-8")

    entries = [heading("Milestone catalogue", "=")]
    for m in sorted(plan.milestones, key=by_code):
        entries.append(catalogue_entry_rst(plan, m))
    (root / "catalogue.rst").write_text("\n".join(entries), encoding="utf-8")
    (root / "acronyms.rst").write_text(acronym_table_rst(plan), encoding="utf-8")


def _links(plan: Plan, codes: Iterable[str]) -> str:
    return ", ".join(_ref(plan, c) for c in codes) or "\N{EM DASH}"


def catalogue_entry_rst(plan: Plan, m: Milestone) -> str:
    catalog = plan.catalog
    fields: list[tuple[str, str]] = []
    if m.short_name:
        fields.append(("Short name", m.short_name))
    fields.append(("Level", str(m.level)))
    fields.append(("Due", iso(m.due)))
    if m.baseline:
        fields.append(("Baseline", iso(m.baseline)))
    fields.append(("Completed", iso(m.completed) if m.completed else "not completed"))
    fields.append(("Status", f"{status(m, TODAY).label} (as of {iso(TODAY)})"))
    if m.wbs:
        fields.append(("WBS", m.wbs))
    if m.jira:
        fields.append(("Jira", f"`{m.jira} <{JIRA_URL.format(key=m.jira)}>`__"))
    if m.test_spec:
        fields.append(("Test specification", m.test_spec))
    fields.append(("Predecessors", _links(plan, m.predecessors)))
    fields.append(("Successors", _links(plan, catalog.successors.get(m.code, ()))))
    if m.level != 2:
        fed = [f.code for f in fed_milestones(catalog, m, level=2)]
        fields.append(("Feeds level 2", _links(plan, fed)))
    body = "".join(f"   :{name}: {value}\n" for name, value in fields)
    if m.description:
        body += f"\n   {m.description}\n"
    return (
        f".. index:: single: {m.code} (milestone)\n\n"
        f".. _{anchor(m.code)}:\n\n"
        f".. describe:: {m.code} \N{EM DASH} {m.name}\n\n" + body
    )


# -- P: sphinx-needs (the peer) ---------------------------------------------------------


def write_p(plan: Plan, root: Path, needgantt: bool) -> None:
    root.mkdir(parents=True)
    catalog = plan.catalog
    extensions = ["sphinx_needs"] + (["sphinxcontrib.plantuml"] if needgantt else [])
    fields = ["level", "due", "baseline", "completed", "short_name", "wbs", "test_spec", "jira"]
    needs_fields = {name: {"schema": {"type": "string"}} for name in fields}
    # needgantt needs numeric duration and completion fields, even for milestones.
    needs_fields["duration"] = {"schema": {"type": "integer"}}
    needs_fields["completion"] = {"schema": {"type": "integer"}}
    (root / "conf.py").write_text(
        COMMON_CONF.format(n=plan.n)
        + f"extensions = {extensions!r}\n"
        + "needs_types = [dict(directive='ms', title='Milestone', prefix='MS-', "
        "color='#BFD8D2', style='node')]\n"
        + f"needs_fields = {needs_fields!r}\n"
        # Level 2 -> level 2 predecessors are schedule links (the Gantt's constraints);
        # predecessors at a deeper level are the functionality a release delivers.
        + "needs_links = {'follows': {'incoming': 'is followed by', 'outgoing': 'follows'}}\n"
        + "needs_id_regex = r'^[A-Z][A-Za-z0-9_-]*$'\n"
        + "needs_id_required = True\n"
        + "plantuml_output_format = 'svg'\n",
        encoding="utf-8",
    )
    (root / "index.rst").write_text(index_rst(plan, "Release plan (sphinx-needs)"))

    def role(code: str, text: str | None) -> str:
        return f":need:`{text} <{code}>`" if text else f":need:`{code}`"

    for p, page in enumerate(plan.pages):
        prefix = plan.prefixes[page]
        rows = page_milestones(plan, page)
        selection = f'level == "2" and id.startswith("{prefix}")'
        parts = [
            heading(plan.titles[page], "="),
            intro_text(plan, page, role) + "\n",
            heading("Schedule", "-"),
        ]
        if needgantt:
            start = min(m.due for m in rows) if rows else TODAY
            parts.append(
                f".. needgantt:: Level 2 milestones of stream {p + 1}.\n"
                f"   :filter: {selection}\n"
                "   :milestone_filter: True\n"
                "   :starts_after_links: follows\n"
                f"   :start_date: {iso(start)}\n"
            )
        parts.append(
            ".. needtable::\n"
            f"   :filter: {selection}\n"
            "   :columns: id;title;due;status;outgoing\n"
            "   :sort: due\n"
        )
        parts.append(CHART_LEGEND + "\n")
        parts.append(heading("Releases", "-"))
        for m in rows:
            section = [heading(section_title(m), "^"), due_phrase(m) + ".\n"]
            features = contributions(catalog, m)
            if features:
                section.append(
                    "\n".join(
                        f"- :need:`{f.code} <{f.code}>`: {f.name} ({due_phrase(f)})"
                        for f in features
                    )
                    + "\n"
                )
            else:
                section.append(NO_FEATURES + "\n")
            parts.append("\n".join(section))
        (root / f"{page}.rst").write_text("\n".join(parts), encoding="utf-8")

    needs = [heading("Milestone catalogue", "=")]
    for m in sorted(plan.milestones, key=by_code):
        level = catalog.milestones
        same = [c for c in m.predecessors if m.level == 2 and level[c].level == 2]
        options = {
            "id": m.code,
            "status": status(m, TODAY).value,
            "links": ", ".join(c for c in m.predecessors if c not in same),
            "follows": ", ".join(same),
            "level": str(m.level),
            "due": iso(m.due),
            "baseline": iso(m.baseline),
            "completed": iso(m.completed),
            "short_name": m.short_name,
            "wbs": m.wbs,
            "test_spec": m.test_spec,
            "jira": m.jira,
        }
        text = f".. ms:: {m.name}\n" + "".join(
            f"   :{key}: {value}\n" for key, value in options.items() if value
        )
        if m.description:
            text += f"\n   {m.description}\n"
        needs.append(text)
    (root / "catalogue.rst").write_text("\n".join(needs), encoding="utf-8")
    (root / "acronyms.rst").write_text(acronym_table_rst(plan), encoding="utf-8")


# -- incremental edits (used by run.py) -------------------------------------------------


def edited_plan(plan: Plan, revision: int) -> tuple[Plan, str]:
    """The plan with one level-3 milestone edited (name and due date): which one, and the
    plan. Always the same milestone, a feature of the middle release of stream 1."""
    target = _middle_feature(plan)
    milestones = [
        replace(
            m,
            name=f"{m.name.split(' (rev')[0]} (rev {revision})",
            due=m.due - datetime.timedelta(days=revision),
        )
        if m.code == target
        else m
        for m in plan.milestones
    ]
    return _with(plan, milestones), target


def moved_plan(plan: Plan, code: str, days: int) -> Plan:
    """The plan with milestone ``code`` due ``days`` earlier, nothing else changed."""
    milestones = [
        replace(m, due=m.due - datetime.timedelta(days=days)) if m.code == code else m
        for m in plan.milestones
    ]
    return _with(plan, milestones)


def added_plan(plan: Plan, count: int) -> tuple[Plan, str, str]:
    """The plan with ``count`` new level-3 milestones feeding the middle release of
    stream 1: the code of the last one added, and of the release."""
    release = _middle_release(plan)
    new = [
        Milestone(
            code=f"DM-QA-{9000 + i}",
            name=f"Added verification step {i}",
            level=3,
            due=release.due - datetime.timedelta(days=30 + i),
            wbs=f"1.02C.99.{i:02d}",
            description=f"An added milestone (number {i}) feeding {release.code}.",
        )
        for i in range(1, count + 1)
    ]
    milestones = [
        replace(m, predecessors=m.predecessors + tuple(x.code for x in new))
        if m.code == release.code
        else m
        for m in plan.milestones
    ] + new
    return _with(plan, milestones), new[-1].code, release.code


def _middle_release(plan: Plan) -> Milestone:
    rows = page_milestones(plan, plan.pages[0])
    return rows[len(rows) // 2]


def _middle_feature(plan: Plan) -> str:
    release = _middle_release(plan)
    features = contributions(plan.catalog, release) or [m for m in plan.milestones if m.level == 3]
    return features[0].code


def _with(plan: Plan, milestones: list[Milestone]) -> Plan:
    return Plan(
        n=plan.n,
        seed=plan.seed,
        milestones=milestones,
        pages=plan.pages,
        page_of=plan.page_of,
        titles=plan.titles,
        prefixes=plan.prefixes,
        mentions=plan.mentions,
    )


def generate(n: int, outdir: Path, seed: int = 564, needgantt: bool = True) -> Plan:
    """Write A, F and P for ``n`` milestones under ``outdir`` (replaced if present)."""
    if outdir.exists():
        shutil.rmtree(outdir)
    plan = make_plan(n, seed)
    write_a(plan, outdir / "A")
    write_f(plan, outdir / "F")
    write_p(plan, outdir / "P", needgantt)
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of milestones")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=564)
    parser.add_argument("--no-gantt", action="store_true", help="P without needgantt")
    args = parser.parse_args()
    plan = generate(args.n, args.outdir, args.seed, not args.no_gantt)
    levels = [m.level for m in plan.milestones]
    print(
        f"{args.outdir}: {len(levels)} milestones ({levels.count(2)} level 2, "
        f"{levels.count(3)} level 3) on {len(plan.pages)} pages"
    )


if __name__ == "__main__":
    main()
