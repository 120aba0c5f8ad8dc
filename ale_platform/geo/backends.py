"""Geocoders behind one small interface: `geocode(address) -> Resultat`, chosen by the ALE_GEOCODING setting.

- `SeededGeocoder` (demo, tests, and any deployment without a geocoding service): reads the points seeded in
  the table of known addresses; an address not there is "introuvable", for staff to place by hand.
- `NominatimGeocoder`: a Nominatim instance through geopy, with a timeout, a rate limit (one request per
  `min_delay_seconds` in a worker process) and the table of known addresses as its cache.

Both are only called from the background task, never inside a request.
"""

import functools
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import AdresseConnue, StatutGeocodage

SIX = Decimal("0.000001")


@dataclass(frozen=True)
class Resultat:
    statut: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    note: str = ""


def _point(latitude, longitude) -> tuple[Decimal, Decimal]:
    return Decimal(str(latitude)).quantize(SIX), Decimal(str(longitude)).quantize(SIX)


def known(address: str) -> Resultat | None:
    row = AdresseConnue.objects.filter(adresse=address).first()
    if row is None:
        return None
    return Resultat(StatutGeocodage.TROUVEE, row.latitude, row.longitude)


class SeededGeocoder:
    """Reads the seeded points; never calls out."""

    def __init__(self, **options):
        self.options = options

    def geocode(self, address: str, readable: str = "") -> Resultat:
        return known(address) or Resultat(
            StatutGeocodage.INTROUVABLE, note=_("Adresse absente des points connus : placez-la à la main.")
        )


class NominatimGeocoder:
    """A Nominatim instance (public or the deployment's own) through geopy."""

    # Two answers further apart than this are different places: the address is ambiguous.
    AMBIGUITY_KM = 1.0

    def __init__(
        self, *, domain="nominatim.openstreetmap.org", scheme="https", user_agent="", timeout=5, min_delay_seconds=1.0
    ):
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        service = Nominatim(domain=domain, scheme=scheme, user_agent=user_agent or "ale-platform", timeout=timeout)
        self._geocode = RateLimiter(service.geocode, min_delay_seconds=min_delay_seconds, max_retries=1)

    def geocode(self, address: str, readable: str = "") -> Resultat:
        from geopy.exc import GeopyError

        cached = known(address)
        if cached:
            return cached
        try:
            answers = self._geocode(readable or address, exactly_one=False, limit=3, country_codes="be") or []
        except GeopyError as exc:
            return Resultat(StatutGeocodage.INTROUVABLE, note=_("Service de géocodage en erreur : %(e)s") % {"e": exc})
        if not answers:
            return Resultat(StatutGeocodage.INTROUVABLE, note=_("Adresse introuvable : placez-la à la main."))
        latitude, longitude = _point(answers[0].latitude, answers[0].longitude)
        far = [a for a in answers[1:] if _km(answers[0], a) > self.AMBIGUITY_KM]
        if far:
            return Resultat(
                StatutGeocodage.AMBIGUE,
                latitude,
                longitude,
                _("%(n)s lieux possibles pour cette adresse : vérifiez le point.") % {"n": len(far) + 1},
            )
        AdresseConnue.objects.update_or_create(
            adresse=address,
            defaults={"latitude": latitude, "longitude": longitude, "source": AdresseConnue.Source.GEOCODEUR},
        )
        return Resultat(StatutGeocodage.TROUVEE, latitude, longitude)


def _km(a, b) -> float:
    from .travel import straight_km

    return straight_km((a.latitude, a.longitude), (b.latitude, b.longitude))


@functools.cache
def geocoder():
    """The configured geocoder, one per process (its rate limit is shared by every task the process runs)."""
    config = getattr(settings, "ALE_GEOCODING", {})
    backend = import_string(config.get("BACKEND", "ale_platform.geo.backends.SeededGeocoder"))
    return backend(**config.get("OPTIONS", {}))


__all__ = ["NominatimGeocoder", "Resultat", "SeededGeocoder", "geocoder", "known"]
