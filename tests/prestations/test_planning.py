"""Assigning workers, declining, and planning a request's series of slots."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from prestations.models import Affectation, Fermeture, Prestation
from prestations.planning import assign_prestataires, decline_affectation, plan_demande
from tests.factories import UserFactory
from tests.prestations.factories import ready
from tests.prestations.test_matching import demande_for, good_worker
from utilisateurs.models import StatutDemande

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def recurring(s, debut=MONDAY, fin=datetime.date(2026, 4, 13)):
    d = demande_for(s, days=(debut,))
    d.recurrente, d.jours, d.periode_debut, d.periode_fin = True, [0], debut, fin
    d.save()
    return d


def test_assign_notifies_worker_and_client_and_updates_status(django_capture_on_commit_callbacks):
    s = ready()
    worker = good_worker(s, compte=UserFactory(role="prestataire"))
    s.utilisateur.compte = UserFactory(role="client")
    s.utilisateur.save()
    demande = demande_for(s)
    with django_capture_on_commit_callbacks(execute=True):
        assign_prestataires(demande=demande, prestataires=[worker], acting_user=s.staff)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.ATTRIBUEE
    assert demande.changements.filter(vers="attribuee").exists()
    recipients = {r for m in mail.outbox for r in m.to}
    assert {worker.compte.email, s.utilisateur.compte.email} <= recipients
    with pytest.raises(ValidationError):
        assign_prestataires(demande=demande, prestataires=[worker], acting_user=s.staff)


def test_decline_keeps_reason_and_reopens_search():
    s = ready()
    worker = good_worker(s)
    demande = demande_for(s)
    (aff,) = assign_prestataires(demande=demande, prestataires=[worker], acting_user=s.staff)
    with pytest.raises(ValidationError):
        decline_affectation(affectation=aff, motif=" ", acting_user=s.staff)
    decline_affectation(affectation=aff, motif="Trop loin en bus", acting_user=s.staff)
    aff.refresh_from_db()
    demande.refresh_from_db()
    assert aff.statut == "declinee" and aff.motif_refus == "Trop loin en bus"
    assert demande.statut == StatutDemande.EN_RECHERCHE
    assert Affectation.objects.filter(prestataire=worker, statut="declinee").count() == 1


def test_decline_cancels_the_planned_slots_with_history_and_tells_worker_and_client(
    django_capture_on_commit_callbacks,
):
    s = ready()
    worker = good_worker(s, compte=UserFactory(role="prestataire"))
    s.utilisateur.compte = UserFactory(role="client")
    s.utilisateur.save()
    demande = demande_for(s)
    (aff,) = assign_prestataires(demande=demande, prestataires=[worker], acting_user=s.staff)
    report = plan_demande(demande=demande, acting_user=s.staff)
    (planned,) = report.planned
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decline_affectation(affectation=aff, motif="Trop loin en bus", acting_user=s.staff)
    planned.refresh_from_db()
    assert planned.statut == Prestation.Statut.ANNULEE
    last = planned.history.first()
    assert last.history_user == s.staff and "Trop loin en bus" in last.history_change_reason
    assert {worker.compte.email, s.utilisateur.compte.email} <= {r for m in mail.outbox for r in m.to}


def test_plan_recurring_series_skips_holidays_and_closures_and_reports_refusals():
    s = ready()
    worker = good_worker(s)
    demande = recurring(s)  # Mondays 2 March – 13 April 2026; 6 April is Easter Monday
    Fermeture.objects.create(
        utilisateur=s.utilisateur, debut=datetime.date(2026, 3, 16), fin=datetime.date(2026, 3, 16), motif="Travaux"
    )
    # Worker nearly at the monthly cap in April: 44 h planned elsewhere.
    for day in range(14, 25):
        Prestation.objects.create(
            agence=s.agence,
            prestataire=worker,
            utilisateur=s.ferme,
            activite=s.generale,
            date=datetime.date(2026, 4, day),
            debut=datetime.time(13),
            fin=datetime.time(17),
            heures=4,
            statut="planifiee",
        )
    assign_prestataires(demande=demande, prestataires=[worker], acting_user=s.staff)
    report = plan_demande(demande=demande, acting_user=s.staff)
    planned = sorted(p.date for p in report.planned)
    assert planned == [datetime.date(2026, 3, d) for d in (2, 9, 23, 30)]
    assert [d for d, _ in report.skipped] == [datetime.date(2026, 3, 16), datetime.date(2026, 4, 6)]
    assert [slot.date for _, slot, _ in report.refused] == [datetime.date(2026, 4, 13)]
    assert "45" in report.refused[0][2]
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.PLANIFIEE
    # Planning again creates no duplicates.
    assert plan_demande(demande=demande, acting_user=s.staff).planned == []
