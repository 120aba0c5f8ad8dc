"""Reading an uploaded spreadsheet (XLSX or CSV) into a `tablib.Dataset` of text cells.

Files as offices keep them: the header row is found under title rows (merged or not), TOTAL and subtotal rows
are set aside (`Table.skipped`, shown in the preview), a formula cell gives the value Excel saved with it (never
evaluated here). Every way a file can be unreadable ends in `FichierIllisible` with a French message for the form;
the line number of each row in the original file is kept for the preview and the report. A workbook is streamed
(read-only), so its row count is checked before anything big is held.
"""

import csv
import datetime
import io
import re
from pathlib import PurePath

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ale_platform.exports import FORMULA_TRIGGERS

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_SCANNED = 4 * MAX_ROWS  # rows read, empty ones included, before a sheet is refused as too long
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
        self.header_line = 1
        self.skipped: list[tuple[int, str]] = []  # (line, reason): title, TOTAL and subtotal rows set aside


def too_many_rows(count) -> FichierIllisible:
    return FichierIllisible(
        _("Le fichier compte plus de %(max)s lignes : au plus %(max)s par fichier. Découpez-le en plusieurs fichiers.")
        % {"max": MAX_ROWS}
    )


def read_table(name: str, content: bytes, known_headers: set[str] | None = None) -> Table:
    """The file's rows under its header row. `known_headers` (normalised names of the kind of file's columns)
    finds the header row under title rows; without them, the first row naming two columns is the header."""
    if len(content) > MAX_BYTES:
        raise FichierIllisible(_("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers."))
    fmt = FORMATS.get(PurePath(name).suffix.lower())
    if fmt is None:
        raise FichierIllisible(_("Format non reconnu : déposez un classeur Excel (.xlsx) ou un fichier CSV (.csv)."))
    if not content.strip():
        raise FichierIllisible(_("Le fichier est vide."))
    rows = _xlsx_rows(content) if fmt == "xlsx" else _csv_rows(content)
    numbered = [(n, row) for n, row in rows if any(row)]
    if not numbered:
        raise FichierIllisible(_("Le fichier est vide."))
    at = _header_index(numbered, known_headers or set())
    skipped = [(n, _("Titre au-dessus de la ligne d'en-têtes")) for n, _row in numbered[:at]]
    header_line, header = numbered[at]
    body = []
    for n, row in numbered[at + 1 :]:
        if _is_total(row):
            skipped.append((n, _("Ligne de total ou de sous-total")))
        else:
            body.append((n, row))
    if not body:
        raise FichierIllisible(_("Le fichier ne contient que la ligne d'en-têtes, aucune donnée."))
    if len(body) > MAX_ROWS:
        raise too_many_rows(len(body))
    if sum(1 for h in header if h) < 2:
        raise FichierIllisible(
            _("La première ligne doit contenir les en-têtes des colonnes (au moins deux), un par colonne.")
        )
    width = max(len(header), *(len(row) for _n, row in body))
    headers = [h or _("Colonne %(n)s") % {"n": i + 1} for i, h in enumerate(_pad(header, width))]
    named = max(i + 1 for i, h in enumerate(header) if h)
    table = Table(headers=_unique(headers), lines=[n for n, _row in body], source_format=fmt, header_width=named)
    table.header_line = header_line
    table.skipped = skipped
    for _n, row in body:
        table.append(_pad(row, width))
    return table


HEADER_SEARCH = 30  # title rows an office puts above its headers
TOTAL = re.compile(r"^\s*(sous[\s-]?)?(total|totaux)\b|^\s*(sub)?totaal\b", re.IGNORECASE)


def _header_index(numbered, known: set[str]) -> int:
    """The header row: among the first rows, the one naming most of the known columns (a title row, even a merged
    one, names none); without a known column, the first row with two cells or more."""
    from .champs import normalise

    best, best_score = None, 0
    for index, (_n, row) in enumerate(numbered[:HEADER_SEARCH]):
        score = sum(1 for cell in row if cell and normalise(cell) in known)
        if score > best_score:
            best, best_score = index, score
    if best is not None and best_score >= 2:
        return best
    return next((i for i, (_n, row) in enumerate(numbered[:HEADER_SEARCH]) if sum(1 for c in row if c) >= 2), 0)


def _is_total(row) -> bool:
    """A TOTAL or subtotal row an office keeps under its data: one of its first cells says so."""
    return any(TOTAL.match(cell) for cell in [c for c in row if c][:2])


def _unique(headers: list[str]) -> list[str]:
    """Two columns with the same header (cells merged over two columns, say) get a number each."""
    seen: dict[str, int] = {}
    unique = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        unique.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return unique


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


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the first sheet's rows, streamed (read-only): the row count is checked while
    reading, before anything big is held. A formula cell gives the value Excel computed and saved with it; merged
    cells hold their value in their first cell."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the size the file declares is not trusted: every row is read (and counted)
    except Exception:  # noqa: BLE001 — whatever openpyxl stumbles on, the user gets the same clear message
        raise FichierIllisible(
            _("Ce fichier n'est pas un classeur Excel lisible (.xlsx). Ouvrez-le et enregistrez-le à nouveau.")
        ) from None
    rows, filled = [], 0
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in row]
            if any(cells):
                filled += 1
                rows.append((number, cells))
            if filled > MAX_ROWS + HEADER_SEARCH or number > MAX_SCANNED:
                raise too_many_rows(filled)
    except FichierIllisible:
        raise
    except Exception:  # noqa: BLE001 — a damaged sheet inside a readable archive
        raise FichierIllisible(
            _("Ce fichier n'est pas un classeur Excel lisible (.xlsx). Ouvrez-le et enregistrez-le à nouveau.")
        ) from None
    finally:
        workbook.close()
    return rows


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:  # an odd byte count, a lone surrogate: not UTF-16 after all
            text = None
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


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
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
    if sum(1 for row in rows if any(cell.strip() for cell in row)) > MAX_ROWS + HEADER_SEARCH:
        raise too_many_rows(len(rows))
    # A cell starting with "=", "+", "-" or "@" is text in a CSV (nothing here runs it): "=jardinage" or "-" is read
    # as the value it is, and every file the platform writes back neutralises it (`ale_platform.exports`).
    return [(n, [_text(v) for v in row]) for n, row in enumerate(rows, start=1)]
