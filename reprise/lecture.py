"""Reading an uploaded spreadsheet (XLSX or CSV) into a `tablib.Dataset` of text cells.

Every way a file can be unreadable ends in `FichierIllisible` with a French message for the form; a formula
is never evaluated; the line number of each row in the original file is kept for the preview and the report.
"""

import csv
import datetime
import io
from pathlib import PurePath

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ale_platform.exports import FORMULA_TRIGGERS

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".txt": "csv"}


class FichierIllisible(ValidationError):
    pass


class Table(tablib.Dataset):
    """A dataset whose rows remember their line number in the original file (`lines`)."""

    def __init__(self, *args, lines=(), source_format="csv", header_width=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        self.source_format = source_format
        # How many columns the header row names (up to its last non-empty cell); cells beyond have no header.
        self.header_width = header_width


def read_table(name: str, content: bytes) -> Table:
    if len(content) > MAX_BYTES:
        raise FichierIllisible(_("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers."))
    fmt = FORMATS.get(PurePath(name).suffix.lower())
    if fmt is None:
        raise FichierIllisible(_("Format non reconnu : déposez un classeur Excel (.xlsx) ou un fichier CSV (.csv)."))
    if not content.strip():
        raise FichierIllisible(_("Le fichier est vide."))
    rows = _xlsx_rows(content) if fmt == "xlsx" else _csv_rows(content)
    numbered = [(n, [_text(v) for v in row]) for n, row in enumerate(rows, start=1)]
    numbered = [(n, row) for n, row in numbered if any(row)]
    if not numbered:
        raise FichierIllisible(_("Le fichier est vide."))
    header_line, header = numbered[0]
    body = numbered[1:]
    if not body:
        raise FichierIllisible(_("Le fichier ne contient que la ligne d'en-têtes, aucune donnée."))
    if len(body) > MAX_ROWS:
        raise FichierIllisible(
            _("Le fichier compte %(n)s lignes : au plus %(max)s par fichier. Découpez-le en plusieurs fichiers.")
            % {"n": len(body), "max": MAX_ROWS}
        )
    if sum(1 for h in header if h) < 2:
        raise FichierIllisible(
            _("La première ligne doit contenir les en-têtes des colonnes (au moins deux), un par colonne.")
        )
    width = max(len(header), *(len(row) for _n, row in body))
    headers = [h or _("Colonne %(n)s") % {"n": i + 1} for i, h in enumerate(_pad(header, width))]
    named = max(i + 1 for i, h in enumerate(header) if h)
    table = Table(headers=headers, lines=[n for n, _row in body], source_format=fmt, header_width=named)
    for _n, row in body:
        table.append(_pad(row, width))
    return table


def _pad(row, width):
    return list(row) + [""] * (width - len(row))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]  # a cell neutralised by our own error report, deposited again once corrected
    return text


def _xlsx_rows(content: bytes) -> list[list]:
    try:
        # Not read-only: merged cells are only known to a fully loaded sheet. Formulas stay text ("=A2&B2").
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    except Exception:  # noqa: BLE001 — whatever openpyxl stumbles on, the user gets the same clear message
        raise FichierIllisible(
            _("Ce fichier n'est pas un classeur Excel lisible (.xlsx). Ouvrez-le et enregistrez-le à nouveau.")
        ) from None
    sheet = workbook.worksheets[0]
    if sheet.max_row > MAX_ROWS + 1:
        raise FichierIllisible(
            _("Le fichier compte %(n)s lignes : au plus %(max)s par fichier. Découpez-le en plusieurs fichiers.")
            % {"n": sheet.max_row - 1, "max": MAX_ROWS}
        )
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    first = next((i + 1 for i, row in enumerate(rows) if any(v not in (None, "") for v in row)), None)
    if first is not None:
        for merged in sheet.merged_cells.ranges:
            if merged.min_row <= first <= merged.max_row:
                raise FichierIllisible(
                    _(
                        "La ligne d'en-têtes contient des cellules fusionnées (%(cells)s). Défusionnez-les : une "
                        "seule ligne d'en-têtes, un titre par colonne, sans titre général au-dessus."
                    )
                    % {"cells": merged.coord}
                )
    formulas = [
        cell.coordinate
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    ]
    if formulas:
        raise FichierIllisible(
            _(
                "Le fichier contient des formules (cellules %(cells)s) : elles ne sont pas calculées à l'import. "
                "Copiez les colonnes puis « Collage spécial > Valeurs », enregistrez et déposez-le à nouveau."
            )
            % {"cells": ", ".join(formulas[:5]) + ("…" if len(formulas) > 5 else "")}
        )
    return rows


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = content.decode("utf-16")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")  # Excel's "CSV" on Windows
            except UnicodeDecodeError:
                text = None
    if text is None or "\x00" in text:
        raise FichierIllisible(
            _(
                "Encodage du fichier non reconnu : ce n'est pas un texte CSV lisible. Dans Excel, choisissez "
                "« Enregistrer sous > CSV UTF-8 » ou déposez le classeur .xlsx."
            )
        )
    return text


class _Semicolon(csv.excel):
    delimiter = ";"


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decode(content)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon if sample.count(";") >= sample.count(",") else csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error:
        raise FichierIllisible(_("Le fichier CSV est mal formé (guillemets non fermés ?).")) from None
    if len(rows) > MAX_ROWS + 1:
        raise FichierIllisible(
            _("Le fichier compte %(n)s lignes : au plus %(max)s par fichier. Découpez-le en plusieurs fichiers.")
            % {"n": len(rows) - 1, "max": MAX_ROWS}
        )
    formulas = [row for row in rows[1:] if any(cell.startswith("=") for cell in row)]
    if formulas:
        raise FichierIllisible(
            _("Le fichier contient des formules (cellules commençant par « = ») : remplacez-les par leurs valeurs.")
        )
    return rows
