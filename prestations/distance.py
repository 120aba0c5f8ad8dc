"""Distances in matching: how far a worker's home is from the request's place, and whether they can go.

Points come from the stored coordinates (ale_platform.geo), never from a call out during the request. With both
points known, the travel time by the worker's mode is compared to their maximum (minutes and/or km); with one
missing, the page says "distance inconnue" and falls back on the communes, without giving the points of a
known short trip.
"""

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ale_platform.geo import routing
from ale_platform.geo.travel import Trajet, estimate
from prestataires.models import Mobilite

# A worker "à pied uniquement" who gave no maximum is taken to walk at most this long (docs/prestations.md).
DEFAULT_MAX_MINUTES = {Mobilite.PIED: 45}


@dataclass
class Verdict:
    ok: bool
    reason: str
    trajet: Trajet | None
    score: int

    @property
    def sort_minutes(self) -> float:
        return self.trajet.minutes if self.trajet else math.inf


def place_of(demande):
    """Where the request's work is done: its site, else the client's address."""
    return demande.site or demande.utilisateur


def packed_routed_times(place):
    """The routing engine's stored times from the outer query's worker to the place, as one column of it
    (matching: no query of their own; NULL without an engine)."""
    return routing.packed_stored_to(place.point)


def routed_unpacked(text: str | None) -> dict:
    return routing.stored_unpacked(text)


def trajet(prestataire, place, routed: dict | None = None) -> Trajet | None:
    origin, destination = prestataire.point, place.point
    if origin is None or destination is None:
        return None
    mode = prestataire.mobilite or Mobilite.PIED
    row = (routed or {}).get((*routing.rounded(origin), mode))
    if row is not None:
        return Trajet(minutes=row.minutes, km=float(row.km), mode=mode, routed=True)
    return estimate(origin, destination, mode)


def max_minutes(prestataire) -> int | None:
    return prestataire.temps_trajet_max or DEFAULT_MAX_MINUTES.get(prestataire.mobilite)


def verdict(prestataire, place, routed: dict | None = None) -> Verdict:
    p = prestataire
    t = trajet(p, place, routed)
    if t is None:
        return _unknown(p, place)
    too_far = []
    limit = max_minutes(p)
    if limit and t.minutes > limit:
        too_far.append(_("au-delà de son maximum de %(n)s min") % {"n": limit})
    if p.distance_max_km and t.km > p.distance_max_km:
        too_far.append(_("au-delà de sa distance maximale de %(n)s km") % {"n": p.distance_max_km})
    if too_far:
        return Verdict(False, f"{t.label} : {', '.join(too_far)}.", t, 0)
    return Verdict(True, f"{t.label}.", t, 2)


def _unknown(p, place) -> Verdict:
    """No point for the worker or the place: say so, and judge on the communes only (never a full pass)."""
    unknown = _("Distance inconnue")
    code_postal, commune = place.code_postal or "", (place.commune or "").strip().lower()
    if (code_postal and p.code_postal == code_postal) or (commune and (p.commune or "").strip().lower() == commune):
        return Verdict(True, _("%(u)s : habite la même commune.") % {"u": unknown}, None, 1)
    if p.mobilite == Mobilite.PIED:
        return Verdict(
            False, _("%(u)s : se déplace à pied et n'habite pas la commune de la prestation.") % {"u": unknown}, None, 0
        )
    communes = {str(c).strip().lower() for c in p.communes_mobilite or []}
    if (commune and commune in communes) or (code_postal and code_postal in communes):
        return Verdict(True, _("%(u)s : la commune est dans ses communes de mobilité.") % {"u": unknown}, None, 1)
    if communes:
        why = _("%(u)s : la commune n'est pas dans ses communes de mobilité.") % {"u": unknown}
        return Verdict(False, why, None, 0)
    return Verdict(True, _("%(u)s : à vérifier avec le ou la prestataire.") % {"u": unknown}, None, 0)


def queue_routes(sender, instance, raw=False, **kwargs):
    """post_save of a Demande: with a routing engine configured, compute its travel times in the background."""
    if raw or not routing.enabled():
        return
    from .tasks import calculer_itineraires

    pk = instance.pk
    transaction.on_commit(lambda: calculer_itineraires.enqueue(pk))
