from django.contrib import admin

from ale_platform.admin_site import AgenceScopedAdmin, AuditReadonlyMixin, HistoryAdmin, ReadOnlyAdminMixin

from .models import (
    Adressage,
    BureauForem,
    Conseiller,
    EquipeForem,
    JetonAPI,
    ParametresForem,
    ReponseRetour,
    RetourAdressage,
    TransitionAdressage,
)

# The Forem side (offices, advisers, teams, API tokens) is the platform superuser's: agency admins do not see it.


@admin.register(BureauForem)
class BureauForemAdmin(admin.ModelAdmin):
    list_display = ["nom", "service", "commune"]
    list_filter = ["service"]
    search_fields = ["nom", "commune"]


@admin.register(Conseiller)
class ConseillerAdmin(HistoryAdmin):
    list_display = ["user", "bureau"]
    list_filter = ["bureau"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "bureau"]
    raw_id_fields = ["user"]


@admin.register(EquipeForem)
class EquipeForemAdmin(HistoryAdmin):
    list_display = ["nom", "bureau"]
    list_filter = ["bureau"]
    search_fields = ["nom"]
    filter_horizontal = ["membres"]


@admin.register(JetonAPI)
class JetonAPIAdmin(AuditReadonlyMixin, admin.ModelAdmin):
    """Tokens are issued with `JetonAPI.issue` (the raw value is shown once); here they are listed and revoked."""

    list_display = ["nom", "bureau", "prefixe", "created_at", "revoked_at"]
    readonly_fields = ["prefixe", "hashed_token", "created_by", "created_at"]
    list_filter = ["bureau"]
    search_fields = ["nom", "prefixe"]

    def has_add_permission(self, request):
        return False


# The agency side: scoped to the agencies an agency admin administers.


@admin.register(Adressage)
class AdressageAdmin(AgenceScopedAdmin, HistoryAdmin):
    list_display = ["nom", "prenom", "agence", "conseiller", "date_adressage", "etat"]
    list_filter = ["agence", "etat", "bureau"]
    search_fields = ["nom", "prenom", "niss", "numero_dossier_forem"]
    list_select_related = ["agence", "conseiller__user"]
    raw_id_fields = ["conseiller", "prestataire", "equipe"]
    date_hierarchy = "date_adressage"


@admin.register(TransitionAdressage)
class TransitionAdressageAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    agence_field = "adressage__agence"
    list_display = ["adressage", "de", "vers", "par", "le"]
    list_filter = ["vers"]
    search_fields = ["adressage__nom", "adressage__prenom"]


@admin.register(RetourAdressage)
class RetourAdressageAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    """Published entries are immutable (a correction is a new entry, written through the app)."""

    agence_field = "adressage__agence"
    list_display = ["adressage", "periode_debut", "periode_fin", "statut", "publie_le"]
    list_filter = ["statut"]
    search_fields = ["adressage__nom", "adressage__prenom"]


@admin.register(ReponseRetour)
class ReponseRetourAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    agence_field = "retour__adressage__agence"
    list_display = ["retour", "auteur", "created_at"]
    search_fields = ["retour__adressage__nom", "texte"]


@admin.register(ParametresForem)
class ParametresForemAdmin(AgenceScopedAdmin, HistoryAdmin):
    list_display = ["agence", "delai_premier_contact_jours", "periodicite_retour_jours"]

    def has_add_permission(self, request):
        return request.user.is_superuser
