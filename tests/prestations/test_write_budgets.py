"""Query budget of the main write: recording a prestation costs the same number of queries whatever the
worker's month and year already hold (caps are read in aggregate queries, not row by row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import ready
from .test_record import rec

pytestmark = pytest.mark.django_db
D = datetime.date
BUDGET = 40


def _queries_to_record(s, day):
    with CaptureQueriesContext(connection) as queries:
        rec(s, 2, day)
    return len(queries)


def test_recording_a_prestation_stays_within_its_budget_whatever_the_history():
    s = ready()
    few = _queries_to_record(s, D(2026, 3, 2))
    for day in range(3, 20):
        if D(2026, 3, day).weekday() < 5:
            rec(s, 2, D(2026, 3, day))
    many = _queries_to_record(s, D(2026, 3, 20))
    assert many == few
    assert many <= BUDGET
