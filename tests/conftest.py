from dataclasses import dataclass

import pytest
from django.test import Client

from ale_platform.middleware import mark_mfa_passed
from ale_platform.models import Agence, Role, User

from .factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    ConseillerFactory,
    PrestataireFactory,
    UserFactory,
    UtilisateurFactory,
)


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login` stands for a complete log-in, second factor included (tests/ale_platform/test_mfa.py
    goes through the real log-in paths)."""
    force_login = Client.force_login

    def force_login_with_mfa(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        mark_mfa_passed(session, user)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_mfa)


@dataclass
class World:
    """Two agencies and one account per role; agency A holds the client's and the worker's files.

    Each role's user, plus one object of each kind in agency A (seen by `collab_a`) and the same in
    agency B (never seen by `collab_a`). The authorization walk runs every URL against these.
    """

    agence_a: Agence
    agence_b: Agence
    users: dict[str, User | None]
    objects: dict[str, object]

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def world(db) -> World:
    agence_a = AgenceFactory(nom="ALE de Gembloux")
    agence_b = AgenceFactory(nom="ALE d'Éghezée")
    collab_a = CollaborateurFactory(agence=agence_a)
    collab_b = CollaborateurFactory(agence=agence_b)
    client = UserFactory(role=Role.CLIENT)
    prestataire_user = UserFactory(role=Role.PRESTATAIRE)
    conseiller = ConseillerFactory()
    objects = {
        "prestataire_a": PrestataireFactory(agence=agence_a, compte=prestataire_user),
        "prestataire_b": PrestataireFactory(agence=agence_b),
        "utilisateur_a": UtilisateurFactory(agence=agence_a, compte=client),
        "utilisateur_b": UtilisateurFactory(agence=agence_b),
        "adressage_a": AdressageFactory(agence=agence_a, conseiller=conseiller),
        "adressage_b": AdressageFactory(agence=agence_b),
        "conseiller": conseiller,
    }
    users = {
        "anonymous": None,
        "client": client,
        "prestataire": prestataire_user,
        "collab_a": collab_a,
        "collab_b": collab_b,
        "conseiller": conseiller.user,
    }
    return World(agence_a=agence_a, agence_b=agence_b, users=users, objects=objects)
