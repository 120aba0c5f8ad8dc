"""Hour meters: a worker's hours this month and this year against the agency's caps.

One aggregate query for any number of workers. The caps (ale-rules.md, "Hour caps"):
- 45 h a month in general; 70 h when the month has activities marked "majorée" (the general ones
  still at most 45 h: `prestations.services` enforces that when hours are recorded);
- 150 h a month in agriculture/horticulture, of which at most 45 h outside that sector;
- 630 h a calendar year in all cases.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from ale_platform.models import Activite, Agence

from .models import Prestation

ZERO = Decimal("0")
# The 2026 rule: ALE hours count in a referred person's job-search evaluation from 45 h in the month.
SEUIL_EVALUATION_FOREM = Decimal("45")
NEAR_CAP_RATIO = Decimal("0.8")


@dataclass(frozen=True)
class Meter:
    label: str
    used: Decimal  # done + planned
    done: Decimal
    cap: Decimal

    @property
    def left(self) -> Decimal:
        return max(self.cap - self.used, ZERO)

    @property
    def over(self) -> bool:
        return self.used > self.cap

    @property
    def near(self) -> bool:
        return not self.over and self.used >= self.cap * NEAR_CAP_RATIO


@dataclass(frozen=True)
class HourMeters:
    month_general: Decimal
    month_majoree: Decimal
    month_agricole: Decimal
    month_done: Decimal
    year_total: Decimal
    agence: Agence

    @property
    def month_total(self) -> Decimal:
        return self.month_general + self.month_majoree + self.month_agricole

    @property
    def monthly_cap(self) -> Decimal:
        """The cap that applies this month, given the mix of activities."""
        a = self.agence
        if self.month_agricole:
            return Decimal(a.plafond_mensuel_agricole)
        if self.month_majoree:
            return Decimal(a.plafond_mensuel_majore)
        return Decimal(a.plafond_mensuel)

    @property
    def month(self) -> Meter:
        return Meter("mois", self.month_total, self.month_done, self.monthly_cap)

    @property
    def outside_agriculture(self) -> Meter:
        outside = self.month_general + self.month_majoree
        return Meter("hors agriculture", outside, outside, Decimal(self.agence.plafond_hors_agricole))

    @property
    def year(self) -> Meter:
        return Meter("année", self.year_total, self.year_total, Decimal(self.agence.plafond_annuel))

    @property
    def seuil_forem_atteint(self) -> bool:
        return self.month_done >= SEUIL_EVALUATION_FOREM


def hour_meters(prestataires, on: datetime.date) -> dict[int, HourMeters]:
    """{prestataire_id: HourMeters} for the month and year of `on`, in one query."""
    prestataires = list(prestataires)
    if not prestataires:
        return {}
    # Date ranges rather than EXTRACT(MONTH …): comparable on the index, and cheap per row.
    month_start = on.replace(day=1)
    month = Q(date__gte=month_start, date__lt=(month_start + datetime.timedelta(days=32)).replace(day=1))
    done = Q(statut__in=[Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE])
    cat = Activite.Categorie

    def total(condition):
        return Coalesce(Sum("heures", filter=condition), Value(ZERO), output_field=DecimalField())

    rows = (
        Prestation.objects.counting_hours()
        .filter(
            prestataire__in=[p.pk for p in prestataires],
            date__gte=datetime.date(on.year, 1, 1),
            date__lte=datetime.date(on.year, 12, 31),
        )
        .values("prestataire_id")
        .annotate(
            month_general=total(month & Q(activite__categorie=cat.GENERALE)),
            month_majoree=total(month & Q(activite__categorie=cat.MAJOREE)),
            month_agricole=total(month & Q(activite__categorie=cat.AGRICOLE)),
            month_done=total(month & done),
            year_total=total(Q()),
        )
    )
    by_id = {row.pop("prestataire_id"): row for row in rows}
    empty = {
        "month_general": ZERO,
        "month_majoree": ZERO,
        "month_agricole": ZERO,
        "month_done": ZERO,
        "year_total": ZERO,
    }
    return {p.pk: HourMeters(agence=p.agence, **by_id.get(p.pk, empty)) for p in prestataires}
