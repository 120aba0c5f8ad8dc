"""Admin side of the points: the located records can be filtered on their status and placed by hand."""

from django.contrib import admin

from .models import AdresseConnue, Itineraire
from .services import place_by_hand


class LocalisationAdminMixin:
    """Filter "localisation" (introuvable, ambiguë…), and latitude/longitude typed in the admin = placed by hand."""

    readonly_localisation = ["geocodage", "geocodage_note"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "geocodage"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.readonly_localisation]

    def save_model(self, request, obj, form, change):
        if {"latitude", "longitude"} & set(form.changed_data) and obj.latitude is not None:
            place_by_hand(obj, obj.latitude, obj.longitude)
        super().save_model(request, obj, form, change)


@admin.register(AdresseConnue)
class AdresseConnueAdmin(admin.ModelAdmin):
    """Seeded points and the geocoder's cache: addresses of every agency, for the superuser only."""

    list_display = ["adresse", "latitude", "longitude", "source", "mise_a_jour"]
    list_filter = ["source"]
    search_fields = ["adresse"]


@admin.register(Itineraire)
class ItineraireAdmin(admin.ModelAdmin):
    """The routing engine's stored times (superuser only); deleting rows makes them computed again."""

    list_display = ["mode", "minutes", "km", "calcule_le"]
    list_filter = ["mode"]
