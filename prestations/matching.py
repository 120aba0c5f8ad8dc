"""Matching a client's request (`Demande`) to the agency's workers.

`candidates(demande)` returns every worker of the agency, ranked, each with the reasons for their rank and what
blocks them. It runs three SQL queries whatever the number of workers (the request's dates, the workers with
everything read about them and the region's rule book packed on the same rows, the hour sums), and the Python
work is linear in workers + slots.

Distances come from stored coordinates through `prestations.distance` (travel time by the worker's mode against
their maximum; "distance inconnue" when a point is missing), see docs/prestations.md.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, Exists, OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ale_platform import numbers
from ale_platform.dates import short_date
from ale_platform.models import Agence
from ale_platform.packed import packed, rows
from prestataires.eligibility import (
    explain,
    packed_referrals,
    packed_rules,
    packed_situations,
    referrals_unpacked,
    rules_unpacked,
    situations_unpacked,
)
from prestataires.models import Absence, ContratALE, DemiJournee, Disponibilite, Prestataire

from . import distance
from .models import Affectation, Prestation
from .rulebook import effective_category, hour_meters
from .rulebook.law import law_unpacked, packed_law

NOON = datetime.time(12)


@dataclass
class Slot:
    date: datetime.date
    debut: datetime.time
    fin: datetime.time

    @property
    def heures(self) -> Decimal:
        start = datetime.datetime.combine(self.date, self.debut)
        end = datetime.datetime.combine(self.date, self.fin)
        return Decimal((end - start).seconds) / 3600

    @property
    def half_days(self) -> set[str]:
        halves = set()
        if self.debut < NOON:
            halves.add("matin")
        if self.fin > NOON:
            halves.add("apres_midi")
        return halves


@dataclass
class Candidate:
    prestataire: Prestataire
    reasons: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    score: int = 0
    heures_restantes: Decimal = Decimal("0")
    refus: int = 0
    affecte: bool = False
    trajet: distance.Verdict | None = None

    @property
    def eligible(self) -> bool:
        return not self.blockers


def demande_slots(demande) -> list[Slot]:
    """The request's wished dates (not cancelled)."""
    return [Slot(c.date, c.debut, c.fin) for c in demande.creneaux.filter(annule=False).order_by("date", "debut")]


def _half_days(aggregated: str | None) -> set[tuple[int, str]]:
    """{(weekday, half day)} from the "0:matin,0:apres_midi" the workers' query aggregates."""
    pairs = (item.split(":") for item in (aggregated or "").split(",") if item)
    return {(int(jour), half) for jour, half in pairs}


def candidates(demande, slots: list[Slot] | None = None, within=None) -> list[Candidate]:
    """Every worker of the demande's agency (or of `within`, a filtered queryset), ranked: unblocked first, then by
    score, then the shortest trip, then by name."""
    slots = demande_slots(demande) if slots is None else slots
    activite = demande.activite
    first = slots[0].date if slots else datetime.date.today()
    last = slots[-1].date if slots else first
    # Everything matching reads per worker rides on the workers' query: one fact per worker (accepts the activity,
    # signed contract, weekly availability, refusals, already assigned) as subqueries, the worker's eligibility
    # situations, absences and slots already planned in the period packed as one column each
    # (`ale_platform.packed`), and the region's law and eligibility rules packed once for the query (an
    # uncorrelated subquery: PostgreSQL runs it once). The page's query count does not grow with the workers.
    place = distance.place_of(demande)
    region = Subquery(Agence.objects.filter(pk=demande.agence_id).values("region")[:1])
    planned = Prestation.objects.counting_hours().filter(prestataire_id=OuterRef("pk"), date__gte=first, date__lte=last)
    if demande.pk:
        planned = planned.exclude(demande_id=demande.pk)
    pool = Prestataire.objects.all() if within is None else within
    workers = list(
        pool.filter(agence_id=demande.agence_id)
        .exclude(statut=Prestataire.Statut.SORTI)
        .select_related("agence")
        .annotate(
            accepte=Exists(
                Prestataire.activites.through.objects.filter(prestataire_id=OuterRef("pk"), activite_id=activite.pk)
            ),
            contrat=Exists(
                ContratALE.objects.filter(
                    prestataire_id=OuterRef("pk"), date_signature__isnull=False, date_debut__lte=first
                ).filter(Q(date_fin__isnull=True) | Q(date_fin__gte=last))
            ),
            refus=Coalesce(
                Subquery(
                    Affectation.objects.filter(prestataire_id=OuterRef("pk"), statut=Affectation.Statut.DECLINEE)
                    .values("prestataire_id")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            disponibilites_du_prestataire=Subquery(
                Disponibilite.objects.filter(prestataire_id=OuterRef("pk"))
                .values("prestataire_id")
                .annotate(
                    s=StringAgg(Concat(Cast("jour", CharField()), Value(":"), "demi_journee"), delimiter=Value(","))
                )
                .values("s")
            ),
            affecte=Exists(
                Affectation.objects.filter(prestataire_id=OuterRef("pk"), demande_id=demande.pk).exclude(
                    statut=Affectation.Statut.DECLINEE
                )
            ),
            situations_du_prestataire=packed_situations(),
            adressages_du_prestataire=packed_referrals(),
            absences_du_prestataire=packed(
                Absence.objects.filter(prestataire_id=OuterRef("pk"), debut__lte=last, fin__gte=first),
                key="prestataire_id",
                fields=["debut", "fin"],
            ),
            deja_planifie=packed(planned, key="prestataire_id", fields=["date", "debut", "fin"]),
            loi_de_la_region=packed_law(region),
            regles_de_la_region=packed_rules(region),
            itineraires=distance.packed_routed_times(place),
        )
        .order_by("nom", "prenom", "pk")
    )
    if not workers:
        return []
    dispo = {p.pk: _half_days(p.disponibilites_du_prestataire) for p in workers}
    absences = {p.pk: [(a["debut"], a["fin"]) for a in rows(Absence, p.absences_du_prestataire)] for p in workers}
    busy = defaultdict(list)
    for p in workers:
        for x in rows(Prestation, p.deja_planifie):
            busy[(p.pk, x["date"])].append((x["debut"], x["fin"]))
    agence = workers[0].agence
    law = law_unpacked(workers[0].loi_de_la_region, agence.region, first)
    meters = hour_meters(workers, first, laws={agence.region: law})
    regles = rules_unpacked(workers[0].regles_de_la_region, agence.region)

    month_hours = sum((s.heures for s in slots if (s.date.year, s.date.month) == (first.year, first.month)), Decimal(0))
    # The sentences that do not depend on the worker, translated once.
    accepts = _("Accepte l'activité « %(a)s ».") % {"a": activite.nom}
    refuses = _("N'accepte pas l'activité « %(a)s ».") % {"a": activite.nom}
    no_contract = _("Pas de contrat ALE signé couvrant la période.")
    not_eligible = _("Pas éligible à l'ALE le %(date)s.") % {"date": short_date(first)}
    available = _("Disponible à toutes les dates demandées.")
    speaks_french = _("Parle français.")
    ranked = []
    for p in workers:
        c = Candidate(prestataire=p)
        c.refus, c.affecte = p.refus, p.affecte
        if p.accepte:
            c.reasons.append(accepts)
            c.score += 3
        else:
            c.blockers.append(refuses)
        if p.statut != Prestataire.Statut.ACTIF:
            c.blockers.append(_("Statut « %(s)s » : pas actif·ve.") % {"s": p.get_statut_display()})
        if not p.contrat:
            c.blockers.append(no_contract)
        if not explain(
            p,
            first,
            regles=regles,
            situations=situations_unpacked(p.situations_du_prestataire),
            referrals=referrals_unpacked(p.adressages_du_prestataire),
        ).ok:
            c.blockers.append(not_eligible)
        unavailable, absent, conflict = 0, 0, 0
        for s in slots:
            if any(d <= s.date <= f for d, f in absences[p.pk]):
                absent += 1
            elif not all((s.date.weekday(), h) in dispo[p.pk] for h in s.half_days):
                unavailable += 1
            elif any(b < s.fin and s.debut < e for b, e in busy[(p.pk, s.date)]):
                conflict += 1
        if slots and not (unavailable or absent or conflict):
            c.reasons.append(available)
            c.score += 3
        if unavailable:
            c.blockers.append(
                ngettext(
                    "Pas disponible (horaire hebdomadaire) pour %(n)s date.",
                    "Pas disponible (horaire hebdomadaire) pour %(n)s dates.",
                    unavailable,
                )
                % {"n": unavailable}
            )
        if absent:
            c.blockers.append(
                ngettext("Absent·e pour %(n)s date.", "Absent·e pour %(n)s dates.", absent) % {"n": absent}
            )
        if conflict:
            c.blockers.append(
                ngettext(
                    "Déjà planifié·e ailleurs pour %(n)s date.", "Déjà planifié·e ailleurs pour %(n)s dates.", conflict
                )
                % {"n": conflict}
            )
        c.trajet = distance.verdict(p, place, distance.routed_unpacked(p.itineraires))
        (c.reasons if c.trajet.ok else c.blockers).append(c.trajet.reason)
        c.score += c.trajet.score
        m = meters[p.pk]
        c.heures_restantes = m.left_for(effective_category(activite, demande.utilisateur, m.caps))
        if month_hours > c.heures_restantes:
            c.blockers.append(
                _("Heures restantes sous les plafonds : %(left)s h, il en faut %(need)s h.")
                % {"left": numbers.heures(c.heures_restantes), "need": numbers.heures(month_hours)}
            )
        else:
            left_text = numbers.heures(c.heures_restantes)
            c.reasons.append(_("%(left)s h restantes sous les plafonds.") % {"left": left_text})
            c.score += 1
        spoken = {p.langue, *[x.strip().lower()[:2] for x in (p.langues_parlees or "").split(",") if x.strip()]}
        if "fr" in spoken:
            c.reasons.append(speaks_french)
            c.score += 1
        if c.refus:
            c.reasons.append(
                ngettext("A décliné %(n)s affectation.", "A décliné %(n)s affectations.", c.refus) % {"n": c.refus}
            )
            c.score -= min(c.refus, 2)
        ranked.append(c)
    ranked.sort(key=lambda c: (len(c.blockers), -c.score, c.trajet.sort_minutes, -c.heures_restantes))
    return ranked


def availability_warning(prestataire, day: datetime.date, debut: datetime.time, fin: datetime.time) -> str | None:
    """Why this slot falls outside the worker's weekly availability or in an absence (French), else None.

    The same half-day reading as the ranking above; a warning only: staff may have agreed on it with the worker.
    """
    slot = Slot(day, debut, fin)
    if Absence.objects.filter(prestataire=prestataire, debut__lte=day, fin__gte=day).exists():
        return _("%(p)s est absent·e le %(d)s.") % {"p": prestataire, "d": short_date(day)}
    dispo = set(prestataire.disponibilites.values_list("jour", "demi_journee"))
    missing = [h for h in sorted(slot.half_days) if (day.weekday(), h) not in dispo]
    if not missing:
        return None
    labels = dict(DemiJournee.choices)
    return _(
        "%(p)s n'est pas disponible le %(jour)s %(moment)s d'après ses disponibilités hebdomadaires : "
        "vérifiez avec lui ou elle que la nouvelle date convient."
    ) % {
        "p": prestataire,
        "jour": short_date(day),
        "moment": " / ".join(str(labels[h]) for h in missing),
    }
