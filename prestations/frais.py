"""Travel costs of a prestation: the rule in force (`rulebook.travel`: the law's minimum or the agency's own)
applied to its distance.

One place for the computation: the ALE 4, the client's yearly statement and the prestation form all read it here.
Decisions (docs/prestations.md, "Frais de déplacement"): the distance is the one-way home → place distance; when
it is beyond the threshold, the return trip is paid (2 × distance × rate); no distance typed = no costs shown.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ale_platform.geo.travel import estimate

from .models import PayeurFrais, RegleFraisDeplacement
from .rulebook.travel import Regles, with_regle

__all__ = ["Frais", "Regles", "Totaux", "annotate", "distance_suggeree", "frais", "set_distance", "with_regle"]

CENT = Decimal("0.01")
DIXIEME = Decimal("0.1")


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
