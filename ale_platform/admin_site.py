"""The Django admin for the platform superuser and, scoped to their agencies, for agency admins.

An agency admin (AgenceMembership.is_admin) may enter the admin without being `is_staff`; every ModelAdmin that
inherits `AgenceScopedAdmin` shows and edits only the rows of the agencies they administer.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Agence


def administered_agences(user):
    return Agence.objects.administered_by(user)


def is_agency_admin(user) -> bool:
    return bool(
        user.is_active
        and user.is_authenticated
        and user.is_collaborateur
        and user.memberships.filter(is_admin=True).exists()
    )


class ALEAdminSite(admin.AdminSite):
    site_header = _("ALE Platform — administration")
    site_title = _("ALE Platform")
    index_title = _("Administration")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and (user.is_superuser or is_agency_admin(user)))


class AgenceScopedAdmin(admin.ModelAdmin):
    """Rows reachable through `agence_field` (a lookup path to Agence) are limited to the user's agencies."""

    agence_field = "agence"

    def _scoped(self, request) -> bool:
        return not request.user.is_superuser

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self._scoped(request):
            lookup = "pk" if self.agence_field == "" else f"{self.agence_field}__in"
            if self.agence_field == "":
                return qs.filter(pk__in=administered_agences(request.user))
            return qs.filter(**{lookup: administered_agences(request.user)}).distinct()
        return qs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self._scoped(request) and db_field.related_model is Agence:
            kwargs["queryset"] = administered_agences(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _agency_admin(self, request) -> bool:
        return request.user.is_superuser or is_agency_admin(request.user)

    def has_module_permission(self, request):
        return self._agency_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._agency_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._agency_admin(request)

    def has_add_permission(self, request):
        return self._agency_admin(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
