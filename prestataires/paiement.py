"""Who pays a worker for a given month: the payment body in force on that date (`PeriodeOrganismePaiement`).

Paper vouchers and the monthly ALE 4 form go from the worker to this body (nassogne.be, ALE Eghezée), not to
the ALE. A 2026 route (a) worker has no known body: "à confirmer", flagged on the dashboard.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, DateField, F, OuterRef, Subquery, Value, When
from django.utils.translation import gettext as _

from ale_platform.history import save_as

from .models import OrganismePaiement, PeriodeOrganismePaiement


@dataclass(frozen=True)
class Organisme:
    code: str
    cpas: str
    depuis: datetime.date | None

    @property
    def label(self) -> str:
        if not self.code:
            return _("non renseigné")
        text = str(OrganismePaiement(self.code).label)
        return f"{text} ({self.cpas})" if self.cpas else text

    @property
    def a_confirmer(self) -> bool:
        return self.code in ("", OrganismePaiement.A_CONFIRMER)


def organisme_au(prestataire, day: datetime.date, periods=None) -> Organisme:
    """The body in force on `day`; before the first recorded period, the earliest one; without any period, the
    body written on the file. A file read through `with_organisme_au(…, day)` brings that period along."""
    if periods is None and getattr(prestataire, "periode_au", None) == day:
        periods = [_annotated_period(prestataire)] if prestataire.periode_depuis is not None else []
    periods = sorted(periods if periods is not None else prestataire.periodes_organisme.all(), key=lambda p: p.depuis)
    in_force = [p for p in periods if p.depuis <= day] or periods[:1]
    if in_force:
        p = in_force[-1]
        return Organisme(p.organisme, p.cpas, p.depuis)
    return Organisme(prestataire.organisme_paiement, prestataire.cpas, None)


def with_organisme_au(queryset, day: datetime.date):
    """The queryset form of `organisme_au`: each worker file is read with the one period that rule picks on `day`
    (the latest from `day` back, else the earliest), so a form does not read the periods apart."""
    periods = PeriodeOrganismePaiement.objects.filter(prestataire=OuterRef("pk")).order_by(
        Case(When(depuis__lte=day, then=Value(0)), default=Value(1)),  # in force on `day` first,
        Case(When(depuis__lte=day, then=F("depuis")), output_field=DateField()).desc(nulls_last=True),  # latest,
        "depuis",  # else the earliest
    )
    return queryset.annotate(
        periode_au=Value(day, output_field=DateField()),
        periode_organisme=Subquery(periods.values("organisme")[:1]),
        periode_cpas=Subquery(periods.values("cpas")[:1]),
        periode_depuis=Subquery(periods.values("depuis")[:1]),
    )


def _annotated_period(prestataire) -> PeriodeOrganismePaiement:
    return PeriodeOrganismePaiement(
        prestataire_id=prestataire.pk,
        organisme=prestataire.periode_organisme,
        cpas=prestataire.periode_cpas,
        depuis=prestataire.periode_depuis,
    )


@transaction.atomic
def record_organisme(*, prestataire, depuis: datetime.date, acting_user=None) -> None:
    """Records the file's current body as in force from `depuis` (called when staff set or change it)."""
    if not prestataire.organisme_paiement:
        return
    latest = prestataire.periodes_organisme.filter(depuis__lte=depuis).order_by("-depuis").first()
    if latest and (latest.organisme, latest.cpas) == (prestataire.organisme_paiement, prestataire.cpas):
        return
    period = PeriodeOrganismePaiement.objects.select_for_update().filter(
        prestataire=prestataire, depuis=depuis
    ).first() or PeriodeOrganismePaiement(prestataire=prestataire, depuis=depuis)
    period.organisme, period.cpas = prestataire.organisme_paiement, prestataire.cpas
    save_as(period, acting_user)
