"""Travel time between two points by the worker's mode: an estimate from the straight line, or a routed time.

The estimate is straight-line distance × a detour factor ÷ a speed per mode (+ a fixed wait for public
transport). A deployment running a routing engine (OSRM) gets real times, computed in the background and
stored (`Itineraire`); a request never calls out. Every `Trajet` says which of the two it is.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320


@dataclass(frozen=True)
class Mode:
    label: str  # "à pied", as in "≈ 12 min à pied"
    kmh: float
    detour: float
    wait_minutes: float = 0


MODES = {
    "pied": Mode(gettext_lazy("à pied"), kmh=4.5, detour=1.3),
    "velo": Mode(gettext_lazy("à vélo"), kmh=14, detour=1.3),
    "transports": Mode(gettext_lazy("en transports en commun"), kmh=20, detour=1.4, wait_minutes=10),
    "voiture": Mode(gettext_lazy("en voiture"), kmh=40, detour=1.3),
}
WALKING = "pied"


def mode(code: str) -> Mode:
    """The worker's mode (walking when they declared none: the cautious guess for matching)."""
    overrides = getattr(settings, "ALE_TRAVEL_MODES", {})
    base = MODES.get(code) or MODES[WALKING]
    return Mode(base.label, **{**_speeds(base), **overrides.get(code or WALKING, {})})


def _speeds(m: Mode) -> dict:
    return {"kmh": m.kmh, "detour": m.detour, "wait_minutes": m.wait_minutes}


def straight_km(a, b) -> float:
    """Straight-line distance in km from a to b (equirectangular around b: under 0.1 % off at the few tens of km
    an ALE covers). `distance_squared_expression` writes the same formula in SQL, so a filter and a page agree.
    """
    lat_a, lon_a, lat_b, lon_b = (float(x) for x in (*a, *b))
    dy = (lat_a - lat_b) * KM_PER_DEGREE_LATITUDE
    dx = (lon_a - lon_b) * KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(lat_b))
    return math.hypot(dx, dy)


@dataclass(frozen=True)
class Trajet:
    minutes: int
    km: float
    mode: str
    routed: bool = False  # True: from the routing engine; False: the straight-line estimate

    @property
    def label(self) -> str:
        """ "≈ 12 min à pied (0,9 km)": "≈" for the estimate, no sign for a routed time."""
        text = _("%(min)s min %(mode)s (%(km)s km)") % {
            "min": self.minutes,
            "mode": mode(self.mode).label,
            "km": number_format(round(self.km, 1), 1),
        }
        return text if self.routed else f"≈ {text}"

    @property
    def source(self) -> str:
        return _("itinéraire calculé") if self.routed else _("estimation à vol d'oiseau")


def estimate(origin, destination, mode_code: str) -> Trajet:
    m = mode(mode_code)
    km = straight_km(origin, destination) * m.detour
    minutes = km / m.kmh * 60 + (m.wait_minutes if km > 0.5 else 0)
    return Trajet(minutes=max(1, round(minutes)), km=km, mode=mode_code or WALKING)


def minutes_to_straight_km(minutes: float, mode_code: str = WALKING) -> float:
    """The straight-line radius reached in `minutes` by the estimate (the inverse of `estimate`)."""
    m = mode(mode_code)
    return max(minutes - m.wait_minutes, 0) / 60 * m.kmh / m.detour


def distance_squared_expression(centre, prefix: str = ""):
    """(dx² + dy²) in km² from `centre` to the record's point, in plain SQL arithmetic (SQLite and PostgreSQL)."""
    from django.db.models import ExpressionWrapper, FloatField, Value
    from django.db.models.functions import Cast

    lat0, lon0 = (float(x) for x in centre)
    kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(lat0))
    dy = (Cast(f"{prefix}latitude", FloatField()) - Value(lat0)) * Value(KM_PER_DEGREE_LATITUDE)
    dx = (Cast(f"{prefix}longitude", FloatField()) - Value(lon0)) * Value(kx)
    return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())
