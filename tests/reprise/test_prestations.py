"""This year's prestations: imported through the rule book (year, eligibility, client's rights, caps per person),
recorded as validated, idempotent, into the administrator's agencies only."""

import datetime
from collections import defaultdict
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ale_platform.identifiers import format_niss
from ale_platform.models import Activite
from prestations.models import BilanMensuel, Prestation
from reprise.fichiers import worked_days
from tests.factories import (
    AgenceFactory,
    CollaborateurFactory,
    PrestataireFactory,
    PrestationFactory,
    UtilisateurFactory,
)
from tests.prestations.factories import authorise

from .conftest import errors, results, xlsx

# Only this year's past prestations are imported: on the 2nd of January there is no working day to import yet,
# so these tests travel to a day with a few months behind it (and a public holiday: Easter Monday, 6 April).
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-06-17")]

HEADERS = ["NISS du prestataire", "NISS ou BCE du client", "Activité", "Date", "De", "À", "Heures"]


def month_of_working_days(count: int) -> list[datetime.date]:
    """`count` working days of one month of the current year, all before today."""
    by_month = defaultdict(list)
    for day in worked_days(250):
        by_month[day.month].append(day)
    month = max(m for m, days in by_month.items() if len(days) >= count)
    return by_month[month][:count]


@pytest.fixture
def people(agence):
    jardinage = Activite.objects.get(agence=agence, nom="Jardinage")
    worker = PrestataireFactory(agence=agence, statut="actif")
    client = UtilisateurFactory(agence=agence)
    authorise(client, jardinage, timezone.localdate().year)
    return worker, client, jardinage


def row(worker, client, day, start="08:00", end="16:00", hours="8", activite="Jardinage"):
    return [format_niss(worker.niss), format_niss(client.niss), activite, day.strftime("%d/%m/%Y"), start, end, hours]


def test_rows_are_recorded_validated_with_the_import_in_their_history(wizard, agence, admin, people):
    worker, client, _jardinage = people
    days = month_of_working_days(2)
    reprise = wizard(
        agence,
        xlsx([HEADERS, row(worker, client, days[0]), row(worker, client, days[1], "09:00", "", "2,5")]),
        entite="prestations",
    )
    assert reprise.statut == "terminee", reprise.erreur
    assert results(reprise) == ["nouveau", "nouveau"]
    recorded = Prestation.objects.filter(prestataire=worker).order_by("date")
    assert [(p.statut, p.heures, p.fin) for p in recorded] == [
        ("validee", Decimal("8.00"), datetime.time(16, 0)),
        ("validee", Decimal("2.50"), datetime.time(11, 30)),
    ]
    history = recorded[0].history.first()
    assert history.history_user == admin
    assert history.history_change_reason == reprise.change_reason
    bilan = BilanMensuel.objects.get(agence=agence, mois=days[0].replace(day=1))
    assert bilan.heures_generale == Decimal("10.50")
    assert bilan.prestations == 2


def test_nothing_is_recorded_by_the_preview(wizard, agence, people, admin_client):
    worker, client, _jardinage = people
    reprise = wizard(
        agence, xlsx([HEADERS, row(worker, client, worked_days(1)[0])]), entite="prestations", confirm=False
    )
    assert results(reprise) == ["nouveau"]
    page = admin_client.get(reverse("reprise:detail", args=[reprise.pk])).content.decode()
    assert f"{worker} — {client}" in page
    assert not Prestation.objects.exists()
    assert not BilanMensuel.objects.filter(prestations__gt=0).exists()


def test_rows_of_one_file_count_cumulatively_against_the_monthly_cap(wizard, agence, people):
    worker, client, _jardinage = people
    days = month_of_working_days(6)
    reprise = wizard(agence, xlsx([HEADERS, *(row(worker, client, day) for day in days)]), entite="prestations")
    # 45 h a month in general activities: five days of 8 h pass (40 h), the sixth would make 48 h.
    assert results(reprise) == ["nouveau"] * 5 + ["refuse"]
    assert errors(reprise)[7]["Heures"] == ("Plafond mensuel de 45 h dépassé de 3 h (48 h avec cette prestation).")
    assert Prestation.objects.filter(prestataire=worker).count() == 5


def test_the_cap_counts_the_hours_already_recorded_for_the_same_person_elsewhere(wizard, agence, people):
    worker, client, _jardinage = people
    days = month_of_working_days(6)
    other_file = PrestataireFactory(agence=AgenceFactory(), niss=worker.niss, statut="actif")
    for day in days[:5]:
        PrestationFactory(prestataire=other_file, date=day, debut=datetime.time(8), fin=datetime.time(16), heures=8)
    reprise = wizard(agence, xlsx([HEADERS, row(worker, client, days[5], "08:00", "14:00", "6")]), entite="prestations")
    assert results(reprise) == ["refuse"]
    assert "Plafond mensuel de 45 h dépassé de 1 h" in errors(reprise)[2]["Heures"]
    assert not Prestation.objects.filter(prestataire=worker).exists()


def test_a_worker_not_eligible_on_the_date_is_refused(wizard, agence, people):
    _worker, client, _jardinage = people
    not_eligible = PrestataireFactory(agence=agence, statut="actif", eligible=False)
    reprise = wizard(agence, xlsx([HEADERS, row(not_eligible, client, worked_days(1)[0])]), entite="prestations")
    assert results(reprise) == ["refuse"]
    assert "n'est pas éligible à l'ALE" in errors(reprise)[2]["NISS du prestataire"]
    assert not Prestation.objects.exists()


def test_a_client_without_authorisation_for_the_activity_is_refused(wizard, agence, people):
    worker, client, _jardinage = people
    reprise = wizard(
        agence,
        xlsx([HEADERS, row(worker, client, worked_days(1)[0], activite="Garde d'enfants")]),
        entite="prestations",
    )
    assert results(reprise) == ["refuse"]
    assert "pas d'autorisation valable" in errors(reprise)[2]["NISS ou BCE du client"]


def test_future_and_last_year_dates_are_refused(wizard, agence, people):
    worker, client, _jardinage = people
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    last_year = datetime.date(today.year - 1, 6, 15)
    reprise = wizard(
        agence, xlsx([HEADERS, row(worker, client, tomorrow), row(worker, client, last_year)]), entite="prestations"
    )
    assert results(reprise) == ["refuse", "refuse"]
    if tomorrow.year == today.year:
        assert "date future" in errors(reprise)[2]["Date"]
    assert "année en cours" in errors(reprise)[3]["Date"]
    assert not Prestation.objects.exists()


def test_a_public_holiday_needs_a_derogation_reason(wizard, agence, people):
    from prestations.services import belgian_holiday

    worker, client, _jardinage = people
    today = timezone.localdate()
    this_year = (
        datetime.date(today.year, 1, 1) + datetime.timedelta(days=n) for n in range(today.timetuple().tm_yday - 1)
    )
    holiday = next(day for day in this_year if belgian_holiday(day) and day.weekday() < 5)
    headers = [*HEADERS, "Motif de dérogation"]
    other_worker = PrestataireFactory(agence=agence, statut="actif")
    rows = [
        [*row(worker, client, holiday), ""],
        [*row(other_worker, client, holiday, "16:00", "18:00", "2"), "Urgence"],
    ]
    reprise = wizard(agence, xlsx([headers, *rows]), entite="prestations")
    assert results(reprise) == ["refuse", "nouveau"]
    assert "jour férié" in errors(reprise)[2]["Date"]
    assert Prestation.objects.get().motif_derogation == "Urgence"


def test_a_voucher_count_that_does_not_match_the_hours_is_refused(wizard, agence, people):
    worker, client, _jardinage = people
    headers = [*HEADERS, "Chèques"]
    day = worked_days(1)[0]
    reprise = wizard(
        agence,
        xlsx(
            [
                headers,
                [*row(worker, client, day, "08:00", "", "2,5"), "2"],
                [*row(worker, client, day, "13:00", "16:00", "3"), "3"],
            ]
        ),
        entite="prestations",
    )
    assert results(reprise) == ["refuse", "nouveau"]
    assert "la règle en demande 3" in errors(reprise)[2]["Nombre de chèques"]


def test_importing_the_same_file_again_changes_nothing(wizard, agence, people):
    worker, client, _jardinage = people
    days = month_of_working_days(2)
    rows = [HEADERS, row(worker, client, days[0]), row(worker, client, days[1], "08:00", "12:00", "4")]
    wizard(agence, xlsx(rows), entite="prestations")
    history = Prestation.history.count()
    again = wizard(agence, xlsx(rows), entite="prestations")
    assert results(again) == ["inchange", "inchange"]
    assert Prestation.objects.count() == 2
    assert Prestation.history.count() == history
    changed = wizard(agence, xlsx([HEADERS, row(worker, client, days[0], "08:00", "15:00", "7")]), entite="prestations")
    assert results(changed) == ["refuse"]
    assert "déjà enregistrée" in errors(changed)[2]["Heure de début"]


def test_a_duplicate_row_in_the_file_is_refused(wizard, agence, people):
    worker, client, _jardinage = people
    day = worked_days(1)[0]
    reprise = wizard(agence, xlsx([HEADERS, row(worker, client, day), row(worker, client, day)]), entite="prestations")
    assert results(reprise) == ["nouveau", "refuse"]
    assert "ligne 2" in errors(reprise)[3]["Date"]


def test_workers_and_clients_of_another_agency_are_not_found(wizard, agence, people, client):
    worker, other_client, _jardinage = people
    other = AgenceFactory()
    admin_other = CollaborateurFactory(agence__admin=True, agence=other)
    client.force_login(admin_other)
    reprise = wizard(
        other, xlsx([HEADERS, row(worker, other_client, worked_days(1)[0])]), entite="prestations", client=client
    )
    assert results(reprise) == ["refuse"]
    assert "Aucun prestataire de l'agence" in errors(reprise)[2]["NISS du prestataire"]
    assert "Aucun client de l'agence" in errors(reprise)[2]["NISS ou BCE du client"]
    assert not Prestation.objects.exists()


def test_dutch_headers_are_recognised(admin_client, agence):
    from reprise.importeurs import guess_mapping

    mapping = guess_mapping("prestations", ["INSZ", "Klant", "Activiteit", "Datum", "Van", "Tot", "Uren"])
    assert mapping == {
        "0": "prestataire",
        "1": "client",
        "2": "activite",
        "3": "date",
        "4": "debut",
        "5": "fin",
        "6": "heures",
    }


def test_template_and_sample(admin_client, wizard, agence):
    template = admin_client.get(reverse("reprise:modele", args=["prestations"]))
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(template.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["NISS du prestataire", "NISS ou BCE du client", "Activité", "Date"]
    assert str(timezone.localdate().year) in sheet.cell(row=2, column=4).value
    sample = admin_client.get(reverse("reprise:exemple", args=["prestations"]))
    assert sample.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    reprise = wizard(agence, SimpleUploadedFile("exemple.xlsx", sample.content), entite="prestations", confirm=False)
    assert "refuse" in results(reprise)
