"""Accounts through allauth: client sign-up with e-mail verification, password reset, rate limits."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from ale_platform.models import Role, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_client_signs_up_and_must_verify_the_e_mail_first(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nouvelle.cliente@example.be",
            "password1": "Un-mot-de-passe-solide-26",
            "password2": "Un-mot-de-passe-solide-26",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle.cliente@example.be")
    assert user.role == Role.CLIENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.cliente@example.be"]
    # Not usable before the verification link is followed.
    assert client.get(reverse("utilisateurs:espace"))["Location"].startswith(reverse("account_login"))
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)
    client.post(link)
    assert user.emailaddress_set.get().verified
    client.post(reverse("account_login"), {"login": user.email, "password": "Un-mot-de-passe-solide-26"})
    assert client.get(reverse("utilisateurs:espace")).status_code == 200


def test_account_e_mails_speak_with_the_platform_name_not_the_host(client, settings):
    client.post(
        reverse("account_signup"),
        {"email": "nom@example.be", "password1": "Un-mot-de-passe-solide-26", "password2": "Un-mot-de-passe-solide-26"},
    )
    body = mail.outbox[0].body
    assert f"c'est {settings.ALE_PLATFORM_NAME}" in body
    assert "c'est testserver" not in body and "c'est 127.0.0.1" not in body


def test_sign_up_refuses_a_weak_password_in_french_and_keeps_the_e_mail(client):
    response = client.post(
        reverse("account_signup"), {"email": "x@example.be", "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password1"])
    assert "trop court" in errors or "trop courant" in errors
    assert response.context["form"]["email"].value() == "x@example.be"
    assert not User.objects.filter(email="x@example.be").exists()


def test_sign_up_cannot_create_a_staff_account(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "pirate@example.be",
            "password1": "Un-mot-de-passe-solide-26",
            "password2": "Un-mot-de-passe-solide-26",
            "role": "collaborateur",
            "is_superuser": "on",
        },
    )
    user = User.objects.get(email="pirate@example.be")
    assert (user.role, user.is_superuser, user.is_staff) == (Role.CLIENT, False, False)


def test_password_reset_sends_a_french_e_mail(client):
    user = UserFactory(role=Role.CLIENT)
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert "mot de passe" in mail.outbox[0].body.lower()


def test_repeated_failed_log_ins_are_rate_limited(client):
    user = UserFactory(role=Role.CLIENT)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "mauvais"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    # Even the right password is refused for a while, with a French message.
    assert not response.wsgi_request.user.is_authenticated
    assert response.context["form"].non_field_errors() == [
        "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
    ]
