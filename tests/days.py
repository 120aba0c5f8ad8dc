"""Dates for tests that keep the real clock (browser tests: Chromium has its own): correct on any day.

A date built as "today + n" may fall on a weekend, a public holiday, or in another year; these helpers pick the
day a test needs instead, and tests/test_days.py checks them over awkward days (1st/2nd of January, 24th/28th/
31st of December, 28th/29th of February, Sundays).
"""

import datetime

from utilisateurs.calendrier import jours_feries

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)


def is_public_holiday(day: datetime.date) -> bool:
    return day in jours_feries(day, day)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, not a Belgian public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def next_weekday(today: datetime.date, weekday: int) -> datetime.date:
    """The first day strictly after today that falls on `weekday` (0 = Monday)."""
    return today + datetime.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def weekly_series_start(today: datetime.date, weekdays, weeks: int = 3) -> datetime.date:
    """The first day after today, on one of `weekdays`, from which `weeks` weekly dates are none of them a public
    holiday: a weekly booking starting there keeps every date (Christmas and New Year's Day are a week apart)."""
    day = today + DAY
    while not (day.weekday() in weekdays and not any(is_public_holiday(day + n * WEEK) for n in range(weeks))):
        day += DAY
    return day
