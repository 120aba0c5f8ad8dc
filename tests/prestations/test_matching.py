"""Matching a request to workers: ranking, reasons and blockers, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prestataires.models import Absence, ContratALE, Disponibilite, Mobilite
from prestations.matching import candidates
from prestations.models import Affectation, Prestation
from tests.factories import PrestataireFactory
from tests.prestations.factories import ready
from tests.utilisateurs.factories import DemandeFactory
from utilisateurs.models import Creneau

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)
NOW = datetime.datetime(2026, 2, 20, 10, tzinfo=datetime.UTC)


def good_worker(s, **kwargs):
    p = PrestataireFactory(agence=s.agence, statut="actif", **kwargs)
    p.activites.add(s.generale)
    ContratALE.objects.create(
        prestataire=p, date_debut=datetime.date(2026, 1, 1), date_signature=datetime.date(2026, 1, 1)
    )
    Disponibilite.objects.create(prestataire=p, jour=0, demi_journee="matin")
    return p


def demande_for(s, days=(MONDAY,)):
    d = DemandeFactory(utilisateur=s.utilisateur, activite=s.generale)
    for day in days:
        Creneau.objects.create(demande=d, date=day, debut=datetime.time(9), fin=datetime.time(11))
    return d


def test_ranks_the_fitting_worker_first_and_explains_blockers():
    s = ready()
    fit = good_worker(s, nom="Zénon")
    absent = good_worker(s, nom="Abel")
    Absence.objects.create(prestataire=absent, debut=MONDAY, fin=MONDAY, motif="Congé")
    walker = good_worker(s, nom="Bertrand", code_postal="5310", commune="Éghezée", mobilite=Mobilite.PIED)
    no_contract = PrestataireFactory(agence=s.agence, statut="inscrit", nom="Aaron")
    ranked = candidates(demande_for(s))
    assert ranked[0].prestataire == fit and ranked[0].eligible
    by_pk = {c.prestataire.pk: c for c in ranked}
    assert any("Absent" in b for b in by_pk[absent.pk].blockers)
    assert any("à pied" in b for b in by_pk[walker.pk].blockers)
    blockers = " ".join(by_pk[no_contract.pk].blockers)
    assert "N'accepte pas" in blockers and "contrat" in blockers and "pas actif" in blockers


def test_planned_prestation_and_caps_block():
    s = ready()
    busy = good_worker(s, nom="Busy")
    Prestation.objects.create(
        agence=s.agence,
        prestataire=busy,
        utilisateur=s.ferme,
        activite=s.generale,
        date=MONDAY,
        debut=datetime.time(10),
        fin=datetime.time(12),
        heures=2,
        statut="planifiee",
    )
    full = good_worker(s, nom="Full")
    for day in (3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17):
        Prestation.objects.create(
            agence=s.agence,
            prestataire=full,
            utilisateur=s.ferme,
            activite=s.generale,
            date=datetime.date(2026, 3, day),
            debut=datetime.time(8),
            fin=datetime.time(12),
            heures=4,
            statut="planifiee",
        )
    by_pk = {c.prestataire.pk: c for c in candidates(demande_for(s))}
    assert any("Déjà planifié" in b for b in by_pk[busy.pk].blockers)
    assert by_pk[full.pk].heures_restantes == 1
    assert any("il en faut 2" in b for b in by_pk[full.pk].blockers)


def _count(demande):
    with CaptureQueriesContext(connection) as ctx:
        result = candidates(demande)
    return len(ctx.captured_queries), result


def test_query_count_does_not_grow_with_workers():
    s = ready()
    demande = demande_for(s, days=(MONDAY, MONDAY + datetime.timedelta(days=7)))
    for _ in range(5):
        good_worker(s)
    few, result = _count(demande)
    assert len(result) == 6
    for _ in range(35):
        good_worker(s)
    many, result = _count(demande)
    assert len(result) == 41
    # The request's dates, the workers (with their situations, absences, planned slots, the region's law and
    # eligibility rules packed on the same query), the hour sums.
    assert few == many == 3


def test_refusals_and_current_assignment_come_with_the_workers():
    s = ready()
    demande = demande_for(s)
    other = demande_for(s)
    refuser, assigned = good_worker(s, nom="Refus"), good_worker(s, nom="Attribue")
    Affectation.objects.create(
        demande=other, prestataire=refuser, statut="declinee", motif_refus="Malade", declinee_le=NOW
    )
    Affectation.objects.create(
        demande=demande, prestataire=refuser, statut="declinee", motif_refus="Trop loin", declinee_le=NOW
    )
    Affectation.objects.create(demande=demande, prestataire=assigned)
    Affectation.objects.create(demande=other, prestataire=assigned)
    by_pk = {c.prestataire.pk: c for c in candidates(demande)}
    assert (by_pk[refuser.pk].refus, by_pk[refuser.pk].affecte) == (2, False)
    assert any("A décliné 2" in r for r in by_pk[refuser.pk].reasons)
    assert (by_pk[assigned.pk].refus, by_pk[assigned.pk].affecte) == (0, True)
    assert by_pk[s.prestataire.pk].affecte is False
