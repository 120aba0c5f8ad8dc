from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Utilisateur


@admin.register(Utilisateur)
class UtilisateurAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "prenom", "type", "agence", "commune"]
    list_filter = ["agence", "type"]
    search_fields = ["nom", "prenom", "email"]
    list_select_related = ["agence"]
    raw_id_fields = ["compte"]
