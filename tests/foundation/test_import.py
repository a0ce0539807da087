"""Template import through the real CLI on real files, into a real SQLite and a real PostgreSQL database."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from store.database import Row, open_database
from tests.support.engines import both_engines

pytestmark = both_engines

HEADER = [
    "Case Reference",
    "Forename",
    "Surname",
    "Date of Birth",
    "Case Status",
    "Date Opened",
    "Date Closed",
    "Paper File",
    "Archbishop's List",
    "Lead Worker",
]


def xlsx(path: Path, rows: Sequence[Sequence[object]], *, title_rows: int = 2, sheet: str = "Cases") -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for index in range(title_rows):
        worksheet.append(["Diocese of Exampleton — safeguarding migration template" if index == 0 else None])
    for row in rows:
        worksheet.append(row)
    workbook.create_sheet("Notes").append(["Nothing to see"])
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def database_state(workspace) -> object:
    """What the database holds: on SQLite its file and write-ahead log byte for byte (a write may sit
    in the log until a checkpoint); on PostgreSQL the rows of every table an import writes."""
    if isinstance(workspace.database, Path):
        wal = workspace.database.with_name(workspace.database.name + "-wal")
        return workspace.database.read_bytes(), wal.read_bytes() if wal.exists() else b""
    with open_database(workspace.database, readonly=True) as db:
        return {
            table: [tuple(row) for row in db.query(f"SELECT * FROM {table} ORDER BY 1")]
            for table in ("records", "imports", "template_columns", "meta")
        }


def records(workspace) -> dict[str, Row]:
    with open_database(workspace.database, readonly=True) as db:
        return {row["reference_key"]: row for row in db.query("SELECT * FROM records")}


def test_header_found_below_title_rows_and_excel_dates_are_dates(tmp_path, workspace, run_cli) -> None:
    path = xlsx(
        tmp_path / "t.xlsx",
        [
            HEADER,
            [
                "SGD-2024-0412",
                "Zoë",
                "O'Brien",
                datetime(2011, 4, 3),
                "Open",
                datetime(2024, 1, 5),
                None,
                "Y",
                "N",
                "A. Smith",
            ],
            ["SGD/2023/0077", "Nguyễn", "Thị Lan", "05/11/2009", "closed", "1/2/2023", "14/03/2024", "Yes", "No", ""],
        ],
        title_rows=3,
    )
    result = run_cli("records", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "header on row 4" in result.output
    stored = records(workspace)
    assert set(stored) == {"SGD-2024-0412", "SGD-2023-0077"}
    zoe = stored["SGD-2024-0412"]
    assert (zoe["forename"], zoe["surname"], zoe["date_of_birth"]) == ("Zoë", "O'Brien", "2011-04-03")
    assert stored["SGD-2023-0077"]["case_reference"] == "SGD/2023/0077"  # written back in the template's form
    assert stored["SGD-2023-0077"]["status"] == "Closed"
    assert stored["SGD-2023-0077"]["date_of_birth"] == "2009-11-05"  # day-first
    assert stored["SGD-2023-0077"]["date_closed"] == "2024-03-14"


@pytest.mark.parametrize(
    ("field", "aliases", "column", "value", "expected"),
    [
        (
            "case_reference",
            ["Case Reference", "Case Ref", "Reference", "Ref", "Case ID", "Case Number", "ref."],
            "reference_key",
            "SGD-2024-0001",
            "SGD-2024-0001",
        ),
        ("forename", ["Forename", "First Name", "Given Name", "FIRST_NAME"], "forename", "Siobhán", "Siobhán"),
        ("surname", ["Surname", "Last Name", "Family Name"], "surname", "Ó Súilleabháin", "Ó Súilleabháin"),
        ("date_of_birth", ["Date of Birth", "DOB", "D.O.B."], "date_of_birth", "31/12/2010", "2010-12-31"),
        ("status", ["Case Status", "Status"], "status", "Open", "Open"),
        ("date_opened", ["Date Opened", "Opened"], "date_opened", "01/02/2020", "2020-02-01"),
        ("date_closed", ["Date Closed", "Closed"], "date_closed", "01/02/2021", "2021-02-01"),
        ("paper_file", ["Paper File", "Paper Record", "Paper File (Y/N)"], "paper_file", "True", 1),
        ("excluded", ["Archbishop's List", "ARCHBISHOPS LIST (Y/N)"], "excluded", "N", 0),
    ],
)
def test_every_alias_is_recognised(tmp_path, workspace, run_cli, field, aliases, column, value, expected) -> None:
    for number, alias in enumerate(aliases):
        header = ["Case Reference", alias] if field != "case_reference" else [alias, "Forename"]
        row = ["SGD-2024-0001", value] if field != "case_reference" else [value, "Ann"]
        path = write_csv(tmp_path / f"{number}.csv", [header, row])
        assert run_cli("records", "import", str(path)).exit_code == 0
        assert records(workspace)["SGD-2024-0001"][column] == expected, alias


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings_keep_names_exactly(tmp_path, workspace, run_cli, encoding) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["Case Ref", "First Name", "Last Name", "DOB"],
            ["CSC-2022-10443", "Zoë ", "O'Brien", "03/04/2011"],
            ["CSC-2022-10444", "Chloé", "Nowak-Kowalska", "4 May 2012"],
        ],
        encoding=encoding,
    )
    assert run_cli("records", "import", str(path)).exit_code == 0
    stored = records(workspace)
    assert stored["CSC-2022-10443"]["forename"] == "Zoë"  # trailing space trimmed, accent kept
    assert stored["CSC-2022-10444"]["surname"] == "Nowak-Kowalska"
    assert stored["CSC-2022-10444"]["date_of_birth"] == "2012-05-04"


def test_quality_report_names_each_problem_with_its_row(tmp_path, workspace, run_cli) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["Title row"],
            [],
            ["Case Reference", "Forename", "Date of Birth", "Case Status", "Archbishop's List", "Notes"],
            ["SGD-2024-0001", "Ann", "31/02/2010", "Open", "N", '=HYPERLINK("x")'],
            ["", "Bob", "01/01/2010", "Open", "N", ""],
            ["SGD 2024 0001", "Cat", "01/01/2010", "Open", "N", ""],
            ["SGD-2024-0002", "Dan", "01/01/2010", "Pending", "N", ""],
            ["SGD-2024-0003", "Eve", "01/01/2010", "Closed", "Y", ""],
        ],
    )
    result = run_cli("records", "import", str(path))
    assert result.exit_code == 0
    lines = result.output.splitlines()

    def has(row: int, kind: str) -> bool:
        return any(line.split()[:2] == [str(row), kind] for line in lines if line.strip())

    assert has(4, "bad_date") and has(4, "formula_like")
    assert has(5, "blank_reference")
    assert has(6, "duplicate_reference")
    assert has(7, "unknown_status")
    assert has(8, "excluded")
    assert "Ann" not in result.output and "Eve" not in result.output  # no names in the report
    assert "31/02/2010" not in result.output  # nor a date of birth: the row and column say where
    assert "31/02/2010" not in workspace.quality_report.read_text(encoding="utf-8")
    assert any("bad_date" in line and "Date of Birth" in line for line in lines)
    assert workspace.quality_report.read_text(encoding="utf-8").count("duplicate_reference") >= 1
    stored = records(workspace)
    assert set(stored) == {"SGD-2024-0001", "SGD-2024-0002", "SGD-2024-0003"}
    assert stored["SGD-2024-0001"]["forename"] == "Ann"  # the first of two duplicates is kept
    assert stored["SGD-2024-0003"]["excluded"] == 1


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("Date of Birth", "25/01/2617"),
        ("Date of Birth", "25/01/1092"),
        ("Date Opened", "01/01/2813"),
        ("Date Closed", "01/01/0022"),
    ],
)
def test_a_date_no_one_could_have_is_reported_and_kept(tmp_path, workspace, run_cli, column, value) -> None:
    """A slip of one key in a year: kept as written (a cover's true date still contradicts it, so
    its case file goes to a person), and named in the report by row and column, not by value."""
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["Case Reference", "Forename", column],
            ["SGD-2024-0001", "Ann", value],
            ["SGD-2024-0002", "Bob", "01/01/2010"],
        ],
    )
    result = run_cli("records", "import", str(path))
    assert result.exit_code == 0
    flagged = [line for line in result.output.splitlines() if "implausible_date" in line and column in line]
    assert len(flagged) == 1 and flagged[0].split()[0] == "2" and column in flagged[0]
    assert value not in result.output
    stored = records(workspace)["SGD-2024-0001"]
    assert stored[
        {"Date of Birth": "date_of_birth", "Date Opened": "date_opened", "Date Closed": "date_closed"}[column]
    ]


def test_refused_file_changes_nothing(tmp_path, workspace, run_cli) -> None:
    good = write_csv(tmp_path / "good.csv", [["Case Reference", "Forename"], ["SGD-2024-0001", "Ann"]])
    assert run_cli("records", "import", str(good)).exit_code == 0
    before = database_state(workspace)
    bad = write_csv(tmp_path / "bad.csv", [["Name", "Forename"], ["SGD-2024-0002", "Bob"]])
    result = run_cli("records", "import", str(bad))
    assert result.exit_code == 1
    assert "no case-reference column" in result.output
    assert set(records(workspace)) == {"SGD-2024-0001"}
    assert database_state(workspace) == before
    with open_database(workspace.database, readonly=True) as db:
        assert db.query("SELECT COUNT(*) FROM imports")[0][0] == 1


def test_reimport_updates_by_reference(tmp_path, workspace, run_cli) -> None:
    first = write_csv(
        tmp_path / "1.csv", [["Case Reference", "Forename", "Case Status"], ["SGD-2024-0001", "Ann", "Open"]]
    )
    second = write_csv(
        tmp_path / "2.csv",
        [
            ["Case Reference", "Forename", "Case Status"],
            ["SGD/2024/0001", "Anne", "Closed"],
            ["SGD-2024-0002", "Bob", "Open"],
        ],
    )
    run_cli("records", "import", str(first))
    result = run_cli("records", "import", str(second))
    assert "1 added, 1 updated" in result.output
    stored = records(workspace)
    assert len(stored) == 2
    assert (stored["SGD-2024-0001"]["forename"], stored["SGD-2024-0001"]["status"]) == ("Anne", "Closed")


def test_sheet_option_and_wrong_sheet(tmp_path, workspace, run_cli) -> None:
    path = xlsx(tmp_path / "t.xlsx", [HEADER, ["SGD-2024-0412", "Zoë", "O'Brien", date(2011, 4, 3)]])
    assert run_cli("records", "import", str(path), "--sheet", "Cases").exit_code == 0
    result = run_cli("records", "import", str(path), "--sheet", "Kases")
    assert result.exit_code == 2
    assert "no sheet named 'Kases'" in result.output and "Cases, Notes" in result.output


@pytest.mark.parametrize(
    "name,content,exit_code",
    [
        ("t.xls", b"\xd0\xcf\x11\xe0", 2),  # the wrong kind of file: the user chose it
        ("missing.csv", None, 2),
        ("broken.xlsx", b"PK\x03\x04junk", 1),  # the right kind, but its content cannot be read
    ],
)
def test_unreadable_templates_give_one_line(tmp_path, workspace, run_cli, name, content, exit_code) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run_cli("records", "import", str(path))
    assert result.exit_code == exit_code
    assert result.output.count("\n") == 1 and result.output.startswith("casescan: ")
    assert "Traceback" not in result.output


def test_status_counts_records(tmp_path, workspace, run_cli) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["Case Reference", "Case Status", "Paper File", "Archbishop's List"],
            ["SGD-2024-0001", "Open", "Y", "N"],
            ["SGD-2024-0002", "Closed", "Y", "N"],
            ["SGD-2024-0003", "Closed", "N", "N"],
            ["SGD-2024-0004", "Open", "Y", "Y"],
        ],
    )
    run_cli("records", "import", str(path))
    import json

    report = json.loads(run_cli("status", "--json").output)["records"]
    assert report["in_scope"] == 3 and report["excluded"] == 1
    assert (report["open"], report["closed"]) == (1, 2)
    assert (report["paper_open_expected"], report["paper_closed_expected"]) == (1, 1)
