"""Query budget of the adviser-facing write: publishing feedback costs the same number of queries whatever
the worker's prestations in the period (the facts are counted in aggregate queries)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forem_liaison import services

from .factories import PrestationFactory, draft_retour
from .test_retours import setup  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db
BUDGET = 30


def _queries_to_publish(adressage, collab):
    retour = draft_retour(adressage, collab)
    with CaptureQueriesContext(connection) as queries:
        services.publish_retour(retour=retour, acting_user=collab)
    return len(queries)


def test_publishing_feedback_stays_within_its_budget_whatever_the_facts(setup):  # noqa: F811
    agence, collab, _conseiller, adressage, prestataire = setup
    few = _queries_to_publish(adressage, collab)
    start = datetime.date.today() - datetime.timedelta(days=20)
    for n in range(12):
        PrestationFactory(agence=agence, prestataire=prestataire, date=start + datetime.timedelta(days=n))
    many = _queries_to_publish(adressage, collab)  # the referral's last-feedback date is already today's
    assert many <= few
    assert many <= BUDGET
