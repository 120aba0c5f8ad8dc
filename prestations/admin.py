from django.contrib import admin

from ale_platform.admin_site import AgenceScopedAdmin, AuditReadonlyMixin, HistoryAdmin, ReadOnlyAdminMixin

from .forms import RegleFraisDeplacementAdminForm
from .models import (
    Affectation,
    BilanMensuel,
    ChequeALE,
    Fermeture,
    GenerationFormulaires,
    JetonCalendrier,
    LienConfirmation,
    Prestation,
    RegleFraisDeplacement,
    RegleLegale,
    TransitionCheque,
    TransitionPrestation,
)


@admin.register(RegleLegale)
class RegleLegaleAdmin(AuditReadonlyMixin, HistoryAdmin):
    """The law of each region with its effective dates (superuser): a new cap or rate is a new row, not code."""

    # The source in the list: a row the demo recorded says "Démonstration" there (decision 65).
    list_display = [
        "region",
        "en_vigueur_du",
        "plafond_mensuel",
        "plafond_mensuel_majore",
        "indemnite_par_cheque",
        "source",
    ]
    list_filter = ["region"]


@admin.register(Prestation)
class PrestationAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin, HistoryAdmin):
    """Read only: hours are written through prestations.services (caps under a row lock)."""

    list_display = ["date", "debut", "fin", "prestataire", "utilisateur", "activite", "heures", "statut"]
    list_filter = ["agence", "statut", "activite__categorie"]
    search_fields = ["prestataire__nom", "prestataire__prenom", "utilisateur__nom", "utilisateur__prenom"]
    list_select_related = ["prestataire", "utilisateur", "activite"]
    date_hierarchy = "date"


class TransitionInline(admin.TabularInline):
    model = TransitionCheque
    extra = 0
    can_delete = False
    readonly_fields = ["de", "vers", "motif", "par", "le"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ChequeALE)
class ChequeALEAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin, HistoryAdmin):
    """Read only: the register is kept through prestations.services (one use per number, state machine)."""

    list_display = ["numero", "type", "utilisateur", "valeur", "statut", "prestation"]
    list_filter = ["agence", "type", "statut"]
    search_fields = ["numero", "utilisateur__nom"]
    list_select_related = ["utilisateur", "prestation"]
    inlines = [TransitionInline]


@admin.register(TransitionCheque)
class TransitionChequeAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    agence_field = "cheque__agence"
    list_display = ["cheque", "de", "vers", "motif", "par", "le"]
    list_filter = ["vers"]
    search_fields = ["cheque__numero"]


@admin.register(TransitionPrestation)
class TransitionPrestationAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    agence_field = "prestation__agence"
    list_display = ["prestation", "de", "vers", "au_nom_de", "motif", "par", "le"]
    list_filter = ["vers", "au_nom_de"]
    list_select_related = ["prestation__prestataire", "prestation__utilisateur", "par"]


@admin.register(GenerationFormulaires)
class GenerationFormulairesAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    list_display = ["agence", "mois", "statut", "faits", "total", "created_at"]
    list_filter = ["agence", "statut"]


@admin.register(JetonCalendrier)
class JetonCalendrierAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    """Which workers have a calendar address (the token itself stays secret)."""

    agence_field = "prestataire__agence"
    list_display = ["prestataire", "created_at"]
    search_fields = ["prestataire__nom", "prestataire__prenom"]
    exclude = ["jeton"]


@admin.register(LienConfirmation)
class LienConfirmationAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    """Which no-login links were sent to a client, until when, and whether they were used (the token stays secret:
    only its hash is stored, and not shown)."""

    agence_field = "utilisateur__agence"
    list_display = ["utilisateur", "cree_le", "expire_le", "utilise_le"]
    list_select_related = ["utilisateur"]
    search_fields = ["utilisateur__nom"]
    exclude = ["jeton_hash", "empreintes"]


@admin.register(Affectation)
class AffectationAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin, HistoryAdmin):
    """Assignments are written by the matching services (assign, decline): read-only here."""

    agence_field = "demande__agence"
    list_display = ["demande", "prestataire", "statut", "declinee_le", "created_at"]
    list_filter = ["statut"]
    search_fields = ["prestataire__nom", "prestataire__prenom", "demande__utilisateur__nom"]
    list_select_related = ["demande__utilisateur", "demande__activite", "prestataire"]


@admin.register(Fermeture)
class FermetureAdmin(AgenceScopedAdmin, HistoryAdmin):
    """A client's closures (school holidays of a school, a farm's closed weeks): skipped when planning."""

    agence_field = "utilisateur__agence"
    list_display = ["utilisateur", "debut", "fin", "motif"]
    search_fields = ["utilisateur__nom", "motif"]
    list_select_related = ["utilisateur"]
    raw_id_fields = ["utilisateur"]


@admin.register(BilanMensuel)
class BilanMensuelAdmin(ReadOnlyAdminMixin, AgenceScopedAdmin):
    """Derived from the prestations (prestations.bilans): shown for checking, rebuilt with `manage.py bilans`."""

    list_display = ["agence", "mois", "heures_generale", "heures_majoree", "heures_agricole", "prestataires"]
    list_filter = ["agence"]
    date_hierarchy = "mois"


@admin.register(RegleFraisDeplacement)
class RegleFraisDeplacementAdmin(AgenceScopedAdmin, HistoryAdmin):
    """The travel-cost rules with their effective dates: the law's (superuser) and each agency's own."""

    form = RegleFraisDeplacementAdminForm
    list_display = ["en_vigueur_du", "agence", "seuil_km", "taux_km", "a_charge_de"]
    list_filter = ["agence", "a_charge_de"]
    date_hierarchy = "en_vigueur_du"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agence" and self._scoped(request):
            kwargs["required"] = True  # only the superuser writes the law's minimum
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
