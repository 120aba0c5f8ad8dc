from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Prestataire


@admin.register(Prestataire)
class PrestataireAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "prenom", "agence", "commune", "statut"]
    list_filter = ["agence", "statut"]
    search_fields = ["nom", "prenom", "niss"]
    list_select_related = ["agence"]
    raw_id_fields = ["compte"]
