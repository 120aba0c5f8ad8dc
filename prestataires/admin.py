from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChangementStatut, ContratALE, Prestataire, RegleEligibilite, SituationEligibilite


@admin.register(Prestataire)
class PrestataireAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "prenom", "agence", "commune", "statut"]
    list_filter = ["agence", "statut"]
    search_fields = ["nom", "prenom", "niss"]
    list_select_related = ["agence"]
    raw_id_fields = ["compte"]
    exclude = ["remarques_sensibles"]  # readable by the agency's collaborators only, through the logged view


@admin.register(RegleEligibilite)
class RegleEligibiliteAdmin(SimpleHistoryAdmin):
    """The eligibility rules are data: a new legal basis or an end date is added here, not in code."""

    list_display = ["base", "libelle", "en_vigueur_du", "en_vigueur_au", "duree_mois", "age_min", "age_max"]
    list_filter = ["base"]


@admin.register(SituationEligibilite)
class SituationEligibiliteAdmin(SimpleHistoryAdmin):
    list_display = ["prestataire", "base", "depuis", "date_preuve"]
    raw_id_fields = ["prestataire"]


@admin.register(ContratALE)
class ContratALEAdmin(SimpleHistoryAdmin):
    list_display = ["prestataire", "date_debut", "date_signature", "date_fin"]
    raw_id_fields = ["prestataire"]


@admin.register(ChangementStatut)
class ChangementStatutAdmin(admin.ModelAdmin):
    list_display = ["prestataire", "ancien", "nouveau", "date", "par"]
    raw_id_fields = ["prestataire"]

    def has_change_permission(self, request, obj=None):
        return False
