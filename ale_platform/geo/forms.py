"""Staff place a point by hand when the geocoder could not (or placed it wrong): latitude and longitude fields."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import place_by_hand

LAT_HELP = _("Par ex. 50,561234. À remplir si la localisation automatique a échoué ou est fausse.")


class PointFormMixin(forms.ModelForm):
    """Adds `latitude_manuelle` / `longitude_manuelle`; both typed and changed = a point placed by hand."""

    latitude_manuelle = forms.DecimalField(
        label=_("Latitude (placement manuel)"),
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        decimal_places=6,
        localize=True,
        help_text=LAT_HELP,
    )
    longitude_manuelle = forms.DecimalField(
        label=_("Longitude (placement manuel)"),
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        decimal_places=6,
        localize=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("latitude_manuelle", self.instance.latitude)
        self.initial.setdefault("longitude_manuelle", self.instance.longitude)

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude_manuelle"), data.get("longitude_manuelle")
        if (lat is None) != (lon is None) and not self.has_error("latitude_manuelle"):
            missing = "longitude_manuelle" if lon is None else "latitude_manuelle"
            self.add_error(missing, _("Indiquez la latitude et la longitude, ou aucune des deux."))
        return data

    def _post_clean(self):
        super()._post_clean()
        lat, lon = self.cleaned_data.get("latitude_manuelle"), self.cleaned_data.get("longitude_manuelle")
        if lat is None or lon is None:
            return
        # Typing other values places the point; re-sending an ambiguous suggestion unchanged confirms it.
        if (lat, lon) != (self.instance.latitude, self.instance.longitude) or self.instance.a_verifier:
            place_by_hand(self.instance, lat, lon)
