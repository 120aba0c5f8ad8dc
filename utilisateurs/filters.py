import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ale_platform.models import Activite, TypeUtilisateur
from ale_platform.search import text_search

from .models import Autorisation, Demande, StatutDemande, Utilisateur


class UtilisateurFilter(django_filters.FilterSet):
    """Staff list of clients; `inscription` and `expirant` look at today (this year's registration, 30 days)."""

    recherche = django_filters.CharFilter(label=_("Nom, e-mail, NISS ou BCE"), method="filter_recherche")
    type = django_filters.ChoiceFilter(label=_("Type"), choices=TypeUtilisateur.choices, empty_label=_("Tous"))
    commune = django_filters.CharFilter(label=_("Commune"), method="filter_commune")
    inscription = django_filters.ChoiceFilter(
        label=_("Inscription de l'année"),
        choices=[("en_ordre", _("En ordre")), ("en_attente", _("À valider")), ("expiree", _("Absente / expirée"))],
        empty_label=_("Toutes"),
        method="filter_inscription",
    )
    activite = django_filters.ModelChoiceFilter(
        label=_("Autorisé·e pour"), queryset=Activite.objects.none(), method="filter_activite", empty_label=_("Toutes")
    )
    expirant = django_filters.BooleanFilter(
        label=_("Autorisation expirant dans 30 jours"),
        method="filter_expirant",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Utilisateur
        fields = ["recherche", "type", "commune", "inscription", "activite", "expirant"]

    def __init__(self, *args, agence, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.filters["activite"].queryset = Activite.objects.filter(agence=agence)
        self.filters["expirant"].field.widget.choices = [
            ("", _("Peu importe")),
            ("true", _("Oui")),
            ("false", _("Non")),
        ]

    def filter_recherche(self, queryset, name, value):
        return text_search(queryset, value, ["nom", "prenom", "email"], identifiers=("niss", "bce"))

    def filter_commune(self, queryset, name, value):
        return text_search(queryset, value, ["commune"])

    def filter_inscription(self, queryset, name, value):
        if value == "en_ordre":
            return queryset.filter(inscrit=True)
        if value == "en_attente":
            return queryset.filter(inscription_en_attente=True)
        if value == "expiree":
            return queryset.filter(inscrit=False, inscription_en_attente=False)
        return queryset

    def filter_activite(self, queryset, name, value):
        valid = Autorisation.objects.filter(activite=value).valid_on(self.today)
        return queryset.filter(pk__in=valid.values("utilisateur_id"))

    def filter_expirant(self, queryset, name, value):
        expiring = Autorisation.objects.expiring(self.today, 30).values("utilisateur_id")
        return queryset.filter(pk__in=expiring) if value else queryset.exclude(pk__in=expiring)


class DemandeFilter(django_filters.FilterSet):
    statut = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=[("attente", _("En attente d'un·e prestataire")), *StatutDemande.choices],
        empty_label=_("Tous"),
        method="filter_statut",
    )
    activite = django_filters.ModelChoiceFilter(label=_("Activité"), queryset=Activite.objects.none())

    class Meta:
        model = Demande
        fields = ["statut", "activite"]

    def __init__(self, *args, agence, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["activite"].queryset = Activite.objects.filter(agence=agence)

    def filter_statut(self, queryset, name, value):
        """ "attente" is what the dashboard counts: new requests and those still looking for a worker."""
        if value == "attente":
            return queryset.filter(statut__in=[StatutDemande.NOUVELLE, StatutDemande.EN_RECHERCHE])
        return queryset.filter(statut=value)
