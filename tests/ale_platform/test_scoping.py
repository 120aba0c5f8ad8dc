"""The one scoping base: who sees which rows, and what the shared getters return."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from ale_platform.agences import SESSION_KEY
from ale_platform.models import AgenceMembership, Role
from ale_platform.scoping import get_object_for, get_own_object, scoped
from prestataires.models import Document, Prestataire
from tests.factories import AgenceFactory, CollaborateurFactory, PrestataireFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user, agence=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {SESSION_KEY: agence.pk} if agence else {}
    return request


@pytest.fixture
def two_agencies():
    here, there = AgenceFactory(), AgenceFactory()
    collab = CollaborateurFactory(agence=here)
    AgenceMembership.objects.create(user=collab, agence=there)
    return here, there, collab, PrestataireFactory(agence=here), PrestataireFactory(agence=there)


def test_for_user_covers_the_four_cases(two_agencies):
    here, there, collab, mine, theirs = two_agencies
    outsider = PrestataireFactory()
    worker = UserFactory(role=Role.PRESTATAIRE)
    PrestataireFactory(agence=here, compte=worker)
    assert not Prestataire.objects.for_user(AnonymousUser()).exists()
    assert Prestataire.objects.for_user(UserFactory(is_superuser=True)).count() == 4
    assert set(Prestataire.objects.for_user(collab)) >= {mine, theirs}
    assert outsider not in Prestataire.objects.for_user(collab)
    assert list(Prestataire.objects.for_user(worker).values_list("compte", flat=True)) == [worker.pk]
    assert not Prestataire.objects.for_user(UserFactory(role=Role.CLIENT)).exists()


def test_staff_reach_only_the_agency_they_work_in(two_agencies):
    here, there, collab, mine, theirs = two_agencies
    request = _request(collab, here)
    assert list(Prestataire.objects.for_staff(request)) == [mine]
    assert get_object_for(request, Prestataire, mine.pk) == mine
    with pytest.raises(Http404):
        get_object_for(request, Prestataire, theirs.pk)
    assert get_object_for(_request(collab, there), Prestataire, theirs.pk) == theirs


def test_the_superuser_works_in_the_agency_they_chose(two_agencies):
    here, there, _collab, mine, theirs = two_agencies
    request = _request(UserFactory(is_superuser=True), there)
    assert list(scoped(request, Prestataire)) == [theirs]
    with pytest.raises(Http404):
        get_object_for(request, Prestataire, mine.pk, write=True)


def test_rows_scoped_through_their_parent_follow_it(two_agencies):
    here, there, collab, mine, theirs = two_agencies
    kept = Document.objects.create(prestataire=mine, type="autre", titre="Contrat", fichier="a.pdf")
    Document.objects.create(prestataire=theirs, type="autre", titre="Contrat", fichier="b.pdf")
    assert list(Document.objects.for_staff(_request(collab, here))) == [kept]


def test_a_person_gets_their_own_file_and_nothing_else():
    worker = UserFactory(role=Role.PRESTATAIRE)
    own = PrestataireFactory(compte=worker)
    assert get_own_object(_request(worker), Prestataire) == own
    with pytest.raises(Http404):
        get_own_object(_request(UserFactory(role=Role.PRESTATAIRE)), Prestataire)
