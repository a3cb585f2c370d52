"""The cost of the schedule's history: a project of 400 milestones with 87 monthly
snapshots (the size of Rubin's milestone repository: one export a month since 2018)
against the same project without history.

``python bench/history.py [--runs 3] [--output bench/RESULTS.md]`` (``nox -s bench`` runs
it after bench/run.py and appends its section to RESULTS.md). Variants, built with
``python -m sphinx -b html -q SRC OUT`` and measured as bench/run.py measures (wall time
and peak RSS from ``os.wait4``), taking turns run by run:

- **A**: bench/generate.py's project A at N = 400 (stream pages, catalogue, acronyms);
- **H**: A plus ``ldm_history_path`` (87 snapshots: every catalogue entry shows its
  history) and a page with an ``ldm-trend`` of the level 2 milestones and a slip table.

Each is built into a fresh output directory (full), then again with nothing changed
(no-op: the snapshots come from the environment's cache, nothing is read).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import Sample, measure  # noqa: E402

from sphinxext_ldm.history import Snapshot  # noqa: E402
from sphinxext_ldm.importers.yaml_writer import write_milestones  # noqa: E402

N = 400
SNAPSHOTS = 87
TREND_PAGE = """\
Schedule history
================

.. ldm-trend::
   :levels: 2
   :caption: Milestone trend analysis of the level 2 milestones.

.. ldm-milestone-table::
   :levels: 2
   :sort: moves
   :columns: code, name, first-seen, slip-first, slip-last, moves
"""


def month_end(first: datetime.date, months: int) -> datetime.date:
    year, month = divmod(first.month - 1 + months + 1, 12)
    return datetime.date(first.year + year, month + 1, 1) - datetime.timedelta(days=1)


def snapshots(plan: generate.Plan, directory: Path) -> None:
    """87 monthly reports ending at the plan's today: each milestone's forecast walks
    towards its current due date, a slip of a few days now and then (deterministic)."""
    directory.mkdir()
    rng = random.Random("sphinxext-ldm-bench:history")
    last = generate.TODAY
    first = month_end(last.replace(day=1), -SNAPSHOTS)
    for index in range(SNAPSHOTS):
        as_of = month_end(first, index)
        left = SNAPSHOTS - index  # reports still to come
        shown = []
        for m in plan.milestones:
            earlier = datetime.timedelta(days=left * rng.choice((0, 0, 1, 3)))
            completed = m.completed if m.completed and m.completed <= as_of else None
            shown.append(dataclasses.replace(m, due=m.due - earlier, completed=completed))
        # As `sphinxext-ldm import --snapshot` writes them: what history needs.
        text = write_milestones(Snapshot.of(as_of, shown).milestones(), as_of=as_of)
        (directory / f"{as_of}.yaml").write_text(text, encoding="utf-8")


def projects(work: Path) -> dict[str, Path]:
    plan = generate.make_plan(N)
    a = work / "A"
    generate.write_a(plan, a)
    h = work / "H"
    shutil.copytree(a, h)
    snapshots(plan, h / "history")
    with (h / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('ldm_history_path = "history"\n')
    (h / "history-page.rst").write_text(TREND_PAGE, encoding="utf-8")
    index = h / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + "   history-page\n", encoding="utf-8")
    return {"A": a, "H": h}


def build(src: Path, out: Path, log: Path, fresh: bool) -> Sample:
    if fresh and out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)]
    return measure(cmd, log, timeout=1800)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, help="append the section to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ldm-history-bench-") as tmp:
        work = Path(tmp)
        sources = projects(work)
        full: dict[str, list[Sample]] = {name: [] for name in sources}
        noop: dict[str, list[Sample]] = {name: [] for name in sources}
        for run in range(args.runs):
            for name, src in sources.items():
                out = work / f"out-{name}"
                full[name].append(build(src, out, work / f"{name}-{run}.log", fresh=True))
                noop[name].append(build(src, out, work / f"{name}-{run}-noop.log", fresh=False))
        for samples in (*full.values(), *noop.values()):
            bad = [s for s in samples if s.returncode != 0 or s.warnings]
            if bad:
                sys.exit(f"a build failed or warned: {bad[0]}")
    section = report(full, noop, args.runs)
    print(section)
    if args.output:
        with args.output.open("a", encoding="utf-8") as stream:
            stream.write("\n" + section)


def report(full: dict[str, list[Sample]], noop: dict[str, list[Sample]], runs: int) -> str:
    def med(samples: list[Sample], attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in samples)

    rows = []
    for what, table in (("full build", full), ("no-op rebuild", noop)):
        a, h = table["A"], table["H"]
        rows.append(
            f"| {what} | {med(a, 'wall'):.2f} s | {med(h, 'wall'):.2f} s | "
            f"{med(h, 'wall') / med(a, 'wall'):.2f} | {med(a, 'rss_mb'):.0f} MiB | "
            f"{med(h, 'rss_mb'):.0f} MiB | {med(h, 'rss_mb') / med(a, 'rss_mb'):.2f} |"
        )
    return "\n".join(
        [
            f"## The cost of history ({SNAPSHOTS} snapshots of {N} milestones)",
            "",
            f"`python bench/history.py --runs {runs}`: A is bench/generate.py's project at "
            f"N = {N}; H is A with `ldm_history_path` ({SNAPSHOTS} monthly snapshots, so every "
            "catalogue entry shows its history) and a page with an `ldm-trend` of the level 2 "
            "milestones and a slip table. Medians of "
            f"{runs} runs, taking turns.",
            "",
            "| build | A wall | H wall | H/A | A peak RSS | H peak RSS | H/A |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    main()
