"""The "dans un rayon de N minutes à pied" filter, shared by the worker list and the matching page."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import STATUTS_FIABLES
from .travel import WALKING, distance_squared_expression, minutes_to_straight_km


def within_walk(queryset, centre, minutes: float):
    """Records whose trusted point is within `minutes` of walking (the estimate) of `centre`; in SQL."""
    radius = minutes_to_straight_km(minutes, WALKING)
    return (
        queryset.filter(geocodage__in=STATUTS_FIABLES, latitude__isnull=False)
        .alias(_dist2=distance_squared_expression(centre))
        .filter(_dist2__lte=radius * radius)
    )


class MinutesAPiedFilter(django_filters.NumberFilter):
    """A number of minutes; the FilterSet gives the centre (`walking_centre`), None when it is not located."""

    def __init__(self, *, label, **kwargs):
        super().__init__(label=label, min_value=1, max_value=240, method=self.apply, **kwargs)

    def apply(self, queryset, name, value):
        centre = getattr(self.parent, "walking_centre", None)
        if value is None or centre is None:
            return queryset
        return within_walk(queryset, centre, float(value))


def disable_without_centre(filterset, name: str) -> None:
    """With no located centre the filter cannot work: the field says why instead of silently ignoring it."""
    if getattr(filterset, "walking_centre", None) is None:
        field = filterset.form.fields[name]
        field.disabled = True
        # In the label (not a help text): the lists render labels only, and the reason must be read with the field.
        field.label = _("%(label)s (indisponible : point de départ pas encore localisé)") % {"label": field.label}
