"""Travel costs of a prestation: the rule in force (the law's minimum or the agency's own) applied to its distance.

One place for the rule: the ALE 4, the client's yearly statement and the prestation form all read it here.
Decisions (docs/prestations.md, "Frais de déplacement"): the distance is the one-way home → place distance; when
it is beyond the threshold, the return trip is paid (2 × distance × rate); no distance typed = no costs shown.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, OuterRef, Q, Subquery

from ale_platform.geo.travel import estimate

from .models import PayeurFrais, RegleFraisDeplacement

CENT = Decimal("0.01")
DIXIEME = Decimal("0.1")


def loi_en_vigueur(day: datetime.date) -> RegleFraisDeplacement | None:
    return RegleFraisDeplacement.objects.filter(agence__isnull=True, en_vigueur_du__lte=day).first()


class Regles:
    """Every rule of an agency and of the law, loaded once; `on(day)` is the one in force that day."""

    def __init__(self, agence):
        rows = list(RegleFraisDeplacement.objects.filter(Q(agence=agence) | Q(agence__isnull=True)))
        self.agence_rules = sorted((r for r in rows if r.agence_id), key=lambda r: r.en_vigueur_du, reverse=True)
        self.law = sorted((r for r in rows if not r.agence_id), key=lambda r: r.en_vigueur_du, reverse=True)

    def on(self, day: datetime.date) -> RegleFraisDeplacement | None:
        for rules in (self.agence_rules, self.law):
            rule = next((r for r in rules if r.en_vigueur_du <= day), None)
            if rule:
                return rule
        return None


def with_regle(queryset, agence):
    """The queryset form of `Regles(agence).on`: each prestation is read with the rule in force on its date (the
    agency's latest from that date back, else the law's), so a form needs no separate read of the rules."""
    rules = RegleFraisDeplacement.objects.filter(
        Q(agence=agence) | Q(agence__isnull=True), en_vigueur_du__lte=OuterRef("date")
    ).order_by(F("agence").asc(nulls_last=True), "-en_vigueur_du")
    return queryset.annotate(
        regle_frais_id=Subquery(rules.values("pk")[:1]),
        regle_frais_seuil_km=Subquery(rules.values("seuil_km")[:1]),
        regle_frais_taux_km=Subquery(rules.values("taux_km")[:1]),
        regle_frais_a_charge_de=Subquery(rules.values("a_charge_de")[:1]),
    )


def _annotated_rule(prestation) -> RegleFraisDeplacement | None:
    if prestation.regle_frais_id is None:
        return None
    return RegleFraisDeplacement(
        pk=prestation.regle_frais_id,
        seuil_km=prestation.regle_frais_seuil_km,
        taux_km=prestation.regle_frais_taux_km,
        a_charge_de=prestation.regle_frais_a_charge_de,
    )


@dataclass(frozen=True)
class Frais:
    km: Decimal  # km paid (the return trip)
    taux: Decimal
    montant: Decimal
    payeur: str

    @property
    def payeur_label(self) -> str:
        return PayeurFrais(self.payeur).label


def frais(prestation, regles: Regles | None) -> Frais | None:
    """The travel costs due for one prestation, or None (no distance, under the threshold, no rule).

    `regles` may be None for a prestation read through `with_regle`, which brings its rule along."""
    if prestation.distance_km is None:
        return None
    rule = _annotated_rule(prestation) if hasattr(prestation, "regle_frais_id") else regles.on(prestation.date)
    if rule is None or prestation.distance_km <= rule.seuil_km:
        return None
    km = prestation.distance_km * 2
    return Frais(km, rule.taux_km, (km * rule.taux_km).quantize(CENT, rounding=ROUND_HALF_UP), rule.a_charge_de)


@dataclass
class Totaux:
    km: Decimal = Decimal(0)
    montant: Decimal = Decimal(0)
    par_payeur: dict = None

    def add(self, f: Frais) -> None:
        self.km += f.km
        self.montant += f.montant
        self.par_payeur = self.par_payeur or {}
        self.par_payeur[f.payeur] = self.par_payeur.get(f.payeur, Decimal(0)) + f.montant


def annotate(prestations, agence) -> Totaux:
    """Sets `p.frais` on every prestation (one query for the rules, none when read through `with_regle`) and
    returns the totals."""
    prestations = list(prestations)
    read_with_rule = all(hasattr(p, "regle_frais_id") for p in prestations)
    regles = None if read_with_rule else Regles(agence)
    totaux = Totaux()
    for p in prestations:
        p.frais = frais(p, regles)
        if p.frais:
            totaux.add(p.frais)
    return totaux


def distance_suggeree(prestataire, place) -> Decimal | None:
    """The one-way distance from the worker's home to the place, from the coordinates, when both are known."""
    if prestataire.point is None or place is None or place.point is None:
        return None
    trip = estimate(prestataire.point, place.point, prestataire.mobilite)
    return Decimal(str(trip.km)).quantize(DIXIEME, rounding=ROUND_HALF_UP)


def set_distance(*, prestation, distance_km: Decimal | None, acting_user) -> None:
    """Staff type (or correct) the prestation's one-way distance; kept in the prestation's history."""
    from django.db import transaction

    from .models import Prestation

    with transaction.atomic():
        locked = Prestation.objects.select_for_update().get(pk=prestation.pk)
        locked.distance_km = distance_km
        locked._change_reason = "Distance encodée"
        locked.save(update_fields=["distance_km"])
    prestation.distance_km = distance_km


def place_of_prestation(prestation):
    demande = prestation.demande
    return (demande.site if demande and demande.site_id else None) or prestation.utilisateur
