"""Rule: in Brussels every new assignment starts with a prior interview between the worker and an ALE adviser
(alepwabru.be, "ALE cheques"): where the region's law row requires it (`RegleLegale.entretien_prealable`), no slot
of the assignment is planned or recorded before the interview is recorded (date, by whom)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prestations.models import RegleLegale
from prestations.planning import assign_prestataires, plan_demande, record_prior_interview
from prestations.rulebook import law_in_force
from tests.factories import AgenceFactory
from tests.prestations.factories import ready
from tests.prestations.test_matching import demande_for, good_worker

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 3, 2)
NEEDED = "l'affectation ne peut pas être confirmée avant l'entretien préalable"


def _brussels_with_caps():
    """Brussels' row as seeded, plus (for this test only) caps and pay, which the sources do not give: so that the
    only thing left to refuse is the missing interview."""
    RegleLegale.objects.create(
        region="bruxelles",
        en_vigueur_du=datetime.date(2026, 1, 1),
        plafond_mensuel=45,
        plafond_mensuel_majore=70,
        types_utilisateurs_majores=["particulier", "enseignement"],
        plafond_mensuel_agricole=150,
        plafond_hors_agricole=45,
        plafond_annuel=630,
        types_utilisateurs_agricoles=["agricole"],
        indemnite_par_cheque=Decimal("4.10"),
        prix_minimum_cheque=Decimal("7.45"),
        prix_cheque_fixe=True,
        entretien_prealable=True,
        source="test : plafonds hypothétiques, entretien préalable (alepwabru.be)",
    )


def _assigned(region="bruxelles"):
    s = ready(agence=AgenceFactory(region=region))
    worker = good_worker(s)
    demande = demande_for(s, days=(MONDAY,))
    (affectation,) = assign_prestataires(demande=demande, prestataires=[worker], acting_user=s.staff)
    return s, demande, affectation


def test_brussels_law_requires_the_prior_interview_wallonia_does_not():
    assert law_in_force("bruxelles", MONDAY).entretien_prealable is True
    assert law_in_force("wallonie", MONDAY).entretien_prealable is False
    assert law_in_force("germanophone", MONDAY).entretien_prealable is False


def test_no_slot_is_planned_before_the_prior_interview_then_it_is():
    _brussels_with_caps()
    s, demande, affectation = _assigned()
    report = plan_demande(demande=demande, acting_user=s.staff)
    assert not report.planned
    assert report.refused and NEEDED in report.refused[0][2] and "Bruxelles-Capitale" in report.refused[0][2]
    record_prior_interview(affectation=affectation, le=MONDAY - datetime.timedelta(days=3), acting_user=s.staff)
    affectation.refresh_from_db()
    assert affectation.entretien_prealable_le == MONDAY - datetime.timedelta(days=3)
    assert affectation.entretien_prealable_par == s.staff
    assert len(plan_demande(demande=demande, acting_user=s.staff).planned) == 1


def test_without_caps_brussels_still_refuses_after_the_interview_naming_the_missing_rule():
    """The interview is one step; Brussels' yearly cap is not sourced (ale-rules.md), so hours stay refused."""
    s, demande, affectation = _assigned()
    record_prior_interview(affectation=affectation, le=MONDAY, acting_user=s.staff)
    report = plan_demande(demande=demande, acting_user=s.staff)
    assert not report.planned and "plafond annuel" in report.refused[0][2] and NEEDED not in report.refused[0][2]


def test_a_walloon_assignment_needs_no_prior_interview():
    s, demande, _affectation = _assigned(region="wallonie")
    assert len(plan_demande(demande=demande, acting_user=s.staff).planned) == 1


def test_the_interview_cannot_be_recorded_in_the_future_nor_on_a_declined_assignment():
    s, _demande, affectation = _assigned()
    with pytest.raises(ValidationError) as exc:
        record_prior_interview(affectation=affectation, le=datetime.date(2999, 1, 1), acting_user=s.staff)
    assert "avant d'avoir eu lieu" in str(exc.value)
    affectation.statut, affectation.motif_refus = "declinee", "Trop loin"
    affectation.declinee_le = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    affectation.save()
    with pytest.raises(ValidationError):
        record_prior_interview(affectation=affectation, le=MONDAY, acting_user=s.staff)


def test_staff_record_the_interview_on_the_request_page(client):
    _brussels_with_caps()  # the request page ranks candidates against the caps
    s, demande, affectation = _assigned()
    client.force_login(s.staff)
    page = client.get(reverse("prestations:matching", args=[demande.pk])).text
    assert reverse("prestations:entretien", args=[affectation.pk]) in page and "Entretien préalable le" in page
    client.post(reverse("prestations:entretien", args=[affectation.pk]), {"le": MONDAY.isoformat()})
    affectation.refresh_from_db()
    assert affectation.entretien_prealable_le == MONDAY and affectation.entretien_prealable_par == s.staff
