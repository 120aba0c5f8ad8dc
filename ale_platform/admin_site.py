"""The Django admin for the platform superuser and, scoped to their agencies, for agency admins.

An agency admin (AgenceMembership.is_admin) may enter the admin without being `is_staff`; every ModelAdmin that
inherits `AgenceScopedAdmin` shows and edits only the rows of the agencies they administer.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Agence, Role


def administered_agences(user):
    return Agence.objects.administered_by(user)


def is_agency_admin(user) -> bool:
    return bool(
        user.is_active
        and user.is_authenticated
        and user.is_collaborateur
        and user.memberships.filter(is_admin=True).exists()
    )


# Where an account of each role meets an agency: its membership, its worker file, its client file.
ACCOUNT_AGENCY = {
    Role.COLLABORATEUR: "memberships",
    Role.PRESTATAIRE: "prestataire",
    Role.CLIENT: "utilisateur",
}


def linkable_accounts(user, role):
    """Accounts of `role` an agency admin may link to a row: not yet linked to any agency, or linked within the
    agencies they administer; never a superuser, never an account of another role."""
    link = ACCOUNT_AGENCY[role]
    return (
        get_user_model()
        .objects.filter(role=role, is_superuser=False)
        .filter(Q(**{f"{link}__isnull": True}) | Q(**{f"{link}__agence__in": administered_agences(user)}))
        .distinct()
    )


class ALEAdminSite(admin.AdminSite):
    site_header = _("ALE Platform — administration")
    site_title = _("ALE Platform")
    index_title = _("Administration")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and (user.is_superuser or is_agency_admin(user)))

    def login(self, request, extra_context=None):
        """One log-in for everyone: allauth's, which asks for the second factor. The admin never checks a password."""
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, reverse("account_login"))
        if not self.has_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(next_url)


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


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's pages as a read-only audit trail.

    The history of an object is shown only to whoever may view the object itself (through the admin's own,
    possibly scoped, queryset; a deleted object's history is the superuser's). Reverting is refused: a past
    version written back would skip the services' checks (caps, voucher rules, state machines).
    """

    def _visible_object(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            if not request.user.is_superuser:
                raise Http404
            return None
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._visible_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_object(request, object_id)
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history calls select_related() without names for a model with no foreign key (deprecated).
        names = ["history_user", *(f.name for f in history_manager.model.tracked_fields if isinstance(f, ForeignKey))]
        return history_manager.filter(**{pk_name: object_id}).select_related(*names)


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

    # The role of the account each foreign key to User links (e.g. {"compte": Role.PRESTATAIRE}); any other foreign
    # key to User names a collaborator of the agency.
    account_roles: dict = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self._scoped(request) and db_field.related_model is Agence:
            kwargs["queryset"] = administered_agences(request.user)
        elif self._scoped(request) and db_field.related_model is get_user_model():
            role = self.account_roles.get(db_field.name, Role.COLLABORATEUR)
            kwargs["queryset"] = linkable_accounts(request.user, role)
        elif self._scoped(request):
            related_admin = self.admin_site._registry.get(db_field.related_model)
            if isinstance(related_admin, AgenceScopedAdmin):
                kwargs["queryset"] = related_admin.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _agency_admin(self, request) -> bool:
        return request.user.is_superuser or is_agency_admin(request.user)

    def _in_scope(self, request, obj) -> bool:
        """`obj` (possibly a past version's instance) is one of the rows this user's queryset holds."""
        if obj is None or not self._scoped(request):
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            from ale_platform.privacy.access_log import log_admin_read  # the privacy app sits on the core

            log_admin_read(request, self.model, object_id)  # a person's file read in the admin (docs/privacy.md)
        return response

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another agency's object answers as a missing one: 404, without telling whether it exists.
        raise Http404

    def has_module_permission(self, request):
        return self._agency_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._agency_admin(request) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._agency_admin(request) and self._in_scope(request, obj)

    def has_add_permission(self, request):
        return self._agency_admin(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
