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


# Who wrote what and when: shown, never edited in the admin.
AUDIT_FIELDS = (
    "created_at",
    "updated_at",
    "created_by",
    "uploaded_at",
    "uploaded_by",
    "validee_le",
    "validee_par",
    "publie_le",
    "par",
    "le",
    "auteur",
)


class AuditReadonlyMixin:
    """Adds the model's audit fields (creation/change dates and authors) to `readonly_fields`."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        names = {f.name for f in self.model._meta.concrete_fields}
        return fields + [name for name in AUDIT_FIELDS if name in names and name not in fields]


class ReadOnlyAdminMixin:
    """Logs and rows written by the apps' services: visible in the admin, never changed there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AgenceScopedAdmin(AuditReadonlyMixin, admin.ModelAdmin):
    """Rows reachable through `agence_field` (a lookup path to Agence) are limited to the user's agencies.

    Foreign keys to another agency-scoped model offer (and accept) only that model's rows of the same agencies.
    """

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
        elif self._scoped(request):
            related_admin = self.admin_site._registry.get(db_field.related_model)
            if isinstance(related_admin, AgenceScopedAdmin):
                kwargs["queryset"] = related_admin.get_queryset(request)
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
