import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ale_platform.geo.filters import MinutesAPiedFilter, disable_without_centre
from prestataires.models import Prestataire
from utilisateurs.models import Utilisateur

from .models import ChequeALE, Prestation, StatutCheque, TypeCheque


def _agence_qs(model):
    def qs(request):
        from ale_platform.agences import current_agence

        agence = current_agence(request)
        return model.objects.filter(agence=agence) if agence else model.objects.none()

    return qs


class DateInput(forms.DateInput):
    input_type = "date"


class PrestationFilter(django_filters.FilterSet):
    du = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Du"), widget=DateInput)
    au = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Au"), widget=DateInput)
    prestataire = django_filters.ModelChoiceFilter(queryset=_agence_qs(Prestataire), label=_("Prestataire"))
    utilisateur = django_filters.ModelChoiceFilter(queryset=_agence_qs(Utilisateur), label=_("Utilisateur·rice"))
    statut = django_filters.ChoiceFilter(choices=Prestation.Statut.choices, label=_("Statut"), empty_label=_("Tous"))

    class Meta:
        model = Prestation
        fields = ["du", "au", "prestataire", "utilisateur", "statut"]


class ChequeFilter(django_filters.FilterSet):
    numero = django_filters.CharFilter(lookup_expr="startswith", label=_("Numéro"))
    type = django_filters.ChoiceFilter(choices=TypeCheque.choices, label=_("Type"), empty_label=_("Tous"))
    statut = django_filters.ChoiceFilter(choices=StatutCheque.choices, label=_("État"), empty_label=_("Tous"))
    utilisateur = django_filters.ModelChoiceFilter(queryset=_agence_qs(Utilisateur), label=_("Utilisateur·rice"))

    class Meta:
        model = ChequeALE
        fields = ["numero", "type", "statut", "utilisateur"]


class ARegulariserFilter(django_filters.FilterSet):
    du = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Du"), widget=DateInput)
    au = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Au"), widget=DateInput)
    utilisateur = django_filters.ModelChoiceFilter(queryset=_agence_qs(Utilisateur), label=_("Utilisateur·rice"))
    prestataire = django_filters.ModelChoiceFilter(queryset=_agence_qs(Prestataire), label=_("Prestataire"))

    class Meta:
        model = Prestation
        fields = ["du", "au", "utilisateur", "prestataire"]


class CandidatFilter(django_filters.FilterSet):
    """The matching page's filter on the candidates: within N minutes' walk of the request's place."""

    minutes_a_pied = MinutesAPiedFilter(label=_("Dans un rayon de N minutes à pied du lieu"))

    class Meta:
        model = Prestataire
        fields: list[str] = []

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.walking_centre = place.point
        self.form.fields["minutes_a_pied"].widget.attrs.setdefault("id", "f-minutes_a_pied")
        disable_without_centre(self, "minutes_a_pied")
