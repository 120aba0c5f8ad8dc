import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import AgenceFactory, CollaborateurFactory, PrestationFactory, UtilisateurFactory
from tests.pdf import pdf_text

# Prestations on set days of the year, reported while the year runs: the tests travel to a day after them.
YEAR = 2026
pytestmark = [pytest.mark.django_db, pytest.mark.today(f"{YEAR}-06-17")]


@pytest.fixture
def agence(client):
    agence = AgenceFactory(nom="ALE de Gembloux")
    client.force_login(CollaborateurFactory(agence=agence))
    school = UtilisateurFactory(agence=agence, type="enseignement", nom="École communale")
    home = UtilisateurFactory(agence=agence, type="particulier")
    p = PrestationFactory(
        prestataire__agence=agence,
        utilisateur=school,
        date=datetime.date(YEAR, 1, 12),
        heures=Decimal("1.5"),
        statut="validee",
        activite__nom="Surveillance de midi",
    )
    PrestationFactory(
        prestataire=p.prestataire,
        utilisateur=school,
        activite=p.activite,
        date=datetime.date(YEAR, 1, 13),
        heures=Decimal("1.5"),
        statut="validee",
    )
    PrestationFactory(
        prestataire__agence=agence,
        utilisateur=home,
        date=datetime.date(YEAR, 2, 3),
        heures=3,
        statut="effectuee",
        activite__nom="Petit jardinage",
    )
    PrestationFactory(
        prestataire__agence=agence,
        utilisateur=home,
        date=datetime.date(YEAR, 2, 4),
        heures=3,
        statut="annulee",
        activite__nom="Garde d'enfants",
    )
    PrestationFactory(date=datetime.date(YEAR, 2, 3), heures=7, statut="validee")  # another agency
    return agence


def test_yearly_report_counts_hours_by_activity_and_client_type(client, agence):
    report = client.get(reverse("yearly_report")).context["report"]
    assert report.total_hours == Decimal(6)
    assert [(r["activite"], r["type"], r["hours"]) for r in report.hours] == [
        ("Petit jardinage", "Particulier", Decimal(3)),
        ("Surveillance de midi", "Établissement d'enseignement", Decimal(3)),
    ]
    assert report.workers_active == 2 and report.clients_served == 2


def test_yearly_report_pdf_has_the_figures(client, agence):
    response = client.get(reverse("yearly_report"), {"annee": YEAR, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"Rapport d'activité {YEAR}" in text
    assert "ALE de Gembloux" in text
    assert "Surveillance de midi" in text and "Établissement d'enseignement" in text


def test_yearly_report_xlsx_and_csv(client, agence):
    xlsx = client.get(reverse("yearly_report"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Activité", "Type d'utilisateur", "Prestations", "Heures")
    assert ("Surveillance de midi", "Établissement d'enseignement", 2, 3) in rows
    csv = client.get(reverse("yearly_report"), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "Activité;Type d'utilisateur;Prestations;Heures"
