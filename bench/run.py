"""The sphinxext-ldm benchmark: A (sphinxext-ldm) against F (plain reST) and P (sphinx-needs).

``python bench/run.py [--sizes 100,1000,10000] [--runs 3] [--runs-large 1]`` (or
``nox -s bench -- ...``) generates the projects of bench/generate.py for each size, builds
each variant with ``python -m sphinx -b html -q SRC OUT`` into a fresh output directory,
interleaving the variants run by run, and writes medians, ratios, the incremental cases
and the target status to bench/RESULTS.md (and prints them).

Measurement: each build is a child process started with ``subprocess.Popen`` and reaped
with ``os.wait4``, which returns that child's own resource usage: wall time is
``time.perf_counter()`` around start and reap; peak memory is the child's ``ru_maxrss``
(Linux: the largest resident set of the build process or of any process it waited for,
such as PlantUML's JVM; not their sum).

Incremental cases (A only) run a small driver (``run.py --driver``) that builds with
``sphinx.application.Sphinx`` and records the documents passed to ``env-before-read-docs``
(read) and to ``html-page-context`` (written), timed and measured the same way.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import scaling  # noqa: E402

TARGETS = {
    "af_time": 1.25,  # A/F wall time at the largest size
    "af_mem": 1.3,  # A/F peak RSS at the largest size
    "pa_speed": 2.0,  # P/A wall time: A at least 2x faster
    "growth": 11.0,  # A(10,000)/A(1,000) wall time
    "scan_growth": 20.0,  # acronym scanning, 10x the pairs (linear 10, quadratic 100)
    "import_slack": 1.1,  # the import: at most 1.1x the ratio of the rows
}
VARIANT_NAMES = {
    "A": "A: sphinxext-ldm",
    "F": "F: plain reST (floor)",
    "P": "P: sphinx-needs",
    "P0": "P0: sphinx-needs without needgantt",
}


@dataclass
class Sample:
    wall: float
    rss_mb: float
    returncode: int
    warnings: int
    extra: dict = field(default_factory=dict)


def measure(cmd: list[str], log: Path, timeout: float) -> Sample:
    """Run ``cmd``; its wall time and peak RSS from ``os.wait4``."""
    with open(log, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                status = -9 << 8
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status) if status >= 0 else -9
    text = log.read_text(errors="replace")
    first = next((line for line in text.splitlines() if "WARNING" in line), "")
    return Sample(
        wall=wall,
        rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
        returncode=proc.returncode,
        warnings=text.count("WARNING"),
        extra={"first_warning": first[:300]} if first else {},
    )


def sphinx_build(src: Path, out: Path, log: Path, timeout: float) -> Sample:
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)]
    return measure(cmd, log, timeout)


# -- the incremental driver -------------------------------------------------------------


def driver(src: str, out: str, result: str) -> None:
    """Build ``src`` incrementally into ``out``; write which documents were read/written."""
    from sphinx.application import Sphinx

    read: list[str] = []
    written: list[str] = []
    app = Sphinx(
        src,
        src,
        out,
        os.path.join(out, ".doctrees"),
        "html",
        status=None,
        warning=sys.stderr,
        freshenv=False,
    )
    # Last, so that the list is the one Sphinx reads after every extension's say.
    app.connect("env-before-read-docs", lambda app, env, docs: read.extend(docs), priority=900)
    app.connect("html-page-context", lambda app, page, *args: written.append(page))
    app.build()
    docs = app.env.found_docs
    Path(result).write_text(
        json.dumps(
            {
                "read": sorted(read),
                "written": sorted(p for p in written if p in docs),
                "status": app.statuscode,
            }
        )
    )


def incremental(src: Path, out: Path, logs: Path, timeout: float) -> Sample:
    result = logs / "driver.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--driver",
        str(src),
        str(out),
        str(result),
    ]
    sample = measure(cmd, logs / "driver.log", timeout)
    if result.exists():
        sample.extra = json.loads(result.read_text())
        result.unlink()
    return sample


def incremental_cases(plan, a_src: Path, work: Path, runs: int, timeout: float) -> dict:
    """No change, one level-3 milestone edited (renamed and moved), the same one only
    moved, one milestone added; ``runs`` of each."""
    src, out = work / "src", work / "out"
    for path in (src, out):
        if path.exists():
            shutil.rmtree(path)
    shutil.copytree(a_src, src)
    data = src / "milestones.yaml"
    runs = max(1, runs)
    cases: dict[str, list[Sample]] = {
        "full (driver)": [],
        "no change": [],
        "edit": [],
        "date edit": [],
        "add": [],
    }
    cases["full (driver)"].append(incremental(src, out, work, timeout))
    for _ in range(runs):
        cases["no change"].append(incremental(src, out, work, timeout))
    edited = plan
    for rev in range(1, runs + 1):
        edited, target = generate.edited_plan(plan, rev)
        data.write_text(generate.milestones_yaml(edited.milestones), encoding="utf-8")
        cases["edit"].append(incremental(src, out, work, timeout))
    for _ in range(runs):
        edited = generate.moved_plan(edited, target, 1)
        data.write_text(generate.milestones_yaml(edited.milestones), encoding="utf-8")
        cases["date edit"].append(incremental(src, out, work, timeout))
    for count in range(1, runs + 1):
        added, _, release = generate.added_plan(edited, count)
        data.write_text(generate.milestones_yaml(added.milestones), encoding="utf-8")
        cases["add"].append(incremental(src, out, work, timeout))
    return {
        "cases": cases,
        "edited": target,
        "edited_in": plan.page_of.get(release, "?"),
        "added_to": release,
    }


# -- report -----------------------------------------------------------------------------


def med(samples: list[Sample], attr: str) -> float:
    return statistics.median(getattr(s, attr) for s in samples)


def fmt_range(samples: list[Sample], attr: str, unit: str, digits: int) -> str:
    values = [getattr(s, attr) for s in samples]
    text = f"{statistics.median(values):.{digits}f} {unit}"
    if len(values) > 1:
        text += f" ({min(values):.{digits}f}-{max(values):.{digits}f})"
    return text


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def tool_version(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "not available"
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        mem = "unknown"
    try:
        commit = (
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(HERE.parent),
                    "describe",
                    "--always",
                    "--dirty",
                    "--exclude",
                    "*",
                ],
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout.strip()
            or "unknown"
        )
    except OSError:
        commit = "unknown"
    return {
        "sphinxext-ldm commit": commit,
        "CPU": f"{cpu}, {os.cpu_count()} logical CPUs",
        "Memory": mem,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Sphinx": version("sphinx"),
        "docutils": version("docutils"),
        "sphinxext-ldm": version("sphinxext-ldm"),
        "sphinxcontrib-mermaid": version("sphinxcontrib-mermaid"),
        "sphinx-needs": version("sphinx-needs"),
        "sphinxcontrib-plantuml": version("sphinxcontrib-plantuml"),
    }


def gantt_available() -> tuple[bool, str]:
    if shutil.which("plantuml") is None:
        return False, "no `plantuml` command (Debian: `apt-get install plantuml`, needs Java)"
    try:
        import sphinxcontrib.plantuml  # noqa: F401
    except ImportError:
        return False, "sphinxcontrib-plantuml is not installed"
    return True, tool_version(["plantuml", "-version"])


def status_word(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def intro(started: float) -> list[str]:
    return [
        "# sphinxext-ldm benchmark results",
        "",
        f"Written by `bench/run.py` on {datetime.date.today().isoformat()} "
        f"({(time.time() - started) / 60:.0f} min). Medians of the runs, with min-max in "
        "brackets; every build is `python -m sphinx -b html -q SRC OUT` into a fresh output "
        "directory, the variants interleaved run by run. Peak RSS is the build process's "
        "`ru_maxrss` from `os.wait4` (for P, the larger of Sphinx and PlantUML's JVM). "
        "See bench/README.md for what A, F and P contain.",
        "",
    ]


def machine_section(info: dict) -> list[str]:
    return [
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in info["machine"].items()),
        f"| PlantUML (needgantt) | {info['gantt']} |",
        "",
    ]


def builds_sections(results: dict) -> tuple[list[str], list[str]]:
    """The sections "Full builds" and "Targets"."""
    sizes = sorted(results, key=int)
    lines = [
        "## Full builds",
        "",
    ]
    summary: dict[str, float | None] = {}
    for size in sizes:
        res = results[size]
        full = res["full"]
        lines += [
            f"### N = {int(size):,} milestones ({res['shape']})",
            "",
            "| variant | runs | wall time | peak RSS | warnings | time / A | RSS / A |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        a_time, a_mem = med(full["A"], "wall"), med(full["A"], "rss_mb")
        for variant, samples in full.items():
            failed = [s for s in samples if s.returncode]
            note = f" ({len(failed)} failed)" if failed else ""
            lines.append(
                f"| {VARIANT_NAMES[variant]} | {len(samples)}{note} | "
                f"{fmt_range(samples, 'wall', 's', 1)} | "
                f"{fmt_range(samples, 'rss_mb', 'MiB', 0)} | {max(s.warnings for s in samples)} | "
                f"{med(samples, 'wall') / a_time:.2f} | {med(samples, 'rss_mb') / a_mem:.2f} |"
            )
        ratios = [
            f"A/F wall {a_time / med(full['F'], 'wall'):.2f}",
            f"A/F RSS {a_mem / med(full['F'], 'rss_mb'):.2f}",
        ]
        for peer in ("P", "P0"):
            if peer in full:
                ratios.append(
                    f"A/{peer} wall {a_time / med(full[peer], 'wall'):.2f} "
                    f"({peer} is {med(full[peer], 'wall') / a_time:.1f}x A)"
                )
        lines += ["", "Ratios: " + "; ".join(ratios) + ".", ""]
        for variant, samples in full.items():
            first = next(
                (s.extra["first_warning"] for s in samples if s.extra.get("first_warning")), ""
            )
            if first:
                lines += [f"First warning of {variant}: `{first.replace('`', chr(39))}`", ""]
        if "incremental" in res:
            inc = res["incremental"]
            lines += [
                f"Incremental builds of A (edit: `{inc['edited']}`, a level-3 feature of "
                f"`{inc['added_to']}` on `{inc['edited_in']}`, renamed and moved one day "
                f"earlier per run; date edit: the same milestone moved one more day earlier, "
                f"name unchanged; add: a new level-3 milestone per run, added to the "
                f"predecessors of `{inc['added_to']}`):",
                "",
                "| case | runs | wall time | peak RSS | documents read | documents written |",
                "|---|---:|---:|---:|---|---|",
            ]
            for case, samples in inc["cases"].items():
                read = sorted({len(s.extra.get("read", [])) for s in samples})
                last = samples[-1].extra
                read_docs = (
                    ", ".join(last.get("read", []))
                    if len(last.get("read", [])) <= 4
                    else (f"{len(last['read'])} documents")
                )
                written = last.get("written", [])
                written_docs = (
                    ", ".join(written) if len(written) <= 4 else f"{len(written)} documents"
                )
                lines.append(
                    f"| {case} | {len(samples)} | {fmt_range(samples, 'wall', 's', 1)} | "
                    f"{fmt_range(samples, 'rss_mb', 'MiB', 0)} | "
                    f"{'/'.join(map(str, read))}: {read_docs or '-'} | {written_docs or '-'} |"
                )
            lines.append("")
        summary[size] = a_time
    # Targets, at the largest size measured (10,000 in the full run).
    largest = sizes[-1]
    full = results[largest]["full"]
    a_time, a_mem = med(full["A"], "wall"), med(full["A"], "rss_mb")
    af_time = a_time / med(full["F"], "wall")
    af_mem = a_mem / med(full["F"], "rss_mb")
    rows = [
        (
            "A/F wall time",
            f"<= {TARGETS['af_time']}",
            f"{af_time:.2f}",
            af_time <= TARGETS["af_time"],
        ),
        ("A/F peak RSS", f"<= {TARGETS['af_mem']}", f"{af_mem:.2f}", af_mem <= TARGETS["af_mem"]),
    ]
    for peer in ("P", "P0"):
        if peer in full:
            speed = med(full[peer], "wall") / a_time
            rows.append(
                (
                    f"{peer}/A wall time (A at least 2x faster)",
                    f">= {TARGETS['pa_speed']}",
                    f"{speed:.2f}",
                    speed >= TARGETS["pa_speed"],
                )
            )
    if "1000" in summary and "10000" in summary:
        growth = summary["10000"] / summary["1000"]
        rows.append(
            (
                "A(10,000)/A(1,000) wall time",
                f"<= {TARGETS['growth']}",
                f"{growth:.2f}",
                growth <= TARGETS["growth"],
            )
        )
    else:
        rows.append(
            ("A(10,000)/A(1,000) wall time", f"<= {TARGETS['growth']}", "not measured", None)
        )
    noop = results[largest].get("incremental", {}).get("cases", {}).get("no change", [])
    if noop:
        zero = all(not s.extra.get("read") and s.returncode == 0 for s in noop)
        rows.append(
            ("rebuild with nothing changed reads", "0 documents", "0" if zero else "not 0", zero)
        )
    builds, lines = lines, []
    lines += [
        f"## Targets (N = {int(largest):,}, ratios from the same run)",
        "",
        "| target | wanted | measured | status |",
        "|---|---|---|---|",
        *(f"| {name} | {want} | {got} | {status_word(ok)} |" for name, want, got, ok in rows),
        "",
    ]
    return builds, lines


def repeat_section(args: argparse.Namespace) -> list[str]:
    return [
        "## Repeat",
        "",
        "```sh",
        "nox -s bench" + (f" -- {' '.join(args.argv)}" if args.argv else ""),
        "# or, in an environment with the packages above:",
        f"python bench/run.py {' '.join(args.argv)}".rstrip(),
        "# one kind of case (the other sections of RESULTS.md are kept):",
        "python bench/run.py --cases scan",
        "python bench/run.py --cases import --import-rows 10000,100000,1000000",
        "# one variant by hand:",
        "python bench/generate.py 10000 /tmp/ldm-bench/10000",
        "python -m sphinx -b html -q /tmp/ldm-bench/10000/A /tmp/ldm-bench/10000/out-A",
        "python bench/scaling.py scan 16000 /tmp/ldm-bench/scan-16000",
        "python -m sphinx -b html -q /tmp/ldm-bench/scan-16000 /tmp/ldm-bench/scan-16000/_build",
        "python bench/scaling.py export 1000000 /tmp/ldm-bench/export-1000000.csv",
        "python -m sphinxext_ldm import /tmp/ldm-bench/export-1000000.csv "
        "--into /tmp/ldm-bench/milestones.yaml",
        "```",
        "",
    ]


#: The sections of RESULTS.md, in their order; a run that measures only some kinds of
#: case keeps the other sections as the file has them.
SECTIONS = ("Machine", "Full builds", "Targets", "Acronym scanning", "Import", "Repeat")


def section_key(title: str) -> str:
    return title.removeprefix("## ").split(" (")[0]


def split_sections(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """A RESULTS.md as its intro and its sections by key."""
    head: list[str] = []
    sections: dict[str, list[str]] = {}
    current = head
    for line in text.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(section_key(line), [])
        current.append(line)
    return head, sections


def report(new: dict[str, list[str]], head: list[str] | None, previous: str | None) -> str:
    """RESULTS.md: this run's sections; the others, and the intro when no builds ran,
    as the previous file has them."""
    old_head, old = split_sections(previous) if previous else ([], {})
    lines = list(head if head is not None else old_head)
    for key in SECTIONS:
        part = new.get(key) or old.get(key)
        if part:
            lines += part if part[-1] == "" else [*part, ""]
    return "\n".join(lines)


# -- scaling cases: acronym scanning and the importer ------------------------------------


def scan_cases(args: argparse.Namespace) -> dict:
    """Builds of a page and a description holding 0, N and 10N pairs of terms, with
    hover links on the first use of each term (the default) and on every use."""
    pairs = [0, *(int(p) for p in args.scan_pairs.split(","))]
    root = args.workdir / "scan"
    found: dict[str, dict[int, list[Sample]]] = {}
    for mode in ("first", "all"):
        found[mode] = {p: [] for p in pairs}
        for p in pairs:
            scaling.write_scan(p, root / f"{mode}-{p}", mode)
        for run in range(args.runs):
            for p in pairs:  # interleaved, as the builds are
                src = root / f"{mode}-{p}"
                log = root / f"{mode}-{p}-{run}.log"
                sample = sphinx_build(src, src / "_build", log, args.timeout)
                found[mode][p].append(sample)
                print(
                    f"scan {mode} {p} pairs run {run + 1}/{args.runs}: {sample.wall:.1f} s, "
                    f"{sample.rss_mb:.0f} MiB, rc={sample.returncode}, {sample.warnings} warnings",
                    flush=True,
                )
    return {"pairs": pairs, "modes": found}


def import_cases(args: argparse.Namespace) -> dict:
    """``sphinxext-ldm import`` of generated exports into a new file, then again into
    the file it wrote (a monthly update in which nothing changed)."""
    root = args.workdir / "import"
    root.mkdir(parents=True, exist_ok=True)
    found: dict[str, dict[int, list[Sample]]] = {"new file": {}, "update": {}}
    for rows in (int(r) for r in args.import_rows.split(",")):
        export = root / f"export-{rows}.csv"
        scaling.write_export(rows, export, args.seed)
        into = root / f"milestones-{rows}.yaml"
        cmd = [sys.executable, "-m", "sphinxext_ldm", "import", str(export), "--into", str(into)]
        runs = args.runs if rows < 100_000 else args.runs_large
        for case in found:
            found[case][rows] = []
        for run in range(runs):
            into.unlink(missing_ok=True)
            for case in found:  # the new file, then the update of it
                sample = measure(cmd, root / f"{rows}-{case}-{run}.log", args.timeout)
                found[case][rows].append(sample)
                print(
                    f"import {rows} rows, {case}, run {run + 1}/{runs}: {sample.wall:.1f} s, "
                    f"{sample.rss_mb:.0f} MiB, rc={sample.returncode}",
                    flush=True,
                )
        export.unlink()  # generated again next time: 170 MB at a million rows
        into.unlink(missing_ok=True)
    return {"cases": found}


def provenance(info: dict) -> str:
    m = info["machine"]
    return (
        f"Measured on {datetime.date.today().isoformat()} at commit "
        f"{m['sphinxext-ldm commit']} ({m['CPU']}; Python {m['Python']}, Sphinx {m['Sphinx']})."
    )


def scan_section(scan: dict, info: dict) -> list[str]:
    pairs = scan["pairs"]
    small, large = pairs[1], pairs[-1]
    lines = [
        "## Acronym scanning (time linear in the text and the number of terms)",
        "",
        provenance(info)
        + " A project whose page and one milestone description each hold P pairs of terms "
        "of Rubin's glossary, an acronym-like word and a nonstandard term: the description "
        "as one text (`DM and SQuaRE;`, shown in a catalogue), the page as a paragraph of a "
        "text node per pair (`DM and *SQuaRE*;`), with a project-wide acronym table "
        "(`bench/scaling.py scan`); hover links on the first use of each term on a page "
        '(`ldm_acronym_links = "first"`, the default) or on every use (`"all"`). '
        "Growth is the time over the 0-pair build's, for 10x the pairs: 10 if linear, 100 "
        "if quadratic; the target allows for docutils' own parsing of a paragraph of many "
        "inline nodes (it slices the rest of the paragraph at each one) and the garbage "
        "collector's larger heaps (see bench/README.md).",
        "",
        "| links | pairs | runs | wall time | peak RSS | warnings | time over 0 pairs |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = []
    for mode, by_pairs in scan["modes"].items():
        base = med(by_pairs[0], "wall")
        for p in pairs:
            samples = by_pairs[p]
            lines.append(
                f"| {mode} | {p:,} | {len(samples)} | {fmt_range(samples, 'wall', 's', 1)} | "
                f"{fmt_range(samples, 'rss_mb', 'MiB', 0)} | "
                f"{max(s.warnings for s in samples)} | {med(samples, 'wall') - base:.1f} s |"
            )
        over_small = max(med(by_pairs[small], "wall") - base, 0.05)
        growth = (med(by_pairs[large], "wall") - base) / over_small
        rows.append(
            (
                f"{mode}: time over 0 pairs, {large:,} / {small:,} pairs",
                f"<= {TARGETS['scan_growth']:.0f}",
                f"{growth:.1f}",
                growth <= TARGETS["scan_growth"],
            )
        )
    return [*lines, "", *target_table(rows)]


def import_section(imp: dict, info: dict) -> list[str]:
    cases = imp["cases"]
    sizes = sorted(cases["new file"])
    first, last = sizes[0], sizes[-1]
    lines = [
        "## Import (memory and time linear in the rows)",
        "",
        provenance(info)
        + " `python -m sphinxext_ldm import EXPORT --into FILE` of a generated export in the "
        "2018 CSV layout (`bench/scaling.py export`: links in both lists, links outside the "
        "export, cut cells, completed rows without an actual finish, unknown levels): into a "
        "new file, then again into the file it wrote (the monthly update, nothing changed). "
        f"Ratios to {first:,} rows; ideal: the ratio of the rows.",
        "",
        f"| case | rows | runs | wall time | peak RSS | time / {first:,} | RSS / {first:,} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = []
    for case, by_rows in cases.items():
        t0, m0 = med(by_rows[first], "wall"), med(by_rows[first], "rss_mb")
        for n in sizes:
            samples = by_rows[n]
            failed = [s for s in samples if s.returncode]
            note = f" ({len(failed)} failed)" if failed else ""
            lines.append(
                f"| {case} | {n:,} | {len(samples)}{note} | "
                f"{fmt_range(samples, 'wall', 's', 1)} | "
                f"{fmt_range(samples, 'rss_mb', 'MiB', 0)} | {med(samples, 'wall') / t0:.1f} | "
                f"{med(samples, 'rss_mb') / m0:.1f} |"
            )
        if last == first:
            continue
        ideal = last / first
        # A failed run is no measurement: its target is not met, whatever it took.
        ran = not any(s.returncode for n in (first, last) for s in by_rows[n])
        for what, attr, base in (("wall time", "wall", t0), ("peak RSS", "rss_mb", m0)):
            ratio = med(by_rows[last], attr) / base
            rows.append(
                (
                    f"{case}: {what}, {last:,} / {first:,} rows",
                    f"<= {ideal * TARGETS['import_slack']:,.0f} (ideal {ideal:,.0f})",
                    f"{ratio:.1f}" if ran else f"{ratio:.1f} (a run failed)",
                    ran and ratio <= ideal * TARGETS["import_slack"],
                )
            )
    return [*lines, "", *target_table(rows)]


def target_table(rows: list[tuple[str, str, str, bool | None]]) -> list[str]:
    if not rows:
        return []
    return [
        "| target | wanted | measured | status |",
        "|---|---|---|---|",
        *(f"| {name} | {want} | {got} | {status_word(ok)} |" for name, want, got, ok in rows),
        "",
    ]


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--driver":
        driver(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated N")
    parser.add_argument("--runs", type=int, default=3, help="runs per variant (default 3)")
    parser.add_argument(
        "--runs-large", type=int, default=1, help="runs per variant for N >= 10,000 (default 1)"
    )
    parser.add_argument(
        "--incremental-runs",
        type=int,
        default=None,
        help="runs per incremental case (default: as --runs / --runs-large)",
    )
    parser.add_argument("--no-gantt", action="store_true", help="P without needgantt")
    parser.add_argument(
        "--no-p0", action="store_true", help="do not also build P without needgantt when P has it"
    )
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument("--seed", type=int, default=564)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per build")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sphinxext-ldm-bench"
    )
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--cases",
        default="builds,scan,import",
        help="what to measure: builds (A, F and P at --sizes), scan (acronym scanning at "
        "--scan-pairs), import (sphinxext-ldm import at --import-rows); the sections of "
        "RESULTS.md not measured are kept as they are (default: all three)",
    )
    parser.add_argument(
        "--scan-pairs", default="1600,16000", help="pairs of terms: N,10N (default 1600,16000)"
    )
    parser.add_argument(
        "--import-rows",
        default="10000,100000,1000000",
        help="export rows, the first the base of the ratios (default 10000,100000,1000000)",
    )
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    cases = set(args.cases.split(","))
    started = time.time()
    info = {"machine": machine(), "gantt": "not measured"}
    previous = args.output.read_text() if args.output.exists() else None
    new: dict[str, list[str]] = {"Repeat": repeat_section(args)}
    head = None
    args.workdir.mkdir(parents=True, exist_ok=True)
    if "builds" in cases:
        head = run_builds(args, info, started, new, previous)
    if "scan" in cases:
        new["Acronym scanning"] = scan_section(scan_cases(args), info)
        args.output.write_text(report(new, head, previous))
    if "import" in cases:
        new["Import"] = import_section(import_cases(args), info)
        args.output.write_text(report(new, head, previous))
    text = report(new, head, previous)
    args.output.write_text(text)
    print(text)


def run_builds(
    args: argparse.Namespace,
    info: dict,
    started: float,
    new: dict[str, list[str]],
    previous: str | None,
) -> list[str]:
    """A, F and P at each size: "Machine", "Full builds" and "Targets" into ``new``; the
    intro of RESULTS.md."""
    gantt, gantt_info = (False, "not used (--no-gantt)") if args.no_gantt else gantt_available()
    info["gantt"] = gantt_info if gantt else f"not measured: {gantt_info}"
    variants = ["A", "F", "P"] + (["P0"] if gantt and not args.no_p0 else [])
    results: dict[str, dict] = {}
    raw = args.workdir / "results.json"
    for n in [int(s) for s in args.sizes.split(",")]:
        runs = args.runs_large if n >= 10000 else args.runs
        root = args.workdir / str(n)
        if root.exists():
            shutil.rmtree(root)
        plan = generate.make_plan(n, args.seed)
        generate.write_a(plan, root / "A")
        generate.write_f(plan, root / "F")
        generate.write_p(plan, root / "P", gantt)
        if "P0" in variants:
            generate.write_p(plan, root / "P0", False)
        levels = [m.level for m in plan.milestones]
        shape = (
            f"{levels.count(2)} level 2, {levels.count(3)} level 3, {len(plan.pages)} stream pages"
        )
        full: dict[str, list[Sample]] = {v: [] for v in variants}
        for run in range(runs):
            for v in variants:
                log = root / f"{v}-{run}.log"
                sample = sphinx_build(root / v, root / f"out-{v}", log, args.timeout)
                full[v].append(sample)
                print(
                    f"N={n} run {run + 1}/{runs} {v}: {sample.wall:.1f} s, "
                    f"{sample.rss_mb:.0f} MiB, rc={sample.returncode}, "
                    f"{sample.warnings} warnings",
                    flush=True,
                )
        results[str(n)] = {"full": full, "shape": shape}
        if not args.no_incremental:
            inc_runs = args.incremental_runs or runs
            inc = incremental_cases(plan, root / "A", root / "incremental", inc_runs, args.timeout)
            results[str(n)]["incremental"] = inc
            for case, samples in inc["cases"].items():
                for s in samples:
                    print(
                        f"N={n} incremental {case}: {s.wall:.1f} s, {s.rss_mb:.0f} MiB, "
                        f"read {len(s.extra.get('read', []))}: "
                        f"{' '.join(s.extra.get('read', [])[:5])}",
                        flush=True,
                    )
        raw.write_text(json.dumps(results, default=lambda o: o.__dict__, indent=1))
        new["Machine"] = machine_section(info)
        new["Full builds"], new["Targets"] = builds_sections(results)
        args.output.write_text(report(new, intro(started), previous))
    return intro(started)


if __name__ == "__main__":
    main()
