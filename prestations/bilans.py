"""The monthly summaries (`BilanMensuel`) behind the dashboard's charts: refreshed where prestations change.

Every save or delete of a `Prestation` refreshes the summary of its agency's month (and of the month it
moved from) in the same transaction, so the charts never lag behind the register. The summary row is
locked before the month is re-aggregated: a concurrent recording in the same month waits, then counts
the rows the first one committed. Bulk loads that bypass `save()` (the benchmark generator, a restore)
call `rebuild()` or `manage.py bilans` afterwards.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth

from ale_platform.models import Activite

from .models import BilanMensuel, Prestation

DONE = [Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE]
ZERO = Decimal(0)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _figures(agence_id: int, start: datetime.date, end: datetime.date) -> dict[datetime.date, dict]:
    """{month: fields of BilanMensuel} for the months of [start, end), in two aggregate queries."""
    done = Prestation.objects.filter(agence_id=agence_id, statut__in=DONE, date__gte=start, date__lt=end).annotate(
        month=TruncMonth("date")
    )
    figures = defaultdict(lambda: {f"heures_{c}": ZERO for c in Activite.Categorie.values})
    for row in done.values("month", "activite__categorie").annotate(hours=Sum("heures")):
        figures[_as_date(row["month"])][f"heures_{row['activite__categorie']}"] = row["hours"]
    people = done.values("month").annotate(
        n=Count("pk"), workers=Count("prestataire", distinct=True), clients=Count("utilisateur", distinct=True)
    )
    for row in people:
        figures[_as_date(row["month"])].update(
            prestations=row["n"], prestataires=row["workers"], utilisateurs=row["clients"]
        )
    return figures


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


@transaction.atomic
def refresh(agence_id: int, day: datetime.date) -> None:
    """Recompute one agency's month from the register, in two statements.

    The upsert creates the summary row or locks the existing one: a concurrent refresh of the same month
    waits here, and the UPDATE that follows (a new statement, so a new snapshot) counts what it committed.
    """
    month = first_of_month(day)
    BilanMensuel.objects.bulk_create(
        [BilanMensuel(agence_id=agence_id, mois=month)],
        update_conflicts=True,
        unique_fields=["agence", "mois"],
        update_fields=["mois"],
    )
    done = Prestation.objects.filter(
        agence_id=agence_id, statut__in=DONE, date__gte=month, date__lt=_next_month(month)
    ).order_by()

    by_category = {
        f"heures_{c}": Coalesce(
            Subquery(done.filter(activite__categorie=c).values("agence_id").annotate(v=Sum("heures")).values("v")[:1]),
            ZERO,
            output_field=DecimalField(),
        )
        for c in Activite.Categorie.values
    }
    counts = {
        field: Coalesce(Subquery(done.values("agence_id").annotate(v=aggregate).values("v")[:1]), 0)
        for field, aggregate in (
            ("prestations", Count("pk")),
            ("prestataires", Count("prestataire", distinct=True)),
            ("utilisateurs", Count("utilisateur", distinct=True)),
        )
    }
    BilanMensuel.objects.filter(agence_id=agence_id, mois=month).update(**by_category, **counts)


def rebuild(agence_ids: Iterable[int] | None = None) -> int:
    """Recompute every month of the given agencies (all when None) from the register; returns rows written."""
    if agence_ids is None:  # every agency with prestations, and any with summaries left from deleted ones
        agence_ids = {*Prestation.objects.values_list("agence_id", flat=True).distinct()} | {
            *BilanMensuel.objects.values_list("agence_id", flat=True).distinct()
        }
    written = 0
    for agence_id in sorted(set(agence_ids)):
        with transaction.atomic():
            BilanMensuel.objects.filter(agence_id=agence_id).delete()
            figures = _figures(agence_id, datetime.date.min, datetime.date.max)
            rows = [BilanMensuel(agence_id=agence_id, mois=month, **values) for month, values in figures.items()]
            BilanMensuel.objects.bulk_create(rows, batch_size=500)
            written += len(rows)
    return written


def on_prestation_saved(sender, instance: Prestation, **kwargs) -> None:
    """Refresh the month(s) whose figures may have changed; planning sessions (never done) changes none."""
    agence_id, day, statut = getattr(instance, "_loaded", (None, None, None))
    if instance.statut in DONE or statut in DONE:
        refresh(instance.agence_id, instance.date)
        moved = day is not None and (agence_id, first_of_month(day)) != (
            instance.agence_id,
            first_of_month(instance.date),
        )
        if moved and statut in DONE:
            refresh(agence_id, day)
    instance._loaded = (instance.agence_id, instance.date, instance.statut)


def on_prestation_deleted(sender, instance: Prestation, **kwargs) -> None:
    if instance.statut in DONE:
        refresh(instance.agence_id, instance.date)
