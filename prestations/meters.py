"""Hour meters of workers: kept as the entry point screens import; the rule itself is `prestations.rulebook`."""

from .rulebook.caps import NEAR_CAP_RATIO, HourMeters, Meter, hour_meters
from .rulebook.law import SEUIL_EVALUATION_FOREM

__all__ = ["NEAR_CAP_RATIO", "SEUIL_EVALUATION_FOREM", "HourMeters", "Meter", "hour_meters"]
