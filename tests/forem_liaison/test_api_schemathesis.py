"""Schemathesis runs its whole engine (examples, coverage, fuzzing and stateful phases) with every check against
the API's OpenAPI schema, in process on the WSGI app, with a fixed seed: 0 failures of any kind.

The one setting beside the defaults: `positive_data_acceptance` also expects the documented business-rule 400
(`regle_metier`): schema-valid data can still name an adviser of another office or a closed referral.
"""

import datetime

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from ale_platform.identifiers import validate_niss

from .factories import AdressageFactory, AgenceFactory, BureauForemFactory, ConseillerFactory, token

pytestmark = pytest.mark.django_db
SEED = 20261207


def _niss(birth: int, counter: int) -> str:
    """A valid NISS for a birth date YYMMDD (born before 2000) and a counter."""
    base = f"{birth:06d}{counter:03d}"
    return f"{base}{97 - int(base) % 97:02d}"


def niss_strategy():
    dates = st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(1999, 12, 31))
    return st.builds(lambda d, n: _niss(int(d.strftime("%y%m%d")), n), dates, st.integers(1, 997))


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the DB connection after each request; Django's test client prevents it, do the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@hypothesis.settings(max_examples=30, derandomize=True, database=None)
@hypothesis.given(niss=niss_strategy())
def test_the_niss_format_strategy_makes_valid_numbers(niss):
    validate_niss(niss)


def test_schemathesis_all_phases_all_checks_no_failure(settings, keep_test_connection):
    settings.FOREM_API_RATE_LIMIT = 100_000
    bureau = BureauForemFactory()
    conseiller = ConseillerFactory(bureau=bureau, user__email="nathalie.renard@forem.be")
    AdressageFactory(conseiller=conseiller, agence=AgenceFactory())
    _jeton, raw = token(bureau, conseiller.user)
    schemathesis.openapi.format("niss", niss_strategy())
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": f"Bearer {raw}"},
            "generation": {"max-examples": 15, "database": "none"},
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "404", "429"]}},
        }
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=config)
    failures, errors, scenarios = [], [], 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            scenarios += 1
            for check in event.recorder.checks.values():
                for result in check:
                    if result.failure_info is not None:
                        failures.append(f"{event.recorder.label}: {result.name}: {result.failure_info.failure.title}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(str(getattr(event, "value", getattr(event, "exception", event))))
        elif isinstance(event, events.EngineFinished):
            failures += [f.title for f in event.failures]
    assert not errors, "\n".join(errors[:5])
    assert not failures, "\n".join(sorted(set(failures))[:20])
    assert scenarios >= 10
