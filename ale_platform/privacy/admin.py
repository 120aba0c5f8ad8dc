from django.contrib import admin

from ale_platform.admin_site import AgenceScopedAdmin, HistoryAdmin

from .models import ParametresConfidentialite


@admin.register(ParametresConfidentialite)
class ParametresConfidentialiteAdmin(AgenceScopedAdmin, HistoryAdmin):
    list_display = ["agence", "retention_mois"]
