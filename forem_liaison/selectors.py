"""Reads of the Forem liaison: deadlines and overdue flags (the facts of a feedback entry: `faits`)."""

import datetime

from django.db.models import Case, Prefetch, Q, Value, When

from .models import (
    FOLLOWED_STATES,
    Adressage,
    EtatAdressage,
    ParametresForem,
    ReponseRetour,
    RetourAdressage,
    TransitionAdressage,
)


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


def forem_file_of_worker(user):
    """Everything the adviser's portal and the API read about the worker, for their own space: each referral
    linked to their file, its state changes (who, when, why), refusal reason and outcome, the published feedback
    (facts, words, author, corrections) and the replies under it. Newest referral first, in a fixed number of
    queries."""
    transitions = TransitionAdressage.objects.select_related("par").order_by("le", "pk")
    retours = (
        RetourAdressage.objects.published()
        .select_related("auteur", "corrige")
        .prefetch_related(Prefetch("reponses", queryset=ReponseRetour.objects.select_related("auteur")))
        .order_by("-publie_le", "-pk")
    )
    return (
        Adressage.objects.about_person(user)
        .select_related("agence", "conseiller__user")
        .prefetch_related(
            Prefetch("transitions", queryset=transitions, to_attr="historique"),
            Prefetch("retours", queryset=retours, to_attr="retours_publies"),
        )
        .order_by("-date_adressage", "-pk")
    )
