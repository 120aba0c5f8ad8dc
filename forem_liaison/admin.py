from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Adressage, BureauForem, Conseiller


@admin.register(BureauForem)
class BureauForemAdmin(admin.ModelAdmin):
    list_display = ["nom", "commune"]
    search_fields = ["nom", "commune"]


@admin.register(Conseiller)
class ConseillerAdmin(SimpleHistoryAdmin):
    list_display = ["user", "bureau"]
    list_select_related = ["user", "bureau"]
    raw_id_fields = ["user"]


@admin.register(Adressage)
class AdressageAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "prenom", "agence", "conseiller", "date_adressage", "etat"]
    list_filter = ["agence", "etat"]
    search_fields = ["nom", "prenom", "niss"]
    list_select_related = ["agence", "conseiller__user"]
    date_hierarchy = "date_adressage"
