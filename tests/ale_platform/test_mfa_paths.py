"""With the production settings, no path gives a staff member, an adviser or the superuser a session without the
second factor: the admin log-in, allauth's log-in, a password reset, an e-mail confirmation, a bare password log-in
of any other kind, and the API."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from tests.browser.conftest import totp_code
from tests.factories import PASSWORD, AgenceFactory, CollaborateurFactory, ConseillerFactory, UserFactory, give_totp

pytestmark = pytest.mark.django_db

ROLES = {
    "collaborateur": (lambda: CollaborateurFactory(agence=AgenceFactory(), agence__admin=True, mfa=False), "dashboard"),
    "conseiller": (lambda: ConseillerFactory(user__mfa=False).user, "forem_liaison:conseiller_home"),
    "superuser": (
        lambda: UserFactory(is_superuser=True, is_staff=True, mfa=False),
        "admin:ale_platform_user_changelist",
    ),
}
PRODUCTION = override_settings(ALE_REQUIRE_MFA=True, DEBUG=False)


@pytest.fixture(params=sorted(ROLES))
def person(request):
    make, page = ROLES[request.param]
    user = make()
    return user, give_totp(user), reverse(page)


def _not_in(client: Client, page: str):
    response = client.get(page)
    assert response.status_code == 302, (page, response.status_code)
    assert response["Location"].startswith(
        (reverse("account_login"), reverse("mfa_reauthenticate"), reverse("admin:login"))
    ), response["Location"]


@PRODUCTION
def test_the_admin_log_in_takes_no_password_and_sends_to_the_one_log_in(client, person):
    user, _secret, page = person
    response = client.post(reverse("admin:login"), {"username": user.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    _not_in(client, page)
    _not_in(client, reverse("admin:index"))


@PRODUCTION
def test_the_admin_log_in_form_is_allauths(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/ale_platform/user/"})
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/ale_platform/user/"
    assert client.get(reverse("admin:login"), {"next": "https://evil.example/"})["Location"].endswith("next=/admin/")


@PRODUCTION
def test_allauths_log_in_asks_for_the_code_before_any_staff_page(client, person):
    user, secret, page = person
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    _not_in(client, page)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(page).status_code == 200


@PRODUCTION
def test_a_session_opened_by_password_alone_must_pass_the_code(client, person):
    """Any log-in that did not go through allauth's second factor (here Django's own) is stopped at the code."""
    user, secret, page = person
    assert client.login(email=user.email, password=PASSWORD)
    response = client.get(page)
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(page).status_code == 200


@PRODUCTION
def test_a_password_reset_gives_no_session_past_the_code(client, person):
    user, _secret, page = person
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    new = "Un-nouveau-mot-de-passe-2026"
    client.post(form.redirect_chain[-1][0] if form.redirect_chain else link, {"password1": new, "password2": new})
    _not_in(client, page)
    response = client.post(reverse("account_login"), {"login": user.email, "password": new})
    assert response["Location"] == reverse("mfa_authenticate")
    _not_in(client, page)


@PRODUCTION
def test_an_email_confirmation_gives_no_session_past_the_code(client, person):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    user, _secret, page = person
    address = EmailAddress.objects.create(user=user, email="second@example.be", verified=False)
    link = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])
    client.post(link)
    address.refresh_from_db()
    assert address.verified
    _not_in(client, page)


@PRODUCTION
def test_the_api_never_takes_a_session(client, person):
    user, _secret, _page = person
    assert client.login(email=user.email, password=PASSWORD)
    assert client.get("/api/v1/agences").status_code in (302, 401)
    client.force_login(user)  # even a session that passed the second factor: the API wants a bureau token
    assert client.get("/api/v1/agences").status_code == 401


@PRODUCTION
@pytest.mark.parametrize("page", ["account_email", "account_change_password", "account_set_password"])
def test_no_change_of_e_mail_or_password_before_the_second_factor_is_set_up(client, page):
    user = CollaborateurFactory(agence=AgenceFactory(), mfa=False)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.post(reverse("account_email"), {"email": "autre@example.be", "action_add": ""})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not user.emailaddress_set.filter(email="autre@example.be").exists()
    # The set-up itself stays reachable.
    assert client.get(reverse("mfa_activate_totp")).status_code in {200, 302}
