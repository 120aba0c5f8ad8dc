from django.contrib import admin

from ale_platform.admin_site import AgenceScopedAdmin, AuditReadonlyMixin, HistoryAdmin, ReadOnlyAdminMixin
from ale_platform.geo.admin import LocalisationAdminMixin
from ale_platform.models import Role

from .models import (
    Absence,
    ChangementStatut,
    ContratALE,
    Disponibilite,
    Document,
    LectureRemarques,
    PeriodeOrganismePaiement,
    Prestataire,
    RegleEligibilite,
    SituationEligibilite,
)


@admin.register(Prestataire)
class PrestataireAdmin(LocalisationAdminMixin, AgenceScopedAdmin, HistoryAdmin):
    list_display = ["nom", "prenom", "agence", "commune", "statut"]
    list_filter = ["agence", "statut", "langue", "mobilite"]
    search_fields = ["nom", "prenom", "niss", "commune", "code_postal"]
    list_select_related = ["agence"]
    raw_id_fields = ["compte"]
    account_roles = {"compte": Role.PRESTATAIRE}
    exclude = ["remarques_sensibles"]  # readable by the agency's collaborators only, through the logged view


@admin.register(RegleEligibilite)
class RegleEligibiliteAdmin(AuditReadonlyMixin, HistoryAdmin):
    """The eligibility rules are data: a new legal basis or an end date is added here, not in code (superuser)."""

    list_display = ["base", "libelle", "en_vigueur_du", "en_vigueur_au", "duree_mois", "age_min", "age_max"]
    list_filter = ["base"]
    search_fields = ["libelle"]


@admin.register(SituationEligibilite)
class SituationEligibiliteAdmin(AgenceScopedAdmin, HistoryAdmin):
    agence_field = "prestataire__agence"
    list_display = ["prestataire", "base", "depuis", "jusqu_au", "date_preuve"]
    list_filter = ["base"]
    search_fields = ["prestataire__nom", "prestataire__prenom"]
    raw_id_fields = ["prestataire"]


@admin.register(PeriodeOrganismePaiement)
class PeriodeOrganismePaiementAdmin(AgenceScopedAdmin, HistoryAdmin):
    """Who paid the worker from which date: a past month's documents name the body of that month."""

    agence_field = "prestataire__agence"
    list_display = ["prestataire", "organisme", "cpas", "depuis"]
    list_filter = ["organisme"]
    search_fields = ["prestataire__nom", "prestataire__prenom"]
    raw_id_fields = ["prestataire"]


@admin.register(ContratALE)
class ContratALEAdmin(AgenceScopedAdmin, HistoryAdmin):
    agence_field = "prestataire__agence"
    list_display = ["prestataire", "date_debut", "date_signature", "date_fin"]
    list_filter = ["prestataire__agence"]
    search_fields = ["prestataire__nom", "prestataire__prenom"]
    raw_id_fields = ["prestataire"]


@admin.register(Absence)
class AbsenceAdmin(AgenceScopedAdmin, HistoryAdmin):
    agence_field = "prestataire__agence"
    list_display = ["prestataire", "debut", "fin", "motif"]
    date_hierarchy = "debut"
    search_fields = ["prestataire__nom", "prestataire__prenom"]
    raw_id_fields = ["prestataire"]


@admin.register(Disponibilite)
class DisponibiliteAdmin(AgenceScopedAdmin):
    agence_field = "prestataire__agence"
    list_display = ["prestataire", "jour", "demi_journee"]
    list_filter = ["jour", "demi_journee"]
    search_fields = ["prestataire__nom", "prestataire__prenom"]
    raw_id_fields = ["prestataire"]


@admin.register(Document)
class DocumentAdmin(AgenceScopedAdmin, HistoryAdmin):
    agence_field = "prestataire__agence"
    list_display = ["titre", "prestataire", "type", "visible_prestataire", "uploaded_at"]
    list_filter = ["type", "visible_prestataire"]
    search_fields = ["titre", "prestataire__nom", "prestataire__prenom"]
    raw_id_fields = ["prestataire"]


@admin.register(ChangementStatut)
class ChangementStatutAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    agence_field = "prestataire__agence"
    list_display = ["prestataire", "de", "vers", "date", "par"]
    list_filter = ["vers"]
    search_fields = ["prestataire__nom", "prestataire__prenom"]
    raw_id_fields = ["prestataire"]


@admin.register(LectureRemarques)
class LectureRemarquesAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    """Who read the confidential remarks, and when (the remarks themselves never appear in the admin)."""

    agence_field = "prestataire__agence"
    list_display = ["prestataire", "user", "at"]
    search_fields = ["prestataire__nom", "user__email"]
