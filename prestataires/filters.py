import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ale_platform.geo.filters import MinutesAPiedFilter, disable_without_centre
from ale_platform.models import Activite
from ale_platform.privacy.filters import JournalFilter
from ale_platform.search import text_search

from . import vigilance
from .models import (
    Absence,
    BaseEligibilite,
    Disponibilite,
    Langue,
    LectureRemarques,
    Mobilite,
    Prestataire,
    StatutPrestataire,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PrestataireFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Nom ou NISS"), method="filter_q")
    statut = django_filters.ChoiceFilter(label=_("Statut"), choices=StatutPrestataire.choices, empty_label=_("Tous"))
    activite = django_filters.ModelChoiceFilter(
        label=_("Activité acceptée"), field_name="activites", queryset=Activite.objects.none(), empty_label=_("Toutes")
    )
    lieu = django_filters.CharFilter(label=_("Commune ou code postal"), method="filter_lieu")
    mobilite = django_filters.ChoiceFilter(label=_("Mobilité"), choices=Mobilite.choices, empty_label=_("Toutes"))
    minutes_a_pied = MinutesAPiedFilter(label=_("Dans un rayon de N minutes à pied de l'agence"))
    disponible_le = django_filters.DateFilter(label=_("Disponible le"), method="filter_disponible", widget=DATE)
    heures_restantes = django_filters.NumberFilter(
        label=_("Heures restantes ce mois (au moins)"), method="filter_noop", min_value=0
    )
    base = django_filters.ChoiceFilter(
        label=_("Base d'éligibilité"),
        field_name="situations__base",
        choices=BaseEligibilite.choices,
        empty_label=_("Toutes"),
        distinct=True,
    )
    langue = django_filters.ChoiceFilter(label=_("Langue"), choices=Langue.choices, empty_label=_("Toutes"))
    vigilance = django_filters.ChoiceFilter(
        label=_("À vérifier"),
        choices=[
            ("base_fin", _("Base d'éligibilité qui prend fin dans les 30 jours")),
            ("organisme", _("Organisme de paiement à confirmer")),
        ],
        empty_label=_("—"),
        method="filter_vigilance",
    )
    ordre = django_filters.OrderingFilter(
        label=_("Trier par"),
        fields=(
            ("nom", "nom"),
            ("code_postal", "code_postal"),
            ("statut", "statut"),
            ("date_inscription", "inscription"),
        ),
        field_labels={
            "nom": _("Nom"),
            "code_postal": _("Code postal"),
            "statut": _("Statut"),
            "date_inscription": _("Date d'inscription"),
        },
    )

    class Meta:
        model = Prestataire
        fields: list[str] = []

    def __init__(self, *args, agence, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["activite"].queryset = Activite.objects.filter(agence=agence)
        self.walking_centre = agence.point
        disable_without_centre(self, "minutes_a_pied")
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault("id", f"f-{name}")

    def filter_vigilance(self, queryset, name, value):
        if value == "base_fin":
            return queryset.filter(vigilance.ending_q(timezone.localdate()))
        return queryset.filter(vigilance.a_confirmer_q())

    def filter_q(self, queryset, name, value):
        return text_search(queryset, value, ["nom", "prenom"], identifiers=("niss",))

    def filter_lieu(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(code_postal__startswith=value)
        return text_search(queryset, value, ["commune"])

    def filter_disponible(self, queryset, name, value):
        """A weekly half-day on that weekday, and no absence covering the day."""
        slot = Disponibilite.objects.filter(prestataire=OuterRef("pk"), jour=value.weekday())
        absent = Absence.objects.filter(prestataire=OuterRef("pk"), debut__lte=value, fin__gte=value)
        return queryset.filter(Exists(slot), ~Exists(absent))

    def filter_noop(self, queryset, name, value):
        return queryset  # hours left come from the meters, applied by the selector


class LectureFilter(JournalFilter):
    """The reads of confidential remarks, in the agency admin's privacy log."""

    class Meta:
        model = LectureRemarques
        fields = []

    def filter_personne(self, queryset, name, value):
        return text_search(queryset, value, ["prestataire__nom", "prestataire__prenom"])


def remark_reads(params, agences) -> LectureFilter:
    lectures = LectureRemarques.objects.filter(prestataire__agence__in=agences).select_related(
        "user", "prestataire", "prestataire__agence"
    )
    return LectureFilter(params, queryset=lectures)
