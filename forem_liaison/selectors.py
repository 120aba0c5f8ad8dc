"""Reads of the Forem liaison: deadlines, overdue flags and the facts of a feedback entry."""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from prestations.meters import SEUIL_EVALUATION_FOREM
from prestations.models import Prestation

from .models import FOLLOWED_STATES, Adressage, EtatAdressage, ParametresForem, TransitionAdressage


def _first_contact_overdue_q(params: ParametresForem, today: datetime.date) -> Q:
    cutoff = today - datetime.timedelta(days=params.delai_premier_contact_jours)
    return Q(etat=EtatAdressage.RECU, date_adressage__lt=cutoff)


def _feedback_overdue_q(params: ParametresForem, today: datetime.date) -> Q:
    cutoff = today - datetime.timedelta(days=params.periodicite_retour_jours)
    return Q(etat__in=FOLLOWED_STATES) & (
        Q(dernier_retour_le__lt=cutoff) | Q(dernier_retour_le__isnull=True, date_adressage__lt=cutoff)
    )


def _settings_groups(agence_ids=None) -> dict[tuple[int, int], list[int]]:
    """Agencies that have settings, grouped by their (first-contact delay, feedback period).

    Most agencies keep the defaults, so a list spanning 200 agencies needs a handful of conditions, not 200.
    """
    rows = ParametresForem.objects.all()
    if agence_ids is not None:
        rows = rows.filter(agence_id__in=list(agence_ids))
    groups: dict[tuple[int, int], list[int]] = {}
    fields = ("agence_id", "delai_premier_contact_jours", "periodicite_retour_jours")
    for agence_id, delai, periode in rows.values_list(*fields):
        groups.setdefault((delai, periode), []).append(agence_id)
    return groups


def overdue_q(today: datetime.date, kind: str = "any", agence_ids=None) -> Q:
    """Referrals whose first contact ("contact") or feedback ("retour") is overdue under their agency's settings.

    `agence_ids` narrows the settings read to those agencies (the dashboard of one agency); by default every
    agency's settings apply, in one small query.
    """
    default = ParametresForem()
    groups = _settings_groups(agence_ids)

    def late(params: ParametresForem) -> Q:
        parts = Q(pk__in=[])
        if kind in ("any", "contact"):
            parts |= _first_contact_overdue_q(params, today)
        if kind in ("any", "retour"):
            parts |= _feedback_overdue_q(params, today)
        return parts

    default_key = (default.delai_premier_contact_jours, default.periodicite_retour_jours)
    custom = [pk for key, ids in groups.items() if key != default_key for pk in ids]
    q = ~Q(agence_id__in=custom) & late(default)
    for (delai, periode), ids in groups.items():
        if (delai, periode) != default_key:
            params = ParametresForem(delai_premier_contact_jours=delai, periodicite_retour_jours=periode)
            q |= Q(agence_id__in=ids) & late(params)
    return q


def with_deadlines(queryset, today: datetime.date):
    """Annotates `retard_contact` and `retard_retour` (booleans) for the list pages, in the same query."""
    return queryset.annotate(
        retard_contact=Case(When(overdue_q(today, "contact"), then=Value(True)), default=Value(False)),
        retard_retour=Case(When(overdue_q(today, "retour"), then=Value(True)), default=Value(False)),
    )


def deadlines(adressage: Adressage) -> dict:
    params = ParametresForem.for_agence(adressage.agence)
    premier = adressage.date_adressage + datetime.timedelta(days=params.delai_premier_contact_jours)
    ref = adressage.dernier_retour_le or adressage.date_adressage
    retour = ref + datetime.timedelta(days=params.periodicite_retour_jours)
    return {"premier_contact": premier, "prochain_retour": retour, "parametres": params}


def _months(debut: datetime.date, fin: datetime.date) -> list[datetime.date]:
    months, current = [], debut.replace(day=1)
    while current <= fin:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def compute_faits(adressage: Adressage, debut: datetime.date, fin: datetime.date) -> dict:
    """Facts the platform knows about the period: appointments kept/missed, hours worked per month, 45 h threshold.

    Only facts meant for the adviser: nothing from the worker file's notes is read here.
    """
    counts = TransitionAdressage.objects.filter(adressage=adressage).aggregate(
        honores=Count("pk", filter=Q(vers=EtatAdressage.ENTRETIEN)),
        manques=Count("pk", filter=Q(vers=EtatAdressage.ABSENT)),
    )
    mois = []
    if adressage.prestataire_id:
        rows = (
            Prestation.objects.filter(
                prestataire_id=adressage.prestataire_id,
                date__gte=debut.replace(day=1),
                date__lte=fin,
                statut__in=[Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE],
            )
            .annotate(mois=TruncMonth("date"))
            .values("mois")
            .annotate(heures=Coalesce(Sum("heures"), Value(Decimal("0")), output_field=DecimalField()))
        )
        by_month = {}
        for row in rows:
            key = row["mois"]
            if isinstance(key, datetime.datetime):
                key = key.date()
            by_month[key] = row["heures"]
        for month in _months(debut, fin):
            heures = Decimal(by_month.get(month, 0))
            mois.append(
                {
                    "mois": month.strftime("%Y-%m"),
                    "heures": str(heures.quantize(Decimal("0.01"))),
                    "seuil_atteint": heures >= SEUIL_EVALUATION_FOREM,
                }
            )
    return {
        "rendez_vous_honores": counts["honores"],
        "rendez_vous_manques": counts["manques"],
        "inscrit_ale": adressage.prestataire_id is not None,
        "heures_par_mois": mois,
        "seuil_heures": str(SEUIL_EVALUATION_FOREM),
        # Not recorded by the platform yet: shown as "not available", never invented.
        "prestations_refusees": None,
    }
