"""GDPR side of the points: a person's coordinates are personal data, erased with their file.

The live row and its history lose the point (through `anonymise_everywhere`, with `ERASED`); `forget` also
drops what was derived from it: the cached geocoding of the address and the routed times from or to the point.
"""

from django.db.models import Q

from .addresses import address_of
from .models import AdresseConnue, Itineraire, StatutGeocodage
from .routing import rounded

ERASED = {
    "latitude": None,
    "longitude": None,
    "geocodage": StatutGeocodage.INTROUVABLE,
    "geocodage_note": "",
    "geocodage_adresse": "",
}


def forget(records) -> None:
    """Call before the records' addresses are wiped: deletes the cache rows and routes tied to them."""
    addresses, points = set(), set()
    for record in records:
        addresses |= {a for a in (address_of(record), record.geocodage_adresse) if a}
        if record.latitude is not None and record.longitude is not None:
            points.add(rounded((record.latitude, record.longitude)))
    AdresseConnue.objects.filter(adresse__in=addresses).delete()
    for lat, lon in points:
        Itineraire.objects.filter(
            Q(depart_latitude=lat, depart_longitude=lon) | Q(arrivee_latitude=lat, arrivee_longitude=lon)
        ).delete()
