"""The client's pages tell the truth after staff moved, worked and validated a session; vouchers and euros."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prestations.planning import assign_prestataires, plan_demande
from prestations.services import attach_vouchers, move_prestation, update_hours, validate_prestation
from tests.factories import UserFactory
from tests.prestations.factories import ready
from tests.prestations.test_matching import demande_for, good_worker

pytestmark = pytest.mark.django_db

MONDAY_PAST = datetime.date(2026, 11, 23)


@pytest.fixture
def day(client):
    """A client with an account, a worker assigned and planned on one wished Monday."""
    s = ready()
    user = UserFactory(role="client", first_name="", last_name="")
    s.utilisateur.compte = user
    s.utilisateur.save()
    worker = good_worker(s, prenom="Jeanne", nom="Lejeune")
    demande = demande_for(s, days=(MONDAY_PAST,))
    assign_prestataires(demande=demande, prestataires=[worker], acting_user=s.staff)
    plan_demande(demande=demande, acting_user=s.staff)
    client.force_login(user)
    return s, demande, demande.prestations.get(), client


def _move_work_validate(s, prestation):
    tuesday = MONDAY_PAST + datetime.timedelta(days=1)
    moved = move_prestation(
        prestation=prestation,
        date=tuesday,
        debut=datetime.time(9),
        fin=datetime.time(11),
        acting_user=s.staff,
        motif="Demande de la prestataire",
    )
    update_hours(prestation=moved, acting_user=s.staff, heures=Decimal("1.5"), motif="Heures encodées")
    validate_prestation(prestation=moved, acting_user=s.staff)
    return moved


def test_after_a_move_and_validation_the_client_sees_the_real_session_and_its_story(day):
    s, demande, prestation, client = day
    _move_work_validate(s, prestation)
    demande.refresh_from_db()
    assert demande.statut == "terminee"

    page = unescape(client.get(reverse("utilisateurs:demande", args=[demande.pk])).text)
    assert "mardi 24/11/2026" in page and "Validée" in page
    assert "Déplacée par l'agence ; vous l'aviez demandée le 23/11/2026." in page
    assert "Annuler cette date" not in page and "Déplacer</" not in page
    assert "Séance du 23/11/2026 09:00 déplacée au 24/11/2026 09:00–11:00" in page
    assert "Demande de la prestataire" in page
    assert "Terminée" in page and "Toutes les séances sont prestées." in page

    espace = unescape(client.get(reverse("utilisateurs:espace")).text)
    assert "23/11/2026" not in espace  # the wished date is no "prochaine date" any more
    assert "Terminée" in espace


def test_a_future_session_moved_by_staff_shows_its_new_date_and_cannot_be_cancelled_online(client):
    s = ready()
    user = UserFactory(role="client")
    s.utilisateur.compte = user
    s.utilisateur.save()
    worker = good_worker(s)
    wished = datetime.date(2026, 12, 14)  # a Monday
    demande = demande_for(s, days=(wished, wished + datetime.timedelta(days=7)))
    assign_prestataires(demande=demande, prestataires=[worker], acting_user=s.staff)
    plan_demande(demande=demande, acting_user=s.staff)
    first = demande.prestations.get(date=wished)
    move_prestation(
        prestation=first,
        date=datetime.date(2026, 12, 15),
        debut=datetime.time(9),
        fin=datetime.time(11),
        acting_user=s.staff,
        motif="Férié communal",
    )
    client.force_login(user)
    page = unescape(client.get(reverse("utilisateurs:demande", args=[demande.pk])).text)
    assert "mardi 15/12/2026" in page and "vous l'aviez demandée le 14/12/2026" in page
    # Only the untouched second date can still be cancelled or moved online.
    assert page.count("Annuler cette date") == 1 and "21/12/2026" in page.split("Annuler cette date")[1][:200]
    espace = unescape(client.get(reverse("utilisateurs:espace")).text)
    assert "15/12/2026 09:00" in espace and "14/12/2026" not in espace


def test_the_client_sees_the_voucher_numbers_and_the_statement_shows_euros(day):
    s, demande, prestation, client = day
    moved = _move_work_validate(s, prestation)
    attach_vouchers(prestation=moved, acting_user=s.staff, numeros=["7000000001", "7000000002"])
    for url in (
        reverse("utilisateurs:espace"),
        reverse("prestations:client"),
        reverse("utilisateurs:demande", args=[demande.pk]),
    ):
        page = unescape(client.get(url).text)
        assert "n° 7000000001, n° 7000000002" in page, url
    statement = yearly_statement_text(client, 2026)
    prix = f"{2 * s.agence.prix_cheque:.2f}".replace(".", ",")
    assert "Montant payé en chèques ALE" in statement and f"{prix} €" in statement
    assert "7000000001" in statement


def yearly_statement_text(client, year):
    from tests.pdf import pdf_text

    response = client.get(reverse("utilisateurs:releve", args=[year]))
    assert response.status_code == 200
    return pdf_text(response.content)


def test_the_header_names_the_client_not_their_email(day):
    s, _demande, _prestation, client = day
    page = client.get(reverse("utilisateurs:espace")).text
    assert '<span class="account-nav__who">Anne Dupont</span>' in page


def test_recurrence_and_date_counts_read_as_french(client):
    s = ready()
    user = UserFactory(role="client")
    s.utilisateur.compte = user
    s.utilisateur.save()
    demande = demande_for(s, days=(datetime.date(2026, 12, 14),))
    demande.recurrente, demande.intervalle_semaines = True, 1
    demande.periode_debut = demande.periode_fin = datetime.date(2026, 12, 14)
    demande.save()
    client.force_login(user)
    page = unescape(client.get(reverse("utilisateurs:demande", args=[demande.pk])).text)
    assert "du 14/12/2026 au 14/12/2026, chaque semaine" in page and "semaine(s)" not in page
    demande.intervalle_semaines = 2
    demande.save()
    page = unescape(client.get(reverse("utilisateurs:demande", args=[demande.pk])).text)
    assert "toutes les 2 semaines" in page


def test_cancelling_a_date_asks_first_and_says_what_happens_to_the_worker(client):
    s = ready()
    user = UserFactory(role="client")
    s.utilisateur.compte = user
    s.utilisateur.save()
    worker = good_worker(s, prenom="Jeanne")
    wished = datetime.date(2026, 12, 14)
    demande = demande_for(s, days=(wished, wished + datetime.timedelta(days=7)))
    assign_prestataires(demande=demande, prestataires=[worker], acting_user=s.staff)
    plan_demande(demande=demande, acting_user=s.staff)
    creneau = demande.creneaux.get(date=wished)
    client.force_login(user)
    url = reverse("utilisateurs:creneau_annuler", args=[creneau.pk])
    page = unescape(client.get(url).text)
    assert "Annuler une séance ?" in page and "Jeanne, votre prestataire pour cette date, ne viendra pas" in page
    creneau.refresh_from_db()
    assert not creneau.annule  # looking at the question changes nothing
    client.post(url)
    creneau.refresh_from_db()
    assert creneau.annule and demande.prestations.get(date=wished).statut == "annulee"


def test_the_client_space_reads_every_open_request_sessions_in_the_same_number_of_queries(day):
    """The next session of each open request comes from one batched read, not a few queries per request."""
    s, demande, prestation, client = day
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("utilisateurs:espace")).status_code == 200
    for offset in range(1, 4):
        demande_for(s, days=(MONDAY_PAST + datetime.timedelta(days=7 * offset),))
    with CaptureQueriesContext(connection) as four:
        page = client.get(reverse("utilisateurs:espace"))
    assert page.status_code == 200
    assert len(four) == len(one)


def test_the_client_space_shows_a_moved_session_at_its_new_date_once(day):
    """The next date of a request comes from the planned session where the agency moved it, not the wished date
    (the audit trail is read for it only when a session left its wished date)."""
    s, demande, prestation, client = day
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False):
        move_prestation(
            prestation=prestation,
            date=MONDAY_PAST + datetime.timedelta(days=1),
            debut=datetime.time(14),
            fin=datetime.time(16),
            acting_user=s.staff,
            motif="Demande de la prestataire",
        )
        page = unescape(client.get(reverse("utilisateurs:espace")).text)
    assert "24/11/2026 14:00" in page and "23/11/2026 09:00" not in page


def test_the_client_space_query_count_does_not_grow_with_prestations_and_vouchers(day):
    """Each shown prestation's worker, activity and vouchers come with the page's few reads, never one per row."""
    s, demande, prestation, client = day
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("utilisateurs:espace")).status_code == 200
    worker = prestation.prestataire
    for week in range(1, 9):
        monday = MONDAY_PAST - datetime.timedelta(days=7 * week)
        other = demande_for(s, days=(monday,))
        assign_prestataires(demande=other, prestataires=[worker], acting_user=s.staff)
        plan_demande(demande=other, acting_user=s.staff)
        worked = other.prestations.get()
        update_hours(prestation=worked, acting_user=s.staff, heures=Decimal("2"), motif="Heures encodées")
        validate_prestation(prestation=worked, acting_user=s.staff)
        attach_vouchers(prestation=worked, acting_user=s.staff, numeros=[f"71{week:08d}", f"72{week:08d}"])
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("utilisateurs:espace"))
    assert page.status_code == 200 and len(page.context["prestations"]) == 9
    # Session, account, file, requests, wished dates, their sessions, registrations, prestations, vouchers,
    # authorisations, and the header's name of an account without one (a per-row read would add 9 here).
    assert len(many) == len(one) <= 11, "\n".join(q["sql"][:120] for q in many)
