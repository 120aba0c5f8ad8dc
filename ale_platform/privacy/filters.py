import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import ExportDonnees, LectureDonnees
from .registry import KINDS


class JournalFilter(django_filters.FilterSet):
    du = django_filters.DateFilter(label=_("Du"), method="filter_du", widget=forms.DateInput(attrs={"type": "date"}))
    au = django_filters.DateFilter(
        label=_("Au (inclus)"), method="filter_au", widget=forms.DateInput(attrs={"type": "date"})
    )
    personne = django_filters.CharFilter(label=_("Personne (nom)"), method="filter_personne")
    collaborateur = django_filters.CharFilter(label=_("Collaborateur·rice (nom ou e-mail)"), method="filter_user")

    user_field = "user"

    def filter_du(self, queryset, name, value):
        return queryset.filter(at__date__gte=value)

    def filter_au(self, queryset, name, value):
        return queryset.filter(at__date__lte=value)

    def filter_user(self, queryset, name, value):
        f = self.user_field
        return queryset.filter(
            Q(**{f"{f}__email__icontains": value})
            | Q(**{f"{f}__last_name__icontains": value})
            | Q(**{f"{f}__first_name__icontains": value})
        )


class ExportFilter(JournalFilter):
    user_field = "par"

    class Meta:
        model = ExportDonnees
        fields = []

    def filter_personne(self, queryset, name, value):
        return queryset.filter(personne__icontains=value)


class LectureFilter(JournalFilter):
    """Reads of personal data; the log holds ids only, so a person is found by their current name."""

    user_field = "par"

    class Meta:
        model = LectureDonnees
        fields = []

    def filter_personne(self, queryset, name, value):
        found = Q(pk__in=[])
        for kind, person in KINDS.items():
            ids = person.model.objects.filter(Q(nom__icontains=value) | Q(prenom__icontains=value)).values("pk")
            found |= Q(type_personne=kind, objet_id__in=ids)
        return queryset.filter(found)
