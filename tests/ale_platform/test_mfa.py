import html

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse

from ale_platform.models import Role
from tests.browser.conftest import totp_code
from tests.factories import PASSWORD, AgenceFactory, CollaborateurFactory, ConseillerFactory, UserFactory, give_totp

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: CollaborateurFactory(agence=AgenceFactory(), mfa=False),
        lambda: ConseillerFactory(user__mfa=False).user,
        lambda: UserFactory(is_superuser=True, is_staff=True, mfa=False),
    ],
)
def test_staff_and_advisers_must_set_up_mfa_first(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.get(reverse("dashboard" if not user.is_conseiller else "forem_liaison:conseiller_home"))
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(response["Location"], follow=True)  # allauth asks for the password again first
    assert "activez d'abord la double authentification" in html.unescape(page.content.decode())


@override_settings(ALE_REQUIRE_MFA=False)
def test_the_local_demo_setting_relaxes_it(client):
    client.force_login(CollaborateurFactory(agence=AgenceFactory(), mfa=False))
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("role", [Role.CLIENT, Role.PRESTATAIRE])
def test_clients_and_workers_are_not_forced(client, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_activate_totp")


def test_password_log_in_of_a_collaborator_asks_for_the_totp_code(client):
    user = CollaborateurFactory(agence=AgenceFactory(), mfa=False)
    secret = give_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in yet:
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "code" in response.context["form"].errors
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1


def test_removing_ones_totp_brings_back_the_set_up_requirement(client):
    """The check is remembered in the session, and forgotten when the user removes their authenticator."""
    user = CollaborateurFactory(agence=AgenceFactory(), mfa=False)
    secret = give_totp(user)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.post(reverse("mfa_deactivate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.post(reverse("mfa_deactivate_totp"))["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_activate_totp")
