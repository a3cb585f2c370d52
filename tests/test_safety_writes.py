"""What `sphinxext-ldm import` writes, and how it fails: through symlinks, keeping hard
links and owners, checking every output before writing any, disk full and read-only
targets as one-line problems, no temporary file surviving a kill, and every comment of
the updated file kept.

Everything here is real: real links, a real small tmpfs for "disk full", a real read-only
bind mount and ``chattr +i``, real processes killed with real signals. The tests that
need root (mounting, chattr, chown) skip without it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sphinxext_ldm.cli import main
from sphinxext_ldm.load import load_milestones_text
from tests.conftest import REPO
from tests.test_import import EXISTING, HEADER, LABELS, Run, export_csv, run

#: An export that changes EXISTING: A renamed and moved, B completed, GONE removed.
ROWS = (
    "A,Not Started,W 1,New name,B,,,3/1/2020 5:00:00 PM,,",
    "B,Completed,W 2,B,,A,,5/1/2019,5/20/2019,",
    "NEW,Not Started,,Added,A,,,1/1/2021,,",
)
#: Our temporary files, and nothing else: ``.NAME.sphinxext-ldm-RANDOM.tmp`` (or ``.new``).
OURS = re.compile(r"^\.(?P<name>.+)\.sphinxext-ldm-[0-9a-f]{8}\.(tmp|new)$")


def updated(tmp_path: Path, capsys: pytest.CaptureFixture[str], into: Path, *args: str) -> Run:
    """Import ROWS into ``into`` (which holds EXISTING or a link to it)."""
    return run(capsys, export_csv(tmp_path, *ROWS), *args, into=into)


def expected_update(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What importing ROWS into EXISTING writes, when nothing gets in the way."""
    plain = tmp_path / "expected" / "milestones.yaml"
    plain.parent.mkdir()
    plain.write_text(EXISTING)
    assert updated(tmp_path, capsys, plain).status == 0
    return plain.read_text()


def hidden_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def no_traceback(result: Run) -> None:
    assert "Traceback" not in result.err
    assert result.status == 1


# -- symbolic links -------------------------------------------------------------------------


def test_into_a_symlink_writes_through_to_its_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = expected_update(tmp_path, capsys)
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "real.yaml"
    real.write_text(EXISTING)
    docs = tmp_path / "docs" / "data"
    docs.mkdir(parents=True)
    middle = docs / "middle.yaml"
    middle.symlink_to(Path("..", "..", "shared", "real.yaml"))  # relative, as in a repository
    into = docs / "milestones.yaml"
    into.symlink_to("middle.yaml")  # a chain of two links
    result = updated(tmp_path, capsys, into)
    assert result.status == 0, result.err
    assert into.is_symlink() and os.readlink(into) == "middle.yaml"
    assert middle.is_symlink() and os.readlink(middle) == str(
        Path("..", "..", "shared", "real.yaml")
    )
    assert real.read_text() == expected
    assert hidden_files(docs) == [] and hidden_files(shared) == []


def test_changes_through_a_symlink_write_its_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    reports = tmp_path / "reports"
    reports.mkdir()
    report = reports / "2020-03.md"
    report.write_text("last month's report\n")
    link = tmp_path / "changes.md"
    link.symlink_to(report)
    result = updated(tmp_path, capsys, into, "--changes", str(link))
    assert result.status == 0, result.err
    assert link.is_symlink()
    assert "### Removed (1)" in report.read_text()


def test_into_a_dangling_symlink_creates_its_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "store" / "milestones.yaml"
    target.parent.mkdir()
    into = tmp_path / "milestones.yaml"
    into.symlink_to(target)
    result = run(capsys, export_csv(tmp_path, *ROWS), into=into)
    assert result.status == 0, result.err
    assert into.is_symlink()
    assert "  - code: NEW\n" in target.read_text()


def test_a_symlink_loop_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    into = tmp_path / "milestones.yaml"
    into.symlink_to("other.yaml")
    (tmp_path / "other.yaml").symlink_to("milestones.yaml")
    result = run(capsys, export_csv(tmp_path, *ROWS), into=into)
    no_traceback(result)
    assert f"file: cannot write {into}: Too many levels of symbolic links" in result.err
    assert "Nothing was written" in result.err


# -- hard links: written in place, after a complete copy ------------------------------------


def test_hard_links_see_the_update(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = expected_update(tmp_path, capsys)
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    other = tmp_path / "elsewhere.yaml"
    os.link(into, other)
    inode = into.stat().st_ino
    result = updated(tmp_path, capsys, into)
    assert result.status == 0, result.err
    assert into.stat().st_ino == inode and into.stat().st_nlink == 2
    assert other.read_text() == expected == into.read_text()
    assert hidden_files(tmp_path) == []


def test_an_interrupted_in_place_write_stops_the_next_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A kill while a hard-linked file was being written in place leaves its complete new
    text beside it (``.new``); the file may be half-written, so the next run says so and
    writes nothing rather than guess."""
    into = tmp_path / "milestones.yaml"
    half = EXISTING[: len(EXISTING) // 2]
    into.write_text(half)
    os.link(into, tmp_path / "elsewhere.yaml")
    copy = tmp_path / ".milestones.yaml.sphinxext-ldm-dead0001.new"
    copy.write_text(EXISTING)
    result = updated(tmp_path, capsys, into)
    no_traceback(result)
    assert (
        f"file: cannot update {into}: an import was interrupted while writing it in place "
        f"(it has hard links), so it may be half-written; {copy} holds the complete text "
        "that import wrote" in result.err
    )
    assert "Nothing was written" in result.err
    assert into.read_text() == half and copy.read_text() == EXISTING


def test_a_finished_in_place_write_leaves_a_copy_the_next_run_removes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    os.link(into, tmp_path / "elsewhere.yaml")
    copy = tmp_path / ".milestones.yaml.sphinxext-ldm-d0e0f001.new"
    copy.write_text(EXISTING)  # killed after the in-place write, before the copy went
    result = updated(tmp_path, capsys, into)
    assert result.status == 0, result.err
    assert f"Removed {copy}, a temporary file left by an interrupted import." in result.err
    assert not copy.exists()


# -- every output checked before anything is written ----------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--changes", "{tmp}/missing/dir/x.md"],
            "file: cannot write {tmp}/missing/dir/x.md: no such directory {tmp}/missing/dir",
        ),
        (
            ["--changes", "{tmp}/reports.md"],  # a directory named like a report
            "file: cannot write {tmp}/reports.md: Is a directory",
        ),
        (
            ["--changes", "{tmp}/notes.txt/x.md"],  # a file where the directory should be
            "file: cannot write {tmp}/notes.txt/x.md: {tmp}/notes.txt is not a directory",
        ),
        (
            ["--changes", "{tmp}/same.md"],  # a link to the data file
            "file: cannot write {tmp}/same.md (a link to {tmp}/milestones.yaml): "
            "it is the data file {tmp}/milestones.yaml",
        ),
    ],
    ids=["missing-dir", "is-a-dir", "parent-is-a-file", "same-as-data"],
)
def test_outputs_are_checked_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    (tmp_path / "reports.md").mkdir()
    (tmp_path / "notes.txt").write_text("notes\n")
    (tmp_path / "same.md").symlink_to("milestones.yaml")
    before = into.stat()
    result = updated(tmp_path, capsys, into, *(a.format(tmp=tmp_path) for a in args))
    no_traceback(result)
    assert message.format(tmp=tmp_path) in result.err.splitlines()
    assert "Nothing was written: an output file cannot be written." in result.err
    assert into.read_text() == EXISTING
    assert (into.stat().st_mtime_ns, into.stat().st_ino) == (before.st_mtime_ns, before.st_ino)
    assert hidden_files(tmp_path) == []


def test_into_a_directory_or_a_missing_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = export_csv(tmp_path, *ROWS)
    result = run(capsys, export, into=tmp_path)
    no_traceback(result)
    assert f"file: cannot write {tmp_path}: Is a directory" in result.err
    missing = tmp_path / "no" / "m.yaml"
    result = run(capsys, export, into=missing)
    no_traceback(result)
    assert f"file: cannot write {missing}: no such directory {missing.parent}" in result.err


def test_a_device_is_not_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An atomic write replaces the file: a link to a device must not replace the device."""
    link = tmp_path / "changes.md"
    link.symlink_to("/dev/full")
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    result = updated(tmp_path, capsys, into, "--changes", str(link))
    no_traceback(result)
    assert f"file: cannot write {link} (a link to /dev/full): not a regular file" in result.err
    assert Path("/dev/full").is_char_device()
    assert into.read_text() == EXISTING


# -- disk full and read-only targets, for real ----------------------------------------------


def root_only(what: str) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"{what} needs root")


@contextlib.contextmanager
def mounted(directory: Path, *mount_args: str) -> Iterator[Path]:
    directory.mkdir(exist_ok=True)
    done = subprocess.run(["mount", *mount_args, str(directory)], capture_output=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot mount here: {done.stderr.decode().strip()}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=True)


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A real tmpfs of 64 pages."""
    root_only("mounting a tmpfs")
    with mounted(tmp_path / "small", "-t", "tmpfs", "-o", "size=256k", "tmpfs") as directory:
        yield directory


def fill(directory: Path, leave: int = 0) -> None:
    """Fill ``directory``'s file system, leaving ``leave`` blocks free."""
    free = os.statvfs(directory)
    size = (free.f_bavail - leave) * free.f_frsize
    with open(directory / "filler", "wb") as stream:
        stream.write(b"\0" * size)
    assert os.statvfs(directory).f_bavail == leave


def test_disk_full_is_one_line_and_the_data_file_is_unchanged(
    tmp_path: Path, small_fs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = small_fs / "milestones.yaml"
    into.write_text(EXISTING)
    fill(small_fs)
    result = updated(tmp_path, capsys, into)
    no_traceback(result)
    assert f"file: cannot write {into}: No space left on device" in result.err.splitlines()
    assert "Nothing was written: an output file cannot be written." in result.err
    assert into.read_text() == EXISTING
    assert hidden_files(small_fs) == []


def test_disk_full_for_the_report_leaves_the_data_file_unchanged(
    tmp_path: Path, small_fs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    fill(small_fs)
    report = small_fs / "changes.md"
    result = updated(tmp_path, capsys, into, "--changes", str(report))
    no_traceback(result)
    assert f"file: cannot write {report}: No space left on device" in result.err
    assert into.read_text() == EXISTING
    assert not report.exists() and hidden_files(small_fs) == []
    assert hidden_files(tmp_path) == []


@pytest.mark.parametrize("report", [False, True], ids=["alone", "with-a-report"])
def test_disk_full_while_writing_a_hard_linked_file_in_place_restores_it(
    tmp_path: Path, small_fs: Path, capsys: pytest.CaptureFixture[str], report: bool
) -> None:
    """The complete copy fits, the file's growth does not: the old text is put back. A
    report on the same disk went in first (a rename needs no space), and the import
    says that it lists changes the data file does not have."""
    old = "milestones:\n  - {code: M-0, name: Zero, due: 2020-01-01}\n"
    rows = [f"M-{i},,,Milestone {i} with a long enough name,,,,1/1/2021,," for i in range(150)]
    export = export_csv(tmp_path, *rows)
    probe = tmp_path / "probe" / "milestones.yaml"  # the same name: the same report
    probe.parent.mkdir()
    probe.write_text(old)
    args = ["--changes", str(tmp_path / "probe.md")] if report else []
    assert run(capsys, export, *args, into=probe).status == 0
    pages = os.statvfs(small_fs).f_frsize
    new_pages = -(-probe.stat().st_size // pages)
    assert new_pages >= 3  # the update needs pages the old file does not have
    report_pages = -(-(tmp_path / "probe.md").stat().st_size // pages) if report else 0
    into = small_fs / "milestones.yaml"
    into.write_text(old)
    os.link(into, small_fs / "elsewhere.yaml")
    fill(small_fs, leave=new_pages + report_pages)
    changes = small_fs / "changes.md"
    args = ["--changes", str(changes)] if report else []
    result = run(capsys, export, *args, into=into)
    no_traceback(result)
    lines = result.err.splitlines()
    assert f"file: cannot write {into}: No space left on device (it is unchanged)" in lines
    assert into.read_text() == old == (small_fs / "elsewhere.yaml").read_text()
    assert into.stat().st_nlink == 2
    assert hidden_files(small_fs) == []
    if report:
        assert f"{changes} was written, but {into} is unchanged." in lines
        assert changes.read_text() == (tmp_path / "probe.md").read_text()
    else:
        assert "Nothing was written: an output file cannot be written." in lines


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A directory holding EXISTING that cannot be written, and the reason the system
    gives: a real read-only bind mount as root (who ignores permissions), else a
    directory and file without write permission."""
    directory = tmp_path / "ro"
    directory.mkdir()
    (directory / "milestones.yaml").write_text(EXISTING)
    if os.geteuid() != 0:
        (directory / "milestones.yaml").chmod(0o444)
        directory.chmod(0o555)
        try:
            yield directory, "Permission denied"
        finally:
            directory.chmod(0o755)
        return
    with mounted(directory, "--bind", str(directory)):
        remount = ["mount", "-o", "remount,bind,ro", str(directory)]
        subprocess.run(remount, check=True)
        yield directory, "Read-only file system"


def test_a_read_only_file_system_is_one_line(
    tmp_path: Path, read_only: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    directory, reason = read_only
    into = directory / "milestones.yaml"
    result = updated(tmp_path, capsys, into)
    no_traceback(result)
    assert f"file: cannot write {into}: {reason}" in result.err.splitlines()
    assert into.read_text() == EXISTING


def test_a_report_on_a_read_only_file_system_is_checked_first(
    tmp_path: Path, read_only: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    directory, reason = read_only
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    report = directory / "changes.md"
    result = updated(tmp_path, capsys, into, "--changes", str(report))
    no_traceback(result)
    assert f"file: cannot write {report}: {reason}" in result.err
    assert into.read_text() == EXISTING


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """EXISTING in a file that cannot be written, in a directory that can, and the
    reason: marked immutable (``chattr +i``) as root, whom permissions do not stop; else
    without write permission (which a rename over it would ignore)."""
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    if os.geteuid() != 0:
        into.chmod(0o444)
        yield into, "Permission denied"
        return
    done = subprocess.run(["chattr", "+i", str(into)], capture_output=True, check=False)
    if done.returncode:
        pytest.skip(f"chattr +i: {done.stderr.decode().strip()}")
    try:
        yield into, "Operation not permitted"
    finally:
        subprocess.run(["chattr", "-i", str(into)], check=True)


def test_an_unwritable_data_file_is_one_line(
    tmp_path: Path, unwritable: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    into, reason = unwritable
    result = updated(tmp_path, capsys, into)
    no_traceback(result)
    assert f"file: cannot write {into}: {reason}" in result.err.splitlines()
    assert into.read_text() == EXISTING
    assert hidden_files(tmp_path) == []


def test_a_file_size_limit_is_one_line(tmp_path: Path) -> None:
    """A real write error without root: the process may write no file over 256 bytes
    (``ulimit -f``; SIGXFSZ ignored, so the write fails with EFBIG)."""
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    export = export_csv(tmp_path, *ROWS)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (256, 256))

    done = subprocess.run(
        [sys.executable, "-m", "sphinxext_ldm", "import", str(export), "--into", str(into)],
        cwd=REPO,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"file: cannot write {into}: File too large" in done.stderr.splitlines()
    assert into.read_text() == EXISTING
    assert hidden_files(tmp_path) == []


def test_permissions_and_owner_are_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root_only("giving a file to another user")
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    os.chmod(into, 0o640)
    os.chown(into, 4321, 4322)
    result = updated(tmp_path, capsys, into)
    assert result.status == 0, result.err
    after = into.stat()
    assert (stat.S_IMODE(after.st_mode), after.st_uid, after.st_gid) == (0o640, 4321, 4322)
    assert "  - code: NEW\n" in into.read_text()


# -- no temporary file survives ------------------------------------------------------------


def big_update(directory: Path, count: int = 1200) -> tuple[Path, str]:
    """A data file of ``count`` milestones with long hand-kept descriptions (about 1 MB)
    and an export that moves every due date: an update that takes a while to write."""
    data = ["milestones:"]
    rows = []
    for i in range(count):
        data += [
            f"  - code: M-{i}",
            f"    name: Milestone {i}",
            "    due: 2020-01-01",
            f"    description: {'Hand-kept words. ' * 50}",
        ]
        rows.append(f"M-{i},,,Milestone {i},,,,1/1/2021,,")
    export = directory / "big-export.csv"
    export.write_text(HEADER + LABELS + "".join(row + "\n" for row in rows))
    return export, "\n".join(data) + "\n"


def import_process(export: Path, into: Path, log: Path) -> subprocess.Popen[bytes]:
    """The import in a process of its own; its standard error goes to ``log`` (a pipe
    nobody reads would stop it once full)."""
    with log.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "sphinxext_ldm", "import", str(export), "--into", str(into)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def kill_when_writing(process: subprocess.Popen[bytes], directory: Path, delay: float) -> bool:
    """SIGKILL ``process`` ``delay`` seconds after a hidden file appears in ``directory``
    (its temporary file); whether it was killed before it ended."""
    while process.poll() is None:
        if hidden_files(directory):
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            return process.returncode == -signal.SIGKILL
        time.sleep(0.0002)
    return False


def test_a_kill_mid_write_leaves_the_old_or_the_new_file_and_the_next_run_cleans_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export, old = big_update(tmp_path)
    reference = tmp_path / "reference.yaml"
    reference.write_text(old)
    assert main(["import", str(export), "--into", str(reference)]) == 0
    new = reference.read_text()
    capsys.readouterr()
    work = tmp_path / "work"
    work.mkdir()
    into = work / "milestones.yaml"
    chance = random.Random(20180201)
    leftovers = 0
    # At random points of the write (it takes a few milliseconds: the text, fsync, the
    # rename), and at once on every other run, which nearly always leaves a temporary
    # file; a loaded machine may need a few more runs for that.
    for attempt in range(10):
        if attempt >= 4 and leftovers:
            break
        into.write_text(old)
        process = import_process(export, into, tmp_path / "err.txt")
        delay = chance.uniform(0, 0.01) if attempt % 2 else 0.0
        killed = kill_when_writing(process, work, delay)
        assert into.read_text() in (old, new), f"attempt {attempt}: a half-written data file"
        left = hidden_files(work)
        assert all(OURS.match(name) for name in left), left
        if not killed or not left:
            continue
        leftovers += 1
        # the next run: any temporary file of ours is removed, and it says which
        into.write_text(old)
        result = run(capsys, export, into=into)
        assert result.status == 0, result.err
        for name in left:
            assert f"Removed {work / name}, a temporary file left by an interrupted import." in (
                result.err
            )
        assert hidden_files(work) == []
        assert into.read_text() == new
    assert leftovers, "no kill landed while the temporary file was being written"


def test_a_kill_while_writing_a_hard_linked_file_never_goes_unnoticed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Written in place, a file can be half-written for a moment: only ever with its
    complete copy beside it, and the next run then stops instead of reading half a file;
    doing as it says (copy the copy over the file) keeps the links."""
    export, old = big_update(tmp_path)
    reference = tmp_path / "reference.yaml"
    reference.write_text(old)
    assert main(["import", str(export), "--into", str(reference)]) == 0
    new = reference.read_text()
    capsys.readouterr()
    work = tmp_path / "work"
    work.mkdir()
    into, other = work / "milestones.yaml", work / "other-name.yaml"
    into.write_text(old)
    os.link(into, other)
    chance = random.Random(564)
    for attempt in range(4):
        into.write_text(old)  # in place: the two names stay one file
        process = import_process(export, into, tmp_path / "err.txt")
        kill_when_writing(process, work, chance.uniform(0, 0.01) if attempt % 2 else 0.0)
        text = into.read_text()
        assert other.read_text() == text, f"attempt {attempt}: the link was broken"
        left = hidden_files(work)
        assert all(OURS.match(name) for name in left), left
        copies = [work / name for name in left if name.endswith(".new")]
        if text not in (old, new):
            assert copies and copies[0].read_text() == new, "half-written, without its copy"
        result = run(capsys, export, into=into)
        if copies and text != new:
            no_traceback(result)
            assert f"cannot update {into}: an import was interrupted" in result.err
            shutil.copyfile(copies[0], into)
            result = run(capsys, export, into=into)
        assert result.status == 0, result.err
        assert hidden_files(work) == []
        assert into.read_text() == new == other.read_text()
        assert into.stat().st_nlink == 2


def test_a_leftover_of_ours_is_removed_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    into.write_text(EXISTING)
    ours = tmp_path / ".milestones.yaml.sphinxext-ldm-a1b2c3d4.tmp"
    ours.write_text(EXISTING[:40])
    others = [
        ".milestones.yaml.swp",  # an editor's
        ".milestones.yaml.a1b2c3d4",  # someone else's temporary file
        ".other.yaml.sphinxext-ldm-a1b2c3d4.tmp",  # ours, but for another file
        ".milestones.yaml.sphinxext-ldm-b0b01234.tmp",  # another import is writing it
    ]
    for name in others:
        (tmp_path / name).write_text("not ours to remove\n")
    # a running import holds a lock on its temporary file as long as it lives
    with (tmp_path / others[-1]).open("rb") as busy:
        fcntl.flock(busy, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = updated(tmp_path, capsys, into)
    assert result.status == 0, result.err
    assert f"Removed {ours}, a temporary file left by an interrupted import." in result.err
    assert result.err.count("a temporary file left by an interrupted import") == 1
    assert hidden_files(tmp_path) == sorted(others)


def test_ctrl_c_mid_write_leaves_nothing_and_no_traceback(tmp_path: Path) -> None:
    export, old = big_update(tmp_path)
    into = tmp_path / "work" / "milestones.yaml"
    into.parent.mkdir()
    for _ in range(3):
        into.write_text(old)
        log = tmp_path / "err.txt"
        process = import_process(export, into, log)
        while process.poll() is None and not hidden_files(into.parent):
            time.sleep(0.0002)
        process.send_signal(signal.SIGINT)
        process.wait()
        err = log.read_text()
        assert "Traceback" not in err, err
        if process.returncode == 130:
            assert "Interrupted" in err
        assert hidden_files(into.parent) == []
        assert load_milestones_text(into.read_text()).problems == []


# -- comments: all kept --------------------------------------------------------------------

FLOW = """\
# Header one

# Header two, after a blank line
milestones:  # note on the list
  - {code: A, name: X, due: 2021-01-01}  # why A
  - {code: B, name: Y,  # inside a flow entry
     due: 2021-02-01}
  - code: C
    name: Z
    due: 2021-03-01
    predecessors: [A,  # the first predecessor
      # a comment line inside the list
      B]  # after the list
    description:
      # between the key and its value
      Long text.
  - code: D
    name: W  # on the name
    due: 2021-04-01  # the last field of the last milestone
    # after the last field of the last milestone
# trailing
"""
FLOW_ROWS = (
    "A,,,X,,,,1/1/2021,,",
    "B,,,Y,,,,2/1/2021,,",
    "C,,,Z,A,,,3/1/2021,,",
    "D,,,W,,,,4/1/2021,,",
)


def comments_of(text: str) -> list[str]:
    return re.findall(r"#[^\n]*", text)


def test_every_comment_is_kept_on_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "milestones.yaml"
    into.write_text(FLOW)
    result = run(capsys, export_csv(tmp_path, *FLOW_ROWS), into=into)
    assert result.status == 0, result.err
    text = into.read_text()
    assert comments_of(text) == comments_of(FLOW)  # all of them, in their order
    assert text.startswith("# Header one\n\n# Header two, after a blank line\nmilestones:  # note")
    assert "  - code: A  # why A\n" in text
    assert "    name: Y  # inside a flow entry\n" in text
    assert (
        "    # the first predecessor\n    # a comment line inside the list\n"
        "    predecessors: [A]  # after the list\n" in text
    )
    assert "    # between the key and its value\n    description: Long text.\n" in text
    assert "    name: W  # on the name\n" in text
    assert "    due: 2021-04-01  # the last field of the last milestone\n" in text
    assert text.endswith("  # after the last field of the last milestone\n  # trailing\n")
    # and a second import keeps them where the first put them
    again = run(capsys, export_csv(tmp_path, *FLOW_ROWS), into=into)
    assert again.status == 0 and into.read_text() == text


def test_the_comments_of_a_removed_milestone_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = EXISTING.replace(
        "  - code: GONE\n", "  # GONE was descoped (RFC-1)\n  - code: GONE  # upstream\n"
    )
    into = tmp_path / "milestones.yaml"
    into.write_text(data)
    result = updated(tmp_path, capsys, into)
    assert result.status == 0, result.err
    text = into.read_text()
    assert set(comments_of(data)) <= set(comments_of(text))
    assert (
        "  # Comments of GONE, which an import removed:\n"
        "  # GONE was descoped (RFC-1)\n  # upstream\n" in text
    )
    assert "The comments of removed milestone(s) GONE are kept at the end of" in result.err
