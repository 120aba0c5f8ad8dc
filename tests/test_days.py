"""The date helpers of the tests that keep the real clock (tests/days.py), over awkward days."""

import datetime

import pytest

from tests.days import is_public_holiday, is_working_day, next_weekday, weekly_series_start

D = datetime.date
AWKWARD = [
    D(2027, 1, 1),  # New Year's Day, a Friday
    D(2027, 1, 2),  # a Saturday
    D(2027, 1, 3),  # a Sunday
    D(2026, 12, 24),  # Thursday: Christmas tomorrow, New Year's Day a week later
    D(2026, 12, 28),
    D(2026, 12, 31),  # the year's last day
    D(2027, 2, 28),  # a Sunday, the month's last day
    D(2028, 2, 28),
    D(2028, 2, 29),  # leap day
    D(2027, 3, 28),  # Easter Sunday 2027 (Easter Monday tomorrow)
    D(2027, 5, 5),  # Ascension 2027 is Thursday the 6th, Whit Monday the 17th
    D(2031, 12, 24),  # Wednesday: Christmas on Thursday, New Year's Day on the next Thursday
]
JOURNEY_WEEKDAYS = {0, 2, 4}  # Monday, Wednesday, Friday (tests/browser/test_journey.py)


def test_public_holidays_are_belgian():
    assert is_public_holiday(D(2026, 12, 25)) and is_public_holiday(D(2027, 1, 1)) and is_public_holiday(D(2027, 3, 29))
    assert not is_public_holiday(D(2026, 12, 24)) and not is_public_holiday(D(2028, 2, 29))
    assert not is_working_day(D(2027, 1, 2)) and not is_working_day(D(2027, 1, 1)) and is_working_day(D(2027, 1, 4))


@pytest.mark.parametrize("today", AWKWARD, ids=str)
@pytest.mark.parametrize("weekday", range(7))
def test_next_weekday_is_the_first_such_day_after_today(today, weekday):
    day = next_weekday(today, weekday)
    assert day.weekday() == weekday and today < day <= today + datetime.timedelta(days=7)


@pytest.mark.parametrize("today", AWKWARD, ids=str)
def test_weekly_series_start_keeps_every_date_of_the_series(today):
    first = weekly_series_start(today, JOURNEY_WEEKDAYS)
    assert first > today and first.weekday() in JOURNEY_WEEKDAYS
    assert all(is_working_day(first + datetime.timedelta(weeks=n)) for n in range(3))
    assert first <= today + datetime.timedelta(days=21)  # never far: the booking stays near
    earlier = [today + datetime.timedelta(days=n) for n in range(1, (first - today).days)]
    assert not any(  # the first such day, none skipped for nothing
        d.weekday() in JOURNEY_WEEKDAYS and all(is_working_day(d + datetime.timedelta(weeks=n)) for n in range(3))
        for d in earlier
    )


def test_weekly_series_start_around_christmas():
    # Thursday 24/12/2026: Fridays 25/12 and 01/01 are holidays; Monday 28/12's series (28/12, 04/01, 11/01) works.
    assert weekly_series_start(D(2026, 12, 24), JOURNEY_WEEKDAYS) == D(2026, 12, 28)
    # Tuesday 29/12/2026: Wednesday 30/12's series is 30/12, 06/01, 13/01: kept.
    assert weekly_series_start(D(2026, 12, 29), JOURNEY_WEEKDAYS) == D(2026, 12, 30)
    # Thursday 17/12/2026 (Fridays 18/12, 25/12, 01/01): Friday's series hits both holidays; Monday 21/12 is next.
    assert weekly_series_start(D(2026, 12, 17), JOURNEY_WEEKDAYS) == D(2026, 12, 21)
    # Only Fridays, from 17/12/2026: 18/12 (25/12 in it), 25/12, 01/01 are out; 08/01/2027 is the first.
    assert weekly_series_start(D(2026, 12, 17), {4}) == D(2027, 1, 8)
