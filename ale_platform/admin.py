from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Activite, Agence, AgenceMembership, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "role"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = AgenceMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agence)
class AgenceAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "commune", "bce", "prix_cheque", "cotisation_annuelle"]
    search_fields = ["nom", "commune", "bce"]
    inlines = [MembershipInline]


@admin.register(Activite)
class ActiviteAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "agence", "categorie", "active"]
    list_filter = ["agence", "categorie", "active"]
    search_fields = ["nom"]
