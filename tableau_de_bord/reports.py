"""The agency's yearly activity report, for its general assembly and the Region."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from ale_platform.exports import Column
from ale_platform.models import TypeUtilisateur
from forem_liaison.models import Adressage
from prestataires.models import Prestataire
from prestations.models import Prestation
from utilisateurs.models import Utilisateur

DONE = [Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE]


@dataclass
class YearlyReport:
    agence: object
    year: int
    hours: list[dict] = field(default_factory=list)  # activite, type, hours, prestations
    by_type: list[tuple[str, Decimal]] = field(default_factory=list)
    total_hours: Decimal = Decimal(0)
    workers_registered: int = 0
    workers_active: int = 0
    clients_registered: int = 0
    clients_served: int = 0
    referrals: list[tuple[str, int]] = field(default_factory=list)
    generated_on: datetime.date = field(default_factory=datetime.date.today)


def yearly_report(agence, year: int) -> YearlyReport:
    done = Prestation.objects.filter(agence=agence, date__year=year, statut__in=DONE)
    types = dict(TypeUtilisateur.choices)
    rows = (
        done.values("activite__nom", "utilisateur__type")
        .annotate(hours=Sum("heures"), prestations=Count("pk"))
        .order_by("activite__nom", "utilisateur__type")
    )
    report = YearlyReport(agence=agence, year=year)
    report.hours = [
        {
            "activite": r["activite__nom"],
            "type": types.get(r["utilisateur__type"], r["utilisateur__type"]),
            "hours": r["hours"],
            "prestations": r["prestations"],
        }
        for r in rows
    ]
    per_type: dict[str, Decimal] = {}
    for r in report.hours:
        per_type[r["type"]] = per_type.get(r["type"], Decimal(0)) + r["hours"]
    report.by_type = sorted(per_type.items())
    report.total_hours = sum(per_type.values(), Decimal(0))
    people = done.aggregate(workers=Count("prestataire", distinct=True), clients=Count("utilisateur", distinct=True))
    report.workers_active, report.clients_served = people["workers"], people["clients"]
    report.workers_registered = Prestataire.objects.filter(agence=agence, created_at__year__lte=year).count()
    report.clients_registered = Utilisateur.objects.filter(agence=agence, inscriptions__annee=year).distinct().count()
    states = dict(Adressage.Etat.choices)
    report.referrals = [
        (states.get(r["etat"], r["etat"]), r["n"])
        for r in Adressage.objects.filter(agence=agence, date_adressage__year=year)
        .values("etat")
        .annotate(n=Count("pk"))
        .order_by("etat")
    ]
    return report


HOURS_COLUMNS = [
    Column(_("Activité"), lambda r: r["activite"]),
    Column(_("Type d'utilisateur"), lambda r: r["type"]),
    Column(_("Prestations"), lambda r: r["prestations"]),
    Column(_("Heures"), lambda r: float(r["hours"])),
]
