"""Live preview: sphinx-autobuild, also watching the data files that conf.py names.

``python -m sphinxext_ldm.serve SOURCEDIR OUTDIR [sphinx-autobuild and sphinx-build
options]`` runs ``sphinx-autobuild`` (the ``serve`` extra) with a ``--watch`` for the
directory of each data file (``ldm_milestones_path``, ``ldm_history_path``,
``ldm_acronyms_path``) that lies outside the source directory, which sphinx-autobuild
watches anyway. On a change it runs an ordinary incremental build, so the extension's
own rules decide which pages are read again.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util.tags import Tags

from sphinxext_ldm.config import CONFIG_VALUES, data_paths


def read_config(confdir: Path) -> Config:
    """conf.py as a build reads it, with the extension's values declared."""
    config = Config.read(confdir, overrides={}, tags=Tags())
    for value in CONFIG_VALUES:
        config.add(value.name, value.default, value.rebuild, value.types, value.description)
    return config


def watched_directories(sourcedir: Path, confdir: Path) -> list[Path]:
    """The directories to watch besides ``sourcedir``: each data path's directory (a
    directory rather than the file, as editors often save by replacing the file)."""
    sourcedir, confdir = sourcedir.resolve(), confdir.resolve()
    candidates = set()
    for path in data_paths(confdir, read_config(confdir)):
        directory = (path if path.is_dir() else path.parent).resolve()
        if directory.is_dir():
            candidates.add(directory)
    # A directory within another watched one (or within the sources) is watched already.
    watched = [*candidates, sourcedir]
    return sorted(
        directory
        for directory in candidates
        if not any(directory != other and directory.is_relative_to(other) for other in watched)
        and directory != sourcedir
    )


def autobuild_command(argv: Sequence[str]) -> list[str]:
    """The sphinx-autobuild command line for ``argv`` (SOURCEDIR OUTDIR [options])."""
    argv = list(argv)
    if len(argv) < 2 or any(arg.startswith("-") for arg in argv[:2]):
        raise SystemExit("usage: python -m sphinxext_ldm.serve SOURCEDIR OUTDIR [options]")
    sourcedir = confdir = Path(argv[0])
    for flag in ("-c", "--conf-dir"):
        if flag in argv[:-1]:
            confdir = Path(argv[argv.index(flag) + 1])
    watch = [f"--watch={directory}" for directory in watched_directories(sourcedir, confdir)]
    return [sys.executable, "-m", "sphinx_autobuild", *argv, *watch]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        command = autobuild_command(sys.argv[1:] if argv is None else argv)
    except ConfigError as error:
        print(f"sphinxext-ldm serve: {error}", file=sys.stderr)
        return 2
    print("sphinxext-ldm serve:", " ".join(command[3:]), flush=True)
    try:
        return subprocess.run(command, check=False).returncode
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
