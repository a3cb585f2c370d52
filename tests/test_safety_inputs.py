"""Inputs bounded and typed: every file the build and the CLI read is a regular file of a
bounded size, read within limits, and anything else is a located problem, never a hang,
a traceback or a silent loss.

Hostile inputs are made here, small: a FIFO (``os.mkfifo``), ``/dev/zero``, a directory,
a socket, a sparse file just over a limit, CSV cells of 200,000 characters, a stray quote,
workbooks that inflate to 2 GiB from 2 MB (written by hand, so that making one takes no
2 GiB either), XML entity bombs, and overrides nested 50,000 deep. Whatever could hang runs
under a deadline: a subprocess with a timeout, or the corpus harness's alarm.
"""

from __future__ import annotations

import io
import os
import resource
import socket
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sphinxext_ldm import inputs, load
from sphinxext_ldm.glossary_csv import parse_glossarydefs
from sphinxext_ldm.importers import spreadsheets, workbook_limits
from sphinxext_ldm.load import load_acronyms, load_milestones
from sphinxext_ldm.problems import Problem
from tests import test_corpus
from tests.test_corpus import DATA_RST, OK, OK_SHOWN, BuildFn, assert_no_crash, deadline, lines
from tests.test_import import DATA, HEADER, run

#: The corpus harness: ``project(data, rst, conf=...)`` builds a small project.
project = test_corpus.project

REPO = Path(__file__).parent.parent
GLOSSARY_HEADER = (
    "Term,Description,Subsystem Tags,Documentation Tags,"
    "Associated Acronyms and Alternative Terms,Type\n"
)
MiB, GiB = 1 << 20, 1 << 30


def cli(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``sphinxext-ldm ARGS`` in a child process that is killed after ``timeout`` seconds
    (a hang fails the test instead of hanging it) and may use at most 2 GiB of memory (a
    bomb that got through fails it instead of swapping the machine)."""

    def limit_memory() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (2 * GiB, 2 * GiB))

    return subprocess.run(
        [sys.executable, "-m", "sphinxext_ldm", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=limit_memory,
        check=False,
    )


# -- files that are not regular files ------------------------------------------------------


@dataclass(frozen=True)
class Special:
    path: Path
    kind: str


@pytest.fixture(params=["fifo", "dev-zero", "directory", "socket"])
def special(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Special]:
    """A path that is no regular file: reading it would block, never end, or fail."""
    if request.param == "fifo":
        path = tmp_path / "fifo.yaml"
        os.mkfifo(path)
        yield Special(path, "a FIFO (named pipe)")
    elif request.param == "dev-zero":
        yield Special(Path("/dev/zero"), "a character device")
    elif request.param == "directory":
        path = tmp_path / "data.yaml"
        path.mkdir()
        yield Special(path, "a directory")
    else:
        path = tmp_path / "socket.yaml"
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
            yield Special(path, "a socket")


def not_regular(what: str, special: Special) -> str:
    return f"cannot read {what} {special.path}: it is {special.kind}, not a regular file"


def test_check_refuses_what_is_not_a_regular_file(special: Special) -> None:
    result = cli("check", special.path, timeout=30)
    assert result.returncode == 1
    assert result.stdout == (
        f"{special.path}:1: file: {not_regular('milestone data file', special)}\n"
    )
    assert "Traceback" not in result.stderr


def test_build_refuses_a_data_path_that_is_not_a_regular_file(
    project: BuildFn, special: Special
) -> None:
    with deadline(30):
        built = project(None, DATA_RST, conf=f"ldm_milestones_path = {str(special.path)!r}\n")
    assert_no_crash(built)
    assert built.warnings == [(f"{special.path.name}:1", "ldm.file")], built.warning_text
    assert not_regular("milestone data file", special) in built.warning_text


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_build_refuses_an_acronym_path_that_is_a_fifo(
    project: BuildFn, tmp_path: Path, suffix: str
) -> None:
    fifo = tmp_path / f"acronyms{suffix}"
    os.mkfifo(fifo)
    with deadline(30):
        conf = f"ldm_acronyms_path = {str(fifo)!r}\nldm_acronym_skip = ['OK']\n"
        built = project(lines("milestones:", OK), DATA_RST, conf=conf)
    assert_no_crash(built)
    assert built.warnings == [(f"{fifo.name}:1", "ldm.file")], built.warning_text
    assert f"cannot read acronym file {fifo}: it is a FIFO (named pipe)" in built.warning_text
    assert OK_SHOWN in built.text()


def test_import_refuses_a_fifo_as_export_overrides_or_data_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    export = DATA / "pmcs-201802-ME.csv"
    into = tmp_path / "m.yaml"
    read = "{fifo}:1: file: cannot read {what} {fifo}: it is a FIFO (named pipe)"
    for args, message in [
        ((fifo,), read.format(fifo=fifo, what="export")),
        ((export, "--local", fifo), read.format(fifo=fifo, what="overrides file")),
        # An output is checked before anything is read.
        ((export, "--into", fifo), f"file: cannot write {fifo}: not a regular file"),
        ((export, "--baseline", fifo, "--into", into), read.format(fifo=fifo, what="export")),
    ]:
        result = cli("import", *args, timeout=60)
        assert result.returncode == 1, result.stderr
        assert message in result.stderr
        assert "Nothing was written" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert not into.exists()


# -- files over the size limit ---------------------------------------------------------------


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes that takes no disk space (all but ``head`` is a hole)."""
    with path.open("wb") as stream:
        stream.write(head)
        stream.truncate(size)
    return path


def over_the_limit(what: str, path: Path, size: int, limit: str) -> str:
    return f"{what} {path} is too large: {size:,} bytes, over the limit of {limit}"


def test_check_and_build_refuse_a_data_file_over_the_limit(
    project: BuildFn, tmp_path: Path
) -> None:
    size = inputs.DATA_LIMIT + 1
    big = sparse(tmp_path / "big.yaml", size, b"milestones:\n")
    expected = over_the_limit("milestone data file", big, size, "512 MiB (536,870,912 bytes)")
    result = cli("check", big, timeout=30)
    assert result.returncode == 1
    assert result.stdout == f"{big}:1: file: {expected}; it is not read\n"
    with deadline(30):
        built = project(None, DATA_RST, conf=f"ldm_milestones_path = {str(big)!r}\n")
    assert_no_crash(built)
    assert built.warnings == [("big.yaml:1", "ldm.file")], built.warning_text
    assert expected in built.warning_text


def test_import_refuses_an_export_or_overrides_over_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = inputs.EXPORT_LIMIT + 1
    big = sparse(tmp_path / "big.csv", size, HEADER.encode())
    result = run(capsys, big)
    assert result.status == 1
    assert over_the_limit("export", big, size, "512 MiB (536,870,912 bytes)") in result.err
    local = sparse(tmp_path / "local.yaml", inputs.DATA_LIMIT + 1)
    result = run(capsys, DATA / "pmcs-201802-ME.csv", "--local", local)
    assert result.status == 1
    assert over_the_limit("overrides file", local, inputs.DATA_LIMIT + 1, "512 MiB") in result.err


def test_import_refuses_a_workbook_over_the_workbook_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = workbook_limits.WORKBOOK_LIMIT + 1
    big = sparse(tmp_path / "201904-ME.xls", size, spreadsheets.OLE2_MAGIC)
    with deadline(30):
        result = run(capsys, big)
    assert result.status == 1
    assert (
        f"{big}:1: file: the workbook is {size:,} bytes, over the limit of 128 MiB "
        "(134,217,728 bytes) for workbooks; it is not read"
    ) in result.err


# -- CSV cells of any size, and a stray quote ----------------------------------------------

BIG_CELL = "x" * 200_000


def test_import_reads_a_csv_cell_of_200000_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        HEADER
        + f"BIG-1,Not Started,,{BIG_CELL},,,,1/1/2024,,\n"
        + "OK-1,Not Started,,Fine,BIG-1,,,2/1/2024,,\n"
    )
    with deadline(30):
        result = run(capsys, export)
    assert result.status == 0, result.err[:2000]
    catalog = result.catalog()
    assert catalog.milestones["BIG-1"].name == BIG_CELL
    assert catalog.milestones["OK-1"].predecessors == ("BIG-1",)


def glossary(rows: list[str]) -> str:
    return GLOSSARY_HEADER + "".join(row + "\n" for row in rows)


def terms(count: int) -> list[str]:
    return [f"T{i},Definition {i},DM,,,A" for i in range(count)]


def test_glossary_reads_a_cell_of_200000_characters() -> None:
    rows = terms(3)
    rows[1] = f"T1,{BIG_CELL},DM,,,A"
    acronyms, problems = parse_glossarydefs(glossary(rows), "g.csv")
    assert problems == []
    assert [(a.term, len(a.definition), a.line) for a in acronyms] == [
        ("T0", 12, 2),
        ("T1", 200_000, 3),
        ("T2", 12, 4),
    ]


STRAY = 'T{n},"Definition {n},DM,,,A'


@pytest.mark.parametrize(
    ("where", "stray_line", "runs_to", "newline"),
    [
        # The quote of T10's field closes the stray one: T4 to T9 are swallowed.
        pytest.param(3, 5, 12, "\n", id="mid-file"),
        # The next quote is the very next row's: T10 alone is swallowed.
        pytest.param(9, 11, 12, "\n", id="just-before-a-quoted-field"),
        # No quote after it: everything to the end would be swallowed.
        pytest.param(15, 17, 21, "\n", id="no-quote-after-it"),
        pytest.param(19, 21, 21, "\n", id="on-the-last-row"),
        pytest.param(19, 21, 21, "", id="on-the-last-row-without-a-line-break"),
        pytest.param(3, 5, 12, "\r\n", id="crlf"),
    ],
)
def test_glossary_stray_quote_is_located_and_the_other_rows_are_read(
    where: int, stray_line: int, runs_to: int, newline: str
) -> None:
    rows = terms(20)
    rows[10] = 'T10,"Ten, with a comma",DM,,,A'  # a quoted field as real rows have them
    rows[where] = STRAY.format(n=where)
    text = glossary(rows)
    text = text.replace("\n", newline) if newline else text.rstrip("\n")
    acronyms, problems = parse_glossarydefs(text, "g.csv")
    assert problems == [
        Problem(
            "csv",
            f'a stray quote ("): a quoted field opens on this row and would run on to line '
            f"{runs_to}, taking in the rows between; this row is left out and the rows after "
            "it are read on their own",
            "g.csv",
            stray_line,
        )
    ]
    read = {a.term: a.definition for a in acronyms}
    assert sorted(read, key=lambda t: int(t[1:])) == [f"T{i}" for i in range(20) if i != where]
    assert read["T10"] == "Ten, with a comma"
    assert all(read[f"T{i}"] == f"Definition {i}" for i in range(20) if i not in (where, 10))
    assert [a.line for a in acronyms] == [i + 2 for i in range(20) if i != where]


def test_glossary_stray_quote_on_a_short_row_is_found_by_the_rows_it_takes_in() -> None:
    """The row with the quote lacks its last columns, so it is no whole row by itself:
    the rows it takes in are."""
    rows = terms(8)
    rows[2] = 'T2,"Definition 2'
    rows[6] = 'T6,"Six, with a comma",DM,,,A'
    acronyms, problems = parse_glossarydefs(glossary(rows), "g.csv")
    assert [(p.subtype, p.line) for p in problems] == [("csv", 4)]
    assert "would run on to line 8" in problems[0].message
    assert [a.term for a in acronyms] == ["T0", "T1", "T3", "T4", "T5", "T6", "T7"]


def test_glossary_keeps_real_quoted_line_breaks() -> None:
    """lsst-texmf's file has a description over two lines (Micro-survey): not a stray
    quote."""
    result = load_acronyms(REPO / "data" / "lsst-texmf-glossarydefs.csv")
    assert result.problems == []
    assert len(result.acronyms) == 1434


def acronym_table(built_page: str) -> dict[str, str]:
    rows = BeautifulSoup(built_page, "html.parser").select("table.ldm-acronyms tbody tr")
    return {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text() for tr in rows}


def test_build_with_a_glossary_of_a_huge_cell_and_a_stray_quote(
    project: BuildFn, tmp_path: Path
) -> None:
    rows = terms(20)
    rows[1] = f"T1,{BIG_CELL},DM,,,A"
    rows[3] = 'T3,"Definition 3,DM,,,A'
    rows[10] = 'T10,"Ten, with a comma",DM,,,A'
    (tmp_path / "g.csv").write_text(glossary(rows), encoding="utf-8")
    rst = DATA_RST + "\nTerms\n-----\n\n.. ldm-acronyms::\n   :include: T1 T2 T4 T10 T19\n"
    with deadline(60):
        built = project(
            lines("milestones:", OK),
            rst,
            conf=f"ldm_acronyms_path = {str(tmp_path / 'g.csv')!r}\nldm_acronym_skip = ['OK']\n",
        )
    assert_no_crash(built)
    assert built.warnings == [("g.csv:5", "ldm.csv")], built.warning_text
    table = acronym_table(built.page())
    assert table == {
        "T1": BIG_CELL,
        "T2": "Definition 2",
        "T4": "Definition 4",
        "T10": "Ten, with a comma",
        "T19": "Definition 19",
    }


# -- workbooks: inflated size, entities, cells, time -----------------------------------------


@dataclass(frozen=True)
class Member:
    """A zip member as stored: its raw deflate stream, CRC and inflated size."""

    name: str
    stream: bytes
    crc: int
    size: int


def deflated(name: str, content: bytes) -> Member:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = compressor.compress(content) + compressor.flush()
    return Member(name, stream, zlib.crc32(content), len(content))


def inflating(name: str, head: bytes, filler: bytes, count: int, tail: bytes) -> Member:
    """``head + filler * count + tail`` deflated without ever holding it: after a full
    flush the compressor starts afresh, so every ``filler`` block compresses to the same
    bytes, written ``count`` times."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(filler, crc)
    size = len(head) + len(filler) * count + len(tail)
    return Member(name, start + block * count + end, zlib.crc32(tail, crc), size)


def zip_archive(members: list[Member]) -> bytes:
    """A zip archive as zipfile and openpyxl read it, sizes and CRCs true."""
    body, directory = bytearray(), bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(body)
        sizes = (m.crc, len(m.stream), m.size, len(name))
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, 0)
        body += name + m.stream
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0, offset
        )
        directory += name
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    return bytes(body + directory + end)


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EXPORT_COLUMNS = ["task_code", "task_name", "status_code", "base_end_date", "act_end_date"]


def cells_xml(rows: list[list[str]]) -> str:
    out = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
            for i, v in enumerate(row)
        )
        out.append(f'<row r="{number}">{cells}</row>')
    return "".join(out)


def sheet_xml(rows: list[list[str]], doctype: str = "", dimension: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{SHEET_NS}">'
        f"{dimension}<sheetData>{cells_xml(rows)}</sheetData></worksheet>"
    ).encode()


def workbook(sheet: Member) -> bytes:
    """A real openpyxl workbook (sheets TASK and TASKPRED) with ``sheet`` as its TASK
    sheet's XML."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "TASK"
    book.create_sheet("TASKPRED").append(["pred_task_id", "task_id"])
    saved = io.BytesIO()
    book.save(saved)
    members = [sheet]
    with zipfile.ZipFile(saved) as archive:
        for info in archive.infolist():
            if info.filename != sheet.name:
                members.append(deflated(info.filename, archive.read(info)))
    return zip_archive(members)


TASK_XML = "xl/worksheets/sheet1.xml"
GOOD_ROWS = [EXPORT_COLUMNS, ["A-1", "Good", "Not Started", "1/1/2024", ""]]


def test_a_good_handmade_workbook_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The workbooks below differ from this one in one bomb each."""
    path = tmp_path / "export.xlsx"
    path.write_bytes(workbook(deflated(TASK_XML, sheet_xml(GOOD_ROWS))))
    result = run(capsys, path)
    assert result.status == 0, result.err
    assert result.catalog().milestones["A-1"].name == "Good"


def test_import_refuses_a_workbook_that_inflates_to_2_gib(tmp_path: Path) -> None:
    head = sheet_xml(GOOD_ROWS).split(b"<sheetData>")[0] + b"<sheetData>"
    sheet = inflating(TASK_XML, head, b" " * (16 * MiB), 128, b"</sheetData></worksheet>")
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(workbook(sheet))
    assert path.stat().st_size < 3 * MiB
    result = cli("import", path, timeout=60)
    assert result.returncode == 1
    total = sheet.size + sum(
        i.file_size for i in zipfile.ZipFile(path).infolist() if i.filename != TASK_XML
    )
    assert (
        f"{path}:1: file: the workbook inflates to {total / GiB:.1f} GiB ({total:,} bytes), over "
        "the limit of 1 GiB (1,073,741,824 bytes) (a zip bomb?); it is not read"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_import_refuses_a_workbook_member_that_inflates_too_many_times(tmp_path: Path) -> None:
    head = sheet_xml(GOOD_ROWS).split(b"<sheetData>")[0] + b"<sheetData>"
    sheet = inflating(TASK_XML, head, b" " * MiB, 64, b"</sheetData></worksheet>")
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(workbook(sheet))
    result = cli("import", path, timeout=60)
    assert result.returncode == 1
    ratio = sheet.size / len(sheet.stream)
    sizes = f"{inputs.size_text(sheet.size)} from {inputs.size_text(len(sheet.stream))}"
    assert (
        f"{path}:1: file: {TASK_XML} inflates {ratio:,.0f} times ({sizes}), over the limit "
        "of 100 times for members over 10 MiB (a zip bomb?); it is not read"
    ) in result.stderr


LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "lol">'
    + "".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
)


@pytest.mark.parametrize(
    ("doctype", "cell"),
    [
        pytest.param(LAUGHS, "&i;", id="billion-laughs"),
        pytest.param('<!DOCTYPE worksheet [<!ENTITY x "EXPANDED">]>', "&x;", id="one-entity"),
    ],
)
def test_import_refuses_xml_entities_in_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], doctype: str, cell: str
) -> None:
    rows = [EXPORT_COLUMNS, ["A-1", cell, "Not Started", "1/1/2024", ""]]
    path = tmp_path / "entities.xlsx"
    path.write_bytes(workbook(deflated(TASK_XML, sheet_xml(rows, doctype))))
    with deadline(30):
        result = run(capsys, path)
    assert result.status == 1
    assert (
        f"{path}:1: file: the workbook's XML declares entities, which are refused "
        "(an XML bomb?): EntitiesForbidden"
    ) in result.err
    assert "EXPANDED" not in result.out + result.err
    assert "lol" not in result.out + result.err


def test_xlsx_is_not_read_without_defusedxml(tmp_path: Path) -> None:
    """openpyxl uses defusedxml when it is installed, unless OPENPYXL_DEFUSEDXML turns it
    off: then the workbook is refused, not read with entities allowed."""
    path = tmp_path / "export.xlsx"
    path.write_bytes(workbook(deflated(TASK_XML, sheet_xml(GOOD_ROWS))))
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    result = subprocess.run(
        [sys.executable, "-m", "sphinxext_ldm", "import", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert (
        f"{path}:1: file: reading xlsx exports needs defusedxml, which keeps the workbook's "
        "XML from declaring entities; it is not installed, or OPENPYXL_DEFUSEDXML turns it "
        "off: pip install 'sphinxext-ldm[xlsx]'"
    ) in result.stderr


def test_import_refuses_a_workbook_with_too_many_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Eight hundred bytes that say the sheet is A1:XFD1048576: openpyxl pads every row
    to 16,384 cells and yields a million rows."""
    rows = GOOD_ROWS
    sheet = sheet_xml(rows, dimension='<dimension ref="A1:XFD1048576"/>')
    sheet = sheet.replace(b"</sheetData>", b'<row r="1048576"/></sheetData>')
    path = tmp_path / "cells.xlsx"
    path.write_bytes(workbook(deflated(TASK_XML, sheet)))
    with deadline(30):
        result = run(capsys, path)
    assert result.status == 1
    assert (
        f"{path}:1: file: the workbook has more than 10,000,000 cells "
        "(sheet TASK, row 611); it is not read"
    ) in result.err


def test_workbook_limits_on_cells_and_time_apply_to_xls() -> None:
    data = (DATA / "pmcs-201904-ME.xls").read_bytes()
    limits = workbook_limits.Limits(cells=5_000)
    assert spreadsheets.read_workbook(data, "x.xls", "xls", limits) == Problem(
        "file",
        "the workbook has more than 5,000 cells (sheet TASKPRED, row 159); it is not read",
        "x.xls",
        1,
    )
    limits = workbook_limits.Limits(seconds=0)
    assert spreadsheets.read_workbook(data, "x.xls", "xls", limits) == Problem(
        "file",
        "reading the workbook took more than 0 s (sheet TASK, row 1); it is not read",
        "x.xls",
        1,
    )
    assert not isinstance(spreadsheets.read_workbook(data, "x.xls", "xls"), Problem)


# -- nesting depth -----------------------------------------------------------------------------

DEPTH = 50_000


def deep_json() -> str:
    return '{\n  "A-1": {\n    "predecessors": ' + "[" * DEPTH + "]" * DEPTH + "\n  }\n}\n"


def deep_yaml_flow(depth: int) -> str:
    return "A-1:\n  predecessors: " + "[" * depth + "]" * depth + "\n"


def deep_yaml_block(depth: int) -> str:
    return "A-1:\n" + "".join("  " * (i + 1) + "- \n" for i in range(depth))


@pytest.mark.parametrize(
    ("name", "text", "loader", "expected"),
    [
        pytest.param("local.json", deep_json(), "libyaml", "3: json: JSON", id="json"),
        pytest.param("local.yaml", deep_json(), "libyaml", "3: json: JSON", id="json-named-yaml"),
        pytest.param(
            "local.yaml", deep_yaml_flow(990), "libyaml", "2: yaml: YAML", id="yaml-990-libyaml"
        ),
        pytest.param(
            "local.yaml", deep_yaml_flow(DEPTH), "python", "2: yaml: YAML", id="yaml-50000-python"
        ),
        pytest.param(
            "local.yaml",
            deep_yaml_block(2_000),
            "python",
            "101: yaml: YAML",
            id="yaml-block-python",
        ),
    ],
)
def test_overrides_nested_too_deeply_are_a_located_problem(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    text: str,
    loader: str,
    expected: str,
) -> None:
    if loader == "python":  # the pure-Python parser, where PyYAML has no libyaml
        monkeypatch.setattr(load, "YamlLoader", yaml.SafeLoader)
    local = tmp_path / name
    local.write_text(text)
    with deadline(30):
        result = run(capsys, DATA / "pmcs-201802-ME.csv", "--local", local)
    assert result.status == 1
    assert f"{local}:{expected} error in the overrides file: nested too deeply" in result.err, (
        result.err[:2000]
    )
    assert "Nothing was written" in result.err


# -- merge keys in the data file ---------------------------------------------------------------


def test_merge_keys_in_the_data_file_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "m.yaml"
    data.write_text(
        lines(
            "milestones:",
            "  - &base {code: A, name: Base, due: 2021-01-01}",
            "  - <<: *base",
            "    code: B",
        )
    )
    result = load_milestones(data)
    assert result.problems[0] == Problem(
        "schema",
        "a milestone has a merge key (<<), which the data format does not support; "
        "write the fields out",
        str(data),
        3,
    )
    assert sorted(result.catalog.milestones) == ["A"]
