from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Adressage, BureauForem, Conseiller, EquipeForem, JetonAPI, ParametresForem


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


@admin.register(EquipeForem)
class EquipeForemAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "bureau"]
    list_filter = ["bureau"]
    filter_horizontal = ["membres"]


@admin.register(ParametresForem)
class ParametresForemAdmin(SimpleHistoryAdmin):
    list_display = ["agence", "delai_premier_contact_jours", "periodicite_retour_jours"]


@admin.register(JetonAPI)
class JetonAPIAdmin(admin.ModelAdmin):
    """Tokens are issued with `JetonAPI.issue` (the raw value is shown once); here they are listed and revoked."""

    list_display = ["nom", "bureau", "prefixe", "created_at", "revoked_at"]
    readonly_fields = ["prefixe", "hashed_token", "created_by", "created_at"]
    list_filter = ["bureau"]

    def has_add_permission(self, request):
        return False
