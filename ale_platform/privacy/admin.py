from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ale_platform.admin_site import AgenceScopedAdmin

from .models import ParametresConfidentialite


@admin.register(ParametresConfidentialite)
class ParametresConfidentialiteAdmin(AgenceScopedAdmin, SimpleHistoryAdmin):
    list_display = ["agence", "retention_mois"]
