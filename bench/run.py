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

TARGETS = {
    "af_time": 1.25,  # A/F wall time at the largest size
    "af_mem": 1.3,  # A/F peak RSS at the largest size
    "pa_speed": 2.0,  # P/A wall time: A at least 2x faster
    "growth": 11.0,  # A(10,000)/A(1,000) wall time
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


def report(results: dict, args: argparse.Namespace, info: dict, started: float) -> str:
    sizes = sorted(results, key=int)
    lines = [
        "# sphinxext-ldm benchmark results",
        "",
        f"Written by `bench/run.py` on {datetime.date.today().isoformat()} "
        f"({(time.time() - started) / 60:.0f} min). Medians of the runs, with min-max in "
        "brackets; every build is `python -m sphinx -b html -q SRC OUT` into a fresh output "
        "directory, the variants interleaved run by run. Peak RSS is the build process's "
        "`ru_maxrss` from `os.wait4` (for P, the larger of Sphinx and PlantUML's JVM). "
        "See bench/README.md for what A, F and P contain.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in info["machine"].items()),
        f"| PlantUML (needgantt) | {info['gantt']} |",
        "",
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
    lines += [
        f"## Targets (N = {int(largest):,}, ratios from the same run)",
        "",
        "| target | wanted | measured | status |",
        "|---|---|---|---|",
        *(f"| {name} | {want} | {got} | {status_word(ok)} |" for name, want, got, ok in rows),
        "",
        "## Repeat",
        "",
        "```sh",
        "nox -s bench" + (f" -- {' '.join(args.argv)}" if args.argv else ""),
        "# or, in an environment with the packages above:",
        f"python bench/run.py {' '.join(args.argv)}".rstrip(),
        "# one variant by hand:",
        "python bench/generate.py 10000 /tmp/ldm-bench/10000",
        "python -m sphinx -b html -q /tmp/ldm-bench/10000/A /tmp/ldm-bench/10000/out-A",
        "```",
        "",
    ]
    return "\n".join(lines)


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
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    started = time.time()
    gantt, gantt_info = (False, "not used (--no-gantt)") if args.no_gantt else gantt_available()
    info = {"machine": machine(), "gantt": gantt_info if gantt else f"not measured: {gantt_info}"}
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
        text = report(results, args, info, started)
        args.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
