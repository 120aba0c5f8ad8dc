from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Autorisation,
    CongeScolaire,
    Contact,
    Demande,
    Inscription,
    ParametresUtilisateurs,
    Site,
    Utilisateur,
)


@admin.register(Utilisateur)
class UtilisateurAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "prenom", "type", "agence", "commune"]
    list_filter = ["agence", "type"]
    search_fields = ["nom", "prenom", "email"]
    list_select_related = ["agence"]
    raw_id_fields = ["compte"]


@admin.register(Site, Contact, Inscription, Autorisation)
class ClientPartAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["utilisateur"]


@admin.register(Demande)
class DemandeAdmin(SimpleHistoryAdmin):
    list_display = ["utilisateur", "activite", "statut", "created_at"]
    list_filter = ["agence", "statut"]
    raw_id_fields = ["utilisateur", "site", "created_by"]


@admin.register(ParametresUtilisateurs)
class ParametresAdmin(SimpleHistoryAdmin):
    list_display = ["agence", "delai_annulation_heures"]


@admin.register(CongeScolaire)
class CongeScolaireAdmin(admin.ModelAdmin):
    list_display = ["nom", "debut", "fin"]
