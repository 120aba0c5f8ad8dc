from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.sites.models import Site
from django.utils.translation import gettext_lazy as _

from .admin_site import AgenceScopedAdmin, AuditReadonlyMixin, HistoryAdmin, ReadOnlyAdminMixin, is_agency_admin
from .extensions import agency_price_problems
from .geo.admin import LocalisationAdminMixin
from .models import (
    Activite,
    Agence,
    AgenceMembership,
    NotificationEnAttente,
    PreferenceNotification,
    Role,
    ServicePublicEmploi,
    User,
)

# The platform's name and domain come from the settings (ale_platform.sites), not from an admin edit.
if admin.site.is_registered(Site):
    admin.site.unregister(Site)


class AuthenticatorTypeLabelAdmin(AuthenticatorAdmin):
    """allauth's list of authenticators, its `type` column labelled through our catalogues (allauth's field has no
    verbose_name: the column showed "Type" in every language)."""

    list_display = ("user", "type_label", "created_at", "last_used_at")

    @admin.display(description=_("type"), ordering="type")
    def type_label(self, obj):
        return obj.get_type_display()


if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)
admin.site.register(Authenticator, AuthenticatorTypeLabelAdmin)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "role", "langue"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = AgenceMembership
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(role=Role.COLLABORATEUR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or is_agency_admin(request.user)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class AgenceAdminForm(forms.ModelForm):
    """The voucher prices never below the law of the agency's region (`agency_price_problems`, the rule book's)."""

    class Meta:
        model = Agence
        fields = "__all__"  # noqa: DJ007 — the admin's own field list decides

    def _post_clean(self):
        super()._post_clean()
        for name, problem in agency_price_problems(self.instance).items():
            self.add_error(name if name in self.fields else None, problem)


@admin.register(Agence)
class AgenceAdmin(LocalisationAdminMixin, AgenceScopedAdmin, HistoryAdmin):
    """Agency settings (voucher price, fee, caps) and members: the superuser for all, agency admins for theirs."""

    form = AgenceAdminForm
    agence_field = ""
    readonly_fields_for_agency_admins = ["bce"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else self.readonly_fields_for_agency_admins

    list_display = ["nom", "commune", "bce", "prix_cheque", "prix_cheque_agricole", "cotisation_annuelle"]
    search_fields = ["nom", "commune", "bce"]
    inlines = [MembershipInline]


@admin.register(Activite)
class ActiviteAdmin(AgenceScopedAdmin, HistoryAdmin):
    list_display = ["nom", "agence", "categorie", "active"]
    list_filter = ["agence", "categorie", "active"]
    search_fields = ["nom"]


@admin.register(AgenceMembership)
class AgenceMembershipAdmin(AgenceScopedAdmin, HistoryAdmin):
    list_display = ["user", "agence", "is_admin"]
    list_filter = ["agence", "is_admin"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "agence"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(role=Role.COLLABORATEUR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PreferenceNotification)
class PreferenceNotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each user sets their own on their preferences page; listed here for the superuser."""

    list_display = ["user", "kind", "mode"]
    list_filter = ["kind", "mode"]
    search_fields = ["user__email"]


@admin.register(NotificationEnAttente)
class NotificationEnAttenteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["user__email"]


@admin.register(ServicePublicEmploi)
class ServicePublicEmploiAdmin(AuditReadonlyMixin, HistoryAdmin):
    """The public employment service of each region (superuser): the name screens and e-mails cite, its site."""

    list_display = ["nom_court", "region", "nom", "site"]
