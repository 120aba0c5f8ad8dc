"""Rule: route (b) of 2026 (low employability with allowances, décret wallon du 11.12.2025; UVCW, 9.1.2026) is for
people the Forem refers to the ALE: it counts only with a Forem referral on record for the person (an `Adressage`
linked to the worker file), from its date; without one, eligibility checks refuse with a clear French reason."""

import datetime

import pytest

from prestataires.eligibility import explain, refusal
from prestataires.models import RegleEligibilite
from tests.factories import AdressageFactory, PrestataireFactory

from .factories import SituationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_route_b_of_2026_counts_only_with_a_forem_referral_on_record():
    assert RegleEligibilite.objects.get(base="faible_employabilite").adressage_requis  # data, not code
    p = PrestataireFactory(eligible=False)
    SituationFactory(prestataire=p, base="faible_employabilite", depuis=D(2026, 1, 5), avec_allocations=True)
    without = explain(p, D(2026, 3, 2))
    assert not without.ok
    why = refusal(p, D(2026, 3, 2))
    assert "Aucun adressage du Forem vers l'ALE n'est enregistré pour cette personne" in why
    assert "voie (b) de 2026" in why
    # A referral of the same NISS to another file (another agency) is not this person's record.
    AdressageFactory(niss=p.niss, prestataire=None)
    assert not explain(p, D(2026, 3, 2)).ok
    # Withdrawn by the Forem: does not count.
    AdressageFactory(agence=p.agence, prestataire=p, niss=p.niss, date_adressage=D(2026, 1, 2), etat="retire")
    assert not explain(p, D(2026, 3, 2)).ok
    AdressageFactory(agence=p.agence, prestataire=p, niss=p.niss, date_adressage=D(2026, 2, 1))
    assert explain(p, D(2026, 3, 2)).ok
    assert "Adressé·e à l'ALE par le Forem le 01/02/2026." in explain(p, D(2026, 3, 2)).verdicts[0].reasons
    before = explain(p, D(2026, 1, 20))
    assert not before.ok
    assert "ne compte qu'à partir de cette date" in " ".join(before.verdicts[0].failures)
