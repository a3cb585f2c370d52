"""Checks of the built package, run by `nox -s wheel`.

``wheel WHEEL SDIST``: every module and data file of the source tree's package is in the
wheel and the sdist. ``installed WHEEL``: the package imported is the installed wheel (not
the source tree), at the wheel's version. ``site OUTDIR``: a built site holds the package
data a build copies (the stylesheet, the export schema) byte for byte as the package
ships them. Each exits 1 with the list of what is missing.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import tarfile
import zipfile
from pathlib import Path

PACKAGE = "sphinxext_ldm"
# What pyproject.toml's package-data declares; the modules come with the package.
DATA_PATTERNS = ("static/*", "schemas/*.json", "py.typed")


def expected_files(source: Path) -> list[str]:
    """The package's files in the source tree, as paths inside the wheel."""
    package = source / PACKAGE
    files = {path for path in package.rglob("*.py") if "__pycache__" not in path.parts}
    for pattern in DATA_PATTERNS:
        files.update(path for path in package.glob(pattern) if path.is_file())
    return sorted(path.relative_to(source).as_posix() for path in files)


def check_archives(wheel: Path, sdist: Path, source: Path) -> list[str]:
    expected = expected_files(source)
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    with tarfile.open(sdist) as archive:
        # An sdist holds one top directory, NAME-VERSION/.
        in_sdist = {name.partition("/")[2] for name in archive.getnames()}
    missing = [f"wheel: {name}" for name in expected if name not in in_wheel]
    missing += [f"sdist: {name}" for name in expected if name not in in_sdist]
    return missing


def check_installed(wheel: Path) -> list[str]:
    import sphinxext_ldm

    problems = []
    location = Path(sphinxext_ldm.__file__).resolve()
    if "site-packages" not in location.parts:
        problems.append(f"{PACKAGE} imported from {location}, not from an installed wheel")
    # A wheel is named NAME-VERSION-TAGS.whl.
    wheel_version = wheel.name.split("-")[1]
    installed = importlib.metadata.version("sphinxext-ldm")
    for what, version in (("metadata", installed), ("__version__", sphinxext_ldm.__version__)):
        if version != wheel_version:
            problems.append(f"{what} version {version} is not the wheel's {wheel_version}")
    package = location.parent
    for pattern in DATA_PATTERNS:
        if not any(package.glob(pattern)):
            problems.append(f"installed package has no {pattern}")
    return problems


def check_site(outdir: Path) -> list[str]:
    import sphinxext_ldm

    package = Path(sphinxext_ldm.__file__).parent
    copies = {
        package / "static" / "ldm.css": outdir / "_static" / "ldm.css",
        package / "schemas" / "milestones.schema.json": outdir / "milestones.schema.json",
    }
    problems = []
    for shipped, built in copies.items():
        if not built.is_file():
            problems.append(f"site: no {built.relative_to(outdir)}")
        elif built.read_bytes() != shipped.read_bytes():
            problems.append(f"site: {built.relative_to(outdir)} differs from {shipped.name}")
    if "_static/ldm.css" not in (outdir / "index.html").read_text(encoding="utf-8"):
        problems.append("site: index.html does not link _static/ldm.css")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    archives = commands.add_parser("wheel")
    archives.add_argument("wheel", type=Path)
    archives.add_argument("sdist", type=Path)
    archives.add_argument("--source", type=Path, default=Path(__file__).parents[1])
    installed = commands.add_parser("installed")
    installed.add_argument("wheel", type=Path)
    site = commands.add_parser("site")
    site.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    if args.command == "wheel":
        problems = check_archives(args.wheel, args.sdist, args.source)
    elif args.command == "installed":
        problems = check_installed(args.wheel)
    else:
        problems = check_site(args.outdir)
    for problem in problems:
        print(f"missing or wrong: {problem}", file=sys.stderr)
    if not problems:
        print(f"{args.command}: complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
