"""Reads of the worker's file: the staff list with hour meters, upcoming work, eligibility on a date."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .extensions import hour_meters
from .filters import PrestataireFilter
from .models import Prestataire


def prestataire_list(*, user, agence, params):
    """(filterset, prestataires, meters) for the staff list; a fixed number of queries for any count."""
    qs = Prestataire.objects.for_user(user).filter(agence=agence).select_related("agence")
    filterset = PrestataireFilter(params, queryset=qs, agence=agence)
    prestataires = filterset.qs if filterset.is_valid() else qs.none()
    today = timezone.localdate()
    heures = filterset.form.cleaned_data.get("heures_restantes") if filterset.is_valid() else None
    if heures is not None:
        everyone = list(prestataires.prefetch_related("activites"))
        meters = hour_meters(everyone, on=today)
        return filterset, [p for p in everyone if meters[p.pk].left >= heures], meters
    return filterset, prestataires.prefetch_related("activites"), None


def meters_for(prestataires, on: datetime.date | None = None):
    return hour_meters(prestataires, on=on or timezone.localdate())


@dataclass
class GeneratedDocuments:
    """What the platform produces for a worker: their contracts, the registration proof and the months' ALE 4."""

    contrats: list
    preuve: bool
    mois: list[datetime.date]


def generated_documents(prestataire, today: datetime.date, *, months: int = 12) -> GeneratedDocuments:
    """The ALE 4 of every month from the first contract's start to this month (the last `months`, newest first)."""
    contrats = list(prestataire.contrats.all())
    signed = [c for c in contrats if c.date_signature]
    mois = []
    if signed:
        first = min(c.date_debut for c in signed).replace(day=1)
        current = today.replace(day=1)
        while current >= first and len(mois) < months:
            mois.append(current)
            current = (current - datetime.timedelta(days=1)).replace(day=1)
    return GeneratedDocuments(contrats=contrats, preuve=True, mois=mois)
