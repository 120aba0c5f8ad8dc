"""Each model's `for_user` is the one place that decides who sees what."""

import pytest

from ale_platform.models import Agence
from forem_liaison.models import Adressage
from prestataires.models import Prestataire
from tests.factories import AdressageFactory, ConseillerFactory, UserFactory
from utilisateurs.models import Utilisateur

pytestmark = pytest.mark.django_db


def visible(model, user):
    return set(model.objects.for_user(user))


def test_collaborator_sees_only_their_agency(world):
    collab = world.users["collab_a"]
    assert visible(Agence, collab) == {world.agence_a}
    assert visible(Prestataire, collab) == {world.prestataire_a}
    assert visible(Utilisateur, collab) == {world.utilisateur_a}
    assert visible(Adressage, collab) == {world.adressage_a}


def test_client_sees_only_their_own_file(world):
    client = world.users["client"]
    assert visible(Utilisateur, client) == {world.utilisateur_a}
    for model in (Agence, Prestataire, Adressage):
        assert visible(model, client) == set()


def test_worker_sees_only_their_own_file(world):
    worker = world.users["prestataire"]
    assert visible(Prestataire, worker) == {world.prestataire_a}
    for model in (Agence, Utilisateur, Adressage):
        assert visible(model, worker) == set()


def test_adviser_sees_only_their_own_referrals(world):
    adviser = world.users["conseiller"]
    # Same Forem office, another adviser: still nothing of the first one's referrals.
    colleague = ConseillerFactory(bureau=world.conseiller.bureau)
    AdressageFactory(conseiller=colleague, agence=world.agence_a)
    assert visible(Adressage, adviser) == {world.adressage_a}
    for model in (Agence, Prestataire, Utilisateur):
        assert visible(model, adviser) == set()


def test_superuser_sees_everything_and_anonymous_nothing(world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert visible(Prestataire, admin) == {world.prestataire_a, world.prestataire_b}
    from django.contrib.auth.models import AnonymousUser

    for model in (Agence, Prestataire, Utilisateur, Adressage):
        assert visible(model, AnonymousUser()) == set()


def test_a_member_of_two_agencies_is_not_duplicated(world):
    from ale_platform.models import AgenceMembership

    collab = world.users["collab_a"]
    AgenceMembership.objects.create(user=collab, agence=world.agence_b)
    assert Prestataire.objects.for_user(collab).count() == 2
