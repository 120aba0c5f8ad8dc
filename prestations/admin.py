from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChequeALE, GenerationFormulaires, Prestation, TauxIndemnite, TransitionCheque


@admin.register(TauxIndemnite)
class TauxIndemniteAdmin(admin.ModelAdmin):
    """The hourly allowance with its effective dates (general, or one agency's)."""

    list_display = ["valid_from", "montant", "agence"]
    list_filter = ["agence"]


@admin.register(Prestation)
class PrestationAdmin(SimpleHistoryAdmin):
    """Read only: hours are written through prestations.services (caps under a row lock)."""

    list_display = ["date", "debut", "fin", "prestataire", "utilisateur", "activite", "heures", "statut"]
    list_filter = ["agence", "statut"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = TransitionCheque
    extra = 0
    can_delete = False
    readonly_fields = ["de", "vers", "motif", "par", "le"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ChequeALE)
class ChequeALEAdmin(SimpleHistoryAdmin):
    list_display = ["numero", "type", "utilisateur", "valeur", "statut", "prestation"]
    list_filter = ["agence", "type", "statut"]
    search_fields = ["numero"]
    inlines = [TransitionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GenerationFormulaires)
class GenerationFormulairesAdmin(admin.ModelAdmin):
    list_display = ["agence", "mois", "statut", "faits", "total", "created_at"]
