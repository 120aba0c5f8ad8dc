from django.contrib import admin

from ale_platform.admin_site import AgenceScopedAdmin, AuditReadonlyMixin, HistoryAdmin, ReadOnlyAdminMixin
from ale_platform.geo.admin import LocalisationAdminMixin
from ale_platform.models import Role

from .models import (
    Autorisation,
    ChangementStatut,
    CongeScolaire,
    Contact,
    Creneau,
    Demande,
    Inscription,
    Invitation,
    ParametresUtilisateurs,
    Site,
    Utilisateur,
)


@admin.register(Utilisateur)
class UtilisateurAdmin(LocalisationAdminMixin, AgenceScopedAdmin, HistoryAdmin):
    list_display = ["nom", "prenom", "type", "agence", "commune"]
    list_filter = ["agence", "type"]
    search_fields = ["nom", "prenom", "email", "commune", "niss", "bce"]
    list_select_related = ["agence"]
    raw_id_fields = ["compte"]
    account_roles = {"compte": Role.CLIENT}


class ClientPartAdmin(AgenceScopedAdmin, HistoryAdmin):
    agence_field = "utilisateur__agence"
    raw_id_fields = ["utilisateur"]
    search_fields = ["utilisateur__nom", "utilisateur__prenom"]
    list_select_related = ["utilisateur"]


@admin.register(Site)
class SiteAdmin(LocalisationAdminMixin, ClientPartAdmin):
    list_display = ["nom", "utilisateur", "commune"]
    search_fields = [*ClientPartAdmin.search_fields, "nom", "commune"]


@admin.register(Contact)
class ContactAdmin(ClientPartAdmin):
    list_display = ["nom", "prenom", "fonction", "utilisateur"]
    search_fields = [*ClientPartAdmin.search_fields, "nom", "prenom"]


@admin.register(Inscription)
class InscriptionAdmin(ClientPartAdmin):
    list_display = ["utilisateur", "annee", "cotisation", "payee_le", "validee"]
    list_filter = ["annee", "validee"]


@admin.register(Autorisation)
class AutorisationAdmin(ClientPartAdmin):
    list_display = ["numero", "utilisateur", "activite", "debut", "fin"]
    list_filter = ["activite__categorie"]
    search_fields = [*ClientPartAdmin.search_fields, "numero"]
    date_hierarchy = "fin"


@admin.register(Demande)
class DemandeAdmin(AgenceScopedAdmin, HistoryAdmin):
    list_display = ["utilisateur", "activite", "statut", "created_at"]
    list_filter = ["agence", "statut", "recurrente"]
    search_fields = ["utilisateur__nom", "utilisateur__prenom", "description"]
    raw_id_fields = ["utilisateur", "site", "created_by"]
    list_select_related = ["utilisateur", "activite"]


@admin.register(Creneau)
class CreneauAdmin(AgenceScopedAdmin, HistoryAdmin):
    agence_field = "demande__agence"
    list_display = ["demande", "date", "debut", "fin", "annule"]
    list_filter = ["annule"]
    date_hierarchy = "date"
    raw_id_fields = ["demande"]


@admin.register(ChangementStatut)
class ChangementStatutDemandeAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    agence_field = "demande__agence"
    list_display = ["demande", "de", "vers", "le", "par"]
    list_filter = ["vers"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    agence_field = "utilisateur__agence"
    list_display = ["email", "utilisateur", "created_at", "expire_le", "utilisee_le"]
    search_fields = ["email", "utilisateur__nom"]
    exclude = ["token"]


@admin.register(ParametresUtilisateurs)
class ParametresAdmin(AgenceScopedAdmin, HistoryAdmin):
    list_display = ["agence", "delai_annulation_heures"]

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(CongeScolaire)
class CongeScolaireAdmin(AuditReadonlyMixin, admin.ModelAdmin):
    """School holidays of the Wallonia-Brussels Federation (shared by every agency: superuser)."""

    list_display = ["nom", "debut", "fin"]
    search_fields = ["nom"]
