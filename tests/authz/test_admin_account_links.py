"""An agency admin links a file of their agency only to an account of the right role that is free or already theirs:
never another agency's worker or client, an adviser, a collaborator or a superuser."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from ale_platform.models import AgenceMembership, Role
from tests.factories import (
    AgenceFactory,
    CollaborateurFactory,
    ConseillerFactory,
    PrestataireFactory,
    UserFactory,
    UtilisateurFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    mine, other = AgenceFactory(), AgenceFactory()
    admin_user = CollaborateurFactory(agence=mine, agence__admin=True)
    colleague = CollaborateurFactory(agence=mine)
    worker_elsewhere = PrestataireFactory(agence=other, compte=UserFactory(role=Role.PRESTATAIRE))
    client_elsewhere = UtilisateurFactory(agence=other, compte=UserFactory(role=Role.CLIENT))
    return {
        "admin": admin_user,
        "colleague": colleague,
        "worker": PrestataireFactory(agence=mine),
        "client": UtilisateurFactory(agence=mine),
        "free_worker_account": UserFactory(role=Role.PRESTATAIRE),
        "free_client_account": UserFactory(role=Role.CLIENT),
        "out_of_scope": {
            "another agency's worker": worker_elsewhere.compte,
            "another agency's client": client_elsewhere.compte,
            "an adviser": ConseillerFactory().user,
            "a collaborator": colleague,
            "a superuser": UserFactory(is_superuser=True, is_staff=True, role=Role.PRESTATAIRE),
            "another agency's collaborator": CollaborateurFactory(agence=other),
        },
        "other": other,
    }


def _change_data(model, obj, user, **changes):
    """The change form's own values (what the browser would send back), with `changes`."""
    request = RequestFactory().get("/")
    request.user = user
    form = admin.site._registry[model].get_form(request, obj)(instance=obj)
    data = {}
    for bound in form:
        value = bound.value()
        if value is False:
            continue
        data[bound.html_name] = "" if value is None else value
    return data | changes


def _post_compte(client, user, obj, account):
    model = type(obj)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    return client.post(url, _change_data(model, obj, user, compte=account.pk if account else ""))


@pytest.mark.parametrize(("file", "free"), [("worker", "free_worker_account"), ("client", "free_client_account")])
def test_an_agency_admin_links_only_a_free_account_of_the_right_role(world, file, free):
    client = Client()
    client.force_login(world["admin"])
    obj = world[file]
    model = type(obj)
    wrong_role = world["free_client_account"] if file == "worker" else world["free_worker_account"]
    for label, account in [*world["out_of_scope"].items(), ("an account of the other role", wrong_role)]:
        response = client.post(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]),
            _change_data(model, obj, world["admin"], compte=account.pk),
        )
        assert response.status_code == 200, label  # the form again, with its error
        assert "compte" in response.context["adminform"].form.errors, label
        obj.refresh_from_db()
        assert obj.compte_id is None, label
    # The same form with a free account of the right role is saved: the refusals above are about the account.
    response = _post_compte(client, world["admin"], obj, world[free])
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.compte == world[free]
    # Saved again unchanged, its own account stays acceptable.
    assert _post_compte(client, world["admin"], obj, world[free]).status_code == 302


def test_an_agency_admin_adds_to_their_agency_only_a_collaborator_without_another_agency(world):
    client = Client()
    client.force_login(world["admin"])
    url = reverse("admin:ale_platform_agencemembership_add")
    mine = world["admin"].memberships.get().agence
    for label, account in world["out_of_scope"].items():
        if account == world["colleague"]:
            continue  # already a member of this agency: refused by the uniqueness of the membership
        response = client.post(url, {"user": account.pk, "agence": mine.pk})
        assert response.status_code == 200, label
        assert "user" in response.context["adminform"].form.errors, label
    assert not AgenceMembership.objects.filter(agence=mine).exclude(user__in=[world["admin"], world["colleague"]])
    newcomer = UserFactory(role=Role.COLLABORATEUR)
    assert client.post(url, {"user": newcomer.pk, "agence": mine.pk}).status_code == 302
    assert AgenceMembership.objects.filter(agence=mine, user=newcomer).exists()
