"""The checks of one raw file's bytes and header row (contract section 5).

A CSV must be UTF-8 (a byte-order mark is ignored), not empty, with every
quote closed and commas between its fields; a Parquet file must begin and end
with its marker and have a readable schema. Each refusal is the sentence of
macros/raw/raw_file_messages.sql, naming the file and, where known, the line.
"""

from __future__ import annotations

import codecs
import csv
import io
from functools import cache
from pathlib import Path

from cs_analytics.raw.macros import default_macros, refusal

CHUNK_BYTES = 16 << 20
UTF8_BOM = codecs.BOM_UTF8
# A Parquet file begins and ends with these four bytes. Checked before the
# schema is read, so that a truncated or foreign file is refused with the same
# reason by every reader (the Spark macros check the same bytes).
PARQUET_MARKER = b"PAR1"


@cache
def other_delimiters() -> dict[str, str]:
    """Delimiter -> its name, for a header row of one field holding one of them."""
    return dict(default_macros().other_delimiter_names())


@cache
def parquet_marker_reason() -> str:
    return str(default_macros().parquet_marker_reason()).strip()


def check_csv_bytes(path: Path) -> None:
    """Refuse a CSV that cannot be read as one: 0 bytes, not UTF-8, or a quote
    that is never closed. One pass over the file."""
    if path.stat().st_size == 0:
        raise refusal("empty", path=path)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    quotes = 0
    offset = 0
    with path.open("rb") as handle:
        first = True
        while chunk := handle.read(CHUNK_BYTES):
            if first:
                _refuse_utf16(path, chunk)
                first = False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise refusal(
                    "not_utf8", path=path, line=_line_of(path, offset + error.start)
                ) from None
            quotes += chunk.count(b'"')
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise refusal("not_utf8", path=path, line=_line_of(path, offset)) from None
    if quotes % 2:
        raise refusal("unterminated_quote", path=path, line=_open_quote_line(path))


def _refuse_utf16(path: Path, first_chunk: bytes) -> None:
    head = first_chunk[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        raise refusal("utf16", path=path)


def _line_of(path: Path, offset: int) -> int:
    """The 1-based physical line holding byte `offset`."""
    line = 1
    with path.open("rb") as handle:
        remaining = offset
        while remaining > 0:
            chunk = handle.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            line += chunk.count(b"\n")
            remaining -= len(chunk)
    return line


def _open_quote_line(path: Path) -> int:
    """The line of the quote still open at the end of the file (the file has
    an odd number of quote characters)."""
    inside = False
    opened_at = 1
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            quotes = line.count(b'"')
            if quotes % 2:
                inside = not inside
                if inside:
                    opened_at = number
    return opened_at


def read_csv_header(path: Path) -> tuple[str, ...]:
    """The header row's names, trimmed (a BOM is ignored); refuses another delimiter."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM) :]
    text = head.decode("utf-8", errors="replace")
    try:
        row = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        row = []
    if len(row) == 1:
        for delimiter, name in other_delimiters().items():
            if delimiter in row[0]:
                raise refusal("other_delimiter", path=path, name=name)
    return tuple(name.strip() for name in row)


def read_parquet_header(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Column names (as written) and Arrow types of a Parquet file."""
    import pyarrow.parquet as pq

    try:
        if not _has_parquet_markers(path):
            raise ValueError(parquet_marker_reason())
        schema = pq.read_schema(path)
    except Exception as error:  # noqa: BLE001 - any unreadable file is refused the same way
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise refusal("not_parquet", path=path, reason=reason) from None
    return (
        tuple(schema.names),
        tuple(str(schema.field(index).type) for index in range(len(schema.names))),
    )


def _has_parquet_markers(path: Path) -> bool:
    size = path.stat().st_size
    if size < 2 * len(PARQUET_MARKER):
        return False
    with path.open("rb") as handle:
        head = handle.read(len(PARQUET_MARKER))
        handle.seek(size - len(PARQUET_MARKER))
        return head == PARQUET_MARKER and handle.read() == PARQUET_MARKER
