"""Reading an input file: a regular file of a bounded size, or a located problem.

Every file the build and the command line read (milestone data, acronym YAML and CSV,
exports, overrides) is read here. A path can name something that is not a file: a FIFO,
whose reading waits for a writer forever; ``/dev/zero``, which never ends; a directory; a
socket. Its type is checked before it is read, and the file is opened without blocking,
so that such a path is a problem at once. A file larger than its limit is refused before
it is read, and a file that grows while it is read is cut off at its limit and refused,
so that no input can exhaust memory.

The limits are generous: the real data files are 50 to 200 KB, the real monthly exports
about 3 MB.
"""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sphinxext_ldm.problems import Problem

if TYPE_CHECKING:
    from _csv import Reader

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30

#: Milestone data, acronym files (YAML or glossarydefs.csv) and overrides. Real ones are
#: 50-200 KB; a data file of a million milestones (the importer's benchmark) is 200 MiB.
DATA_LIMIT = 512 * MiB
#: The scheduling system's exports (CSV or workbooks; workbooks have further limits,
#: see :mod:`sphinxext_ldm.importers.spreadsheets`).
EXPORT_LIMIT = 512 * MiB

# The csv module refuses a field over 131,072 characters with an exception, and a CSV
# file may hold one (a long description, or everything after a stray quote). No file is
# read beyond EXPORT_LIMIT bytes, so no field is longer than that: the limit is raised to
# it once, here, for the whole process (it is a global setting of the csv module; never
# lowered below what someone else set). Every CSV reader is made by csv_reader below.
csv.field_size_limit(max(csv.field_size_limit(), EXPORT_LIMIT))

# Opening a FIFO for reading waits for a writer unless it is opened non-blocking; for a
# regular file the flag changes nothing.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bytes(path: str | Path, what: str, limit: int) -> bytes | Problem:
    """The content of the regular file at ``path``, at most ``limit`` bytes, or the
    problem why not. ``what`` names the file in problems ("milestone data file")."""
    name = str(path)
    try:
        problem = _refused(os.stat(name), name, what, limit)
        if problem is not None:
            return problem
        fd = os.open(name, _OPEN_FLAGS)
    except FileNotFoundError:
        return Problem("file", f"{what} not found: {name}")
    except OSError as exc:
        return Problem("file", f"cannot read {what} {name}: {exc.strerror or exc}", name, 1)
    try:
        with os.fdopen(fd, "rb") as stream:
            # The file opened may not be the one looked at (it can be replaced between
            # the two): look again at what is open.
            problem = _refused(os.fstat(stream.fileno()), name, what, limit)
            if problem is not None:
                return problem
            data = stream.read(limit + 1)
    except OSError as exc:
        return Problem("file", f"cannot read {what} {name}: {exc.strerror or exc}", name, 1)
    if len(data) > limit:
        return _too_large(name, what, f"more than {len(data) - 1:,} bytes", limit)
    return data


def read_text(path: str | Path, what: str, limit: int) -> str | Problem:
    """The file at ``path`` as UTF-8 text (a byte-order mark is dropped), read as
    :func:`read_bytes` reads it."""
    raw = read_bytes(path, what, limit)
    if isinstance(raw, Problem):
        return raw
    return decode(raw, str(path))


def decode(raw: bytes, path: str) -> str | Problem:
    """``raw`` as UTF-8 text without its byte-order mark, or a problem at the line of the
    first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(
            "file",
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}; "
            "save the file as UTF-8",
            path,
            line,
        )


def csv_reader(lines: Iterable[str], *, quotes: bool = True) -> Reader:
    """A CSV reader (the excel dialect) whose fields may be as long as a file read here;
    without ``quotes``, quotes are plain characters."""
    return csv.reader(lines, quoting=csv.QUOTE_MINIMAL if quotes else csv.QUOTE_NONE)


def size_text(size: int) -> str:
    """``64 MiB (67,108,864 bytes)``: the size to read at a glance, and exactly."""
    for factor, unit in ((GiB, "GiB"), (MiB, "MiB"), (KiB, "KiB")):
        if size >= factor:
            short = f"{size // factor}" if size % factor == 0 else f"{size / factor:.1f}"
            return f"{short} {unit} ({size:,} bytes)"
    return f"{size:,} bytes"


def _refused(info: os.stat_result, path: str, what: str, limit: int) -> Problem | None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((kind for test, kind in _KINDS if test(info.st_mode)), "a special file")
        return Problem(
            "file", f"cannot read {what} {path}: it is {kind}, not a regular file", path, 1
        )
    if info.st_size > limit:
        return _too_large(path, what, f"{info.st_size:,} bytes", limit)
    return None


def _too_large(path: str, what: str, size: str, limit: int) -> Problem:
    return Problem(
        "file",
        f"{what} {path} is too large: {size}, over the limit of {size_text(limit)}; it is not read",
        path,
        1,
    )
