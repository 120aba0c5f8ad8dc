"""Dates in text built by Python follow the active language's format module (ale_platform/formats/), one place."""

import datetime

from django.utils import translation

from ale_platform.dates import month_abbreviation, short_date, short_datetime, short_time


def test_french_formats_and_the_fallback_without_an_active_language():
    day, moment = datetime.date(2026, 3, 4), datetime.datetime(2026, 3, 4, 8, 5)
    with translation.override("fr-be"):
        assert (short_date(day), short_time(moment.time()), short_datetime(moment)) == (
            "04/03/2026",
            "08:05",
            "04/03/2026 08:05",
        )
        assert [month_abbreviation(datetime.date(2026, m, 1)) for m in (6, 7)] == ["juin", "juil."]
    with translation.override(None):  # no active language: the site's, never Django's US default
        assert short_date(day) == "04/03/2026"
