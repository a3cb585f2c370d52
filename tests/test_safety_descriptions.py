"""Milestone descriptions can do no more than the text they are (a sibling of the corpus).

Descriptions come from data files written by many hands; the site is public. Each case
puts one construct a probe used against the published site into a description, builds a
real project (with extensions that make the construct dangerous loaded) and checks the
safe outcome: no host file copied into the site, no code run, no script or redirect in the
page (also in headless Chromium), nothing raw in the LaTeX, and the exact warning, located
in the data file; the rest of the description still renders.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import test_corpus
from tests.browser import CHROMIUM_ARGS, chromium_path, serve
from tests.test_corpus import BuildFn, Built, assert_no_crash, lines

project = test_corpus.project  # the corpus's fixture: one real build per call

#: A file every machine has, outside the project.
HOST_FILE = "/etc/hostname" if Path("/etc/hostname").is_file() else "/etc/passwd"
#: The same file reached from inside the project by climbing out of it.
CLIMB = "../../../../../../../../../.." + HOST_FILE
#: Extensions that give descriptions power if they are let through.
EXTENSIONS = 'extensions += ["sphinx.ext.ifconfig", "sphinx.ext.mathjax", "sphinx.ext.graphviz"]\n'


def data(description: str) -> str:
    """A catalogue of one milestone whose description is ``description`` (line 4 on)."""
    body = "".join(f"      {line}\n" if line else "\n" for line in description.splitlines())
    return (
        "milestones:\n"
        "  - code: D-1\n"
        "    name: Described\n"
        "    description: |\n"
        f"{body}"
        "    due: 2022-01-01\n"
    )


PAGE = lines("Catalogue", "=========", "", ".. ldm-catalogue::")
DESCRIBED = "Before the construct."


def build(project: BuildFn, description: str, builder: str = "html", conf: str = "") -> Built:
    built = project(data(f"{DESCRIBED}\n\n{description}\n\nAfter the construct."), PAGE,
                    builder=builder, conf=EXTENSIONS + conf)  # fmt: skip
    if builder == "html":
        assert_no_crash(built)
    return built


def description_warnings(built: Built) -> list[str]:
    """The ``ldm.description`` warnings, as ``file:line: message``."""
    found = []
    for line in built.warning_text.splitlines():
        if "[ldm.description]" in line:
            found.append(built.local(line.split(" [ldm.description]")[0]).replace(" WARNING:", ""))
    return found


def rest_renders(built: Built) -> None:
    text = built.text()
    assert DESCRIBED in text and "After the construct." in text


# -- files of the host machine ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("construct", "expected"),
    [
        pytest.param(
            f".. figure:: {CLIMB}\n\n   A caption.",
            "m.yaml:7: the directive 'figure' is not allowed; it is left out",
            id="figure",
        ),
        pytest.param(
            f".. |x| image:: {CLIMB}\n\nSee |x|.",
            "m.yaml:7: a substitution definition is not allowed; it is left out",
            id="image-in-substitution",
        ),
        pytest.param(
            f":download:`the file <{CLIMB}>`",
            "m.yaml:7: the role 'download' is not allowed; its text is shown as it is",
            id="download",
        ),
        pytest.param(
            f".. literalinclude:: {HOST_FILE}",
            "m.yaml:7: the directive 'literalinclude' is not allowed; it is left out",
            id="literalinclude",
        ),
        pytest.param(
            f".. csv-table:: x\n   :file: {HOST_FILE}",
            "m.yaml:7: the directive 'csv-table' is not allowed; it is left out",
            id="csv-table-file",
        ),
        pytest.param(
            f".. graphviz:: {HOST_FILE}",
            "m.yaml:7: the directive 'graphviz' is not allowed; it is left out",
            id="graphviz-file",
        ),
    ],
)
def test_host_files_are_not_copied_into_the_site(
    project: BuildFn, construct: str, expected: str
) -> None:
    built = build(project, construct)
    assert description_warnings(built) == [f"{expected} in a milestone description"]
    published = [p for p in built.outdir.rglob("*") if p.is_file()]
    host = Path(HOST_FILE).read_bytes()
    assert not [p for p in published if p.read_bytes() == host]
    assert not (built.outdir / "_images").exists() and not (built.outdir / "_downloads").exists()
    assert host.decode().strip() not in built.page()
    rest_renders(built)


# -- code ---------------------------------------------------------------------------------------


def test_ifconfig_runs_no_code(project: BuildFn, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    construct = f".. ifconfig:: __import__('os').system('touch {marker}') == 0\n\n   Shown?"
    built = build(project, construct)
    assert not marker.exists()
    assert description_warnings(built) == [
        "m.yaml:7: the directive 'ifconfig' is not allowed; it is left out in a milestone "
        "description"
    ]
    assert "Shown?" not in built.text()
    rest_renders(built)


# -- the page, for its readers -------------------------------------------------------------------


def test_meta_refresh_and_title_do_not_reach_the_page(project: BuildFn) -> None:
    construct = (
        ".. meta::\n   :http-equiv=refresh: 0; url=https://evil.example/\n\n.. title:: Hijacked"
    )
    built = build(project, construct)
    soup = built.soup()
    assert soup.select('meta[http-equiv="refresh"]') == []
    assert "evil.example" not in built.page()
    assert soup.title is not None and "Hijacked" not in soup.title.get_text()
    assert description_warnings(built) == [
        "m.yaml:7: the directive 'meta' is not allowed; it is left out in a milestone description",
        "m.yaml:10: the directive 'title' is not allowed; it is left out in a milestone "
        "description",
    ]
    rest_renders(built)


SCRIPT_LINKS = [
    "`click <javascript:alert(1)>`_",
    "`click <JaVaScRiPt:alert(1)>`__",
    "`click <data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>`_",
    "`click <vbscript:msgbox(1)>`_",
    "javascript:alert(1)",  # a standalone URI: docutils knows the scheme
]


@pytest.mark.parametrize("construct", SCRIPT_LINKS)
def test_links_other_than_http_https_mailto_are_text(project: BuildFn, construct: str) -> None:
    built = build(project, construct)
    hrefs = [a.get("href", "") for a in built.soup().find_all("a")]
    assert not [h for h in hrefs if h.split(":")[0].lower() in ("javascript", "data", "vbscript")]
    (warning,) = description_warnings(built)
    assert warning.startswith("m.yaml:7: a link to '")
    assert "is not allowed (only http, https, mailto links); its text is shown" in warning
    rest_renders(built)


def test_targets_in_a_description_do_not_change_the_page(project: BuildFn) -> None:
    """A description cannot redefine the page's own link targets or substitutions."""
    construct = (
        ".. _home: javascript:alert(1)\n\n"
        "__ javascript:alert(2)\n\n"
        ".. |project| replace:: Hijacked\n\n"
        ".. [#] A footnote.\n\n"
        ".. [CIT] A citation."
    )
    page = lines(
        "Catalogue",
        "=========",
        "",
        "Go home_ of |project|.",
        "",
        ".. _home: https://ok.example/",
        ".. |project| replace:: LDM-564",
        "",
        ".. ldm-catalogue::",
    )
    built = project(data(f"{DESCRIBED}\n\n{construct}\n\nAfter the construct."), page,
                    conf=EXTENSIONS)  # fmt: skip
    assert_no_crash(built)
    assert [a["href"] for a in built.soup().find_all("a") if a.get_text() == "home"] == [
        "https://ok.example/"
    ]
    assert "Go home of LDM-564." in built.text()
    assert "Hijacked" not in built.text()
    suffix = " is not allowed; it is left out in a milestone description"
    assert description_warnings(built) == [
        f"m.yaml:7: a hyperlink target{suffix}",
        f"m.yaml:9: an anonymous hyperlink target{suffix}",
        f"m.yaml:11: a substitution definition{suffix}",
        f"m.yaml:13: a footnote{suffix}",
        f"m.yaml:15: a citation{suffix}",
    ]
    assert [w for w in built.warnings if w[1] != "ldm.description"] == []
    rest_renders(built)


# -- the PDF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("construct", "conf"),
    [
        pytest.param(f":math:`\\input{{{HOST_FILE}}}`", "", id="math-role"),
        pytest.param(f".. math::\n\n   \\input{{{HOST_FILE}}}", "", id="math-directive"),
        pytest.param(f".. tabularcolumns:: |p{{\\input{{{HOST_FILE}}}}}|", "", id="tabularcolumns"),
        pytest.param(f"`\\input{{{HOST_FILE}}}`", 'default_role = "math"\n', id="default-role"),
    ],
)
def test_no_raw_latex_reaches_the_pdf(project: BuildFn, construct: str, conf: str) -> None:
    built = build(project, construct, builder="latex", conf=conf)
    (path,) = built.outdir.glob("*.tex")
    tex = path.read_text(encoding="utf-8")
    assert "\\input{" + HOST_FILE not in tex
    assert "Before the construct." in tex and "After the construct." in tex
    if "default_role" not in conf:
        (warning,) = description_warnings(built)
        assert warning.startswith("m.yaml:7: the ")
    else:  # the default role is a title reference in descriptions, without a warning
        assert description_warnings(built) == []
        assert "\\sphinxtitleref{input\\{" + HOST_FILE in tex  # reST's \i is i


# -- what descriptions may do ----------------------------------------------------------------------


def test_allowed_markup_still_renders(project: BuildFn) -> None:
    construct = (
        ".. note::\n\n   A *note* with **strong** and ``code``.\n\n"
        ".. code-block:: python\n\n   print('hi')\n\n"
        ".. list-table::\n\n   * - cell one\n     - cell two\n\n"
        "- a list with a `link <https://example.org/>`_ and mail@example.org\n"
        "- :ldm:ms:`D-1` and H\\ :sub:`2`\\ O"
    )
    built = build(project, construct)
    assert built.warnings == [], built.warning_text
    entry = built.soup().select_one("dl.milestone")
    assert entry is not None
    assert entry.select_one("div.admonition.note") is not None
    assert entry.select_one("div.highlight-python") is not None
    assert [td.get_text(strip=True) for td in entry.select("table td")] == ["cell one", "cell two"]
    hrefs = [a["href"] for a in entry.select("a")]
    assert "https://example.org/" in hrefs and "mailto:mail%40example.org" in hrefs
    assert "#ms-D-1" in hrefs
    assert entry.select_one("sub").get_text() == "2"
    rest_renders(built)


def test_nothing_runs_in_the_browser(project: BuildFn, tmp_path: Path) -> None:
    """Every hostile construct at once, opened and clicked in headless Chromium."""
    playwright = pytest.importorskip("playwright.sync_api")
    construct = "\n\n".join(
        [*SCRIPT_LINKS, ".. raw:: html\n\n   <script>alert(9)</script>",
         ".. meta::\n   :http-equiv=refresh: 0; url=https://evil.example/"]
    )  # fmt: skip
    built = build(project, construct)
    dialogs: list[str] = []
    with serve(built.outdir) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url + "index.html")
        page.wait_for_timeout(300)
        for link in page.locator("dl.milestone a:not(.headerlink)").all():
            link.click(no_wait_after=True)
            page.wait_for_timeout(50)
            page.goto(url + "index.html")
        assert page.url == url + "index.html"
        browser.close()
    assert dialogs == []
