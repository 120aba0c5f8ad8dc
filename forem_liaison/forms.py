import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ale_platform.identifiers import compact_niss, validate_niss
from ale_platform.models import Agence
from prestataires.models import Prestataire

from .models import Adressage, CategorieAttente, EtatAdressage, IssueAdressage, ParametresForem, RetourAdressage


class NoSuffix:
    """Labels without the trailing colon: the label is the field's name, read as such by screen readers."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AdressageForm(NoSuffix, forms.Form):
    agence = forms.ModelChoiceField(label=_("Agence ALE"), queryset=Agence.objects.order_by("nom"))
    nom = forms.CharField(label=_("Nom"), max_length=100)
    prenom = forms.CharField(label=_("Prénom"), max_length=100)
    niss = forms.CharField(label=_("NISS"), max_length=15, help_text=_("11 chiffres, avec ou sans points et tiret."))
    numero_dossier_forem = forms.CharField(label=_("Numéro de dossier"), max_length=30, required=False)
    telephone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("Attentes"), choices=CategorieAttente.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    motif = forms.CharField(label=_("Motif et attentes"), widget=forms.Textarea(attrs={"rows": 4}))
    equipe = forms.ModelChoiceField(label=_("Partager avec l'équipe"), queryset=None, required=False)
    consentement_partage = forms.BooleanField(
        label=_("La personne consent au partage d'informations entre l'ALE et son service de l'emploi"), required=True
    )

    def __init__(self, *args, conseiller, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipe"].queryset = conseiller.equipes.all()
        # An office refers to the agencies of its service's region only; the labels name that service.
        service = conseiller.bureau.service
        self.fields["agence"].queryset = conseiller.bureau.agences().order_by("nom")
        self.fields["numero_dossier_forem"].label = _("Numéro de dossier %(service)s") % {"service": service.nom_court}
        self.fields["consentement_partage"].label = _(
            "La personne consent au partage d'informations entre l'ALE et son service de l'emploi (%(service)s)"
        ) % {"service": service.nom_court}
        self.fields["consentement_partage"].error_messages["required"] = _(
            "Le consentement de la personne est requis pour adresser."
        )

    def clean_niss(self):
        niss = compact_niss(self.cleaned_data["niss"])  # the one normaliser: separators, a lost leading zero
        validate_niss(niss)
        return niss


def shared_with(adressage) -> str:
    """Said beside every field whose words leave the agency: who will read them, before they are saved."""
    conseiller = adressage.conseiller.user.get_full_name() or adressage.conseiller.user.email
    return _(
        "Partagé : ce texte sera lu tel quel par %(conseiller)s (%(service)s, %(bureau)s), par les systèmes de son "
        "service de l'emploi (%(service)s, API) et par la personne dans son espace, avec votre nom et la date."
    ) % {"conseiller": conseiller, "bureau": adressage.bureau, "service": adressage.bureau.service.nom_court}


class TransitionForm(NoSuffix, forms.Form):
    vers = forms.ChoiceField(label=_("Nouvel état"), choices=EtatAdressage.choices)
    motif = forms.CharField(label=_("Motif / commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    issue = forms.ChoiceField(
        label=_("Issue (pour une clôture)"), choices=[("", "—"), *IssueAdressage.choices], required=False
    )
    prestataire = forms.ModelChoiceField(
        label=_("Dossier prestataire (pour l'inscription)"), queryset=Prestataire.objects.none(), required=False
    )

    def __init__(self, *args, adressage, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(EtatAdressage.choices)
        self.fields["vers"].choices = [(s, labels[s]) for s in allowed]
        self.fields["prestataire"].queryset = Prestataire.objects.filter(agence=adressage.agence).order_by(
            "nom", "prenom"
        )
        self.fields["motif"].help_text = shared_with(adressage)


class RetourForm(NoSuffix, forms.ModelForm):
    class Meta:
        model = RetourAdressage
        fields = ["periode_debut", "periode_fin", "texte"]
        widgets = {
            "periode_debut": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "periode_fin": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "texte": forms.Textarea(attrs={"rows": 6}),
        }


class ReponseForm(NoSuffix, forms.Form):
    texte = forms.CharField(label=_("Votre réponse"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ParametresForm(NoSuffix, forms.ModelForm):
    class Meta:
        model = ParametresForem
        fields = ["delai_premier_contact_jours", "periodicite_retour_jours"]

    def clean_delai_premier_contact_jours(self):
        value = self.cleaned_data["delai_premier_contact_jours"]
        if not 1 <= value <= 90:
            raise forms.ValidationError(_("Entre 1 et 90 jours."))
        return value

    def clean_periodicite_retour_jours(self):
        value = self.cleaned_data["periodicite_retour_jours"]
        if not 7 <= value <= 180:
            raise forms.ValidationError(_("Entre 7 et 180 jours."))
        return value


RETARD_CHOICES = [
    ("contact", _("Premier contact en retard")),
    ("retour", _("Retour en retard")),
    ("any", _("L'un ou l'autre")),
]


class AdressageFilter(django_filters.FilterSet):
    etat = django_filters.ChoiceFilter(label=_("État"), choices=EtatAdressage.choices, empty_label=_("Tous"))
    agence = django_filters.ModelChoiceFilter(
        label=_("Agence"), queryset=Agence.objects.none(), empty_label=_("Toutes")
    )
    retard = django_filters.ChoiceFilter(
        label=_("Retard"), choices=RETARD_CHOICES, empty_label=_("Tous"), method="filter_retard"
    )
    du = django_filters.DateFilter(
        label=_("Adressé depuis le"),
        field_name="date_adressage",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    au = django_filters.DateFilter(
        label=_("Adressé jusqu'au"),
        field_name="date_adressage",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Adressage
        fields = ["etat", "agence", "retard", "du", "au"]

    def __init__(self, *args, today, agences=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if agences is None:
            del self.filters["agence"]
        else:
            self.filters["agence"].queryset = agences

    def filter_retard(self, queryset, name, value):
        from .selectors import overdue_q

        return queryset.filter(overdue_q(self.today, value))
