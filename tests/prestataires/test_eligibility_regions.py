"""Eligibility by region: each region's access rules are its own data, with their source (ale-rules.md, "Brussels
and the German-speaking Community"); a basis of another region opens nothing, and a refusal names the region's own
sources, never the Walloon decree."""

import datetime

import pytest

from prestataires.eligibility import basis_period_problem, explain, refusal
from prestataires.models import RegleEligibilite
from tests.factories import AgenceFactory, PrestataireFactory

from .factories import SituationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _worker(region, born):
    return PrestataireFactory(agence=AgenceFactory(region=region), date_naissance=born, eligible=False)


def test_german_speaking_rules_are_seeded_with_their_source():
    """Rule: 1 year registered under 45, 6 months from 45, from day 1 with social or health barriers (adg.be)."""
    rules = {r.base: r for r in RegleEligibilite.objects.filter(region="germanophone")}
    assert set(rules) == {"inscrit_1_an_moins_45", "inscrit_6_mois_45_plus", "freins_sociaux_sante"}
    assert (rules["inscrit_1_an_moins_45"].age_max, rules["inscrit_1_an_moins_45"].duree_mois) == (45, 12)
    assert (rules["inscrit_6_mois_45_plus"].age_min, rules["inscrit_6_mois_45_plus"].duree_mois) == (45, 6)
    assert rules["freins_sociaux_sante"].duree_mois == 0
    assert all("adg.be" in r.source for r in rules.values())


def test_german_speaking_one_year_under_45():
    """Rule: under 45, one year registered at the ADG (adg.be): 11 months is not enough, 12 is."""
    p = _worker("germanophone", D(1990, 5, 1))
    SituationFactory(prestataire=p, base="inscrit_1_an_moins_45", depuis=D(2025, 4, 1), preuve="Attestation ADG")
    assert not explain(p, D(2026, 3, 15)).ok
    assert explain(p, D(2026, 4, 1)).ok


def test_german_speaking_six_months_from_45():
    """Rule: from 45, six months registered at the ADG (adg.be)."""
    p = _worker("germanophone", D(1970, 5, 1))
    SituationFactory(prestataire=p, base="inscrit_6_mois_45_plus", depuis=D(2025, 10, 1), preuve="Attestation ADG")
    assert not explain(p, D(2026, 3, 15)).ok
    assert explain(p, D(2026, 4, 1)).ok
    young = _worker("germanophone", D(1995, 5, 1))
    SituationFactory(prestataire=young, base="inscrit_6_mois_45_plus", depuis=D(2025, 1, 1), preuve="Attestation")
    assert not explain(young, D(2026, 4, 1)).ok


def test_german_speaking_barriers_open_access_from_the_first_day():
    """Rule: social or health barriers open access from the first day of registration (adg.be)."""
    p = _worker("germanophone", D(1990, 5, 1))
    SituationFactory(prestataire=p, base="freins_sociaux_sante", depuis=D(2026, 3, 2), preuve="Avis ADG")
    assert explain(p, D(2026, 3, 2)).ok


def test_brussels_rules_are_the_federal_conditions_alepwabru_lists():
    """Rule: Brussels (alepwabru.be): 2 years under 45, 6 months from 45, 24 of 36 months, the RIS; none of the
    Walloon 2026 routes (not sourced for Brussels)."""
    bases = set(RegleEligibilite.objects.filter(region="bruxelles").values_list("base", flat=True))
    assert bases == {"chomage_moins_45", "chomage_45_plus", "chomage_24_36", "ris"}
    assert all("alepwabru.be" in r.source for r in RegleEligibilite.objects.filter(region="bruxelles"))
    p = _worker("bruxelles", D(1990, 5, 1))
    SituationFactory(prestataire=p, base="forem_12_mois", depuis=D(2024, 1, 1))
    assert not explain(p, D(2026, 3, 2)).ok
    assert "dans la région de l'agence" in basis_period_problem("bruxelles", "forem_12_mois", D(2024, 1, 1))


def test_a_walloon_basis_opens_nothing_in_the_german_speaking_community():
    p = _worker("germanophone", D(1990, 5, 1))
    SituationFactory(prestataire=p, base="forem_12_mois", depuis=D(2024, 1, 1))
    assert not explain(p, D(2026, 3, 2)).ok


def test_a_refusal_names_the_regions_own_source_never_the_walloon_decree():
    """Rule: the refusal names the region and its own sources (adg.be in the German-speaking Community); the Walloon
    decree of 11.12.2025 only in Wallonia."""
    p = _worker("germanophone", D(1990, 5, 1))
    SituationFactory(prestataire=p, base="inscrit_1_an_moins_45", depuis=D(2026, 1, 5), preuve="Attestation ADG")
    text = refusal(p, D(2026, 3, 2))
    assert "Communauté germanophone" in text and "adg.be" in text
    assert "wallon" not in text.lower()
    w = _worker("wallonie", D(1990, 5, 1))
    SituationFactory(prestataire=w, base="forem_12_mois", depuis=D(2025, 12, 1))
    walloon = refusal(w, D(2026, 3, 2))
    assert "Wallonie" in walloon and "Décret wallon du 11.12.2025" in walloon
