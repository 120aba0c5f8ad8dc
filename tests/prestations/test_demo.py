"""The demo's prestations: idempotent, under every cap, with vouchers owed and contested to show in the lists."""

import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from prestataires.models import Prestataire
from prestations.meters import hour_meters
from prestations.models import ChequeALE, Prestation
from prestations.selectors import clients_debiteurs

pytestmark = pytest.mark.django_db


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
            assert not meters.month.over and not meters.year.over and not meters.outside_agriculture.over
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
