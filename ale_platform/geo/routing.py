"""The optional routing engine: real travel times from an OSRM server (its HTTP "table" service).

Set ALE_ROUTING_URL (e.g. a deployment's own OSRM with the foot profile) and ALE_ROUTING_PROFILES
({"pied": "foot", ...}: the modes it can route). When a request is saved, a background task asks the engine for
the times from every located worker of the agency to the request's place and stores them (`Itineraire`);
matching reads them with its workers' query (`packed_stored_to`) and falls back to the estimate for anything
missing.
"""

import json
import urllib.parse
import urllib.request
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, TextField, Value

from ale_platform.packed import packed, unpack

from .models import Itineraire

DEFAULT_PROFILES = {"pied": "foot", "velo": "bike", "voiture": "car"}
FIVE = Decimal("0.00001")
HALF = Decimal("0.000005")


def enabled() -> bool:
    return bool(getattr(settings, "ALE_ROUTING_URL", ""))


def profiles() -> dict[str, str]:
    return getattr(settings, "ALE_ROUTING_PROFILES", DEFAULT_PROFILES)


def rounded(point) -> tuple[Decimal, Decimal]:
    return Decimal(str(point[0])).quantize(FIVE), Decimal(str(point[1])).quantize(FIVE)


def table(profile: str, destination, origins: list) -> list[tuple[float, float] | None]:
    """(seconds, metres) from each origin to the destination; None where the engine found no route."""
    url = settings.ALE_ROUTING_URL
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("ALE_ROUTING_URL must be http(s)")
    coords = ";".join(f"{lon},{lat}" for lat, lon in [destination, *origins])
    sources = ";".join(str(i) for i in range(1, len(origins) + 1))
    query = urllib.parse.urlencode({"sources": sources, "destinations": "0", "annotations": "duration,distance"})
    timeout = getattr(settings, "ALE_ROUTING_TIMEOUT", 10)
    request = urllib.request.Request(f"{url}/table/v1/{profile}/{coords}?{query}")  # noqa: S310 - http(s) checked
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
        data = json.load(response)
    durations, distances = data.get("durations") or [], data.get("distances") or []
    out = []
    for i in range(len(origins)):
        seconds = durations[i][0] if i < len(durations) else None
        metres = distances[i][0] if i < len(distances) else None
        out.append((seconds, metres) if seconds is not None and metres is not None else None)
    return out


def compute(destination, origins_by_mode: dict[str, list]) -> int:
    """Asks the engine for every (origin → destination) per mode and stores the answers; returns how many."""
    stored = 0
    arrivee = rounded(destination)
    for mode, origins in origins_by_mode.items():
        profile = profiles().get(mode)
        unique = sorted({rounded(o) for o in origins})
        if not profile or not unique:
            continue
        for origin, answer in zip(unique, table(profile, arrivee, unique), strict=True):
            if answer is None:
                continue
            seconds, metres = answer
            Itineraire.objects.update_or_create(
                depart_latitude=origin[0],
                depart_longitude=origin[1],
                arrivee_latitude=arrivee[0],
                arrivee_longitude=arrivee[1],
                mode=mode,
                defaults={"minutes": max(1, round(seconds / 60)), "km": Decimal(str(round(metres / 1000, 2)))},
            )
            stored += 1
    return stored


def packed_stored_to(destination):
    """The stored times to `destination` from the point of the worker of the outer query, packed as one column of
    it (`ale_platform.packed`) for `stored_unpacked`: matching reads them with its workers, no query of their
    own. The rows within half a unit of the 5th decimal of the worker's point are brought (the lookup then keys
    them on `rounded()` in Python, so SQL's rounding never has to agree with Python's); NULL without an engine."""
    if not enabled() or destination is None:
        return Value(None, output_field=TextField())
    lat, lon = rounded(destination)
    rows = Itineraire.objects.filter(
        arrivee_latitude=lat,
        arrivee_longitude=lon,
        depart_latitude__gte=OuterRef("latitude") - HALF,
        depart_latitude__lte=OuterRef("latitude") + HALF,
        depart_longitude__gte=OuterRef("longitude") - HALF,
        depart_longitude__lte=OuterRef("longitude") + HALF,
    )
    return packed(rows, key="arrivee_latitude")


def stored_unpacked(text: str | None) -> dict[tuple, Itineraire]:
    """The stored times by (origin latitude, origin longitude, mode), from the rows `packed_stored_to` brought."""
    return {(r.depart_latitude, r.depart_longitude, r.mode): r for r in unpack(Itineraire, text)}
