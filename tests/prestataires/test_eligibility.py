"""Eligibility as data: the rules carry effective dates; the 1 January 2026 bases apply from that day only."""

import datetime

from django.urls import reverse

from prestataires.eligibility import explain, months_between
from prestataires.models import RegleEligibilite
from tests.factories import PrestataireFactory

from .factories import SituationFactory

D = datetime.date


def test_rules_are_seeded_with_the_2026_bases(db):
    new = RegleEligibilite.objects.filter(en_vigueur_du=D(2026, 1, 1)).values_list("base", flat=True)
    assert set(new) == {"forem_12_mois", "faible_employabilite"}
    assert RegleEligibilite.objects.filter(base="chomage_moins_45", age_max=45, duree_mois=24).exists()


def test_forem_12_months_opens_access_only_from_1_january_2026(db):
    p = PrestataireFactory(date_naissance=D(1990, 3, 1), eligible=False)
    SituationFactory(prestataire=p, base="forem_12_mois", depuis=D(2024, 6, 1))
    before = explain(p, D(2025, 12, 31))
    after = explain(p, D(2026, 1, 1))
    assert not before.ok
    assert "n'ouvre pas l'accès" in before.verdicts[0].reasons[0]
    assert "à partir du 01/01/2026" in before.verdicts[0].reasons[0]
    assert after.ok
    assert "Éligible le 01/01/2026" in after.summary


def test_low_employability_referral_only_from_2026(db):
    from tests.factories import AdressageFactory

    p = PrestataireFactory(eligible=False)
    SituationFactory(prestataire=p, base="faible_employabilite", depuis=D(2025, 11, 1), avec_allocations=True)
    AdressageFactory(agence=p.agence, prestataire=p, niss=p.niss, date_adressage=D(2025, 10, 20))
    assert not explain(p, D(2025, 12, 31)).ok
    assert explain(p, D(2026, 1, 2)).ok


def test_route_b_needs_allowances(db):
    """Rule: route (b) of 1.1.2026 is for low-employability people WITH unemployment, insertion or sauvegarde
    allowances (décret wallon du 11.12.2025; UVCW, 9.1.2026)."""
    p = PrestataireFactory(eligible=False)
    SituationFactory(prestataire=p, base="faible_employabilite", depuis=D(2025, 11, 1), avec_allocations=False)
    result = explain(p, D(2026, 3, 1))
    assert not result.ok
    assert "cette base les exige" in " ".join(result.verdicts[0].reasons)


def test_walloon_route_12_months_at_the_forem_with_allowances(db):
    """Rule: the Walloon variant, 12+ months registered as unoccupied job seeker + allowances for 1+ day
    (aleoreye.be, alewaterloo.be), is seeded and opens access before 2026 too."""
    p = PrestataireFactory(eligible=False)
    SituationFactory(prestataire=p, base="forem_12m_allocations", depuis=D(2024, 1, 1), avec_allocations=True)
    assert explain(p, D(2025, 6, 1)).ok
    assert not explain(p, D(2024, 6, 1)).ok  # 5 months only


def test_a_basis_that_ended_no_longer_opens_access(db):
    """Rule: bases can end (federal time limit on benefits, 1.1.2026-1.7.2027, levif.be): an end date stops it."""
    p = PrestataireFactory(eligible=False, date_naissance=D(1970, 1, 1))
    SituationFactory(prestataire=p, base="chomage_45_plus", depuis=D(2020, 1, 1), jusqu_au=D(2026, 6, 30))
    assert explain(p, D(2026, 6, 30)).ok
    ended = explain(p, D(2026, 7, 1))
    assert not ended.ok and "a pris fin le 30/06/2026" in " ".join(ended.verdicts[0].reasons)


def test_forem_registration_needs_12_months(db):
    p = PrestataireFactory(eligible=False)
    SituationFactory(prestataire=p, base="forem_12_mois", depuis=D(2025, 6, 15))
    result = explain(p, D(2026, 3, 1))
    assert not result.ok
    assert "8 mois depuis le 15/06/2025 : il en faut 12." in result.verdicts[0].reasons
    assert explain(p, D(2026, 6, 15)).ok


def test_long_term_unemployment_depends_on_age_on_both_sides_of_2026(db):
    young = PrestataireFactory(date_naissance=D(1990, 1, 1), eligible=False)
    SituationFactory(prestataire=young, base="chomage_moins_45", depuis=D(2024, 6, 1))
    assert not explain(young, D(2025, 12, 1)).ok  # 18 months
    assert explain(young, D(2026, 6, 1)).ok  # 24 months
    older = PrestataireFactory(date_naissance=D(1970, 1, 1), eligible=False)
    SituationFactory(prestataire=older, base="chomage_45_plus", depuis=D(2025, 6, 1))
    assert explain(older, D(2025, 12, 1)).ok  # 6 months at 55
    assert explain(older, D(2026, 2, 1)).ok
    too_young = PrestataireFactory(date_naissance=D(1990, 1, 1), eligible=False)
    SituationFactory(prestataire=too_young, base="chomage_45_plus", depuis=D(2020, 1, 1))
    verdict = explain(too_young, D(2026, 2, 1))
    assert not verdict.ok and "il faut au moins 45 ans" in verdict.verdicts[0].reasons[0]


def test_24_of_36_months_and_ris(db):
    p = PrestataireFactory(eligible=False)
    SituationFactory(prestataire=p, base="chomage_24_36", depuis=D(2023, 1, 1), mois_indemnises=20)
    assert not explain(p, D(2025, 6, 1)).ok
    ris = PrestataireFactory(eligible=False)
    SituationFactory(prestataire=ris, base="ris", depuis=D(2025, 9, 1))
    assert explain(ris, D(2025, 10, 1)).ok and explain(ris, D(2026, 10, 1)).ok


def test_a_rule_that_ends_stops_applying(db):
    RegleEligibilite.objects.filter(base="forem_12_mois").update(en_vigueur_au=D(2027, 12, 31))
    p = PrestataireFactory(eligible=False)
    SituationFactory(prestataire=p, base="forem_12_mois", depuis=D(2024, 1, 1))
    assert explain(p, D(2027, 12, 31)).ok
    assert not explain(p, D(2028, 1, 1)).ok


def test_no_situation_means_not_eligible(db):
    assert "Aucune base" in explain(PrestataireFactory(eligible=False), D(2026, 1, 1)).summary


def test_months_between():
    assert months_between(D(2025, 1, 31), D(2025, 2, 28)) == 0
    assert months_between(D(2025, 1, 31), D(2025, 3, 1)) == 1
    assert months_between(D(2024, 1, 1), D(2026, 1, 1)) == 24


def test_the_file_explains_eligibility_on_a_chosen_date(staff, world):
    p = world.prestataire_a
    p.situations.all().delete()
    SituationFactory(prestataire=p, base="forem_12_mois", depuis=D(2024, 6, 1))
    url = reverse("prestataires:detail", kwargs={"pk": p.pk})
    assert "Non éligible le 31/12/2025" in staff.get(url, {"le": "2025-12-31"}).text
    assert "Éligible le 02/01/2026" in staff.get(url, {"le": "2026-01-02"}).text


def test_staff_adds_a_situation_with_french_errors(staff, world):
    p = world.prestataire_a
    p.situations.all().delete()
    url = reverse("prestataires:situation_create", kwargs={"pk": p.pk})
    response = staff.post(
        url, {"base": "chomage_24_36", "depuis": "2024-01-01", "preuve": "CAPAC", "date_preuve": "2025-01-01"}
    )
    assert "mois d'allocations" in " ".join(response.context["form"].errors["mois_indemnises"])
    ok = staff.post(
        url, {"base": "ris", "depuis": "2025-01-01", "preuve": "Attestation CPAS", "date_preuve": "2025-02-01"}
    )
    assert ok.status_code == 302
    again = staff.post(url, {"base": "ris", "depuis": "2025-01-01", "preuve": "x", "date_preuve": "2025-02-01"})
    assert "déjà enregistrée" in " ".join(again.context["form"].errors["base"])


def test_the_packed_read_of_rules_and_situations_judges_as_the_plain_read(db):
    """Matching reads the rules and each worker's situations packed with its workers' query
    (eligibility.packed_rules/packed_situations): `explain` must give the same verdict, reasons included."""
    from django.db.models import Value

    from prestataires.eligibility import packed_rules, packed_situations, rules_of, rules_unpacked, situations_unpacked
    from prestataires.models import Prestataire

    young = PrestataireFactory(date_naissance=D(2000, 5, 1), eligible=False)
    SituationFactory(prestataire=young, base="chomage_moins_45", depuis=D(2025, 9, 1), mois_indemnises=12)
    SituationFactory(prestataire=young, base="forem_12_mois", depuis=D(2025, 6, 1), jusqu_au=D(2026, 12, 31))
    ended = PrestataireFactory(eligible=False)
    SituationFactory(prestataire=ended, base="faible_employabilite", depuis=D(2025, 1, 1), jusqu_au=D(2026, 2, 1))
    nobody = PrestataireFactory(eligible=False)
    workers = Prestataire.objects.filter(pk__in=[young.pk, ended.pk, nobody.pk]).annotate(
        situations_packed=packed_situations(), rules_packed=packed_rules(Value("wallonie"))
    )
    for on in (D(2025, 12, 31), D(2026, 3, 2), D(2027, 6, 1)):
        for p in workers:
            plain = explain(p, on, regles=rules_of("wallonie"), situations=p.situations.all())
            packed = explain(
                p,
                on,
                regles=rules_unpacked(p.rules_packed, "wallonie"),
                situations=situations_unpacked(p.situations_packed),
            )
            assert (packed.ok, packed.summary) == (plain.ok, plain.summary)
            assert [v.reasons for v in packed.verdicts] == [v.reasons for v in plain.verdicts]
    # An empty table (a flush) falls back on the seeded rules in both reads.
    RegleEligibilite.objects.all().delete()
    p = workers.get(pk=young.pk)
    assert [r.base for r in rules_unpacked(p.rules_packed, "wallonie")] == [r.base for r in rules_of("wallonie")]


def test_staff_cannot_add_a_basis_that_opened_no_access_during_the_situation(staff, world):
    """The same check as the take-over import (SituationForm is shared): the Walloon 12-months route starts in 2026."""
    p = world.prestataire_a
    url = reverse("prestataires:situation_create", kwargs={"pk": p.pk})
    response = staff.post(
        url,
        {
            "base": "forem_12_mois",
            "depuis": "2023-01-01",
            "jusqu_au": "2025-06-30",
            "avec_allocations": "on",
            "preuve": "Attestation Forem",
            "date_preuve": "2023-01-02",
        },
    )
    assert response.context["form"].errors["base"] == [
        "Cette base n'ouvre l'accès à l'ALE qu'à partir du 01/01/2026 : la situation a pris fin le 30/06/2025."
    ]
    assert not p.situations.filter(base="forem_12_mois").exists()
