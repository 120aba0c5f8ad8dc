"""Reads behind the collaborator's dashboard. A fixed number of aggregate queries, whatever the data size."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ale_platform.counts import count_all
from ale_platform.dates import month_abbreviation
from ale_platform.models import Activite
from forem_liaison.models import Adressage
from forem_liaison.selectors import overdue_q
from prestataires import vigilance as prestataires_vigilance
from prestataires.models import Prestataire
from prestations.models import CHEQUES_LITIGIEUX, BilanMensuel, ChequeALE, Prestation, StatutCheque, TypeCheque
from prestations.rulebook import hour_meters
from utilisateurs.models import Autorisation, Demande, Inscription

from .charts import BarChart, Series

EXPIRY_WINDOW = datetime.timedelta(days=30)


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: int
    url: str
    alert: bool = False


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def tile_querysets(agence, today: datetime.date) -> dict:
    """{tile: the rows it counts} for every counted tile; `dashboard_tiles` counts them all in one query."""
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    soon = today + EXPIRY_WINDOW
    # Only the pending rows (partial index prestation_agence_a_traiter), not the agency's whole history.
    pending = Prestation.objects.filter(
        agence=agence, statut__in=[Prestation.Statut.PLANIFIEE, Prestation.Statut.EFFECTUEE]
    )
    planned = pending.filter(statut=Prestation.Statut.PLANIFIEE)
    referrals = Adressage.objects.filter(agence=agence)
    this_month = Prestation.objects.filter(agence=agence, date__gte=today.replace(day=1), date__lte=today)
    this_year = Inscription.objects.filter(utilisateur__agence=agence, annee=today.year)
    tiles = {
        "today": planned.filter(date=today),
        "week": planned.filter(date__gte=today, date__lte=week_end),
        "to_record": planned.filter(date__lt=today),
        "to_validate": pending.filter(statut=Prestation.Statut.EFFECTUEE),
        # The month's progress (the month's closing screen, prestations.cloture).
        "month_declared": this_month.filter(statut=Prestation.Statut.DECLAREE),
        "month_confirmed": this_month.filter(statut=Prestation.Statut.EFFECTUEE),
        "month_validated": this_month.filter(statut=Prestation.Statut.VALIDEE),
        "disputed": Prestation.objects.filter(agence=agence, statut=Prestation.Statut.CONTESTEE),
        "waiting": Demande.objects.filter(
            agence=agence, statut__in=[Demande.Statut.NOUVELLE, Demande.Statut.EN_RECHERCHE]
        ),
        "referrals": referrals.filter(etat=Adressage.Etat.RECU),
        "referrals_late": referrals.filter(overdue_q(today, agence_ids=[agence.pk])),
        "authorisations": Autorisation.objects.filter(utilisateur__agence=agence, fin__gte=today, fin__lte=soon),
        "signups": this_year.filter(validee=False),
        "cheques": ChequeALE.objects.filter(agence=agence, statut__in=CHEQUES_LITIGIEUX),
        **prestataires_vigilance.watched(agence, today),
    }
    # A registration is for a calendar year: it expires on 31 December.
    if datetime.date(today.year, 12, 31) <= soon:
        tiles["registrations"] = this_year.filter(validee=True).exclude(utilisateur__inscriptions__annee=today.year + 1)
    return tiles


def dashboard_tiles(agence, today: datetime.date, near_cap: list, after_eligibility: list = ()) -> list[Tile]:
    """The tiles, counted in one query whatever their number (`ale_platform.counts.count_all`)."""
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    n = {"registrations": 0, **count_all(**tile_querysets(agence, today))}
    planned = {key: n[key] for key in ("today", "week", "to_record", "to_validate")}
    month = f"du={today.replace(day=1):%Y-%m-%d}&au={today:%Y-%m-%d}"
    waiting, signups, litigieux, authorisations = n["waiting"], n["signups"], n["cheques"], n["authorisations"]
    referrals = {"received": n["referrals"], "late": n["referrals_late"]}
    vigilance = {key: n[key] for key in ("bases_ending", "organisme_a_confirmer")}
    registrations = n["registrations"]
    prestations = "prestations:list"
    return [
        Tile(
            "today",
            _("Prestations prévues aujourd'hui"),
            planned["today"],
            _url(prestations, f"du={today:%Y-%m-%d}&au={today:%Y-%m-%d}&statut=planifiee"),
        ),
        Tile(
            "week",
            _("Prestations prévues cette semaine"),
            planned["week"],
            _url(prestations, f"du={today:%Y-%m-%d}&au={week_end:%Y-%m-%d}&statut=planifiee"),
        ),
        Tile(
            "waiting",
            _("Demandes en attente d'un·e prestataire"),
            waiting,
            _url("utilisateurs:demande_list", "statut=attente"),
            alert=waiting > 0,
        ),
        Tile(
            "signups",
            _("Inscriptions en ligne à valider"),
            signups,
            _url("utilisateurs:list", "inscription=en_attente"),
            alert=signups > 0,
        ),
        Tile(
            "to_record",
            _("Prestations passées sans heures encodées"),
            planned["to_record"],
            _url(prestations, f"au={today - datetime.timedelta(days=1):%Y-%m-%d}&statut=planifiee"),
            alert=planned["to_record"] > 0,
        ),
        Tile(
            "to_validate", _("Heures encodées à valider"), planned["to_validate"], _url(prestations, "statut=effectuee")
        ),
        Tile(
            "month_declared",
            _("Ce mois : déclarées, à confirmer par l'utilisateur·rice"),
            n["month_declared"],
            _url(prestations, f"{month}&statut=declaree"),
        ),
        Tile(
            "month_confirmed",
            _("Ce mois : confirmées, à valider (clôture du mois)"),
            n["month_confirmed"],
            _url("prestations:cloture", f"mois={today:%Y-%m}"),
        ),
        Tile(
            "month_validated",
            _("Ce mois : validées"),
            n["month_validated"],
            _url(prestations, f"{month}&statut=validee"),
        ),
        Tile(
            "disputed",
            _("Prestations contestées à trancher"),
            n["disputed"],
            _url(prestations, "statut=contestee"),
            alert=n["disputed"] > 0,
        ),
        Tile(
            "referrals",
            _("Adressages reçus, à convoquer"),
            referrals["received"],
            _url("forem_liaison:staff_list", "etat=recu"),
        ),
        Tile(
            "referrals_late",
            _("Adressages en retard (premier contact ou retour)"),
            referrals["late"],
            _url("forem_liaison:staff_list", "retard=any"),
            alert=referrals["late"] > 0,
        ),
        Tile(
            "authorisations",
            _("Autorisations expirant dans les 30 jours"),
            authorisations,
            _url("utilisateurs:list", "expirant=true"),
        ),
        Tile(
            "registrations",
            _("Inscriptions annuelles à renouveler"),
            registrations,
            _url("utilisateurs:list", "inscription=en_ordre"),
        ),
        Tile(
            "near_cap",
            _("Prestataires proches d'un plafond d'heures"),
            len(near_cap),
            reverse("dashboard") + "#plafonds",
            alert=any(m.over for _p, m in near_cap),
        ),
        Tile(
            "bases_ending",
            _("Bases d'éligibilité qui prennent fin dans les 30 jours"),
            vigilance["bases_ending"],
            _url("prestataires:list", "vigilance=base_fin"),
            alert=vigilance["bases_ending"] > 0,
        ),
        Tile(
            "after_eligibility",
            _("Prestations prévues ou à valider après la fin de l'éligibilité"),
            len(after_eligibility),
            reverse("dashboard") + "#hors-eligibilite",
            alert=bool(after_eligibility),
        ),
        Tile(
            "organisme_a_confirmer",
            _("Prestataires sans organisme de paiement confirmé"),
            vigilance["organisme_a_confirmer"],
            _url("prestataires:list", "vigilance=organisme"),
            alert=vigilance["organisme_a_confirmer"] > 0,
        ),
        Tile(
            "cheques",
            _("Chèques contestés ou impayés"),
            litigieux,
            _url("prestations:a_regulariser"),
            alert=litigieux > 0,
        ),
    ]


def workers_near_cap(agence, today: datetime.date):
    """[(prestataire, meter)] for active workers at ≥ 80 % of a cap (month, outside agriculture or year)."""
    workers = list(Prestataire.objects.filter(agence=agence, statut=Prestataire.Statut.ACTIF).select_related("agence"))
    meters = hour_meters(workers, on=today)
    flagged = []
    for worker in workers:
        worst = meters[worker.pk].worst
        if worst.near or worst.over:
            flagged.append((worker, worst))
    return flagged


def _months(today: datetime.date, count: int = 12) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _i in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _month_label(month: datetime.date) -> str:
    """ "janv. 26", then the month only ("févr.", "juin", "juil.") within the same year, to keep the axis readable."""
    abbreviation = month_abbreviation(month)
    return f"{abbreviation} {month:%y}" if month.month == 1 else abbreviation


def _bilans(agence, months: list[datetime.date]) -> dict[datetime.date, BilanMensuel]:
    return {b.mois: b for b in BilanMensuel.objects.filter(agence=agence, mois__gte=months[0], mois__lte=months[-1])}


def hours_chart(agence, today: datetime.date, bilans: dict | None = None) -> BarChart:
    months = _months(today)
    bilans = _bilans(agence, months) if bilans is None else bilans
    series = [
        Series(str(label), [bilans[m].heures(code) if m in bilans else Decimal(0) for m in months])
        for code, label in Activite.Categorie.choices
    ]
    return BarChart(
        str(_("Heures prestées par mois et par type d'activité")), [_month_label(m) for m in months], series, unit="h"
    )


def people_charts(agence, today: datetime.date, bilans: dict | None = None) -> list[BarChart]:
    """Workers who worked and clients who were served, per month."""
    months = _months(today)
    bilans = _bilans(agence, months) if bilans is None else bilans
    labels = [_month_label(m) for m in months]
    return [
        BarChart(str(title), labels, [Series(str(title), [getattr(bilans.get(m), key, 0) for m in months])])
        for key, title in (
            ("prestataires", _("Prestataires ayant presté, par mois")),
            ("utilisateurs", _("Utilisateurs servis, par mois")),
        )
    ]


def activity_charts(agence, today: datetime.date) -> list[BarChart]:
    """The dashboard's four charts of the last 12 months: two queries, on the monthly summaries and vouchers."""
    bilans = _bilans(agence, _months(today))
    return [hours_chart(agence, today, bilans), *people_charts(agence, today, bilans), cheques_chart(agence, today)]


def cheques_chart(agence, today: datetime.date) -> BarChart:
    """Vouchers received (recorded in the register) per month, paper and electronic, in one query."""
    months = _months(today)
    start = datetime.datetime.combine(months[0], datetime.time.min, tzinfo=timezone.get_current_timezone())
    rows = (
        ChequeALE.objects.filter(agence=agence, created_at__gte=start)
        .exclude(statut=StatutCheque.ANNULE)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "type")
        .annotate(n=Coalesce(Sum("quantite"), Value(0)))
    )
    data = {(_as_date(r["month"]), r["type"]): r["n"] for r in rows}
    series = [Series(str(label), [data.get((m, code), 0) for m in months]) for code, label in TypeCheque.choices]
    return BarChart(str(_("Chèques ALE reçus par mois")), [_month_label(m) for m in months], series)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
