"""The demo's Brussels ALE-PWA and Eupen LBA: each agency's people in their languages and a day's work under the
region's own law (its seeded sourced values, the unsourced ones filled by the demo's own law row, whose source says
"Démonstration", decision 65; never Wallonia's), on any day, idempotent."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from ale_platform.models import Agence, User
from forem_liaison.demo_regions import REGIONS
from forem_liaison.models import Adressage, RetourAdressage
from prestataires.eligibility import explain
from prestations.models import Affectation, ChequeALE, Prestation, RegleLegale
from prestations.rulebook.law import law_in_force
from tests.conftest import BRUSSELS
from utilisateurs.models import Demande, Utilisateur

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    regional = {"agence__region__in": ["bruxelles", "germanophone"]}
    return [
        Demande.objects.filter(**regional).count(),
        Prestation.objects.filter(**regional).count(),
        ChequeALE.objects.filter(prestation__agence__region__in=["bruxelles", "germanophone"]).count(),
        Adressage.objects.filter(**regional).count(),
        RetourAdressage.objects.filter(adressage__agence__region__in=["bruxelles", "germanophone"]).count(),
        User.objects.count(),
        RegleLegale.objects.count(),
    ]


def test_a_brussels_and_an_eupen_agency_with_their_people_in_their_languages():
    printed = seed()
    brussels = Agence.objects.get(nom="ALE-PWA de Saint-Gilles")
    eupen = Agence.objects.get(nom="LBA Eupen")
    assert (brussels.region, eupen.region) == ("bruxelles", "germanophone")
    staff_languages = {m.user.langue for m in brussels.memberships.select_related("user")}
    assert staff_languages == {"fr", "nl"}  # a bilingual office
    assert {m.user.langue for m in eupen.memberships.select_related("user")} == {"de"}
    lies = Utilisateur.objects.get(agence=brussels, email="lies.peeters@example.be")
    anna = Utilisateur.objects.get(agence=eupen, email="anna.schmitz@example.be")
    assert (lies.langue, lies.compte.langue, anna.langue, anna.compte.langue) == ("nl", "nl", "de", "de")
    assert brussels.prestataires.get().langue == "nl" and eupen.prestataires.get().langue == "de"
    for worker in (brussels.prestataires.get(), eupen.prestataires.get()):  # on a basis of the region's own rules
        assert explain(worker, timezone.localdate()).ok, explain(worker, timezone.localdate()).summary
    for demo in REGIONS:  # every account is printed by `make run`
        for person in (*demo.staff, demo.client, demo.worker, demo.adviser):
            assert person.email in printed
    # The referral comes from the region's own public employment service.
    assert Adressage.objects.get(agence=brussels).bureau.service.code == "actiris"
    assert Adressage.objects.get(agence=eupen).bureau.service.code == "adg"


@pytest.mark.parametrize("day", [None, "2027-01-04"])
def test_each_agency_has_a_day_of_work_under_its_own_law(day):
    travel = (
        time_machine.travel(datetime.datetime.fromisoformat(day + "T10:00").replace(tzinfo=BRUSSELS), tick=False)
        if day
        else None
    )
    if travel:
        travel.start()
    try:
        printed = seed()
        today = timezone.localdate()
        counts = snapshot()
        for agence in Agence.objects.filter(region__in=["bruxelles", "germanophone"]):
            demandes = Demande.objects.filter(agence=agence)
            weekly = demandes.get(recurrente=True)
            assert weekly.statut == "planifiee" and Affectation.objects.filter(demande=weekly).exists()
            assert demandes.filter(statut="nouvelle").exists()  # booked by the client, waiting to be matched
            work = Prestation.objects.filter(agence=agence)
            # The region's law in force: the demo's row, its sourced values unchanged, nothing left to refuse.
            law = law_in_force(agence.region, today)
            assert law.source.startswith("Démonstration : ") and not law.missing()
            assert law.raw("en_vigueur_du") <= work.order_by("date").first().date
            past = work.filter(date__lt=today)
            assert past.filter(statut="validee", cheques__isnull=False).exists()  # last month: the form
            assert past.filter(statut="effectuee").exists()  # recent hours, to confirm
            assert work.filter(date__gt=today, statut="planifiee").exists()
            assert RetourAdressage.objects.filter(adressage__agence=agence, statut="publie").exists()
        assert "Refusé par la loi" not in printed and "Règle non sourcée" not in printed
        seed()
        assert snapshot() == counts
    finally:
        if travel:
            travel.stop()


def test_the_demo_law_rows_keep_the_sourced_values_and_say_they_are_the_demo_s():
    seed()
    brussels, dg = (
        RegleLegale.objects.filter(region=region, source__startswith="Démonstration").get()
        for region in ("bruxelles", "germanophone")
    )
    # Sourced (alepwabru.be; plateformedesalewallonnes.be): unchanged.
    assert (brussels.plafond_mensuel, brussels.plafond_mensuel_majore) == (45, 70)
    assert (str(brussels.prix_minimum_cheque), brussels.prix_cheque_fixe, brussels.entretien_prealable) == (
        "7.45",
        True,
        True,
    )
    assert (str(dg.indemnite_par_cheque), str(dg.prix_minimum_cheque), dg.prix_cheque_fixe) == ("6.00", "7.00", True)
    for row, service in ((brussels, "Actiris"), (dg, "l'ADG")):
        assert "valeurs non sourcées saisies pour la démo" in row.source and service in row.source
    # The production seed (migrations) stays as sourced: its rows still refuse what is not sourced.
    for region in ("bruxelles", "germanophone"):
        seeded = RegleLegale.objects.filter(region=region).exclude(source__startswith="Démonstration").get()
        assert seeded.plafond_annuel is None
