"""CSV and XLSX downloads of any staff list, from one description of its columns."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def export_response(rows: Iterable, columns: list[Column], filename: str, fmt: str) -> HttpResponse:
    """`fmt` is "csv" (UTF-8 with BOM and semicolons, as Excel expects in Belgium) or "xlsx"."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    headers = [str(c.header) for c in columns]
    data = ([_cell(c.value(row)) for c in columns] for row in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(headers)
        writer.writerows(data)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=False)
        sheet = workbook.active
        sheet.title = filename[:31]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in data:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str | int | float) or hasattr(value, "isoformat"):
        return value
    return str(value)
