"""Staff list of clients with django-filter, and its CSV export."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import TypeUtilisateur
from tests.factories import UtilisateurFactory

from .factories import AutorisationFactory, InscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(world):
    a = world.agence_a
    today = timezone.localdate()
    ok = UtilisateurFactory(agence=a, nom="Aubry", commune="Gembloux")
    InscriptionFactory(utilisateur=ok)
    garden = AutorisationFactory(utilisateur=ok, fin=today + datetime.timedelta(days=10)).activite
    pending = UtilisateurFactory(agence=a, nom="Bastin", commune="Grand-Leez")
    InscriptionFactory(utilisateur=pending, validee=False)
    school = UtilisateurFactory(agence=a, nom="École du Centre", type=TypeUtilisateur.ENSEIGNEMENT, commune="Lonzée")
    return {"ok": ok, "pending": pending, "school": school, "garden": garden}


def _names(response):
    return [u.nom for u in response.context["utilisateurs"]]


def test_filters(world, as_user, clients):
    client = as_user(world.users["collab_a"])
    url = reverse("utilisateurs:list")
    assert "École du Centre" in _names(client.get(url, {"type": "enseignement"}))
    assert _names(client.get(url, {"type": "enseignement"})) == ["École du Centre"]
    assert _names(client.get(url, {"commune": "leez"})) == ["Bastin"]
    assert _names(client.get(url, {"inscription": "en_ordre"})) == ["Aubry"]
    assert _names(client.get(url, {"inscription": "en_attente"})) == ["Bastin"]
    assert "École du Centre" in _names(client.get(url, {"inscription": "expiree"}))
    assert _names(client.get(url, {"activite": clients["garden"].pk})) == ["Aubry"]
    assert _names(client.get(url, {"expirant": "true"})) == ["Aubry"]
    # Agency B's clients never appear.
    assert world.utilisateur_b.nom not in _names(client.get(url))


def test_csv_export_follows_the_filters(world, as_user, clients):
    client = as_user(world.users["collab_a"])
    response = client.get(reverse("utilisateurs:export"), {"inscription": "en_ordre"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Nom;Prénom;Type")
    assert len(lines) == 2 and lines[1].startswith("Aubry;") and "En ordre" in lines[1]


def test_list_query_count_does_not_grow_with_clients(world, as_user, clients, django_assert_max_num_queries):
    client = as_user(world.users["collab_a"])
    for _ in range(10):
        UtilisateurFactory(agence=world.agence_a)
    with django_assert_max_num_queries(12):
        client.get(reverse("utilisateurs:list"))
