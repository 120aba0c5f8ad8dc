from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ale_platform.geo.forms import PointFormMixin
from ale_platform.identifiers import compact_iban, compact_niss
from ale_platform.models import Activite
from ale_platform.uploads import validate_upload

from . import eligibility
from .models import (
    JOURS,
    NISS_AUTRE_AGENCE,
    ContratALE,
    DemiJournee,
    Document,
    Prestataire,
    SituationEligibilite,
    StatutPrestataire,
)
from .services import allowed_transitions, overlapping_absences, slot_key

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PrestataireForm(PointFormMixin, forms.ModelForm):
    """The worker's identity and contact details, as staff register or correct them."""

    # Typed with dots, dashes or spaces; stored compact (the model's validators check the compact value).
    niss = forms.CharField(label=_("NISS"), max_length=20, help_text=_("11 chiffres, ex. 85.07.30-033.28."))
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False, help_text=_("Ex. BE62 5100 0754 7061."))
    organisme_depuis = forms.DateField(
        label=_("Organisme de paiement en vigueur depuis le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Un mois passé reste payé par l'organisme de ce mois-là. Vide : aujourd'hui."),
    )

    class Meta:
        model = Prestataire
        fields = [
            "nom",
            "prenom",
            "niss",
            "date_naissance",
            "sexe",
            "rue",
            "code_postal",
            "commune",
            "telephone",
            "email",
            "langue",
            "iban",
            "organisme_paiement",
            "cpas",
            "date_inscription",
        ]
        widgets = {"date_naissance": DATE, "date_inscription": DATE}

    def __init__(self, *args, agence, **kwargs):
        super().__init__(*args, **kwargs)
        self.agence = agence
        for name in ("date_naissance", "sexe", "code_postal", "commune", "rue"):
            self.fields[name].required = True

    def clean_niss(self):
        niss = compact_niss(self.cleaned_data["niss"])
        duplicate = Prestataire.objects.filter(agence=self.agence, niss=niss).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise ValidationError(_("Un dossier existe déjà avec ce NISS dans l'agence."))
        if niss != self.instance.niss and Prestataire.objects.niss_in_other_agencies(self.agence, [niss]):
            raise ValidationError(NISS_AUTRE_AGENCE)
        return niss

    def clean_iban(self):
        return compact_iban(self.cleaned_data.get("iban", ""))

    def _post_clean(self):
        self.instance.agence = self.agence
        super()._post_clean()


class ProfilForm(forms.ModelForm):
    """What the worker accepts and where they can go: activities, mobility, languages, trainings, notes."""

    communes_mobilite = forms.CharField(
        label=_("Communes où il ou elle peut se rendre"),
        required=False,
        help_text=_("Séparées par des virgules, ex. Gembloux, Sauvenière."),
    )

    class Meta:
        model = Prestataire
        fields = [
            "activites",
            "mobilite",
            "temps_trajet_max",
            "distance_max_km",
            "langues_parlees",
            "formations",
            "notes",
        ]
        widgets = {"activites": forms.CheckboxSelectMultiple, "mobilite": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activites"].queryset = Activite.objects.filter(agence=self.instance.agence, active=True)
        self.fields["mobilite"].choices = [c for c in self.fields["mobilite"].choices if c[0]]
        self.fields["mobilite"].required = False
        self.initial["communes_mobilite"] = ", ".join(self.instance.communes_mobilite or [])

    def clean_communes_mobilite(self):
        return [c.strip() for c in self.cleaned_data["communes_mobilite"].split(",") if c.strip()]

    def clean(self):
        data = super().clean()
        if data.get("distance_max_km") is not None and data["distance_max_km"] > 200:
            self.add_error("distance_max_km", _("Au plus 200 km."))
        if data.get("temps_trajet_max") is not None and not 1 <= data["temps_trajet_max"] <= 240:
            self.add_error("temps_trajet_max", _("Entre 1 et 240 minutes."))
        return data

    def save(self, commit=True):
        self.instance.communes_mobilite = self.cleaned_data["communes_mobilite"]
        return super().save(commit)


def slot_choices():
    return [(slot_key(j, d), f"{label} {dlabel}") for j, label in JOURS for d, dlabel in DemiJournee.choices]


class DisponibilitesForm(forms.Form):
    disponibilites = forms.MultipleChoiceField(
        label=_("Demi-journées disponibles chaque semaine"),
        choices=slot_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    @classmethod
    def for_prestataire(cls, prestataire, data=None):
        initial = [slot_key(d.jour, d.demi_journee) for d in prestataire.disponibilites.all()]
        return cls(data, initial={"disponibilites": initial})


class AbsenceForm(forms.Form):
    debut = forms.DateField(label=_("Du"), widget=DATE)
    fin = forms.DateField(label=_("Au (inclus)"), widget=DATE)
    motif = forms.CharField(label=_("Motif"), max_length=200, required=False)

    def __init__(self, *args, prestataire, **kwargs):
        super().__init__(*args, **kwargs)
        self.prestataire = prestataire

    def clean(self):
        data = super().clean()
        debut, fin = data.get("debut"), data.get("fin")
        if debut and fin:
            if fin < debut:
                self.add_error("fin", _("La fin de l'absence doit suivre son début."))
            else:
                clash = overlapping_absences(self.prestataire, debut, fin).first()
                if clash is not None:
                    self.add_error("debut", _("Cette absence chevauche celle du %(period)s.") % {"period": str(clash)})
        return data


class StatutForm(forms.Form):
    statut = forms.ChoiceField(label=_("Nouveau statut"), choices=StatutPrestataire.choices)
    date = forms.DateField(label=_("Date d'effet"), widget=DATE)
    motif = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, prestataire, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(allowed_transitions(prestataire.statut))
        # Offered: the next steps; the others stay valid choices so that the service explains the refusal.
        self.fields["statut"].choices = [c for c in StatutPrestataire.choices if c[0] in allowed] + [
            c for c in StatutPrestataire.choices if c[0] not in allowed and c[0] != prestataire.statut
        ]


class SituationForm(forms.ModelForm):
    class Meta:
        model = SituationEligibilite
        fields = ["base", "depuis", "jusqu_au", "mois_indemnises", "avec_allocations", "preuve", "date_preuve"]
        widgets = {"depuis": DATE, "jusqu_au": DATE, "date_preuve": DATE}

    def __init__(self, *args, prestataire, regles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.prestataire = prestataire
        self.regles = regles  # the region's eligibility rules, when the caller read them already (an import)

    def clean(self):
        data = super().clean()
        if data.get("base") and data.get("depuis") and "jusqu_au" not in self.errors:
            problem = eligibility.basis_period_problem(
                self.instance.prestataire.agence.region,
                data["base"],
                data["depuis"],
                data.get("jusqu_au"),
                regles=self.regles,
            )
            if problem:
                self.add_error("base", problem)
        if data.get("base") == "chomage_24_36" and data.get("mois_indemnises") is None:
            self.add_error("mois_indemnises", _("Indiquez le nombre de mois d'allocations sur les 36 derniers."))
        if data.get("depuis") and data.get("date_preuve") and data["date_preuve"] < data["depuis"]:
            self.add_error("date_preuve", _("La preuve ne peut pas précéder le début de la situation."))
        if data.get("depuis") and data.get("jusqu_au") and data["jusqu_au"] < data["depuis"]:
            self.add_error("jusqu_au", _("La fin de la situation ne peut pas précéder son début."))
        return data

    def validate_unique(self):
        if self.errors:
            return
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error("base", _("Cette base est déjà enregistrée pour ce dossier : modifiez-la plutôt."))


class EligibiliteDateForm(forms.Form):
    le = forms.DateField(label=_("Éligibilité à la date du"), widget=DATE)


class ContratForm(forms.ModelForm):
    class Meta:
        model = ContratALE
        fields = ["date_debut"]
        widgets = {"date_debut": DATE}


class SignatureForm(forms.Form):
    date_signature = forms.DateField(label=_("Date de signature"), widget=DATE)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["type", "titre", "fichier", "visible_prestataire"]

    def clean_fichier(self):
        return validate_upload(self.cleaned_data["fichier"])


class RemarquesForm(forms.Form):
    remarques_sensibles = forms.CharField(
        label=_("Remarques confidentielles (santé…)"), widget=forms.Textarea, required=False
    )


class InvitationForm(forms.Form):
    """No field: the e-mail comes from the file. Kept as a form for CSRF and errors."""


class EspaceContactForm(forms.ModelForm):
    """What a worker may change themselves: phone and e-mail (the rest is read-only)."""

    class Meta:
        model = Prestataire
        fields = ["telephone", "email"]
