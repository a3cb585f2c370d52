"""The guide (docs/) builds with -W -n, every internal link in it resolves, and it documents
everything the extension registers or can warn about.

The lists to compare come from the code, not from this file: the directives, their
options and the roles from what ``setup()`` registers (recorded by a stand-in
application), the configuration values from ``add_config_value`` calls, and the warning
subtypes from the package's source (``ast``: every ``Problem(...)``, every call of a
function with a ``subtype`` parameter, every ``subtype=`` keyword). What is documented
comes from the built guide's objects: ``rst:directive``, ``rst:directive:option``,
``rst:role``, ``confval`` and the guide's own ``warning-subtype``.
"""

from __future__ import annotations

import ast
import html
import importlib
import inspect
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.testing.util import SphinxTestApp

import sphinxext_ldm
from sphinxext_ldm.directives.options import FILTER_OPTIONS
from tests.conftest import REPO

DOCS = REPO / "docs"
PACKAGE = Path(sphinxext_ldm.__file__).parent


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    """The guide built once to HTML, nitpicky, as `nox -s guide` builds it: from docs/
    itself (it includes the package's JSON Schema from beside it), into a temporary
    directory."""
    app = SphinxTestApp(
        "html",
        srcdir=DOCS,
        builddir=tmp_path_factory.mktemp("guide"),
        confoverrides={"nitpicky": True},
        warning=StringIO(),
    )
    try:
        app.build()
    finally:
        app.cleanup()
    yield app


def test_builds_without_warnings(guide: SphinxTestApp) -> None:
    assert guide.statuscode == 0
    assert guide.warning.getvalue() == ""  # type: ignore[attr-defined]


# --- links -------------------------------------------------------------------------


def internal_links(page: Path, soup: BeautifulSoup) -> Iterator[str]:
    """Every address on the page that should point into the site: hrefs and srcs of
    elements, and the links of Mermaid charts (``click ID href "URL"``)."""
    for tag in soup.find_all(href=True):
        yield str(tag["href"])
    for tag in soup.find_all(src=True):
        yield str(tag["src"])
    for chart in soup.find_all(class_="mermaid"):
        yield from re.findall(r'click \S+ href "([^"]*)"', html.unescape(chart.get_text()))


def test_internal_links_resolve(guide: SphinxTestApp) -> None:
    outdir = Path(guide.outdir)
    # Pages, not the theme's templates that it copies to _static.
    pages = sorted(p for p in outdir.rglob("*.html") if "_static" not in p.parts)
    soups = {page: BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser") for page in pages}
    ids = {page: {str(tag["id"]) for tag in soup.find_all(id=True)} for page, soup in soups.items()}
    broken = []
    checked = 0
    for page, soup in soups.items():
        for link in internal_links(page, soup):
            parts = urlsplit(link)
            if not link or parts.scheme or parts.netloc:
                continue  # other sites (checked by no test: the build is offline)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            where = f"{page.relative_to(outdir)}: {link}"
            checked += 1
            if not target.is_file():
                broken.append(f"{where} (no file)")
            elif parts.fragment and target.suffix == ".html":
                if target not in ids:
                    broken.append(f"{where} (outside the site)")
                elif unquote(parts.fragment) not in ids[target]:
                    broken.append(f"{where} (no anchor)")
    assert not broken, "\n".join(broken)
    # The check saw the site: pages, the catalogue's entries, the charts' links.
    assert len(pages) > 20
    assert checked > 1000


# --- what the code has and what the guide documents ---------------------------------


class Recorder:
    """A stand-in application for ``setup()``: every call is recorded with its arguments
    by name, as the real method's signature binds them; extensions of this package set up
    through it are followed."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> Any:
            signature = inspect.signature(getattr(Sphinx, name))
            arguments = signature.bind(self, *args, **kwargs).arguments
            self.calls.append((name, arguments))
            if name == "setup_extension" and arguments["extname"].startswith("sphinxext_ldm."):
                importlib.import_module(arguments["extname"]).setup(self)

        return record

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        return [arguments for name, arguments in self.calls if name == method]


@pytest.fixture(scope="module")
def registered() -> Recorder:
    recorder = Recorder()
    sphinxext_ldm.setup(recorder)  # type: ignore[arg-type]
    return recorder


def documented(guide: SphinxTestApp, domain: str, objtype: str) -> set[str]:
    objects = guide.env.domains[domain].objects  # type: ignore[attr-defined]
    return {name for kind, name in objects if kind == objtype}


def test_every_directive_and_option_is_documented(
    guide: SphinxTestApp, registered: Recorder
) -> None:
    directives = {call["name"]: call["cls"] for call in registered.calls_of("add_directive")}
    for call in registered.calls_of("add_domain"):
        domain = call["domain"]
        directives.update({f"{domain.name}:{n}": d for n, d in domain.directives.items()})
    assert "ldm-timeline" in directives
    documented_directives = documented(guide, "rst", "directive")
    options = documented(guide, "rst", "directive:option")
    missing = sorted(set(directives) - documented_directives)
    # Shared filter options are documented once, outside any directive.
    for name, directive in directives.items():
        for option in directive.option_spec or {}:
            shared = option in FILTER_OPTIONS and option in options
            if f"{name}:{option}" not in options and not shared:
                missing.append(f"{name} :{option}:")
    assert not missing, f"not documented in docs/: {missing}"


def test_every_role_is_documented(guide: SphinxTestApp, registered: Recorder) -> None:
    roles = {call["name"] for call in registered.calls_of("add_role")}
    roles.update(f"{c['domain']}:{c['name']}" for c in registered.calls_of("add_role_to_domain"))
    for call in registered.calls_of("add_domain"):
        roles.update(f"{call['domain'].name}:{role}" for role in call["domain"].roles)
    assert "ldm:ms" in roles
    assert sorted(roles - documented(guide, "rst", "role")) == []


def test_every_config_value_is_documented(guide: SphinxTestApp, registered: Recorder) -> None:
    values = {call["name"] for call in registered.calls_of("add_config_value")}
    assert "ldm_milestones_path" in values
    assert sorted(values - documented(guide, "std", "confval")) == []


def subtypes_in_source(package: Path = PACKAGE) -> dict[str, str]:
    """Every warning subtype the package can emit, with one place that emits it: the
    string given as ``subtype`` to ``Problem(...)``, to a function or method of the
    package that takes a ``subtype`` parameter, or as a ``subtype=`` keyword. A name
    defined in the calling module (without such a parameter) is that module's own."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in package.rglob("*.py")}
    # Where the subtype sits among a call's positional arguments, by the called name.
    anywhere: dict[str, int] = {"Problem": 0}
    local: dict[Path, dict[str, int | None]] = {}
    for path, tree in trees.items():
        local[path] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and path.name != "problems.py":
                local[path][node.name] = None  # another class of that name
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if names and names[0] in ("self", "cls"):
                    names = names[1:]
                index = names.index("subtype") if "subtype" in names else None
                local[path][node.name] = index
                if index is not None:
                    anywhere[node.name] = index
    found: dict[str, str] = {}
    for path, tree in trees.items():
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            values = [kw.value for kw in call.keywords if kw.arg == "subtype"]
            index = local[path][name] if name in local[path] else anywhere.get(name)
            if index is not None and index < len(call.args):
                values.append(call.args[index])
            for subtype in (s for value in values for s in string_constants(value)):
                found.setdefault(subtype, f"{path.relative_to(package.parent)}:{call.lineno}")
    return found


def string_constants(node: ast.expr) -> list[str]:
    """A string constant, or those of each branch of a conditional expression; a name
    or an f-string passes a subtype through, or is a message."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return string_constants(node.body) + string_constants(node.orelse)
    return []


def test_subtypes_are_found_in_the_source() -> None:
    """The collector finds subtypes of every kind of emitting call, and nothing else."""
    subtypes = subtypes_in_source()
    for subtype in ("file", "bad-date", "option", "acronym.undefined", "duplicate-entry"):
        assert subtype in subtypes
    assert all(re.fullmatch(r"[a-z]+([.-][a-z]+)*", s) for s in subtypes), sorted(subtypes)


def test_every_warning_subtype_is_documented(guide: SphinxTestApp) -> None:
    names = documented(guide, "std", "warning-subtype")
    missing = [
        f"{subtype} (emitted at {where})"
        for subtype, where in sorted(subtypes_in_source().items())
        if f"ldm.{subtype}" not in names and subtype not in names
    ]
    assert not missing, f"not documented in docs/warnings.rst: {missing}"
