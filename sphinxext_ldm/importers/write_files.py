"""Writing the files an import makes: each whole or not at all, none before all can be.

Every output (the data file of ``--into``, the report of ``--changes``) is first checked:
its directory exists and can be written, it is not a directory nor a device, it can be
written. Then each is written in full to a temporary file beside the file it replaces
(through symbolic links: beside their target, which is what changes), and synced to
disk; only when every one of them is complete does any file change, each by an atomic
rename, the data file last. So a full disk, a read-only file system or a kill leaves the
old data file, never half a new one, and a problem is one line: ``cannot write FILE:
No space left on device``. The replacement keeps the file's permissions and, where the
system allows, its owner and group.

A file with hard links (``st_nlink > 1``) cannot be renamed over without breaking them:
the other names would keep the old text. It is written in place instead, after its
complete new text is on disk beside it. If that write fails (the disk filled up as the
file grew) the old text is put back. A kill during it is the one moment a file can be
half-written: the complete copy is then left as ``.FILE.sphinxext-ldm-XXXXXXXX.new``,
and the next import into the file stops and says so instead of reading half a file.

Temporary files are ``.FILE.sphinxext-ldm-XXXXXXXX.tmp`` (eight hex digits), held under a lock
(``flock``) while the import that writes them lives. An import removes those of its
outputs that no live import holds (left by a kill) and says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sphinxext_ldm.problems import Problem

if sys.platform != "win32":
    import fcntl

#: What marks a temporary file as ours: ``.NAME`` + this + random + ``.tmp`` or ``.new``.
TEMP_MARK = ".sphinxext-ldm-"
#: A temporary file being written, or complete (the copy of an in-place write).
PARTIAL, COMPLETE = ".tmp", ".new"
_RANDOM = "[0-9a-f]{8}"


@dataclass(frozen=True)
class Output:
    """A file to write: as the user named it, and the file that will change."""

    given: str
    #: ``given`` with every symbolic link resolved.
    target: Path

    @property
    def shown(self) -> str:
        """How messages name it: as given, and where a link leads."""
        if self.target == Path(os.path.abspath(self.given)):
            return self.given
        return f"{self.given} (a link to {self.target})"

    @property
    def directory(self) -> str:
        """Its directory, named as the user would (relative if ``given`` is)."""
        if self.shown == self.given:
            return os.path.dirname(self.given) or "."
        return str(self.target.parent)

    def problem(self, reason: str, verb: str = "write") -> Problem:
        return Problem("file", f"cannot {verb} {self.shown}: {reason}")


def check_output(path: str) -> Output | Problem:
    """``path`` as an output, or why it cannot be one; nothing is written."""
    output = Output(path, Path(os.path.realpath(path)))
    directory = output.target.parent
    try:
        if not stat.S_ISDIR(os.stat(directory).st_mode):
            return output.problem(f"{output.directory} is not a directory")
    except FileNotFoundError:
        return output.problem(f"no such directory {output.directory}")
    except OSError as error:
        return output.problem(_reason(error))
    try:
        mode: int | None = os.stat(output.target).st_mode
    except FileNotFoundError:
        mode = None  # a new file
    except OSError as error:  # a loop of links
        return output.problem(_reason(error))
    if mode is not None and stat.S_ISDIR(mode):
        return output.problem(os.strerror(errno.EISDIR))
    if mode is not None and not stat.S_ISREG(mode):  # a rename would replace the device
        return output.problem("not a regular file")
    if not os.access(directory, os.W_OK | os.X_OK):  # where the temporary file goes
        read_only = hasattr(os, "statvfs") and os.statvfs(directory).f_flag & os.ST_RDONLY
        return output.problem(os.strerror(errno.EROFS if read_only else errno.EACCES))
    if mode is not None:
        try:  # the real test of writing it (read-only mount, chattr +i, permissions)
            os.close(os.open(output.target, os.O_WRONLY))
        except OSError as error:
            return output.problem(_reason(error))
    return output


def clear_leftovers(output: Output) -> tuple[list[str], list[Problem]]:
    """Remove the temporary files that an interrupted import left beside ``output``;
    what was removed, and the problem of a file that may be half-written."""
    notes: list[str] = []
    problems: list[Problem] = []
    prefix = re.escape(f".{output.target.name}{TEMP_MARK}")
    pattern = re.compile(f"{prefix}{_RANDOM}({re.escape(PARTIAL)}|{re.escape(COMPLETE)})")
    try:
        names = sorted(os.listdir(output.target.parent))
    except OSError:
        return notes, problems  # check_output has said why
    for name in filter(pattern.fullmatch, names):
        leftover, shown = output.target.parent / name, Path(output.directory, name)
        if _in_use(leftover):
            continue  # another import is writing it right now
        if leftover.suffix == COMPLETE and not _same_text(leftover, output.target):
            problems.append(
                output.problem(
                    "an import was interrupted while writing it in place (it has hard links), "
                    f"so it may be half-written; {shown} holds the complete text that "
                    "import wrote: compare the two, then copy that file over it (cp keeps the "
                    "links) or delete it",
                    "update",
                )
            )
            continue
        try:
            leftover.unlink()
        except FileNotFoundError:
            continue  # its import finished meanwhile
        except OSError as error:
            problems.append(Problem("file", f"cannot remove {shown}: {_reason(error)}"))
            continue
        notes.append(f"Removed {shown}, a temporary file left by an interrupted import.")
    return notes, problems


@dataclass
class WriteResult:
    problems: list[Problem] = field(default_factory=list)
    #: The outputs that went in: all of them, or none, unless one failed after another
    #: had gone in (then the problem says which).
    written: list[Output] = field(default_factory=list)


def write_files(files: Sequence[tuple[Output, str]]) -> WriteResult:
    """Write each ``(output, text)``: first every text in full to a temporary file, then
    each in place of its output, in the order given (give the data file last: it then
    changes only if every other file could be written)."""
    result = WriteResult()
    # Every temporary file is named here before it exists, so that whenever Ctrl-C
    # comes, the last step removes it (the name of one that took its output's place is
    # gone by then).
    names: list[Path] = []
    ready: list[_Temporary] = []
    try:
        for output, text in files:
            try:
                ready.append(_Temporary.write(output, text.encode("utf-8"), names))
            except OSError as error:
                result.problems.append(output.problem(_reason(error)))
                return result
        for temporary in ready:
            problem = temporary.commit(names)
            if problem:
                result.problems.append(problem)
                return result
            result.written.append(temporary.output)
    finally:
        for temporary in ready:
            os.close(temporary.fd)
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
    return result


@dataclass
class _Temporary:
    """The complete new text of an output, on disk beside it, locked while we live."""

    output: Output
    path: Path
    fd: int
    data: bytes
    in_place: bool

    @classmethod
    def write(cls, output: Output, data: bytes, names: list[Path]) -> _Temporary:
        target = output.target
        while True:
            path = target.parent / f".{target.name}{TEMP_MARK}{secrets.token_hex(4)}{PARTIAL}"
            names.append(path)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:
                names.pop()  # someone else's
        try:
            _lock(fd)
            try:
                info: os.stat_result | None = os.stat(target)
            except FileNotFoundError:
                info = None
            _take_metadata(fd, info)
            _write_all(fd, data)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        return cls(output, path, fd, data, info is not None and info.st_nlink > 1)

    def commit(self, names: list[Path]) -> Problem | None:
        """Put the new text in place of the output; the problem if it could not be."""
        try:
            if self.in_place:
                return self._write_in_place(names)
            os.replace(self.path, self.output.target)
            _sync_directory(self.output.target.parent)
        except OSError as error:
            return self.output.problem(_reason(error))
        return None

    def _write_in_place(self, names: list[Path]) -> Problem | None:
        """Overwrite a hard-linked file, keeping its inode and so every name of it."""
        complete = self.path.with_suffix(COMPLETE)
        names.append(complete)
        os.rename(self.path, complete)  # from now on a kill leaves the complete copy
        _sync_directory(complete.parent)
        old = self.output.target.read_bytes()
        fd = os.open(self.output.target, os.O_WRONLY)
        try:
            _overwrite(fd, self.data)
        except BaseException as error:  # a full disk, or Ctrl-C: the old text back
            why = _reason(error) if isinstance(error, OSError) else "interrupted"
            try:
                _overwrite(fd, old)
            except OSError as again:
                names.remove(complete)  # kept: the file may be half-written
                return self.output.problem(
                    f"{why}; putting the old text back failed too ({_reason(again)}), "
                    f"so it may be half-written; its new text is in {complete}"
                )
            if not isinstance(error, OSError):
                raise
            return self.output.problem(f"{why} (it is unchanged)")
        finally:
            os.close(fd)
        os.unlink(complete)
        _sync_directory(complete.parent)
        return None


def _take_metadata(fd: int, info: os.stat_result | None) -> None:
    """Give the temporary file what the file it replaces has: mode, owner and group (the
    owner only where the system lets us; first, since chown clears set-id bits)."""
    # Where the file system refuses (no owners on FAT), the file stays as it was made:
    # private to us (0600), never more open than the file it replaces.
    if info is None:  # what open() would have made
        umask = os.umask(0)
        os.umask(umask)
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o666 & ~umask)
        return
    for owner in ((info.st_uid, info.st_gid), (-1, info.st_gid)):
        try:
            os.fchown(fd, *owner)
            break
        except OSError:
            continue
    with contextlib.suppress(OSError):
        os.fchmod(fd, stat.S_IMODE(info.st_mode))


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` (``os.write`` may write less), a piece at a time."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[: 1 << 20]) :]


def _overwrite(fd: int, data: bytes) -> None:
    """Make the open file hold ``data``, overwriting it from the start (no truncation
    first: the old text's blocks are reused, so putting it back needs no new space)."""
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, data)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def _sync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` survive a power cut."""
    if sys.platform == "win32":  # pragma: no cover - no directory handles to sync
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):  # a file system without it
            raise
    finally:
        os.close(fd)


def _lock(fd: int) -> None:
    """Mark the temporary file as in use for as long as this process lives (the kernel
    drops the lock when the process ends, however it ends)."""
    if sys.platform != "win32":
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _in_use(path: Path) -> bool:
    if sys.platform == "win32":  # pragma: no cover - an open file cannot be removed there
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return True  # not ours to judge
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _reason(error: OSError) -> str:
    """``No space left on device``, as the system says it, without ``[Errno 28]``."""
    return error.strerror or str(error)


def _same_text(copy: Path, target: Path) -> bool:
    try:
        return copy.read_bytes() == target.read_bytes()
    except OSError:
        return False
