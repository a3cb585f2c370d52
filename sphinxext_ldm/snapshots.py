"""A directory of snapshots read into :class:`~sphinxext_ldm.history.Snapshot` s, each
file parsed once: a file whose size and modification time are unchanged since the last
build is taken from the cache the caller keeps (the build keeps it in its environment).

A snapshot is a milestone data file with a top-level ``as_of: YYYY-MM-DD``, the report
date (``sphinxext-ldm import ... --snapshot DIR`` writes them). Every ``*.yaml`` and
``*.yml`` file directly in the directory is one; a file without ``as_of``, or with the
``as_of`` of another file, is a problem and is left out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sphinxext_ldm.history import Snapshot
from sphinxext_ldm.load import load_milestones
from sphinxext_ldm.problems import Problem

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Parsed:
    """One file as parsed: what identifies its version, and what it gave."""

    signature: tuple[int, int]  # size, modification time in nanoseconds
    snapshot: Snapshot | None
    problems: tuple[Problem, ...]


@dataclass
class SnapshotCache:
    """Parsed files by path, kept between builds."""

    files: dict[str, Parsed] = field(default_factory=dict)
    #: How many files the last :func:`load_snapshots` parsed (the others were cached).
    parsed: int = 0


def load_snapshots(
    directory: Path, cache: SnapshotCache | None = None
) -> tuple[list[Snapshot], list[Problem], SnapshotCache]:
    """Every snapshot in ``directory`` (by file name), the problems of all of them (also
    of cached files, so that every build reports the same), and the updated cache."""
    old = cache or SnapshotCache()
    new = SnapshotCache()
    try:
        names = sorted(entry.name for entry in os.scandir(directory) if entry.is_file())
    except OSError as exc:
        problem = Problem("file", f"cannot read the history directory {directory}: {exc.strerror}")
        return [], [problem], new
    snapshots: list[Snapshot] = []
    problems: list[Problem] = []
    seen: dict[object, str] = {}
    for name in names:
        if not name.endswith(SUFFIXES):
            continue
        path = str(directory / name)
        stat = os.stat(path)
        signature = (stat.st_size, stat.st_mtime_ns)
        parsed = old.files.get(path)
        if parsed is None or parsed.signature != signature:
            parsed = _parse(path, signature)
            new.parsed += 1
        new.files[path] = parsed
        problems.extend(parsed.problems)
        snapshot = parsed.snapshot
        if snapshot is None:
            continue
        if snapshot.as_of in seen:
            problems.append(
                Problem(
                    "duplicate-key",
                    f"the snapshot {name} has the as_of {snapshot.as_of} of "
                    f"{seen[snapshot.as_of]}; it is left out",
                    path,
                    1,
                )
            )
            continue
        seen[snapshot.as_of] = name
        snapshots.append(snapshot)
    return snapshots, problems, new


def _parse(path: str, signature: tuple[int, int]) -> Parsed:
    result = load_milestones(path)
    problems = list(result.problems)
    if result.as_of is None:
        if not any(p.subtype in ("file", "yaml") for p in problems):
            problems.append(
                Problem(
                    "missing-field",
                    "a snapshot needs its report date at the top level (as_of: YYYY-MM-DD); "
                    "it is left out",
                    path,
                    1,
                )
            )
        return Parsed(signature, None, tuple(problems))
    snapshot = Snapshot.of(result.as_of, result.catalog, path)
    return Parsed(signature, snapshot, tuple(problems))
