"""Every staff list downloads its filtered rows as CSV and as an XLSX that opens in a spreadsheet."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prestations.services import record_cheque, record_prestation, validate_prestation
from tests.factories import AdressageFactory, PrestataireFactory, UtilisateurFactory
from tests.prestations.factories import ready
from tests.utilisateurs.factories import DemandeFactory

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def column(rows, header) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def staff_a(client, world):
    client.force_login(world.users["collab_a"])
    return client


def test_prestataires_xlsx_follows_the_filters(staff_a, world):
    PrestataireFactory(agence=world.agence_a, nom="Émile", statut="actif")
    PrestataireFactory(agence=world.agence_a, nom="Zoé", statut="inscrit")
    PrestataireFactory(agence=world.agence_b, nom="Yves", statut="actif")
    rows = sheet(staff_a.get(reverse("prestataires:export_xlsx"), {"statut": "actif"}))
    assert rows[0][:3] == ["Nom", "Prénom", "NISS"]
    names = column(rows, "Nom")
    assert "Émile" in names and "Zoé" not in names and "Yves" not in names


def test_utilisateurs_xlsx_follows_the_filters(staff_a, world):
    UtilisateurFactory(agence=world.agence_a, nom="Aubry", commune="Sauvenière")
    UtilisateurFactory(agence=world.agence_a, nom="Bastin", commune="Lonzée")
    rows = sheet(staff_a.get(reverse("utilisateurs:export_xlsx"), {"commune": "sauven"}))
    assert column(rows, "Nom") == ["Aubry"]


def test_demandes_export_follows_the_filters(staff_a, world):
    DemandeFactory(utilisateur=world.utilisateur_a, description="Tonte", statut="nouvelle")
    DemandeFactory(utilisateur=world.utilisateur_a, description="Repassage", statut="annulee")
    DemandeFactory(utilisateur=world.utilisateur_b, description="Hors agence", statut="nouvelle")
    url = reverse("utilisateurs:demande_list")
    rows = sheet(staff_a.get(url, {"statut": "nouvelle", "format": "xlsx"}))
    assert column(rows, "Description") == ["Tonte"]
    text = staff_a.get(url, {"statut": "nouvelle", "format": "csv"}).content.decode("utf-8-sig")
    assert "Tonte" in text and "Repassage" not in text and "Hors agence" not in text


def test_adressages_export_follows_the_filters(staff_a, world):
    AdressageFactory(agence=world.agence_a, nom="Témoin-Convoqué", etat="convoque")
    rows = sheet(staff_a.get(reverse("forem_liaison:staff_list"), {"etat": "recu", "format": "xlsx"}))
    names = column(rows, "Nom")
    assert world.adressage_a.nom in names and "Témoin-Convoqué" not in names and world.adressage_b.nom not in names
    csv = staff_a.get(reverse("forem_liaison:staff_list"), {"etat": "convoque", "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert "Témoin-Convoqué" in text and world.adressage_a.nom not in text


@pytest.fixture
def s():
    return ready(year=2026)


@pytest.fixture
def staff_s(client, s):
    client.force_login(s.staff)
    return client


def _record(s, day, utilisateur=None):
    return record_prestation(
        prestataire=s.prestataire,
        utilisateur=utilisateur or s.utilisateur,
        activite=s.generale,
        date=day,
        debut=datetime.time(8),
        fin=datetime.time(10),
        heures=Decimal(2),
        acting_user=s.staff,
        override_reason="test",
    )


def test_prestations_list_exports_follow_the_filters(staff_s, s):
    march = _record(s, datetime.date(2026, 3, 3))
    april = _record(s, datetime.date(2026, 4, 7))
    url = reverse("prestations:list")
    rows = sheet(staff_s.get(url, {"du": "2026-04-01", "format": "xlsx"}))
    assert column(rows, "Référence") == [april.reference]
    assert column(rows, "Heures") == [2]
    text = staff_s.get(url, {"au": "2026-03-31", "format": "csv"}).content.decode("utf-8-sig")
    assert march.reference in text and april.reference not in text


def test_cheques_and_regularisation_xlsx_follow_the_filters(staff_s, s):
    record_cheque(agence=s.agence, numero="4444444444", utilisateur=s.utilisateur, acting_user=s.staff)
    record_cheque(agence=s.agence, numero="5555555555", utilisateur=s.ferme, acting_user=s.staff, statut="conteste")
    rows = sheet(staff_s.get(reverse("prestations:cheques"), {"statut": "remis", "format": "xlsx"}))
    assert column(rows, "Numéro") == ["4444444444"]
    owed = validate_prestation(prestation=_record(s, datetime.date(2026, 3, 3)), acting_user=s.staff)
    other = validate_prestation(prestation=_record(s, datetime.date(2026, 3, 4), s.ferme), acting_user=s.staff)
    url = reverse("prestations:a_regulariser")
    rows = sheet(staff_s.get(url, {"utilisateur": s.utilisateur.pk, "format": "xlsx"}))
    assert column(rows, "Référence") == [owed.reference]
    assert other.reference in staff_s.get(url, {"format": "csv"}).content.decode("utf-8-sig")


def test_exports_speak_the_screens_labels_and_keep_real_cells(staff_s, s):
    """Labels as on screen (not "papier", "remis", "oui"), real times and dates in XLSX, Belgian text in CSV."""
    record_cheque(agence=s.agence, numero="4444444444", utilisateur=s.utilisateur, acting_user=s.staff)
    rows = sheet(staff_s.get(reverse("prestations:cheques"), {"format": "xlsx"}))
    assert column(rows, "Type") == ["Papier"]
    assert column(rows, "Statut") == ["Remis au prestataire par l'utilisateur"]
    assert column(rows, "Nominatif") == ["Oui"]
    text = staff_s.get(reverse("prestations:cheques"), {"format": "csv"}).content.decode("utf-8-sig")
    assert ";papier;" not in text and ";remis" not in text and ";oui;" not in text
    assert ";Papier;Oui;" in text

    _record(s, datetime.date(2026, 3, 3))
    rows = sheet(staff_s.get(reverse("prestations:list"), {"format": "xlsx"}))
    assert column(rows, "Date") == [datetime.datetime(2026, 3, 3)]
    assert column(rows, "Début") == [datetime.time(8)]
    assert column(rows, "Fin") == [datetime.time(10)]
    text = staff_s.get(reverse("prestations:list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert ";03/03/2026;08:00;10:00;" in text


def test_requests_and_referrals_export_real_dates_and_yes_no(staff_a, world):
    DemandeFactory(utilisateur=world.utilisateur_a, description="Tonte", statut="nouvelle")
    rows = sheet(staff_a.get(reverse("utilisateurs:demande_list"), {"format": "xlsx"}))
    assert all(isinstance(value, datetime.datetime) for value in column(rows, "Reçue le"))
    rows = sheet(staff_a.get(reverse("forem_liaison:staff_list"), {"format": "xlsx"}))
    assert set(column(rows, "Retour en retard")) <= {"Oui", "Non"}
