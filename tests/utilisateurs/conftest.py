import pytest
from django.test import Client


@pytest.fixture
def as_user():
    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login
