"""Reads of the prestations app: vouchers still due, month totals for the ALE 4 form and the statements."""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Ceil, Coalesce
from django.utils import timezone

from prestataires.models import Prestataire
from prestataires.paiement import Organisme, organisme_au

from . import frais
from .eligibility_watch import Judge
from .models import CHEQUES_LITIGIEUX, STATUTS_COUVRANTS, ChequeALE, Prestation
from .rulebook import amount_due, pay_rate, vouchers_due

ZERO = Decimal("0")
CENT = Decimal("0.01")
PRESTEES = [Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE]


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def with_coverage(qs):
    """Annotates `dus` (one voucher per hour worked or started) and `couverts` (vouchers in a covering state)."""
    covered = (
        ChequeALE.objects.filter(prestation=OuterRef("pk"), statut__in=STATUTS_COUVRANTS)
        .values("prestation")
        .annotate(n=Sum("quantite"))
        .values("n")
    )
    return qs.annotate(
        dus=Ceil("heures", output_field=IntegerField()),
        couverts=Coalesce(Subquery(covered, output_field=IntegerField()), Value(0)),
        litige=Exists(ChequeALE.objects.filter(prestation=OuterRef("pk"), statut__in=CHEQUES_LITIGIEUX)),
    )


def prestations_a_regulariser(qs):
    """Hours worked not (fully) covered by vouchers, or with a contested / unpaid voucher."""
    return (
        with_coverage(qs.filter(statut__in=PRESTEES))
        .filter(Q(couverts__lt=F("dus")) | Q(litige=True))
        .select_related("prestataire", "utilisateur", "activite")
        .order_by("date", "debut")
    )


def clients_debiteurs(qs):
    """Clients who owe vouchers: per client, the vouchers still due on their hours worked."""
    rows = {}
    for p in with_coverage(qs.filter(statut__in=PRESTEES)).select_related("utilisateur"):
        missing = max(p.dus - p.couverts, 0)
        if missing:
            entry = rows.setdefault(p.utilisateur_id, {"utilisateur": p.utilisateur, "cheques": 0, "prestations": 0})
            entry["cheques"] += missing
            entry["prestations"] += 1
    return sorted(rows.values(), key=lambda r: -r["cheques"])


@dataclass
class Formulaire:
    """The ALE 4 form of one worker for one month, and the payment body it goes to with the vouchers."""

    prestataire: Prestataire
    debut: datetime.date
    fin: datetime.date
    lignes: list[Prestation]
    taux: Decimal
    organisme: Organisme
    heures_prestees: Decimal = ZERO
    heures_planifiees: Decimal = ZERO
    heures_validees: Decimal = ZERO
    cheques_dus: int = 0  # on validated prestations: one per hour worked or started, per prestation
    cheques: int = 0
    lignes_vides: list[int] = field(default_factory=list)
    # Lines dated when the worker was not eligible (each line carries `hors_eligibilite`, the reason): flagged,
    # never counted in the vouchers due.
    hors_eligibilite: list[Prestation] = field(default_factory=list)

    @property
    def montant(self) -> Decimal:
        """Due to the worker: the vouchers due on validated hours × the allowance per voucher in force."""
        return amount_due(self.cheques_dus, self.taux)


def formulaire(prestataire, year: int, month: int, *, min_rows: int = 14) -> Formulaire:
    debut, fin = month_bounds(year, month)
    lignes = list(
        frais.with_regle(
            Prestation.objects.filter(prestataire=prestataire, date__range=(debut, fin)), prestataire.agence
        )
        .exclude(statut=Prestation.Statut.ANNULEE)
        .select_related("utilisateur", "activite")
        .prefetch_related(Prefetch("cheques", queryset=ChequeALE.objects.order_by("numero")))
        .order_by("date", "debut")
    )
    form = Formulaire(
        prestataire, debut, fin, lignes, pay_rate(prestataire.agence, fin), organisme_au(prestataire, fin)
    )
    judge = Judge()
    for p in lignes:
        p.hors_eligibilite = judge.problem(prestataire, p.date)
        if p.hors_eligibilite:
            form.hors_eligibilite.append(p)
            continue
        if p.statut in PRESTEES:
            form.heures_prestees += p.heures
            form.cheques += sum(c.quantite for c in p.cheques.all() if c.statut in STATUTS_COUVRANTS)
            if p.statut == Prestation.Statut.VALIDEE:
                form.heures_validees += p.heures
                form.cheques_dus += vouchers_due(p.heures)
        elif p.statut == Prestation.Statut.PLANIFIEE:
            form.heures_planifiees += p.heures
    form.lignes_vides = list(range(max(min_rows - len(lignes), 3)))
    return form


@dataclass
class LigneReleve:
    prestataire: Prestataire
    heures: Decimal = ZERO
    cheques: int = 0
    montant: Decimal = ZERO


@dataclass
class Releve:
    """The month's statement of one payment body (a CPAS is one body: one statement each)."""

    organisme: Organisme
    taux: Decimal
    lignes: list[LigneReleve] = field(default_factory=list)
    # Validated prestations dated when the worker was not eligible: listed apart, never counted.
    hors_eligibilite: list[Prestation] = field(default_factory=list)

    @property
    def heures(self) -> Decimal:
        return sum((ligne.heures for ligne in self.lignes), ZERO)

    @property
    def montant(self) -> Decimal:
        return sum((ligne.montant for ligne in self.lignes), ZERO)


def releves(agence, year: int, month: int) -> list[Releve]:
    """The month's statements, one per payment body of the month worked: each validated prestation goes to the
    body in force on its date (a body that changes mid-month splits the month), and every CPAS has its own."""
    debut, fin = month_bounds(year, month)
    taux = pay_rate(agence, fin)
    validated = (
        Prestation.objects.filter(agence=agence, date__range=(debut, fin), statut=Prestation.Statut.VALIDEE)
        .select_related("prestataire__agence")
        .prefetch_related("prestataire__periodes_organisme", "prestataire__situations")
        .order_by("prestataire__nom", "prestataire__prenom", "prestataire_id", "date", "debut")
    )
    judge = Judge()
    by_body: dict[tuple[str, str], Releve] = {}
    for p in validated:
        worker = p.prestataire
        body = organisme_au(worker, p.date)
        releve_ = by_body.setdefault((body.code, body.cpas), Releve(Organisme(body.code, body.cpas, None), taux))
        p.hors_eligibilite = judge.problem(worker, p.date)
        if p.hors_eligibilite:
            releve_.hors_eligibilite.append(p)
            continue
        if not releve_.lignes or releve_.lignes[-1].prestataire.pk != worker.pk:
            releve_.lignes.append(LigneReleve(worker))
        ligne = releve_.lignes[-1]
        ligne.heures += p.heures
        ligne.cheques += vouchers_due(p.heures)
        ligne.montant = amount_due(ligne.cheques, taux)
    return sorted(by_body.values(), key=lambda r: (r.organisme.code, r.organisme.cpas))


def releve(agence, organisme: str, year: int, month: int, cpas: str = "") -> Releve:
    """The statement of one body (`organisme`, and for a CPAS its name) for the month."""
    for found in releves(agence, year, month):
        if found.organisme.code == organisme and (found.organisme.cpas or "") == (cpas or ""):
            return found
    _debut, fin = month_bounds(year, month)
    return Releve(Organisme(organisme, cpas, None), pay_rate(agence, fin))


def upcoming_for_worker(prestataire, *, user, limit=20):
    """The worker's planned prestations from today on, as `user` may see them."""
    return (
        Prestation.objects.for_user(user)
        .filter(prestataire=prestataire, date__gte=timezone.localdate(), statut=Prestation.Statut.PLANIFIEE)
        .select_related("utilisateur", "activite")
        .order_by("date", "debut")[:limit]
    )


def covering_cheques():
    """The vouchers that still cover their prestation (not cancelled), numbers first."""
    return ChequeALE.objects.filter(statut__in=STATUTS_COUVRANTS).order_by("numero", "pk")


def newest(queryset, count: int):
    """The first `count` rows of an ordered queryset, picked by primary key before its joins are made: the
    database then joins `count` rows (index look-ups) instead of hashing a whole joined table (the workers, for
    a client's last prestations: 0.3 ms instead of 15 ms at full size)."""
    return queryset.filter(pk__in=queryset.values("pk")[:count])


def client_prestations(utilisateur, year=None, *, limit=None):
    qs = Prestation.objects.filter(utilisateur=utilisateur)
    if year is not None:
        qs = qs.filter(date__year=year)
    qs = qs.order_by("-date", "-debut")
    if limit is not None:
        qs = newest(qs, limit)
    return qs.select_related("prestataire", "activite").prefetch_related(
        Prefetch("cheques", queryset=covering_cheques(), to_attr="cheques_couvrants")
    )


def client_yearly_statement(utilisateur, year: int) -> dict:
    """The year's worked prestations, hours by activity, and the vouchers that paid them (count and euros)."""
    prestations = list(
        client_prestations(utilisateur, year)
        .exclude(statut__in=[Prestation.Statut.ANNULEE, Prestation.Statut.ABSENCE])
        .order_by("date", "debut")
    )
    by_activity = {}
    for p in prestations:
        by_activity[p.activite.nom] = by_activity.get(p.activite.nom, 0) + p.heures
    frais_totaux = frais.annotate(prestations, utilisateur.agence)
    cheques = [c for p in prestations for c in p.cheques_couvrants]
    return {
        "prestations": prestations,
        "total_heures": sum((p.heures for p in prestations), start=Decimal(0)),
        "par_activite": sorted(by_activity.items()),
        "cheques": sum(c.quantite for c in cheques),
        "montant": sum((c.quantite * c.valeur for c in cheques), start=Decimal(0)),
        "frais_totaux": frais_totaux,
        "frais_utilisateur": (frais_totaux.par_payeur or {}).get("utilisateur"),
        "frais_ale": (frais_totaux.par_payeur or {}).get("ale"),
    }
