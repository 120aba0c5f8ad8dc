"""Dates and times in text built by Python (messages, e-mails, __str__), in the active language's formats.

The formats live in one place, Django's format modules (`ale_platform/formats/<lang>/formats.py`, FORMAT_MODULE_PATH):
`short_date` is what `{{ d|date:"SHORT_DATE_FORMAT" }}` prints in a template (26/11/2026 in French).
"""

import datetime

from django.conf import settings
from django.utils import dateformat, formats, timezone
from django.utils.translation import get_language, pgettext_lazy


def _format(name: str) -> str:
    # With translations switched off (translation.override(None)), Django would fall back to its US defaults.
    return formats.get_format(name, lang=get_language() or settings.LANGUAGE_CODE)


def short_date(value: datetime.date) -> str:
    return dateformat.format(value, _format("SHORT_DATE_FORMAT"))


def short_datetime(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, _format("SHORT_DATETIME_FORMAT"))


def short_time(value: datetime.time) -> str:
    return dateformat.time_format(value, _format("TIME_FORMAT"))


# Month abbreviations as written in Belgium (and France): "juin" and "juil." are never both "Jui"/"Jul".
MONTH_ABBREVIATIONS = (
    pgettext_lazy("abbreviated month", "janv."),
    pgettext_lazy("abbreviated month", "févr."),
    pgettext_lazy("abbreviated month", "mars"),
    pgettext_lazy("abbreviated month", "avr."),
    pgettext_lazy("abbreviated month", "mai"),
    pgettext_lazy("abbreviated month", "juin"),
    pgettext_lazy("abbreviated month", "juil."),
    pgettext_lazy("abbreviated month", "août"),
    pgettext_lazy("abbreviated month", "sept."),
    pgettext_lazy("abbreviated month", "oct."),
    pgettext_lazy("abbreviated month", "nov."),
    pgettext_lazy("abbreviated month", "déc."),
)


def month_abbreviation(value: datetime.date) -> str:
    return str(MONTH_ABBREVIATIONS[value.month - 1])
