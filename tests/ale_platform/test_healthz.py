import contextlib

import pytest
from django.db import connection

from tests.factories import AgenceFactory, CollaborateurFactory


@contextlib.contextmanager
def database_unreachable():
    """Points the default connection at a database that does not exist, for real (no mock)."""
    original = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-dir/ale.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)


@pytest.mark.django_db
def test_healthz_answers_200_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_down(client):
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    # And it recovers by itself once the database is back.
    assert client.get("/healthz").status_code == 200


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_not_500_while_the_database_is_away(client):
    client.raise_request_exception = False
    client.force_login(CollaborateurFactory(agence=AgenceFactory()))
    with database_unreachable():
        response = client.get("/tableau-de-bord/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Service momentanément indisponible" in response.content.decode()
    assert client.get("/tableau-de-bord/").status_code == 200
