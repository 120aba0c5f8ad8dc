"""Admin side of the points: the located records can be filtered on their status and placed by hand."""

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
