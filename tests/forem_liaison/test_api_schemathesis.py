"""Schemathesis fuzzes every operation of the API's OpenAPI schema: no input may cause a server error."""

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase

from .factories import AdressageFactory, AgenceFactory, BureauForemFactory, ConseillerFactory, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the DB connection after each request; Django's test client prevents it, do the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_server_error_on_any_operation(settings, keep_test_connection):
    settings.FOREM_API_RATE_LIMIT = 100_000
    bureau = BureauForemFactory()
    conseiller = ConseillerFactory(bureau=bureau)
    AdressageFactory(conseiller=conseiller, agence=AgenceFactory())
    _jeton, raw = token(bureau, conseiller.user)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    failures, statuses = [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(
            max_examples=20,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers={"Authorization": f"Bearer {raw}"})
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.body!r}: {response.status_code}")

        run()
    assert not failures, "\n".join(failures[:10])
    assert len(statuses) >= 5 * len(operations)
    assert {200, 422} <= set(statuses)  # both valid and invalid inputs were sent
