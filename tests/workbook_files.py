"""Excel workbooks for the tests, written with openpyxl: another library than
python-calamine, which the project reads them with.

openpyxl writes no cached value for a formula, so `with_formulas` adds the
formula to a cell whose value openpyxl wrote, as Excel saves a computed cell
(the formula and its last value). The OLE2 files are the first bytes of the
two kinds of file a `.xlsx` name may hide: an Excel 97-2003 workbook and an
encrypted workbook (an OLE2 compound file holding an EncryptedPackage stream).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

OLE_MARKER = bytes.fromhex("d0cf11e0a1b11ae1")
OLD_XLS = OLE_MARKER + bytes(504) + "Root Entry".encode("utf-16-le") + "Workbook".encode(
    "utf-16-le"
)
ENCRYPTED_XLSX = (
    OLE_MARKER
    + bytes(504)
    + "EncryptionInfo".encode("utf-16-le")
    + bytes(64)
    + "EncryptedPackage".encode("utf-16-le")
)
SHEET_XML = "xl/worksheets/sheet1.xml"


def write_workbook(
    path: Path,
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
    first_row: int = 1,
    first_column: int = 1,
    number_formats: Mapping[str, str] | None = None,
    merged: Sequence[str] = (),
    epoch_1904: bool = False,
    sheet_before: str | None = None,
) -> Path:
    """One worksheet holding `rows` from (first_row, first_column); None is an
    empty cell. `sheet_before` puts another worksheet of that name first
    (hidden), so the table's is the second in tab order."""
    workbook = Workbook()
    if epoch_1904:
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    sheet.title = title
    if sheet_before is not None:
        before = workbook.create_sheet(sheet_before, 0)
        before["A1"] = "not the table"
        before.sheet_state = "hidden"
        workbook.active = 1
    for row_offset, row in enumerate(rows):
        for column_offset, value in enumerate(row):
            if isinstance(value, str):
                # Excel stores a carriage return in a cell as _x000D_ (XML
                # would read a bare one as a line feed).
                value = value.replace("\r", "_x000D_")
            if value is not None:
                sheet.cell(first_row + row_offset, first_column + column_offset, value)
    for reference, number_format in (number_formats or {}).items():
        sheet[reference].number_format = number_format
    for cells in merged:
        sheet.merge_cells(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def with_formulas(path: Path, formulas: Mapping[str, str], sheet_xml: str = SHEET_XML) -> None:
    """Make each cell of `formulas` a formula whose cached value is the value
    openpyxl wrote there (a number, an error, or a text)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    xml = members[sheet_xml].decode("utf-8")
    for reference, formula in formulas.items():
        text_cell = re.compile(
            rf'<c r="{reference}"([^>]*) t="inlineStr"><is><t>([^<]*)</t></is></c>'
        )
        value_cell = re.compile(rf'(<c r="{reference}"[^>]*>)(<v>)')
        if text_cell.search(xml):
            xml = text_cell.sub(
                rf'<c r="{reference}"\1 t="str"><f>{formula}</f><v>\2</v></c>', xml
            )
        else:
            xml, count = value_cell.subn(rf"\1<f>{formula}</f>\2", xml)
            assert count == 1, f"no value in {reference}"
    members[sheet_xml] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
