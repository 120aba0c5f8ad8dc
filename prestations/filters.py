import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ale_platform.geo.filters import MinutesAPiedFilter, disable_without_centre
from prestataires.models import Prestataire

from .models import ChequeALE, Prestation, StatutCheque, TypeCheque


class PersonneFilter(django_filters.CharFilter):
    """A worker or client of the list by name (each word in the name or first name), or by number.

    A text field rather than a select of every client or worker of the agency: hundreds of options (thousands for
    the large agencies) rendered and read from the database on every request, for a field most requests leave
    empty. The list's queryset is already the agency's, so the name is looked up only there.
    """

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        if value.isdigit():
            return qs.filter(**{f"{self.field_name}_id": int(value)})
        words = Q()
        for word in value.split():
            words &= Q(**{f"{self.field_name}__nom__icontains": word}) | Q(
                **{f"{self.field_name}__prenom__icontains": word}
            )
        return qs.filter(words)


class DateInput(forms.DateInput):
    input_type = "date"


class PrestationFilter(django_filters.FilterSet):
    du = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Du"), widget=DateInput)
    au = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Au"), widget=DateInput)
    prestataire = PersonneFilter(label=_("Prestataire (nom)"))
    utilisateur = PersonneFilter(label=_("Utilisateur·rice (nom)"))
    statut = django_filters.ChoiceFilter(choices=Prestation.Statut.choices, label=_("Statut"), empty_label=_("Tous"))

    class Meta:
        model = Prestation
        fields = ["du", "au", "prestataire", "utilisateur", "statut"]


class ChequeFilter(django_filters.FilterSet):
    numero = django_filters.CharFilter(lookup_expr="startswith", label=_("Numéro"))
    type = django_filters.ChoiceFilter(choices=TypeCheque.choices, label=_("Type"), empty_label=_("Tous"))
    statut = django_filters.ChoiceFilter(choices=StatutCheque.choices, label=_("État"), empty_label=_("Tous"))
    utilisateur = PersonneFilter(label=_("Utilisateur·rice (nom)"))

    class Meta:
        model = ChequeALE
        fields = ["numero", "type", "statut", "utilisateur"]


class ARegulariserFilter(django_filters.FilterSet):
    du = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Du"), widget=DateInput)
    au = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Au"), widget=DateInput)
    utilisateur = PersonneFilter(label=_("Utilisateur·rice (nom)"))
    prestataire = PersonneFilter(label=_("Prestataire (nom)"))

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
