"""The extension's configuration values, declared with their types, and their reading."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any, Literal, NamedTuple

from sphinx.application import Sphinx
from sphinx.config import ENUM, Config

from sphinxext_ldm.problems import Problem

NO_FEATURES_TEXT = (
    "No new functionality is associated with this milestone, which represents a "
    "refined or improved version of earlier deliveries."
)


class ConfigValue(NamedTuple):
    name: str
    default: Any
    rebuild: Literal["", "env", "html"]
    types: tuple[type, ...] | ENUM
    description: str


CONFIG_VALUES = (
    ConfigValue(
        "ldm_milestones_path",
        None,
        "env",
        (str, type(None)),
        "Milestone YAML file, relative to the configuration directory.",
    ),
    # Not "env": a new day must not re-read every page, only those showing status.
    ConfigValue(
        "ldm_history_path",
        None,
        "env",
        (str, type(None)),
        "A directory of snapshots (milestone data files with a top-level as_of: date), "
        "relative to the configuration directory: the schedule's history, with the "
        "current data as its newest point.",
    ),
    ConfigValue(
        "ldm_today",
        None,
        "",
        (str, datetime.date, type(None)),
        "The 'as of' date for milestone status; default: SOURCE_DATE_EPOCH or today.",
    ),
    ConfigValue(
        "ldm_reference_format",
        "{name}",
        "env",
        (str,),
        "Text of a :ldm:ms: link without explicit title; fields {code} and {name}.",
    ),
    ConfigValue(
        "ldm_no_features_text",
        NO_FEATURES_TEXT,
        "env",
        (str,),
        "Sentence shown in a release section with no contributing milestones.",
    ),
    ConfigValue(
        "ldm_jira_url",
        "https://rubinobs.atlassian.net/browse/{key}",
        "env",
        (str, type(None)),
        "Link for a milestone's jira key; None for no link.",
    ),
    ConfigValue(
        "ldm_acronyms_path",
        None,
        "",
        (str, list, tuple, type(None)),
        "Acronym definitions: a YAML file or lsst-texmf glossarydefs.csv, or a list of "
        "them (later files override earlier ones), relative to the configuration directory.",
    ),
    ConfigValue(
        "ldm_acronym_tags",
        [],
        "html",
        (list, tuple),
        "Preferred subsystem tags, in order, for terms with several definitions.",
    ),
    ConfigValue(
        "ldm_acronym_skip",
        [],
        "html",
        (list, tuple),
        "Terms never listed nor reported as undefined.",
    ),
    ConfigValue(
        "ldm_acronym_links",
        "first",
        "html",
        ENUM("first", "all", "off"),
        "Which defined acronyms in body text get a hover definition and a link to their "
        "table entry: the first on each page, all, or none.",
    ),
    ConfigValue(
        "ldm_edit_url",
        None,
        "env",
        (str, type(None)),
        "Where to view the milestone data on the web, with {line}: each catalogue entry "
        "links to its line, e.g. 'https://github.com/ORG/REPO/blob/main/data/"
        "milestones.yaml#L{line}'.",
    ),
    ConfigValue(
        "ldm_mermaid_dist",
        None,
        "html",
        (str, type(None)),
        "The dist folder of the npm package mermaid, to serve Mermaid JS locally "
        "(offline); also read from the LDM_MERMAID_DIST environment variable.",
    ),
    ConfigValue(
        "ldm_mermaid_builders",
        [],
        "env",
        (list, tuple),
        "Non-HTML builders that get Mermaid charts (rendered by sphinxcontrib-mermaid's "
        "mermaid-cli) instead of fallback tables.",
    ),
    ConfigValue(
        "ldm_timeline_renderer",
        "mermaid",
        "env",
        ENUM("mermaid", "svg"),
        "How HTML pages draw ldm-timeline charts unless :renderer: says otherwise: "
        "'mermaid' (Mermaid JS in the browser) or 'svg' (an SVG drawn at build time, no "
        "JavaScript).",
    ),
    ConfigValue(
        "ldm_latex_subject",
        None,
        "",
        (str, type(None)),
        "The PDF's Subject (its document information, with Title and Author from "
        "latex_documents); default: project.",
    ),
    ConfigValue(
        "ldm_latex_fallback_fonts",
        [],
        "",
        (list, tuple),
        "LuaLaTeX: fonts for the characters the document's fonts lack, in order of "
        "preference. Those that luaotfload finds on the machine become the fallback chain "
        "'ldmfallback' (fontspec: RawFeature={fallback=ldmfallback}); each missing one is "
        "a warning ldm.font naming the package to install.",
    ),
    ConfigValue(
        "ldm_exports",
        True,
        "html",
        (bool,),
        "Write milestones.json, milestones.csv and milestones.ics next to the HTML.",
    ),
    ConfigValue(
        "ldm_ics_filter",
        None,
        "html",
        (dict, type(None)),
        "The milestones in milestones.ics: a dict with keys levels, prefixes, codes, "
        'status, as the directives\' filter options, e.g. {"levels": [2]}; None for all.',
    ),
)


def add_config_values(app: Sphinx) -> None:
    for value in CONFIG_VALUES:
        app.add_config_value(
            value.name,
            value.default,
            value.rebuild,
            value.types,
            description=value.description,
        )


def acronym_paths(app: Sphinx) -> list[Path]:
    return configured_acronym_paths(app.confdir, app.config)


def milestones_path(app: Sphinx) -> Path | None:
    return in_confdir(app.confdir, app.config.ldm_milestones_path)


def history_path(app: Sphinx) -> Path | None:
    return in_confdir(app.confdir, app.config.ldm_history_path)


def data_paths(confdir: str | os.PathLike[str], config: Config) -> list[Path]:
    """Every data file and directory the configuration names, resolved as the build
    resolves them (a live preview watches them)."""
    paths = [
        in_confdir(confdir, config.ldm_milestones_path),
        in_confdir(confdir, config.ldm_history_path),
        *configured_acronym_paths(confdir, config),
    ]
    return [path for path in paths if path is not None]


def configured_acronym_paths(confdir: str | os.PathLike[str], config: Config) -> list[Path]:
    configured = config.ldm_acronyms_path
    if not configured:
        return []
    if isinstance(configured, str):
        configured = [configured]
    return [Path(confdir, path) for path in configured]


def in_confdir(confdir: str | os.PathLike[str], configured: str | None) -> Path | None:
    """A configured path, relative to the configuration directory; None if not set."""
    if not configured:
        return None
    return Path(confdir, configured)


def today(config: Config) -> tuple[datetime.date, Problem | None]:
    """``ldm_today`` as a date, with a problem if it is not one."""
    value = config.ldm_today
    if isinstance(value, datetime.date):
        return (value.date() if isinstance(value, datetime.datetime) else value), None
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()), None
        except ValueError:
            problem = Problem("config", f"ldm_today is not a date (YYYY-MM-DD): {value!r}")
            return build_date(), problem
    return build_date(), None


def build_date() -> datetime.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.date.today()


#: Format strings in the configuration, and the fields each may use.
FORMAT_FIELDS = {
    "ldm_reference_format": ("code", "name"),
    "ldm_jira_url": ("key",),
    "ldm_edit_url": ("line",),
}


def check_formats(config: Config) -> list[Problem]:
    """Reset format strings that name unknown fields to their defaults, with a problem each
    (a typo must not stop the build with a traceback when the first link is made)."""
    problems = []
    defaults = {value.name: value.default for value in CONFIG_VALUES}
    for name, fields in FORMAT_FIELDS.items():
        template = getattr(config, name)
        if template is None:
            continue
        try:
            str(template).format(**dict.fromkeys(fields, ""))
        except (KeyError, IndexError, ValueError) as exc:
            allowed = ", ".join("{" + f + "}" for f in fields)
            problems.append(
                Problem(
                    "config",
                    f"{name} = {template!r} cannot be used ({exc.__class__.__name__}: {exc}); "
                    f"it may use {allowed}. Using the default {defaults[name]!r}",
                )
            )
            setattr(config, name, defaults[name])
    return problems


def config_location(confdir: str | os.PathLike[str], name: str) -> str:
    """``conf.py:line`` of the line that sets ``name``, for a warning about its value
    (line 0 when it is not set there, e.g. set with ``-D``)."""
    path = Path(confdir, "conf.py")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    line = next((n for n, text in enumerate(lines, 1) if text.startswith(name)), 0)
    return f"{path}:{line}"
