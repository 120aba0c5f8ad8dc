"""Reads of the Forem liaison: deadlines, overdue flags and the facts of a feedback entry."""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from prestations.meters import SEUIL_EVALUATION_FOREM
from prestations.models import Prestation

from .models import FOLLOWED_STATES, Adressage, EtatAdressage, ParametresForem, TransitionAdressage


def parametres_by_agence(agence_ids) -> dict[int, ParametresForem]:
    found = {p.agence_id: p for p in ParametresForem.objects.filter(agence_id__in=list(agence_ids))}
    return {pk: found.get(pk) or ParametresForem(agence_id=pk) for pk in agence_ids}


def _first_contact_overdue_q(params: ParametresForem, today: datetime.date) -> Q:
    cutoff = today - datetime.timedelta(days=params.delai_premier_contact_jours)
    return Q(etat=EtatAdressage.RECU, date_adressage__lt=cutoff)


def _feedback_overdue_q(params: ParametresForem, today: datetime.date) -> Q:
    cutoff = today - datetime.timedelta(days=params.periodicite_retour_jours)
    return Q(etat__in=FOLLOWED_STATES) & (
        Q(dernier_retour_le__lt=cutoff) | Q(dernier_retour_le__isnull=True, date_adressage__lt=cutoff)
    )


def overdue_q(agence_ids, today: datetime.date, kind: str = "any") -> Q:
    """Referrals whose first contact ("contact") or feedback ("retour") is overdue under their agency's settings."""
    q = Q(pk__in=[])
    for agence_id, params in parametres_by_agence(set(agence_ids)).items():
        parts = Q(pk__in=[])
        if kind in ("any", "contact"):
            parts |= _first_contact_overdue_q(params, today)
        if kind in ("any", "retour"):
            parts |= _feedback_overdue_q(params, today)
        q |= Q(agence_id=agence_id) & parts
    return q


def with_deadlines(queryset, today: datetime.date):
    """Annotates `retard_contact` and `retard_retour` (booleans) for the list pages, in the same query."""
    agence_ids = set(queryset.values_list("agence_id", flat=True).distinct().order_by())
    return queryset.annotate(
        retard_contact=Case(When(overdue_q(agence_ids, today, "contact"), then=Value(True)), default=Value(False)),
        retard_retour=Case(When(overdue_q(agence_ids, today, "retour"), then=Value(True)), default=Value(False)),
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
