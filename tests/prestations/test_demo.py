"""The demo's prestations: idempotent, under every cap, with vouchers owed and contested to show in the lists."""

import os
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from prestataires.models import Prestataire
from prestations.models import ChequeALE, Prestation
from prestations.rulebook import hour_meters, vouchers_due
from prestations.selectors import clients_debiteurs
from tests.conftest import BRUSSELS

# The demo plans around today (the last 8 to 12 weeks' work, the next two weeks' sessions): its checks run on the
# suite's day (or `--today`) and on awkward days; only the yearly cap's neighbourhood needs a day late in a year.
pytestmark = [pytest.mark.django_db]

AWKWARD_DAYS = [
    "2027-01-01",
    "2027-01-02",
    "2027-01-04",
    "2026-12-24",
    "2026-12-31",
    "2028-02-29",
    "2027-02-28",
    "2027-03-07",
]


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
    assert clients_debiteurs(Prestation.objects.all())
    assert ChequeALE.objects.filter(statut="contestee").exists()


@pytest.mark.parametrize("day", AWKWARD_DAYS)
def test_demo_shows_a_recent_past_and_a_near_future_whatever_the_day(day):
    """On the 2nd of January as on any day: weeks of past work, validated and paid by voucher, counted in the
    year it was worked in; sessions planned ahead; the clients registered for the years the demo touches."""
    import datetime

    from utilisateurs.models import Inscription

    with time_machine.travel(datetime.datetime.fromisoformat(day + "T10:00").replace(tzinfo=BRUSSELS), tick=False):
        seed()
        today = timezone.localdate()
        past = Prestation.objects.filter(date__lt=today, date__gte=today - datetime.timedelta(weeks=8))
        assert past.filter(statut="validee").count() >= 10
        assert past.filter(cheques__isnull=False).distinct().count() >= 10
        assert {p.date.isocalendar()[:2] for p in past} >= {
            (today - datetime.timedelta(weeks=w)).isocalendar()[:2] for w in range(2, 8)
        }  # every one of those weeks has work
        # Anne (the demo client) has recent work to confirm online, even in the first days of a month.
        anne = Prestation.objects.filter(utilisateur__email="anne.dupont@example.be", date__lt=today)
        assert anne.filter(statut="effectuee").exists()
        ahead = Prestation.objects.filter(date__gt=today, statut="planifiee")
        assert ahead.filter(date__lte=today + datetime.timedelta(days=14)).count() >= 3
        # The hours of last year's December count in last year: this year's meters hold none of them.
        workers = list(Prestataire.objects.select_related("agence").filter(prestations__isnull=False).distinct())
        meters = hour_meters(workers, on=today)
        for worker in workers:
            this_year = Prestation.objects.filter(prestataire__niss=worker.niss, date__year=today.year)
            # Every started hour counts whole (docs/regles.md, "A started hour against the caps").
            assert meters[worker.pk].year_total <= sum(vouchers_due(p.heures) for p in this_year)
            for month in {p.date.replace(day=1) for p in worker.prestations.all()}:
                assert not any(m.over for m in hour_meters([worker], on=month)[worker.pk].meters)
        registered = Inscription.objects.filter(utilisateur__email="anne.dupont@example.be", validee=True)
        assert set(registered.values_list("annee", flat=True)) >= {p.date.year for p in Prestation.objects.all()}
        counts = (Prestation.objects.count(), ChequeALE.objects.count())
        seed()
        assert (Prestation.objects.count(), ChequeALE.objects.count()) == counts


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


@pytest.mark.today("2026-12-02")  # near 630 h a year: only late in a year
def test_demo_shows_a_worker_near_each_cap_two_agencies_an_ending_basis_and_route_a():
    """The demo's situations of docs/regles.md: near 45 h, 70 h, 150 h and 630 h; one person in two agencies;
    a basis that ends this month; a 2026 route (a) worker whose payment body is to be confirmed."""
    import datetime

    from prestataires.models import SituationEligibilite

    seed()
    today = timezone.localdate()
    if (today + datetime.timedelta(days=1)).month != today.month:
        pytest.skip("n/a: the last day of a month leaves no day to plan near the monthly caps")
    workers = list(Prestataire.objects.select_related("agence").filter(agence__region="wallonie"))  # its caps
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


def test_demo_shows_a_basis_ending_next_month_with_slots_planned_after_it(client):
    """Issue 20: Jean's basis ends on the 15th of next month; two slots after it are listed for staff with the next
    step, and Jean reads it in his own space."""
    import datetime

    from django.urls import reverse

    from ale_platform.models import User
    from prestations.eligibility_watch import work_after_eligibility

    seed()
    today = timezone.localdate()
    end = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=15)
    jean = Prestataire.objects.get(nom="Lejeune", prenom="Jean")
    assert jean.situations.filter(jusqu_au=end).exists()
    found = work_after_eligibility(prestataire=jean)
    assert len(found) == 2 and all(w.prestation.date > end for w in found)
    client.force_login(User.objects.get(email="jean.lejeune@example.be"))
    page = client.get(reverse("prestataires:espace"))
    assert f"prend fin le {end:%d/%m/%Y}" in page.text


def test_demo_route_b_worker_has_a_forem_referral_and_stays_eligible():
    """Route (b) of 2026 counts only with a Forem referral on record: the demo's route (b) worker, Sandrine Thiry,
    is referred by the Forem (linked to her own file, before her basis began), eligible today, and the seeding
    stays idempotent."""
    from forem_liaison.models import Adressage
    from prestataires.eligibility import explain

    seed()
    seed()
    sandrine = Prestataire.objects.get(nom="Thiry", prenom="Sandrine")
    assert sandrine.situations.filter(base="faible_employabilite", avec_allocations=True).exists()
    (referral,) = Adressage.objects.filter(prestataire=sandrine)
    assert referral.niss == sandrine.niss and referral.date_adressage <= sandrine.situations.get().depuis
    assert (sandrine.rue, sandrine.commune) == ("Rue du Village 2", "Leuze")  # her own file, not a new one
    assert Prestataire.objects.filter(niss=sandrine.niss).count() == 1
    result = explain(sandrine, timezone.localdate())
    assert result.ok, result.summary
    assert any("Adressé·e à l'ALE par le Forem" in r for v in result.verdicts for r in v.reasons)
