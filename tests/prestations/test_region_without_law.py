"""Rule: where a region's law is not recorded, the platform refuses and says so; it never borrows another region's
law (ale-rules.md, "Brussels and the German-speaking Community"). Caps, pay and eligibility fail closed alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prestataires import eligibility
from prestations.rulebook import law_in_force
from prestations.rulebook.law import NoLaw
from tests.factories import AgenceFactory

from .factories import ready
from .test_rulebook import messages, rec

pytestmark = pytest.mark.django_db
D = datetime.date
NO_LAW = "Aucune règle légale enregistrée pour cette région à cette date"


def test_a_region_without_law_rows_has_no_law_and_never_wallonias():
    with pytest.raises(NoLaw) as exc:
        law_in_force("bruxelles", D(2026, 3, 1))
    assert NO_LAW in messages(exc) and "Bruxelles-Capitale" in messages(exc)
    assert law_in_force("wallonie", D(2026, 3, 1)).plafond_mensuel == 45


def test_a_region_without_eligibility_rules_refuses_with_the_same_clear_sentence():
    s = ready(agence=AgenceFactory(region="bruxelles"))
    refused = eligibility.refusal(s.prestataire, D(2026, 3, 2))
    assert refused and NO_LAW in refused


def test_no_hours_recorded_in_a_region_without_law():
    s = ready(agence=AgenceFactory(region="germanophone"))
    with pytest.raises(ValidationError) as exc:
        rec(s, 2, D(2026, 11, 16), statut="planifiee")
    assert NO_LAW in messages(exc)


def test_a_page_needing_the_law_of_a_region_without_law_says_so(client):
    s = ready(agence=AgenceFactory(region="bruxelles"))
    client.force_login(s.staff)
    page = client.get(reverse("prestataires:detail", args=[s.prestataire.pk]))
    assert page.status_code == 503
    assert NO_LAW in page.text


def test_travel_costs_never_borrow_another_regions_law():
    """AR 5.6.2002's minimum is recorded per region (RegleFraisDeplacement.region): a Brussels agency does not read
    the Walloon row."""
    from decimal import Decimal

    from prestations.models import RegleFraisDeplacement
    from prestations.rulebook.travel import Regles, travel_law_in_force

    RegleFraisDeplacement.objects.get_or_create(
        agence=None,
        region="wallonie",
        en_vigueur_du=D(2002, 6, 1),
        defaults={"seuil_km": Decimal("5"), "taux_km": Decimal("0.15"), "a_charge_de": "ale"},
    )
    wallonia = ready()
    brussels = ready(agence=AgenceFactory(region="bruxelles"))
    assert Regles(wallonia.agence).on(D(2026, 3, 1)).taux_km == Decimal("0.15")
    assert Regles(brussels.agence).on(D(2026, 3, 1)) is None
    assert travel_law_in_force("bruxelles", D(2026, 3, 1)) is None
