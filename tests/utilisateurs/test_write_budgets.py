"""Query budget of the client's main write: booking a recurring service costs the same number of queries
whatever the number of its dates (the wished dates are inserted in one statement)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from utilisateurs.calendrier import jours_feries
from utilisateurs.models import Demande

from .factories import AutorisationFactory, InscriptionFactory
from .test_booking import _data

pytestmark = pytest.mark.django_db
BUDGET = 45


def _book(client, activite, weeks):
    start = timezone.localdate() + datetime.timedelta(days=10)
    if (start + datetime.timedelta(weeks=2)).year != start.year:  # one year's dates, whatever the day of the run
        start = datetime.date(start.year + 1, 1, 4)
    while jours_feries(start, start):  # the first wished date must exist: not a public holiday
        start += datetime.timedelta(days=1)
    data = _data(
        activite,
        mode="recurrente",
        periode_debut=start.isoformat(),
        periode_fin=(start + datetime.timedelta(weeks=weeks)).isoformat(),
        jours=[str(start.weekday())],
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("utilisateurs:reserver"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return len(queries)


def test_booking_a_service_stays_within_its_budget_whatever_the_number_of_dates(world, as_user):
    u = world.utilisateur_a
    year = timezone.localdate().year
    InscriptionFactory(utilisateur=u, annee=year)
    InscriptionFactory(utilisateur=u, annee=year + 1)  # from mid-December, the dates are next year's
    activite = AutorisationFactory(utilisateur=u).activite
    client = as_user(world.users["client"])
    few = _book(client, activite, weeks=0)
    many = _book(client, activite, weeks=2)
    assert Demande.objects.filter(utilisateur=u).count() == 2
    assert many == few
    assert many <= BUDGET
