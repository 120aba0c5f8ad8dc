"""Searching as people type, on SQLite and PostgreSQL alike: accents, case, hyphens and apostrophes do not matter,
a NISS or a BCE number matches with or without its separators (worker and client lists)."""

import pytest
from django.urls import reverse

from ale_platform.models import TypeUtilisateur
from ale_platform.search import fold, identifier_digits
from tests.factories import PrestataireFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world, client):
    client.force_login(world.users["collab_a"])
    return client


def test_fold():
    assert fold("Éghezée") == "eghezee"
    assert fold("Jean-Pierre D'Œuvre") == "jean pierre d oeuvre"
    assert fold("STRAßE") == "strasse"
    assert identifier_digits("85.07.30-033.28") == "85073003328"
    assert identifier_digits("0412 345 614") == "0412345614"
    assert identifier_digits("Dupont") == ""


def _clients(response):
    return sorted(u.nom for u in response.context["utilisateurs"])


def _workers(response):
    return sorted(p.nom for p, _meters in response.context["rows"])


@pytest.fixture
def people(world):
    a = world.agence_a
    return {
        "helene": UtilisateurFactory(agence=a, nom="Lefèvre", prenom="Hélène", commune="Éghezée"),
        "jp": UtilisateurFactory(agence=a, nom="Dupont-Gérard", prenom="Jean-Pierre", commune="Gembloux"),
        "asbl": UtilisateurFactory(
            agence=a, nom="Les Œuvres d'Éghezée", type=TypeUtilisateur.ASBL, bce="0412345614", commune="Leuze"
        ),
        "other": UtilisateurFactory(agence=world.agence_b, nom="Lefevre", commune="Eghezee"),
        "worker": PrestataireFactory(agence=a, nom="Lemaître", prenom="Noël", commune="Éghezée", code_postal="5310"),
        "worker2": PrestataireFactory(agence=a, nom="Durand", prenom="Zoé", commune="Gembloux"),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"commune": "eghezee"}, ["Lefèvre"]),
        ({"commune": "EGHÉZÉE"}, ["Lefèvre"]),
        ({"recherche": "lefevre"}, ["Lefèvre"]),
        ({"recherche": "helene lefevre"}, ["Lefèvre"]),
        ({"recherche": "jean pierre"}, ["Dupont-Gérard"]),
        ({"recherche": "dupont gerard"}, ["Dupont-Gérard"]),
        ({"recherche": "oeuvres d eghezee"}, ["Les Œuvres d'Éghezée"]),
        ({"recherche": "0412.345.614"}, ["Les Œuvres d'Éghezée"]),
        ({"recherche": "0412 345 614"}, ["Les Œuvres d'Éghezée"]),
        ({"recherche": "412345614"}, ["Les Œuvres d'Éghezée"]),
    ],
)
def test_client_list_search(staff, people, params, expected):
    assert _clients(staff.get(reverse("utilisateurs:list"), params)) == expected


def test_client_list_search_by_niss_as_typed(staff, people):
    client = staff
    niss = people["helene"].niss
    typed = f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}"
    assert _clients(client.get(reverse("utilisateurs:list"), {"recherche": typed})) == ["Lefèvre"]
    assert _clients(client.get(reverse("utilisateurs:list"), {"recherche": niss})) == ["Lefèvre"]


def test_worker_list_search(staff, people):
    url = reverse("prestataires:list")
    assert _workers(staff.get(url, {"lieu": "eghezee"})) == ["Lemaître"]
    assert _workers(staff.get(url, {"q": "noel lemaitre"})) == ["Lemaître"]
    assert _workers(staff.get(url, {"q": "ZOE"})) == ["Durand"]
    niss = people["worker"].niss
    typed = f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}"
    assert _workers(staff.get(url, {"q": typed})) == ["Lemaître"]
