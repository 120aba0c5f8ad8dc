"""Reads of the month's closing (`Clôture du mois`): every worker of the agency with their prestations of the month
by state and what blocks them; the month's progress for the dashboard; who is late before the closing day.
One query for the month's rows (with voucher coverage) whatever the number of workers."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .eligibility_watch import work_after_eligibility
from .models import Prestation
from .rulebook import hour_meters
from .selectors import month_bounds, with_coverage

S = Prestation.Statut
SHOWN = [S.PLANIFIEE, S.DECLAREE, S.CONTESTEE, S.EFFECTUEE, S.VALIDEE, S.ABSENCE]


@dataclass
class WorkerMonth:
    prestataire: object
    counts: Counter = field(default_factory=Counter)
    blockers: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    @property
    def cells(self) -> list[int]:
        """The counts in the order of the screen's columns (`SHOWN`)."""
        return [self.counts[state] for state in SHOWN]


def month_rows(agence, year: int, month: int):
    debut, fin = month_bounds(year, month)
    qs = Prestation.objects.filter(agence=agence, date__range=(debut, fin)).exclude(statut=S.ANNULEE)
    return (
        with_coverage(qs)
        .select_related("prestataire", "utilisateur", "activite")
        .order_by("prestataire__nom", "prestataire__prenom", "prestataire_id", "date", "debut")
    )


def _blockers(rows) -> list[str]:
    today = timezone.localdate()
    c = Counter(p.statut for p in rows)
    undeclared = sum(1 for p in rows if p.statut == S.PLANIFIEE and p.date <= today)
    missing = sum(max(p.dus - p.couverts, 0) for p in rows if p.statut in (S.EFFECTUEE, S.VALIDEE))
    out = []
    if c[S.CONTESTEE]:
        out.append(_("%(n)d contestée(s) à trancher") % {"n": c[S.CONTESTEE]})
    if undeclared:
        out.append(_("%(n)d passée(s) non déclarée(s)") % {"n": undeclared})
    if c[S.DECLAREE]:
        out.append(_("%(n)d déclarée(s) à confirmer") % {"n": c[S.DECLAREE]})
    if missing:
        out.append(_("%(n)d chèque(s) manquant(s)") % {"n": missing})
    return out


def month_overview(agence, year: int, month: int) -> list[WorkerMonth]:
    by_worker: dict[int, WorkerMonth] = {}
    for p in month_rows(agence, year, month):
        entry = by_worker.setdefault(p.prestataire_id, WorkerMonth(p.prestataire))
        entry.rows.append(p)
        entry.counts[p.statut] += 1
    # The caps of the month, for every worker at once (the rule book's meters: two queries whatever the number).
    meters = hour_meters([w.prestataire for w in by_worker.values()], on=datetime.date(year, month, 1))
    # Work dated after the end of the worker's eligibility cannot be validated nor paid (the rule book's judge).
    debut, fin = month_bounds(year, month)
    ineligible = Counter(
        risk.prestation.prestataire_id
        for risk in work_after_eligibility(agence=agence, between=(debut, fin))
        if risk.prestation.statut != S.VALIDEE
    )
    for pk, entry in by_worker.items():
        entry.blockers = _blockers(entry.rows) + [
            _("plafond dépassé : %(label)s") % {"label": m.label} for m in meters[pk].meters if m.over
        ]
        if ineligible[pk]:
            entry.blockers.append(
                _("%(n)d après la fin de l'éligibilité : à régulariser avant de valider") % {"n": ineligible[pk]}
            )
    return list(by_worker.values())


def month_progress(agence, year: int, month: int) -> dict:
    """{state: count} of the month plus the late ones (past, still planned or declared), in one query."""
    debut, fin = month_bounds(year, month)
    today = timezone.localdate()
    qs = Prestation.objects.filter(agence=agence, date__range=(debut, fin))
    late = Q(statut__in=[S.PLANIFIEE, S.DECLAREE], date__lt=today - datetime.timedelta(days=2))
    agg = qs.aggregate(
        **{s.value: Count("pk", filter=Q(statut=s)) for s in SHOWN},
        en_retard=Count("pk", filter=late),
    )
    return agg


def to_confirm_by_client(agence=None, *, until=None):
    """Past prestations awaiting a client's answer (declared, or planned and past), grouped by client."""
    until = until or timezone.localdate()
    qs = Prestation.objects.filter(statut__in=[S.DECLAREE], date__lte=until)
    if agence is not None:
        qs = qs.filter(agence=agence)
    grouped: dict[int, list] = {}
    for p in qs.select_related("utilisateur__compte", "activite", "prestataire").order_by("date", "debut"):
        grouped.setdefault(p.utilisateur_id, []).append(p)
    return grouped
