import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from ale_platform.models import Activite
from prestataires.models import Prestataire
from prestations.rulebook import hour_meters
from tests.factories import (
    ActiviteFactory,
    AgenceFactory,
    PrestataireFactory,
    PrestationFactory,
    UtilisateurFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


def work(worker, hours, day=DAY, **fields):
    """Records `hours` as prestations of at most 8 h on successive days from `day`."""
    hours, n = Decimal(hours), 0
    while hours > 0:
        chunk = min(hours, Decimal(8))
        PrestationFactory(prestataire=worker, date=day + datetime.timedelta(days=n), heures=chunk, **fields)
        hours -= chunk
        n += 1


def meters_of(worker):
    worker = Prestataire.objects.select_related("agence").get(pk=worker.pk)
    return hour_meters([worker], on=DAY)[worker.pk]


def test_general_cap_and_year_total():
    worker = PrestataireFactory()
    work(worker, 40)
    work(worker, 30, day=DAY.replace(month=1))
    work(worker, 5, statut="annulee")  # does not count
    meters = meters_of(worker)
    assert meters.month.used == Decimal(40)
    assert meters.month.cap == Decimal(45)
    assert meters.month.near and not meters.month.over
    assert meters.year.used == Decimal(70)
    assert meters.year.cap == Decimal(630)
    assert not meters.seuil_forem_atteint


def test_majoree_activities_raise_the_monthly_cap_to_70():
    worker = PrestataireFactory()
    jardinage = ActiviteFactory(agence=worker.agence, categorie=Activite.Categorie.MAJOREE)
    work(worker, 50, activite=jardinage)
    meters = meters_of(worker)
    assert meters.month.cap == Decimal(70)
    assert meters.month.left == Decimal(20)
    assert meters.seuil_forem_atteint


def test_agriculture_allows_150_of_which_45_outside():
    worker = PrestataireFactory()
    ferme = ActiviteFactory(agence=worker.agence, categorie=Activite.Categorie.AGRICOLE)
    exploitant = UtilisateurFactory(agence=worker.agence, type="agricole")  # the 150 h are for work at farms
    work(worker, 100, activite=ferme, utilisateur=exploitant)
    work(worker, 46)
    meters = meters_of(worker)
    assert meters.month.cap == Decimal(150)
    assert not meters.month.over
    assert meters.outside_agriculture.over


def test_agency_caps_only_lower_the_law():
    """Rule: the caps are the law's; an agency may plan below them, never above (ale-rules.md, "Hour caps")."""
    raised = PrestataireFactory(agence=AgenceFactory(plafond_mensuel=60, plafond_mensuel_majore=80))
    work(raised, 46)
    assert meters_of(raised).month.cap == Decimal(45) and meters_of(raised).month.over


def test_caps_are_agency_settings():
    agence = AgenceFactory(plafond_mensuel=40)
    worker = PrestataireFactory(agence=agence)
    work(worker, 41)
    assert meters_of(worker).month.over


def test_two_queries_for_many_workers(django_assert_num_queries):
    """The law of the region, then the sums of every file of the same people: whatever the number of workers."""
    agence = AgenceFactory()
    workers = PrestataireFactory.create_batch(5, agence=agence)
    for worker in workers:
        PrestationFactory(prestataire=worker, date=DAY)
    workers = list(Prestataire.objects.select_related("agence").filter(agence=agence))
    with django_assert_num_queries(2):
        meters = hour_meters(workers, on=DAY)
    assert all(m.month.used == 3 for m in meters.values())


def test_end_before_start_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        PrestationFactory(debut=datetime.time(12), fin=datetime.time(9))
