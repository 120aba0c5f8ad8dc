"""Writes of the located records' points: queueing a changed address, locating it, placing it by hand."""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from .addresses import address_of, readable_address
from .backends import geocoder
from .models import StatutGeocodage

logger = logging.getLogger(__name__)

# Records located by one background task after a bulk insert (a public Nominatim answers one lookup a second).
LOOKUPS_PER_TASK = 200


def queue_if_moved(record) -> bool:
    """Called after every save of a located record: a new or changed address is located in the background.

    The old point is dropped at once (it belongs to the old address); an unchanged address costs nothing.
    """
    address = address_of(record)
    if address == record.geocodage_adresse:
        return False
    if address:
        values = {"geocodage": StatutGeocodage.A_LOCALISER, "geocodage_note": ""}
    else:
        values = {"geocodage": StatutGeocodage.INTROUVABLE, "geocodage_note": _("Adresse incomplète.")}
    values |= {"latitude": None, "longitude": None, "geocodage_adresse": address}
    type(record).objects.filter(pk=record.pk).update(**values)
    for name, value in values.items():
        setattr(record, name, value)
    if address:
        from .tasks import localiser

        label, pk = record._meta.label, record.pk
        transaction.on_commit(lambda: localiser.enqueue(label, pk))
    return True


def stamp_unsaved(record) -> None:
    """For a record about to be inserted without its save signal (a bulk insert, e.g. the take-over import): marks
    its address as `queue_if_moved` would after a save. `queue_inserted` then queues the lookups."""
    address = address_of(record)
    record.latitude = record.longitude = None
    record.geocodage_adresse = address
    if address:
        record.geocodage, record.geocodage_note = StatutGeocodage.A_LOCALISER, ""
    else:
        record.geocodage, record.geocodage_note = StatutGeocodage.INTROUVABLE, _("Adresse incomplète.")


def queue_inserted(records) -> int:
    """After the bulk insert of stamped records: their addresses are located in the background once the
    transaction commits, in tasks of `LOOKUPS_PER_TASK` records (not one task per row of a 5,000-row file)."""
    from .tasks import localiser_lot

    pending: dict[str, list[int]] = {}
    for record in records:
        if record.pk and record.geocodage == StatutGeocodage.A_LOCALISER and record.geocodage_adresse:
            pending.setdefault(record._meta.label, []).append(record.pk)
    for label, pks in pending.items():
        for start in range(0, len(pks), LOOKUPS_PER_TASK):
            chunk = pks[start : start + LOOKUPS_PER_TASK]
            transaction.on_commit(lambda label=label, chunk=chunk: localiser_lot.enqueue(label, chunk))
    return sum(len(pks) for pks in pending.values())


def locate(record) -> str:
    """Asks the configured geocoder for the record's address and stores the answer; never raises.

    Written only if the address did not change meanwhile (a newer task then handles the new one).
    """
    address = address_of(record)
    if not address:
        return StatutGeocodage.INTROUVABLE
    try:
        result = geocoder().geocode(address, readable_address(record))
        values = {
            "geocodage": result.statut,
            "latitude": result.latitude,
            "longitude": result.longitude,
            "geocodage_note": result.note[:300],
        }
    except Exception as exc:  # noqa: BLE001 - a failed lookup is flagged for staff, it never breaks a save
        logger.warning("Geocoding failed for %s %s: %s", record._meta.label, record.pk, exc)
        values = {
            "geocodage": StatutGeocodage.INTROUVABLE,
            "latitude": None,
            "longitude": None,
            "geocodage_note": (_("Géocodage impossible : %(e)s") % {"e": exc})[:300],
        }
    type(record).objects.filter(pk=record.pk, geocodage_adresse=address).update(**values)
    return values["geocodage"]


def place_by_hand(record, latitude: Decimal, longitude: Decimal) -> None:
    """Sets a point typed by staff on the (unsaved) record: kept as long as the address does not change."""
    record.latitude, record.longitude = latitude, longitude
    record.geocodage = StatutGeocodage.MANUELLE
    record.geocodage_note = ""
    record.geocodage_adresse = address_of(record)
