"""Wished dates of a request: Belgian public holidays (the `holidays` package), school holidays, recurrences."""

import datetime
from dataclasses import dataclass, field

import holidays
from django.utils import translation

from .models import CongeScolaire


def jours_feries(debut: datetime.date, fin: datetime.date) -> dict[datetime.date, str]:
    """Belgian public holidays between two dates (inclusive), named in the current language (fr, nl or de)."""
    years = range(debut.year, fin.year + 1)
    language = (translation.get_language() or "fr")[:2]
    if language not in holidays.Belgium.supported_languages:
        language = "fr"
    feries = holidays.Belgium(years=years, language=language)
    return {day: name for day, name in sorted(feries.items()) if debut <= day <= fin}


def a_year_later(day: datetime.date) -> datetime.date:
    """The same day next year; the 28th of February for the 29th (a leap day has none a year later)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def conges_scolaires(debut: datetime.date, fin: datetime.date) -> list[CongeScolaire]:
    return list(CongeScolaire.objects.filter(debut__lte=fin, fin__gte=debut))


@dataclass
class Recurrence:
    debut: datetime.date
    fin: datetime.date
    jours: list[int]  # 0 = Monday … 6 = Sunday
    intervalle: int = 1  # every N weeks, counted from the week of `debut`
    semaines_scolaires: bool = False


@dataclass
class Occurrences:
    dates: list[datetime.date] = field(default_factory=list)
    feries: list[tuple[datetime.date, str]] = field(default_factory=list)  # skipped public holidays
    conges: list[datetime.date] = field(default_factory=list)  # skipped school-holiday dates


def occurrences(rec: Recurrence) -> Occurrences:
    """The dates of a weekly pattern, skipping public holidays and (optionally) school holidays."""
    result = Occurrences()
    feries = jours_feries(rec.debut, rec.fin)
    conges = conges_scolaires(rec.debut, rec.fin) if rec.semaines_scolaires else []
    week0 = rec.debut - datetime.timedelta(days=rec.debut.weekday())
    day = rec.debut
    while day <= rec.fin:
        weeks = (day - week0).days // 7
        if day.weekday() in rec.jours and weeks % rec.intervalle == 0:
            if day in feries:
                result.feries.append((day, feries[day]))
            elif any(c.debut <= day <= c.fin for c in conges):
                result.conges.append(day)
            else:
                result.dates.append(day)
        day += datetime.timedelta(days=1)
    return result
