"""The demo's prestations: idempotent, under every cap, with vouchers owed and contested to show in the lists."""

import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from prestataires.models import Prestataire
from prestations.meters import hour_meters
from prestations.models import ChequeALE, Prestation
from prestations.selectors import clients_debiteurs

# The demo plans around today (this month's work, next week's sessions): in January it has no past month to
# show, so its checks run on a day in the middle of a year.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-02")]


def seed():
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_demo_prestations_are_idempotent_and_under_the_caps():
    seed()
    counts = (Prestation.objects.count(), ChequeALE.objects.count())
    assert counts[0] > 20 and counts[1] > 20
    seed()
    assert (Prestation.objects.count(), ChequeALE.objects.count()) == counts
    workers = list(Prestataire.objects.select_related("agence").filter(prestations__isnull=False).distinct())
    for day in {p.date.replace(day=1) for p in Prestation.objects.all()}:
        for meters in hour_meters(workers, on=day).values():
            assert not any(m.over for m in meters.meters)  # every cap that applies this month
    assert Prestation.objects.filter(date__gte=timezone.localdate(), statut="planifiee").exists()
    assert clients_debiteurs(Prestation.objects.all()) or timezone.localdate().month == 1  # only this month's work
    assert ChequeALE.objects.filter(statut="contestee").exists() or timezone.localdate().month == 1


def test_demo_has_an_open_demande_with_good_candidates():
    from prestations.demo import OPEN_DEMANDE_KEY
    from prestations.matching import candidates
    from utilisateurs.models import Demande

    seed()
    seed()
    demande = Demande.objects.get(cle_idempotence=OPEN_DEMANDE_KEY)
    assert demande.is_open and demande.creneaux.count() == 1
    ranked = candidates(demande)
    assert ranked[0].eligible


def test_demo_shows_a_worker_near_each_cap_two_agencies_an_ending_basis_and_route_a():
    """The demo's situations of docs/regles.md: near 45 h, 70 h, 150 h and 630 h; one person in two agencies;
    a basis that ends this month; a 2026 route (a) worker whose payment body is to be confirmed."""
    import datetime

    from prestataires.models import SituationEligibilite

    seed()
    today = timezone.localdate()
    if (today + datetime.timedelta(days=1)).month != today.month:
        pytest.skip("n/a: the last day of a month leaves no day to plan near the monthly caps")
    workers = list(Prestataire.objects.select_related("agence"))
    meters = hour_meters(workers, on=today)
    near = {m.cap for w in workers for m in meters[w.pk].meters if m.near}
    assert {Decimal(45), Decimal(70), Decimal(150), Decimal(630)} <= near
    assert (
        Prestataire.objects.filter(
            niss=Prestataire.objects.get(nom="Lemaire", agence__nom__contains="ghez").niss
        ).count()
        == 2
    )
    month_end = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    assert SituationEligibilite.objects.filter(jusqu_au=month_end).exists()
    assert Prestataire.objects.filter(organisme_paiement="a_confirmer", situations__base="forem_12_mois").exists()
