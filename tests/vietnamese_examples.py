"""The Vietnamese example export (data/examples/, README "Your own data") in
its three forms, as Vietnamese offices save one table:

- `vietnamese_export/`: CSV UTF-8 with commas (the original, written by hand);
- `vietnamese_export_semicolon/`: the same CSV as Excel on a Windows set to
  Vietnamese saves it, with `;` between fields (its vars add
  `csv_delimiter: ';'`);
- `vietnamese_export_xlsx/`: the same tables as the Excel workbooks a
  point-of-sale or helpdesk export gives, dates and amounts typed as Excel
  types them (date cells, number cells) beside cells typed by hand as text,
  as such exports mix them. Its vars are the original's.

All three must give the same marts (tests/test_export_adaptation.py). This
module writes the two derived forms from the original; the test checks that
the committed files are what it writes. To write them again:

    python tests/vietnamese_examples.py
"""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workbook_files import write_workbook  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
COMMA = EXAMPLES / "vietnamese_export"
SEMICOLON = EXAMPLES / "vietnamese_export_semicolon"
WORKBOOKS = EXAMPLES / "vietnamese_export_xlsx"
TABLES = ("customers", "orders", "tickets", "survey_responses")

# The workbooks: each table's worksheet, its header as the CSV's, and the
# cells typed as an export types them (datetime and date: date cells; int and
# float: number cells; str: text cells, some of them dates and amounts typed
# by hand).
SHEETS: dict[str, tuple[str, list[list[Any]]]] = {
    "customers": ("Khách hàng", [
        ["KH1", "Nguyễn Văn An", "Hà Nội", "Zalo", "01/12/2024"],
        ["KH2", "Trần Thị Bình", "Đà Nẵng", "Facebook", date(2024, 12, 15)],
    ]),
    "orders": ("Đơn hàng", [
        ["DH1", "KH1", datetime(2025, 1, 5, 10, 0), "completed", 1250000],
        ["DH2", "KH2", "20/01/2025 14:30:00", "Completed", 1250000.5],
        ["DH3", "KH1", "2025-02-10T09:00:00", "cancelled", "300.000"],
        ["DH4", "KH1", date(2025, 2, 15), "completed", 2000000.25],
    ]),
    "tickets": ("Phiếu hỗ trợ", [
        ["PH1", "KH1", "NV1", "Zalo", "Giao hàng", "high", datetime(2025, 1, 6, 8, 0),
         datetime(2025, 1, 6, 8, 30), datetime(2025, 1, 6, 12, 0), 1],
        ["PH2", "KH2", "NV1", "Điện thoại", "Đổi trả, hoàn tiền", "Cao", "2025-01-21 09:00:00",
         datetime(2025, 1, 21, 13, 0), date(2025, 1, 23), 2],
        ["PH3", "KH1", None, "Email", "Thanh toán", "low", datetime(2025, 2, 12, 15, 0), None,
         None, None],
    ]),
    "survey_responses": ("Khảo sát", [
        ["PS1", "NPS", "KH1", None, 9, datetime(2025, 1, 7, 10, 0), "Rất tốt.\nSẽ quay lại."],
        ["PS2", "CSAT", "KH2", "PH2", 4, "24/01/2025", "Nhân viên nhiệt tình, nhưng phải chờ lâu"],
        ["PS3", "NPS", "KH2", None, 5, datetime(2025, 2, 20, 8, 0),
         'Giao chậm\r\nlần thứ "hai"'],
    ]),
}
SEMICOLON_VARS = """
# Excel on a Windows set to Vietnamese saves "CSV" with ';' between fields:
csv_delimiter: ';'
"""


def original_rows(table: str) -> list[list[str]]:
    with (COMMA / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def vars_text(example: Path) -> str:
    """The original's vars, its comment naming the folder of `example`."""
    text = (COMMA / "vars.yml").read_text(encoding="utf-8")
    return text.replace(f"data/examples/{COMMA.name}", f"data/examples/{example.name}")


def write_semicolon(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        data = (COMMA / f"{table}.csv").read_bytes()
        terminator = "\r\n" if data.split(b"\n", 1)[0].endswith(b"\r") else "\n"
        with (target / f"{table}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator=terminator)
            writer.writerows(original_rows(table))
    (target / "vars.yml").write_text(vars_text(SEMICOLON) + SEMICOLON_VARS, encoding="utf-8")


def write_workbooks(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        title, rows = SHEETS[table]
        write_workbook(target / f"{table}.xlsx", [original_rows(table)[0], *rows], title=title)
    (target / "vars.yml").write_text(vars_text(WORKBOOKS), encoding="utf-8")


if __name__ == "__main__":
    write_semicolon(SEMICOLON)
    write_workbooks(WORKBOOKS)
