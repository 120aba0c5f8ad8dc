"""Staff pages: candidates of a demande, assign, plan the series; the worker declines from their space."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import now

from prestations.models import Affectation, Prestation
from tests.factories import UserFactory
from tests.prestations.factories import ready
from tests.prestations.test_matching import demande_for, good_worker

pytestmark = pytest.mark.django_db


def test_staff_find_assign_and_plan(client):
    s = ready()
    worker = good_worker(s, nom="Lejeune")
    demande = demande_for(s, days=(datetime.date(2026, 3, 2),))
    client.force_login(s.staff)
    page = client.get(reverse("prestations:matching", args=[demande.pk]))
    assert page.status_code == 200 and "Lejeune" in page.text and "Disponible à toutes les dates" in page.text
    client.post(reverse("prestations:assign", args=[demande.pk]), {"prestataire": [worker.pk]})
    assert Affectation.objects.filter(demande=demande, prestataire=worker, statut="attribuee").exists()
    response = client.post(reverse("prestations:plan", args=[demande.pk]))
    assert response.status_code == 302 and "planning" in response.url
    assert Prestation.objects.filter(demande=demande, prestataire=worker, statut="planifiee").count() == 1


def test_worker_declines_from_their_space(client):
    s = ready()
    user = UserFactory(role="prestataire")
    worker = good_worker(s, compte=user)
    demande = demande_for(s)
    aff = Affectation.objects.create(demande=demande, prestataire=worker)
    client.force_login(user)
    assert "Décliner" in client.get(reverse("prestations:mes_affectations")).text
    client.post(reverse("prestations:mon_refus", args=[aff.pk]), {"motif": "Malade cette semaine"})
    aff.refresh_from_db()
    assert aff.statut == "declinee" and aff.motif_refus == "Malade cette semaine"


def test_matching_page_stays_under_its_query_budget_whatever_the_workers(client, django_assert_max_num_queries):
    s = ready()
    demande = demande_for(s, days=(datetime.date(2026, 3, 2), datetime.date(2026, 3, 9)))
    client.force_login(s.staff)
    url = reverse("prestations:matching", args=[demande.pk])
    for _ in range(3):
        good_worker(s)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(30):
        worker = good_worker(s)
        if i % 2:
            Affectation.objects.create(
                demande=demande, prestataire=worker, statut="declinee", motif_refus="Indisponible", declinee_le=now()
            )
        else:
            Affectation.objects.create(demande=demande, prestataire=worker)
    with django_assert_max_num_queries(17), CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
