"""CSV and XLSX downloads of any staff list, from one description of its columns.

Every export goes through `export_response`, which is the one place that
- neutralises text that a spreadsheet would run as a formula (a cell typed by a client, a worker or an adviser
  that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`), and writes XLSX text cells
  as text, never as formulas;
- writes numbers and dates the Belgian way: CSV for Excel in fr-BE (semicolons, decimal comma, dd/mm/yyyy),
  XLSX with real numbers and dates carrying a number format, and columns wide enough to read.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TIME_FORMAT = "HH:MM"
DECIMAL_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def export_response(rows: Iterable, columns: list[Column], filename: str, fmt: str) -> HttpResponse:
    """`fmt` is "csv" (UTF-8 with BOM and semicolons, as Excel expects in Belgium) or "xlsx"."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    data = [[c.value(row) for c in columns] for row in rows]
    content = table_bytes([str(c.header) for c in columns], data, fmt, title=filename)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def table_bytes(headers: list, rows: Iterable[list], fmt: str, title: str = "") -> bytes:
    """One table as a file, every cell (headers included) neutralised: the one writer of every file the platform
    hands out (exports, the import's report, templates and samples)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "csv":
        return _csv([cell_value(h) for h in headers], [[cell_value(v) for v in row] for row in rows]).encode("utf-8")
    return workbook_bytes([(title, headers, rows)])


def workbook_bytes(sheets: list[tuple[str, list, Iterable[list]]]) -> bytes:
    """An XLSX of several sheets (title, headers, rows), written like `table_bytes`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        _fill(sheet, [cell_value(h) for h in headers], [[cell_value(v) for v in row] for row in rows])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip()
    return (cleaned or "Feuille")[:31]


def neutralise(text: str) -> str:
    """Text that a spreadsheet would read as a formula, shown as the text it is."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def cell_value(value):
    """A Python value as an export cell: a number, a date or time (local), or neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | datetime.time):
        return value
    return neutralise(str(value))


def csv_text(value) -> str:
    """A cell as Excel in fr-BE reads it from a CSV: decimal comma, day/month/year."""
    if isinstance(value, float | Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)


def _csv(headers: list[str], data: list[list]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    writer.writerows([csv_text(value) for value in row] for row in data)
    return buffer.getvalue()


def _number_format(value) -> str | None:
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, float | Decimal):
        return DECIMAL_FORMAT
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, datetime.time):
        return TIME_FORMAT
    return None


def _text(cell, text: str) -> None:
    cell.value = text
    cell.data_type = TYPE_STRING  # never a formula, whatever it starts with


def _fill(sheet, headers: list, data: list[list]) -> None:
    widths = [len(str(header)) for header in headers]
    for column_index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column_index)
        _text(cell, str(header))
        cell.font = Font(bold=True)
    for row_index, row in enumerate(data, start=2):
        for column_index, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column_index)
            if isinstance(value, str):
                _text(cell, value)
            else:
                cell.value = value
                cell.number_format = _number_format(value)
            if column_index > len(widths):
                widths.append(0)
            widths[column_index - 1] = max(widths[column_index - 1], len(csv_text(value)))
    for column_index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column_index)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
