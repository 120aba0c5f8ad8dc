"""Failed log-ins are counted per account and address: in an office behind one public address, one person's typos
do not lock out the others, while guessing one account's password stays limited from there and from anywhere."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OFFICE = "81.82.83.84"
HOME = "91.92.93.94"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _log_in(client, email, password, address):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def test_typos_on_one_account_do_not_lock_out_a_colleague_at_the_same_address(client):
    clumsy, colleague = UserFactory(role="client"), UserFactory(role="client")
    for _ in range(12):
        response = _log_in(client, clumsy.email, "mauvais-mot-de-passe", OFFICE)
        assert response.status_code in {200, 429}
    assert _logged_in(_log_in(client, colleague.email, PASSWORD, OFFICE))


def test_an_account_is_limited_from_the_address_that_failed(client):
    user = UserFactory(role="client")
    for _ in range(5):
        assert _log_in(client, user.email, "mauvais-mot-de-passe", OFFICE).status_code == 200
    refused = _log_in(client, user.email, PASSWORD, OFFICE)
    assert not refused.wsgi_request.user.is_authenticated
    assert "Trop de tentatives" in refused.content.decode()
    # The same person, at home, logs in.
    assert _logged_in(_log_in(client, user.email, PASSWORD, HOME))


def test_guessing_one_accounts_password_from_many_addresses_stays_limited(client):
    user = UserFactory(role="client")
    for n in range(20):
        _log_in(client, user.email, "mauvais-mot-de-passe", f"10.0.{n}.1")
    refused = _log_in(client, user.email, PASSWORD, "10.0.99.1")
    assert not refused.wsgi_request.user.is_authenticated


def test_a_successful_log_in_does_not_count(client):
    user = UserFactory(role="client")
    for _ in range(8):
        assert _logged_in(_log_in(client, user.email, PASSWORD, OFFICE))
        client.logout()
